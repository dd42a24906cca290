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


# --- the preprocessing chapter's measurements ---

from lib.experiments import preprocessing as pre_experiments  # noqa: E402


def digits_split():
    X, y = data.digits()
    return data.train_test_split(X, y, np.random.default_rng(0))


def test_pca_reconstruction_agrees_with_scikit_learn():
    from sklearn.decomposition import PCA as SklearnPCA

    X_train, X_test, _, _ = digits_split()
    ks = [0, 1, 5, 20, 64]
    explained, train_error, test_error = pre_experiments.pca_reconstruction(X_train, X_test, ks)
    ratios = np.concatenate([[0.0], np.cumsum(SklearnPCA().fit(X_train).explained_variance_ratio_)])
    np.testing.assert_allclose(explained, ratios[ks], atol=1e-10)
    for k, error in zip(ks[1:], test_error[1:]):
        sk = SklearnPCA(k).fit(X_train)
        np.testing.assert_allclose(error, np.mean((sk.inverse_transform(sk.transform(X_test)) - X_test) ** 2),
                                   rtol=1e-8, atol=1e-12)
    assert train_error[0] == pytest.approx(X_train.var(axis=0).mean())  # k = 0: the mean is all that is left
    assert train_error[-1] < 1e-20 and np.all(np.diff(train_error) < 0)


def test_whitening_amplifies_noise_unless_eps_is_large():
    X_train, X_test, _, _ = digits_split()
    before, after = pre_experiments.whitened_signal_to_noise(X_train, X_test, np.random.default_rng(1), 1.0,
                                                             [1e-5, 1.0, 1e12])
    noise = np.random.default_rng(1).standard_normal(X_test.shape)
    assert before == pytest.approx(np.sum((X_test - X_train.mean(axis=0)) ** 2) / np.sum(noise**2))
    assert after[0] < 1e-3 * before and after[0] < after[1]  # tiny eps: the constant pixels' noise explodes
    assert after[2] == pytest.approx(before, rel=1e-6)  # huge eps: a uniform scale, which cancels


def test_zca_filtered_is_a_correlation_with_the_centre_filter():
    from lib import preprocessing as pp

    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, size=(9, 11))
    zca = pp.ZCA(eps=1.0).fit(rng.standard_normal((300, 9)) @ rng.standard_normal((9, 9)))
    out = pre_experiments.zca_filtered(image, zca, 3)
    f = zca.matrix_[4].reshape(3, 3)
    padded = np.pad(image, 1, mode="symmetric")  # scipy's "reflect" repeats the edge pixel
    expected = np.array([[np.sum(f * padded[i:i + 3, j:j + 3]) for j in range(11)] for i in range(9)])
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_the_raw_classifier_computes_what_the_standardized_one_does():
    from lib import preprocessing as pp

    X_train, _, y_train, _ = digits_split()
    fitted = pp.Standardize().fit(X_train)
    net = pre_experiments.softmax_classifier(fitted.transform(X_train), y_train, lr=1.0, steps=20)
    raw = pre_experiments.on_raw_inputs(net, fitted)
    np.testing.assert_allclose(raw.forward(X_train), net.forward(fitted.transform(X_train)), rtol=1e-9,
                               atol=1e-9)


def test_perturbation_sensitivity_is_zero_at_norm_zero_linear_when_small_and_restores_the_weights():
    X_train, _, y_train, _ = digits_split()
    net = pre_experiments.softmax_classifier(X_train, y_train, lr=1e-3, steps=5)
    before = {k: v.copy() for k, v in net.params.items()}
    assert pre_experiments.perturbation_sensitivity(net, X_train, y_train, 0.0, np.random.default_rng(0)) == (0, 0)
    small = pre_experiments.perturbation_sensitivity(net, X_train, y_train, 1e-6, np.random.default_rng(0))[0]
    smaller = pre_experiments.perturbation_sensitivity(net, X_train, y_train, 1e-7, np.random.default_rng(0))[0]
    assert small == pytest.approx(10 * smaller, rel=1e-3)  # first order: the gradient along the step
    for k, v in before.items():
        np.testing.assert_array_equal(net.params[k], v)


