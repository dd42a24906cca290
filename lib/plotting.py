"""The course's figure style and its renderers: `draw_*(fig, data, ...)` draws the data it is given.

`setup()` sets the style once per notebook. A renderer computes nothing beyond what it lays out;
the figures that compute what they show (and cache it) are the scenes in `lib.scenes`. Every
renderer draws into a given matplotlib Figure, so it serves a static figure (`plt.figure()`) and
an interactive one (`lib.widgets.interactive_figure`) alike.
"""

import matplotlib as mpl
import numpy as np
from matplotlib.layout_engine import PlaceHolderLayoutEngine

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
    "font.size": 12,  # 10 pt read ~8 px high on a phone (a 6.4-inch figure shown 358 px wide)
    "figure.titlesize": "medium",
    "figure.constrained_layout.use": True,  # room for labels at any size; renderers placing axes by hand opt out
}
SMALL, LARGE = 11, 12  # explicit sizes: tick labels, legends and panel titles; titles
COLORS = {"f": "#1f77b4", "grad": "#d62728", "train": "#1f77b4", "test": "#ff7f0e"}


def setup():
    """Apply the course style to matplotlib (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def _hand_layout(fig):
    """Switch off the automatic layout (STYLE's constrained layout) of fig's figure, which then takes
    subplots_adjust without a warning; for a subfigure, that of the whole figure."""
    fig.figure.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=True))


def _symmetric_edges(arrays, bins):
    """Bin edges over [-m, m], m the 99.9th percentile of |values| over all arrays (never 0)."""
    limit = max(float(np.percentile(np.abs(a), 99.9)) for a in arrays)
    return np.linspace(-limit, limit, bins + 1) if limit > 0 else np.linspace(-1, 1, bins + 1)


def draw_layer_histograms(fig, rows, bins=30):
    """The lecture's picture: one small histogram per layer (columns), one row per quantity.

    rows: {label: [values of layer 1, layer 2, ...]}, e.g. {"activations": hidden, "gradients": grads}.
    Each row shares one x range, so a layer whose values collapse shows as a spike at 0; each
    panel is titled with its layer and, below, the std of its values.
    """
    depth = len(next(iter(rows.values())))
    axes = fig.subplots(len(rows), depth, sharey="row", squeeze=False)
    for row, (label, layers), color in zip(axes, rows.items(), (COLORS["f"], COLORS["grad"])):
        edges = _symmetric_edges(layers, bins)
        for l, (ax, values) in enumerate(zip(row, layers), start=1):
            counts, _ = np.histogram(values, bins=edges)
            ax.stairs(counts / counts.sum(), edges, fill=True, color=color)
            ax.set_title(f"{l}\n{np.std(values):.0e}", fontsize=SMALL)
            ax.set_xticks([0], ["0"])
            ax.tick_params(labelsize=SMALL, length=2)
            ax.grid(False)
        row[0].set_ylabel(f"{label}\nin +-{edges[-1]:.0e}", fontsize=SMALL)
        row[0].set_yticks([])


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
    values = np.concatenate([np.ravel(v) for v in stds.values()])
    low, high = min(1e-12, values.min() / 3), max(1e3, values.max() * 3)  # exploding ones stay in view
    ax_std.set_ylim(low, high)
    ax_std.set_yticks([10.0**k for k in range(int(np.ceil(np.log10(low))), int(np.log10(high)) + 1, 6)])
    ax_std.legend(loc="best", fontsize=SMALL)
    for ax, (label, (edges, densities)) in zip(axes[1:], histograms.items()):
        for layer, density in densities.items():
            ax.stairs(np.maximum(density * (edges[1] - edges[0]), 1e-30), edges, lw=1.2, label=f"layer {layer}")
        ax.set_xlabel(label)
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 1.5)
        ax.set_yticks([1e-4, 1e-2, 1])  # few ticks: drawing them is most of a frame's time
        ax.set_xticks([edges[0], 0, edges[-1]], [f"{edges[0]:.0e}", "0", f"{edges[-1]:.0e}"], fontsize=SMALL)
    axes[-1].legend(loc="upper right", fontsize=SMALL)
    axes[1].set_ylabel("share of values per bin")
    for ax in axes:
        ax.minorticks_off()  # log-axis minor ticks cost half of the drawing time
    fig.suptitle(title)
    _hand_layout(fig)  # drawn once per frame of an interactive figure: no layout engine
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


def _square_frame(ax, limit, title, axis_width):
    """Square axes over [-limit, limit]^2 with the coordinate axes drawn through the origin."""
    ax.axhline(0, color="k", lw=axis_width)
    ax.axvline(0, color="k", lw=axis_width)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=SMALL)


def draw_clouds(fig, clouds, point_size=4):
    """2-D point clouds side by side, {title: (N, 2) points}, on one square range that holds every
    point and the origin (marked by the axes through it), so moves and stretches compare by eye."""
    limit = 1.05 * max(float(np.abs(points).max()) for points in clouds.values())
    axes = fig.subplots(1, len(clouds), squeeze=False)[0]
    for ax, (title, points) in zip(axes, clouds.items()):
        ax.scatter(points[:, 0], points[:, 1], s=point_size, alpha=0.5, color=COLORS["train"], linewidths=0)
        _square_frame(ax, limit, title, axis_width=0.6)
        ax.tick_params(labelsize=SMALL)


def draw_image_grid(fig, images, titles=None, ncols=None, symmetric=False, title=""):
    """Small images in a grid, each on its own colour scale: 2-D arrays in gray, (h, w, 3) arrays as
    colour (scaled to [0, 1] per image). symmetric=True centres a 2-D image's scale on 0 (for
    filters, whose sign matters: white positive, black negative)."""
    ncols = ncols or len(images)
    nrows = -(-len(images) // ncols)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= len(images):
            continue
        image = np.asarray(images[i], dtype=float)
        if image.ndim == 3:
            low, high = image.min(), image.max()
            ax.imshow((image - low) / (high - low if high > low else 1.0), interpolation="nearest")
        else:
            limit = np.abs(image).max() or 1.0
            scale = {"vmin": -limit, "vmax": limit} if symmetric else {}
            ax.imshow(image, cmap="gray", interpolation="nearest", **scale)
        if titles is not None:
            ax.set_title(titles[i], fontsize=SMALL)
    if title:
        fig.suptitle(title, fontsize=LARGE)


def draw_xy(fig, x, curves, xlabel, ylabel, title="", logy=False):
    """One line per entry of curves {label: y values (len(x),)} over x."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.plot(x, values, "o-", ms=3, lw=1.5, label=label)
    if logy:
        ax.set_yscale("log")
        ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=SMALL)
    ax.legend(fontsize=SMALL)
    return ax


