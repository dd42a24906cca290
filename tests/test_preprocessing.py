"""Preprocessing: statistics come from the training set; whitening gives identity covariance."""

import numpy as np
import pytest

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
