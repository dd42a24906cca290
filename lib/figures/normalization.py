"""The figures of the normalization page: `figure(fig, ...)` draws into `fig` what
`lib.experiments.normalization` and `lib.propagation` compute (the training snapshots cached).
"""

import functools

import numpy as np
from matplotlib.ticker import LogLocator

from lib import data
from lib.experiments.normalization import MAP_STEPS, NORMS, sizes, trainability_map
from lib.figures.style import COLORS, SMALL, hand_layout
from lib.network import MLP, train

STD_STYLES = {0.01: ":", 0.05: "--", 1.0: "-"}


def layer_stds(fig, tables):
    """Per layer, the std of the activations h (top) and of the gradients dLoss/dh (bottom), log
    scale: one line per (init std, norm), without normalization in red, with BN in blue; the legend
    above the panels (a column per norm), so it covers no line.

    tables: {(std, norm label): (depth, 4) array of `lib.propagation.DeepStack.table()`}.

    Used in: normalization § Why normalize inside the network."""
    top, bottom = fig.subplots(2, 1, sharex=True)
    # the no-norm lines first: they fill the legend's left column, BN's its right one
    for (std, label), table in sorted(tables.items(), key=lambda item: item[0][1] != "no norm"):
        color = COLORS["grad"] if label == "no norm" else COLORS["f"]
        layers = np.arange(1, len(table) + 1)
        for ax, column in ((top, 1), (bottom, 2)):
            ax.semilogy(layers, np.clip(table[:, column], 1e-30, None), STD_STYLES.get(std, "-"),
                        marker="o", ms=3, color=color, label=f"{label}, std {std:g}")
    top.set_title("std of activations h")
    bottom.set_title("std of gradients dL/dh")
    bottom.set_xlabel("layer")
    for ax in (top, bottom):
        ax.yaxis.set_major_locator(LogLocator(numticks=5))
        ax.minorticks_off()
    handles, labels = top.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, fontsize=SMALL)


# The interactive figure: deep tanh networks during training, each at its best rate from the map;
# its frames are every (norm, std, step) below.
FIGURE_DEPTH = 10
FIGURE_NORMS = ("no norm", "BN")
FIGURE_STDS = (0.01, 0.5)
FIGURE_STEPS = (0, MAP_STEPS)
SHOWN_LAYERS = (1, 5, 9)
SHARE_EDGES = np.linspace(-1, 1, 41)  # 40 bins of width 0.05 over tanh's range


@functools.lru_cache(maxsize=8)
def _training_snapshots(norm_label, std, seed=0):
    """({step: [h_1, ..., h_9]} for steps in FIGURE_STEPS, the rate): the hidden activations, on the first 256
    training digits in training mode, of the map's depth-10 tanh network with init `std` and
    `norm_label` ("no norm" or "BN"), trained at that cell's best rate (`trainability_map`)."""
    X, _, y, _ = data.standardized_digits()
    lr = trainability_map()[FIGURE_DEPTH, std][norm_label].best_rate
    rng = np.random.default_rng(seed)
    net = MLP(sizes(FIGURE_DEPTH), rng, "tanh", init=std, norm=NORMS[norm_label])
    snapshots, done = {}, 0
    for step in FIGURE_STEPS:
        if step > done:
            train(net, X, y, rng, steps=step - done, lr=lr, batch_size=64)
            done = step
        net.forward(X[:256])
        snapshots[step] = [h.copy() for h in net.hidden]
    return snapshots, lr


def _bin_shares(h):
    """(40,): the share of h's values (any shape, in [-1, 1]) in each bin of SHARE_EDGES,
    share_k = #{h in bin k} / h.size."""
    counts, _ = np.histogram(h, bins=SHARE_EDGES)
    return counts / h.size


@functools.lru_cache(maxsize=1)
def _player_ranges():
    """((lo, hi), (lo, hi)): the log y ranges of the player's left panel (the std of each hidden
    layer) and right panel (the nonzero shares per bin of SHOWN_LAYERS), the same in every frame so
    that frames compare: from half the smallest to twice the largest value over all frames,
    FIGURE_NORMS x FIGURE_STDS x FIGURE_STEPS, so each holds every frame's points. Computed once:
    every frame the player draws needs them."""
    stds, shares = [], []
    for norm in FIGURE_NORMS:
        for std in FIGURE_STDS:
            for hidden in _training_snapshots(norm, std)[0].values():
                stds += [h.std() for h in hidden]
                shares += [_bin_shares(hidden[layer - 1]) for layer in SHOWN_LAYERS]
    shares = np.concatenate(shares)
    shares = shares[shares > 0]
    return (min(stds) / 2, max(stds) * 2), (shares.min() / 2, shares.max() * 2)


def activation_histograms(fig, norm="BN", std=0.01, step=0):
    """Left: the std of each hidden layer's tanh outputs; right: the share of their values per bin
    (`_bin_shares`) in layers 1, 5 and 9, of the depth-10 digits network after `step` SGD steps
    (`_training_snapshots`). Both y axes log, their ranges those of every frame (`_player_ranges`):
    a spike of half the values at 0 and BN's spread of a few % per bin both show. The legend of the
    shown layers is a row under the title, laid out for the player's 5 x 3.6 in.

    Used in: normalization § Try it."""
    for name, value, values in (("norm", norm, FIGURE_NORMS), ("std", std, FIGURE_STDS),
                                ("step", step, FIGURE_STEPS)):
        if value not in values:
            raise ValueError(f"{name} must be one of the player's {values}, got {value!r}")
    snapshots, lr = _training_snapshots(norm, std)
    hidden = snapshots[step]
    std_range, share_range = _player_ranges()
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.3]})
    color = COLORS["grad"] if norm == "no norm" else COLORS["f"]
    left.semilogy(np.arange(1, len(hidden) + 1), [h.std() for h in hidden], "o-", ms=3, color=color)
    left.set_ylim(*std_range)
    left.yaxis.set_major_locator(LogLocator(numticks=5))
    left.set_xticks(SHOWN_LAYERS)
    left.set_xlabel("hidden layer")
    left.set_title("std of h")
    for layer, alpha in zip(SHOWN_LAYERS, (0.35, 0.65, 1.0)):
        right.stairs(_bin_shares(hidden[layer - 1]), SHARE_EDGES, color=color, alpha=alpha, lw=1.5,
                     label=f"layer {layer}")
    right.set_yscale("log")
    right.set_ylim(*share_range)
    right.set_xlabel("h = tanh(.)")
    right.set_title("share of values per bin")
    for ax in (left, right):
        ax.minorticks_off()
    fig.suptitle(f"{norm}, W ~ N(0, {std:g}^2), lr {lr:g}, after {step} steps", y=0.99)
    # a row under the title, above the panels: in either panel it would cover some frame's data
    fig.legend(*right.get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, 0.92),
               ncols=len(SHOWN_LAYERS), fontsize=SMALL, handlelength=1.5, columnspacing=1.5)
    hand_layout(fig)
    fig.subplots_adjust(left=0.15, right=0.98, bottom=0.15, top=0.75, wspace=0.35)