def draw_log_curves(fig, curves, xlabel, ylabel, title=""):
    """One line per entry of curves {label: y values}, over steps 1, 2, 3, ..., on a log y axis."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.semilogy(np.arange(1, len(values) + 1), values, lw=1.8, label=label)
    ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=SMALL)
    ax.legend(fontsize=SMALL)


def draw_classifier_panels(fig, panels, limit=None):
    """Two-class data and linear decision boundaries, one panel per entry of
    panels {title: {"X": (N, 2), "y": (N,) in {0, 1}, "lines": [(w (2,), b), ...],
    optional "X_test", "y_test", "thin": [(w, b), ...]}}. A line is {x : w . x + b = 0}; "thin"
    lines are drawn light (perturbed classifiers), test points as crosses."""
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    colors = [COLORS["train"], COLORS["test"]]
    for ax, (title, panel) in zip(axes, panels.items()):
        X, y = panel["X"], panel["y"]
        points = [X] + ([panel["X_test"]] if panel.get("X_test") is not None else [])
        span = limit or 1.15 * max(float(np.abs(p).max()) for p in points)
        for c in (0, 1):
            ax.scatter(X[y == c, 0], X[y == c, 1], s=6, alpha=0.5, color=colors[c], linewidths=0)
            if panel.get("X_test") is not None:
                T = panel["X_test"][panel["y_test"] == c]
                ax.scatter(T[:, 0], T[:, 1], s=22, marker="x", color=colors[c], linewidths=1)
        xs = np.array([-span, span])
        for lines, style in ((panel.get("thin", []), {"color": "0.4", "lw": 0.6, "alpha": 0.6}),
                             (panel["lines"], {"color": "k", "lw": 1.8})):
            for w, b in lines:
                if abs(w[1]) > abs(w[0]):
                    ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
                else:
                    ax.plot(-(w[1] * xs + b) / w[0], xs, **style)
        _square_frame(ax, span, title, axis_width=0.5)
        _few_ticks(ax, 4)


def draw_descent(fig, X, H, w_star, path, title=""):
    """Left: the data X (N, 2). Right: contours of the quadratic loss (w - w*)^T H (w - w*) / 2 around
    w* and the path (T, 2) of gradient descent from its first point, on equal axes."""
    ax_data, ax_loss = fig.subplots(1, 2)
    limit = 1.05 * float(np.abs(X).max())
    ax_data.scatter(X[:, 0], X[:, 1], s=4, alpha=0.5, color=COLORS["train"], linewidths=0)
    ax_data.set_xlim(-limit, limit)
    ax_data.set_ylim(-limit, limit)
    ax_data.set_title("data", fontsize=SMALL)
    corners = np.vstack([path, w_star])
    centre = (corners.max(axis=0) + corners.min(axis=0)) / 2
    half = 0.6 * float((corners.max(axis=0) - corners.min(axis=0)).max()) + 1e-9
    g = np.linspace(-half, half, 41)
    W1, W2 = np.meshgrid(centre[0] + g, centre[1] + g)
    d1, d2 = W1 - w_star[0], W2 - w_star[1]
    Z = 0.5 * (H[0, 0] * d1 * d1 + 2 * H[0, 1] * d1 * d2 + H[1, 1] * d2 * d2)
    start = 0.5 * (path[0] - w_star) @ H @ (path[0] - w_star)
    ax_loss.contour(W1, W2, Z, levels=start * np.geomspace(1e-3, 1.0, 7), colors="0.6", linewidths=0.8)
    ax_loss.plot(path[:, 0], path[:, 1], ".-", color=COLORS["grad"], ms=4, lw=1)
    ax_loss.plot(*w_star, "k*", ms=10)
    ax_loss.set_xlim(centre[0] - half, centre[0] + half)
    ax_loss.set_ylim(centre[1] - half, centre[1] + half)
    ax_loss.set_xlabel("$w_1$", labelpad=1)
    ax_loss.set_ylabel("$w_2$", labelpad=1)
    ax_loss.set_title("loss contours and descent path", fontsize=SMALL)
    for ax in (ax_data, ax_loss):
        _few_ticks(ax)
        ax.set_aspect("equal")
    fig.suptitle(title, fontsize=SMALL)
    _hand_layout(fig)  # drawn once per frame of an interactive figure: no layout engine
    fig.subplots_adjust(top=0.8, bottom=0.14, wspace=0.3)


def _few_ticks(ax, n=3):
    """At most n + 1 tick labels per axis, small and without a grid: text is most of a figure's
    drawing time, and an interactive figure is drawn once per frame."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(n))
    ax.yaxis.set_major_locator(MaxNLocator(n))
    ax.tick_params(labelsize=SMALL)
    ax.grid(False)


