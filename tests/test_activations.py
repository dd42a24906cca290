"""Activations: derivatives against finite differences, PyTorch defaults, constants, extreme inputs."""

import inspect
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from lib import activations as act
from lib.activations import moments_of_output
from lib.gradcheck import elementwise_derivative, numerical_gradient

# Every activation in the registry, at its defaults and at each setting its record lists as a case.
CASES = [(name, params) for name, a in act.ACTIVATIONS.items() for params in (a.defaults, *a.cases)]
IDS = [f"{n}-{p}" for n, p in CASES]


def kinked(name, params):
    """Whether the derivative jumps at 0 (f' differs on the two sides of 0 by more than 1e-3)."""
    grad = act.get_activation(name).grad
    return abs(grad(1e-9, **params) - grad(-1e-9, **params)) > 1e-3


def _fd_check(name, params, x):
    a = act.get_activation(name)
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    numeric = elementwise_derivative(lambda t: a.f(t, **params), x, h)
    np.testing.assert_allclose(a.grad(x, **params), numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name,params", CASES, ids=IDS)
def test_derivative_matches_finite_differences_on_a_wide_grid(name, params):
    x = np.concatenate([np.linspace(-60, 60, 2401), np.geomspace(1e-3, 1e3, 200), -np.geomspace(1e-3, 1e3, 200)])
    if kinked(name, params):
        x = x[np.abs(x) > 1e-4]
    _fd_check(name, params, x)


@settings(max_examples=200, deadline=None)
@given(x=st.floats(-80, 80, allow_nan=False), case=st.sampled_from(CASES))
def test_derivative_matches_finite_differences_anywhere(x, case):
    name, params = case
    if kinked(name, params) and abs(x) < 1e-4:
        x = 1e-4 if x >= 0 else -1e-4
    _fd_check(name, params, np.array([x]))


LEARNED = [(name, p, d) for name, a in act.ACTIVATIONS.items() for p, d in a.learned.items()]


@pytest.mark.parametrize("name,param,derivative", LEARNED, ids=[f"{n}-{p}" for n, p, _ in LEARNED])
def test_derivative_in_a_learned_parameter_matches_finite_differences(name, param, derivative):
    a = act.get_activation(name)
    x = np.linspace(-4, 4, 81)
    upstream = np.cos(x)  # any upstream gradient
    for params in (a.defaults, *a.cases):
        value = np.array(float(params[param]) + 0.05)  # off the default, so a constant is caught
        others = {**params, param: value}
        numeric = numerical_gradient(lambda: np.sum(upstream * a.f(x, **others)), value)
        np.testing.assert_allclose(np.sum(upstream * derivative(x, **others)), numeric, rtol=1e-7)


def test_prelu_takes_one_alpha_per_channel_on_axis_1_like_pytorch():
    x = np.array([[[-2.0, 1.0], [-2.0, -1.0], [3.0, -4.0]]])  # (N=1, C=3, L=2)
    alpha = np.array([0.1, 0.5, 2.0])
    np.testing.assert_allclose(act.prelu(x, alpha), [[[-0.2, 1.0], [-1.0, -0.5], [3.0, -8.0]]])
    np.testing.assert_allclose(act.prelu_grad(x, alpha), [[[0.1, 1.0], [0.5, 0.5], [1.0, 2.0]]])
    np.testing.assert_allclose(act.prelu_alpha_grad(x, alpha), [[[-2.0, 0.0], [-2.0, -1.0], [0.0, -4.0]]])
    with pytest.raises(ValueError, match="one value per channel"):
        act.prelu(np.ones((2, 4)), alpha)


def test_maxout_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((5, 12))
    upstream = rng.standard_normal((5, 4))
    numeric = numerical_gradient(lambda: np.sum(upstream * act.maxout(z, pieces=3)), z)
    analytic = act.maxout_grad(z, pieces=3) * np.repeat(upstream, 3, axis=-1)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_maxout_contains_relu_and_leaky_relu():
    x = np.linspace(-3, 3, 61)
    np.testing.assert_array_equal(act.maxout(np.stack([x, 0 * x], axis=-1))[:, 0], act.relu(x))
    np.testing.assert_allclose(act.maxout(np.stack([x, 0.01 * x], axis=-1))[:, 0], act.leaky_relu(x))


def test_defaults_follow_pytorch():
    def default(f, p):
        return inspect.signature(f).parameters[p].default

    assert default(act.leaky_relu, "negative_slope") == 0.01
    assert default(act.prelu, "alpha") == 0.25
    assert default(act.elu, "alpha") == 1.0
    assert default(act.gelu, "approximate") == "none"


def test_selu_constants_to_full_precision():
    assert act.SELU_ALPHA == float("1.6732632423543772848170429916717")
    assert act.SELU_SCALE == float("1.0507009873554804934193349852946")


def test_selu_keeps_standard_normal_input_at_mean_0_variance_1():
    density = stats.norm.pdf
    mean = integrate.quad(lambda x: act.selu(x) * density(x), -np.inf, np.inf)[0]
    second = integrate.quad(lambda x: act.selu(x) ** 2 * density(x), -np.inf, np.inf)[0]
    assert abs(mean) < 1e-7
    assert abs(second - mean**2 - 1) < 1e-7


def test_gelu_is_x_times_normal_cdf_and_tanh_form_is_within_its_error_bound():
    x = np.linspace(-10, 10, 20001)
    np.testing.assert_allclose(act.gelu(x), x * stats.norm.cdf(x), rtol=1e-12, atol=1e-15)
    error = np.max(np.abs(act.gelu(x, approximate="tanh") - act.gelu(x)))
    assert 1e-5 < error < 5e-4  # measured ~ 4.7e-4 (2.3e-4 per side of 0.5 x): close, not equal


def test_closed_forms_and_identities():
    x = np.linspace(-20, 20, 801)
    np.testing.assert_allclose(act.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(act.tanh(x), 2 * act.sigmoid(2 * x) - 1, atol=1e-15)
    np.testing.assert_allclose(act.sigmoid(-x), 1 - act.sigmoid(x), atol=1e-16)
    assert act.sigmoid_grad(0.0) == 0.25 and act.tanh_grad(0.0) == 1.0
    np.testing.assert_allclose(act.elu(x[x <= 0]), np.exp(x[x <= 0]) - 1, atol=1e-15)


def test_gradient_at_zero_follows_pytorch_subgradients():
    assert act.relu_grad(0.0) == 0.0
    assert act.leaky_relu_grad(0.0) == 0.01
    assert act.prelu_grad(0.0) == 0.25
    assert act.elu_grad(0.0) == 1.0


ALL_FUNCTIONS = [(f"{n}-{p}", a.f, a.grad, p) for n, a in act.ACTIVATIONS.items() for p in (a.defaults, *a.cases)]


@pytest.mark.parametrize("name,f,grad,params", ALL_FUNCTIONS, ids=[c[0] for c in ALL_FUNCTIONS])
def test_extreme_inputs_give_no_warning_and_no_nan(name, f, grad, params):
    x = np.array([-1e300, -1e4, -745.2, -50.0, 0.0, 50.0, 745.2, 1e4, 1e300])
    with np.errstate(all="raise", under="ignore"):  # any overflow or invalid operation raises here
        for g in (f, grad):
            out = g(x, **params)
            assert out.shape == x.shape
            assert np.all(np.isfinite(out)), f"{name} {g.__name__} gave {out}"


@pytest.mark.parametrize("name,f,grad,params", ALL_FUNCTIONS, ids=[c[0] for c in ALL_FUNCTIONS])
def test_nan_propagates_and_empty_stays_empty(name, f, grad, params):
    for g in (f, grad):
        assert np.isnan(g(np.array([np.nan]), **params)).all()
        assert g(np.empty((0, 3)), **params).shape == (0, 3)


@pytest.mark.parametrize("name,f,grad,params", ALL_FUNCTIONS, ids=[c[0] for c in ALL_FUNCTIONS])
def test_dtypes_integers_become_float64_and_float32_stays(name, f, grad, params):
    for g in (f, grad):
        out = g(np.array([-3, 0, 2, 100_000], dtype=np.int64), **params)
        assert out.dtype == np.float64
        np.testing.assert_allclose(out, g(np.array([-3.0, 0.0, 2.0, 1e5]), **params))
        assert g(np.array([-1.0, 2.0], dtype=np.float32), **params).dtype == np.float32
    assert f([1, 2]).shape == (2,)  # lists work too


def test_sigmoid_saturates_exactly_and_never_overflows():
    with np.errstate(all="raise", under="ignore"):
        assert act.sigmoid(1e4) == 1.0 and act.sigmoid(-1e4) == 0.0
        assert act.sigmoid(-745.0) > 0  # the subnormal tail survives


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="real numeric array"):
        act.relu(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="real numeric array"):
        act.sigmoid(np.array([1 + 2j]))
    with pytest.raises(TypeError, match="negative_slope"):
        act.leaky_relu(1.0, negative_slope="0.1")
    with pytest.raises(ValueError, match="approximate"):
        act.gelu(1.0, approximate="sigmoid")
    with pytest.raises(ValueError, match="multiple of pieces"):
        act.maxout(np.ones((2, 5)), pieces=2)
    with pytest.raises(ValueError, match="pieces"):
        act.maxout(np.ones((2, 4)), pieces=0)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        act.get_activation("swish")


def _mp(f, x):
    """f at x (a float) in 50-digit arithmetic, rounded to a float: an independent reference."""
    mpmath.mp.dps = 50
    return float(f(mpmath.mpf(x)))


@pytest.mark.parametrize("x", [-745.0, -100.0, -37.0, -30.0, -19.0, -5.0, 0.5, 5.0, 19.0, 30.0, 37.0, 100.0, 700.0])
def test_tails_keep_full_relative_precision(x):
    """sigma' and tanh' in their tails, where 1 - sigma or 1 - tanh^2 would round to 0 (or lose digits)."""
    sigmoid_grad = _mp(lambda t: mpmath.exp(-t) / (1 + mpmath.exp(-t)) ** 2, x)
    tanh_grad = _mp(lambda t: 1 / mpmath.cosh(t) ** 2, x)
    assert act.sigmoid_grad(x) == pytest.approx(sigmoid_grad, rel=1e-13, abs=1e-320)
    assert act.tanh_grad(x) == pytest.approx(tanh_grad, rel=1e-13, abs=1e-320)


def test_tanh_form_of_gelu_does_not_cancel_for_negative_inputs():
    def u(t):
        return mpmath.sqrt(2 / mpmath.pi) * (t + mpmath.mpf("0.044715") * t**3)

    for x in [-3.0, -6.0, -8.0, -10.0, 2.0]:
        value = _mp(lambda t: t / 2 * (1 + mpmath.tanh(u(t))), x)
        slope = _mp(lambda t: mpmath.diff(lambda s: s / 2 * (1 + mpmath.tanh(u(s))), t), x)
        assert act.gelu(x, approximate="tanh") == pytest.approx(value, rel=1e-12, abs=1e-300)
        assert act.gelu_grad(x, approximate="tanh") == pytest.approx(slope, rel=1e-10, abs=1e-300)


def test_zero_slope_keeps_infinity_like_pytorch():
    with np.errstate(all="raise"):
        assert act.leaky_relu(np.inf, negative_slope=0.0) == np.inf
        assert act.prelu(np.inf, 0.0) == np.inf
        assert act.prelu(np.array([[np.inf, -2.0]]), np.array([0.0, 0.5])).tolist() == [[np.inf, -1.0]]


@pytest.mark.parametrize("slope", [0.01, 0.1, 0.3, 0.7, 1 / 3, 1.5, 1e300])
def test_leaky_and_prelu_derivatives_are_exact_for_any_slope(slope):
    x = np.array([-2.0, -1e-300, 0.0, 3.0, 1e300])
    expected = [slope, slope, slope, 1.0, 1.0]
    assert act.leaky_relu_grad(x, negative_slope=slope).tolist() == expected
    assert act.prelu_grad(x, slope).tolist() == expected


def test_float16_stays_float16_and_an_empty_maxout_batch_is_empty():
    x = np.array([-2.0, 0.0, 3.0], dtype=np.float16)
    for name, a in act.ACTIVATIONS.items():
        for params in (a.defaults, *a.cases):
            assert a.f(x, **params).dtype == np.float16, name
            assert a.grad(x, **params).dtype == np.float16, name
    assert act.maxout(np.empty((0, 6)), pieces=3).shape == (0, 2)
    assert act.maxout_grad(np.empty((0, 6)), pieces=3).shape == (0, 6)


# ---------------------------------------------------------------------------------------------
# Values against independent references: every activation and derivative, at every setting the
# registry lists, against its closed form in 50-digit arithmetic, with the published constants
# written out here (never read from lib). A wrong constant, default, branch or tail fails these.

with mpmath.workdps(50):
    # SELU's alpha_01 and lambda_01 from their closed forms (Klambauer et al. 2017), with
    # c = erfc(1/sqrt 2): alpha = -sqrt(2/pi) / (c sqrt(e) - 1) = 1.67326324235437728481704299167...,
    # lambda = (1 - c sqrt(e)) sqrt(2 pi) / sqrt(2 erfc(sqrt 2) e^2 + pi c^2 e - 2 (2 + pi) c sqrt(e) + pi + 2)
    #        = 1.05070098735548049341933498529...
    _c, _e, _pi = mpmath.erfc(1 / mpmath.sqrt(2)), mpmath.e, mpmath.pi
    SELU_ALPHA = -mpmath.sqrt(2 / _pi) / (_c * mpmath.sqrt(_e) - 1)
    SELU_LAMBDA = (1 - _c * mpmath.sqrt(_e)) * mpmath.sqrt(2 * _pi) / mpmath.sqrt(
        2 * mpmath.erfc(mpmath.sqrt(2)) * _e**2 + _pi * _c**2 * _e - 2 * (2 + _pi) * _c * mpmath.sqrt(_e) + _pi + 2)
    GELU_TANH_COEF = mpmath.mpf("0.044715")  # Hendrycks & Gimpel 2016; torch.nn.GELU(approximate="tanh")


def _sig(t):
    return 1 / (1 + mpmath.exp(-t))


def _gelu_tanh(x):
    """0.5 x (1 + tanh(u)) written as x sigma(2u) (1 + tanh u = 2 sigma(2u)), which does not cancel
    in 50 digits for x << 0; u = sqrt(2/pi) (x + 0.044715 x^3)."""
    u = mpmath.sqrt(2 / mpmath.pi) * (x + GELU_TANH_COEF * x**3)
    return x * _sig(2 * u)


def _gelu_tanh_grad(x):
    """d/dx x sigma(2u) = sigma(2u) + 2 x sigma'(2u) u',  u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)."""
    u = mpmath.sqrt(2 / mpmath.pi) * (x + GELU_TANH_COEF * x**3)
    du = mpmath.sqrt(2 / mpmath.pi) * (1 + 3 * GELU_TANH_COEF * x**2)
    return _sig(2 * u) + 2 * x * _sig(2 * u) * (1 - _sig(2 * u)) * du


# name: (f(x, **params), f'(x, **params)) for an mpf x. Kinks follow PyTorch: at x = 0 the derivative
# takes the x <= 0 side (relu'(0) = 0, leaky'(0) = slope, elu'(0) = alpha e^0 = alpha).
REFERENCE = {
    "sigmoid": (_sig, lambda x: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2),
    "tanh": (mpmath.tanh, lambda x: mpmath.sech(x) ** 2),
    "relu": (lambda x: x if x > 0 else 0, lambda x: 1 if x > 0 else 0),
    "leaky_relu": (lambda x, negative_slope: x if x > 0 else negative_slope * x,
                   lambda x, negative_slope: 1 if x > 0 else negative_slope),
    "prelu": (lambda x, alpha: x if x > 0 else alpha * x, lambda x, alpha: 1 if x > 0 else alpha),
    "elu": (lambda x, alpha: x if x > 0 else alpha * mpmath.expm1(x),
            lambda x, alpha: 1 if x > 0 else alpha * mpmath.exp(x)),
    "selu": (lambda x: SELU_LAMBDA * (x if x > 0 else SELU_ALPHA * mpmath.expm1(x)),
             lambda x: SELU_LAMBDA * (1 if x > 0 else SELU_ALPHA * mpmath.exp(x))),
    "gelu": (lambda x, approximate: x * mpmath.ncdf(x) if approximate == "none" else _gelu_tanh(x),
             lambda x, approximate: (mpmath.ncdf(x) + x * mpmath.npdf(x)) if approximate == "none"
             else _gelu_tanh_grad(x)),
    # log(1 + e^(beta x)) / beta exactly (lib documents that it does not use PyTorch's threshold 20)
    "softplus": (lambda x, beta: mpmath.log1p(mpmath.exp(beta * x)) / beta, lambda x, beta: _sig(beta * x)),
}

# Tails (where a derivative must not round to 0 too early), the kink at 0 and both sides of it.
GRID = np.array([-745.0, -100.0, -40.0, -20.0, -10.0, -5.0, -3.0, -2.0, -1.5, -1.0, -0.5, -0.1, -1e-3,
                 -1e-8, 0.0, 1e-8, 1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 40.0, 100.0, 700.0])


def reference(fn, x, params):
    """fn (x, **params) at each float in x, in 50-digit arithmetic, rounded to float64."""
    with mpmath.workdps(50):
        return np.array([float(fn(mpmath.mpf(float(t)), **params)) for t in x])


def test_every_registered_activation_has_a_reference():
    assert set(REFERENCE) == set(act.ACTIVATIONS)


@pytest.mark.parametrize("name,params", CASES, ids=IDS)
def test_values_and_derivatives_match_50_digit_closed_forms(name, params):
    a = act.get_activation(name)
    f, df = REFERENCE[name]
    x = np.append(GRID, np.nan)  # a NaN among the values must stay NaN and leave the others alone
    for got, want in [(a(x, **params), reference(f, GRID, params)),  # the record is callable as f
                      (a.grad(x, **params), reference(df, GRID, params))]:
        assert np.isnan(got[-1])
        np.testing.assert_allclose(got[:-1], want, rtol=1e-13, atol=1e-300)


PLAIN = [(name, lambda a=a: a.plain, a.defaults) for name, a in act.ACTIVATIONS.items()] + [
    # The factories behind the records' `plain`, called again inside the test (the records are built
    # at import, where mutation testing cannot reach them), and away from the defaults.
    ("elu", lambda: act._plain_elu(0.5), {"alpha": 0.5}),
    ("selu", lambda: act._plain_elu(float(SELU_ALPHA), float(SELU_LAMBDA)), {}),
    ("gelu", lambda: act._plain_gelu(), {"approximate": "none"}),
]


@pytest.mark.parametrize("name,make_plain,params", PLAIN, ids=[f"{n}-{p}" for n, _, p in PLAIN])
def test_plain_formulas_used_by_the_benchmark_are_right_on_normal_inputs(name, make_plain, params):
    """`plain` is the benchmark's yardstick, at the defaults and for |x| <= 5 (N(0, 1) inputs) only."""
    f, df = REFERENCE[name]
    x = GRID[np.abs(GRID) <= 5]
    plain_f, plain_grad = make_plain()
    # exp(x) - 1 loses relative (not absolute) precision near 0, hence the absolute tolerance
    np.testing.assert_allclose(plain_f(x), reference(f, x, params), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(plain_grad(x), reference(df, x, params), rtol=1e-12, atol=1e-15)


# torch.nn.LeakyReLU(negative_slope=0.01), nn.PReLU(init=0.25), nn.ELU(alpha=1.0), nn.GELU(approximate="none"),
# nn.Softplus(beta=1.0); the other activations have no parameter.
PYTORCH_DEFAULTS = {"leaky_relu": {"negative_slope": 0.01}, "prelu": {"alpha": 0.25}, "elu": {"alpha": 1.0},
                    "gelu": {"approximate": "none"}, "softplus": {"beta": 1.0}}


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_calling_without_parameters_uses_pytorchs_defaults(name):
    a = act.ACTIVATIONS[name]
    defaults = PYTORCH_DEFAULTS.get(name, {})
    assert a.defaults == defaults
    f, df = REFERENCE[name]
    np.testing.assert_allclose(a.f(GRID), reference(f, GRID, defaults), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(a.grad(GRID), reference(df, GRID, defaults), rtol=1e-13, atol=1e-300)


def test_defaults_give_pytorchs_values_when_called_without_parameters():
    """PyTorch: LeakyReLU slope 0.01, PReLU init 0.25, ELU alpha 1, GELU exact (erf) form."""
    assert act.leaky_relu(-2.0) == -0.02 and act.leaky_relu_grad(-2.0) == 0.01
    assert act.prelu(-2.0) == -0.5 and act.prelu_grad(-2.0) == 0.25
    assert act.prelu_alpha_grad(-2.0) == -2.0 and act.prelu_alpha_grad(3.0) == 0.0
    assert act.elu(-1.0) == pytest.approx(math.expm1(-1.0), rel=1e-15)
    assert act.elu_grad(-1.0) == pytest.approx(math.exp(-1.0), rel=1e-15)
    # Phi(1) = 0.841344746068542..., phi(1) = 0.241970724519143... (standard normal tables)
    assert act.gelu(1.0) == pytest.approx(0.8413447460685429, rel=1e-14)
    assert act.gelu_grad(1.0) == pytest.approx(0.8413447460685429 + 0.24197072451914337, rel=1e-14)


def test_zero_slope_is_relu_on_finite_inputs():
    x = np.array([-2.0, -1e-300, 0.5, 3.0])
    assert act.leaky_relu(x, negative_slope=0.0).tolist() == [0.0, 0.0, 0.5, 3.0]
    assert act.prelu(x, 0.0).tolist() == [0.0, 0.0, 0.5, 3.0]


def test_nan_inside_a_float32_array_keeps_float32_and_the_other_values():
    x = np.array([np.nan, -2.0, 3.0], dtype=np.float32)
    for g, others in [(act.relu_grad, [0.0, 1.0]), (act.leaky_relu_grad, [np.float32(0.01), 1.0]),
                      (act.prelu_grad, [0.25, 1.0]), (act.prelu_alpha_grad, [-2.0, 0.0])]:
        out = g(x)
        assert out.dtype == np.float32 and np.isnan(out[0]), g.__name__
        assert out[1:].tolist() == others, g.__name__


def test_per_channel_prelu_keeps_float32_and_refuses_alphas_of_the_wrong_shape():
    x = np.array([[-2.0, 4.0], [1.0, -1.0]], dtype=np.float32)
    alpha = np.array([0.5, 0.25])
    assert act.prelu(x, alpha).dtype == np.float32
    assert act.prelu(x, alpha).tolist() == [[-1.0, 4.0], [1.0, -0.25]]
    assert act.prelu_grad(x, alpha).dtype == np.float32
    for bad_x, bad_alpha in [(np.ones((2, 2)), np.ones((1, 2))),  # a 2-D alpha, even of the right size
                             (np.ones(2), np.ones(2)),  # a 1-D x has no channel axis
                             (np.ones((2, 3)), np.ones(2))]:  # one alpha per channel, not fewer
        with pytest.raises(ValueError, match="one value per channel"):
            act.prelu(bad_x, bad_alpha)


def test_maxout_over_one_piece_is_the_identity_and_any_leading_axes_work():
    z = np.arange(24.0).reshape(2, 3, 4) * np.array([1.0, -1.0, 1.0, -1.0])  # (2, 3, 4)
    np.testing.assert_array_equal(act.maxout(z, pieces=1), z)
    np.testing.assert_array_equal(act.maxout_grad(z, pieces=1), np.ones_like(z))
    # default pieces = 2: out[..., j] = max(z[..., 2j], z[..., 2j + 1]), on a 3-D and a 1-D input
    np.testing.assert_array_equal(act.maxout(z), z[..., ::2])
    np.testing.assert_array_equal(act.maxout_grad(z), np.tile([1.0, 0.0], (2, 3, 2)))
    np.testing.assert_array_equal(act.maxout([1.0, 3.0, 2.0, -1.0]), [3.0, 2.0])
    np.testing.assert_array_equal(act.maxout_grad([1.0, 3.0, 2.0, -1.0]), [0.0, 1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="multiple of pieces"):
        act.maxout(np.array(1.0), pieces=1)  # a 0-d z has no last axis to group


@pytest.mark.parametrize("call,error,message", [
    (lambda: act.leaky_relu(1.0, negative_slope="0.1"), TypeError, "negative_slope must be a real number"),
    (lambda: act.leaky_relu_grad(1.0, negative_slope="0.1"), TypeError, "negative_slope must be a real number"),
    (lambda: act.prelu(1.0, alpha="0.25"), TypeError, "alpha must be a real number"),
    (lambda: act.prelu_grad(1.0, alpha=np.array(np.inf)), ValueError, "alpha must be finite"),
    (lambda: act.prelu(np.ones((1, 2)), np.array(["a", "b"])), TypeError, "alpha must be a real numeric array"),
    (lambda: act.prelu(np.ones((1, 2)), np.array([np.nan, 1.0])), ValueError, r"alpha must be finite$"),
    (lambda: act.elu(1.0, alpha="1"), TypeError, "alpha must be a real number"),
    (lambda: act.elu_grad(1.0, alpha="1"), TypeError, "alpha must be a real number"),
    (lambda: act.gelu(1.0, approximate="sigmoid"), ValueError, "approximate must be one of 'none', 'tanh'"),
    (lambda: act.gelu_grad(1.0, approximate="sigmoid"), ValueError, "approximate must be one of 'none', 'tanh'"),
    (lambda: act.softplus(1.0, beta=0.0), ValueError, "beta must be > 0"),
    (lambda: act.softplus_grad(1.0, beta=-1.0), ValueError, "beta must be > 0"),
    (lambda: act.softplus(1.0, beta="1"), TypeError, "beta must be a real number"),
    (lambda: act.softplus_grad(1.0, beta="1"), TypeError, "beta must be a real number"),
    (lambda: act.maxout(np.ones((2, 4)), pieces=0), ValueError, "pieces must be an int >= 1"),
    (lambda: act.maxout(np.array(["a", "b"])), TypeError, "z must be a real numeric array"),
    (lambda: act.maxout_grad(np.array(["a", "b"])), TypeError, "z must be a real numeric array"),
    (lambda: act.get_activation("swish"), ValueError,
     r"unknown activation 'swish'; known: sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu(, \w+)*$"),
])
def test_error_messages_name_the_argument(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def normal_pdf(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def relu_moments(mu, sigma):
    """Mean and variance of max(z, 0), z ~ N(mu, sigma^2): a rectified normal, in closed form."""
    a = mu / sigma
    mean = mu * normal_cdf(a) + sigma * normal_pdf(a)
    second = (mu * mu + sigma * sigma) * normal_cdf(a) + mu * sigma * normal_pdf(a)
    return mean, second - mean * mean


@pytest.mark.parametrize("mu,sigma", [(0.0, 1.0), (-1.0, 0.5), (2.0, 3.0), (-0.3, 0.1)])
def test_relu_moments_match_the_rectified_normal(mu, sigma):
    np.testing.assert_allclose(moments_of_output(act.relu, mu, sigma), relu_moments(mu, sigma), rtol=1e-9)


def test_relu_at_zero_is_the_textbook_value():
    mean, var = moments_of_output(act.relu)
    assert mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-10)
    assert var == pytest.approx(0.5 - 1 / (2 * math.pi), rel=1e-10)


def test_selu_constants_make_mean_0_variance_1_a_fixed_point():
    mean, var = moments_of_output(act.selu, 0.0, 1.0)
    assert abs(mean) < 1e-9 and var == pytest.approx(1.0, abs=1e-9)
    # ELU (alpha = 1, no lambda) has neither: its mean is positive and its variance below 1
    mean, var = moments_of_output(act.elu, 0.0, 1.0)
    assert mean > 0.1 and var < 0.9


@pytest.mark.parametrize("slope", [0.01, 0.2, 1.0])
def test_a_linear_piece_scales_mean_and_std_by_its_slope(slope):
    """Far below 0 (P(z > 0) ~ 1e-23) Leaky ReLU is slope * z: mean slope * mu, std slope * sigma."""
    mean, var = moments_of_output(act.leaky_relu, -10.0, 1.0, negative_slope=slope)
    assert mean == pytest.approx(-10.0 * slope, rel=1e-9)
    assert math.sqrt(var) == pytest.approx(slope * 1.0, rel=1e-9)


@pytest.mark.parametrize("alpha,mu,sigma", [(1.0, -10.0, 1.0), (2.0, -8.0, 0.5), (0.5, -12.0, 1.5)])
def test_saturated_elu_passes_the_lognormal_share_of_the_noise(alpha, mu, sigma):
    """Far below 0, ELU(z) = alpha (e^z - 1) with e^z lognormal: mean alpha (e^(mu + sigma^2/2) - 1),
    variance alpha^2 e^(2 mu) (e^(2 sigma^2) - e^(sigma^2)), tiny next to the mean's square."""
    mean, var = moments_of_output(act.elu, mu, sigma, alpha=alpha)
    assert mean == pytest.approx(alpha * (math.exp(mu + sigma**2 / 2) - 1), rel=1e-10)
    assert var == pytest.approx(alpha**2 * math.exp(2 * mu) * (math.exp(2 * sigma**2) - math.exp(sigma**2)),
                                rel=1e-7)


def test_moments_refuse_bad_arguments():
    with pytest.raises(ValueError, match="^sigma must be"):
        moments_of_output(act.relu, 0.0, 0.0)
    with pytest.raises(ValueError, match="^sigma must be"):
        moments_of_output(act.relu, 0.0, -1.0)
    with pytest.raises(TypeError, match="^mu must be"):
        moments_of_output(act.relu, "0", 1.0)


def selu_moments_closed_form(mu, sigma):
    """Mean and variance of SELU(z), z ~ N(mu, sigma^2), from truncated-normal and lognormal integrals:
    E[z; z > 0] = mu Phi(a) + sigma phi(a), E[z^2; z > 0] = (mu^2 + sigma^2) Phi(a) + mu sigma phi(a),
    E[e^(k z); z <= 0] = e^(k mu + k^2 sigma^2 / 2) Phi(-a - k sigma), with a = mu / sigma."""
    lam, alpha, a = act.SELU_SCALE, act.SELU_ALPHA, mu / sigma

    def exp_below(k):
        return math.exp(k * mu + k * k * sigma * sigma / 2) * normal_cdf(-a - k * sigma)

    below = normal_cdf(-a)
    first = mu * normal_cdf(a) + sigma * normal_pdf(a) + alpha * (exp_below(1) - below)
    second = ((mu * mu + sigma * sigma) * normal_cdf(a) + mu * sigma * normal_pdf(a)
              + alpha**2 * (exp_below(2) - 2 * exp_below(1) + below))
    return lam * first, lam**2 * (second - first * first)


@pytest.mark.parametrize("mu,sigma", [(0.0, 1.0), (0.5, 1.5), (-1.0, 0.5), (0.1, 0.9)])
def test_selu_moments_match_their_closed_form(mu, sigma):
    np.testing.assert_allclose(moments_of_output(act.selu, mu, sigma), selu_moments_closed_form(mu, sigma),
                               rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_at_infinity_gives_its_limits(approximate, dtype):
    """GELU(x) = x Phi(x) -> 0 as x -> -inf and -> x as x -> inf; GELU' -> 0 and 1. Before #24,
    gelu(-inf) was -inf * 0 = NaN with a RuntimeWarning (and the tanh form overflowed in float16)."""
    x = np.array([-np.inf, -1e4, -45.0, 45.0, 1e4, np.inf], dtype=dtype)
    with np.errstate(all="raise", under="ignore"):  # underflow to 0 is the right answer here
        out, slope = act.gelu(x, approximate=approximate), act.gelu_grad(x, approximate=approximate)
    assert out.dtype == dtype and slope.dtype == dtype
    np.testing.assert_array_equal(out, np.array([0, 0, 0, 45, 1e4, np.inf], dtype=dtype))
    np.testing.assert_array_equal(slope, [0, 0, 0, 1, 1, 1])


@pytest.mark.parametrize("name,f,grad,params", ALL_FUNCTIONS, ids=[c[0] for c in ALL_FUNCTIONS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_infinities_give_no_nan_and_no_warning_in_any_float_dtype(name, f, grad, params, dtype):
    x = np.array([-np.inf, np.inf], dtype=dtype)
    with np.errstate(all="raise", under="ignore"):
        for g in (f, grad):
            out = g(x, **params)
            assert out.dtype == dtype and not np.isnan(out).any(), f"{name} {g.__name__} gave {out}"


def test_a_name_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match="^activation must be a name \\(a string\\), one of sigmoid, tanh, relu, "
                                        "leaky_relu, prelu, elu, selu, gelu, softplus; got None$"):
        act.get_activation(None)
    with pytest.raises(TypeError, match="^activation must be a name"):
        act.get_activation(["relu"])
