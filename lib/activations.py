"""Activation functions and their derivatives, and one record per activation with all we know of it.

Every function takes an array `x` of any shape (lists, scalars and integer arrays are accepted and
become float64; float16/32/64 keep their dtype) and returns an array of the same shape: `f(x)`
elementwise, and `<name>_grad(x)` the elementwise derivative df/dx. Defaults follow PyTorch
(`torch.nn.functional`), so the numbers here are the ones a learner meets next. Each is written to
be numerically safe on extreme inputs: no overflow warning and no NaN for x = +-1e4 or +-inf, tails
computed without cancellation, and NaN in gives NaN out.

`ACTIVATIONS` maps a name to an `Activation` record: function, derivative, PyTorch defaults, the
parameter a figure may vary, any parameter a network learns (with its derivative), and the plainest
numpy formula the benchmark compares against. The network, the figures, the benchmark and the tests
read these records, so adding an activation is one edit here.

`maxout` is the one activation that is not elementwise: it takes the max over groups of inputs,
so it has no record.
"""

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.special import ndtr

from lib._validate import as_float_array, as_int, as_number, one_of

# SELU constants (Klambauer et al. 2017), to the precision the lecture notes give.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# Python floats (not numpy scalars), so float32 inputs stay float32.
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_COEF = 0.044715
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _where_positive(x, if_positive, otherwise):
    """`if_positive` where x > 0, `otherwise` where x <= 0, NaN where x is NaN; in x's dtype."""
    return _keep_nan(x, np.where(x > 0, if_positive, otherwise).astype(x.dtype, copy=False))


def _keep_nan(x, out):
    """`out` with NaN wherever x is NaN (a comparison like x > 0 is False there)."""
    nan = np.isnan(x)
    if nan.any():
        out = np.where(nan, np.nan, out).astype(x.dtype, copy=False)
    return out


def _exp_minus_abs(x, scale=1.0):
    """z = e^(-scale |x|) in (0, 1]: the exp that never overflows, shared by the stable forms."""
    z = np.abs(x, out=np.empty_like(x))  # an array even for 0-d x, so it can be computed in place
    if scale != 1.0:
        z *= scale
    return np.exp(np.negative(z, out=z), out=z)


def sigmoid(x):
    """sigma(x) = 1 / (1 + e^-x), in (0, 1).

    Stable form: with z = e^-|x| (never the exp of a positive number),
    sigma(x) = 1 / (1 + z) for x >= 0 and z / (1 + z) for x < 0.
    """
    x = as_float_array(x)
    z = _exp_minus_abs(x)
    r = np.reciprocal(z + 1.0)  # sigma(|x|) = 1 / (1 + z)
    return np.where(x >= 0, r, np.multiply(z, r, out=z))  # sigma(-|x|) = z / (1 + z)


def sigmoid_grad(x):
    """sigma'(x) = sigma(x) (1 - sigma(x)) = z / (1 + z)^2 with z = e^-|x|; at most 1/4 (at x = 0).

    The z form keeps full relative precision in the tails, where 1 - sigma(x) would round to 0.
    """
    z = _exp_minus_abs(as_float_array(x))
    r = np.reciprocal(z + 1.0)
    return z * r * r


