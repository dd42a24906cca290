"""Preprocessing: statistics come from the training set; whitening gives identity covariance."""

import numpy as np
import pytest
from scipy import linalg

from lib import preprocessing
from lib import preprocessing as pp


def data(seed=0, n=2000):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 3)) * np.array([3.0, 1.0, 0.5])
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    return z @ Q + np.array([5.0, -2.0, 10.0])


def test_center_and_standardize():
    X = data()
    np.testing.assert_allclose(pp.Center().fit_transform(X).mean(axis=0), 0, atol=1e-12)
    Z = pp.Standardize().fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=1e-12)


def test_pca_decorrelates_and_sorts_by_variance():
    pca = pp.PCA().fit(data())
    Y = pca.transform(data())
    cov = np.cov(Y.T, bias=True)
    np.testing.assert_allclose(cov, np.diag(pca.explained_variance_), atol=1e-10)
    assert np.all(np.diff(pca.explained_variance_) < 0)
    assert pp.PCA(n_components=2).fit(data()).transform(data()).shape == (2000, 2)


def test_whitened_covariance_is_identity():
    Y = pp.Whiten(eps=0.0).fit_transform(data())
    np.testing.assert_allclose(np.cov(Y.T, bias=True), np.eye(3), atol=1e-10)
    Y = pp.Whiten().fit_transform(data())  # eps = 1e-5 shrinks each variance by lambda / (lambda + eps)
    np.testing.assert_allclose(np.cov(Y.T, bias=True), np.eye(3), atol=1e-4)


def test_whitening_divides_by_the_square_root_of_the_eigenvalues():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5000, 2)) * np.array([3.0, 0.5])  # eigenvalues ~ 9 and 0.25
    w = pp.Whiten(eps=0.0).fit(X)
    np.testing.assert_allclose(w.explained_variance_, [9, 0.25], rtol=0.05)
    assert np.allclose(w.transform(X).std(axis=0), 1)  # dividing by lambda would give 1/3 and 2


def test_test_data_uses_training_statistics():
    X_train, X_test = data(0), data(1, n=50) + 100.0
    for transform in (pp.Center(), pp.Standardize(), pp.PCA(), pp.Whiten()):
        transform.fit(X_train)
        Y_test = transform.transform(X_test)
        # Its own statistics would centre the test set; the training ones leave the shift visible.
        assert np.abs(Y_test.mean(axis=0)).max() > 10
    s = pp.Standardize().fit(X_train)
    np.testing.assert_allclose(s.transform(X_test), (X_test - X_train.mean(0)) / X_train.std(0))


def test_constant_feature_is_not_divided_by_zero():
    X = np.column_stack([np.arange(10.0), np.full(10, 4.0)])
    Z = pp.Standardize().fit_transform(X)
    assert np.all(np.isfinite(Z)) and np.all(Z[:, 1] == 0)
    assert np.all(np.isfinite(pp.Whiten().fit_transform(X)))


def test_integer_data_is_accepted():
    X = np.arange(12).reshape(6, 2) ** 2
    np.testing.assert_allclose(pp.Center().fit_transform(X).mean(axis=0), 0, atol=1e-12)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="not fitted"):
        pp.Standardize().transform(data())
    with pytest.raises(ValueError, match="3 features but Whiten was fitted on 2"):
        pp.Whiten().fit(data()[:, :2]).transform(data())
    with pytest.raises(ValueError, match="2-D"):
        pp.Center().fit(np.ones(5))
    with pytest.raises(ValueError, match="no rows"):
        pp.Center().fit(np.ones((0, 3)))
    with pytest.raises(ValueError, match="NaN"):
        pp.Center().fit(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match="n_components"):
        pp.PCA(n_components=0)
    with pytest.raises(ValueError, match="more than the 3 features"):
        pp.PCA(n_components=4).fit(data())
    with pytest.raises(ValueError, match="eps"):
        pp.Whiten(eps=-1)
    with pytest.raises(TypeError, match="numeric"):
        pp.Center().fit(np.array([["a"]]))


