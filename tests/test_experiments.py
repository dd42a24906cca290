"""The chapters' measurements: what they return, and the facts the chapters build on them."""

import mpmath
import numpy as np
import pytest

from lib import activations as act
from lib import data, initializers, preprocessing
from lib.experiments import activations as experiments
from lib.experiments import initialization as init_experiments
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


# --- the initialization chapter's measurements ---

def test_deep_stack_matches_the_formulas_layer_by_layer():
    """Linear layers with Var(w) = 1/D keep the variance; the back-propagated gradient and the
    weight gradient are the products backprop defines (checked here with numpy directly)."""
    stack = init_experiments.deep_stack(np.random.default_rng(0), "lecun_normal", "relu", depth=3, width=64, n=500)
    assert len(stack.hidden) == len(stack.hidden_grads) == len(stack.weight_grads) == 3
    assert stack.weight_grads[0].shape == (64, 64) and stack.table().shape == (3, 4)
    # ReLU after LeCun: E[h^2] = Var(z) / 2 with Var(z) ~ 1 in layer 1
    assert np.mean(stack.hidden[0] ** 2) == pytest.approx(0.5, rel=0.1)
    # dL/dW_2 = h_1^T (dL/dh_2 * relu'(z_2))
    manual = stack.hidden[0].T @ (stack.hidden_grads[1] * (stack.pre_activations[1] > 0))
    np.testing.assert_allclose(stack.weight_grads[1], manual, rtol=1e-10, atol=1e-15)


def test_small_weights_make_activations_and_gradients_vanish():
    stack = init_experiments.deep_stack(np.random.default_rng(0), 0.01, "tanh", depth=10, width=200, n=200)
    stds = stack.table()[:, 1]
    factor = 0.01 * np.sqrt(200)  # what one near-linear tanh layer multiplies the std by
    np.testing.assert_allclose(stds[1:] / stds[:-1], factor, rtol=0.1)
    grads = stack.table()[:, 2]
    assert grads[0] < 1e-5 * grads[-1]  # shrinking towards the input


def test_variance_of_a_weighted_sum_and_layer_gain_follow_the_formulas():
    rng = np.random.default_rng(0)
    assert init_experiments.variance_of_weighted_sum(rng, 100, 2.0, 0.03) == pytest.approx(6.0, rel=0.05)
    assert init_experiments.layer_gain(rng, 0.05, 400) == pytest.approx(0.05 * 20, rel=0.03)
    W = initializers.xavier_normal((800, 200), rng)
    forward, backward = init_experiments.forward_and_backward_gains(rng, W)
    assert forward == pytest.approx(800 * 2 / 1000, rel=0.05) and backward == pytest.approx(200 * 2 / 1000, rel=0.05)


@pytest.mark.parametrize("name,params,gain", [
    ("relu", {}, np.sqrt(2)), ("leaky_relu", {"negative_slope": 0.3}, np.sqrt(2 / 1.09)),
    ("selu", {}, 1.0), ("tanh", {}, 1 / np.sqrt(0.394294490397841))])  # E[tanh(z)^2] by mpmath.quad
def test_gain_that_keeps_the_second_moment(name, params, gain):
    f = act.get_activation(name).f
    assert init_experiments.gain_that_keeps_the_second_moment(f, **params) == pytest.approx(gain, rel=1e-6)
    moments = init_experiments.second_moments_through_depth(np.random.default_rng(0), gain, name, depth=5,
                                                            width=512, n=512, **params)
    np.testing.assert_allclose(moments, 1.0, rtol=0.25)


def test_symmetric_starts_stay_symmetric_and_random_ones_do_not():
    X, y = data.spirals(30, np.random.default_rng(0))
    for init, distinct in [(lambda shape, rng: np.full(shape, 0.1), 1), ("kaiming_normal", 16)]:
        net, losses, first = init_experiments.train_from(np.random.default_rng(0), init, X, y, hidden=[16, 16],
                                                         steps=50, lr=0.5, momentum=0.9)
        assert init_experiments.units_that_differ(net.params["W1"]) == distinct
        assert len(losses) == 50 and first > 0


def test_steps_to_reach_uses_a_running_mean():
    losses = [3, 3, 0.5, 3, 1, 1, 1, 1]
    assert init_experiments.steps_to_reach(losses, 1.0, window=1) == 3
    assert init_experiments.steps_to_reach(losses, 1.0, window=4) == 8
    assert init_experiments.steps_to_reach(losses, 0.1, window=2) is None
    assert init_experiments.steps_to_reach([1.0], 2.0, window=3) is None


def test_standardized_layers_keep_the_spread_whatever_the_weights():
    plain = init_experiments.forward_through_layers(np.random.default_rng(0), 0.01, "tanh", width=64)
    normed = init_experiments.forward_through_layers(np.random.default_rng(0), 0.01, "tanh", width=64,
                                                     standardize=True)
    assert plain[-1].std() < 1e-5 and normed[-1].std() == pytest.approx(normed[0].std(), rel=0.05)
