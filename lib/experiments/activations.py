"""What the activations page (sigmoid, tanh, ReLU) prints: saturation, zig-zag updates, convergence
speed, dead units, cost; with its settings and cached runs.

Each returns plain numbers or arrays; `lib.figures.activations` draws them, the notebook prints them.
"""

import functools
import time

import numpy as np
from scipy.special import ndtr

from lib import activations as act
from lib import data, initializers
from lib._validate import as_int, as_number, check_rng
from lib.comparison import compare, training_run
from lib.network import MLP, steps_to_reach, train


def sgd_path_of_a_neuron(X, w_target, rng, lr=0.1, steps=200):
    """Per-example SGD on one linear neuron y = w . x with squared error, from w = 0.

    Targets are y_i = w_target . x_i; each step picks one example i and moves
    w <- w - lr (w . x_i - y_i) x_i, a multiple of x_i: when every x_i > 0 (like sigmoid outputs)
    all components of an update share one sign. Returns the path of w, shape (steps + 1, D), cut short
    if the run diverges (|w| > 1e6), so its last row then is far from the target.

    Used in: activations § Sigmoid.
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

    Used in: activations § ReLU.
    """
    _, grads = net.loss_and_grads(X, y)
    inactive = [float(np.mean(np.all(z <= 0, axis=0))) for z in net.pre_activations]
    no_gradient = [float(np.mean(np.all(grads[f"W{l}"] == 0, axis=0))) for l in range(1, net.depth)]
    return inactive, no_gradient


def seconds_per_element(f, n=1_000_000, repeats=5, seed=0):
    """Best-of-`repeats` wall time of f on n standard normal float64 values, divided by n.

    Used in: activations § Sigmoid."""
    x = np.random.default_rng(seed).standard_normal(n)
    f(x)  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f(x)
        times.append(time.perf_counter() - start)
    return min(times) / n


# --- where each factor of a gradient comes from, saturation thresholds, convergence speed ----------

def gradient_factors(net, X, y):
    """How each hidden layer scales the gradient on its way down, split into its two factors.

    Backprop from dLoss/dh_l to dLoss/dh_{l-1} (`lib.network`, l = L-1 down to 2) is two steps:

        g_l = dLoss/dh_l * f'(z_l)         activation factor a_l = |g_l| / |dLoss/dh_l|
        dLoss/dh_{l-1} = g_l @ W_l^T        weight factor     w_l = |dLoss/dh_{l-1}| / |g_l|

    with Frobenius norms over the batch X (N, D). An elementwise product cannot grow a vector by
    more than its largest factor, so a_l <= max |f'| (1/4 for the sigmoid); w_l has no such bound.
    The product of all a_l * w_l is |dLoss/dh_1| / |dLoss/dh_{L-1}|. Returns a dict of arrays,
    one entry per crossing, top first: "layer" (l), "activation" (a_l), "weight" (w_l).

    Used in: activations § Sigmoid.
    """
    if net.depth < 3:
        raise ValueError(f"net must have at least two hidden layers, got {net.depth - 1}")
    net.loss_and_grads(X, y)
    layers, activation, weight = [], [], []
    for l in range(net.depth - 1, 1, -1):
        dh = net.hidden_grads[l - 1]  # dLoss/dh_l (N, fan_out of layer l)
        g = net.pre_activation_grads[l - 1]  # g_l = dh * f'(z_l)
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

    Used in: activations § ReLU.
    """
    layer = as_int(layer, "layer", minimum=2)
    if layer > net.depth:
        raise ValueError(f"layer must be between 2 and {net.depth} (the layers with hidden inputs), got {layer}")
    net.loss_and_grads(X, y)
    g = net.pre_activation_grads[layer - 1]  # g_l = dLoss/dz_l (N, fan_out)
    h = net.hidden[layer - 2]  # h_{l-1} (N, fan_in)
    update = h[:, :, None] * g[:, None, :]  # (N, fan_in, fan_out): one weight vector per (n, j)
    mixed = np.any(update > 0, axis=1) & np.any(update < 0, axis=1)
    counted = np.any(update != 0, axis=1)  # an all-zero update has no sign
    return float(np.mean(~mixed[counted]))


def saturation_threshold(name, level=0.01):
    """The x > 0 beyond which an activation's local gradient is below `level`: f'(x) = level.

    For activations whose f' falls monotonically from f'(0) > level on x > 0 (sigmoid, tanh);
    found by bisection on [0, 1000] to machine precision. ValueError when f' never falls to level.

    Used in: activations § tanh.
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
    """P(|x| > threshold) for x ~ N(0, s^2): 2 (1 - Phi(threshold / s)).

    Used in: activations § tanh."""
    threshold, s = as_number(threshold, "threshold", minimum=0), as_number(s, "s", above=0)
    return float(2 * ndtr(-threshold / s))