def test_a_constant_feature_maps_to_exactly_zero():
    """A column of 0.1 (not a binary fraction): its mean is not exactly 0.1, its std ~1e-17, not 0."""
    X = np.column_stack([np.full(7, 0.1), np.arange(7.0)])
    for transform in (pp.Center(), pp.Standardize()):
        Y = transform.fit_transform(X)
        assert np.all(Y[:, 0] == 0.0), type(transform).__name__
    np.testing.assert_allclose(pp.Standardize().fit_transform(X)[:, 1].std(), 1.0)


def test_one_training_row_is_enough_to_fit():
    """With one example, the mean is that example and every feature is constant (scale 1)."""
    row = np.array([[2.0, -3.0, 0.1]])
    for transform in (pp.Center(), pp.Standardize()):
        transform.fit(row)
        np.testing.assert_array_equal(transform.transform(row), [[0.0, 0.0, 0.0]])
        np.testing.assert_allclose(transform.transform([[3.0, -1.0, 0.1]]), [[1.0, 2.0, 0.0]], atol=1e-15)


def test_a_feature_constant_in_training_is_shifted_not_scaled_on_new_data():
    """sigma = 0 is replaced by 1: a new value c + d of a feature constant at c in training maps to d."""
    X = np.column_stack([np.arange(10.0), np.full(10, 4.0)])
    s = pp.Standardize().fit(X)
    Y = s.transform(np.array([[4.5, 6.0], [0.0, 1.0]]))
    np.testing.assert_allclose(Y[:, 1], [2.0, -3.0])
    np.testing.assert_allclose(Y[:, 0], (np.array([4.5, 0.0]) - 4.5) / np.sqrt(8.25))  # var of 0..9 = 8.25


def test_pca_projects_onto_the_known_principal_axis():
    """Points on the line y = 2x (plus nothing else): one direction (1, 2)/sqrt(5) with all the variance."""
    t = np.linspace(-1.0, 1.0, 11)
    X = np.column_stack([t, 2 * t]) + np.array([3.0, -1.0])
    pca = pp.PCA(n_components=1).fit(X)
    assert pca.components_.shape == (2, 1)
    direction = pca.components_[:, 0] * np.sign(pca.components_[0, 0])  # an eigenvector's sign is arbitrary
    np.testing.assert_allclose(direction, np.array([1.0, 2.0]) / np.sqrt(5), atol=1e-12)
    np.testing.assert_allclose(pca.explained_variance_, [5 * np.mean(t**2)], rtol=1e-12)  # var of sqrt(5) t
    np.testing.assert_allclose(np.abs(pca.transform(X)[:, 0]), np.sqrt(5) * np.abs(t), atol=1e-12)


def test_zero_eigenvalues_of_rank_deficient_data_are_never_negative():
    """A column that is a sum of others gives an eigenvalue that is 0 exactly but comes out of eigh as
    +-1e-16; a variance is never negative, so it is reported as >= 0 (on several datasets, so that
    rounding makes at least one of them negative before the clip)."""
    for seed in range(10):
        a = np.random.default_rng(seed).standard_normal((50, 2))
        X = np.column_stack([a, a[:, 0] + a[:, 1], 3 * a[:, 0]])  # rank 2 in 4 dimensions
        variances = pp.PCA().fit(X).explained_variance_
        assert np.all(variances >= 0), seed
        np.testing.assert_allclose(variances[2:], 0, atol=1e-12)


def test_whiten_keeps_n_components():
    Y = pp.Whiten(n_components=2, eps=0.0).fit_transform(data())
    assert Y.shape == (2000, 2)
    np.testing.assert_allclose(np.cov(Y.T, bias=True), np.eye(2), atol=1e-10)