def tanh(x):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x) = 2 sigma(2x) - 1, in (-1, 1)."""
    return np.tanh(as_float_array(x))


def tanh_grad(x):
    """tanh'(x) = 1 - tanh(x)^2 = 4 z / (1 + z)^2 with z = e^(-2|x|) (= 4 sigma'(2x)); at most 1.

    The z form stays exact in the tails, where 1 - tanh(x)^2 would round to 0 beyond |x| ~ 19.
    """
    z = _exp_minus_abs(as_float_array(x), 2.0)
    r = np.reciprocal(z + 1.0)
    return 4.0 * z * r * r


def relu(x):
    """ReLU(x) = max(0, x)."""
    x = as_float_array(x)
    return np.maximum(x, 0.0)


def relu_grad(x):
    """ReLU'(x) = 1 for x > 0 and 0 for x <= 0 (PyTorch's choice of subgradient at 0)."""
    x = as_float_array(x)
    return _keep_nan(x, (x > 0).astype(x.dtype))  # as _where_positive(x, 1, 0), twice as fast


def _scaled_negative_side(x, slope):
    """x for x > 0 and slope * x otherwise.

    For a scalar slope this is max(x, slope x) when slope <= 1 and min(x, slope x) when slope > 1:
    exact, NaN-preserving and far faster than np.where. slope = 0 is ReLU (so +inf stays inf, not
    0 * inf = NaN).
    """
    if np.ndim(slope) == 0:
        if slope == 0:
            return np.maximum(x, 0.0)
        return np.maximum(x, slope * x) if slope <= 1 else np.minimum(x, slope * x)
    with np.errstate(invalid="ignore"):  # 0 * inf on the side np.where discards
        return np.where(x > 0, x, slope * x)


def leaky_relu(x, negative_slope=0.01):
    """LeakyReLU(x) = x for x > 0 and negative_slope * x otherwise (Maas et al. 2013)."""
    return _scaled_negative_side(as_float_array(x), as_number(negative_slope, "negative_slope"))


def leaky_relu_grad(x, negative_slope=0.01):
    """LeakyReLU'(x) = 1 for x > 0 and negative_slope for x <= 0."""
    return _where_positive(as_float_array(x), 1.0, as_number(negative_slope, "negative_slope"))


def _prelu_alpha(alpha, x):
    """PReLU's alpha shaped to broadcast against x.

    One number: a Python float (so float32 x stays float32). A 1-D array of C values: one alpha
    per channel on axis 1 of x, as PyTorch's `nn.PReLU(num_parameters=C)` (x is (N, C, ...)).
    """
    if np.ndim(alpha) == 0:
        return as_number(alpha if not isinstance(alpha, np.ndarray) else alpha.item(), "alpha")
    alpha = as_float_array(alpha, "alpha")
    if alpha.ndim != 1 or x.ndim < 2 or x.shape[1] != alpha.size:
        raise ValueError(f"a per-channel alpha must be 1-D with one value per channel (axis 1 of x); "
                         f"got alpha of shape {alpha.shape} for x of shape {x.shape}")
    if not np.all(np.isfinite(alpha)):
        raise ValueError("alpha must be finite")
    return alpha.reshape((-1,) + (1,) * (x.ndim - 2)).astype(x.dtype, copy=False)


def prelu(x, alpha=0.25):
    """PReLU(x) = x for x > 0 and alpha * x otherwise, alpha learned (He et al. 2015).

    `alpha` is one number, or one per channel (axis 1 of x, as in PyTorch); PyTorch starts it at 0.25.
    """
    x = as_float_array(x)
    return _scaled_negative_side(x, _prelu_alpha(alpha, x))


def prelu_grad(x, alpha=0.25):
    """d PReLU / dx = 1 for x > 0 and alpha otherwise."""
    x = as_float_array(x)
    return _where_positive(x, 1.0, _prelu_alpha(alpha, x))


def prelu_alpha_grad(x, alpha=0.25):
    """d PReLU / d alpha = 0 for x > 0 and x otherwise, elementwise.

    Summing it times the upstream gradient over the elements that share an alpha gives the
    gradient of the loss with respect to that alpha.
    """
    x = as_float_array(x)
    _prelu_alpha(alpha, x)  # the same checks as the forward pass
    return _where_positive(x, 0.0, x)


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


def _gelu_tanh_inner(x):
    """u = sqrt(2/pi) (x + 0.044715 x^3) on x clipped to [-40, 40], where sigma(2u) is already 0 or 1
    (2u beyond 4600) and sigma'(2u) 0; x^3 stays below float16's largest value, 65504."""
    xc = np.clip(x, -40.0, 40.0)
    return xc, _SQRT_2_OVER_PI * (xc + _GELU_TANH_COEF * xc**3)


