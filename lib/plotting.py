"""The course's figure style and its renderers: `draw_*(fig, data, ...)` draws the data it is given.

`setup()` sets the style once per notebook. A renderer computes nothing beyond what it lays out;
the figures that compute what they show (and cache it) are the scenes in `lib.scenes`. Every
renderer draws into a given matplotlib Figure, so it serves a static figure (`plt.figure()`) and
an interactive one (`lib.widgets.interactive_figure`) alike.
"""

import matplotlib as mpl
import numpy as np

from lib import activations as act

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


def setup():
    """Apply the course style to matplotlib (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def _symmetric_edges(arrays, bins):
    """Bin edges over [-m, m], m the 99.9th percentile of |values| over all arrays (never 0)."""
    limit = max(float(np.percentile(np.abs(a), 99.9)) for a in arrays)
    return np.linspace(-limit, limit, bins + 1) if limit > 0 else np.linspace(-1, 1, bins + 1)


def draw_layer_histograms(fig, rows, bins=30):
    """The lecture's picture: one small histogram per layer (columns), one row per quantity.

    rows: {label: [values of layer 1, layer 2, ...]}, e.g. {"activations": hidden, "gradients": grads}.
    Each row shares one x range, so a layer whose values collapse shows as a spike at 0; each
    panel is titled "layer: std of its values".
    """
    depth = len(next(iter(rows.values())))
    axes = fig.subplots(len(rows), depth, sharey="row", squeeze=False)
    for row, (label, layers), color in zip(axes, rows.items(), (COLORS["f"], COLORS["grad"])):
        edges = _symmetric_edges(layers, bins)
        for l, (ax, values) in enumerate(zip(row, layers), start=1):
            counts, _ = np.histogram(values, bins=edges)
            ax.stairs(counts / counts.sum(), edges, fill=True, color=color)
            ax.set_title(f"{l}: {np.std(values):.0e}", fontsize=7)
            ax.set_xticks([0], ["0"])
            ax.tick_params(labelsize=7, length=2)
            ax.grid(False)
        row[0].set_ylabel(f"{label}\nin +-{edges[-1]:.0e}", fontsize=8)
        row[0].set_yticks([])
    fig.subplots_adjust(left=0.05, right=0.96, bottom=0.08, top=0.9, wspace=0.15, hspace=0.6)


def draw_layer_stats(fig, stds, histograms, title=""):
    """Left: the std of each layer's values (log scale). Then one panel per quantity with histograms of
    a few layers.

    stds: {label: (depth,) std per layer}, e.g. {"activations h": ..., "gradients dL/dh": ...};
    histograms: {label: (bin edges, {layer number: density over the bins})}, one panel each.
    """
    axes = fig.subplots(1, 1 + len(histograms), gridspec_kw={"width_ratios": [1.2] + [1] * len(histograms)})
    ax_std = axes[0]
    for (label, values), color in zip(stds.items(), (COLORS["f"], COLORS["grad"])):
        ax_std.semilogy(np.arange(1, len(values) + 1), np.clip(values, 1e-30, None), "o-", ms=3, color=color,
                        label=label)
    ax_std.set_xlabel("layer")
    ax_std.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5, integer=True))
    ax_std.set_ylabel("std")
    ax_std.set_ylim(1e-12, 1e3)
    ax_std.set_yticks([1e-12, 1e-9, 1e-6, 1e-3, 1])
    ax_std.legend(loc="upper right", fontsize=7)
    for ax, (label, (edges, densities)) in zip(axes[1:], histograms.items()):
        for layer, density in densities.items():
            ax.stairs(np.maximum(density * (edges[1] - edges[0]), 1e-30), edges, lw=1.2, label=f"layer {layer}")
        ax.set_xlabel(label)
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 1.5)
        ax.set_xticks([edges[0], 0, edges[-1]], [f"{edges[0]:.0e}", "0", f"{edges[-1]:.0e}"], fontsize=7)
        ax.legend(loc="upper right", fontsize=7)
    axes[1].set_ylabel("share of values per bin")
    for ax in axes:
        ax.minorticks_off()  # log-axis minor ticks cost half of the drawing time
    fig.suptitle(title)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.4)


def draw_curves(fig, curves, xlabel, ylabel, title=""):
    """One line per entry of curves {label: y values}, over steps 0, 1, 2, ..."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.plot(values, lw=1.8, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()


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
