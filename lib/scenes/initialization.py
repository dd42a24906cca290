"""Scenes of the initialization chapter: `scene(fig, **values)` runs the experiment (cached) and draws it."""

import functools

import numpy as np

from lib.experiments.initialization import deep_stack
from lib.plotting import draw_layer_stats

# The initializations the chapter's figure offers: raw stds on a log scale, then the named schemes.
INITS = [(f"std {std:.3g}", float(std)) for std in 10.0 ** np.array([-3.0, -2.0, -1.5, -1.0, 0.0])] + [
    ("Xavier/LeCun 1/sqrt(Din)", "lecun_normal"), ("Kaiming sqrt(2/Din)", "kaiming_normal")]


@functools.lru_cache(maxsize=128)
def _stack(init, activation, depth, width, seed):
    """The deep network's statistics for one setting, computed once: (stds, edges, densities)."""
    stack = deep_stack(np.random.default_rng(seed), init, activation, depth=depth, width=width, n=width)
    shown = {l: stack.hidden[l - 1] for l in sorted({1, (depth + 1) // 2, depth})}
    limit = max(1.05, max(float(np.percentile(np.abs(h), 99.5)) for h in shown.values()))
    edges = np.linspace(-limit, limit, 61)
    densities = {l: np.histogram(h, bins=edges, density=True)[0] for l, h in shown.items()}
    stds = {"activations h": np.array([h.std() for h in stack.hidden]),
            "gradients dL/dh": np.array([g.std() for g in stack.hidden_grads])}
    return stds, edges, densities


def layer_statistics(fig, activation="tanh", init=0.01, depth=10, width=256, seed=0):
    """Per-layer std of the activations and back-propagated gradients, and histograms of a few layers'
    activations, for N(0, 1) inputs through `depth` layers of `width` units.

    init: a float std or an initializer name (see `lib.experiments.initialization.deep_stack`).
    """
    stds, edges, densities = _stack(init, activation, depth, width, seed)
    label = f"W ~ N(0, {init:.3g}^2)" if isinstance(init, float) else init
    draw_layer_stats(fig, stds, edges, densities, f"{activation}, {label}, {depth} layers of {width}")
