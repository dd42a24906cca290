"""Scenes of the reading list: `scene(fig, **values)` runs the reproduction (cached) and draws it."""

import functools

import numpy as np

from lib.experiments.initialization import deep_stack
from lib.experiments.reading_list import (log_norm_walk, singular_values_by_depth, standard_uniform,
                                          sussillo_abbott_gain)
from lib.experiments.reading_list import (init_training_comparison, krahenbuhl_stages, lottery_ticket,
                                          residual_stream_variances, standardized_digits)
from lib.plotting import COLORS, LARGE, SMALL


MAX_DEPTH = 64


@functools.lru_cache(maxsize=16)
def _singular_values(init, width, seed):
    """Singular values for every depth up to MAX_DEPTH, computed once per init."""
    return singular_values_by_depth(np.random.default_rng(seed), init, MAX_DEPTH, width)


def singular_values(fig, depth=10, width=64, seed=0):
    """Histogram of the singular values of a depth-layer linear map (depth <= 64): Gaussian vs orthogonal."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be in 1..{MAX_DEPTH}, got {depth}")
    ax = fig.add_subplot()
    inits = [("lecun_normal", COLORS["grad"]), ("orthogonal", COLORS["f"])]
    # one x range for every depth (down to the smallest value at MAX_DEPTH), so frames compare
    low = min(np.floor(np.log10(_singular_values(init, width, seed).min())) for init, _ in inits)
    for init, color in inits:
        s = _singular_values(init, width, seed)[depth - 1]
        counts, edges = np.histogram(np.log10(s), bins=80, range=(low, 5))
        ax.stairs(counts, edges, fill=True, color=color, alpha=0.6, label=f"{init}: max/min = {s.max() / s.min():.3g}")
    ax.set_xlabel("log10 singular value of $W_1 \\cdots W_L$")
    ax.minorticks_off()
    ax.set_ylabel("count")
    ax.set_title(f"depth {depth}, width {width}")
    ax.legend(loc="upper left")


# --- Glorot & Bengio 2010 ------------------------------------------------------------------------

GLOROT_INITS = {"standard U[-1/sqrt(n), 1/sqrt(n)]": standard_uniform, "normalized (Glorot)": "xavier_uniform"}


@functools.lru_cache(maxsize=4)
def _glorot_runs(depth, width, n, seed):
    return {label: deep_stack(np.random.default_rng(seed), init, "tanh", depth=depth, width=width, n=n)
            for label, init in GLOROT_INITS.items()}


def glorot_runs(depth=5, width=1000, n=100, seed=0):
    """{init label: DeepStack} for N(0, 1) inputs (n, width) through `depth` tanh layers of `width`
    units with each of GLOROT_INITS (one forward and backward pass each), computed once (the
    chapter prints from it and its figure draws it)."""
    return _glorot_runs(depth, width, n, seed)


def glorot_layer_stds(fig, depth=5, width=1000, n=100, seed=0):
    """Per layer, for both of Glorot & Bengio's initializations: the std of the tanh activations
    (left) and of the back-propagated gradients dL/dh, relative to the top layer's (right)."""
    runs = glorot_runs(depth, width, n, seed)
    left, right = fig.subplots(1, 2)
    layers = np.arange(1, depth + 1)
    for (label, stack), color in zip(runs.items(), [COLORS["grad"], COLORS["f"]]):
        table = stack.table()
        left.semilogy(layers, table[:, 1], "o-", color=color, label=label)
        right.semilogy(layers, table[:, 2] / table[-1, 2], "o-", color=color, label=label)
    right.semilogy(layers, np.sqrt(1 / 3) ** (depth - layers), "k:", label="std x sqrt(1/3) per layer")
    for ax, title in [(left, "activations: std of h"), (right, "gradients: std of dL/dh / top")]:
        ax.set_xlabel("layer")
        ax.set_xticks(layers)
        ax.minorticks_off()
        low, high = ax.get_ylim()
        ticks = [t for t in (0.02, 0.05, 0.1, 0.2, 0.5, 1.0) if low <= t <= high]
        ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
        ax.set_title(title, fontsize=SMALL)
    left.legend(*right.get_legend_handles_labels(), loc="lower left", fontsize=SMALL)


# --- Sussillo & Abbott 2014 ----------------------------------------------------------------------

# The walks the figure offers: (label, (activation, gain rule)).
WALKS = [("linear, g = 1", ("linear", "one")), ("linear, g = exp(1/(2N))", ("linear", "sussillo")),
         ("ReLU, g = sqrt(2)", ("relu", "he")), ("ReLU, Sussillo-Abbott g", ("relu", "sussillo"))]

WALK_DEPTH = 100


def walk_gain(activation, rule, width):
    """The gain g of a rule: "one" (1), "he" (sqrt(2)) or "sussillo" (`sussillo_abbott_gain`)."""
    if rule == "sussillo":
        return sussillo_abbott_gain(width, activation)
    return {"one": 1.0, "he": float(np.sqrt(2.0))}[rule]


@functools.lru_cache(maxsize=16)
def _log_norm_walks(activation, rule, width, walks, seed):
    return log_norm_walk(np.random.default_rng(seed), activation, walk_gain(activation, rule, width),
                         WALK_DEPTH, width, walks)


def log_norm_walks(activation, rule, width=20, walks=200, seed=0):
    """ln |delta| - ln |delta_top| after 0..WALK_DEPTH layers, (walks, WALK_DEPTH + 1), for one
    (activation, gain rule) of WALKS, computed once (the chapter prints from it and its figure
    draws it)."""
    return _log_norm_walks(activation, rule, width, walks, seed)


