"""lib.data on input it cannot use (#24): a wrong type is a TypeError, a wrong value a ValueError,
each naming the argument; no NaN data is made silently."""

import numpy as np
import pytest

from lib import data


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
