"""Data preprocessing fitted on the training set and applied unchanged to any other set.

Each transform is an object with `fit(X_train)`, `transform(X)` and `fit_transform(X_train)`.
X is (N, D): N examples as rows, D features as columns. The statistics (mean, scale, eigenvectors)
are learned by `fit` only; `transform` on validation or test data reuses them, as it must.

    Center       X - mu
    Standardize  (X - mu) / sigma                                (per feature)
    PCA          (X - mu) U_k            U_k: top-k eigenvectors of the covariance
    Whiten       (X - mu) U / sqrt(lambda + eps)                 covariance becomes ~ I
    ZCA          (X - mu) U diag(1 / sqrt(lambda + eps)) U^T     whitened, rotated back
"""

import numpy as np

from lib._validate import as_float_array, as_int, as_number


def _check_data(X, name="X"):
    """Return X as a finite 2-D float array (N, D), or raise naming the problem."""
    X = as_float_array(X, name)
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (N examples, D features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} has no rows (shape {X.shape})")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


class Center:
    """Subtract the training mean of every feature: X - mu.

    A constant feature's mean is taken as its value itself, so it maps to exactly 0 (the average of
    n copies of 0.1 is not always 0.1 in floating point).
    """

    def fit(self, X):
        X = _check_data(X)
        constant = np.all(X == X[0], axis=0)
        self.mean_ = np.where(constant, X[0], X.mean(axis=0))
        return self

    def _check_fitted(self, X):
        if not hasattr(self, "mean_"):
            raise ValueError(f"{type(self).__name__} is not fitted yet: call fit(X_train) first")
        X = _check_data(X)
        if X.shape[1] != self.mean_.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} features but {type(self).__name__} was fitted on {self.mean_.shape[0]}"
            )
        return X

    def transform(self, X):
        return self._check_fitted(X) - self.mean_

    def fit_transform(self, X):
        return self.fit(X).transform(X)


class Standardize(Center):
    """Center, then divide every feature by its training standard deviation: (X - mu) / sigma.

    A constant feature (sigma = 0) is only centered (to exactly 0), not divided by zero.
    """

    def fit(self, X):
        super().fit(X)
        X = _check_data(X)
        constant = np.all(X == X[0], axis=0)
        self.scale_ = np.where(constant, 1.0, X.std(axis=0))
        return self

    def transform(self, X):
        return super().transform(X) / self.scale_


class PCA(Center):
    """Center, then rotate onto the covariance eigenvectors, largest variance first.

    n_components: keep the first k directions (None keeps all D). After `fit`:
    components_ (D, k) the eigenvectors as columns, explained_variance_ (k,) their eigenvalues.
    """

    def __init__(self, n_components=None):
        self.n_components = None if n_components is None else as_int(n_components, "n_components", minimum=1)

    def fit(self, X):
        X = _check_data(X)
        if X.dtype == np.float16:
            X = X.astype(np.float32)  # numpy's linalg (eigh) has no float16
        super().fit(X)
        k = X.shape[1] if self.n_components is None else self.n_components
        if k > X.shape[1]:
            raise ValueError(f"n_components={k} is more than the {X.shape[1]} features of X")
        Xc = X - self.mean_
        cov = Xc.T @ Xc / X.shape[0]
        eigvals, eigvecs = np.linalg.eigh(cov)  # ascending
        order = np.argsort(eigvals)[::-1][:k]
        self.explained_variance_ = np.clip(eigvals[order], 0.0, None)
        self.components_ = eigvecs[:, order]
        return self

    def transform(self, X):
        return super().transform(X) @ self.components_

    def inverse_transform(self, Z):
        """Back from the k coordinates Z (N, k) to the D features: x_hat = mu + z U_k^T, (N, D)."""
        return as_float_array(Z, "Z") @ self.components_.T + self.mean_


def _check_invertible(eigenvalues, eps, D):
    """ValueError if eps = 0 and an eigenvalue is 0 up to rounding: at most D * machine epsilon
    times the largest (numpy's matrix_rank tolerance), so its direction would be divided by ~0."""
    if eps == 0:
        tiny = eigenvalues <= D * np.finfo(eigenvalues.dtype).eps * eigenvalues.max()
        if tiny.any():
            raise ValueError(f"eps=0 cannot whiten X: {int(tiny.sum())} of the {eigenvalues.size} kept directions "
                             "have no variance (X is rank-deficient), and would be divided by 0; use eps > 0 "
                             f"or n_components <= {eigenvalues.size - int(tiny.sum())}")


class Whiten(PCA):
    """PCA, then divide each direction by sqrt(eigenvalue + eps): the covariance becomes ~ identity.

    eps keeps directions of (near) zero variance from being blown up to huge values. With eps = 0,
    `fit` refuses data with no variance in a kept direction (rank-deficient data), which would be
    divided by 0.
    """

    def __init__(self, n_components=None, eps=1e-5):
        super().__init__(n_components)
        self.eps = as_number(eps, "eps", minimum=0)

    def fit(self, X):
        super().fit(X)
        _check_invertible(self.explained_variance_, self.eps, self.mean_.size)
        return self

    def transform(self, X):
        return super().transform(X) / np.sqrt(self.explained_variance_ + self.eps)


class ZCA(Whiten):
    """Whiten, then rotate back onto the original axes (zero-phase component analysis).

    W = U diag(1 / sqrt(lambda + eps)) U^T, a symmetric (D, D) matrix; transform(X) = (X - mu) W,
    (N, D). The covariance becomes ~ identity as with `Whiten`, and of all whitening matrices this one
    keeps the whitened data closest to the centred data, so whitened image patches still look like
    image patches. After `fit`: matrix_ (D, D), row i the filter that computes whitened feature i.
    With n_components = k only the top k directions are kept: W = U_k diag(...) U_k^T.
    """

    def fit(self, X):
        super().fit(X)
        self.matrix_ = (self.components_ / np.sqrt(self.explained_variance_ + self.eps)) @ self.components_.T
        return self

    def transform(self, X):
        return Center.transform(self, X) @ self.matrix_