def gelu(x, approximate="none"):
    """GELU(x) = x Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel 2016).

    approximate="tanh" gives 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), as in PyTorch;
    computed as x sigma(2u) (since 1 + tanh(u) = 2 sigma(2u)), which does not cancel for x << 0.
    """
    x = as_float_array(x)
    # x >= -40 as the factor: below it Phi(x) and sigma(2u) are exactly 0, and so is the product,
    # which would be -inf * 0 = NaN at x = -inf (GELU's limit there is 0)
    if one_of(approximate, "approximate", ("none", "tanh")) == "tanh":
        _, u = _gelu_tanh_inner(x)
        return (np.maximum(x, -40.0) * sigmoid(2.0 * u)).astype(x.dtype, copy=False)
    return (np.maximum(x, -40.0) * ndtr(x)).astype(x.dtype, copy=False)


def gelu_grad(x, approximate="none"):
    """GELU'(x) = Phi(x) + x phi(x), phi the standard normal density.

    approximate="tanh": d/dx [x sigma(2u)] = sigma(2u) + 2 x sigma'(2u) du/dx,
    du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
    """
    x = as_float_array(x)
    if one_of(approximate, "approximate", ("none", "tanh")) == "tanh":
        xc, u = _gelu_tanh_inner(x)
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_COEF * xc**2)
        grad = sigmoid(2.0 * u) + 2.0 * xc * sigmoid_grad(2.0 * u) * du
    else:
        xc = np.clip(x, -40.0, 40.0)  # phi(40) ~ 1e-348 is already 0 in float64
        grad = ndtr(x) + xc * _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)
    return grad.astype(x.dtype, copy=False)


def softplus(x, beta=1.0):
    """Softplus(x) = log(1 + e^(beta x)) / beta, a smooth ReLU (PyTorch's default beta = 1).

    Stable form: max(x, 0) + log(1 + e^(-beta |x|)) / beta. PyTorch returns x itself where
    beta x > 20 (its `threshold`), which differs from this by log(1 + e^-20) / beta < 2.1e-9 / beta.
    """
    x = as_float_array(x)
    beta = as_number(beta, "beta", above=0)
    return np.maximum(x, 0.0) + np.log1p(_exp_minus_abs(x, beta)) / beta


def softplus_grad(x, beta=1.0):
    """Softplus'(x) = sigma(beta x), in (0, 1)."""
    x = as_float_array(x)
    beta = as_number(beta, "beta", above=0)
    return sigmoid(x if beta == 1 else beta * x)


def _check_pieces(z, pieces):
    pieces = as_int(pieces, "pieces", minimum=1)
    if z.ndim == 0 or z.shape[-1] % pieces != 0:
        raise ValueError(
            f"maxout needs the last axis of z to be a multiple of pieces={pieces}, got shape {z.shape}"
        )
    return pieces


