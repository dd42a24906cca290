"""What the reading list's first page prints: Glorot & Bengio, Saxe et al., Sussillo & Abbott and
He et al. reproduced at a scale that runs in seconds; with the settings and cached runs its
figures share.
"""

import functools

import numpy as np
from scipy import special

from lib import data, initializers
from lib._validate import as_float_array, as_int, as_number, check_rng, one_of
from lib.initializers import standard_uniform
from lib.network import MLP, train
from lib.propagation import deep_stack


def singular_values_by_depth(rng, init, max_depth, width=64):
    """Singular values of W_1 W_2 ... W_d for every depth d = 1..max_depth; shape (max_depth, width).

    A depth-d linear network maps a row x to x W_1 ... W_d, so this product of d random
    (width, width) matrices is its input-output Jacobian (Saxe et al. 2013). Values near 1 mean
    signals and gradients keep their size in every direction; a wide spread means some directions
    explode and others vanish. Row d - 1 uses the first d matrices drawn, so one call serves every depth.

    Computed stably, as Lyapunov spectra are: the product's singular values spread over dozens of
    orders of magnitude, and an SVD of the product itself returns rounding noise for every value
    below ~1e-16 of the largest. Instead the transposed product M_d = W_d^T ... W_1^T is kept
    factored as M_d = Q_d T_d (Q_d orthogonal, T_d upper triangular): from the QR factorization
    W_d^T Q_{d-1} = Q_d R_d, T_d = R_d T_{d-1}. The singular values of M_d are those of the graded
    triangular T_d, which the SVD resolves to full relative precision (checked against 150-digit
    arithmetic in the tests).

    Used in: reading-list § Saxe et al., 2013.
    """
    check_rng(rng)
    make = initializers.resolve(init)
    q, t, rows = np.eye(width), np.eye(width), []
    for _ in range(max_depth):
        q, r = np.linalg.qr(make((width, width), rng).T @ q)
        t = r @ t
        rows.append(np.linalg.svd(t, compute_uv=False))
    return np.array(rows)


# --- Glorot & Bengio 2010: the "standard" initialization and per-layer variance ratios ------------

def variance_ratios(layers):
    """Var(layer l + 1) / Var(layer l) for consecutive arrays in `layers` (each (n, width)): shape
    (len(layers) - 1,). For gradients listed from layer 1 up, Var(dL/dh_l) / Var(dL/dh_{l+1}) is
    1 / this: pass them reversed to get the factor per layer going down.

    Used in: reading-list § Glorot & Bengio, 2010."""
    if len(layers) < 2:
        raise ValueError(f"layers must hold at least two arrays, got {len(layers)}")
    variances = np.array([np.var(h) for h in layers])
    return variances[1:] / variances[:-1]


