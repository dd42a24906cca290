"""Measurements of the activations chapter: saturation, zig-zag updates, convergence speed, dead units,
GELU, maxout, cost.

Each returns plain numbers or arrays; `lib.scenes` and `lib.plotting` draw them, the notebook prints them.
"""

import time

import numpy as np
from scipy import integrate
from scipy.special import ndtr

from lib import activations as act
from lib._validate import as_int, as_number, check_rng
from lib.network import MLP, steps_to_loss, train


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
    """E[f(z)] and Var[f(z)] for z ~ N(0, 1), by numerical integration (`moments_of_output`)."""
    return moments_of_output(f, 0.0, 1.0, **params)


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


# --- page 1: where each factor of a gradient comes from, saturation thresholds, convergence speed ---

def gradient_factors(net, X, y):
    """How each hidden layer scales the gradient on its way down, split into its two factors.

    Backprop from dLoss/dh_l to dLoss/dh_{l-1} (`lib.network`, l = L-1 down to 2) is two steps:

        g_l = dLoss/dh_l * f'(z_l)         activation factor a_l = |g_l| / |dLoss/dh_l|
        dLoss/dh_{l-1} = g_l @ W_l^T        weight factor     w_l = |dLoss/dh_{l-1}| / |g_l|

    with Frobenius norms over the batch X (N, D). An elementwise product cannot grow a vector by
    more than its largest factor, so a_l <= max |f'| (1/4 for the sigmoid); w_l has no such bound.
    The product of all a_l * w_l is |dLoss/dh_1| / |dLoss/dh_{L-1}|. Returns a dict of arrays,
    one entry per crossing, top first: "layer" (l), "activation" (a_l), "weight" (w_l).
    """
    if net.depth < 3:
        raise ValueError(f"net must have at least two hidden layers, got {net.depth - 1}")
    net.loss_and_grads(X, y)
    layers, activation, weight = [], [], []
    for l in range(net.depth - 1, 1, -1):
        dh = net.hidden_grads[l - 1]  # dLoss/dh_l (N, fan_out of layer l)
        g = dh * net.activation.grad(net.pre_activations[l - 1], **net._act_params(l))
        layers.append(l)
        activation.append(np.linalg.norm(g) / np.linalg.norm(dh))
        weight.append(np.linalg.norm(net.hidden_grads[l - 2]) / np.linalg.norm(g))
    return {"layer": np.array(layers), "activation": np.array(activation), "weight": np.array(weight)}


def one_signed_updates(net, X, y, layer):
    """Share of the per-example updates of single units in `layer` whose components share one sign.

    On example n, unit j of layer l (2 <= l <= L) gets the gradient h_{l-1}[n] * g_l[n, j] on its
    incoming weights W_l[:, j], a vector of fan_in components (g_l = dLoss/dz_l, `lib.network`).
    Over all pairs (n, j) whose update is not all zero, returns the fraction whose nonzero components are all
    positive or all negative: 1.0 when every input h_{l-1} >= 0 (sigmoid or ReLU outputs), the
    zig-zag case of a neuron fed by positive inputs.
    """
    layer = as_int(layer, "layer", minimum=2)
    if layer > net.depth:
        raise ValueError(f"layer must be between 2 and {net.depth} (the layers with hidden inputs), got {layer}")
    scores = net.forward(X)
    if layer == net.depth:
        g = net._loss_and_dscores(scores, y)[1]
    else:
        net.loss_and_grads(X, y)
        g = net.hidden_grads[layer - 1] * net.activation.grad(net.pre_activations[layer - 1],
                                                               **net._act_params(layer))
    h = net.hidden[layer - 2]  # h_{l-1} (N, fan_in)
    update = h[:, :, None] * g[:, None, :]  # (N, fan_in, fan_out): one weight vector per (n, j)
    mixed = np.any(update > 0, axis=1) & np.any(update < 0, axis=1)
    counted = np.any(update != 0, axis=1)  # an all-zero update has no sign
    return float(np.mean(~mixed[counted]))


