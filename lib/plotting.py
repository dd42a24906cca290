"""Figures with one consistent style, drawn from `lib`'s math.

`setup()` sets the style once per notebook. The `draw_*` functions draw into a given matplotlib
Figure, so the same function serves a static figure (`plt.figure()`) and an interactive one
(`lib.widgets.interactive_figure`).
"""

import functools

import matplotlib as mpl
import numpy as np

from lib import activations as act
from lib import experiments, preprocessing

STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "legend.frameon": False,
    "font.size": 10,
    "figure.subplot.bottom": 0.15,  # room for the x label at 3.6 inches high
}
COLORS = {"f": "#1f77b4", "grad": "#d62728", "train": "#1f77b4", "test": "#ff7f0e"}
ACTIVATION_PARAM = {"leaky_relu": "negative_slope", "prelu": "alpha", "elu": "alpha"}


def setup():
    """Apply the course style to matplotlib (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def draw_activation(fig, name="relu", param=None, x_max=5.0):
    """An activation f (blue) and its derivative f' (red) on [-x_max, x_max].

    `param` sets the activation's one parameter where it has one (leaky_relu's negative_slope,
    prelu's and elu's alpha); it is ignored otherwise.
    """
    a = act.get_activation(name)
    params = {ACTIVATION_PARAM[name]: param} if name in ACTIVATION_PARAM and param is not None else {}
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


PREPROCESSING_STEPS = {
    "original": None,
    "centered": preprocessing.Center,
    "standardized": preprocessing.Standardize,
    "decorrelated (PCA)": preprocessing.PCA,
    "whitened": preprocessing.Whiten,
}


def _scatter_step(ax, X_train, step, X_test=None):
    """Scatter X_train after `step` (fitted on X_train), and X_test transformed with those statistics."""
    transform = PREPROCESSING_STEPS[step]
    fitted = None if transform is None else transform().fit(X_train)
    apply = (lambda X: X) if fitted is None else fitted.transform
    Y = apply(X_train)
    ax.scatter(Y[:, 0], Y[:, 1], s=5, alpha=0.5, color=COLORS["train"], label="train")
    if X_test is not None:
        T = apply(X_test)
        ax.scatter(T[:, 0], T[:, 1], s=12, marker="x", color=COLORS["test"], label="test")
        ax.legend(loc="lower right", markerscale=2)
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlim(-12, 12)
    ax.set_ylim(-8, 8)
    ax.set_aspect("equal")
    return Y


def draw_preprocessing(fig, X_train, step="original", X_test=None):
    """One preprocessing step on 2-D data, titled with the training set's mean and covariance."""
    Y = _scatter_step(fig.add_subplot(), X_train, step, X_test)
    mean, cov = np.round(Y.mean(axis=0), 2) + 0.0, np.cov(Y.T, bias=True)  # + 0.0: no "-0.00"
    fig.axes[0].set_title(f"{step}: mean ({mean[0]:.2f}, {mean[1]:.2f}), "
                          f"cov [[{cov[0, 0]:.2f}, {cov[0, 1]:.2f}], [{cov[1, 0]:.2f}, {cov[1, 1]:.2f}]]")


def draw_preprocessing_steps(fig, X_train):
    """The lecture notes' picture: original, centered, standardized, whitened data side by side."""
    steps = ["original", "centered", "standardized", "whitened"]
    for ax, step in zip(fig.subplots(1, len(steps), sharey=True), steps):
        _scatter_step(ax, X_train, step)
        ax.set_title(step)


def draw_layer_stats(fig, stds, edges, densities, title=""):
    """Left: std of each layer's activations (log scale). Right: histograms of a few layers.

    stds: (depth,) the std of layers 1..depth; densities: {layer number: histogram density over
    the bin `edges`}.
    """
    ax_std, ax_hist = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.4]})
    ax_std.semilogy(np.arange(1, len(stds) + 1), np.maximum(stds, 1e-30), "o-", color=COLORS["f"])
    ax_std.set_xlabel("layer")
    ax_std.set_ylabel("std of activations")
    ax_std.set_ylim(1e-12, 10)
    ax_std.set_yticks([1e-12, 1e-9, 1e-6, 1e-3, 1])
    for layer, density in densities.items():
        ax_hist.stairs(np.maximum(density, 1e-30), edges, lw=1.5, label=f"layer {layer}")
    ax_hist.set_xlabel("activation value")
    ax_hist.set_yscale("log")
    ax_hist.set_ylim(1e-3, 1e3)
    ax_hist.legend(loc="upper right")
    for ax in (ax_std, ax_hist):
        ax.minorticks_off()  # log-axis minor ticks cost half of the drawing time
    fig.suptitle(title)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.15, top=0.88, wspace=0.35)


