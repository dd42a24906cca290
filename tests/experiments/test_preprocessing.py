"""What the preprocessing page measures: `lib.experiments.preprocessing`."""

import numpy as np
import pytest

from lib import data
from lib.experiments import preprocessing as pre_experiments


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


def softmax_descent_by_hand(X, y, lr, steps, target):
    """Full-batch gradient descent on softmax regression from zero weights, in plain numpy:
    dL/dW = X^T (P - Y) / N, dL/db = mean(P - Y); returns the losses until one is <= target."""
    N, C = len(y), int(y.max()) + 1
    Y = np.eye(C)[y]
    W, b, losses = np.zeros((X.shape[1], C)), np.zeros(C), []
    for _ in range(steps):
        logits = X @ W + b
        logits -= logits.max(axis=1, keepdims=True)
        P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.log(P[np.arange(N), y])))
        W, b = W - lr * X.T @ (P - Y) / N, b - lr * (P - Y).mean(axis=0)
        if losses[-1] <= target:
            break
    return losses


def test_softmax_sweeps_count_the_steps_of_gradient_descent_written_out_by_hand():
    from lib import preprocessing as pp

    X_train, _, y_train, _ = digits_split()
    Z = pp.Standardize().fit_transform(X_train)
    sweeps = pre_experiments.softmax_sweeps({"raw": X_train, "standardized": Z}, y_train)
    s = pre_experiments.TRAINING
    for name, X in [("raw", X_train), ("standardized", Z)]:
        sweep = sweeps[name]
        assert sweep.rates == s["rates"] and sweep.seeds == (0,)
        for i in (sweep.best_index, sweep.best_index + 1):
            by_hand = softmax_descent_by_hand(X, y_train, s["rates"][i], s["max_steps"], s["target"])
            np.testing.assert_allclose(sweep.losses[i][0], by_hand, rtol=1e-9)
            assert sweep.steps[i, 0] == (len(by_hand) if by_hand[-1] <= s["target"] else np.inf)
    # raw pixels (0..16) need a rate ~100 times smaller than standardized ones, and more steps
    assert sweeps["standardized"].best_rate >= 64 * sweeps["raw"].best_rate
    assert sweeps["raw"].steps[sweeps["raw"].best_index, 0] > 3 * sweeps["standardized"].steps.min()


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
