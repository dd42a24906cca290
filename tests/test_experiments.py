"""The chapters' measurements: what they return, and the facts the chapters build on them."""

import mpmath
import numpy as np
import pytest

from lib import activations as act
from lib import data, initializers, preprocessing
from lib.experiments import activations as experiments
from lib.experiments.initialization import forward_through_layers
from lib.experiments.preprocessing import final_losses_over_learning_rates
from lib.experiments.reading_list import singular_values_by_depth
from lib.network import MLP, steps_to_loss


def test_forward_through_layers_shapes_and_the_notes_three_regimes():
    def last_std(init, activation="tanh"):
        return forward_through_layers(np.random.default_rng(0), init, activation)[-1].std()

    layers = forward_through_layers(np.random.default_rng(0), 0.01, depth=4, width=32, n=8)
    assert [h.shape for h in layers] == [(8, 32)] * 4
    assert last_std(0.01) < 1e-6  # too small: the signal vanishes
    saturated = forward_through_layers(np.random.default_rng(0), 0.2, "tanh")[-1]
    assert np.mean(np.abs(saturated) > 0.99) > 0.3  # too large: tanh saturates
    assert 0.1 < last_std("lecun_normal") < 1  # Xavier/LeCun keeps tanh alive
    assert last_std("kaiming_normal", "relu") > 10 * last_std("lecun_normal", "relu")  # He's factor 2


def test_singular_values_by_depth_match_the_direct_product():
    rng = np.random.default_rng(3)
    rows = singular_values_by_depth(np.random.default_rng(3), "lecun_normal", max_depth=3, width=8)
    W = [initializers.lecun_normal((8, 8), rng) for _ in range(3)]
    np.testing.assert_allclose(rows[2], np.linalg.svd(W[0] @ W[1] @ W[2], compute_uv=False), rtol=1e-10)
    orthogonal = singular_values_by_depth(np.random.default_rng(0), "orthogonal", max_depth=30)
    np.testing.assert_allclose(orthogonal, 1.0, atol=1e-10)
    gaussian = singular_values_by_depth(np.random.default_rng(0), "lecun_normal", max_depth=30)
    spread = gaussian.max(axis=1) / gaussian.min(axis=1)
    assert spread[-1] > 1e6 * spread[0]  # the spread grows by orders of magnitude with depth


def test_singular_values_of_a_deep_product_agree_with_150_digit_arithmetic():
    """At depth 30 the smallest singular value is ~1e-20 of the largest: an SVD of the product in
    double precision is off by a factor e^22 there (measured), the QR accumulation by < 1e-12."""
    rows = singular_values_by_depth(np.random.default_rng(1), "lecun_normal", max_depth=30, width=12)
    rng = np.random.default_rng(1)
    mpmath.mp.dps = 150
    product = mpmath.eye(12)
    for depth in range(1, 31):
        product = product * mpmath.matrix(initializers.lecun_normal((12, 12), rng).tolist())
        if depth in (1, 10, 30):
            exact = sorted((float(mpmath.log(s)) for s in mpmath.svd_r(product, compute_uv=False)), reverse=True)
            np.testing.assert_allclose(np.log(rows[depth - 1]), exact, rtol=0, atol=1e-12)
    assert rows[29].max() / rows[29].min() > 1e15


def test_standardizing_lowers_the_best_loss_of_a_learning_rate_sweep():
    X, y = data.gaussian_clusters(100, np.random.default_rng(0), centers=[[0, 0], [1, 1.5]], std=0.6,
                                  scales=[300, 1])
    rates = [1e-5, 1e-3, 1e-1]
    raw = final_losses_over_learning_rates(X, y, rates, steps=100)
    standardized = final_losses_over_learning_rates(preprocessing.Standardize().fit_transform(X), y,
                                                                rates, steps=100)
    assert raw.shape == (3,) and np.nanmin(standardized) < 0.6 * np.nanmin(raw)


def test_bad_arguments():
    with pytest.raises(TypeError, match="Generator"):
        forward_through_layers(0, 0.01)
    with pytest.raises(ValueError, match="unknown activation"):
        forward_through_layers(np.random.default_rng(0), 0.01, "swish")
    with pytest.raises(TypeError, match="init"):
        singular_values_by_depth(np.random.default_rng(0), None, 3)


def test_steps_to_loss_stops_at_the_target_or_says_none():
    X, y = data.spirals(30, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    steps, losses = steps_to_loss(MLP([2, 32, 3], rng), X, y, rng, target=0.9, max_steps=500, lr=0.5)
    assert steps == len(losses) and losses[-1] <= 0.9 < losses[-2]
    rng = np.random.default_rng(0)
    assert steps_to_loss(MLP([2, 32, 3], rng), X, y, rng, target=1e-9, max_steps=5, lr=0.1)[0] is None


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


def test_output_moments_and_gelu_as_an_expected_random_mask():
    mean, var = experiments.mean_and_variance_of_output(act.relu)
    assert mean == pytest.approx(1 / np.sqrt(2 * np.pi)) and var == pytest.approx(0.5 - 1 / (2 * np.pi))
    x = np.linspace(-3, 3, 13)
    estimate = experiments.gelu_by_random_masks(x, np.random.default_rng(0), samples=200_000)
    assert np.abs(estimate - act.gelu(x)).max() < 0.01


def test_activation_summary_rows():
    assert experiments.activation_summary("sigmoid") == {"range": (0.0, 1.0), "mean": pytest.approx(0.5),
                                                         "saturates": ["x<0", "x>0"], "can_die": False}
    relu = experiments.activation_summary("relu")
    assert relu["range"] == (0.0, np.inf) and relu["saturates"] == ["x<0"] and relu["can_die"]
    assert experiments.activation_summary("leaky_relu")["range"] == (-np.inf, np.inf)
    assert experiments.activation_summary("selu")["mean"] == pytest.approx(0.0, abs=1e-7)


def test_maxout_fit_error_falls_with_more_pieces():
    x = np.linspace(-2, 2, 101)
    errors = [np.abs(act.maxout(x[:, None] * a + b, k)[:, 0] - x**2).max()
              for k in (1, 2, 4) for a, b in [experiments.fit_maxout_1d(x, x**2, k, steps=500)]]
    assert errors[0] > 2 * errors[1] > 4 * errors[2]


def test_seconds_per_element_is_a_small_positive_time():
    assert 0 < experiments.seconds_per_element(act.relu, n=10_000, repeats=2) < 1e-5