def saturation_threshold(name, level=0.01):
    """The x > 0 beyond which an activation's local gradient is below `level`: f'(x) = level.

    For activations whose f' falls monotonically from f'(0) > level on x > 0 (sigmoid, tanh);
    found by bisection on [0, 1000] to machine precision. ValueError when f' never falls to level.
    """
    a = act.get_activation(name)
    level = as_number(level, "level", above=0)
    low, high = 0.0, 1000.0
    if not a.grad(low) > level > a.grad(high):
        raise ValueError(f"{name}'s derivative does not fall from above {level:g} to below it on [0, 1000]")
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        low, high = (middle, high) if a.grad(middle) > level else (low, middle)
    return (low + high) / 2


def share_beyond(threshold, s):
    """P(|x| > threshold) for x ~ N(0, s^2): 2 (1 - Phi(threshold / s))."""
    threshold, s = as_number(threshold, "threshold", minimum=0), as_number(s, "s", above=0)
    return float(2 * ndtr(-threshold / s))


def steps_to_target(X, y, activation, hidden_layers, seed, width=32, target=0.8, lr=0.3, momentum=0.9,
                    max_steps=3000):
    """Full-batch SGD steps until an MLP first reaches training loss `target` on (X (N, D), y (N,)).

    The MLP is [D] + [width] * hidden_layers + [C], with LeCun-normal weights and zero biases drawn
    from np.random.default_rng(seed), trained with momentum at learning rate `lr`: one setting for
    every activation, so the counts compare activations. Returns an int, or None if the loss is
    still above target after max_steps steps.
    """
    hidden_layers = as_int(hidden_layers, "hidden_layers", minimum=1)
    seed = as_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    sizes = [np.shape(X)[1]] + [width] * hidden_layers + [int(np.max(y)) + 1]
    net = MLP(sizes, rng, activation=activation, init="lecun_normal")
    return steps_to_loss(net, X, y, rng, target=target, max_steps=max_steps, lr=lr, momentum=momentum)[0]


def convergence_steps(X, y, activations, depths, seeds, **settings):
    """{hidden_layers: {activation: [steps_to_target per seed]}} over depths x activations x seeds.

    settings: the keyword arguments of `steps_to_target` (width, target, lr, momentum, max_steps).
    """
    return {depth: {name: [steps_to_target(X, y, name, depth, seed, **settings) for seed in seeds]
                    for name in activations}
            for depth in depths}


def median_ratio(steps, reference):
    """Median over seeds of steps[i] / reference[i], runs paired by seed (same data, same draw).

    A run that never reached the target (None) counts as infinitely slow; `reference` (ReLU's
    steps) must have reached it in every run.
    """
    if len(steps) != len(reference) or not len(steps):
        raise ValueError(f"steps and reference must be paired, one per seed; got {len(steps)} and {len(reference)}")
    if any(r is None for r in reference):
        raise ValueError("reference must have reached the target in every run (no None)")
    return float(np.median([np.inf if s is None else s / r for s, r in zip(steps, reference)]))


def dense_layer_times(batch, width, activations, rng, repeats=3, dtype=np.float32):
    """Best-of-`repeats` wall times of the two parts of one dense layer's forward pass, h = f(x @ W).

    x (batch, width) and W (width, width), standard normal / sqrt(width), in `dtype` (float32, as
    networks train): z = x @ W costs 2 batch width^2 flops, while an activation f(z) touches each of
    the batch * width values once. activations: names in `lib.activations.ACTIVATIONS`, or a dict
    {label: f}. Returns (matmul seconds, {name or label: seconds of f(z)}).
    """
    check_rng(rng)
    batch, width = as_int(batch, "batch", minimum=1), as_int(width, "width", minimum=1)
    repeats = as_int(repeats, "repeats", minimum=1)
    functions = (dict(activations) if isinstance(activations, dict)
                 else {name: act.get_activation(name).f for name in activations})
    x = rng.standard_normal((batch, width)).astype(dtype)
    W = (rng.standard_normal((width, width)) / np.sqrt(width)).astype(dtype)

    def best(f, *args):
        f(*args)  # warm up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            f(*args)
            times.append(time.perf_counter() - start)
        return min(times)

    z = x @ W
    return best(np.matmul, x, W), {name: best(f, z) for name, f in functions.items()}


