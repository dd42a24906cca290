"""What the initialization page prints: variances of weighted sums, gains and the mean's share of the
second moment, symmetry, biases at initialization, training from each start.
(Signals through deep stacks, which other pages reuse, are in `lib.propagation`.)

Shapes follow `lib.network`: a batch is (N, D), a dense weight (D_in, D_out), used as `h @ W`.
"""

import numpy as np

from lib import activations as act
from lib import data
from lib._validate import as_int, as_number, check_rng
from lib.comparison import compare, training_run
from lib.network import MLP, train


def variance_of_weighted_sum(rng, d_in, var_x, var_w, n=20_000):
    """Measured Var(y) for y = sum_i x_i w_i with independent x_i ~ N(0, var_x), w_i ~ N(0, var_w),
    over n draws of both (the formula says Var(y) = d_in var_x var_w).

    Used in: initialization § Xavier."""
    check_rng(rng)
    x = rng.normal(0.0, np.sqrt(var_x), size=(n, d_in))
    w = rng.normal(0.0, np.sqrt(var_w), size=(n, d_in))
    return float(np.var(np.einsum("ij,ij->i", x, w)))


def layer_gain(rng, std, d_in, n=200, d_out=256):
    """How much one linear layer W ~ N(0, std^2) of shape (d_in, d_out) scales the std of N(0, 1)
    inputs (n, d_in): std(x @ W) / std(x), which the formula says is std * sqrt(d_in) (d_out only
    sets how many outputs the estimate averages over).

    Used in: initialization § First idea."""
    check_rng(rng)
    x = rng.standard_normal((n, d_in))
    return float((x @ rng.normal(0.0, std, size=(d_in, d_out))).std() / x.std())


def gain_that_keeps_the_second_moment(f, **params):
    """The gain g for which W ~ N(0, g^2 / D_in) keeps E[z^2] = 1 from layer to layer.

    z_{l+1} = f(z_l) @ W has E[z_{l+1}^2] = D_in Var(w) E[f(z_l)^2] = g^2 E[f(z)^2], so for
    z_l ~ N(0, 1) the fixed point is g = 1 / sqrt(E[f(z)^2]): sqrt(2) for ReLU.

    Used in: initialization § Kaiming.
    """
    mean, var = act.moments_of_output(f, **params)
    return 1.0 / np.sqrt(var + mean**2)  # E[f(z)^2]


def mean_share_of_second_moment(f, **params):
    """(E[f(z)], E[f(z)^2], E[f(z)]^2 / E[f(z)^2]) for z ~ N(0, 1), by numerical integration: how
    much of the second moment that the gain rule keeps is the square of the mean (1/pi for ReLU).

    Used in: initialization § Kaiming.
    """
    mean, var = act.moments_of_output(f, **params)
    return mean, var + mean**2, mean**2 / (var + mean**2)


def next_layer_variance(rng, activation, gain, d_in=500, d_out=256, n=2000):
    """(E[h^2], Var(h), Var(h @ W)) for h = f(z), z ~ N(0, 1) of shape (n, d_in), W ~ N(0, gain^2 /
    d_in) of shape (d_in, d_out). For zero-mean W independent of h the formula is
    Var(h @ W) = d_in Var(w) E[h^2] = gain^2 E[h^2]: the second moment, not Var(h).

    Used in: initialization § Kaiming.
    """
    check_rng(rng)
    gain = as_number(gain, "gain", minimum=0)
    d_in, d_out, n = (as_int(v, name, minimum=1)
                      for v, name in ((d_in, "d_in"), (d_out, "d_out"), (n, "n")))
    h = act.get_activation(activation).f(rng.standard_normal((n, d_in)))
    z = h @ rng.normal(0.0, gain / np.sqrt(d_in), size=(d_in, d_out))
    return float(np.mean(h * h)), float(h.var()), float(z.var())


def relu_units_at_init(rng, bias, depth=20, width=256, n=256):
    """A deep ReLU network at initialization: h_l = relu(h_{l-1} @ W_l + b_l), W_l Kaiming normal
    (width, width), h_0 ~ N(0, 1) of shape (n, width). bias: a number (every b_l starts there) or
    "pytorch" (nn.Linear's default, b ~ U(-1/sqrt(width), 1/sqrt(width))).

    Returns (share of the last layer's units that are 0 for all n inputs, mean of its activations).

    Used in: initialization § Biases.
    """
    check_rng(rng)
    if not (isinstance(bias, str) and bias == "pytorch"):
        bias = as_number(bias, 'bias (a number or "pytorch")')
    depth, width, n = (as_int(v, name, minimum=1)
                       for v, name in ((depth, "depth"), (width, "width"), (n, "n")))
    h = rng.standard_normal((n, width))
    for _ in range(depth):
        W = rng.normal(0.0, np.sqrt(2.0 / width), size=(width, width))
        b = (rng.uniform(-1, 1, size=width) / np.sqrt(width) if isinstance(bias, str)
             else np.full(width, bias))
        h = act.relu(h @ W + b)
    return float(np.mean(np.all(h == 0, axis=0))), float(h.mean())


