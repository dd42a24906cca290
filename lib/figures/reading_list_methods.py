"""The figures of the reading list's second page: `figure(fig, **values)` draws into `fig` the runs
that `lib.experiments.reading_list_methods` computes (cached).
"""

import numpy as np

from lib.experiments.reading_list_methods import FIXUP_MAX_BLOCKS, LOTTERY_SEEDS, krahenbuhl, lottery_runs, stream_variances
from lib.figures.style import COLORS, LARGE, SMALL


STAGE_COLORS = {"Gaussian 0.01": "0.5", "within": COLORS["f"], "within+between": COLORS["grad"]}


def krahenbuhl_layers(fig, seed=0):
    """Per layer of the 20-layer ReLU net: the std of its pre-activations (top) and its change rate
    ||dW|| / ||W|| (bottom), after each of Krähenbühl et al.'s steps, with the legend above both. The
    Gaussian start is left out: its values lie some 25 decades lower (the printed table), and on a
    common axis they would flatten the differences between the two steps to nothing.

    Used in: reading-list-methods § Data-dependent initialization (Krähenbühl et al., 2015)."""
    stats, rates, _, _ = krahenbuhl(seed)
    top, bottom = fig.subplots(2, 1, sharex=True)
    for stage in ("within", "within+between"):
        color = STAGE_COLORS[stage]
        layers = np.arange(1, len(rates[stage]) + 1)
        top.semilogy(layers, stats[stage][:, 1], "o-", ms=3, color=color, label=stage)
        bottom.semilogy(layers, rates[stage], "o-", ms=3, color=color)
    top.set_title("std of the pre-activations z", fontsize=LARGE)
    bottom.set_title("change rate ||dW|| / ||W||", fontsize=LARGE)
    bottom.set_xlabel("layer")
    bottom.set_xticks([1, 5, 10, 15, 20])
    for ax in (top, bottom):
        ax.minorticks_off()
        ax.tick_params(labelsize=SMALL)
    fig.legend(loc="outside upper center", ncols=2, fontsize=SMALL, title_fontsize=SMALL,
               title="Gaussian 0.01: far below the axes (see the table)")


def fixup_variance(fig, blocks=16, seed=0):
    """Var(x_i) / Var(x_0) through a residual MLP of `blocks` blocks (m = 2, width 64), He vs Fixup,
    with 2^i for reference; the same axes for every depth, so frames compare. The legend, above the
    axes, gives each start's Var(x_L) / Var(x_0) after the last block; the depth L = blocks is stated
    once, in the axes title.

    Used in: reading-list-methods § Fixup."""
    if not 1 <= blocks <= FIXUP_MAX_BLOCKS:
        raise ValueError(f"blocks must be in 1..{FIXUP_MAX_BLOCKS}, got {blocks}")
    ax = fig.add_subplot()
    i = np.arange(blocks + 1)
    ax.semilogy(i, 2.0 ** i, "k:", label="$2^i$")
    for init, name, color in [("he", "He", COLORS["grad"]), ("fixup", "Fixup", COLORS["f"])]:
        v = stream_variances(blocks, init, seed)
        ax.semilogy(i, v / v[0], "o-", ms=3, color=color, label=f"{name}: {v[-1] / v[0]:.3g}")
    ax.set_xlim(0, FIXUP_MAX_BLOCKS)
    ax.set_ylim(0.3, 2.0 ** (FIXUP_MAX_BLOCKS + 2))
    ax.minorticks_off()
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("block i")
    ax.set_ylabel("Var($x_i$) / Var($x_0$)")
    ax.set_title(f"L = {blocks} blocks of 2 layers, at initialization", fontsize=LARGE)
    fig.legend(loc="outside upper center", ncols=3, fontsize=SMALL, title_fontsize=SMALL,
               title="Var($x_L$) / Var($x_0$) after the last block")  # L: in the title only


def lottery(fig, seeds=LOTTERY_SEEDS):
    """Test accuracy against the share of weights left: rewound tickets vs the same masks on a
    random re-initialization, plain and rescaled to the pruned fan-in; median over seeds (line) and
    each seed (dots); the legend above the axes.

    Used in: reading-list-methods § The lottery ticket hypothesis (Frankle & Carbin, 2019)."""
    runs = lottery_runs(seeds)
    ax = fig.add_subplot()
    percent = 100 * runs["remaining"][0]
    for key, color, label in [("ticket", COLORS["f"], r"ticket: rewound to $\theta_0$"),
                              ("random", COLORS["grad"], "same mask, random re-init"),
                              ("rescaled", COLORS["test"], "random re-init / sqrt(density)")]:
        acc = 100 * runs[key]
        ax.plot(percent, np.median(acc, axis=0), "o-", color=color, label=label)
        for row in acc:
            ax.plot(percent, row, ".", color=color, alpha=0.4)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xticks(percent, [f"{p:.1f}" for p in percent])  # rounded like the printed table
    ax.minorticks_off()
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("weights remaining (%)")
    ax.set_ylim(top=100)  # room above the dense network's point
    ax.set_ylabel("test accuracy (%)")
    fig.legend(loc="outside upper center", fontsize=SMALL)
