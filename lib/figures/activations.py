"""The figures of the activations page (sigmoid, tanh, ReLU): `figure(fig, **values)` draws into
`fig` what `lib.experiments.activations` computes.
"""

import matplotlib as mpl
import numpy as np

from lib import activations as act
from lib import data
from lib.experiments import activations as experiments
from lib.figures.style import COLORS, SMALL, few_ticks


_LOCAL_GRADIENT_SAMPLE = np.random.default_rng(0).standard_normal(20_000)


def local_gradients(fig, name="sigmoid", scale=1.0):
    """Histogram of the local gradients f'(x) for inputs x ~ N(0, scale^2), and the share near 0.

    A share of |f'(x)| < 0.01 close to 1 means most units pass on almost none of the gradient.

    Used in: activations § Sigmoid.
    """
    grads = act.get_activation(name).grad(scale * _LOCAL_GRADIENT_SAMPLE)
    ax = fig.add_subplot()
    ax.hist(grads, bins=50, range=(0, 1.1), histtype="stepfilled", color=COLORS["grad"], alpha=0.7)
    ax.set_xlim(0, 1.1)
    ax.set_yscale("log")
    ax.set_ylim(1, len(grads))
    ax.minorticks_off()
    ax.set_xlabel("local gradient f'(x)")
    ax.set_ylabel("count of 20,000 inputs")
    ax.set_title(f"{name}, x ~ N(0, {scale:g}^2): {np.mean(np.abs(grads) < 0.01):.0%} have |f'(x)| < 0.01")


def spiral_decision_regions(fig):
    """The spirals and the decision regions of the linear classifier and of the ReLU network.

    Used in: activations § Why non-linearity."""
    X, y, nets = experiments.spiral_classifiers()
    limit = 1.1 * float(np.abs(X).max())
    regions = {f"{label}\n{net.accuracy(X, y):.0%} right": experiments.decision_regions(net, limit)
               for label, net in nets.items()}  # two-line titles: each fits its half of the width
    draw_decision_regions(fig, X, y, regions, limit)


def sgd_paths(fig, paths, target):
    """2-D paths of a weight vector {label: (steps + 1, 2) array} from (0, 0) towards the target
    weights (2,), with the legend above the axes, clear of every path and readable on a phone.

    Used in: activations § Sigmoid."""
    ax = fig.add_subplot()
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=1, label=label)
    ax.plot(*target, "k*", ms=12, label="target")
    ax.plot(0, 0, "ko", ms=5)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_aspect("equal")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, fontsize=SMALL,
              borderaxespad=0, columnspacing=1.0, handlelength=1.5)


def draw_decision_regions(fig, X, y, regions, limit):
    """Labelled 2-D points X (N, 2), y (N,) over the class each classifier predicts, one panel per
    entry of regions {title: (n, n) ints on a grid over [-limit, limit]^2, row 0 at the bottom}."""
    from matplotlib.colors import ListedColormap

    palette = list(mpl.rcParams["axes.prop_cycle"].by_key()["color"])
    n_classes = data.n_classes(np.concatenate([np.ravel(y), *(np.ravel(r) for r in regions.values())]))
    colors = [palette[c % len(palette)] for c in range(n_classes)]
    axes = fig.subplots(1, len(regions), squeeze=False)[0]
    for ax, (title, region) in zip(axes, regions.items()):
        ax.imshow(region, origin="lower", extent=(-limit, limit, -limit, limit), cmap=ListedColormap(colors),
                  vmin=-0.5, vmax=n_classes - 0.5, alpha=0.25, interpolation="nearest")
        for c in range(n_classes):
            ax.scatter(X[y == c, 0], X[y == c, 1], s=6, color=colors[c], linewidths=0)
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=SMALL)
        few_ticks(ax)
