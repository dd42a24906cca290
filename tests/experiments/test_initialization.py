"""What the initialization page measures: `lib.experiments.initialization`."""

import numpy as np
import pytest

from lib import activations as act
from lib import data, initializers
from lib.experiments import initialization as experiments
from lib.network import MLP, train


def test_variance_of_a_weighted_sum_and_layer_gain_follow_the_formulas():
    rng = np.random.default_rng(0)
    assert experiments.variance_of_weighted_sum(rng, 100, 2.0, 0.03) == pytest.approx(6.0, rel=0.05)
    assert experiments.layer_gain(rng, 0.05, 400) == pytest.approx(0.05 * 20, rel=0.03)
    W = initializers.xavier_normal((800, 200), rng)
    forward, backward = experiments.forward_and_backward_gains(rng, W)
    assert forward == pytest.approx(800 * 2 / 1000, rel=0.05) and backward == pytest.approx(200 * 2 / 1000, rel=0.05)


@pytest.mark.parametrize("name,params,gain", [
    ("relu", {}, np.sqrt(2)), ("leaky_relu", {"negative_slope": 0.3}, np.sqrt(2 / 1.09)),
    ("selu", {}, 1.0), ("tanh", {}, 1 / np.sqrt(0.394294490397841))])  # E[tanh(z)^2] by mpmath.quad
def test_gain_that_keeps_the_second_moment(name, params, gain):
    f = act.get_activation(name).f
    assert experiments.gain_that_keeps_the_second_moment(f, **params) == pytest.approx(gain, rel=1e-6)
    moments = experiments.second_moments_through_depth(np.random.default_rng(0), gain, name, depth=5,
                                                            width=512, n=512, **params)
    np.testing.assert_allclose(moments, 1.0, rtol=0.25)


def test_symmetric_starts_stay_symmetric_and_random_ones_do_not():
    X, y = data.spirals(30, np.random.default_rng(0))
    for init, distinct in [(lambda shape, rng: np.full(shape, 0.1), 1), ("kaiming_normal", 16)]:
        net, losses = experiments.train_from(np.random.default_rng(0), init, X, y, hidden=[16, 16],
                                             steps=50, lr=0.5, momentum=0.9)
        assert experiments.units_that_differ(net.params["W1"]) == distinct
        assert len(losses) == 50


@pytest.mark.parametrize("name,params,mean,second", [
    ("relu", {}, 1 / np.sqrt(2 * np.pi), 0.5),  # half-normal: E = 1/sqrt(2 pi), E[f^2] = 1/2
    ("leaky_relu", {"negative_slope": 0.2}, 0.8 / np.sqrt(2 * np.pi), (1 + 0.04) / 2),
    ("tanh", {}, 0.0, 0.394294490397841),  # odd: mean 0; E[tanh(z)^2] by mpmath.quad
    ("sigmoid", {}, 0.5, None)])  # sigmoid(z) - 1/2 is odd
def test_mean_share_of_second_moment_against_closed_forms(name, params, mean, second):
    got_mean, got_second, share = experiments.mean_share_of_second_moment(act.get_activation(name).f, **params)
    assert got_mean == pytest.approx(mean, abs=1e-9)
    if second is not None:
        assert got_second == pytest.approx(second, rel=1e-8)
        assert share == pytest.approx(mean**2 / second, abs=1e-9)
    if name == "relu":
        assert share == pytest.approx(1 / np.pi, rel=1e-8)


def test_the_next_layer_variance_follows_the_second_moment_not_the_variance():
    second, var, next_var = experiments.next_layer_variance(np.random.default_rng(0), "relu", np.sqrt(2))
    assert second == pytest.approx(0.5, rel=0.02)
    assert var == pytest.approx(0.5 - 1 / (2 * np.pi), rel=0.02)
    assert next_var == pytest.approx(2 * 0.5, rel=0.05)  # gain^2 E[h^2], not gain^2 Var(h) = 0.68
    with pytest.raises(ValueError, match="gain"):
        experiments.next_layer_variance(np.random.default_rng(0), "relu", -1.0)
    with pytest.raises(ValueError, match="d_in"):
        experiments.next_layer_variance(np.random.default_rng(0), "relu", 1.0, d_in=0)


def test_relu_units_at_init_in_the_cases_with_known_answers():
    rng = np.random.default_rng
    dead, mean = experiments.relu_units_at_init(rng(0), 0.0, depth=1, width=256, n=512)
    # one layer: z ~ N(0, 2) for each input, E[relu(z)] = sqrt(2) / sqrt(2 pi)
    assert dead == 0.0 and mean == pytest.approx(1 / np.sqrt(np.pi), rel=0.03)
    assert experiments.relu_units_at_init(rng(0), -20.0, depth=1) == (1.0, 0.0)
    dead, mean = experiments.relu_units_at_init(rng(0), 20.0, depth=1)
    assert dead == 0.0 and mean == pytest.approx(20.0, rel=0.01)
    dead, mean = experiments.relu_units_at_init(rng(0), "pytorch", depth=1)
    assert dead == 0.0 and mean == pytest.approx(1 / np.sqrt(np.pi), rel=0.05)
    with pytest.raises(TypeError, match="bias"):
        experiments.relu_units_at_init(rng(0), "torch")
    with pytest.raises(ValueError, match="depth"):
        experiments.relu_units_at_init(rng(0), 0.0, depth=0)


def test_first_layer_gradient_is_the_norm_of_the_finite_difference_gradient():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((12, 4)), rng.integers(0, 3, 12)
    got = experiments.first_layer_gradient("kaiming_normal", X, y, seed=1, hidden=(5, 5))
    net = MLP([4, 5, 5, 3], np.random.default_rng(1), init="kaiming_normal")
    W, h, numeric = net.params["W1"], 1e-6, np.zeros((4, 5))
    for index in np.ndindex(W.shape):
        W[index] += h
        up = net.loss(X, y)
        W[index] -= 2 * h
        down = net.loss(X, y)
        W[index] += h
        numeric[index] = (up - down) / (2 * h)
    assert got == pytest.approx(np.linalg.norm(numeric), rel=1e-6)


def test_deep_relu_sweeps_train_each_start_as_plain_sgd_would():
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((30, 4)), rng.integers(0, 3, 30)
    small = {"hidden": (6, 6), "steps": 12, "batch_size": 8, "rates": (0.05, 0.2), "seeds": (0, 1)}
    sweeps = experiments.deep_relu_sweeps(X, y, **small)
    assert list(sweeps) == ["xavier_normal", "kaiming_normal"]
    for init, result in sweeps.items():
        for i, lr in enumerate(small["rates"]):
            for j, seed in enumerate(small["seeds"]):
                by_hand = np.random.default_rng(seed)
                net = MLP([4, 6, 6, 3], by_hand, init=init)
                losses = train(net, X, y, by_hand, steps=12, lr=lr, batch_size=8)["loss"]
                np.testing.assert_array_equal(result.losses[i][j], losses)
    with pytest.raises(ValueError, match="depth"):
        experiments.deep_relu_sweeps(X, y, depth=3)
