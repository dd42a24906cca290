"""What the page "the ReLU family and beyond" prints: the summary table, GELU as a random mask,
maxout's fits, deep networks trained with SELU, ReLU and tanh.
"""

import numpy as np
from scipy.special import ndtr

from lib import activations as act
from lib import data
from lib._validate import as_int, check_rng
from lib.comparison import compare, training_run
from lib.network import MLP


def activation_summary(name):
    """The chapter's summary row for an elementwise activation (default parameters) as a dict.

    range: (min, max) of f on inputs up to +-1e6, with +-inf where f grows past 1e3;
    mean: E[f(z)] for z ~ N(0, 1); saturates: the sides ("x<0", "x>0") where |f'(+-30)| < 1e-3;
    can_die: f' is exactly 0 already at x = -1, so the whole negative side passes no gradient.

    Used in: activations-beyond-relu § Summary.
    """
    a = act.get_activation(name)
    x = np.concatenate([-np.geomspace(1e6, 1e-3, 400), np.linspace(-5, 5, 1001), np.geomspace(1e-3, 1e6, 400)])
    y = a.f(x)
    low = -np.inf if y.min() < -1e3 else float(y.min())
    high = np.inf if y.max() > 1e3 else float(y.max())
    return {
        "range": (low, high),
        "mean": act.moments_of_output(a.f)[0],
        "saturates": [side for side, x0 in [("x<0", -30.0), ("x>0", 30.0)] if abs(a.grad(x0)) < 1e-3],
        "can_die": bool(a.grad(-1.0) == 0),
    }


def gelu_by_random_masks(x, rng, samples):
    """Monte Carlo GELU: the average of x * m over `samples` masks m ~ Bernoulli(Phi(x)), per x.

    Its expectation is x * P(m = 1) = x Phi(x) = GELU(x).

    Used in: activations-beyond-relu § GELU.
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

    Used in: activations-beyond-relu § Maxout.
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


# The deep-network comparison of the SELU section: `depth` hidden layers of `width` units, no
# normalization layer, plain SGD on minibatches, the same budget of `steps` for every method; each
# method at its best rate from `rates`, steps counted to a running mean (`window` steps) of the minibatch
# loss <= target.
DEEP = {"depth": 12, "width": 64, "steps": 120, "batch_size": 64, "target": 0.5, "window": 10,
        "rates": (0.03, 0.1, 0.3, 1.0), "seeds": (0, 1, 2)}

# (activation, init) per method: each activation with its own init (`initializers.PAIRED_INIT`), and
# ReLU once more with SELU's LeCun init, the setting that hands SELU its advantage.
DEEP_METHODS = {"SELU, LeCun": ("selu", "lecun_normal"), "ELU, He": ("elu", "kaiming_normal"),
                "ReLU, He": ("relu", "kaiming_normal"), "ReLU, LeCun": ("relu", "lecun_normal"),
                "tanh, Glorot": ("tanh", "xavier_normal")}


def deep_network_sweeps(methods=DEEP_METHODS, **changes):
    """{label: `lib.comparison.Sweep`} for methods {label: (activation, init)} in the DEEP setting
    (with `changes` to it, e.g. depth=2 for a quick check) on the standardized digits
    (`data.standardized_digits`), accuracy on their held-out quarter.

    Used in: activations-beyond-relu § SELU.
    """
    unknown = set(changes) - set(DEEP)
    if unknown:
        raise ValueError(f"unknown DEEP setting {sorted(unknown)}; known: {', '.join(DEEP)}")
    s = {**DEEP, **changes}
    X_train, X_test, y_train, y_test = data.standardized_digits()
    sizes = [X_train.shape[1]] + [as_int(s["width"], "width", minimum=1)] * as_int(s["depth"], "depth", minimum=1)
    sizes += [data.n_classes(y_train)]

    def run(activation, init):
        return training_run(lambda rng: MLP(sizes, rng, activation=activation, init=init), X_train, y_train,
                            steps=s["steps"], batch_size=s["batch_size"], evaluate=(X_test, y_test))

    return compare({label: run(*method) for label, method in methods.items()}, s["rates"], s["seeds"],
                   target=s["target"], window=s["window"])