@pytest.mark.parametrize("call,error,message", [
    (lambda: pp.Center().fit(np.ones(5)), ValueError,
     r"X must be 2-D \(N examples, D features\), got shape \(5,\)"),
    (lambda: pp.Center().fit(np.array([["a"]])), TypeError, "X must be a real numeric array"),
    (lambda: pp.Standardize().transform(data()), ValueError,
     r"Standardize is not fitted yet: call fit\(X_train\) first"),
    (lambda: pp.PCA(n_components=0), ValueError, "n_components must be an int >= 1"),
    (lambda: pp.Whiten(eps=-1), ValueError, "eps must be >= 0"),
])
def test_error_messages_name_the_argument(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


def rank_deficient(seed=0):
    """(200, 3) data on a plane: the third feature is the sum of the first two."""
    X = np.random.default_rng(seed).standard_normal((200, 2))
    return np.column_stack([X, X[:, 0] + X[:, 1]])


@pytest.mark.parametrize("transform", [pp.Whiten, pp.ZCA])
def test_eps_0_refuses_rank_deficient_data(transform):
    """Before #24, eps=0 on data on a plane returned NaN (or ~1e8) with a RuntimeWarning."""
    with pytest.raises(ValueError, match=r"^eps=0 cannot whiten X: 1 of the 3 kept directions have no variance "
                                         r"\(X is rank-deficient\), and would be divided by 0; use eps > 0 or "
                                         r"n_components <= 2$"):
        transform(eps=0).fit(rank_deficient())
    with pytest.raises(ValueError, match="3 of the 3 kept directions"):
        transform(eps=0).fit(np.ones((5, 3)))  # constant data: no variance at all
    Y = transform(n_components=2, eps=0).fit_transform(rank_deficient())  # the plane itself: fine
    cov = np.cov(Y.T, bias=True)  # Whiten: I (2 x 2); ZCA: the projection onto the plane (3 x 3)
    np.testing.assert_allclose(cov @ cov, cov, atol=1e-10)
    assert np.trace(cov) == pytest.approx(2.0)
    Y = transform(eps=1e-5).fit_transform(rank_deficient())  # eps > 0: finite, as documented
    assert np.all(np.isfinite(Y))


def test_eps_0_whitens_full_rank_data_exactly():
    Y = pp.Whiten(eps=0).fit_transform(data())
    np.testing.assert_allclose(np.cov(Y.T, bias=True), np.eye(3), atol=1e-12)


@pytest.mark.parametrize("transform", [pp.PCA, pp.Whiten, pp.ZCA])
def test_float16_data_is_fitted_in_float32(transform):
    """numpy's eigh has no float16: before #24, PCA().fit failed inside numpy.linalg."""
    X = data(n=500)
    half = transform().fit(X.astype(np.float16))
    full = transform().fit(X.astype(np.float16).astype(np.float32))
    np.testing.assert_array_equal(half.transform(X[:5]), full.transform(X[:5]))
    np.testing.assert_allclose(np.abs(half.components_), np.abs(transform().fit(X).components_), atol=0.01)


def test_eps_0_tolerance_is_d_roundings_of_the_largest_eigenvalue():
    """An eigenvalue counts as 0 up to D * machine epsilon * the largest (numpy's matrix_rank rule)."""
    eps = np.finfo(np.float64).eps
    with pytest.raises(ValueError, match="1 of the 2 kept directions"):
        pp._check_invertible(np.array([4.0, 3 * eps * 4.0]), 0.0, 3)
    pp._check_invertible(np.array([4.0, 3 * eps * 4.0]), 0.0, 2)  # above 2 roundings: kept
    pp._check_invertible(np.array([4.0, 0.0]), 1e-5, 3)  # eps > 0: nothing is divided by 0


def correlated(n=500, seed=0):
    """Off-centre data (n, 3) with distinct variances and correlations."""
    mixing = np.array([[2.0, 0.5, 0.0], [0.0, 1.0, 0.3], [0.0, 0.0, 0.2]])
    return np.random.default_rng(seed).standard_normal((n, 3)) @ mixing + np.array([5.0, -1.0, 2.0])


def covariance(X):
    return np.cov(X.T, bias=True)  # 1/N, as lib.preprocessing


@pytest.mark.parametrize("eps", [0.0, 1e-5, 0.5])
def test_matrix_is_the_inverse_square_root_of_the_regularized_covariance(eps):
    X = correlated()
    expected = linalg.fractional_matrix_power(covariance(X) + eps * np.eye(3), -0.5)
    np.testing.assert_allclose(preprocessing.ZCA(eps=eps).fit(X).matrix_, expected, rtol=1e-9, atol=1e-12)


def test_whitened_training_data_has_identity_covariance_and_stays_close_to_the_data():
    X = correlated()
    zca = preprocessing.ZCA(eps=0.0).fit(X)
    Z = zca.transform(X)
    np.testing.assert_allclose(covariance(Z), np.eye(3), atol=1e-10)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(zca.matrix_, zca.matrix_.T, atol=1e-12)
    # Of all whitening matrices ZCA moves the centred data least: PCA whitening moves it more.
    centred = X - X.mean(axis=0)
    pca_white = preprocessing.Whiten(eps=0.0).fit_transform(X)
    assert np.mean((Z - centred) ** 2) < np.mean((pca_white - centred) ** 2)
    # and both are white, related by the rotation U: Z = pca_white U^T
    np.testing.assert_allclose(Z, pca_white @ zca.components_.T, atol=1e-9)


def test_eps_leaves_covariance_sigma_over_sigma_plus_eps():
    X, eps = correlated(), 0.3
    sigma = covariance(X)
    expected = sigma @ np.linalg.inv(sigma + eps * np.eye(3))
    np.testing.assert_allclose(covariance(preprocessing.ZCA(eps=eps).fit_transform(X)), expected, atol=1e-10)


def test_other_data_go_through_the_training_statistics():
    X, other = correlated(seed=0), correlated(n=7, seed=1) + 10.0
    zca = preprocessing.ZCA(eps=0.1).fit(X)
    np.testing.assert_allclose(zca.transform(other), (other - X.mean(axis=0)) @ zca.matrix_, rtol=1e-12)


def test_fewer_components_keep_only_the_top_directions():
    X = correlated()
    zca = preprocessing.ZCA(n_components=2, eps=0.0).fit(X)
    assert zca.matrix_.shape == (3, 3) and np.linalg.matrix_rank(zca.matrix_) == 2
    eigenvalues, eigenvectors = np.linalg.eigh(covariance(X))
    smallest = eigenvectors[:, 0]
    np.testing.assert_allclose(zca.matrix_ @ smallest, 0.0, atol=1e-10)  # the dropped direction maps to 0


def test_zca_errors():
    with pytest.raises(ValueError, match="not fitted"):
        preprocessing.ZCA().transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="features"):
        preprocessing.ZCA().fit(correlated()).transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="eps"):
        preprocessing.ZCA(eps=-1.0)
    with pytest.raises(TypeError, match="eps"):
        preprocessing.ZCA(eps="small")


def test_pca_inverse_transform_reconstructs_from_the_kept_directions():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3)) @ np.diag([3.0, 1.0, 0.1]) + np.array([5.0, -2.0, 1.0])
    full = pp.PCA().fit(X)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-12)
    top = pp.PCA(1).fit(X)
    u, mu = top.components_[:, 0], X.mean(axis=0)  # x_hat = mu + ((x - mu) . u) u, by hand
    np.testing.assert_allclose(top.inverse_transform(top.transform(X)), mu + np.outer((X - mu) @ u, u), atol=1e-12)
    np.testing.assert_allclose(top.inverse_transform(np.array([[2.0]])), [mu + 2.0 * u], atol=1e-12)
    with pytest.raises(TypeError, match="^Z must be"):
        top.inverse_transform(np.array([["a"]]))
