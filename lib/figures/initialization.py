"""The figures of the initialization page: `figure(fig, **values)` runs the experiment (cached) and
draws it into `fig`.
"""

import functools

import matplotlib as mpl
import numpy as np

from lib.figures.style import COLORS, LARGE, SMALL, hand_layout
from lib.propagation import deep_stack


# The initializations the chapter's figure offers: raw stds on a log scale, then the named schemes.
INITS = [(f"std {std:g}", float(std)) for std in (0.01, 0.1, 1.0)] + [
    ("Xavier/LeCun 1/sqrt(Din)", "lecun_normal"), ("Kaiming sqrt(2/Din)", "kaiming_normal")]
WIDTH = 128  # units per layer of the figure's networks (the page prints it)


def _histograms(layers, shown):
    """(bin edges, {layer: density}) for the shown layers, over a range that holds 99.5 % of their
    values: [0, m] when no value is negative (ReLU's activations), else the symmetric [-m, m]; so a
    layer whose values collapsed shows as a spike at 0."""
    limit = max(float(np.percentile(np.abs(layers[l - 1]), 99.5)) for l in shown) or 1.0
    low = 0.0 if min(float(layers[l - 1].min()) for l in shown) >= 0 else -limit
    edges = np.linspace(low, limit, 41)
    return edges, {l: np.histogram(layers[l - 1], bins=edges, density=True)[0] for l in shown}


