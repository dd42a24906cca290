"""Measurements of the initialization chapter: the signal through deep stacks of layers.
"""

from lib import activations as act
from lib import initializers
from lib._validate import check_rng


def forward_through_layers(rng, init, activation="tanh", depth=10, width=512, n=200):
    """Push N(0, 1) inputs through `depth` square dense layers (no bias), like the lecture notes' plot.

    h_0 ~ N(0, 1) of shape (n, width); h_l = f(h_{l-1} @ W_l) with W_l = init((width, width), rng).
    init: an initializer name, a float std, or a callable (see `initializers.resolve`).
    Returns the list [h_1, ..., h_depth], each (n, width).
    """
    check_rng(rng)
    make, f = initializers.resolve(init), act.get_activation(activation).f
    h = rng.standard_normal((n, width))
    layers = []
    for _ in range(depth):
        h = f(h @ make((width, width), rng))
        layers.append(h)
    return layers
