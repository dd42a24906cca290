"""Small measurements the chapters run: signal through deep stacks, training speed, dead units, ...

Each returns plain numbers or arrays; `lib.plotting` draws them and the notebooks print them.
"""

import time

import numpy as np
from scipy import integrate, stats
from scipy.special import ndtr

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
    (width, width) matrices is its input-output Jacobian (Saxe et al. 2013). Values near 1 mean
    signals and gradients keep their size in every direction; a wide spread means some directions
    explode and others vanish. Row d - 1 uses the first d matrices drawn, so one call serves every depth.
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


def steps_to_loss(net, X, y, rng, target, max_steps, lr, momentum=0.0):
    """Full-batch training of `net` until its loss first reaches `target`; (steps or None, losses)."""
    losses = train(net, X, y, rng, steps=max_steps, lr=lr, momentum=momentum, stop_below=target)["loss"]
    return (len(losses) if losses and losses[-1] <= target else None), losses


def sgd_path_of_a_neuron(X, w_target, rng, lr=0.1, steps=200):
    """Per-example SGD on one linear neuron y = w . x with squared error, from w = 0.

    Targets are y_i = w_target . x_i; each step picks one example i and moves
    w <- w - lr (w . x_i - y_i) x_i, a multiple of x_i: when every x_i > 0 (like sigmoid outputs)
    all components of an update share one sign. Returns the path of w, shape (steps + 1, D), cut short
    if the run diverges (|w| > 1e6), so its last row then is far from the target.
    """
    check_rng(rng)
    X = np.asarray(X, dtype=float)
    w, path = np.zeros(X.shape[1]), [np.zeros(X.shape[1])]
    for i in rng.integers(0, len(X), size=steps):
        w = w - lr * (w @ X[i] - w_target @ X[i]) * X[i]
        path.append(w)
        if np.linalg.norm(w) > 1e6:
            break
    return np.array(path)


def dead_units(net, X, y):
    """Per hidden layer: (fraction of units inactive on all of X, fraction whose weights get zero gradient).

    Inactive: the pre-activation is <= 0 for every row of X. For ReLU such a unit is dead: its
    output and local gradient are 0 on all the data, so its incoming weights get exactly zero
    gradient and no example can revive it. For Leaky ReLU its local gradient is still the slope.
    """
    _, grads = net.loss_and_grads(X, y)
    inactive = [float(np.mean(np.all(z <= 0, axis=0))) for z in net.pre_activations]
    no_gradient = [float(np.mean(np.all(grads[f"W{l}"] == 0, axis=0))) for l in range(1, net.depth)]
    return inactive, no_gradient


def mean_and_variance_of_output(f, **params):
    """E[f(z)] and Var[f(z)] for z ~ N(0, 1), by numerical integration."""

    def moment(k):
        return integrate.quad(lambda z: float(f(z, **params)) ** k * stats.norm.pdf(z), -np.inf, np.inf)[0]

    mean = moment(1)
    return mean, moment(2) - mean**2


def activation_summary(name):
    """The chapter's summary row for an elementwise activation (default parameters) as a dict.

    range: (min, max) of f on inputs up to +-1e6, with +-inf where f grows past 1e3;
    mean: E[f(z)] for z ~ N(0, 1); saturates: the sides ("x<0", "x>0") where |f'(+-30)| < 1e-3;
    can_die: f' is exactly 0 already at x = -1, so the whole negative side passes no gradient.
    """
    a = act.get_activation(name)
    x = np.concatenate([-np.geomspace(1e6, 1e-3, 400), np.linspace(-5, 5, 1001), np.geomspace(1e-3, 1e6, 400)])
    y = a.f(x)
    low = -np.inf if y.min() < -1e3 else float(y.min())
    high = np.inf if y.max() > 1e3 else float(y.max())
    return {
        "range": (low, high),
        "mean": mean_and_variance_of_output(a.f)[0],
        "saturates": [side for side, x0 in [("x<0", -30.0), ("x>0", 30.0)] if abs(a.grad(x0)) < 1e-3],
        "can_die": bool(a.grad(-1.0) == 0),
    }


def gelu_by_random_masks(x, rng, samples):
    """Monte Carlo GELU: the average of x * m over `samples` masks m ~ Bernoulli(Phi(x)), per x.

    Its expectation is x * P(m = 1) = x Phi(x) = GELU(x).
    """
    check_rng(rng)
    x = np.asarray(x, dtype=float)
    keep = ndtr(x)
    masks = rng.random((samples, x.size)) < keep.ravel()
    return (x.ravel() * masks.mean(axis=0)).reshape(x.shape)


def fit_maxout_1d(x, y, pieces, steps=3000, lr=0.05, momentum=0.9):
    """Fit f(x) = max_k (a_k x + b_k) to points (x, y) by gradient descent on the mean squared error.

    Gradients flow through `maxout_grad`, as in backprop. A piece that wins at no point gets no
    gradient (it is dead, like a ReLU unit), so each piece starts as the least-squares line through
    one of `pieces` consecutive chunks of the sorted x. Returns (a, b) of shape (pieces,) each.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    chunks = np.array_split(np.argsort(x), pieces)
    a, b = np.array([np.polyfit(x[c], y[c], 1) for c in chunks]).T
    va, vb = np.zeros(pieces), np.zeros(pieces)
    for _ in range(steps):
        z = x[:, None] * a + b  # (N, pieces): every linear piece at every point
        err = act.maxout(z, pieces)[:, 0] - y
        dz = act.maxout_grad(z, pieces) * (2 * err / len(x))[:, None]
        va = momentum * va - lr * (dz * x[:, None]).sum(axis=0)
        vb = momentum * vb - lr * dz.sum(axis=0)
        a, b = a + va, b + vb
    return a, b


def seconds_per_element(f, n=1_000_000, repeats=5, seed=0):
    """Best-of-`repeats` wall time of f on n standard normal float64 values, divided by n."""
    x = np.random.default_rng(seed).standard_normal(n)
    f(x)  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f(x)
        times.append(time.perf_counter() - start)
    return min(times) / n