def sigmoid_layer_means(seed=0, width=64, depth=4, lr=1.0, batch_size=10, steps=5000, every=100, probe=300):
    """Glorot & Bengio's saturation experiment (their Figure 2) on `data.standardized_digits()`: a
    sigmoid MLP [64] + [width] * depth + [10] from the standard U[-1/sqrt(n), 1/sqrt(n)], trained by
    plain SGD (minibatches of `batch_size`, learning rate `lr`) for `steps` steps.

    Every `every` steps, on the first `probe` test rows: the mean activation of each hidden layer,
    mean over rows and units of h_l = sigmoid(h_{l-1} W_l + b_l), and the test accuracy.
    Returns {"steps" (K,), "means" (K, depth), "accuracy" (K,)}, K = steps // every + 1."""
    every = as_int(every, "every", minimum=1)
    steps = as_int(steps, "steps", minimum=0)
    X, X_test, y, y_test = data.standardized_digits()
    rng = np.random.default_rng(seed)
    net = MLP([X.shape[1], *[width] * depth, 10], rng, activation="sigmoid", init=standard_uniform)
    done, means, accuracy = [], [], []
    for k in range(steps // every + 1):
        if k:
            train(net, X, y, rng, steps=every, lr=lr, batch_size=batch_size)
        net.forward(X_test[:probe])
        done.append(k * every)
        means.append([float(np.mean(h)) for h in net.hidden])
        accuracy.append(net.accuracy(X_test, y_test))
    return {"steps": np.array(done), "means": np.array(means), "accuracy": np.array(accuracy)}


SATURATION = {"seed": 0, "width": 64, "depth": 4, "lr": 1.0, "batch_size": 10, "steps": 5000, "every": 100,
              "probe": 300}  # the page's run of `sigmoid_layer_means`


@functools.lru_cache(maxsize=1)
def sigmoid_saturation():
    """`sigmoid_layer_means(**SATURATION)`, computed once (the page prints from it and its figure
    draws it).

    Used in: reading-list § Glorot & Bengio, 2010."""
    return sigmoid_layer_means(**SATURATION)


# --- Saxe et al. 2013: deep linear networks trained by full-batch gradient descent -----------------

def regression_moments(X, Y):
    """The moments a linear least-squares loss needs: (Sxx, Sxy, yy) = (X^T X / P, X^T Y / P,
    sum(Y^2) / P) for inputs X (P, D) and targets Y (P, C)."""
    X, Y = as_float_array(X, "X"), as_float_array(Y, "Y")
    if X.ndim != 2 or Y.ndim != 2 or len(X) != len(Y):
        raise ValueError(f"X and Y must be (P, D) and (P, C) with the same P, got {X.shape} and {Y.shape}")
    P = len(X)
    return X.T @ X / P, X.T @ Y / P, float(np.sum(Y * Y)) / P


def deep_linear_loss_and_grads(weights, moments):
    """Loss and gradients of a deep linear network x -> x W_1 W_2 ... W_L on a regression set.

    weights: [W_1, ..., W_L], W_l of shape (..., n_{l-1}, n_l); leading batch dimensions (the same
    for all layers) hold independent networks trained side by side (seeds, learning rates).
    moments: (Sxx (D, D), Sxy (D, C), yy) from `regression_moments(X, Y)`.
    The loss is L = 1/(2P) ||X W - Y||^2 with W = W_1 ... W_L, written with the moments:
        L = 1/2 tr(W^T Sxx W) - tr(W^T Sxy) + yy / 2,   dL/dW = Sxx W - Sxy = B_L.
    Backward, with the prefixes F_l = W_1 ... W_l (F_0 = I):
        dL/dW_l = F_{l-1}^T B_l,   B_{l-1} = B_l W_l^T.
    Returns (loss of shape (...,), [dL/dW_1, ..., dL/dW_L] shaped like the weights).
    """
    Sxx, Sxy, yy = moments
    prefixes = [np.eye(Sxx.shape[0])]
    for W in weights:
        prefixes.append(prefixes[-1] @ W)
    product = prefixes[-1]
    SW = Sxx @ product
    loss = (0.5 * np.einsum("...ij,...ij->...", product, SW) - np.einsum("...ij,...ij->...", product, Sxy)
            + 0.5 * yy)
    grads, B = [None] * len(weights), SW - Sxy
    for l in range(len(weights) - 1, -1, -1):
        grads[l] = np.swapaxes(prefixes[l], -1, -2) @ B
        B = B @ np.swapaxes(weights[l], -1, -2)
    return loss, grads


def deep_linear_steps_to_loss(weights, moments, lrs, target, max_steps):
    """Full-batch gradient descent W_l <- W_l - lr dL/dW_l from the given weights, with each learning
    rate of `lrs`, until the loss relative to the loss of the zero map (yy / 2, i.e. 1 - R^2) is <=
    target; the steps this took with the best of the learning rates.

    weights: as in `deep_linear_loss_and_grads`, a batch of S networks (W_l of shape (S, n_{l-1},
    n_l)), not modified; each is trained once per learning rate in lrs (K,), side by side.
    Returns a float array (S,): for each network the fewest steps any learning rate needed (0 if it
    starts below target), inf if none got there within max_steps (a diverging run never does).
    Stops as soon as every network has one learning rate that got there.
    """
    target = as_number(target, "target", above=0)
    max_steps = as_int(max_steps, "max_steps", minimum=1)
    lrs = as_float_array(lrs, "lrs").ravel()
    if weights[0].ndim != 3:
        raise ValueError(f"weights must have shape (S, n_in, n_out), got {weights[0].shape}")
    S = weights[0].shape[0]
    weights = [np.broadcast_to(W[:, None], (S, lrs.size, *W.shape[1:])) for W in weights]
    lr = lrs[None, :, None, None]
    zero_loss, steps = 0.5 * moments[2], np.full(S, np.inf)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is a result, not an error
        for step in range(max_steps + 1):
            loss, grads = deep_linear_loss_and_grads(weights, moments)
            reached = np.any(loss / zero_loss <= target, axis=1)
            steps[reached & np.isinf(steps)] = step
            if np.all(np.isfinite(steps)) or step == max_steps:
                break
            weights = [W - lr * g for W, g in zip(weights, grads)]
    return steps


def mode_strengths(weights, strengths, rng, lr, steps):
    """Saxe et al.'s per-mode learning curves: full-batch gradient descent on a deep linear network
    from `weights` [W_1 (D, n_1), ..., W_L (n_{L-1}, C)], on whitened inputs (Sxx = I) and a teacher
    A = U diag(strengths) V^T with random orthonormal U (D, C) and V (C, C) drawn from rng.

    The strength of mode i is a_i = u_i^T W_1 ... W_L v_i, the product's component along the
    teacher's i-th singular pair. Returns (steps + 1, C): a_i before each step and after the last."""
    check_rng(rng)
    strengths = as_float_array(strengths, "strengths")
    D, C = weights[0].shape[0], weights[-1].shape[1]
    if strengths.shape != (C,):
        raise ValueError(f"strengths must have shape ({C},), the network's outputs, got {strengths.shape}")
    U = np.linalg.qr(rng.standard_normal((D, C)))[0]
    V = np.linalg.qr(rng.standard_normal((C, C)))[0]
    moments = (np.eye(D), U @ np.diag(strengths) @ V.T, float(np.sum(strengths ** 2)))
    rows = []
    for step in range(as_int(steps, "steps", minimum=0) + 1):
        product = functools.reduce(np.matmul, weights)
        rows.append(np.einsum("di,de,ei->i", U, product, V))
        if step < steps:
            _, grads = deep_linear_loss_and_grads(weights, moments)
            weights = [W - lr * g for W, g in zip(weights, grads)]
    return np.array(rows)


def mode_strength_curve(strength, start, lr, steps):
    """Saxe et al.'s exact solution for one mode of a network with one hidden layer, from a small
    decoupled start a_0 = `start`, in continuous time with tau = 1 / lr (one step = one time unit):
        a(t) = s e^{2 s t / tau} / (e^{2 s t / tau} - 1 + s / a_0),
    a sigmoid in t, half-way (a = s / 2) at t = tau / (2 s) ln(s / a_0 - 1). Returns (steps + 1,)."""
    s, a0 = as_number(strength, "strength", above=0), as_number(start, "start", above=0)
    e = np.exp(2 * s * lr * np.arange(as_int(steps, "steps", minimum=0) + 1))
    return s * e / (e - 1 + s / a0)


def linear_teacher(rng, d_in=16, d_out=4, n=64, scale=2.0):
    """A regression set (X (n, d_in), Y (n, d_out)): X ~ N(0, 1), Y = X A with a random teacher
    A ~ N(0, scale^2 / d_in) (d_in, d_out).

    Used in: reading-list § Saxe et al., 2013."""
    check_rng(rng)
    X = rng.standard_normal((n, d_in))
    return X, X @ rng.normal(0.0, scale / np.sqrt(d_in), size=(d_in, d_out))


def learning_times_by_depth(rng, init, depths, X, Y, lr_scales, seeds=3, target=0.01, max_steps=300):
    """Steps to a relative loss `target` for deep linear networks of each depth, with the best
    learning rate of a grid; shape (len(depths), seeds).

    A depth-L network has L - 1 hidden layers of width D = X.shape[1] and a last layer (D, C)
    (so depth 1 is linear regression), weights from `init`, `seeds` draws per depth. Learning
    rates lr = c / L for c in lr_scales: the product's effective step grows like L, so the best lr
    falls like 1/L (Saxe et al. also optimised the learning rate at each depth). inf: no learning
    rate got there in max_steps.

    Used in: reading-list § Saxe et al., 2013.
    """
    check_rng(rng)
    make, moments = initializers.resolve(init), regression_moments(X, Y)
    scales = as_float_array(lr_scales, "lr_scales").ravel()
    seeds = as_int(seeds, "seeds", minimum=1)
    D, C = X.shape[1], Y.shape[1]
    times = []
    for depth in depths:
        depth = as_int(depth, "each of depths", minimum=1)
        sizes = [D] * depth + [C]
        weights = [np.stack([make((a, b), rng) for _ in range(seeds)]) for a, b in zip(sizes[:-1], sizes[1:])]
        times.append(deep_linear_steps_to_loss(weights, moments, scales / depth, target, max_steps))
    return np.array(times)


# --- Sussillo & Abbott 2014: the log of the back-propagated norm as a random walk ----------------

def sussillo_abbott_gain(width, activation):
    """Sussillo & Abbott's scale g for W ~ N(0, g^2 / N), N = width, that makes the walk of
    log |delta| unbiased: exp(1 / (2N)) for a linear network, sqrt(2) exp(1.2 / (max(N, 6) - 2.4))
    for ReLU (their fit to the exact expression).

    Used in: reading-list § Sussillo & Abbott, 2014."""
    N = as_int(width, "width", minimum=1)
    activation = one_of(activation, "activation", ("linear", "relu"))
    if activation == "linear":
        return float(np.exp(1.0 / (2 * N)))
    return float(np.sqrt(2.0) * np.exp(1.2 / (max(N, 6) - 2.4)))


def log_norm_walk(rng, activation, gain, depth, width, walks):
    """log |delta_l| / |delta_L| for the gradient back-propagated through `depth` random layers;
    shape (walks, depth + 1), column k after k layers (column 0 is 0).

    Each walk is its own network of `depth` layers h_l = f(h_{l-1} W_l), W_l ~ N(0, gain^2 / N)
    of shape (N, N), N = width, f the identity ("linear") or ReLU, with an input h_0 ~ N(0, I).
    The gradient starts as delta_L ~ N(0, I) at the top and goes down as
        delta_{l-1} = (delta_l * f'(z_l)) W_l^T,   z_l = h_{l-1} W_l,
    so per layer log|delta_{l-1}| - log|delta_l| is a random increment (Sussillo & Abbott 2014).
    For the linear network |delta_{l-1}|^2 / |delta_l|^2 = gain^2 chi^2_N / N exactly. In a ReLU
    network a layer whose N units are all off stops the gradient for good: log 0 = -inf from there
    on (each layer has probability ~2^-N of it, so take N >= ~20 for many long walks).
    """
    check_rng(rng)
    activation = one_of(activation, "activation", ("linear", "relu"))
    gain = as_number(gain, "gain", above=0)
    depth, N = as_int(depth, "depth", minimum=1), as_int(width, "width", minimum=1)
    walks = as_int(walks, "walks", minimum=1)
    Ws = rng.normal(0.0, gain / np.sqrt(N), size=(depth, walks, N, N))
    masks = np.ones((depth, walks, 1, N))
    if activation == "relu":
        h = rng.standard_normal((walks, 1, N))
        for l in range(depth):
            z = h @ Ws[l]
            masks[l] = z > 0
            h = np.maximum(z, 0.0)
    delta = rng.standard_normal((walks, 1, N))
    logs = [np.zeros(walks)]
    start = np.log(np.linalg.norm(delta, axis=(1, 2)))
    for l in range(depth - 1, -1, -1):
        delta = (delta * masks[l]) @ np.swapaxes(Ws[l], -1, -2)
        with np.errstate(divide="ignore"):  # a dead ReLU layer: log 0 = -inf, as documented
            logs.append(np.log(np.linalg.norm(delta, axis=(1, 2))) - start)
    return np.stack(logs, axis=1)


def linear_walk_increment_moments(width, gain=1.0):
    """Mean and variance of one increment log|delta_{l-1}| - log|delta_l| of a linear network,
    exactly: it is log(gain) + log(chi^2_N / N) / 2, and for chi^2_N,
    E log chi^2_N = psi(N/2) + log 2, Var log chi^2_N = psi'(N/2) (psi the digamma function).

    Used in: reading-list § Sussillo & Abbott, 2014."""
    N = as_int(width, "width", minimum=1)
    gain = as_number(gain, "gain", above=0)
    mean = np.log(gain) + 0.5 * (special.digamma(N / 2) + np.log(2.0 / N))
    return float(mean), float(0.25 * special.polygamma(1, N / 2))


# --- He et al. 2015: fan_in and fan_out conditions differ by d_1 / d_L ---------------------------

def fan_mode_gains(rng, widths, mode, n=2000):
    """How a ReLU network with Kaiming weights in `mode` scales signals forward and back.

    widths: [d_0, d_1, ..., d_L]; z_1 = x W_1, z_l = relu(z_{l-1}) W_l (l = 2..L), W_l of shape
    (d_{l-1}, d_l) from kaiming_normal(mode=mode), x ~ N(0, 1) of shape (n, d_0). A gradient
    dL/dz_L ~ N(0, 1) goes back: dL/dz_{l-1} = (dL/dz_l W_l^T) * relu'(z_{l-1}).
    Returns (E[z_L^2] / E[z_1^2], E[(dL/dz_1)^2] / E[(dL/dz_L)^2]). He et al.'s Eqs. 10 and 14:
    with mode "fan_in" the first is 1 and the second d_L / d_1; with "fan_out" the first is
    d_1 / d_L and the second 1 (products of fan ratios d_{l-1} / d_l that telescope).

    Used in: reading-list § He et al., 2015.
    """
    check_rng(rng)
    mode = one_of(mode, "mode", initializers.FAN_MODES)
    widths = [as_int(w, "each of widths", minimum=1) for w in widths]
    if len(widths) < 3:
        raise ValueError(f"widths must list at least [d_0, d_1, d_2], got {widths!r}")
    n = as_int(n, "n", minimum=1)
    Ws = [initializers.kaiming_normal((a, b), rng, mode=mode, nonlinearity="relu")
          for a, b in zip(widths[:-1], widths[1:])]
    zs = [rng.standard_normal((n, widths[0])) @ Ws[0]]
    for W in Ws[1:]:
        zs.append(np.maximum(zs[-1], 0.0) @ W)
    g = rng.standard_normal((n, widths[-1]))
    top = np.mean(g * g)
    for W, z in zip(Ws[:0:-1], zs[-2::-1]):
        g = (g @ W.T) * (z > 0)
    return float(np.mean(zs[-1] ** 2) / np.mean(zs[0] ** 2)), float(np.mean(g * g) / top)


# --- the settings and cached runs that the page prints and its figures draw ----------------------

GLOROT_INITS = {"standard U[-1/sqrt(n), 1/sqrt(n)]": standard_uniform, "normalized (Glorot)": "xavier_uniform"}


@functools.lru_cache(maxsize=4)
def _glorot_runs(depth, width, n, seed):
    return {label: deep_stack(np.random.default_rng(seed), init, "tanh", depth=depth, width=width, n=n)
            for label, init in GLOROT_INITS.items()}


def glorot_runs(depth=5, width=1000, n=100, seed=0):
    """{init label: DeepStack} for N(0, 1) inputs (n, width) through `depth` tanh layers of `width`
    units with each of GLOROT_INITS (one forward and backward pass each), computed once (the
    chapter prints from it and its figure draws it).

    Used in: reading-list § Glorot & Bengio, 2010."""
    return _glorot_runs(depth, width, n, seed)


# The walks the figure offers: (label, (activation, gain rule)), each WALK_DEPTH layers deep.
WALKS = [("linear, g = 1", ("linear", "one")), ("linear, g = exp(1/(2N))", ("linear", "sussillo")),
         ("ReLU, g = sqrt(2)", ("relu", "he")), ("ReLU, Sussillo-Abbott g", ("relu", "sussillo"))]
WALK_DEPTH = 100


def walk_gain(activation, rule, width):
    """The gain g of a rule: "one" (1), "he" (sqrt(2)) or "sussillo" (`sussillo_abbott_gain`).

    Used in: reading-list § Sussillo & Abbott, 2014."""
    if one_of(rule, "rule", ("one", "he", "sussillo")) == "sussillo":
        return sussillo_abbott_gain(width, activation)
    return {"one": 1.0, "he": float(np.sqrt(2.0))}[rule]


@functools.lru_cache(maxsize=16)
def _log_norm_walks(activation, rule, width, walks, seed):
    return log_norm_walk(np.random.default_rng(seed), activation, walk_gain(activation, rule, width),
                         WALK_DEPTH, width, walks)


def log_norm_walks(activation, rule, width=20, walks=200, seed=0):
    """ln |delta| - ln |delta_top| after 0..WALK_DEPTH layers, (walks, WALK_DEPTH + 1), for one
    (activation, gain rule) of WALKS, computed once (the chapter prints from it and its figure
    draws it).

    Used in: reading-list § Sussillo & Abbott, 2014."""
    return _log_norm_walks(activation, rule, width, walks, seed)


SAXE_MODES = {"strengths": (3.0, 2.0, 1.0, 0.5), "width": 16, "std": 0.01, "lr": 0.05, "steps": 300}


@functools.lru_cache(maxsize=1)
def saxe_modes(seed=0):
    """`mode_strengths` of a network with one hidden layer (16 inputs, SAXE_MODES' width, 4 outputs)
    from N(0, std^2) weights, with SAXE_MODES' settings, and the exact curves of
    `mode_strength_curve` from a_0 = std^2 sqrt(width), the typical size of an entry of W_1 W_2:
    {"measured" (steps + 1, 4), "exact" (steps + 1, 4), "start": a_0}; computed once.

    Used in: reading-list § Saxe et al., 2013."""
    k = SAXE_MODES
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, k["std"], size=shape) for shape in [(16, k["width"]), (k["width"], 4)]]
    measured = mode_strengths(weights, k["strengths"], rng, k["lr"], k["steps"])
    start = k["std"] ** 2 * np.sqrt(k["width"])
    exact = np.array([mode_strength_curve(s, start, k["lr"], k["steps"]) for s in k["strengths"]]).T
    return {"measured": measured, "exact": exact, "start": start}