def _groups(z, pieces):
    """z (..., units * pieces) viewed as (..., units, pieces); works for an empty batch too."""
    return z.reshape(*z.shape[:-1], z.shape[-1] // pieces, pieces)


def maxout(z, pieces=2):
    """Maxout (Goodfellow et al. 2013): the max over `pieces` linear pre-activations per unit.

    z: (..., units * pieces), where z[..., j * pieces + p] = w_{j,p}^T x + b_{j,p}.
    Returns (..., units) with out[..., j] = max_p z[..., j * pieces + p].
    """
    z = as_float_array(z, "z")
    return _groups(z, _check_pieces(z, pieces)).max(axis=-1)


def maxout_grad(z, pieces=2):
    """d out[..., j] / d z: a 0/1 mask of z's shape, 1 at the winning piece of each unit.

    Backprop through maxout is `dz = maxout_grad(z, pieces) * np.repeat(dout, pieces, axis=-1)`.
    Ties go to the first piece, so each unit passes its gradient to exactly one input.
    """
    z = as_float_array(z, "z")
    groups = _groups(z, _check_pieces(z, pieces))
    mask = np.zeros_like(groups)
    np.put_along_axis(mask, np.argmax(groups, axis=-1)[..., None], 1.0, axis=-1)
    return mask.reshape(z.shape)


@dataclass(frozen=True)
class Activation:
    """Everything the course knows about one elementwise activation.

    f(x, **params) and grad(x, **params) = df/dx, elementwise (see the functions above).
    plain: (f, f') as the plainest numpy expressions at the default parameters, safe on N(0, 1)
        inputs only; the benchmark measures `f` and `grad` against them.
    defaults: PyTorch's default parameters.
    varied: the one parameter a figure may vary (a number), or None.
    learned: {parameter: d f / d parameter (x, **params)} for each parameter a network learns.
    cases: parameter settings besides the defaults that reach another branch; the tests check the
        derivative (and, for learned parameters, backprop) at each.
    """

    name: str
    f: Callable
    grad: Callable
    plain: tuple
    defaults: dict = field(default_factory=dict)
    varied: str = None
    learned: dict = field(default_factory=dict)
    cases: tuple = ()

    def __call__(self, x, **params):
        return self.f(x, **params)


def _plain_elu(alpha, scale=1.0):
    return (lambda x: scale * np.where(x > 0, x, alpha * (np.exp(x) - 1)),
            lambda x: scale * np.where(x > 0, 1.0, alpha * np.exp(x)))


def _plain_gelu():
    from scipy.special import erf

    return (lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2))),
            lambda x: 0.5 * (1 + erf(x / np.sqrt(2))) + x * np.exp(-x * x / 2) / np.sqrt(2 * np.pi))


ACTIVATIONS = {
    a.name: a
    for a in [
        Activation("sigmoid", sigmoid, sigmoid_grad,
                   plain=(lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2)),
        Activation("tanh", tanh, tanh_grad, plain=(np.tanh, lambda x: 1 - np.tanh(x) ** 2)),
        Activation("relu", relu, relu_grad, plain=(lambda x: np.maximum(x, 0), lambda x: (x > 0) * 1.0)),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad, defaults={"negative_slope": 0.01},
                   plain=(lambda x: np.where(x > 0, x, 0.01 * x), lambda x: np.where(x > 0, 1.0, 0.01)),
                   varied="negative_slope", cases=({"negative_slope": 0.2}, {"negative_slope": 1.5})),
        Activation("prelu", prelu, prelu_grad, defaults={"alpha": 0.25},
                   plain=(lambda x: np.where(x > 0, x, 0.25 * x), lambda x: np.where(x > 0, 1.0, 0.25)),
                   varied="alpha", learned={"alpha": prelu_alpha_grad}, cases=({"alpha": -0.7},)),
        Activation("elu", elu, elu_grad, defaults={"alpha": 1.0}, plain=_plain_elu(1.0),
                   varied="alpha", cases=({"alpha": 0.5},)),
        Activation("selu", selu, selu_grad, plain=_plain_elu(SELU_ALPHA, SELU_SCALE)),
        Activation("gelu", gelu, gelu_grad, defaults={"approximate": "none"}, plain=_plain_gelu(),
                   cases=({"approximate": "tanh"},)),
        Activation("softplus", softplus, softplus_grad, defaults={"beta": 1.0},
                   plain=(lambda x: np.log1p(np.exp(x)), lambda x: 1 / (1 + np.exp(-x))), cases=({"beta": 3.0},)),
    ]
}


def get_activation(name):
    """Look up an elementwise activation's record by name; ValueError lists the known names
    (TypeError for a non-string)."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (a string), one of {', '.join(ACTIVATIONS)}; got {name!r}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}") from None


# --- what an activation passes on ----------------------------------------------------------------

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

    from scipy import integrate  # here: importing it (with scipy.optimize and sparse) takes ~0.1 s

    def integral(g):
        def weighted(u):
            return g(float(f(mu + sigma * u, **params))) * np.exp(-u * u / 2) / np.sqrt(2 * np.pi)

        return sum(integrate.quad(weighted, a, b, epsabs=0.0, epsrel=1e-11, limit=200)[0]
                   for a, b in zip(edges[:-1], edges[1:]))

    mean = integral(lambda y: y)
    return mean, integral(lambda y: (y - mean) ** 2)
