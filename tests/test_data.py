"""Datasets: made in code or bundled, never downloaded."""

import numpy as np
import pytest

from lib import data


def test_spirals_and_clusters_shapes_labels_and_determinism():
    X, y = data.spirals(50, np.random.default_rng(0), n_classes=4)
    assert X.shape == (200, 2) and set(y) == {0, 1, 2, 3}
    X2, _ = data.spirals(50, np.random.default_rng(0), n_classes=4)
    np.testing.assert_array_equal(X, X2)
    X, y = data.gaussian_clusters(30, np.random.default_rng(0), centers=[[0, 0], [5, 5]], scales=[100, 1])
    assert X.shape == (60, 2) and X[:, 0].std() > 50 * X[:, 1].std()


def test_correlated_cloud_is_off_centre_stretched_and_tilted():
    X = data.correlated_cloud(np.random.default_rng(0), n=20_000)
    assert X.shape == (20_000, 2)
    np.testing.assert_allclose(X.mean(axis=0), [6, 3], atol=0.05)
    eigenvalues = np.linalg.eigvalsh(np.cov(X.T))
    np.testing.assert_allclose(eigenvalues, [0.36, 9.0], rtol=0.03)
    assert np.corrcoef(X.T)[0, 1] > 0.8


def test_digits_ship_with_scikit_learn():
    from sklearn.datasets import load_digits

    X, y = data.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,) and X.dtype == np.float64
    assert X.min() == 0 and X.max() == 16 and set(y) == set(range(10))
    reference = load_digits()  # scikit-learn's own reader of the same file
    assert np.array_equal(X, reference.data) and np.array_equal(y, reference.target)


def test_train_test_split():
    X, y = np.arange(40).reshape(20, 2), np.arange(20)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, np.random.default_rng(0), test_fraction=0.25)
    assert len(X_te) == 5 and len(X_tr) == 15
    assert sorted(np.concatenate([y_tr, y_te])) == list(range(20))
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)


def test_data_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_per_class"):
        data.spirals(0, rng)
    with pytest.raises(ValueError, match="noise"):
        data.spirals(5, rng, noise=-1)
    with pytest.raises(ValueError, match="centers must be 2-D"):
        data.gaussian_clusters(5, rng, centers=[1, 2])
    with pytest.raises(ValueError, match="same number of rows"):
        data.train_test_split(np.ones((3, 2)), np.ones(4), rng)
    with pytest.raises(TypeError, match="Generator"):
        data.spirals(5, 0)


def test_bad_values_give_clear_errors_not_nan_data():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="turns must be finite"):
        data.spirals(5, rng, turns=float("nan"))
    with pytest.raises(ValueError, match="noise must be finite"):
        data.spirals(5, rng, noise=float("inf"))
    with pytest.raises(ValueError, match="leaves no training rows"):
        data.train_test_split(np.ones((2, 2)), np.ones(2), rng, test_fraction=0.75)
    with pytest.raises(TypeError, match="n_per_class must be an int"):
        data.gaussian_clusters(2.0, rng, centers=[[0, 0]])


# --- the photographs, image patches and stretched clouds of the preprocessing chapter ---

def test_photographs_are_scikit_learns_two_bundled_images():
    from sklearn.datasets import load_sample_images

    photos = data.photographs()
    assert photos.shape == (2, 427, 640, 3) and photos.dtype == np.uint8
    for ours, theirs in zip(photos, load_sample_images().images):
        np.testing.assert_array_equal(ours, theirs)


def test_image_patches_are_slices_of_random_images_at_random_places():
    images = np.arange(2 * 6 * 7 * 3, dtype=np.uint8).reshape(2, 6, 7, 3)
    patches = data.image_patches(images, 3, 5, np.random.default_rng(4))
    rng = np.random.default_rng(4)  # the same draws, in the documented order
    which, rows, cols = rng.integers(0, 2, 5), rng.integers(0, 4, 5), rng.integers(0, 5, 5)
    assert patches.shape == (5, 27) and patches.dtype == np.float64
    for patch, m, r, c in zip(patches, which, rows, cols):
        np.testing.assert_array_equal(patch, images[m, r:r + 3, c:c + 3, :].reshape(-1))
    gray = data.image_patches(images, 3, 5, np.random.default_rng(4), gray=True)
    np.testing.assert_allclose(gray, patches.reshape(5, 9, 3).mean(axis=2))


