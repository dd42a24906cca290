"""Measurements of the activations chapter: saturation, zig-zag updates, dead units, GELU, maxout, cost.

Each returns plain numbers or arrays; `lib.scenes` and `lib.plotting` draw them, the notebook prints them.
"""

import time

import numpy as np
from scipy import integrate, stats
from scipy.special import ndtr

from lib import activations as act
from lib._validate import check_rng


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
