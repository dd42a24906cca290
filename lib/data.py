"""Small datasets, made in code or shipped inside an installed package: nothing is downloaded.

Every labelled dataset is returned as (X, y): X (N, D) float64 features, y (N,) int labels.
"""

import functools
import importlib.util
from pathlib import Path

import numpy as np

from lib._validate import as_float_array, as_int, as_number, check_finite, check_rng, check_rows


def spirals(n_per_class, rng, n_classes=3, noise=0.2, turns=1.0):
    """Interleaved 2-D spirals (the CS231n toy problem no linear classifier can separate).

    Class k's points sit at radius r in [0, 1] and angle 2 pi (turns r + k / n_classes) + noise.
    """
    check_rng(rng)
    n_per_class = as_int(n_per_class, "n_per_class", minimum=1)
    n_classes = as_int(n_classes, "n_classes", minimum=1)
    noise, turns = as_number(noise, "noise", minimum=0), as_number(turns, "turns")
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes), n_per_class)
    theta = 2 * np.pi * (turns * r + y / n_classes) + noise * rng.standard_normal(r.size)
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return X, y


def gaussian_clusters(n_per_class, rng, centers, std=1.0, scales=None):
    """Isotropic Gaussian blobs: class k ~ N(centers[k], diag((std * scales)^2)).

    centers: (K, D). scales: optional (D,) per-feature stretch, to make badly scaled features
    (the reason for standardizing).
    """
    check_rng(rng)
    n_per_class = as_int(n_per_class, "n_per_class", minimum=1)
    centers = check_finite(as_float_array(centers, "centers"), "centers")
    if centers.ndim != 2 or 0 in centers.shape:
        raise ValueError(f"centers must be 2-D (K >= 1 classes, D >= 1 features), got shape {centers.shape}")
    std = as_number(std, "std", minimum=0)
    k, d = centers.shape
    scales = np.ones(d) if scales is None else check_finite(as_float_array(scales, "scales"), "scales")
    if scales.shape != (d,):
        raise ValueError(f"scales must have shape ({d},), got {scales.shape}")
    y = np.repeat(np.arange(k), n_per_class)
    X = (centers[y] + std * rng.standard_normal((y.size, d))) * scales
    return X, y


def correlated_cloud(rng, n=400):
    """A 2-D point cloud, off-centre, stretched and tilted, like raw features: X (n, 2), no labels.

    Standard normal points scaled by (3, 0.6), rotated by 30 degrees and shifted to (6, 3).
    """
    check_rng(rng)
    n = as_int(n, "n", minimum=1)
    z = rng.standard_normal((n, 2)) * np.array([3.0, 0.6])
    angle = np.pi / 6
    rotation = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    return z @ rotation + np.array([6.0, 3.0])


def stretched_cloud(rng, n=200, stretch=1.0, angle=0.0, center=(0.0, 0.0)):
    """A 2-D Gaussian cloud stretched along one axis and turned: X (n, 2), no labels.

    x = z diag(stretch, 1) R(angle) + center for z ~ N(0, I), R the rotation by `angle` degrees
    (counter-clockwise), so the covariance is R^T diag(stretch^2, 1) R: a long axis of std `stretch`
    at `angle` degrees from the first feature's axis, a short one of std 1.
    """
    check_rng(rng)
    n = as_int(n, "n", minimum=1)
    stretch, angle = as_number(stretch, "stretch", above=0), as_number(angle, "angle")
    center = check_finite(as_float_array(center, "center"), "center")
    if center.shape != (2,):
        raise ValueError(f"center must have shape (2,), got {center.shape}")
    theta = np.deg2rad(angle)
    rotation = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    return rng.standard_normal((n, 2)) * np.array([stretch, 1.0]) @ rotation + center