def units_that_differ(W):
    """How many of a layer's units compute different functions: distinct columns of W (D_in, D_out).

    Used in: initialization § Why random? Symmetry."""
    return np.unique(np.asarray(W), axis=1).shape[1]


def train_from(rng, init, X, y, hidden, activation="relu", steps=200, lr=0.1, momentum=0.0, batch_size=None):
    """Train MLP([D] + hidden + [C]) from `init` with SGD; (network, losses per step).

    init: anything `MLP` accepts (an initializer name, a std, or a callable(shape, rng)).

    Used in: initialization § Why random? Symmetry.
    """
    net = MLP([X.shape[1], *hidden, data.n_classes(y)], rng, activation=activation, init=init)
    losses = train(net, X, y, rng, steps=steps, lr=lr, momentum=momentum, batch_size=batch_size)["loss"]
    return net, np.array(losses)


# He et al.'s 30-layer ReLU comparison, on the digits: each start over one grid of learning rates.
DEEP_RELU = {"hidden": (64,) * 30, "steps": 100, "batch_size": 64, "target": 2.0, "window": 10,
             "rates": (0.01, 0.03, 0.1, 0.3), "seeds": (0, 1, 2)}


def first_layer_gradient(init, X, y, seed, hidden=DEEP_RELU["hidden"]):
    """|dLoss/dW1| (Frobenius norm) at step 0 on all of X (N, D), y (N,), for the ReLU MLP
    [D] + hidden + [C] drawn from `init` with np.random.default_rng(seed): the start's signal.

    Used in: initialization § Training, not only statistics."""
    net = MLP([X.shape[1], *hidden, data.n_classes(y)], np.random.default_rng(seed), init=init)
    return float(np.linalg.norm(net.loss_and_grads(X, y)[1]["W1"]))


def deep_relu_sweeps(X, y, inits=("xavier_normal", "kaiming_normal"), **changes):
    """{init: `lib.comparison.Sweep`}: the ReLU MLP [D] + DEEP_RELU["hidden"] + [C] from each init,
    trained with plain SGD on minibatches of X (N, D), y (N,) at every rate and seed of DEEP_RELU
    (with `changes` to it, e.g. steps=20 for a quick check); steps until the running mean of 10
    losses reaches DEEP_RELU["target"].

    Used in: initialization § Training, not only statistics.
    """
    unknown = set(changes) - set(DEEP_RELU)
    if unknown:
        raise ValueError(f"unknown DEEP_RELU setting {sorted(unknown)}; known: {', '.join(DEEP_RELU)}")
    s = {**DEEP_RELU, **changes}
    sizes = [X.shape[1], *s["hidden"], data.n_classes(y)]

    def run(init):
        return training_run(lambda rng: MLP(sizes, rng, init=init), X, y, steps=s["steps"],
                            batch_size=s["batch_size"])

    return compare({init: run(init) for init in inits}, s["rates"], s["seeds"], target=s["target"],
                   window=s["window"])


def forward_and_backward_gains(rng, W, n=2000):
    """How a dense layer W (D_in, D_out) scales variances: (Var(x W) / Var(x), Var(g W^T) / Var(g))
    for N(0, 1) inputs x (n, D_in) and upstream gradients g (n, D_out). The formulas: D_in Var(w)
    forward, D_out Var(w) backward.

    Used in: initialization § Xavier."""
    check_rng(rng)
    x, g = rng.standard_normal((n, W.shape[0])), rng.standard_normal((n, W.shape[1]))
    return float((x @ W).var() / x.var()), float((g @ W.T).var() / g.var())


def second_moments_through_depth(rng, gain, activation, depth=50, width=256, n=256, **params):
    """E[z_l^2] for l = 1..depth: z_l = f(z_{l-1}) @ W_l with W_l ~ N(0, gain^2 / width), z_0 ~ N(0, 1).

    params: the activation's parameters (e.g. negative_slope=0.2).

    Used in: initialization § Kaiming.
    """
    check_rng(rng)
    f = act.get_activation(activation).f
    z, moments = rng.standard_normal((n, width)), []
    for _ in range(depth):
        z = f(z, **params) @ rng.normal(0.0, gain / np.sqrt(width), size=(width, width))
        moments.append(float(np.mean(z * z)))
    return np.array(moments)
