"""What the page "the ReLU family and beyond" measures: `lib.experiments.activations_beyond_relu`."""

import numpy as np
import pytest

from lib import activations as act
from lib.experiments import activations_beyond_relu as experiments
from lib import data, initializers
from lib.network import MLP, steps_to_reach, train


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


def test_every_deep_method_has_its_own_init_but_the_control_that_gives_relu_selus():
    for label, (activation, init) in experiments.DEEP_METHODS.items():
        if label == "ReLU, LeCun":
            assert init == "lecun_normal" != initializers.paired_init(activation)
        else:
            assert init == initializers.paired_init(activation), label


def test_deep_network_sweeps_train_each_method_as_written_out_by_hand():
    """A small setting; each run is the MLP of its activation and init from default_rng(seed),
    trained on minibatches of the standardized digits, scored on their held-out quarter."""
    small = {"depth": 2, "width": 8, "steps": 30, "rates": (0.03, 0.3), "seeds": (1,), "target": 1.5}
    methods = {"SELU": ("selu", "lecun_normal"), "tanh": ("tanh", "xavier_normal")}
    sweeps = experiments.deep_network_sweeps(methods, **small)
    X, X_test, y, y_test = data.standardized_digits()
    for label, (activation, init) in methods.items():
        for i, lr in enumerate(small["rates"]):
            rng = np.random.default_rng(1)
            net = MLP([64, 8, 8, 10], rng, activation=activation, init=init)
            losses = train(net, X, y, rng, steps=30, lr=lr, batch_size=64)["loss"]
            np.testing.assert_array_equal(sweeps[label].losses[i][0], losses)
            assert sweeps[label].accuracy[i, 0] == net.accuracy(X_test, y_test)
            expected = steps_to_reach(losses, 1.5, window=10)
            assert sweeps[label].steps[i, 0] == (np.inf if expected is None else expected)


def test_deep_network_sweeps_refuse_an_unknown_setting_and_bad_sizes():
    with pytest.raises(ValueError, match="unknown DEEP setting.*'lr'"):
        experiments.deep_network_sweeps(lr=0.1)
    with pytest.raises(ValueError, match="depth"):
        experiments.deep_network_sweeps(depth=0)
    with pytest.raises(TypeError, match="width"):
        experiments.deep_network_sweeps(width=8.5)