def linear_and_relu_classifiers(X, y, hidden=64, steps=1000, lr=0.5, momentum=0.9, seed=0):
    """The chapter's first comparison, trained: {label: MLP} for a linear classifier [D, C] and a
    network with one hidden layer of `hidden` ReLU units [D, hidden, C], each from
    np.random.default_rng(seed), with the same full-batch SGD (momentum) on X (N, D), y (N,)."""
    n_classes = int(np.max(y)) + 1
    nets = {}
    for label, sizes in [("linear (no hidden layer)", [np.shape(X)[1], n_classes]),
                         ("one hidden ReLU layer", [np.shape(X)[1], hidden, n_classes])]:
        rng = np.random.default_rng(seed)
        nets[label] = MLP(sizes, rng, activation="relu")
        train(nets[label], X, y, rng, steps=steps, lr=lr, momentum=momentum)
    return nets


def decision_regions(net, limit, n=100):
    """The class `net` predicts on an n x n grid over [-limit, limit]^2 (2-D inputs): (n, n) ints,
    row i at the i-th y value from -limit up, column j at the j-th x value."""
    limit, n = as_number(limit, "limit", above=0), as_int(n, "n", minimum=2)
    grid = np.linspace(-limit, limit, n)
    xx, yy = np.meshgrid(grid, grid)
    return net.predict(np.column_stack([xx.ravel(), yy.ravel()])).reshape(n, n)


# --- page 2: the moments an activation passes on, noise at an operating point, deep training ------

def moments_of_output(f, mu=0.0, sigma=1.0, **params):
    """(E[f(z)], Var[f(z)]) for z ~ N(mu, sigma^2), by numerical integration.

    With z = mu + sigma u, u ~ N(0, 1): E[f(z)] = int f(mu + sigma u) phi(u) du, and the variance
    is integrated as E[(f(z) - E[f(z)])^2], which keeps its precision when it is tiny next to the
    mean (an ELU deep in saturation). u runs over [-12, 12] (the mass outside is below 1e-32),
    split at u = -mu / sigma, where z crosses 0 and ReLU-like functions have a kink.
    Read as noise: sqrt(Var) is how much of an input noise of std sigma around the operating
    point mu passes through f (about |f'(mu)| sigma while sigma is small).
    params: the activation's parameters (e.g. negative_slope=0.2).
    """
    mu, sigma = as_number(mu, "mu"), as_number(sigma, "sigma", above=0)
    kink = -mu / sigma
    edges = [-12.0] + ([kink] if -12.0 < kink < 12.0 else []) + [12.0]

    def integral(g):
        def weighted(u):
            return g(float(f(mu + sigma * u, **params))) * np.exp(-u * u / 2) / np.sqrt(2 * np.pi)

        return sum(integrate.quad(weighted, a, b, epsabs=0.0, epsrel=1e-11, limit=200)[0]
                   for a, b in zip(edges[:-1], edges[1:]))

    mean = integral(lambda y: y)
    return mean, integral(lambda y: (y - mean) ** 2)


def train_deep_networks(X_train, y_train, X_test, y_test, activations, depth=16, width=64, steps=200,
                        lr=0.03, batch_size=64, seed=0, init="lecun_normal"):
    """Train one deep MLP per activation with no normalization layer, the same init rule and SGD for all.

    Each network is [D] + [width] * depth + [C] (D = X_train.shape[1], C classes in y_train), its
    weights drawn by `init` (LeCun normal: N(0, 1 / fan_in), SELU's) from
    np.random.default_rng(seed), zero biases, trained with plain SGD (no momentum) at rate `lr` on
    minibatches of `batch_size` rows of X_train (N, D), y_train (N,).
    Returns {name: {"losses": (steps,) minibatch losses, "train_loss": the loss on all of X_train
    after training, "test_accuracy": the share of X_test (M, D) classified as y_test (M,)}}.
    """
    depth, width = as_int(depth, "depth", minimum=1), as_int(width, "width", minimum=1)
    seed = as_int(seed, "seed", minimum=0)
    sizes = [np.shape(X_train)[1]] + [width] * depth + [int(np.max(y_train)) + 1]
    results = {}
    for name in activations:
        rng = np.random.default_rng(seed)
        net = MLP(sizes, rng, activation=name, init=init)
        losses = train(net, X_train, y_train, rng, steps=steps, lr=lr, batch_size=batch_size)["loss"]
        results[name] = {"losses": np.array(losses), "train_loss": net.loss(X_train, y_train),
                         "test_accuracy": net.accuracy(X_test, y_test)}
    return results
