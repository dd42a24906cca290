"""Scenes of the activations chapter: `scene(fig, **values)` computes what it shows and draws it.
"""

import functools

import numpy as np

from lib import activations as act
from lib import data
from lib.experiments import activations as experiments
from lib.plotting import COLORS, SMALL, draw_decision_regions


def activation_and_derivative(fig, name="relu", param=None, x_max=5.0):
    """An activation f (blue) and its derivative f' (red) on [-x_max, x_max].

    `param` sets the parameter its record says a figure may vary (`Activation.varied`: leaky_relu's
    negative_slope, prelu's and elu's alpha); it is ignored for the others.
    """
    a = act.get_activation(name)
    params = {a.varied: param} if a.varied is not None and param is not None else {}
    x = np.linspace(-x_max, x_max, 401)
    ax = fig.add_subplot()
    ax.plot(x, a.f(x, **params), color=COLORS["f"], lw=2, label="f(x)")
    ax.plot(x, a.grad(x, **params), color=COLORS["grad"], lw=1.5, ls="--", label="f'(x)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_ylim(-2.0, 3.0)
    ax.set_xlabel("x")
    extra = ", ".join(f"{k}={v:g}" for k, v in params.items())
    ax.set_title(f"{name}({extra})" if extra else name)
    ax.legend(loc="upper left")


_LOCAL_GRADIENT_SAMPLE = np.random.default_rng(0).standard_normal(20_000)


def local_gradients(fig, name="sigmoid", scale=1.0):
    """Histogram of the local gradients f'(x) for inputs x ~ N(0, scale^2), and the share near 0.

    A share of |f'(x)| < 0.01 close to 1 means most units pass on almost none of the gradient.
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


def activation_card(fig, name="sigmoid", x_max=6.0, level=0.01):
    """A small static figure of one activation with its default parameters: f (blue), f' (dashed
    red) on [-x_max, x_max], and shaded the inputs where |f'(x)| < level, which pass on almost none
    of the gradient arriving from above (saturation, or ReLU's dead side)."""
    a = act.get_activation(name)
    x = np.linspace(-x_max, x_max, 601)
    f, grad = a.f(x), a.grad(x)
    ax = fig.add_subplot()
    ax.fill_between(x, 0, 1, where=np.abs(grad) < level, transform=ax.get_xaxis_transform(), color="0.88",
                    lw=0, label=f"|f'(x)| < {level:g}")
    ax.plot(x, f, color=COLORS["f"], lw=2, label="f(x)")
    ax.plot(x, grad, color=COLORS["grad"], lw=1.5, ls="--", label="f'(x)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlim(-x_max, x_max)
    ax.set_xlabel("x")
    ax.set_title(name)
    ax.legend(loc="upper left", fontsize=SMALL, frameon=True, framealpha=0.9, edgecolor="0.6")


@functools.lru_cache(maxsize=1)
def spiral_classifiers():
    """The chapter's spirals (100 points per arm, seed 0) and its two classifiers trained on them:
    (X (300, 2), y (300,), {label: MLP}); computed once, so the cell that prints their accuracy
    and the figure of their decision regions show the same networks."""
    X, y = data.spirals(100, np.random.default_rng(0))
    return X, y, experiments.linear_and_relu_classifiers(X, y)


def spiral_decision_regions(fig):
    """The spirals and the decision regions of the linear classifier and of the ReLU network."""
    X, y, nets = spiral_classifiers()
    limit = 1.1 * float(np.abs(X).max())
    regions = {f"{label}: {net.accuracy(X, y):.0%} right": experiments.decision_regions(net, limit)
               for label, net in nets.items()}
    draw_decision_regions(fig, X, y, regions, limit)


def activation_cards(fig, names, **options):
    """`activation_card` side by side, one per name (e.g. a variant next to another), in one figure;
    options (x_max, level) apply to every card."""
    for sub, name in zip(np.atleast_1d(fig.subfigures(1, len(names))), names):
        activation_card(sub, name, **options)


def sgd_paths(fig, paths, target):
    """2-D paths of a weight vector {label: (steps + 1, 2) array} from (0, 0) towards the target
    weights (2,), with the legend to the right of the axes, clear of the paths near the target."""
    ax = fig.add_subplot()
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=1, label=label)
    ax.plot(*target, "k*", ms=12, label="target")
    ax.plot(0, 0, "ko", ms=5)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_aspect("equal")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=SMALL)


def maxout_fit(fig, x, y, fits):
    """The points (x (N,), y (N,)) and the maxout fit max_j(a_j x + b_j) for each entry of fits
    {pieces: (a (pieces,), b (pieces,))}, labelled "1 piece", "2 pieces", ..."""
    ax = fig.add_subplot()
    ax.plot(x, y, color="k", lw=3, alpha=0.3, label="target")
    for pieces, (a, b) in fits.items():
        label = f"{pieces} piece" + ("" if pieces == 1 else "s")
        ax.plot(x, act.maxout(x[:, None] * a + b, pieces)[:, 0], lw=1.5, label=label)
    ax.set_xlabel("x")
    ax.legend()
