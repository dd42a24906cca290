"""The tiny network: backprop against numerical gradients, training, recorded statistics, errors."""

import numpy as np
import pytest

from lib import activations as act
from lib import data
from lib.gradcheck import numerical_gradient, relative_error
from lib.network import MLP, train


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((7, 4))
    y = rng.integers(0, 3, size=7)
    return rng, X, y


SETTINGS = [(name, params) for name, a in act.ACTIVATIONS.items() for params in (a.defaults, *a.cases)]


@pytest.mark.parametrize("activation,params", SETTINGS, ids=[f"{n}-{p}" for n, p in SETTINGS])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_backward_matches_numerical_gradients(activation, params, loss):
    rng, X, y = small_problem()
    net = MLP([4, 6, 5, 3], rng, activation=activation, init="xavier_normal", loss=loss, bias=0.1,
              activation_params=params)
    target = np.eye(3)[y] if loss == "mse" else y
    _, grads = net.loss_and_grads(X, target)
    assert set(grads) == set(net.params)
    for name, param in net.params.items():
        numeric = numerical_gradient(lambda: net.loss(X, target), param, h=1e-5)
        assert relative_error(grads[name], numeric) < 1e-7, name


def test_hidden_activations_and_their_gradients_are_recorded():
    rng, X, y = small_problem()
    net = MLP([4, 8, 8, 3], rng)
    net.loss_and_grads(X, y)
    assert [h.shape for h in net.hidden] == [(7, 8), (7, 8)]
    assert [g.shape for g in net.hidden_grads] == [(7, 8), (7, 8)]


def test_training_fits_spirals_and_is_deterministic():
    def run():
        rng = np.random.default_rng(0)
        X, y = data.spirals(60, rng)
        net = MLP([2, 64, 3], rng, activation="relu")
        history = train(net, X, y, rng, steps=600, lr=0.5, momentum=0.9, batch_size=64)
        return net.accuracy(X, y), history["loss"]

    accuracy, losses = run()
    assert accuracy > 0.9 and losses[-1] < 0.3 * losses[0]
    assert run()[1] == losses


def test_prelu_alpha_is_learned_and_recorded():
    rng = np.random.default_rng(0)
    X, y = data.spirals(50, rng)
    net = MLP([2, 32, 3], rng, activation="prelu")
    history = train(net, X, y, rng, steps=100, lr=0.3, record=["alpha1"])
    assert len(history["alpha1"]) == 100
    assert history["alpha1"][-1] != pytest.approx(0.25, abs=1e-3)


def test_init_accepts_a_std_and_a_callable():
    rng = np.random.default_rng(0)
    assert abs(MLP([500, 400, 2], rng, init=0.05).params["W1"].std() - 0.05) < 0.001
    net = MLP([3, 2], rng, init=lambda shape, rng: np.ones(shape))
    np.testing.assert_array_equal(net.params["W1"], np.ones((3, 2)))


def test_bad_arguments_raise_clear_errors():
    rng, X, y = small_problem()
    with pytest.raises(ValueError, match="sizes"):
        MLP([4], rng)
    with pytest.raises(ValueError, match="unknown activation"):
        MLP([4, 3], rng, activation="swish")
    with pytest.raises(ValueError, match="unknown initializer"):
        MLP([4, 3], rng, init="glorot")
    with pytest.raises(TypeError, match="init"):
        MLP([4, 3], rng, init=None)
    with pytest.raises(ValueError, match="loss"):
        MLP([4, 3], rng, loss="hinge")
    net = MLP([4, 3], rng)
    with pytest.raises(ValueError, match=r"shape \(N, 4\)"):
        net.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match="integer labels"):
        net.loss(X, y + 3)
    with pytest.raises(ValueError, match="lr"):
        train(net, X, y, rng, steps=1, lr=-1)
    with pytest.raises(ValueError, match="cannot record"):
        train(net, X, y, rng, steps=1, lr=0.1, record=["alpha1"])


def test_labels_of_the_wrong_shape_are_refused_not_broadcast():
    rng, X, y = small_problem()
    net = MLP([4, 3], rng)
    assert net.accuracy(X, net.predict(X)) == 1.0
    with pytest.raises(ValueError, match=r"shape \(7,\)"):
        net.accuracy(X, net.predict(X)[:, None])  # broadcasting would compare 7 x 7 pairs


@pytest.mark.parametrize("kwargs,error,match", [
    ({"batch_size": 0}, ValueError, "batch_size must be an int >= 1"),
    ({"batch_size": 2.5}, TypeError, "batch_size must be an int"),
    ({"steps": -1}, ValueError, "steps must be an int >= 0"),
    ({"lr": float("nan")}, ValueError, "lr must be finite"),
    ({"lr": 0.0}, ValueError, "lr must be > 0"),
    ({"momentum": 1.0}, ValueError, "momentum must be < 1"),
    ({"lr": "0.1"}, TypeError, "lr must be a real number"),
])
def test_training_arguments_are_checked(kwargs, error, match):
    rng, X, y = small_problem()
    net = MLP([4, 3], rng)
    with pytest.raises(error, match=match):
        train(net, X, y, rng, **{"steps": 1, "lr": 0.1, **kwargs})
