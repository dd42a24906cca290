"""Signals and gradients through deep stacks of layers at initialization: what the initialization
chapter measures and the activations and reading-list pages reuse.

Shapes follow `lib.network`: a batch is (N, D), a dense weight (D_in, D_out), used as `h @ W`.
"""

from dataclasses import dataclass

import numpy as np

from lib import activations as act
from lib import initializers
from lib._validate import check_rng
from lib.network import MLP


def forward_through_layers(rng, init, activation="tanh", depth=10, width=512, n=200, standardize=False):
    """Push N(0, 1) inputs through `depth` square dense layers (no bias), like the lecture notes' plot.

    h_0 ~ N(0, 1) of shape (n, width); z_l = h_{l-1} @ W_l with W_l = init((width, width), rng);
    h_l = f(z_l). standardize=True first maps every unit's z_l to mean 0, std 1 over the batch (a
    normalization layer with no learned scale, as batch normalization at the start of training).
    init: an initializer name, a float std, or a callable (see `initializers.resolve`).
    Returns the list [h_1, ..., h_depth], each (n, width).

    Used in: activations-beyond-relu § Activation functions § SELU; initialization § Beyond Xavier and Kaiming
        § Weight initialization § Xavier.
    """
    check_rng(rng)
    make, f = initializers.resolve(init), act.get_activation(activation).f
    h = rng.standard_normal((n, width))
    layers = []
    for _ in range(depth):
        z = h @ make((width, width), rng)
        if standardize:
            z = (z - z.mean(axis=0)) / z.std(axis=0)
        h = f(z)
        layers.append(h)
    return layers


@dataclass
class DeepStack:
    """One forward and backward pass through a deep network, layer by layer (index 0 is layer 1).

    hidden[l], pre_activations[l]: h_{l+1} and z_{l+1}, each (n, width);
    hidden_grads[l]: dLoss/dh_{l+1} (n, width), the gradient back-propagated to layer l + 1;
    weight_grads[l]: dLoss/dW_{l+1} (fan_in, width), the gradient a weight update would use.
    """

    hidden: list
    pre_activations: list
    hidden_grads: list
    weight_grads: list

    def table(self):
        """Per layer: (mean of h, std of h, std of dLoss/dh, std of dLoss/dW), an array (depth, 4)."""
        return np.array([[h.mean(), h.std(), dh.std(), dW.std()]
                         for h, dh, dW in zip(self.hidden, self.hidden_grads, self.weight_grads)])


def deep_stack(rng, init, activation="tanh", depth=10, width=500, n=1000, classes=10, norm=None):
    """The lecture's experiment, backward too: N(0, 1) inputs (n, width) through `depth` hidden layers
    of `width` units (weights from `init`, zero biases; with `norm` "batch" or "layer", that
    normalization after each hidden linear layer), a linear layer to `classes` scores, softmax
    cross-entropy on random labels; one forward and one backward pass with `lib.network.MLP`.

    Used in: initialization § First idea § Kaiming § Larger weights § Weight initialization;
        normalization § Normalization layers § Why normalize inside the network.
    """
    check_rng(rng)
    net = MLP([width] * (depth + 1) + [classes], rng, activation=activation, init=init, norm=norm)
    X = rng.standard_normal((n, width))
    y = rng.integers(0, classes, size=n)
    _, grads = net.loss_and_grads(X, y)
    return DeepStack(net.hidden, net.pre_activations, net.hidden_grads,
                     [grads[f"W{l}"] for l in range(1, depth + 1)])
