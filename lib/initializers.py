"""Weight initializers: fans, gains and the standard schemes, with PyTorch's conventions.

Shapes. A dense weight is (fan_in, fan_out) and is used as `x @ W`, as in the lecture notes.
A convolution weight is (C_out, C_in, kh, kw, ...) as in PyTorch, so
fan_in = C_in * kh * kw (the notes' "filter_size^2 * input_channels") and fan_out = C_out * kh * kw.

Every initializer takes a shape and a `numpy.random.Generator` and returns a float64 array.
"""

import math
from numbers import Real

import numpy as np

from lib import activations as act
from lib._validate import as_float_array, as_int, as_number, check_finite, check_rng, one_of

FAN_MODES = ("fan_in", "fan_out")


def _check_shape(shape):
    """Return `shape` as a tuple of positive ints, or raise naming what is wrong."""
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise TypeError(f"shape must be a tuple of ints, got {shape!r}") from None
    return tuple(as_int(n, f"each size in shape {shape!r}", minimum=1) for n in shape)


def fan_in_and_fan_out(shape):
    """(fan_in, fan_out) of a weight of this shape.

    Dense (fan_in, fan_out): the two sizes as given.
    Conv (C_out, C_in, *kernel): fan_in = C_in * prod(kernel), fan_out = C_out * prod(kernel).
    """
    shape = _check_shape(shape)
    if len(shape) < 2:
        raise ValueError(
            f"fans need a weight with at least 2 dimensions, got shape {shape}; "
            "a dense weight is (fan_in, fan_out), a conv weight (C_out, C_in, kh, kw)"
        )
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def calculate_gain(nonlinearity, param=None):
    """The gain PyTorch's `torch.nn.init.calculate_gain` recommends for a nonlinearity.

    linear, conv*, sigmoid: 1;  tanh: 5/3;  relu: sqrt(2);
    leaky_relu: sqrt(2 / (1 + slope^2)) with slope = param (default 0.01);  selu: 3/4.
    """
    if not isinstance(nonlinearity, str):
        raise TypeError(f"nonlinearity must be a string such as 'relu', got {nonlinearity!r}")
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else as_number(param, "param (the negative slope)")
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(
        f"unknown nonlinearity {nonlinearity!r}; known: {', '.join(linear)}, tanh, relu, leaky_relu, selu"
    )


def _fan(shape, mode):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return fan_in if one_of(mode, "mode", FAN_MODES) == "fan_in" else fan_out


def normal(shape, rng, std=0.01):
    """W ~ N(0, std^2): the lecture notes' "small random numbers" (std = 0.01 or 0.05)."""
    check_rng(rng)
    std = as_number(std, "std", minimum=0)
    return rng.normal(0.0, std, size=_check_shape(shape))


def uniform(shape, rng, bound):
    """W ~ U(-bound, bound); its standard deviation is bound / sqrt(3)."""
    check_rng(rng)
    bound = as_number(bound, "bound", minimum=0)
    return rng.uniform(-bound, bound, size=_check_shape(shape))


def xavier_normal(shape, rng, gain=1.0):
    """Glorot & Bengio (2010): W ~ N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return normal(shape, rng, as_number(gain, "gain") * math.sqrt(2.0 / (fan_in + fan_out)))


def xavier_uniform(shape, rng, gain=1.0):
    """Glorot & Bengio (2010): W ~ U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return uniform(shape, rng, as_number(gain, "gain") * math.sqrt(6.0 / (fan_in + fan_out)))


