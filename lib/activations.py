"""Activation functions and their derivatives, side by side.

Every function takes an array `x` of any shape (lists, scalars and integer arrays are accepted and
become floats) and returns an array of the same shape: `f(x)` elementwise, and `<name>_grad(x)` the
elementwise derivative df/dx. Defaults follow PyTorch (`torch.nn.functional`), so the numbers here are
the ones a learner meets next. Each is written to be numerically safe on extreme inputs: no overflow
warning and no NaN for x = +-1e4, and NaN in gives NaN out.

`maxout` is the one activation that is not elementwise: it takes the max over groups of inputs.
`ACTIVATIONS` maps a name to its function, derivative and default parameters, for loops over them.
"""

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.special import ndtr

from lib._validate import as_float_array, as_number

# SELU constants (Klambauer et al. 2017), to the precision the lecture notes give.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# Python floats (not numpy scalars), so float32 inputs stay float32.
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_COEF = 0.044715
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def sigmoid(x):
    """sigma(x) = 1 / (1 + e^-x), in (0, 1).

    Stable form: with z = e^-|x| (never the exp of a positive number),
    sigma(x) = 1 / (1 + z) for x >= 0 and z / (1 + z) for x < 0.
    """
    x = as_float_array(x)
    z = np.abs(x, out=np.empty_like(x))  # an array even for 0-d x, so it can be computed in place
    np.exp(np.negative(z, out=z), out=z)  # z = e^-|x| in (0, 1], in place (this is the hot path)
    r = np.reciprocal(z + 1.0)  # sigma(|x|) = 1 / (1 + z)
    return np.where(x >= 0, r, np.multiply(z, r, out=z))  # sigma(-|x|) = z / (1 + z)


def sigmoid_grad(x):
    """sigma'(x) = sigma(x) (1 - sigma(x)), at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x) = 2 sigma(2x) - 1, in (-1, 1)."""
    return np.tanh(as_float_array(x))


def tanh_grad(x):
    """tanh'(x) = 1 - tanh(x)^2, at most 1 (at x = 0)."""
    t = tanh(x)
    return 1.0 - t * t


def relu(x):
    """ReLU(x) = max(0, x)."""
    x = as_float_array(x)
    return np.maximum(x, 0.0)


def _step(x):
    """1 where x > 0, 0 where x <= 0, NaN where x is NaN: np.heaviside(x, 0), several times faster."""
    out = (x > 0).astype(x.dtype)
    nan = np.isnan(x)
    if nan.any():
        out[nan] = np.nan
    return out


def relu_grad(x):
    """ReLU'(x) = 1 for x > 0 and 0 for x <= 0 (PyTorch's choice of subgradient at 0)."""
    return _step(as_float_array(x))


def leaky_relu(x, negative_slope=0.01):
    """LeakyReLU(x) = x for x > 0 and negative_slope * x otherwise (Maas et al. 2013)."""
    return _scaled_negative_side(as_float_array(x), as_number(negative_slope, "negative_slope"))


def _scaled_negative_side(x, slope):
    """x for x > 0 and slope * x otherwise. For a scalar slope this is max(x, slope x) when slope <= 1
    and min(x, slope x) when slope > 1: exact, NaN-preserving, and far faster than np.where."""
    if np.ndim(slope) == 0:
        return np.maximum(x, slope * x) if slope <= 1 else np.minimum(x, slope * x)
    return np.where(x > 0, x, slope * x)


def leaky_relu_grad(x, negative_slope=0.01):
    """LeakyReLU'(x) = 1 for x > 0 and negative_slope for x <= 0."""
    slope = as_number(negative_slope, "negative_slope")
    return slope + (1.0 - slope) * _step(as_float_array(x))


def _as_alpha(alpha):
    """PReLU's alpha: a Python float when it is one number (so float32 x stays float32), else an array."""
    alpha = as_float_array(alpha, "alpha")
    return float(alpha) if alpha.ndim == 0 else alpha


def prelu(x, alpha=0.25):
    """PReLU(x) = x for x > 0 and alpha * x otherwise, alpha learned (He et al. 2015).

    `alpha` is a number or an array that broadcasts against `x` (e.g. one value per channel);
    PyTorch initialises it to 0.25.
    """
    return _scaled_negative_side(as_float_array(x), _as_alpha(alpha))


def prelu_grad(x, alpha=0.25):
    """Both derivatives of PReLU, elementwise: (d/dx, d/dalpha).

    d/dx = 1 for x > 0 and alpha otherwise; d/dalpha = 0 for x > 0 and x otherwise.
    Summing d/dalpha times the upstream gradient over the elements that share an alpha gives the
    gradient of the loss with respect to that alpha.
    """
    x = as_float_array(x)
    return _prelu_input_grad(x, alpha), np.where(x > 0, 0.0, x)


