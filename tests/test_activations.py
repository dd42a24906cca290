"""Activations: derivatives against finite differences, PyTorch defaults, constants, extreme inputs."""

import inspect

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from lib import activations as act
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