def kaiming_normal(shape, rng, a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    """He et al. (2015): W ~ N(0, std^2) with std = gain / sqrt(fan).

    PyTorch defaults: a = 0 (the negative slope), mode fan_in, nonlinearity leaky_relu, so the gain is
    sqrt(2) and std = sqrt(2 / fan_in), the notes' "std = 1 / sqrt(Din / 2)".
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(shape, mode))
    return normal(shape, rng, std)


def kaiming_uniform(shape, rng, a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    """He et al. (2015): W ~ U(-bound, bound) with bound = gain * sqrt(3 / fan) (same std as normal)."""
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / _fan(shape, mode))
    return uniform(shape, rng, bound)


def standard_uniform(shape, rng):
    """Glorot & Bengio's "standard" initialization: W ~ U[-1/sqrt(n), 1/sqrt(n)], n = fan_in.

    shape: a dense weight (fan_in, fan_out). Var(w) = (1/sqrt(n))^2 / 3 = 1 / (3 n), so a layer
    multiplies variances by n Var(w) = 1/3 in the linear regime (for equal widths), as they note.
    """
    fan_in, _ = fan_in_and_fan_out(shape)
    return uniform(shape, rng, 1.0 / math.sqrt(fan_in))


def lecun_normal(shape, rng):
    """LeCun et al. (1998): W ~ N(0, 1 / fan_in), the notes' "std = 1 / sqrt(Din)"; SELU's init."""
    fan_in, _ = fan_in_and_fan_out(shape)
    return normal(shape, rng, 1.0 / math.sqrt(fan_in))


def orthogonal(shape, rng, gain=1.0):
    """Saxe et al. (2013): a (semi-)orthogonal matrix times gain, as `torch.nn.init.orthogonal_`.

    The weight is viewed as a (shape[0], prod(shape[1:])) matrix; its rows are orthonormal when
    shape[0] <= prod(shape[1:]), its columns otherwise. Made from the QR decomposition of a Gaussian
    matrix, with signs fixed by diag(R) so the result is uniformly (Haar) distributed.
    """
    check_rng(rng)
    shape = _check_shape(shape)
    if len(shape) < 2:
        raise ValueError(f"orthogonal needs a weight with at least 2 dimensions, got shape {shape}")
    rows, cols = shape[0], math.prod(shape[1:])
    a = rng.normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return as_number(gain, "gain") * q.reshape(shape)


INITIALIZERS = {
    f.__name__: f
    for f in [xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform, lecun_normal, orthogonal]
}


# The initialization each activation was designed or is usually paired with, so that a comparison of
# activations gives each its own: He et al. (2015) derived theirs for the ReLU family (ELU's authors
# used it too); Glorot & Bengio (2010) designed theirs for sigmoid and tanh networks; Klambauer et
# al. (2017) prescribe LeCun's for SELU.
PAIRED_INIT = {"relu": "kaiming_normal", "leaky_relu": "kaiming_normal", "prelu": "kaiming_normal",
               "elu": "kaiming_normal", "gelu": "kaiming_normal", "softplus": "kaiming_normal",
               "sigmoid": "xavier_normal", "tanh": "xavier_normal", "selu": "lecun_normal"}


def paired_init(activation):
    """The initializer name PAIRED_INIT gives `activation` (a name in `lib.activations.ACTIVATIONS`)."""
    return PAIRED_INIT[act.get_activation(activation).name]


def get_initializer(name):
    """Look up an initializer by name; ValueError lists the known names (TypeError for a non-string)."""
    if not isinstance(name, str):
        raise TypeError(f"init must be an initializer name (a string), one of {', '.join(INITIALIZERS)}; got {name!r}")
    try:
        return INITIALIZERS[name]
    except KeyError:
        raise ValueError(f"unknown initializer {name!r}; known: {', '.join(INITIALIZERS)}") from None


def resolve(init):
    """An initializer from a name in INITIALIZERS, a float std (N(0, std^2)), or a callable(shape, rng)."""
    if callable(init):
        return init
    if isinstance(init, str):
        return get_initializer(init)
    if isinstance(init, Real) and not isinstance(init, bool):
        return lambda shape, rng: normal(shape, rng, init)
    raise TypeError(f"init must be an initializer name, a std, or a callable(shape, rng), got {init!r}")


# --- Data-dependent initializations: they look at a batch of data (or at the network) ----------
#
# They take a network and change its `params` in place: an `MLP` (`params` "W1", "b1", ...,
# `forward`, `hidden`, `backward`) or, for Fixup, a `ResidualMLP` (lib.network).


def _layer_inputs(net, X, l):
    """The input h_{l-1} (N, fan_in) of layer l of an MLP on X: X itself for l = 1."""
    net.forward(X)
    return X if l == 1 else net.hidden[l - 2]


def _check_network(net, kind, attributes, who):
    """TypeError naming `who` unless net has the `attributes` of a `lib.network` `kind`."""
    missing = [a for a in attributes if not hasattr(net, a)]
    if missing:
        raise TypeError(f"{who} needs a lib.network.{kind} (with {', '.join(attributes)}), got "
                        f"{type(net).__name__}, which has no {', '.join(missing)}")


def _check_batch(net, X, who):
    """X as a finite float batch (N >= 2, D) for the MLP net; TypeError if net is not an MLP. (A float32
    or float16 X stays so: with the float64 weights every product is float64, exactly as if converted.)"""
    _check_network(net, "MLP", ("sizes", "depth", "params", "forward", "hidden"), who)
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != net.sizes[0] or len(X) < 2:
        raise ValueError(f"X must be a batch of at least 2 rows of shape (N, {net.sizes[0]}), got {X.shape}")
    return check_finite(X, "X")


def data_dependent_init(net, X, beta=0.0, gamma=1.0):
    """Krähenbühl et al. (2015), Algorithm 1 (within-layer): per unit, mean `beta` and std `gamma`.

    Layer by layer from the first, on the batch X (N, D): with z = h @ W + b (N, fan_out) the
    layer's pre-activations, mu and sigma their mean and std per unit (over the N rows),

        W[:, k] <- W[:, k] * gamma / sigma_k,   b_k <- beta + (b_k - mu_k) * gamma / sigma_k,

    so that every unit's pre-activations on X have mean beta and std gamma exactly; then the next
    layer sees the new activations. The random weights only set the directions. Changes
    net.params in place (every layer, the last one too) and returns the net.
    """
    X = _check_batch(net, X, "data_dependent_init")
    gamma = as_number(gamma, "gamma", above=0)
    beta = as_number(beta, "beta")
    for l in range(1, net.depth + 1):
        h = _layer_inputs(net, X, l)
        W, b = net.params[f"W{l}"], net.params[f"b{l}"]
        z = h @ W + b
        check_finite(z, f"layer {l}'s pre-activations on X", " (are its weights or biases NaN or infinite?)")
        mu, sigma = z.mean(axis=0), z.std(axis=0)
        if not (sigma > 0).all():
            raise ValueError(f"layer {l} has units whose pre-activations are constant on X; "
                             "they cannot be scaled to a std")
        net.params[f"W{l}"] = W * (gamma / sigma)
        net.params[f"b{l}"] = beta + (b - mu) * (gamma / sigma)
    return net


def change_rates(net, X, signal):
    """||dW_l|| / ||W_l|| (Frobenius) for every layer l = 1..L, shape (L,).

    dW_l is the gradient of the output signal `signal` (N, C) backpropagated from the scores of X
    (N, D): the relative change of each layer's weights in one gradient step, Krähenbühl et al.'s
    per-layer "change rate" C_l (their code uses a random N(0, 1) signal, so no loss is needed).
    """
    X = _check_batch(net, X, "change_rates")
    net.forward(X)
    signal = check_finite(as_float_array(signal, "signal"), "signal")
    if signal.shape != (len(X), net.sizes[-1]):
        raise ValueError(f"signal must have the shape of the scores, {(len(X), net.sizes[-1])}, got {signal.shape}")
    grads = net.backward(signal)
    norms = np.array([np.linalg.norm(net.params[f"W{l}"]) for l in range(1, net.depth + 1)])
    if not (norms > 0).all():
        raise ValueError(f"W{np.flatnonzero(~(norms > 0))[0] + 1} is all zeros (or not finite): its change rate "
                         "||dW|| / ||W|| is undefined")
    return np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(1, net.depth + 1)]) / norms


def _check_rates(rates):
    """The change rates, if every one is positive and finite; else ValueError saying why they
    cannot be equalized (a layer no gradient reaches cannot be given the others' rate)."""
    bad = np.flatnonzero(~(np.isfinite(rates) & (rates > 0)))
    if bad.size:
        l = bad[0] + 1
        raise ValueError(f"layer {l}'s change rate is {rates[l - 1]}: no gradient of the signal reaches W{l} "
                         "(an all-zero signal, all-zero activations, or dead units), so the rates cannot be equalized")
    return rates


def equalize_change_rates(net, X, rng, tol=0.01, max_iter=10, signal=None):
    """Krähenbühl et al. (2015), Algorithm 2 (between layers), in a simple form: equal change rates.

    Draws one random signal S ~ N(0, 1) (N, C) at the scores (or takes `signal`), then repeats:
    r_l = `change_rates`,
    target r = geometric mean of r_1..r_L; stop when every |r_l / r - 1| < tol; else scale

        W_l <- s_l W_l with s_l = sqrt(r_l / r),   b_l <- (s_1 ... s_l) b_l.

    Why it works: for a positively homogeneous activation (ReLU, leaky ReLU) layer l's outputs
    scale by P_l = s_1 ... s_l, the gradient of W_l by P_{l-1} / P_l = 1 / s_l, so r_l becomes
    r_l / s_l^2 = r; and P_L = 1 (the geometric mean), so the network computes the same function.
    One rescaling is then exact; for other activations it is repeated (up to max_iter times) but
    the function changes. (The authors' code also redraws the signal each round and corrects the
    output's scale for non-homogeneous layers; neither is done here.)
    Changes net.params in place; returns the list of the r vectors, one per round (the last one
    is the final rates).
    """
    check_rng(rng)
    X = _check_batch(net, X, "equalize_change_rates")
    tol = as_number(tol, "tol", above=0)
    max_iter = as_int(max_iter, "max_iter", minimum=1)
    if signal is None:
        signal = rng.standard_normal((len(X), net.sizes[-1]))
    history = [_check_rates(change_rates(net, X, signal))]
    for _ in range(max_iter):
        r = history[-1]
        target = np.exp(np.mean(np.log(r)))
        if np.all(np.abs(r / target - 1) < tol):
            break
        scales = np.sqrt(r / target)
        for l, cumulative in enumerate(np.cumprod(scales), start=1):
            net.params[f"W{l}"] = net.params[f"W{l}"] * scales[l - 1]
            net.params[f"b{l}"] = net.params[f"b{l}"] * cumulative
        history.append(_check_rates(change_rates(net, X, signal)))
    return history


def lsuv_layer(W, b, h, tol=0.1, max_iter=10):
    """LSUV's loop for one layer (Mishkin & Matas 2015): rescale W until Var(h @ W + b) is near 1.

    W (fan_in, fan_out), b (fan_out,), h (N, fan_in) a batch of the layer's inputs. With v the
    variance of all entries of z = h @ W + b:

        while |v - 1| >= tol and fewer than max_iter rescalings:  W <- W / sqrt(v);  recompute v.

    With b = 0 one rescaling is exact (v scales with the square of W); a bias (or an output taken
    after a non-linearity) makes it approximate, hence the loop. The authors' code uses tol 0.1
    and max_iter 10. Returns (the new W, the variances v measured: before each rescaling and
    after the last); the number of rescalings is len(variances) - 1. ValueError if W, b or h is not
    finite, or if the biases alone make the variance >= 1 + tol at every scale of W (`_check_reachable`).
    """
    W, b, h = (check_finite(as_float_array(a, name), name) for a, name in ((W, "W"), (b, "b"), (h, "h")))
    if W.ndim != 2 or b.shape != (W.shape[1],) or h.ndim != 2 or h.shape[1] != W.shape[0]:
        raise ValueError(f"need W (fan_in, fan_out), b (fan_out,) and h (N, fan_in); got W {W.shape}, "
                         f"b {b.shape}, h {h.shape}")
    tol = as_number(tol, "tol", above=0)
    max_iter = as_int(max_iter, "max_iter", minimum=0)
    _check_reachable(h @ W, b, tol)
    variances = [float(np.var(h @ W + b))]
    while abs(variances[-1] - 1.0) >= tol and len(variances) <= max_iter:
        if not variances[-1] > 0:
            raise ValueError("the layer's output is constant on h (variance 0): it cannot be rescaled")
        W = W / np.sqrt(variances[-1])
        variances.append(float(np.var(h @ W + b)))
    return W, variances


def _check_reachable(a, b, tol):
    """ValueError if no rescaling c W (c > 0) of the layer brings Var(c a + b) below 1 + tol, a = h @ W.

    As a function of c the variance is c^2 Var(a) + 2 c Cov(a, b) + Var(b) (over all N x fan_out
    entries, b repeated on every row). For Cov < 0 it is smallest at c = -Cov / Var(a) > 0, where it
    is Var(b) - Cov^2 / Var(a); for Cov >= 0 it only falls towards Var(b) as c -> 0. If even that
    is >= 1 + tol, the biases make the output too spread out whatever the scale of W, and LSUV's
    loop would only shrink W towards 0.
    """
    a_dev = a - a.mean()
    b_dev = np.broadcast_to(b - b.mean(), a.shape)
    var_a, cov, var_b = np.mean(a_dev * a_dev), min(np.mean(a_dev * b_dev), 0.0), np.mean(b_dev * b_dev)
    smallest = var_b - cov * cov / var_a if var_a > 0 else var_b
    if smallest >= 1.0 + tol:
        raise ValueError(f"the biases b alone give the layer's output a variance of at least {smallest:.4g} "
                         f">= 1 + tol: no rescaling of W can bring it to 1 (LSUV rescales W, not b)")


def lsuv(net, X, tol=0.1, max_iter=10):
    """LSUV (Mishkin & Matas 2015) on an MLP built with init="orthogonal": `lsuv_layer` on every
    layer l = 1..L in turn, on the pre-activations z_l = h_{l-1} @ W_l + b_l of the batch X (N, D)
    (h_{l-1} computed with the layers already rescaled). Changes net.params in place; returns
    the variances of each layer (a list of lists, see `lsuv_layer`)."""
    X = _check_batch(net, X, "lsuv")
    record = []
    for l in range(1, net.depth + 1):
        h = _layer_inputs(net, X, l)
        net.params[f"W{l}"], variances = lsuv_layer(net.params[f"W{l}"], net.params[f"b{l}"], h, tol, max_iter)
        record.append(variances)
    return record


def fixup_scale(blocks, branch_layers):
    """Fixup's factor L^(-1 / (2m - 2)) for the He init of the branch layers before the last one.

    L residual blocks with m >= 2 weight layers per branch (Zhang et al. 2019, rule 2). The last
    layer of a branch starts at 0; a gradient step on it changes the branch's output in
    proportion to the square of the product of the other m - 1 layers' scales,
    (L^(-1/(2m-2)))^(2(m-1)) = 1/L, so the L branches together change the output by O(1).
    """
    blocks = as_int(blocks, "blocks", minimum=1)
    branch_layers = as_int(branch_layers, "branch_layers", minimum=2)
    return blocks ** (-1.0 / (2 * branch_layers - 2))


def fixup_init(net, rng):
    """Fixup (Zhang et al. 2019) for a `lib.network.ResidualMLP` with L blocks of m >= 2 layers.

    1. The classifier W_out, b_out and the last weight layer of every branch W_im are 0.
    2. The other branch layers W_ij (j < m) are Kaiming normal times fixup_scale(L, m); the stem
       is LeCun normal (no ReLU before it).
    3. Scalar biases (p, q, r) start at 0, multipliers (s) at 1.
    At this start every branch outputs 0, so x_L = x_0 whatever the depth. Sets net.params.
    """
    check_rng(rng)
    _check_network(net, "ResidualMLP", ("blocks", "branch_layers", "width", "D", "C", "params", "start"),
                   "fixup_init")
    L, m = net.blocks, net.branch_layers
    if m < 2:
        raise ValueError(f"Fixup needs branches of at least 2 layers (m >= 2), got branch_layers={m}")

    def branch_weight(i, j, shape, rng):
        return fixup_scale(L, m) * kaiming_normal(shape, rng) if j < m else np.zeros(shape)

    net.start(rng, branch_weight, lambda shape, rng: np.zeros(shape))
    return net
