"""Weight initializers: fans, gains and the standard schemes, with PyTorch's conventions.

Shapes. A dense weight is (fan_in, fan_out) and is used as `x @ W`, as in the lecture notes.
A convolution weight is (C_out, C_in, kh, kw, ...) as in PyTorch, so
fan_in = C_in * kh * kw (the notes' "filter_size^2 * input_channels") and fan_out = C_out * kh * kw.

Every initializer takes a shape and a `numpy.random.Generator` and returns a float64 array.
"""

import math
from numbers import Real

import numpy as np

from lib._validate import as_int, as_number, check_rng, one_of

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


def get_initializer(name):
    """Look up an initializer by name; ValueError lists the known names."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
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