@functools.lru_cache(maxsize=128)
def _stack(init, activation, depth, width, seed):
    """The deep network's statistics for one setting, computed once: (stds, histograms)."""
    stack = deep_stack(np.random.default_rng(seed), init, activation, depth=depth, width=width, n=width)
    shown = sorted({1, (depth + 1) // 2, depth})
    stds = {"activations h": np.array([h.std() for h in stack.hidden]),
            "gradients dL/dh": np.array([g.std() for g in stack.hidden_grads])}
    histograms = {"activations h": _histograms(stack.hidden, shown),
                  "gradients dL/dh": _histograms(stack.hidden_grads, shown)}
    return stds, histograms


def layer_statistics(fig, activation="tanh", init=0.01, depth=10, width=WIDTH, seed=0):
    """Per-layer std of the activations and back-propagated gradients, and histograms of both in the
    first, middle and last layer, for N(0, 1) inputs through `depth` layers of `width` units.

    init: a float std or an initializer name (see `lib.propagation.deep_stack`).

    Used in: initialization § Try it.
    """
    stds, histograms = _stack(init, activation, depth, width, seed)
    label = f"W ~ N(0, {init:.3g}^2)" if isinstance(init, float) else init
    draw_layer_stats(fig, stds, histograms, f"{activation}, {label}, {depth} layers of {width}")


def _symmetric_edges(arrays, bins):
    """Bin edges over [-m, m], m the 99.9th percentile of |values| over all arrays (never 0)."""
    limit = max(float(np.percentile(np.abs(a), 99.9)) for a in arrays)
    return np.linspace(-limit, limit, bins + 1) if limit > 0 else np.linspace(-1, 1, bins + 1)


def draw_layer_histograms(fig, rows, bins=30, per_line=5):
    """The lecture's picture: one small histogram per layer, `per_line` layers to a line (5: panels
    wide enough to read in a phone's column), one block of lines per quantity.

    rows: {label: [values of layer 1, layer 2, ...]}, e.g. {"activations": hidden, "gradients": grads}.
    A block's panels share one x range, given in its title, so a layer whose values collapse shows
    as a spike at 0; each panel is titled with its layer and the std of its values.

    Used in: initialization § First idea.
    """
    depth = len(next(iter(rows.values())))
    lines = -(-depth // per_line)  # ceil
    blocks = fig.subfigures(len(rows), 1, squeeze=False)[:, 0]
    for block, (label, layers), color in zip(blocks, rows.items(), (COLORS["f"], COLORS["grad"])):
        edges = _symmetric_edges(layers, bins)
        axes = block.subplots(lines, per_line, sharex=True, sharey=True, squeeze=False).ravel()
        for l, (ax, values) in enumerate(zip(axes, layers), start=1):
            counts, _ = np.histogram(values, bins=edges)
            ax.stairs(counts / counts.sum(), edges, fill=True, color=color)
            ax.set_title(f"layer {l}\n{np.std(values):.0e}", fontsize=SMALL)
            ax.set_xticks([0], ["0"])
            ax.set_yticks([])
            ax.tick_params(labelsize=SMALL, length=2)
            ax.grid(False)
        for ax in axes[depth:]:  # a last line not filled
            ax.set_visible(False)
        block.suptitle(f"{label}, from -{edges[-1]:.0e} to {edges[-1]:.0e}", fontsize=LARGE)


# The histograms' lines for the first, middle and last layer, drawn in this order, each narrower than
# the ones beneath it and the last one dashed: where two layers' histograms coincide (spikes at 0 in
# the same bins), the one beneath shows as a band on both sides of the one on top (at a phone's 340 px
# too) and, under the last one, between its dashes.
LAYER_STYLES = [{"color": "C0", "lw": 4.2, "ls": "-"}, {"color": "C1", "lw": 2.6, "ls": "-"},
                {"color": "C2", "lw": 1.2, "ls": (0, (3, 1.5))}]


def _decade_ticks(low, high, pad=1.0, margin=0.3):
    """(ticks, (bottom, top)) for a log axis showing positive values from `low` to `high`: ticks at
    10**k for k a multiple of 6 (or 9, 12, ...: at most five ticks) including k = 0, the axis ending
    `pad` decades past the outer ticks and at least `margin` decades past the data (a marker stays
    whole), so every value lies within `pad` decades of a tick. The axis spans at least 1e-12 to 1,
    so that frames compare at a glance."""
    lo, hi = np.log10(min(low, 1e-12)), np.log10(max(high, 1.0))
    for step in range(6, 100, 3):
        first = step * np.floor((lo + pad - margin) / step)
        last = step * np.ceil((hi - pad + margin) / step)
        if (last - first) / step < 5:
            break
    return 10.0 ** np.arange(first, last + 1, step), (10 ** (first - pad), 10 ** (last + pad))


def draw_layer_stats(fig, stds, histograms, title=""):
    """Top: the std of each layer's values (log scale, its ticks spanning them all). Below: one panel
    per quantity with histograms of a few layers (`LAYER_STYLES`: each visible where they coincide).
    The legends sit above their axes, off the data.

    stds: {label: (depth,) std per layer}, e.g. {"activations h": ..., "gradients dL/dh": ...};
    histograms: {label: (bin edges, {layer number: density over the bins})}, one panel each.
    """
    hand_layout(fig)  # drawn once per frame of an interactive figure: no layout engine
    top = fig.add_gridspec(1, 1, left=0.17, right=0.97, top=0.84, bottom=0.55)
    below = fig.add_gridspec(1, len(histograms), left=0.17, right=0.97, top=0.33, bottom=0.09,
                             wspace=0.12)
    ax_std = fig.add_subplot(top[0])
    for (label, values), color in zip(stds.items(), (COLORS["f"], COLORS["grad"])):
        ax_std.semilogy(np.arange(1, len(values) + 1), np.clip(values, 1e-30, None), "o-", ms=3, color=color,
                        label=label)
    ax_std.set_xlabel("layer", labelpad=1)
    ax_std.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5, integer=True))
    ax_std.set_ylabel("std", labelpad=2)
    values = np.clip(np.concatenate([np.ravel(v) for v in stds.values()]), 1e-30, None)
    ticks, limits = _decade_ticks(values.min(), values.max())
    ax_std.set_ylim(*limits)
    ax_std.set_yticks(ticks)
    ax_std.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=SMALL,
                  borderaxespad=0.2, handlelength=1.5, columnspacing=1.2)
    axes = [fig.add_subplot(below[0, i]) for i in range(len(histograms))]
    for ax, (label, (edges, densities)) in zip(axes, histograms.items()):
        for (layer, density), style in zip(densities.items(), LAYER_STYLES):
            ax.stairs(np.maximum(density * (edges[1] - edges[0]), 1e-30), edges, label=f"layer {layer}",
                      **style)
        ax.set_xlabel(label, labelpad=1)
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 1.5)
        ax.set_yticks([1e-4, 1e-2, 1])  # few ticks: drawing them is most of a frame's time
        ticks = [edges[0], 0, edges[-1]] if edges[0] < 0 else [0, edges[-1]]  # [0, m]: ReLU's h
        ax.set_xticks(ticks, [f"{t:.0e}" if t else "0" for t in ticks], fontsize=SMALL)
        labels = ax.get_xticklabels()
        labels[-1].set_horizontalalignment("right")  # inside the panel, clear of its neighbour's
        if edges[0] < 0:
            labels[0].set_horizontalalignment("left")
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)
    axes[0].set_ylabel("share per bin")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", bbox_to_anchor=(0.57, 0.35),
               ncols=3, fontsize=SMALL, handlelength=2.2, columnspacing=1.2)
    for ax in [ax_std, *axes]:
        ax.minorticks_off()  # log-axis minor ticks cost half of the drawing time
    fig.suptitle(title, y=0.985)
