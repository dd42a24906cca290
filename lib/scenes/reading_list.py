"""Scenes of the reading list: `scene(fig, **values)` runs the reproduction (cached) and draws it."""

import functools

import numpy as np

from lib.experiments.reading_list import singular_values_by_depth
from lib.plotting import COLORS


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
