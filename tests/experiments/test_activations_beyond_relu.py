"""What the page "the ReLU family and beyond" measures: `lib.experiments.activations_beyond_relu`."""

import numpy as np
import pytest

from lib import activations as act
from lib.experiments import activations_beyond_relu as experiments
from lib.experiments.activations_beyond_relu import train_deep_networks
from lib.network import MLP


def test_output_moments_and_gelu_as_an_expected_random_mask():
    mean, var = act.moments_of_output(act.relu)
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


def two_blobs(rng, n):
    """Two well separated classes in 4-D: X (2n, 4), y (2n,)."""
    X = np.concatenate([rng.normal(-2.0, 0.5, (n, 4)), rng.normal(2.0, 0.5, (n, 4))])
    return X, np.repeat([0, 1], n)


def test_deep_networks_train_and_report_loss_and_accuracy():
    rng = np.random.default_rng(1)
    (X, y), (X_test, y_test) = two_blobs(rng, 40), two_blobs(rng, 10)
    runs = train_deep_networks(X, y, X_test, y_test, ["selu", "tanh"], depth=3, width=8, steps=40, lr=0.05,
                               batch_size=16)
    assert list(runs) == ["selu", "tanh"]
    for run in runs.values():
        assert run["losses"].shape == (40,)
        assert run["test_accuracy"] == 1.0  # an easy problem: every test point right
        assert run["train_loss"] < 0.5 * run["losses"][0] and run["train_loss"] < 0.2
    again = train_deep_networks(X, y, X_test, y_test, ["selu"], depth=3, width=8, steps=40, lr=0.05,
                                batch_size=16)
    np.testing.assert_array_equal(again["selu"]["losses"], runs["selu"]["losses"])  # seeded


def test_deep_networks_start_from_lecun_normal_weights_drawn_from_the_seed():
    """The first (full-batch) loss is that of an MLP [D, width, width, C] with LeCun-normal weights
    drawn from default_rng(seed), for every activation."""
    X, y = two_blobs(np.random.default_rng(2), 20)
    runs = train_deep_networks(X, y, X, y, ["selu", "tanh"], depth=2, width=4, steps=1, lr=0.01, seed=3)
    for name, run in runs.items():
        net = MLP([4, 4, 4, 2], np.random.default_rng(3), activation=name, init="lecun_normal")
        assert run["losses"][0] == pytest.approx(net.loss(X, y), rel=1e-12)
    other_seed = train_deep_networks(X, y, X, y, ["selu"], depth=2, width=4, steps=1, lr=0.01, seed=4)
    assert other_seed["selu"]["losses"][0] != runs["selu"]["losses"][0]


def test_deep_networks_refuse_bad_sizes():
    X, y = two_blobs(np.random.default_rng(0), 5)
    with pytest.raises(ValueError, match="depth"):
        train_deep_networks(X, y, X, y, ["selu"], depth=0)
    with pytest.raises(TypeError, match="width"):
        train_deep_networks(X, y, X, y, ["selu"], width=8.5)
