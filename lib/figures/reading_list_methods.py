"""The figures of the reading list's second page: `figure(fig, **values)` draws into `fig` the runs
that `lib.experiments.reading_list_methods` computes (cached).
"""

import numpy as np

from lib.experiments.reading_list_methods import FIXUP_MAX_BLOCKS, LOTTERY_SEEDS, krahenbuhl, lottery_runs, stream_variances
from lib.figures.style import COLORS, LARGE, SMALL


STAGE_COLORS = {"Gaussian 0.01": "0.5", "within": COLORS["f"], "within+between": COLORS["grad"]}


def krahenbuhl_layers(fig, seed=0):
    """Per layer of the 20-layer ReLU net: the std of its pre-activations (left) and its change rate
    ||dW|| / ||W|| (right), after each of Krähenbühl et al.'s steps. The Gaussian start is left out:
    its values lie some 25 decades lower (the printed table), and on a common axis they would
    flatten the differences between the two steps to nothing.

    Used in: reading-list-methods § Data-dependent initialization (Krähenbühl et al., 2015)."""
    stats, rates, _, _ = krahenbuhl(seed)
    left, right = fig.subplots(1, 2)
    for stage in ("within", "within+between"):
        color = STAGE_COLORS[stage]
        layers = np.arange(1, len(rates[stage]) + 1)
        left.semilogy(layers, stats[stage][:, 1], "o-", ms=3, color=color, label=stage)
        right.semilogy(layers, rates[stage], "o-", ms=3, color=color, label=stage)
    left.set_title("std of the pre-activations z", fontsize=LARGE)
    right.set_title("change rate ||dW|| / ||W||", fontsize=LARGE)
    for ax in (left, right):
        ax.set_xlabel("layer")
        ax.set_xticks([1, 5, 10, 15, 20])
    right.set_ylim(top=30 * rates["within"].max())  # room for the legend
    right.legend(fontsize=SMALL, title_fontsize=SMALL, loc="upper right",
                title="(Gaussian 0.01: far below\nthe axes, see the table)")


def fixup_variance(fig, blocks=16, seed=0):
    """Var(x_i) / Var(x_0) through a residual MLP of `blocks` blocks (m = 2, width 64), He vs Fixup,
    with 2^i for reference; the same axes for every depth, so frames compare.

    Used in: reading-list-methods § Fixup."""
    if not 1 <= blocks <= FIXUP_MAX_BLOCKS:
        raise ValueError(f"blocks must be in 1..{FIXUP_MAX_BLOCKS}, got {blocks}")
    ax = fig.add_subplot()
    i = np.arange(blocks + 1)
    ax.semilogy(i, 2.0 ** i, "k:", label="$2^i$")
    for init, color in [("he", COLORS["grad"]), ("fixup", COLORS["f"])]:
        v = stream_variances(blocks, init, seed)
        ax.semilogy(i, v / v[0], "o-", ms=3, color=color, label=f"{init}: Var(x_L)/Var(x_0) = {v[-1] / v[0]:.3g}")
    ax.set_xlim(0, FIXUP_MAX_BLOCKS)
    ax.set_ylim(0.3, 2.0 ** (FIXUP_MAX_BLOCKS + 2))
    ax.minorticks_off()
    ax.set_xlabel("block i")
    ax.set_ylabel("Var($x_i$) / Var($x_0$)")
    ax.set_title(f"residual MLP, {blocks} blocks of 2 layers, at initialization")
    ax.legend(loc="upper left")


def lottery(fig, seeds=LOTTERY_SEEDS):
    """Test accuracy against the share of weights left: rewound tickets vs the same masks on a
    random re-initialization, plain and rescaled to the pruned fan-in; median over seeds (line) and
    each seed (dots).

    Used in: reading-list-methods § The lottery ticket hypothesis (Frankle & Carbin, 2019)."""
    runs = lottery_runs(seeds)
    ax = fig.add_subplot()
    percent = 100 * runs["remaining"][0]
    for key, color, label in [("ticket", COLORS["f"], r"rewound to $\theta_0$ (ticket)"),
                              ("random", COLORS["grad"], "same mask, random re-init"),
                              ("rescaled", COLORS["test"], "random re-init, times 1/sqrt(density)")]:
        acc = 100 * runs[key]
        ax.plot(percent, np.median(acc, axis=0), "o-", color=color, label=label)
        for row in acc:
            ax.plot(percent, row, ".", color=color, alpha=0.4)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xticks(percent, [f"{p:.1f}" for p in percent])  # rounded like the printed table
    ax.minorticks_off()
    ax.set_xlabel("weights remaining (%)")
    ax.set_ylim(top=100)  # room above the dense network's point
    ax.set_ylabel("test accuracy (%)")
    ax.legend(loc="lower left")
