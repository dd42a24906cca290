"""Scenes of the initialization chapter: `scene(fig, **values)` runs the experiment (cached) and draws it.
"""

import functools

import numpy as np

from lib.experiments.initialization import forward_through_layers
from lib.plotting import draw_layer_stats


@functools.lru_cache(maxsize=32)
def _init_experiment(init, activation, seed):
    """What `draw_init_experiment` shows, computed once per setting: (stds, edges, densities)."""
    layers = forward_through_layers(np.random.default_rng(seed), init, activation)
    shown = {i: layers[i - 1] for i in (1, 5, 10)}
    limit = max(1.05, max(float(np.percentile(np.abs(h), 99.5)) for h in shown.values()))
    edges = np.linspace(-limit, limit, 61)
    densities = {i: np.histogram(h, bins=edges, density=True)[0] for i, h in shown.items()}
    return np.array([h.std() for h in layers]), edges, densities


def layer_statistics(fig, init=0.01, activation="tanh", seed=0):
    """`draw_layer_stats` for N(0, 1) data through 10 layers of 512 units with this init and activation.

    init: a float std or an initializer name (see `lib.experiments.initialization.forward_through_layers`).
    """
    stds, edges, densities = _init_experiment(init, activation, seed)
    label = f"W ~ N(0, {init:.3g}^2)" if isinstance(init, float) else init
    draw_layer_stats(fig, stds, edges, densities, f"{activation}, {label}")
