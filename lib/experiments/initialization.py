"""Measurements of the initialization chapter: signals and gradients through deep stacks of layers.

Shapes follow `lib.network`: a batch is (N, D), a dense weight (D_in, D_out), used as `h @ W`.
"""

from dataclasses import dataclass

import numpy as np
from scipy import integrate, stats

from lib import activations as act
from lib import initializers
from lib._validate import as_int, as_number, check_rng
from lib.network import MLP, train


def forward_through_layers(rng, init, activation="tanh", depth=10, width=512, n=200, standardize=False):
    """Push N(0, 1) inputs through `depth` square dense layers (no bias), like the lecture notes' plot.

    h_0 ~ N(0, 1) of shape (n, width); z_l = h_{l-1} @ W_l with W_l = init((width, width), rng);
    h_l = f(z_l). standardize=True first maps every unit's z_l to mean 0, std 1 over the batch (a
    normalization layer with no learned scale, as batch normalization at the start of training).
    init: an initializer name, a float std, or a callable (see `initializers.resolve`).
    Returns the list [h_1, ..., h_depth], each (n, width).
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


def deep_stack(rng, init, activation="tanh", depth=10, width=500, n=1000, classes=10):
    """The lecture's experiment, backward too: N(0, 1) inputs (n, width) through `depth` hidden layers
    of `width` units (weights from `init`, zero biases), a linear layer to `classes` scores, softmax
    cross-entropy on random labels; one forward and one backward pass with `lib.network.MLP`.
    """
    check_rng(rng)
    net = MLP([width] * (depth + 1) + [classes], rng, activation=activation, init=init)
    X = rng.standard_normal((n, width))
    y = rng.integers(0, classes, size=n)
    _, grads = net.loss_and_grads(X, y)
    return DeepStack(net.hidden, net.pre_activations, net.hidden_grads,
                     [grads[f"W{l}"] for l in range(1, depth + 1)])


def variance_of_weighted_sum(rng, d_in, var_x, var_w, n=20_000):
    """Measured Var(y) for y = sum_i x_i w_i with independent x_i ~ N(0, var_x), w_i ~ N(0, var_w),
    over n draws of both (the formula says Var(y) = d_in var_x var_w)."""
    check_rng(rng)
    x = rng.normal(0.0, np.sqrt(var_x), size=(n, d_in))
    w = rng.normal(0.0, np.sqrt(var_w), size=(n, d_in))
    return float(np.var(np.einsum("ij,ij->i", x, w)))


def layer_gain(rng, std, d_in, n=200, d_out=256):
    """How much one linear layer W ~ N(0, std^2) of shape (d_in, d_out) scales the std of N(0, 1)
    inputs (n, d_in): std(x @ W) / std(x), which the formula says is std * sqrt(d_in) (d_out only
    sets how many outputs the estimate averages over)."""
    check_rng(rng)
    x = rng.standard_normal((n, d_in))
    return float((x @ rng.normal(0.0, std, size=(d_in, d_out))).std() / x.std())


def second_moment(f, **params):
    """E[f(z)^2] for z ~ N(0, 1), by numerical integration."""
    return integrate.quad(lambda z: float(f(z, **params)) ** 2 * stats.norm.pdf(z), -np.inf, np.inf)[0]


def gain_that_keeps_the_second_moment(f, **params):
    """The gain g for which W ~ N(0, g^2 / D_in) keeps E[z^2] = 1 from layer to layer.

    z_{l+1} = f(z_l) @ W has E[z_{l+1}^2] = D_in Var(w) E[f(z_l)^2] = g^2 E[f(z)^2], so for
    z_l ~ N(0, 1) the fixed point is g = 1 / sqrt(E[f(z)^2]): sqrt(2) for ReLU.
    """
    return 1.0 / np.sqrt(second_moment(f, **params))


def units_that_differ(W):
    """How many of a layer's units compute different functions: distinct columns of W (D_in, D_out)."""
    return np.unique(np.asarray(W), axis=1).shape[1]


def train_from(rng, init, X, y, hidden, activation="relu", steps=200, lr=0.1, momentum=0.0, batch_size=None):
    """Train MLP([D] + hidden + [C]) from `init` with SGD; (network, losses per step, |dLoss/dW1| at step 0).

    init: anything `MLP` accepts (an initializer name, a std, or a callable(shape, rng)).
    """
    net = MLP([X.shape[1], *hidden, int(np.max(y)) + 1], rng, activation=activation, init=init)
    first_gradient = float(np.linalg.norm(net.loss_and_grads(X, y)[1]["W1"]))
    losses = train(net, X, y, rng, steps=steps, lr=lr, momentum=momentum, batch_size=batch_size)["loss"]
    return net, np.array(losses), first_gradient


def steps_to_reach(losses, target, window=10):
    """First step after which the running mean of `window` losses is <= target, or None.

    A running mean, because minibatch losses jump around a target they have not yet reached.
    """
    window = as_int(window, "window", minimum=1)
    target = as_number(target, "target")
    losses = np.asarray(losses, dtype=float)
    if losses.size < window:
        return None
    means = np.convolve(losses, np.ones(window) / window, mode="valid")
    below = np.flatnonzero(means <= target)
    return int(below[0] + window) if below.size else None


def forward_and_backward_gains(rng, W, n=2000):
    """How a dense layer W (D_in, D_out) scales variances: (Var(x W) / Var(x), Var(g W^T) / Var(g))
    for N(0, 1) inputs x (n, D_in) and upstream gradients g (n, D_out). The formulas: D_in Var(w)
    forward, D_out Var(w) backward."""
    check_rng(rng)
    x, g = rng.standard_normal((n, W.shape[0])), rng.standard_normal((n, W.shape[1]))
    return float((x @ W).var() / x.var()), float((g @ W.T).var() / g.var())


def second_moments_through_depth(rng, gain, activation, depth=50, width=256, n=256, **params):
    """E[z_l^2] for l = 1..depth: z_l = f(z_{l-1}) @ W_l with W_l ~ N(0, gain^2 / width), z_0 ~ N(0, 1).

    params: the activation's parameters (e.g. negative_slope=0.2).
    """
    check_rng(rng)
    f = act.get_activation(activation).f
    z, moments = rng.standard_normal((n, width)), []
    for _ in range(depth):
        z = f(z, **params) @ rng.normal(0.0, gain / np.sqrt(width), size=(width, width))
        moments.append(float(np.mean(z * z)))
    return np.array(moments)
