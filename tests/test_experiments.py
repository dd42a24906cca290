"""The chapters' measurements: what they return, and the facts the chapters build on them."""

import numpy as np
import pytest

from lib import data, experiments, initializers, preprocessing


def test_forward_through_layers_shapes_and_the_notes_three_regimes():
    def last_std(init, activation="tanh"):
        return experiments.forward_through_layers(np.random.default_rng(0), init, activation)[-1].std()

    layers = experiments.forward_through_layers(np.random.default_rng(0), 0.01, depth=4, width=32, n=8)
    assert [h.shape for h in layers] == [(8, 32)] * 4
    assert last_std(0.01) < 1e-6  # too small: the signal vanishes
    saturated = experiments.forward_through_layers(np.random.default_rng(0), 0.2, "tanh")[-1]
    assert np.mean(np.abs(saturated) > 0.99) > 0.3  # too large: tanh saturates
    assert 0.1 < last_std("lecun_normal") < 1  # Xavier/LeCun keeps tanh alive
    assert last_std("kaiming_normal", "relu") > 10 * last_std("lecun_normal", "relu")  # He's factor 2


def test_singular_values_by_depth_match_the_direct_product():
    rng = np.random.default_rng(3)
    rows = experiments.singular_values_by_depth(np.random.default_rng(3), "lecun_normal", max_depth=3, width=8)
    W = [initializers.lecun_normal((8, 8), rng) for _ in range(3)]
    np.testing.assert_allclose(rows[2], np.linalg.svd(W[0] @ W[1] @ W[2], compute_uv=False), rtol=1e-10)
    orthogonal = experiments.singular_values_by_depth(np.random.default_rng(0), "orthogonal", max_depth=30)
    np.testing.assert_allclose(orthogonal, 1.0, atol=1e-10)
    gaussian = experiments.singular_values_by_depth(np.random.default_rng(0), "lecun_normal", max_depth=30)
    spread = gaussian.max(axis=1) / gaussian.min(axis=1)
    assert spread[-1] > 1e6 * spread[0]  # the spread grows by orders of magnitude with depth


def test_standardizing_lowers_the_best_loss_of_a_learning_rate_sweep():
    X, y = data.gaussian_clusters(100, np.random.default_rng(0), centers=[[0, 0], [1, 1.5]], std=0.6,
                                  scales=[300, 1])
    rates = [1e-5, 1e-3, 1e-1]
    raw = experiments.final_losses_over_learning_rates(X, y, rates, steps=100)
    standardized = experiments.final_losses_over_learning_rates(preprocessing.Standardize().fit_transform(X), y,
                                                                rates, steps=100)
    assert raw.shape == (3,) and np.nanmin(standardized) < 0.6 * np.nanmin(raw)


def test_bad_arguments():
    with pytest.raises(TypeError, match="Generator"):
        experiments.forward_through_layers(0, 0.01)
    with pytest.raises(ValueError, match="unknown activation"):
        experiments.forward_through_layers(np.random.default_rng(0), 0.01, "swish")
    with pytest.raises(TypeError, match="init"):
        experiments.singular_values_by_depth(np.random.default_rng(0), None, 3)