# The convergence table's setting: hidden layers of `width` units, full-batch SGD with momentum, steps
# until the training loss is <= target (at most max_steps). Each activation gets its own initialization
# (`initializers.PAIRED_INIT`) and its best rate from `rates`; `lr` and LeCun's init for all is the
# one shared setting the table is compared with.
CONVERGENCE = {"width": 32, "momentum": 0.9, "target": 0.8, "max_steps": 1000, "lr": 0.3,
               "rates": (0.1, 0.3, 1.0, 3.0, 10.0)}


def _convergence_training(X, y, activation, hidden_layers, init):
    """The run(lr, seed) of the convergence table (`lib.comparison.training_run`) for one activation,
    depth and init: the MLP [D] + [width] * hidden_layers + [C] with zero biases, full batch."""
    hidden_layers = as_int(hidden_layers, "hidden_layers", minimum=1)
    s = CONVERGENCE
    sizes = [np.shape(X)[1]] + [s["width"]] * hidden_layers + [data.n_classes(y)]
    return training_run(lambda rng: MLP(sizes, rng, activation=activation, init=init), X, y,
                        steps=s["max_steps"], momentum=s["momentum"], stop_below=s["target"])


def convergence_run(X, y, activation, hidden_layers, seed):
    """One run in the shared setting: the steps an MLP needs to reach training loss
    CONVERGENCE["target"] on (X (N, D), y (N,)), or None if still above it after max_steps.

    The MLP is [D] + [width] * hidden_layers + [C], LeCun-normal weights and zero biases drawn from
    np.random.default_rng(seed), trained full batch at CONVERGENCE["lr"], whatever the activation.
    """
    seed = as_int(seed, "seed", minimum=0)
    run = _convergence_training(X, y, activation, hidden_layers, "lecun_normal")
    return steps_to_reach(run(CONVERGENCE["lr"], seed)["losses"], CONVERGENCE["target"], window=1)


def convergence_steps(X, y, activations, depths, seeds):
    """{hidden_layers: {activation: [convergence_run per seed]}}: the shared setting, over depths x
    activations x seeds.

    Used in: activations § ReLU."""
    return {depth: {name: [convergence_run(X, y, name, depth, seed) for seed in seeds]
                    for name in activations}
            for depth in depths}


def convergence_sweeps(X, y, activations, depths, seeds):
    """{hidden_layers: {activation: `lib.comparison.Sweep`}}: each activation with its own init
    (`initializers.paired_init`) at every rate of CONVERGENCE["rates"] and every seed, steps to
    CONVERGENCE["target"] counted per step (window 1, full batch).

    Used in: activations § ReLU."""
    return {depth: compare({name: _convergence_training(X, y, name, depth, initializers.paired_init(name))
                            for name in activations},
                           CONVERGENCE["rates"], seeds, target=CONVERGENCE["target"])
            for depth in depths}


def median_ratio(steps, reference):
    """Median over seeds of steps[i] / reference[i], runs paired by seed (same data, same draw).

    A run that never reached the target (None or inf) counts as infinitely slow; `reference` (ReLU's
    steps) must have reached it in every run.

    Used in: activations § ReLU.
    """
    if len(steps) != len(reference) or not len(steps):
        raise ValueError(f"steps and reference must be paired, one per seed; got {len(steps)} and {len(reference)}")
    if any(r is None or r == np.inf for r in reference):
        raise ValueError("reference must have reached the target in every run (no None or inf)")
    return float(np.median([np.inf if s is None else s / r for s, r in zip(steps, reference)]))


def dense_layer_times(batch, width, activations, rng, repeats=3, dtype=np.float32):
    """Best-of-`repeats` wall times of the two parts of one dense layer's forward pass, h = f(x @ W).

    x (batch, width) and W (width, width), standard normal / sqrt(width), in `dtype` (float32, as
    networks train): z = x @ W costs 2 batch width^2 flops, while an activation f(z) touches each of
    the batch * width values once. activations: names in `lib.activations.ACTIVATIONS`, or a dict
    {label: f}. Returns (matmul seconds, {name or label: seconds of f(z)}).

    Used in: activations § Sigmoid.
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
    n_classes = data.n_classes(y)
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


# --- the cached runs the page prints and its figures draw ------------------------------------------


@functools.lru_cache(maxsize=1)
def spiral_classifiers():
    """The chapter's spirals (100 points per arm, seed 0) and its two classifiers trained on them:
    (X (300, 2), y (300,), {label: MLP}); computed once, so the cell that prints their accuracy
    and the figure of their decision regions show the same networks.

    Used in: activations § Why non-linearity."""
    X, y = data.spirals(100, np.random.default_rng(0))
    return X, y, linear_and_relu_classifiers(X, y)