def draw_spectrum_and_images(fig, curves, images, image_titles, title=""):
    """Left: values per principal direction {label: (D,)} on a log axis. Right: small gray images side
    by side in one panel, each scaled symmetrically around 0 to its own largest |value|."""
    ax, ax_images = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    for label, values in curves.items():
        ax.semilogy(np.arange(1, len(values) + 1), values, lw=1.8, label=label)
    ax.minorticks_off()
    ax.set_xlabel("principal direction (largest variance first)")
    ax.set_ylabel("std after whitening")
    ax.legend(fontsize=SMALL, loc="upper left")
    ax.tick_params(labelsize=SMALL)
    h, w = np.shape(images[0])
    mosaic = np.full((h, len(images) * (w + 1) - 1), np.nan)
    for i, image in enumerate(images):
        image = np.asarray(image, dtype=float)
        mosaic[:, i * (w + 1):i * (w + 1) + w] = image / (np.abs(image).max() or 1.0)
    ax_images.imshow(mosaic, cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
    for i, text in enumerate(image_titles):
        ax_images.text(i * (w + 1) + (w - 1) / 2, -1, text, ha="center", va="bottom", fontsize=SMALL)
    ax_images.set_axis_off()
    fig.suptitle(title, fontsize=LARGE)
    _hand_layout(fig)  # drawn once per frame of an interactive figure: no layout engine
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.86, wspace=0.15)


def draw_decision_regions(fig, X, y, regions, limit):
    """Labelled 2-D points X (N, 2), y (N,) over the class each classifier predicts, one panel per
    entry of regions {title: (n, n) ints on a grid over [-limit, limit]^2, row 0 at the bottom}."""
    from matplotlib.colors import ListedColormap

    palette = list(mpl.rcParams["axes.prop_cycle"].by_key()["color"])
    n_classes = int(max(np.max(y), *(np.max(r) for r in regions.values()))) + 1
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
        _few_ticks(ax)
