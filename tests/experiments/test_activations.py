"""What the activations page (sigmoid, tanh, ReLU) measures: `lib.experiments.activations`."""

import time

import numpy as np
import pytest
from scipy.special import ndtr

from lib import activations as act
from lib import data
from lib.experiments import activations as experiments
from lib.network import MLP, train


def test_sgd_updates_of_a_neuron_share_one_sign_exactly_when_inputs_are_positive():
    rng = np.random.default_rng(0)
    positive = rng.uniform(0, 1, size=(200, 2))
    def share_of_same_sign_updates(X):
        steps = np.diff(experiments.sgd_path_of_a_neuron(X, np.array([1.0, -1.0]), np.random.default_rng(1)), axis=0)
        return np.mean(np.sign(steps[:, 0]) == np.sign(steps[:, 1]))

    assert share_of_same_sign_updates(positive) == 1.0
    assert 0.3 < share_of_same_sign_updates(positive - positive.mean(axis=0)) < 0.7
    diverged = experiments.sgd_path_of_a_neuron(positive, np.array([1.0, -1.0]), np.random.default_rng(1), lr=10)
    assert len(diverged) < 201 and np.linalg.norm(diverged[-1]) > 1e6


def test_dead_relu_units_get_no_gradient_and_leaky_ones_do():
    X, y = data.spirals(50, np.random.default_rng(0))
    for activation, expect_dead in [("relu", True), ("leaky_relu", False)]:
        net = MLP([2, 20, 3], np.random.default_rng(0), activation=activation, bias=-5.0)  # every unit off
        (inactive,), (no_gradient,) = experiments.dead_units(net, X, y)
        assert inactive == 1.0 and no_gradient == (1.0 if expect_dead else 0.0)


def test_seconds_per_element_is_a_small_positive_time():
    assert 0 < experiments.seconds_per_element(act.relu, n=10_000, repeats=2) < 1e-5


def spirals(n=30):
    return data.spirals(n, np.random.default_rng(0))


def test_gradient_factors_of_a_one_unit_chain_by_hand():
    """Sizes [1, 1, 1, 2]: every hidden norm is an absolute value, so the factors are |sigma'(z_2)| and |w_2|."""
    net = MLP([1, 1, 1, 2], np.random.default_rng(0), activation="sigmoid")
    net.params["W1"][:], net.params["W2"][:], net.params["W3"][:] = 0.5, -3.0, [[2.0, -1.0]]
    X, y = np.array([[1.0]]), np.array([0])
    z1 = 0.5
    z2 = -3.0 / (1 + np.exp(-z1))
    s2 = 1 / (1 + np.exp(-z2))
    factors = experiments.gradient_factors(net, X, y)
    np.testing.assert_array_equal(factors["layer"], [2])
    np.testing.assert_allclose(factors["activation"], [s2 * (1 - s2)], rtol=1e-12)
    np.testing.assert_allclose(factors["weight"], [3.0], rtol=1e-12)


def test_activation_factors_of_sigmoids_stay_below_a_quarter_and_the_product_is_the_gradient_ratio():
    X, y = spirals()
    for init in ["xavier_normal", 0.5]:
        net = MLP([2] + [16] * 5 + [3], np.random.default_rng(1), activation="sigmoid", init=init)
        factors = experiments.gradient_factors(net, X, y)
        assert np.all(factors["activation"] <= 0.25)
        norms = [np.linalg.norm(g) for g in net.hidden_grads]
        np.testing.assert_allclose(np.prod(factors["activation"] * factors["weight"]), norms[0] / norms[-1],
                                   rtol=1e-10)
    assert np.prod(factors["weight"]) > 1  # large weights: no bound on the weight factors
    with pytest.raises(ValueError, match="two hidden layers"):
        experiments.gradient_factors(MLP([2, 4, 3], np.random.default_rng(0)), X, y)


def test_one_signed_updates_match_per_example_gradients():
    """Each example's own gradient (a batch of one) has the signs of its update, up to the positive 1/N."""
    X, y = spirals(10)
    for activation, layer in [("relu", 2), ("tanh", 2), ("tanh", 3)]:
        net = MLP([2, 8, 6, 3], np.random.default_rng(2), activation=activation, init="lecun_normal")
        one, counted = 0, 0
        for n in range(len(X)):
            W = net.loss_and_grads(X[n:n + 1], y[n:n + 1])[1][f"W{layer}"]  # (fan_in, fan_out)
            for j in range(W.shape[1]):
                if np.any(W[:, j] != 0):
                    counted += 1
                    one += not (np.any(W[:, j] > 0) and np.any(W[:, j] < 0))
        assert experiments.one_signed_updates(net, X, y, layer) == pytest.approx(one / counted, abs=1e-12)
    relu = MLP([2, 8, 6, 3], np.random.default_rng(2), activation="relu")
    assert experiments.one_signed_updates(relu, X, y, 2) == 1.0
    with pytest.raises(ValueError, match="layer"):
        experiments.one_signed_updates(relu, X, y, 4)


