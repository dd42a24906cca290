"""Initializers: fans, PyTorch's gains, empirical statistics, orthogonality, errors."""

import math

import numpy as np
import pytest

from lib import initializers as init


def rng():
    return np.random.default_rng(1234)


def test_fans_dense_and_conv():
    assert init.fan_in_and_fan_out((300, 100)) == (300, 100)
    # conv (C_out, C_in, kh, kw): fan_in = C_in * kh * kw, the notes' filter_size^2 * input_channels
    assert init.fan_in_and_fan_out((64, 32, 3, 3)) == (32 * 9, 64 * 9)
    assert init.fan_in_and_fan_out((8, 4, 5)) == (20, 40)


@pytest.mark.parametrize("nonlinearity,param,gain", [
    ("linear", None, 1.0), ("conv2d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5 / 3),
    ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("leaky_relu", 0, math.sqrt(2)), ("selu", None, 0.75),
])
def test_gains_match_pytorch(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


SHAPES = [(400, 600), (64, 32, 3, 3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,expected_std", [
    ("xavier_normal", lambda fi, fo: math.sqrt(2 / (fi + fo))),
    ("xavier_uniform", lambda fi, fo: math.sqrt(2 / (fi + fo))),
    ("kaiming_normal", lambda fi, fo: math.sqrt(2 / fi)),
    ("kaiming_uniform", lambda fi, fo: math.sqrt(2 / fi)),
    ("lecun_normal", lambda fi, fo: math.sqrt(1 / fi)),
])
def test_empirical_std_matches_formula(shape, name, expected_std):
    W = init.get_initializer(name)(shape, rng())
    assert W.shape == shape
    std = expected_std(*init.fan_in_and_fan_out(shape))
    assert abs(W.std() / std - 1) < 0.02
    assert abs(W.mean()) < 0.02 * std


def test_kaiming_fan_out_mode_and_tanh_gain():
    W = init.kaiming_normal((400, 600), rng(), mode="fan_out", nonlinearity="tanh")
    assert abs(W.std() / ((5 / 3) / math.sqrt(600)) - 1) < 0.02


def test_uniform_initializers_stay_inside_their_bounds():
    W = init.xavier_uniform((200, 300), rng())
    bound = math.sqrt(6 / 500)
    assert W.max() <= bound and W.min() >= -bound and W.max() > 0.99 * bound
    W = init.kaiming_uniform((200, 300), rng())
    assert np.abs(W).max() <= math.sqrt(2) * math.sqrt(3 / 200)


@pytest.mark.parametrize("shape", [(300, 100), (100, 300), (64, 16, 3, 3), (8, 16, 3, 3)])
def test_orthogonal_is_orthogonal(shape):
    W = init.orthogonal(shape, rng(), gain=2.0)
    M = W.reshape(shape[0], -1) / 2.0
    small = min(M.shape)
    gram = M @ M.T if M.shape[0] == small else M.T @ M
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-12)


def test_same_seed_same_weights():
    a = init.kaiming_normal((10, 20), np.random.default_rng(7))
    b = init.kaiming_normal((10, 20), np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_notes_small_random_numbers():
    W = init.normal((500, 500), rng(), std=0.01)
    assert abs(W.std() / 0.01 - 1) < 0.01


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.fan_in_and_fan_out((10,))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.xavier_normal((10,), rng())
    with pytest.raises(ValueError, match="must be an int >= 1"):
        init.xavier_normal((10, 0), rng())
    with pytest.raises(TypeError, match="must be an int"):
        init.xavier_normal((10, 2.5), rng())
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'"):
        init.calculate_gain("swish")
    with pytest.raises(TypeError, match="param"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="std must be >= 0"):
        init.normal((3, 3), rng(), std=-0.1)
    with pytest.raises(ValueError, match="std must be finite"):
        init.normal((3, 3), rng(), std=float("nan"))
    with pytest.raises(ValueError, match="gain must be finite"):
        init.orthogonal((3, 3), rng(), gain=float("nan"))
    with pytest.raises(ValueError, match="mode"):
        init.kaiming_normal((3, 3), rng(), mode="fan_avg")
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        init.xavier_normal((3, 3), 42)
    with pytest.raises(ValueError, match="unknown initializer"):
        init.get_initializer("glorot")


@pytest.mark.parametrize("make", [init.orthogonal, init.xavier_normal, init.xavier_uniform])
@pytest.mark.parametrize("gain", [float("nan"), float("inf")])
def test_a_non_finite_gain_is_refused(make, gain):
    with pytest.raises(ValueError, match="gain must be finite"):
        make((4, 4), np.random.default_rng(0), gain=gain)