def digits():
    """The 1,797 8x8 handwritten digits bundled with scikit-learn: X (1797, 64) in [0, 16], y in 0..9.

    Read from the file inside the installed package (sklearn/datasets/data/digits.csv.gz: 64 pixel
    columns, then the label), without importing scikit-learn, whose import alone takes ~1 s.
    """
    package = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    table = np.loadtxt(Path(package) / "datasets" / "data" / "digits.csv.gz", delimiter=",")
    return table[:, :-1], table[:, -1].astype(np.int64)


def train_test_split(X, y, rng, test_fraction=0.25):
    """Shuffle and split (X, y) into (X_train, X_test, y_train, y_test); each part gets >= 1 row."""
    check_rng(rng)
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must be arrays with one row per example, got shapes {X.shape} and {y.shape}")
    check_rows(X, y)
    test_fraction = as_number(test_fraction, "test_fraction", above=0)
    if not test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    n_test = max(1, int(round(test_fraction * len(X))))
    if n_test >= len(X):
        raise ValueError(f"splitting {len(X)} rows with test_fraction={test_fraction} leaves no training rows")
    order = rng.permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def n_classes(y):
    """The number of classes C of labels y (N,) in 0..C-1: max(y) + 1."""
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0 or y.dtype.kind not in "iu" or y.min() < 0:
        raise ValueError(f"y must be a non-empty 1-D array of labels 0, 1, ..., got shape {y.shape}, dtype {y.dtype}")
    return int(y.max()) + 1


def standardized_digits(seed=0, test_fraction=0.25):
    """The course's standardized digits: (X_train, X_test, y_train, y_test), `digits()` split with
    rng(seed) (`train_test_split`) and standardized with the training set's mean and std per pixel
    (`lib.preprocessing.Standardize`, fitted on X_train only). New copies each call, of arrays
    computed once (loading the digits takes a while)."""
    seed, test_fraction = as_int(seed, "seed", minimum=0), as_number(test_fraction, "test_fraction", above=0)
    return tuple(a.copy() for a in _standardized_digits(seed, test_fraction))


@functools.lru_cache(maxsize=2)
def _standardized_digits(seed, test_fraction):
    from lib.preprocessing import Standardize

    X, y = digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, np.random.default_rng(seed), test_fraction)
    scaler = Standardize().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def photographs():
    """The two colour photographs bundled with scikit-learn (china.jpg, flower.jpg), decoded from
    files inside the installed package (no download): uint8 array (2, 427, 640, 3), RGB in 0..255."""
    from sklearn.datasets import load_sample_images

    return np.stack(load_sample_images().images)


def image_patches(images, size, n, rng, gray=False):
    """n square patches of side `size`, cut at random places of random images, one patch per row.

    images: (M, H, W, C) array (uint8 or float). Patch i is images[m_i, r_i:r_i+size, c_i:c_i+size, :]
    with m_i, r_i, c_i uniform. Returns float64 (n, size * size * C), each row the patch flattened in
    (row, column, channel) order; with gray=True the channels are averaged first,
    gray = (R + G + B) / 3, and the rows are (n, size * size).
    """
    check_rng(rng)
    images = check_finite(as_float_array(images, "images"), "images")
    if images.ndim != 4 or 0 in images.shape:
        raise ValueError(f"images must be 4-D (M images, H, W, C channels), none of them 0, got shape {images.shape}")
    if not isinstance(gray, (bool, np.bool_)):
        raise TypeError(f"gray must be True or False, got {gray!r}")
    size, n = as_int(size, "size", minimum=1), as_int(n, "n", minimum=1)
    m, h, w, _ = images.shape
    if size > min(h, w):
        raise ValueError(f"size={size} is larger than the images ({h} x {w})")
    if gray:
        images = images.mean(axis=3, keepdims=True)
    which, rows, cols = rng.integers(0, m, n), rng.integers(0, h - size + 1, n), rng.integers(0, w - size + 1, n)
    offsets = np.arange(size)
    patches = images[which[:, None, None], (rows[:, None] + offsets)[:, :, None], (cols[:, None] + offsets)[:, None, :]]
    return patches.reshape(n, -1)