def test_gradient_norm_at_zero_weights_is_the_closed_form():
    X_train, _, y_train, _ = digits_split()
    net = pre_experiments.softmax_classifier(X_train, y_train, lr=1.0, steps=0)
    residual = np.full((len(y_train), 10), 0.1) - np.eye(10)[y_train]  # softmax of 0 minus one-hot
    expected = np.sqrt(np.sum((X_train.T @ residual / len(y_train)) ** 2) + np.sum(residual.mean(axis=0) ** 2))
    assert pre_experiments.gradient_norm(net, X_train, y_train) == pytest.approx(expected, rel=1e-12)


def test_condition_number_of_the_input_matrix_with_a_bias_column():
    from lib import preprocessing as pp

    X = data.correlated_cloud(np.random.default_rng(0))
    Xb = np.column_stack([X, np.ones(len(X))])
    assert pre_experiments.condition_number(X) == pytest.approx(np.linalg.cond(Xb.T @ Xb / len(X)), rel=1e-9)
    assert pre_experiments.condition_number(pp.Whiten(eps=0.0).fit_transform(X)) == pytest.approx(1.0, abs=1e-9)
    with pytest.raises(ValueError, match="singular"):
        pre_experiments.condition_number(np.column_stack([X, np.full(len(X), 3.0)]))


def test_standardizing_digits_allows_larger_learning_rates_and_fewer_steps():
    from lib import preprocessing as pp

    X_train, _, y_train, _ = digits_split()
    Z = pp.Standardize().fit_transform(X_train)
    rates = 2.0 ** np.arange(-10, 6)
    raw_lr, raw_tried = pre_experiments.largest_stable_learning_rate(X_train, y_train, rates, steps=20)
    std_lr, std_tried = pre_experiments.largest_stable_learning_rate(Z, y_train, rates, steps=20)
    assert raw_tried[raw_lr] and not any(ok for lr, ok in raw_tried.items() if lr > raw_lr)
    assert std_lr >= 100 * raw_lr and set(std_tried) == {lr for lr in rates if lr >= std_lr}
    raw_steps, losses = pre_experiments.steps_to_target(X_train, y_train, raw_lr, 0.3, 1000)
    std_steps, _ = pre_experiments.steps_to_target(Z, y_train, std_lr, 0.3, 1000)
    assert losses[-1] <= 0.3 < losses[-2] and std_steps * 5 < raw_steps
    assert pre_experiments.largest_stable_learning_rate(X_train, y_train, [1e6], steps=5) == (None, {1e6: False})


def test_least_squares_descent_follows_the_closed_form():
    H = np.diag([4.0, 0.25])
    X = np.sqrt(2) * np.diag([2.0, 0.5])  # X^T X / 2 = H with N = 2 rows
    y = X @ np.array([1.0, -2.0])
    H_got, w_star, path, needed = pre_experiments.least_squares_descent(X, y, steps=6, fraction=0.75)
    np.testing.assert_allclose(H_got, H)
    np.testing.assert_allclose(w_star, [1.0, -2.0])
    lr = 0.75 * 2 / 4.0
    factors = 1 - lr * np.diag(H)  # per eigenvector, per step
    for t, w in enumerate(path):
        np.testing.assert_allclose(w, w_star + factors**t * (0 - w_star), atol=1e-12)
    excess = lambda t: 0.5 * np.sum(np.diag(H) * w_star**2 * factors ** (2 * t))  # noqa: E731
    assert excess(needed) <= 1e-4 * excess(0) < excess(needed - 1)
    _, round_star, round_path, one = pre_experiments.least_squares_descent(np.eye(2), np.ones(2), 3, fraction=0.5)
    assert one == 1 and np.allclose(round_path[1:], round_star)  # kappa = 1: one step of lr 1 / lambda reaches w*


def test_refitting_on_the_test_set_hides_a_shift_and_one_example_cannot_be_standardized():
    from lib import preprocessing as pp

    X_train, X_test, y_train, y_test = digits_split()
    fitted = pp.Standardize().fit(X_train)
    net = pre_experiments.softmax_classifier(fitted.transform(X_train), y_train, lr=2.0, steps=50)
    results = pre_experiments.deployment_accuracies(net, fitted, X_test + 3.0, y_test)
    accuracy, mean = results["train statistics"]
    assert mean > 0.5 and accuracy < results["refit on test"][0]  # the shift shows, and costs accuracy
    assert abs(results["refit on test"][1]) < 1e-12  # refitted: the shift is gone from view
    # one example alone: every pixel is "constant", so every image maps to zeros: the bias decides
    assert results["refit per example"] == (pytest.approx(np.mean(y_test == np.argmax(net.params["b1"]))), 0.0)