def elu(x, alpha=1.0):
    """ELU(x) = x for x > 0 and alpha (e^x - 1) otherwise (Clevert et al. 2015)."""
    x = as_float_array(x)
    alpha = as_number(alpha, "alpha")
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x, alpha=1.0):
    """ELU'(x) = 1 for x > 0 and alpha e^x for x <= 0."""
    x = as_float_array(x)
    alpha = as_number(alpha, "alpha")
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def selu(x):
    """SELU(x) = lambda x for x > 0 and lambda alpha (e^x - 1) otherwise (Klambauer et al. 2017).

    alpha = SELU_ALPHA ~ 1.6733 and lambda = SELU_SCALE ~ 1.0507 make mean 0, variance 1 a fixed
    point of a layer with N(0, 1/fan_in) weights.
    """
    return SELU_SCALE * elu(x, SELU_ALPHA)


def selu_grad(x):
    """SELU'(x) = lambda for x > 0 and lambda alpha e^x for x <= 0."""
    return SELU_SCALE * elu_grad(x, SELU_ALPHA)


def _check_approximate(approximate):
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")


def _gelu_tanh_inner(x):
    """u = sqrt(2/pi) (x + 0.044715 x^3) on x clipped to [-50, 50], where tanh(u) is already +-1."""
    xc = np.clip(x, -50.0, 50.0)
    return xc, _SQRT_2_OVER_PI * (xc + _GELU_TANH_COEF * xc**3)


def gelu(x, approximate="none"):
    """GELU(x) = x Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel 2016).

    approximate="tanh" gives 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as in PyTorch.
    """
    x = as_float_array(x)
    _check_approximate(approximate)
    if approximate == "tanh":
        _, u = _gelu_tanh_inner(x)
        return 0.5 * x * (1.0 + np.tanh(u))
    return x * ndtr(x)


def gelu_grad(x, approximate="none"):
    """GELU'(x) = Phi(x) + x phi(x), phi the standard normal density (or the tanh form's derivative)."""
    x = as_float_array(x)
    _check_approximate(approximate)
    if approximate == "tanh":
        xc, u = _gelu_tanh_inner(x)
        t = np.tanh(u)
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_COEF * xc**2)
        return 0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * du
    xc = np.clip(x, -40.0, 40.0)  # phi(40) ~ 1e-348 is already 0 in float64
    return ndtr(x) + xc * _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)


def _check_pieces(z, pieces):
    if isinstance(pieces, bool) or not isinstance(pieces, (int, np.integer)) or pieces < 1:
        raise ValueError(f"pieces must be a positive integer, got {pieces!r}")
    if z.ndim == 0 or z.shape[-1] % pieces != 0:
        raise ValueError(
            f"maxout needs the last axis of z to be a multiple of pieces={pieces}, got shape {z.shape}"
        )


def maxout(z, pieces=2):
    """Maxout (Goodfellow et al. 2013): the max over `pieces` linear pre-activations per unit.

    z: (..., units * pieces), where z[..., j * pieces + p] = w_{j,p}^T x + b_{j,p}.
    Returns (..., units) with out[..., j] = max_p z[..., j * pieces + p].
    """
    z = as_float_array(z, "z")
    _check_pieces(z, pieces)
    return z.reshape(*z.shape[:-1], -1, pieces).max(axis=-1)


def maxout_grad(z, pieces=2):
    """d out[..., j] / d z: a 0/1 mask of z's shape, 1 at the winning piece of each unit.

    Backprop through maxout is `dz = maxout_grad(z, pieces) * np.repeat(dout, pieces, axis=-1)`.
    Ties go to the first piece, so each unit passes its gradient to exactly one input.
    """
    z = as_float_array(z, "z")
    _check_pieces(z, pieces)
    groups = z.reshape(*z.shape[:-1], -1, pieces)
    winner = np.argmax(groups, axis=-1)[..., None]
    mask = np.zeros_like(groups)
    np.put_along_axis(mask, winner, 1.0, axis=-1)
    return mask.reshape(z.shape)


@dataclass(frozen=True)
class Activation:
    """An elementwise activation: its function, its derivative in x, and its PyTorch defaults."""

    name: str
    f: Callable
    grad: Callable
    defaults: dict = field(default_factory=dict)

    def __call__(self, x, **params):
        return self.f(x, **params)


def _prelu_input_grad(x, alpha=0.25):
    """d PReLU / dx only (1 for x > 0, alpha otherwise): the registry's one derivative for PReLU."""
    alpha = _as_alpha(alpha)
    return alpha + (1.0 - alpha) * _step(as_float_array(x))


ACTIVATIONS = {
    a.name: a
    for a in [
        Activation("sigmoid", sigmoid, sigmoid_grad),
        Activation("tanh", tanh, tanh_grad),
        Activation("relu", relu, relu_grad),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad, {"negative_slope": 0.01}),
        Activation("prelu", prelu, _prelu_input_grad, {"alpha": 0.25}),
        Activation("elu", elu, elu_grad, {"alpha": 1.0}),
        Activation("selu", selu, selu_grad),
        Activation("gelu", gelu, gelu_grad, {"approximate": "none"}),
    ]
}


def get_activation(name):
    """Look up an elementwise activation by name; ValueError lists the known names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}") from None