@functools.lru_cache(maxsize=32)
def _init_experiment(init, activation, seed):
    """What `draw_init_experiment` shows, computed once per setting: (stds, edges, densities)."""
    layers = experiments.forward_through_layers(np.random.default_rng(seed), init, activation)
    shown = {i: layers[i - 1] for i in (1, 5, 10)}
    limit = max(1.05, max(float(np.percentile(np.abs(h), 99.5)) for h in shown.values()))
    edges = np.linspace(-limit, limit, 61)
    densities = {i: np.histogram(h, bins=edges, density=True)[0] for i, h in shown.items()}
    return np.array([h.std() for h in layers]), edges, densities


def draw_init_experiment(fig, init=0.01, activation="tanh", seed=0):
    """`draw_layer_stats` for N(0, 1) data through 10 layers of 512 units with this init and activation.

    init: a float std or an initializer name (see `lib.experiments.forward_through_layers`).
    """
    stds, edges, densities = _init_experiment(init, activation, seed)
    label = f"W ~ N(0, {init:.3g}^2)" if isinstance(init, float) else init
    draw_layer_stats(fig, stds, edges, densities, f"{activation}, {label}")


MAX_DEPTH = 64


@functools.lru_cache(maxsize=16)
def _singular_values(init, width, seed):
    """Singular values for every depth up to MAX_DEPTH, computed once per init."""
    return experiments.singular_values_by_depth(np.random.default_rng(seed), init, MAX_DEPTH, width)


def draw_singular_values(fig, depth=10, width=64, seed=0):
    """Histogram of the singular values of a depth-layer linear map (depth <= 64): Gaussian vs orthogonal."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be in 1..{MAX_DEPTH}, got {depth}")
    ax = fig.add_subplot()
    for init, color in [("lecun_normal", COLORS["grad"]), ("orthogonal", COLORS["f"])]:
        s = _singular_values(init, width, seed)[depth - 1]
        ax.hist(np.log10(np.maximum(s, 1e-300)), bins=40, range=(-6, 3), color=color, alpha=0.6, histtype="stepfilled",
                label=f"{init}: max/min = {s.max() / s.min():.3g}")
    ax.set_xlabel("log10 singular value of $W_1 \\cdots W_L$")
    ax.minorticks_off()
    ax.set_ylabel("count")
    ax.set_title(f"depth {depth}, width {width}")
    ax.legend(loc="upper left")


def draw_curves(fig, curves, xlabel, ylabel, title=""):
    """One line per entry of curves {label: y values}, over steps 0, 1, 2, ..."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.plot(values, lw=1.8, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()


_LOCAL_GRADIENT_SAMPLE = np.random.default_rng(0).standard_normal(20_000)


def draw_local_gradients(fig, name="sigmoid", scale=1.0):
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


def draw_sgd_paths(fig, paths, target):
    """2-D paths of a weight vector {label: (steps + 1, 2) array} towards the target weights."""
    ax = fig.add_subplot()
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=1, label=label)
    ax.plot(*target, "k*", ms=12, label="target")
    ax.plot(0, 0, "ko", ms=5)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_aspect("equal")
    ax.legend(loc="lower left")


def draw_layer_moments(fig, layers_by_name):
    """Mean (left) and variance (right) of each layer's activations, one line per activation."""
    ax_mean, ax_var = fig.subplots(1, 2)
    for name, layers in layers_by_name.items():
        depth = np.arange(1, len(layers) + 1)
        ax_mean.plot(depth, [h.mean() for h in layers], lw=1.8, label=name)
        ax_var.semilogy(depth, [h.var() for h in layers], lw=1.8, label=name)
    ax_mean.set_ylim(-1, 1)
    ax_mean.set_title("mean of activations")
    ax_var.set_title("variance of activations")
    ax_var.minorticks_off()
    for ax in (ax_mean, ax_var):
        ax.set_xlabel("layer")
    ax_var.legend()
    fig.subplots_adjust(wspace=0.3)


def draw_maxout_fit(fig, x, y, fits):
    """The points (x, y) and a maxout fit max_k(a_k x + b_k) for each entry of fits {pieces: (a, b)}."""
    ax = fig.add_subplot()
    ax.plot(x, y, color="k", lw=3, alpha=0.3, label="target")
    for pieces, (a, b) in fits.items():
        ax.plot(x, act.maxout(x[:, None] * a + b, pieces)[:, 0], lw=1.5, label=f"{pieces} pieces")
    ax.set_xlabel("x")
    ax.legend()