@functools.lru_cache(maxsize=4)
def _walk_range(width, walks, seed):
    """The y range of every frame: the 1st to 99th percentile of all walks of WALKS."""
    everything = np.concatenate([log_norm_walks(*w, width, walks, seed) for _, w in WALKS])
    return tuple(np.percentile(everything, [1, 99]))


def random_walks(fig, walk=("relu", "he"), depth=WALK_DEPTH, width=20, walks=200, seed=0, shown=25):
    """`shown` walks of log |delta| down `depth` layers (thin lines), their mean (thick) and mean +-
    one std (band), for one (activation, gain rule) of WALKS; the same y range for every walk."""
    if not 1 <= depth <= WALK_DEPTH:
        raise ValueError(f"depth must be in 1..{WALK_DEPTH}, got {depth}")
    logs = log_norm_walks(*walk, width, walks, seed)[:, : depth + 1]
    low, high = _walk_range(width, walks, seed)
    ax = fig.add_subplot()
    layers = np.arange(depth + 1)
    mean, std = logs.mean(axis=0), logs.std(axis=0)
    ax.plot(layers, logs[:shown].T, color=COLORS["f"], lw=0.6, alpha=0.5)
    ax.fill_between(layers, mean - std, mean + std, color=COLORS["grad"], alpha=0.2, label="mean +- std")
    ax.plot(layers, mean, color=COLORS["grad"], lw=2, label="mean")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xlim(0, WALK_DEPTH)
    ax.set_ylim(low, high)
    ax.set_xlabel("layers back from the top")
    ax.set_ylabel("ln |delta| - ln |delta_top|")
    label = next(label for label, w in WALKS if w == tuple(walk))
    if walk[1] == "sussillo":
        label += f" = {walk_gain(*walk, width):.4f}"
    ax.set_title(f"{label}, N = {width}: after {depth} layers mean {mean[-1]:+.2f}, std {std[-1]:.2f}",
                 fontsize=SMALL)
    ax.legend(loc="lower left", fontsize=SMALL)


# --- Page 2, initialization methods ------------------------------------------------------------

METHOD_SEEDS = (0, 1)
LOTTERY_SEEDS = (0, 1, 2)
FIXUP_MAX_BLOCKS = 32
STAGE_COLORS = {"Gaussian 0.01": "0.5", "within": COLORS["f"], "within+between": COLORS["grad"]}


@functools.lru_cache(maxsize=1)
def digits_batch(rows=256):
    """The first `rows` standardized training digits: the batch the data-dependent inits look at."""
    return standardized_digits()[0][:rows]


def krahenbuhl(seed=0):
    """`krahenbuhl_stages` on `digits_batch()`, computed once per seed."""
    return _krahenbuhl(seed)


@functools.lru_cache(maxsize=2)
def _krahenbuhl(seed):
    return krahenbuhl_stages(digits_batch(), seed)


def method_comparison(methods, seeds=METHOD_SEEDS):
    """`init_training_comparison` for a tuple of methods and seeds, computed once."""
    return _method_comparison(tuple(methods), tuple(seeds))


@functools.lru_cache(maxsize=4)
def _method_comparison(methods, seeds):
    return init_training_comparison(methods, seeds)


def krahenbuhl_layers(fig, seed=0):
    """Per layer of the 20-layer ReLU net: the std of its pre-activations (left) and its change rate
    ||dW|| / ||W|| (right), for the Gaussian start and after each of Krähenbühl et al.'s steps."""
    stats, rates, _, _ = krahenbuhl(seed)
    left, right = fig.subplots(1, 2)
    for stage, color in STAGE_COLORS.items():
        layers = np.arange(1, len(rates[stage]) + 1)
        left.semilogy(layers, stats[stage][:, 1], "o-", ms=3, color=color, label=stage)
        right.semilogy(layers, rates[stage], "o-", ms=3, color=color, label=stage)
    left.set_title("std of the pre-activations z", fontsize=LARGE)
    right.set_title("change rate ||dW|| / ||W||", fontsize=LARGE)
    for ax in (left, right):
        ax.set_xlabel("layer")
        ax.minorticks_off()
    left.legend(fontsize=SMALL)


def stream_variances(blocks, init, seed=0):
    """Var(x_0..x_blocks) of `residual_stream_variances` on `digits_batch()`, computed once."""
    return _stream_variances(blocks, init, seed)


@functools.lru_cache(maxsize=2 * (FIXUP_MAX_BLOCKS + 1))
def _stream_variances(blocks, init, seed):
    return residual_stream_variances(digits_batch(), blocks, init, seed)


def fixup_variance(fig, blocks=16, seed=0):
    """Var(x_i) / Var(x_0) through a residual MLP of `blocks` blocks (m = 2, width 64), He vs Fixup,
    with 2^i for reference; the same axes for every depth, so frames compare."""
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


def lottery_runs(seeds=LOTTERY_SEEDS):
    """{key: (seeds, rounds + 1) array} from `lottery_ticket` for each seed, computed once."""
    return _lottery_runs(tuple(seeds))


@functools.lru_cache(maxsize=2)
def _lottery_runs(seeds):
    runs = [lottery_ticket(seed) for seed in seeds]
    return {key: np.array([run[key] for run in runs]) for key in runs[0]}


def lottery(fig, seeds=LOTTERY_SEEDS):
    """Test accuracy against the share of weights left: rewound tickets vs the same masks on a
    random re-initialization; median over seeds (line) and each seed (dots)."""
    runs = lottery_runs(seeds)
    ax = fig.add_subplot()
    percent = 100 * runs["remaining"][0]
    for key, color, label in [("ticket", COLORS["f"], r"rewound to $\theta_0$ (ticket)"),
                              ("random", COLORS["grad"], "same mask, random re-init")]:
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