def test_pca_fitted_on_train_and_test_flatters_the_test_set():
    X, y = data.digits()
    errors = pre_experiments.pca_leak(X, y, n_train=200, k=20, seeds=range(2))
    assert errors.shape == (2, 2, 2)
    honest, leaked = errors.mean(axis=0)
    assert abs(honest[0] - honest[1]) < 0.05 * honest[1]  # train-only statistics: test error ~ new-data error
    assert leaked[0] < 0.97 * leaked[1]  # with the test set in the fit, the test error is too good


def test_image_statistics_against_numpy():
    images = np.random.default_rng(0).integers(0, 256, size=(3, 4, 5, 3)).astype(np.uint8)
    stats = pre_experiments.image_statistics(images)
    x = images.astype(float)
    np.testing.assert_allclose(stats["mean image"], (x[0] + x[1] + x[2]) / 3)
    for c in range(3):
        values = x[..., c].ravel()
        assert stats["channel mean"][c] == pytest.approx(values.sum() / values.size)
        assert stats["channel std"][c] == pytest.approx(np.sqrt(np.mean((values - values.mean()) ** 2)))
    assert stats["mean per image"].shape == (3, 3)
    with pytest.raises(ValueError, match="4-D"):
        pre_experiments.image_statistics(images[0])


def test_the_preprocessing_scenes_render():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lib.scenes import preprocessing as scenes

    X_train, X_test, _, _ = digits_split()
    cloud = data.correlated_cloud(np.random.default_rng(0))
    draws = [lambda f: scenes.cloud_steps(f, cloud, ["original", "whitened"]),
             lambda f: scenes.digits_pca(f, X_train, X_test, [1, 10, 64]),
             lambda f: scenes.whitening_epsilon(f, -1.0),
             lambda f: scenes.zca_filters(f, n=2000),
             lambda f: scenes.perturbed_boundaries(f, count=3),
             lambda f: scenes.descent_on_contours(f, 3, 45, "standardized"),
             lambda f: scenes.fit_on_test(f, "whitened", 2.0, True),
             lambda f: scenes.photographs_and_mean(f, step=16)]
    for draw in draws:
        fig = Figure(figsize=(6.4, 3.6))
        FigureCanvasAgg(fig)
        draw(fig)
        fig.canvas.draw()
        assert np.asarray(fig.canvas.buffer_rgba()).std() > 0


def test_preprocessing_measurements_refuse_bad_arguments():
    from lib import preprocessing as pp

    X, y = data.gaussian_clusters(10, np.random.default_rng(0), centers=[[0, 0], [1, 1]])
    net = pre_experiments.softmax_classifier(X, y, lr=1.0, steps=2)
    with pytest.raises(TypeError, match="Standardize"):
        pre_experiments.on_raw_inputs(net, pp.Center().fit(X))
    with pytest.raises(TypeError, match="linear classifier"):
        pre_experiments.on_raw_inputs("net", pp.Standardize().fit(X))
    with pytest.raises(ValueError, match="2-D"):
        pre_experiments.softmax_classifier(X[0], y, lr=1.0, steps=2)
    with pytest.raises(ValueError, match="fitted"):
        pre_experiments.deployment_accuracies(net, pp.Standardize(), X, y)
    with pytest.raises(ValueError, match="ZCA fitted"):
        pre_experiments.zca_filtered(np.zeros((5, 5)), pp.ZCA().fit(np.eye(4) + np.arange(4)), 3)
    with pytest.raises(TypeError, match="Generator"):
        pre_experiments.perturbation_sensitivity(net, X, y, 0.1, rng=1)
    with pytest.raises(ValueError, match="norm"):
        pre_experiments.perturbation_sensitivity(net, X, y, -0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="noise_std"):
        pre_experiments.whitened_signal_to_noise(X, X, np.random.default_rng(0), 0.0, [1.0])
    with pytest.raises(ValueError, match="fraction"):
        pre_experiments.least_squares_descent(X, y.astype(float), 3, fraction=0.0)
