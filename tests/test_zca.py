"""ZCA whitening (lib.preprocessing.ZCA), checked against matrix functions from scipy and closed forms."""

import numpy as np
import pytest
from scipy import linalg

from lib import preprocessing


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
