"""The figures of the reading list's first page: `figure(fig, **values)` draws into `fig` the runs
that `lib.experiments.reading_list` computes (cached).
"""

import functools

import numpy as np

from lib.experiments.reading_list import (SAXE_MODES, WALK_DEPTH, WALKS, glorot_runs, log_norm_walks, saxe_modes, sigmoid_saturation,
                                          singular_values_by_depth, walk_gain)
from lib.figures.style import COLORS, SMALL, hand_layout


MAX_DEPTH = 64


@functools.lru_cache(maxsize=16)
def _singular_values(init, width, seed):
    """Singular values for every depth up to MAX_DEPTH, computed once per init."""
    return singular_values_by_depth(np.random.default_rng(seed), init, MAX_DEPTH, width)


def singular_values(fig, depth=10, width=64, seed=0):
    """Histogram of the singular values of a depth-layer linear map (depth <= 64): Gaussian (LeCun's
    variance, red bars) vs orthogonal (a blue outlined spike at 1, drawn on top, so that the Gaussian
    bars at small depths show through it); one x range for every depth; the legend in the upper
    left, clear of the bars at every depth.

    Used in: reading-list § Saxe et al., 2013."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be in 1..{MAX_DEPTH}, got {depth}")
    hand_layout(fig)  # drawn again for every depth off the player's grid: no layout engine
    fig.subplots_adjust(left=0.116, right=0.99, bottom=0.166, top=0.92)  # what constrained layout chose
    ax = fig.add_subplot()
    inits = [("lecun_normal", "Gaussian", COLORS["grad"]), ("orthogonal", "orthogonal", COLORS["f"])]
    # one x range for every depth (down to the smallest value at MAX_DEPTH), so frames compare
    low = min(np.floor(np.log10(_singular_values(init, width, seed).min())) for init, _, _ in inits)
    for init, name, color in inits:
        s = _singular_values(init, width, seed)[depth - 1]
        counts, edges = np.histogram(np.log10(s), bins=80, range=(low, 5))
        label = f"{name}: max/min = {s.max() / s.min():.3g}"
        if init == "orthogonal":  # one spike, outlined on top: the Gaussian bars show through it
            spike = counts > 0
            ax.bar(edges[:-1][spike], counts[spike], np.diff(edges)[spike], align="edge", fill=False,
                   edgecolor=color, lw=2, zorder=3, label=label)
        else:
            ax.stairs(counts, edges, fill=True, color=color, alpha=0.6, label=label)
    ax.set_xlabel("log10 singular value of $W_1 \\cdots W_L$")
    ax.minorticks_off()
    ax.set_ylabel("count")
    ax.set_title(f"depth {depth}, width {width}")
    ax.legend(loc="upper left")


# --- Glorot & Bengio 2010 ------------------------------------------------------------------------


def glorot_layer_stds(fig, depth=5, width=1000, n=100, seed=0):
    """Per layer, for both of Glorot & Bengio's initializations: the std of the tanh activations
    (top panel) and of the back-propagated gradients dL/dh, relative to the top layer's (bottom
    panel), one above the other so each reads at a phone's width; the legend above both.

    Used in: reading-list § Glorot & Bengio, 2010."""
    runs = glorot_runs(depth, width, n, seed)
    top, bottom = fig.subplots(2, 1, sharex=True)
    layers = np.arange(1, depth + 1)
    for (label, stack), color in zip(runs.items(), [COLORS["grad"], COLORS["f"]]):
        table = stack.table()
        top.semilogy(layers, table[:, 1], "o-", color=color, label=label)
        bottom.semilogy(layers, table[:, 2] / table[-1, 2], "o-", color=color)
    bottom.semilogy(layers, np.sqrt(1 / 3) ** (depth - layers), "k:", label="std x sqrt(1/3) per layer")
    for ax, title in [(top, "activations: std of h"), (bottom, "gradients: std of dL/dh / top")]:
        ax.set_xticks(layers)
        ax.minorticks_off()
        low, high = ax.get_ylim()
        ticks = [t for t in (0.02, 0.05, 0.1, 0.2, 0.5, 1.0) if low <= t <= high]
        ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
        ax.tick_params(labelsize=SMALL)
        ax.set_title(title, fontsize=SMALL)
    bottom.set_xlabel("layer")
    handles = [h for ax in (top, bottom) for h in ax.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside upper center", fontsize=SMALL)


# --- Sussillo & Abbott 2014 ----------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _walk_range(width, walks, seed, shown):
    """The y range of every frame: all that any frame draws (the `shown` walks and mean +- std of
    every walk of WALKS, to WALK_DEPTH; a shallower frame draws a part of it), 5 % added each side."""
    drawn = []
    for _, walk in WALKS:
        logs = log_norm_walks(*walk, width, walks, seed)
        mean, std = logs.mean(axis=0), logs.std(axis=0)
        drawn += [logs[:shown].ravel(), mean - std, mean + std]
    low, high = np.min(np.concatenate(drawn)), np.max(np.concatenate(drawn))
    return low - 0.05 * (high - low), high + 0.05 * (high - low)


def random_walks(fig, walk=("relu", "he"), depth=WALK_DEPTH, width=20, walks=200, seed=0, shown=25):
    """`shown` walks of log |delta| down `depth` layers (thin lines), their mean (thick) and mean +-
    one std (band), for one (activation, gain rule) of WALKS; the same y range for every walk and depth,
    holding all of each frame's walks and band. The
    legend, above the axes, names the walk and its depth in its title, and gives the mean and the
    std after the last layer.

    Used in: reading-list § Sussillo & Abbott, 2014."""
    if not 1 <= depth <= WALK_DEPTH:
        raise ValueError(f"depth must be in 1..{WALK_DEPTH}, got {depth}")
    logs = log_norm_walks(*walk, width, walks, seed)[:, : depth + 1]
    low, high = _walk_range(width, walks, seed, shown)
    ax = fig.add_subplot()
    layers = np.arange(depth + 1)
    mean, std = logs.mean(axis=0), logs.std(axis=0)
    lines = ax.plot(layers, logs[:shown].T, color=COLORS["f"], lw=0.6, alpha=0.5)
    lines[0].set_label(f"{shown} walks")
    ax.plot(layers, mean, color=COLORS["grad"], lw=2, label=f"mean: {mean[-1]:+.2f}")
    ax.fill_between(layers, mean - std, mean + std, color=COLORS["grad"], alpha=0.2,
                    label=f"+- std: {std[-1]:.2f}")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xlim(0, WALK_DEPTH)
    ax.set_ylim(low, high)
    ax.set_xlabel("layers back from the top")
    ax.set_ylabel("ln |delta| - ln |delta_top|")
    label = next(label for label, w in WALKS if w == tuple(walk))
    if walk[1] == "sussillo":
        label += f" = {walk_gain(*walk, width):.4f}"
    # above the axes: the walks fill the lower left too at depth 100
    fig.legend(loc="outside upper center", ncols=3, fontsize=SMALL,
               title=f"{label}: after {depth} layers", title_fontsize=SMALL)


def sigmoid_layer_means(fig):
    """Mean activation of each hidden layer of the sigmoid MLP over training steps (Glorot &
    Bengio's Figure 2), with the test accuracy (dashed); the legend above the axes.

    Used in: reading-list § Glorot & Bengio, 2010."""
    run = sigmoid_saturation()
    ax = fig.add_subplot()
    for l in range(run["means"].shape[1]):
        ax.plot(run["steps"], run["means"][:, l], lw=1.5, label=f"layer {l + 1}")
    ax.plot(run["steps"], run["accuracy"], "k--", lw=1, label="test accuracy")
    ax.set_ylim(0, 1)
    ax.set_xlabel("SGD step")
    ax.set_ylabel("mean activation, accuracy")
    fig.legend(loc="outside upper center", ncols=3, fontsize=SMALL)


def saxe_mode_curves(fig):
    """The strength of each of the teacher's modes in a deep linear network over gradient-descent
    steps (solid), and Saxe et al.'s exact curves (dashed): plateaus, then sudden rises, the
    stronger modes first; the legend above the axes.

    Used in: reading-list § Saxe et al., 2013."""
    run = saxe_modes()
    ax = fig.add_subplot()
    steps = np.arange(len(run["measured"]))
    for i, s in enumerate(SAXE_MODES["strengths"]):
        line, = ax.plot(steps, run["measured"][:, i], lw=2, label=f"s = {s:g}")
        ax.plot(steps, run["exact"][:, i], "--", lw=1, color=line.get_color())
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("mode strength $u_i^T W_1 W_2 v_i$")
    fig.legend(loc="outside upper center", ncols=4, fontsize=SMALL,
               title="mode s: solid measured, dashed exact", title_fontsize=SMALL)