def test_saturation_thresholds_match_closed_forms():
    s = (1 + np.sqrt(1 - 4 * 0.01)) / 2  # sigma (1 - sigma) = 0.01
    assert experiments.saturation_threshold("sigmoid", 0.01) == pytest.approx(np.log(s / (1 - s)), rel=1e-12)
    assert experiments.saturation_threshold("tanh", 0.01) == pytest.approx(np.arctanh(np.sqrt(0.99)), rel=1e-12)
    # tanh'(x) = 4 sigma'(2x): tanh's threshold for 0.01 is half the sigmoid's for 0.0025
    assert experiments.saturation_threshold("tanh", 0.01) == pytest.approx(
        experiments.saturation_threshold("sigmoid", 0.0025) / 2, rel=1e-12)
    with pytest.raises(ValueError):
        experiments.saturation_threshold("relu", 0.01)


def test_share_beyond_is_the_two_sided_normal_tail():
    assert experiments.share_beyond(1.959963984540054, 1.0) == pytest.approx(0.05, rel=1e-12)
    assert experiments.share_beyond(2 * 1.959963984540054, 2.0) == pytest.approx(0.05, rel=1e-12)
    assert experiments.share_beyond(0.0, 3.0) == 1.0
    assert experiments.share_beyond(5.0, 5.0) == pytest.approx(2 * ndtr(-1.0), rel=1e-12)
    with pytest.raises(ValueError):
        experiments.share_beyond(1.0, 0.0)


def test_convergence_run_counts_the_steps_to_the_target_and_median_ratio_pairs_seeds():
    X, y = spirals(50)
    steps = experiments.convergence_run(X, y, "relu", 2, 0)
    assert isinstance(steps, int) and 0 < steps < experiments.CONVERGENCE["max_steps"]
    rng = np.random.default_rng(0)  # the same network, trained by hand in the CONVERGENCE setting
    net = MLP([2, 32, 32, 3], rng, activation="relu", init="lecun_normal")
    losses = train(net, X, y, rng, steps=steps, lr=0.3, momentum=0.9)["loss"]
    assert losses[-1] <= 0.8 < min(losses[:-1])
    table = experiments.convergence_steps(X, y, ["relu", "tanh"], [1], [0, 1])
    assert table[1]["relu"] == [experiments.convergence_run(X, y, "relu", 1, seed) for seed in (0, 1)]
    assert experiments.median_ratio([30, 10, 40], [10, 10, 10]) == 3.0  # median, not the mean 2.67
    assert experiments.median_ratio([20, 60], [10, 20]) == 2.5  # paired by seed: (2 + 3) / 2
    assert experiments.median_ratio([None, None, 10], [10, 10, 10]) == np.inf
    assert experiments.median_ratio([np.inf, 30, 10], [10, 10, 10]) == 3.0  # inf: never reached
    with pytest.raises(ValueError):
        experiments.median_ratio([1, 2], [1])
    with pytest.raises(ValueError, match="reference"):
        experiments.median_ratio([1, 2], [1, np.inf])


def test_convergence_sweeps_give_each_activation_its_own_init_at_every_rate_of_the_grid():
    X, y = spirals(50)
    sweeps = experiments.convergence_sweeps(X, y, ["relu", "tanh"], [1], [0, 1])
    s = experiments.CONVERGENCE
    for name, init in [("relu", "kaiming_normal"), ("tanh", "xavier_normal")]:
        sweep = sweeps[1][name]
        assert sweep.rates == s["rates"] and sweep.seeds == (0, 1)
        for i, lr in enumerate(s["rates"][:2]):
            rng = np.random.default_rng(1)  # the second seed, trained by hand
            net = MLP([2, 32, 3], rng, activation=name, init=init)
            losses = train(net, X, y, rng, steps=s["max_steps"], lr=lr, momentum=0.9, stop_below=0.8)["loss"]
            np.testing.assert_array_equal(sweep.losses[i][1], losses)
            assert sweep.steps[i, 1] == (len(losses) if losses[-1] <= 0.8 else np.inf)


def test_dense_layer_times_measure_each_part():
    def slow(z):
        time.sleep(0.01)
        return z

    matmul, times = experiments.dense_layer_times(8, 16, {"slow": slow}, np.random.default_rng(0), repeats=2)
    assert 0 < matmul < 0.01 <= times["slow"] < 0.1
    _, times = experiments.dense_layer_times(8, 16, ["relu", "sigmoid"], np.random.default_rng(0), repeats=1)
    assert list(times) == ["relu", "sigmoid"]
    with pytest.raises(ValueError):
        experiments.dense_layer_times(0, 16, ["relu"], np.random.default_rng(0))


def test_linear_and_relu_classifiers_and_their_decision_regions():
    X, y = spirals(40)
    nets = experiments.linear_and_relu_classifiers(X, y, steps=300)
    assert [net.sizes for net in nets.values()] == [[2, 3], [2, 64, 3]]
    accuracy = [net.accuracy(X, y) for net in nets.values()]
    assert accuracy[0] < 0.6 < 0.9 < accuracy[1]
    net = nets["one hidden ReLU layer"]
    regions = experiments.decision_regions(net, 1.0, n=5)
    assert regions.shape == (5, 5)
    assert regions[0, 4] == net.predict(np.array([[1.0, -1.0]]))[0]  # row 0: y = -1; column 4: x = +1
    assert regions[4, 0] == net.predict(np.array([[-1.0, 1.0]]))[0]
