"""Small measurements the chapters run: signal through deep stacks, spectra, learning-rate sweeps.

Each returns plain numbers or arrays; `lib.plotting` draws them and the notebooks print them.
"""

import numpy as np

from lib import activations as act
from lib import initializers
from lib._validate import check_rng
from lib.network import MLP, train


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


def singular_values_by_depth(rng, init, max_depth, width=64):
    """Singular values of W_1 W_2 ... W_d for every depth d = 1..max_depth; shape (max_depth, width).

    A depth-d linear network maps a row x to x W_1 ... W_d, so this product of d random
    (width, width) matrices is its input-output Jacobian (Saxe et al. 2013). Values near 1 mean signals and gradients keep their size in every
    direction; a wide spread means some directions explode and others vanish. Row d - 1 uses the
    first d matrices drawn, so one call serves every depth.
    """
    check_rng(rng)
    make = initializers.resolve(init)
    product, rows = np.eye(width), []
    for _ in range(max_depth):
        product = product @ make((width, width), rng)
        rows.append(np.linalg.svd(product, compute_uv=False))
    return np.array(rows)


def final_losses_over_learning_rates(X, y, learning_rates, seed=0, steps=200, sizes=None):
    """Final training loss of a freshly seeded softmax classifier for each learning rate.

    sizes defaults to [D, C] (multinomial logistic regression). A diverged run reports its (huge or
    non-finite) final loss: that is the measurement, not an error.
    """
    sizes = sizes or [X.shape[1], int(np.max(y)) + 1]
    losses = []
    for lr in learning_rates:
        rng = np.random.default_rng(seed)
        net = MLP(sizes, rng, init=0.01)
        with np.errstate(over="ignore", invalid="ignore"):
            history = train(net, X, y, rng, steps=steps, lr=lr)["loss"]
        losses.append(history[-1])
    return np.array(losses)
