"""The measurements of the activations chapter's first page, against closed forms and direct computations."""

import time

import numpy as np
import pytest
from scipy.special import ndtr

from lib import data
from lib.experiments import activations as experiments
from lib.network import MLP


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


def test_steps_to_target_and_median_ratio():
    X, y = spirals(50)
    steps = experiments.steps_to_target(X, y, "relu", 2, 0)
    assert isinstance(steps, int) and 0 < steps < 3000
    assert experiments.steps_to_target(X, y, "relu", 2, 0, max_steps=steps - 1) is None
    table = experiments.convergence_steps(X, y, ["relu", "tanh"], [1], [0, 1])
    assert table[1]["relu"] == [experiments.steps_to_target(X, y, "relu", 1, seed) for seed in (0, 1)]
    assert experiments.median_ratio([30, 10, 40], [10, 10, 10]) == 3.0  # median, not the mean 2.67
    assert experiments.median_ratio([20, 60], [10, 20]) == 2.5  # paired by seed: (2 + 3) / 2
    assert experiments.median_ratio([None, None, 10], [10, 10, 10]) == np.inf
    with pytest.raises(ValueError):
        experiments.median_ratio([1, 2], [1])


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


def test_activation_card_shades_where_the_derivative_is_below_the_level():
    import matplotlib.pyplot as plt

    from lib.scenes import activations as scenes

    fig = plt.figure()
    scenes.activation_card(fig, "relu", x_max=4.0)
    ax = fig.axes[0]
    shaded = ax.collections[0].get_paths()[0].vertices[:, 0]  # the shaded band: ReLU's dead side
    assert shaded.min() == pytest.approx(-4.0) and shaded.max() == pytest.approx(0.0, abs=0.02)
    plt.close(fig)


def test_sgd_paths_put_the_legend_beside_the_axes_clear_of_every_path():
    from matplotlib.figure import Figure

    from lib.scenes import activations as scenes

    fig = Figure(figsize=(6.4, 4))
    path = np.array([[0.0, 0.0], [1.2, -0.7], [1.0, -1.0]])
    scenes.sgd_paths(fig, {"a path": path}, np.array([1.0, -1.0]))
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # to the right of the axes: it covers no point
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a path", "target"]