def test_image_patch_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="4-D"):
        data.image_patches(np.zeros((6, 7, 3)), 3, 2, rng)
    with pytest.raises(ValueError, match="larger than the images"):
        data.image_patches(np.zeros((1, 6, 7, 3)), 7, 2, rng)
    with pytest.raises(ValueError, match="n must be"):
        data.image_patches(np.zeros((1, 6, 7, 3)), 3, 0, rng)
    with pytest.raises(TypeError, match="Generator"):
        data.image_patches(np.zeros((1, 6, 7, 3)), 3, 2, 0)


@pytest.mark.parametrize("stretch,angle", [(1.0, 0.0), (3.0, 30.0), (10.0, 90.0)])
def test_stretched_cloud_has_the_covariance_of_its_stretch_and_angle(stretch, angle):
    X = data.stretched_cloud(np.random.default_rng(0), n=200_000, stretch=stretch, angle=angle, center=(2, -1))
    t = np.deg2rad(angle)
    long_axis, short_axis = np.array([np.cos(t), np.sin(t)]), np.array([-np.sin(t), np.cos(t)])
    expected = stretch**2 * np.outer(long_axis, long_axis) + np.outer(short_axis, short_axis)
    np.testing.assert_allclose(np.cov(X.T), expected, atol=0.02 * stretch**2)
    np.testing.assert_allclose(X.mean(axis=0), [2, -1], atol=0.01 * stretch)


def test_stretched_cloud_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="stretch"):
        data.stretched_cloud(rng, stretch=0.0)
    with pytest.raises(ValueError, match="center"):
        data.stretched_cloud(rng, center=(0, 0, 0))
    with pytest.raises(TypeError, match="angle"):
        data.stretched_cloud(rng, angle="45")


# --- input lib.data cannot use: a wrong type is a TypeError, a wrong value a ValueError, naming it ---

def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("call,error,message", [
    (lambda: data.gaussian_clusters(3, rng(), [[0.0, np.nan]]), ValueError,
     r"centers must be finite; it has 1 NaN or infinite entry \(a diverged computation\?\)$"),
    (lambda: data.gaussian_clusters(3, rng(), np.zeros((0, 2))), ValueError,
     r"centers must be 2-D \(K >= 1 classes, D >= 1 features\), got shape \(0, 2\)$"),
    (lambda: data.gaussian_clusters(3, rng(), [[0.0, 1.0]], scales=[1.0, np.inf]), ValueError, "scales must be finite"),
    (lambda: data.stretched_cloud(rng(), center=(0.0, np.nan)), ValueError, "center must be finite"),
    (lambda: data.train_test_split(3, [1], rng()), ValueError,
     r"X and y must be arrays with one row per example, got shapes \(\) and \(1,\)$"),
    (lambda: data.train_test_split(np.ones((4, 2)), np.ones(3), rng()), ValueError,
     "X and y must have the same number of rows, got 4 and 3$"),
    (lambda: data.image_patches(np.full((1, 4, 4, 1), np.nan), 2, 3, rng()), ValueError, "images must be finite"),
    (lambda: data.image_patches(np.zeros((0, 4, 4, 1)), 2, 3, rng()), ValueError,
     r"images must be 4-D \(M images, H, W, C channels\), none of them 0, got shape \(0, 4, 4, 1\)$"),
    (lambda: data.image_patches(np.zeros((1, 4, 4, 1)), 2, 3, rng(), gray="yes"), TypeError,
     "gray must be True or False, got 'yes'$"),
])
def test_bad_input_is_refused_naming_the_argument(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


def test_valid_input_still_works():
    X, y = data.gaussian_clusters(2, rng(), [[0.0, 0.0], [5.0, 5.0]], std=0.0)
    np.testing.assert_array_equal(X, [[0, 0], [0, 0], [5, 5], [5, 5]])
    np.testing.assert_array_equal(y, [0, 0, 1, 1])
    patches = data.image_patches(np.arange(16.0).reshape(1, 4, 4, 1), 4, 1, rng(), gray=True)
    np.testing.assert_array_equal(patches, [np.arange(16.0)])


def test_standardized_digits_name_a_bad_seed_or_fraction():
    with pytest.raises(TypeError, match="^seed must be an int"):
        data.standardized_digits(seed=[1])
    with pytest.raises(ValueError, match="^seed must be an int >= 0"):
        data.standardized_digits(seed=-1)
    with pytest.raises(ValueError, match="^test_fraction must be > 0"):
        data.standardized_digits(test_fraction=0.0)
