"""Scenes of the initialization chapter: `scene(fig, **values)` runs the experiment (cached) and draws it."""

import functools

import numpy as np

from lib.experiments.initialization import deep_stack
from lib.plotting import draw_layer_stats

# The initializations the chapter's figure offers: raw stds on a log scale, then the named schemes.
INITS = [(f"std {std:g}", float(std)) for std in (0.01, 0.1, 1.0)] + [
    ("Xavier/LeCun 1/sqrt(Din)", "lecun_normal"), ("Kaiming sqrt(2/Din)", "kaiming_normal")]


def _histograms(layers, shown):
    """(bin edges, {layer: density}) for the shown layers, over a symmetric range that holds 99.5 % of
    their values (so a layer whose values collapsed shows as a spike at 0)."""
    limit = max(float(np.percentile(np.abs(layers[l - 1]), 99.5)) for l in shown) or 1.0
    edges = np.linspace(-limit, limit, 41)
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


def layer_statistics(fig, activation="tanh", init=0.01, depth=10, width=128, seed=0):
    """Per-layer std of the activations and back-propagated gradients, and histograms of both in the
    first, middle and last layer, for N(0, 1) inputs through `depth` layers of `width` units.

    init: a float std or an initializer name (see `lib.experiments.initialization.deep_stack`).
    """
    stds, histograms = _stack(init, activation, depth, width, seed)
    label = f"W ~ N(0, {init:.3g}^2)" if isinstance(init, float) else init
    draw_layer_stats(fig, stds, histograms, f"{activation}, {label}, {depth} layers of {width}")
