"""The tiny network: backprop against numerical gradients, training, recorded statistics, errors."""

import numpy as np
import pytest

from lib import activations as act
from lib import data, initializers
from lib.gradcheck import network_gradient_errors, numerical_gradient, relative_error
from lib.network import MLP, ResidualMLP, steps_to_loss, steps_to_reach, train


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
    errors = network_gradient_errors(net, X, target)
    assert max(errors.values()) < 1e-7, errors


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


# ---------------------------------------------------------------------------------------------
# Losses, scores and training rules against values written out by hand.

def fixed_init(matrices):
    """An init callable that hands out the given weight matrices in order (checking their shapes)."""
    remaining = list(matrices)

    def make(shape, rng):
        W = np.array(remaining.pop(0))
        assert W.shape == shape
        return W

    return make


def test_forward_and_mse_loss_match_a_hand_computation():
    """sizes [2, 3, 2], ReLU, biases 0.5: scores = relu(X W1 + 0.5) W2 + 0.5, loss = mean_n 0.5 ||s - y||^2."""
    W1 = [[1.0, -1.0, 0.5], [2.0, 0.0, -1.0]]
    W2 = [[1.0, 0.0], [0.0, 1.0], [-1.0, 2.0]]
    net = MLP([2, 3, 2], np.random.default_rng(0), init=fixed_init([W1, W2]), loss="mse", bias=0.5)
    X = np.array([[1.0, 1.0], [-1.0, 2.0]])
    y = np.array([[1.0, 0.0], [0.0, 3.0]])
    # z1 = X W1 + 0.5 = [[3.5, -0.5, 0], [3.5, 1.5, -2]]; h1 = relu(z1); scores = h1 W2 + 0.5
    scores = np.array([[3.5 + 0.5, 0.0 + 0.5], [3.5 + 0.5, 1.5 + 0.5]])
    np.testing.assert_allclose(net.forward(X), scores, rtol=1e-15)
    np.testing.assert_allclose(net.hidden[0], [[3.5, 0.0, 0.0], [3.5, 1.5, 0.0]], rtol=1e-15)
    # ||(3, 0.5)||^2 = 9.25 and ||(4, -1)||^2 = 17: loss = 0.5 (9.25 + 17) / 2
    assert net.loss(X, y) == pytest.approx(0.5 * (9.25 + 17.0) / 2, rel=1e-15)


def test_cross_entropy_is_exact_for_huge_scores_of_different_size_per_row():
    """Scores (1000, 999) and (-1000, -1001), labels 1 and 0: -log softmax gives 1 + log(1 + e^-1) and
    log(1 + e^-1); the max is subtracted per row, so nothing overflows or underflows to log(0)."""
    net = MLP([2, 2], np.random.default_rng(0), init=fixed_init([np.eye(2)]))
    X = np.array([[1000.0, 999.0], [-1000.0, -1001.0]])
    y = np.array([1, 0])
    loss, grads = net.loss_and_grads(X, y)
    assert loss == pytest.approx((1 + 2 * np.log1p(np.exp(-1))) / 2, rel=1e-14)
    p = 1 / (1 + np.exp(-1))  # softmax of (s, s - 1) is (p, 1 - p)
    dscores = np.array([[p, -p], [p - 1, 1 - p]]) / 2  # (softmax - onehot(y)) / N
    np.testing.assert_allclose(grads["b1"], dscores.sum(axis=0), atol=1e-15)
    np.testing.assert_allclose(grads["W1"], X.T @ dscores, rtol=1e-12)


def test_hidden_gradients_are_recorded_first_layer_first():
    """Layers of different widths, so the order shows; the last is dLoss/dh = (softmax - onehot) / N W_L^T."""
    rng, X, y = small_problem()
    net = MLP([4, 8, 5, 3], rng)
    _, grads = net.loss_and_grads(X, y)
    assert [g.shape for g in net.hidden_grads] == [(7, 8), (7, 5)]
    scores = net.hidden[1] @ net.params["W3"] + net.params["b3"]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dscores = (p - np.eye(3)[y]) / 7
    np.testing.assert_allclose(net.hidden_grads[1], dscores @ net.params["W3"].T, rtol=1e-12, atol=1e-15)


def test_sizes_of_1_are_allowed_and_0_is_not():
    net = MLP([3, 1, 1], np.random.default_rng(0), loss="mse")  # one hidden unit, one output
    assert net.forward(np.ones((4, 3))).shape == (4, 1)
    with pytest.raises(ValueError, match=r"^each of sizes must be an int >= 1"):
        MLP([3, 0, 2], np.random.default_rng(0))


def test_weights_are_float64_even_from_an_integer_init():
    net = MLP([3, 2], np.random.default_rng(0), init=lambda shape, rng: np.ones(shape, dtype=np.int64))
    assert net.params["W1"].dtype == np.float64


def test_a_label_equal_to_the_number_of_classes_is_refused():
    rng, X, _ = small_problem()
    net = MLP([4, 6, 3], rng)  # 3 classes: labels 0, 1, 2 (6 hidden units must not count as classes)
    for bad in (3, 5, -1):
        y = np.array([0, 1, 2, 0, 1, 2, bad])
        with pytest.raises(ValueError, match="integer labels"):
            net.loss(X, y)
        with pytest.raises(ValueError, match="integer labels"):
            net.accuracy(X, y)


def per_example_cross_entropy(W, b, X, y):
    """-log softmax(x W + b)[y] for each row, written out: log sum exp(s) - s_y."""
    s = X @ W + b
    m = s.max(axis=1, keepdims=True)
    return (m[:, 0] + np.log(np.exp(s - m).sum(axis=1))) - s[np.arange(len(y)), y]


def test_minibatches_are_random_subsets_drawn_without_replacement():
    """With lr so small that the weights never move, each step's loss is the mean loss of the rows it
    drew: always one of the 6 pairs of distinct rows out of 4, never the full batch or a repeated row."""
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((4, 2)), np.array([0, 1, 1, 0])
    net = MLP([2, 2], rng)
    per_row = per_example_cross_entropy(net.params["W1"], net.params["b1"], X, y)
    pairs = [(per_row[i] + per_row[j]) / 2 for i in range(4) for j in range(i + 1, 4)]
    others = [per_row.mean(), *per_row]  # the full batch, or a row drawn twice
    assert min(abs(a - b) for a in pairs for b in others) > 1e-6  # the data tell them apart
    losses = train(net, X, y, rng, steps=30, lr=1e-300, batch_size=2)["loss"]
    for loss in losses:
        assert min(abs(loss - pair) for pair in pairs) < 1e-12
    assert len(set(losses)) > 1  # a new random pair each step, not always the same


def test_a_batch_as_large_as_the_data_is_full_batch_training():
    def run(batch_size):
        rng, X, y = small_problem()
        net = MLP([4, 5, 3], rng)
        return train(net, X, y, rng, steps=5, lr=0.1, batch_size=batch_size)["loss"]

    assert run(7) == run(None) == run(100)


def test_training_stops_at_the_first_loss_at_or_below_stop_below():
    def run(**kwargs):
        rng, X, y = small_problem()
        net = MLP([4, 5, 3], rng)
        return train(net, X, y, rng, steps=8, lr=0.5, **kwargs)["loss"]

    losses = run()
    assert all(a > b for a, b in zip(losses, losses[1:]))  # decreasing, so each value is reached once
    assert run(stop_below=losses[2]) == losses[:3]  # "<=": stops on reaching the value exactly
    assert run(stop_below=0.0) == losses


def test_recorded_parameter_is_its_value_after_each_step():
    rng = np.random.default_rng(0)
    X, y = data.spirals(20, rng)
    net = MLP([2, 8, 3], rng, activation="prelu")
    history = train(net, X, y, rng, steps=3, lr=0.3, record=["alpha1"])
    assert history["alpha1"][-1] == float(net.params["alpha1"])
    assert all(isinstance(a, float) for a in history["alpha1"])


def test_sgd_with_momentum_follows_the_update_rule():
    """A linear net with the mse loss, trained by hand: r = X W + b - Y, loss = 0.5 sum(r^2) / N,
    dW = X^T r / N, db = sum of rows of r / N; v <- m v - lr grad, param <- param + v."""
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    Y = np.array([[1.0], [0.0], [-2.0]])
    W0 = np.array([[0.5], [-0.25]])
    lr, m = 0.05, 0.5
    W, b, vW, vb, expected = W0.copy(), np.zeros(1), np.zeros_like(W0), np.zeros(1), []
    for _ in range(4):
        r = X @ W + b - Y
        expected.append(0.5 * np.sum(r**2) / 3)
        vW, vb = m * vW - lr * X.T @ r / 3, m * vb - lr * r.sum(axis=0) / 3
        W, b = W + vW, b + vb

    def net():
        return MLP([2, 1], np.random.default_rng(0), init=fixed_init([W0]), loss="mse")

    rng = np.random.default_rng(0)
    np.testing.assert_allclose(train(net(), X, Y, rng, steps=4, lr=lr, momentum=m)["loss"], expected, rtol=1e-13)
    steps, losses = steps_to_loss(net(), X, Y, rng, target=0.0, max_steps=4, lr=lr, momentum=m)
    assert steps is None
    np.testing.assert_allclose(losses, expected, rtol=1e-13)


def test_steps_to_loss_counts_full_batch_steps_until_the_target():
    def run(target, max_steps):
        rng, X, y = small_problem()
        return steps_to_loss(MLP([4, 5, 3], rng), X, y, rng, target=target, max_steps=max_steps, lr=0.5)

    _, losses = run(0.0, 6)  # a cross-entropy of 0 is never reached
    assert run(0.0, 6) == (None, losses) and len(losses) == 6
    assert run(losses[3], 6) == (4, losses[:4])  # reached exactly at step 4
    assert run(losses[0], 6) == (1, losses[:1])
    assert run(np.inf, 0) == (None, [])  # no step taken: not reached


@pytest.mark.parametrize("call,error,message", [
    (lambda rng, X, y: MLP([4, 2.0], rng), TypeError, "each of sizes must be an int"),
    (lambda rng, X, y: MLP([4, 3], rng, loss="hinge"), ValueError, "loss must be one of 'cross_entropy', 'mse'"),
    (lambda rng, X, y: MLP([4, 3], rng, bias="0"), TypeError, "bias must be a real number"),
    (lambda rng, X, y: MLP([4, 3], rng).forward(np.array([["a"] * 4])), TypeError, "X must be a real numeric array"),
    (lambda rng, X, y: MLP([4, 3], rng, loss="mse").loss(X, np.full((7, 3), "a")), TypeError,
     "y must be a real numeric array"),
    (lambda rng, X, y: MLP([4, 3], rng, loss="mse").loss(X, np.ones((7, 2))), ValueError,
     r"y must have shape \(7, 3\) for the mse loss, got \(7, 2\)"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, steps=1, lr=0.1, momentum=-0.1), ValueError,
     "momentum must be >= 0"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, steps=1, lr=0.1, momentum="0"), TypeError,
     "momentum must be a real number"),
    (lambda rng, X, y: train(MLP([4, 3], rng), np.full((7, 4), "a"), y, rng, steps=1, lr=0.1), TypeError,
     "X must be a real numeric array"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, steps=1, lr=0.1, record=["alpha1"]), ValueError,
     r"cannot record \['alpha1'\]: not parameters of the network \(W1, b1\)$"),
])
def test_error_messages_name_the_argument(call, error, message):
    rng, X, y = small_problem()
    with pytest.raises(error, match="^" + message):
        call(rng, X, y)


def test_backward_gives_the_gradient_of_any_output_signal():
    """backward(S) is the gradient of sum(S * scores), checked numerically (the random signal of
    Krähenbühl et al.'s change rates)."""
    rng, X, _ = small_problem()
    net = MLP([4, 6, 5, 3], rng, activation="tanh", bias=0.1)
    S = rng.standard_normal((7, 3))
    net.forward(X)
    grads = net.backward(S)
    for name, param in net.params.items():
        numeric = numerical_gradient(lambda: float(np.sum(S * net.forward(X))), param, h=1e-5)
        assert relative_error(grads[name], numeric) < 1e-7, name
    with pytest.raises(ValueError, match="g must have the shape"):
        net.backward(np.zeros((7, 2)))


def test_masked_training_leaves_unmasked_training_unchanged():
    def run(masks):
        rng = np.random.default_rng(0)
        X, y = data.spirals(20, rng)
        net = MLP([2, 8, 3], rng)
        train(net, X, y, rng, steps=20, lr=0.1, momentum=0.9, batch_size=16, masks=masks)
        return net.params

    plain, all_ones = run(None), run({"W1": np.ones((2, 8)), "W2": np.ones((8, 3))})
    assert all(np.array_equal(plain[k], all_ones[k]) for k in plain)


def test_steps_to_loss_stops_at_the_target_or_says_none():
    X, y = data.spirals(30, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    steps, losses = steps_to_loss(MLP([2, 32, 3], rng), X, y, rng, target=0.9, max_steps=500, lr=0.5)
    assert steps == len(losses) and losses[-1] <= 0.9 < losses[-2]
    rng = np.random.default_rng(0)
    assert steps_to_loss(MLP([2, 32, 3], rng), X, y, rng, target=1e-9, max_steps=5, lr=0.1)[0] is None


def test_steps_to_reach_uses_a_running_mean():
    losses = [3, 3, 0.5, 3, 1, 1, 1, 1]
    assert steps_to_reach(losses, 1.0, window=1) == 3
    assert steps_to_reach(losses, 1.0, window=4) == 8
    assert steps_to_reach(losses, 0.1, window=2) is None
    assert steps_to_reach([1.0], 2.0, window=3) is None


@pytest.mark.parametrize("call,error,message", [
    (lambda rng, X, y: MLP([4, 3], rng).predict(np.where(np.arange(4) == 2, np.nan, X)), ValueError,
     r"the scores of 7 rows of X \(first: row 0\) are NaN"),
    (lambda rng, X, y: MLP([4, 3], rng).loss(X[:0], y[:0]), ValueError, "X has no rows"),
    (lambda rng, X, y: MLP([4, 3], rng, loss="mse").loss(X[:0], np.zeros((0, 3))), ValueError, "X has no rows"),
    (lambda rng, X, y: MLP([4, 3], rng).loss_and_grads(X[:0], y[:0]), ValueError, "X has no rows"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y[:6], rng, steps=1, lr=0.1), ValueError,
     "X and y must have the same number of rows, got 7 and 6"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X[:0], y[:0], rng, steps=1, lr=0.1), ValueError,
     r"X must be a 2-D array \(N, D\) with at least one row, got shape \(0, 4\)"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X[0], y, rng, steps=1, lr=0.1), ValueError, "X must be a 2-D array"),
    (lambda rng, X, y: train(MLP([4, 3], rng), np.where(X > 1, np.inf, X), y, rng, steps=1, lr=0.1), ValueError,
     "X must be finite"),
    (lambda rng, X, y: train({"W1": 1}, X, y, rng, steps=1, lr=0.1), TypeError,
     "net must be a network with params and loss_and_grads"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, masks={"W1": np.ones(3)}), ValueError,
     r"masks\['W1'\] must be a 0/1 array of shape \(4, 3\), got shape \(3,\)"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, masks={"W1": np.full((4, 3), 2.0)}), ValueError,
     r"masks\['W1'\] must be a 0/1 array .*got \[2.0\]"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, masks=[np.ones((4, 3))]), TypeError,
     "masks must be a dict"),
    (lambda rng, X, y: MLP([4, 3], rng, init=lambda shape, rng: np.ones((shape[1], shape[0]))), ValueError,
     r"init must return an array of the shape it is given, \(4, 3\); got \(3, 4\)"),
    (lambda rng, X, y: MLP([4, 3], rng, init=lambda shape, rng: np.ones(shape[0])), ValueError,
     r"init must return an array of the shape it is given"),
    (lambda rng, X, y: MLP([4, 3], rng, init=lambda shape, rng: np.full(shape, np.nan)), ValueError,
     "the array init returned must be finite"),
    (lambda rng, X, y: MLP([4, 3], rng, init=lambda shape, rng: "ones"), TypeError,
     "the array init returned must be a real numeric array"),
    (lambda rng, X, y: MLP([4, 5, 3], rng, activation="leaky_relu", activation_params={"slope": 0.2}), ValueError,
     r"activation_params has unknown parameters of 'leaky_relu' \['slope'\]; known: \['negative_slope'\]"),
    (lambda rng, X, y: MLP([4, 5, 3], rng, activation="relu", activation_params={"alpha": 0.2}), ValueError,
     r"activation_params has unknown parameters of 'relu' \['alpha'\]; known: \[\]"),
    (lambda rng, X, y: MLP([4, 5, 3], rng, activation="softplus", activation_params={"beta": -1.0}), ValueError,
     "beta must be > 0"),
    (lambda rng, X, y: MLP([4, 5, 3], rng, activation="elu", activation_params=[("alpha", 1.0)]), TypeError,
     "activation_params must be a dict"),
])
def test_bad_input_is_refused_not_turned_into_nonsense(call, error, message):
    """Before #24: predict called rows with NaN class 0, an empty batch's loss was NaN with a warning,
    X and y of different lengths failed with an IndexError inside train, a mask of another shape was
    broadcast, an init of the wrong shape was accepted, and unknown activation_params were ignored."""
    rng, X, y = small_problem()
    with pytest.raises(error, match="^" + message):
        call(rng, X, y)


def test_predict_refuses_scores_of_diverged_parameters():
    rng, X, y = small_problem()
    net = MLP([4, 5, 3], rng)
    p = net.params
    scores = np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    np.testing.assert_array_equal(net.predict(X), np.argmax(scores, axis=1))
    net.params["W2"][0, 0] = np.nan
    with pytest.raises(ValueError, match="parameters diverged"):
        net.accuracy(X, y)


def test_activation_params_given_are_used():
    rng, X, _ = small_problem()
    net = MLP([4, 5, 3], rng, activation="leaky_relu", activation_params={"negative_slope": 0.3})
    z = X @ net.params["W1"] + net.params["b1"]
    np.testing.assert_allclose(net.forward(X), np.where(z > 0, z, 0.3 * z) @ net.params["W2"] + net.params["b2"])


@pytest.mark.parametrize("call,error,message", [
    (lambda rng, X, y: MLP(5, rng), TypeError, "sizes must be a list, got int 5$"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, record="W1"), TypeError,
     r"record must be a list of names, not one string: write \['W1'\]$"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, stop_below="0.1"), TypeError,
     "stop_below must be a real number, got '0.1'$"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, stop_below=np.nan), ValueError,
     "stop_below must be a number, not NaN, got nan$"),
    (lambda rng, X, y: steps_to_loss(MLP([4, 3], rng), X, y, rng, "low", 3, 0.1), TypeError,
     "stop_below must be a real number"),
])
def test_training_options_of_the_wrong_type_are_refused(call, error, message):
    """(Before #24: a NaN stop_below never stopped, a string compared with the loss deep inside.)"""
    rng, X, y = small_problem()
    with pytest.raises(error, match="^" + message):
        call(rng, X, y)


def test_training_stops_after_the_first_loss_above_stop_above_or_not_finite():
    def run(lr, **kwargs):
        rng, X, y = small_problem()
        return train(MLP([4, 5, 3], rng), X, y, rng, steps=8, lr=lr, **kwargs)["loss"]

    falling = run(0.5)
    assert run(0.5, stop_above=falling[0]) == falling  # never above its first loss: runs to the end
    assert run(0.5, stop_above=falling[2]) == falling[:1]  # the first loss is above the third: stop
    blown = run(1e3)
    first_high = next(i for i, loss in enumerate(blown) if loss > 2 * blown[0])
    assert run(1e3, stop_above=2 * blown[0]) == blown[:first_high + 1]
    rng, X, y = small_problem()
    net = MLP([4, 5, 3], rng)
    net.params["W1"][0, 0] = np.nan  # every loss is NaN: stops after the first step
    with np.errstate(invalid="ignore"):
        assert len(train(net, X, y, rng, steps=8, lr=0.5)["loss"]) == 1


def test_stop_below_infinity_stops_after_the_first_step():
    rng, X, y = small_problem()
    assert len(train(MLP([4, 3], rng), X, y, rng, steps=5, lr=0.1, stop_below=np.inf)["loss"]) == 1


def test_a_callable_init_gives_float64_weights():
    net = MLP([3, 2], np.random.default_rng(0), init=lambda shape, rng: np.ones(shape, dtype=np.float32))
    assert net.params["W1"].dtype == np.float64


@pytest.mark.parametrize("call,error,message", [
    (lambda rng, X, y: train(type("Half", (), {"params": {}})(), X, y, rng, 1, 0.1), TypeError,
     r"net must be a network with params and loss_and_grads \(an MLP, a ResidualMLP\), got Half$"),
    (lambda rng, X, y: train(MLP([4, 3], rng), X, y, rng, 1, 0.1, masks={"W9": np.ones((4, 3))}), ValueError,
     r"masks has unknown names, not parameters of the network \['W9'\]; known: \['W1', 'b1'\]$"),
    (lambda rng, X, y: MLP([4, 3], rng).predict(np.full((2, 4), np.nan)), ValueError,
     r"the scores of 2 rows of X \(first: row 0\) are NaN: X has NaN or the network's parameters diverged; "
     "no class can be predicted$"),
])
def test_messages_say_what_is_expected(call, error, message):
    rng, X, y = small_problem()
    with pytest.raises(error, match="^" + message):
        call(rng, X, y)


def test_backward_says_what_it_needs():
    rng, X, _ = small_problem()
    net = MLP([4, 5, 3], rng)
    with pytest.raises(ValueError, match=r"^backward needs the activations of a forward pass: call forward\(X\) first$"):
        net.backward(np.zeros((7, 3)))
    net.forward(X)
    with pytest.raises(ValueError, match=r"^g must have the shape of the last scores, \(7, 3\), got \(7, 5\)$"):
        net.backward(np.zeros((7, 5)))
    with pytest.raises(TypeError, match="^g must be a real numeric array"):
        net.backward(np.full((7, 3), "a"))


def test_backward_of_a_one_layer_network_checks_the_signal_shape():
    rng, X, _ = small_problem()
    net = MLP([4, 3], rng)
    net.forward(X)
    with pytest.raises(ValueError, match=r"^g must have the shape of the last scores, \(7, 3\), got \(3, 7\)$"):
        net.backward(np.zeros((3, 7)))


def perturbed(net, rng, scale=0.3):
    """The net with every parameter moved off its initial value (scalars away from 0 and 1)."""
    for k, v in net.params.items():
        net.params[k] = np.array(v + scale * rng.standard_normal(np.shape(v)))
    return net


@pytest.mark.parametrize("branch_layers", [1, 2, 3])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_residual_backward_matches_numerical_gradients(branch_layers, loss):
    rng = np.random.default_rng(0)
    X, labels = rng.standard_normal((6, 5)), rng.integers(0, 3, size=6)
    y = np.eye(3)[labels] if loss == "mse" else labels
    net = perturbed(ResidualMLP(5, 4, 3, blocks=2, rng=rng, branch_layers=branch_layers, loss=loss), rng)
    errors = network_gradient_errors(net, X, y)
    assert max(errors.values()) < 1e-7, errors


def test_forward_matches_a_hand_computation():
    net = ResidualMLP(1, 1, 1, blocks=1, rng=np.random.default_rng(0), branch_layers=2, loss="mse")
    net.params.update({
        "W_in": np.array([[2.0]]), "b_in": np.array([0.5]),  # x0 = [2.5, -1.5]
        "p1_1": np.array(0.5), "q1_1": np.array(-1.0), "W1_1": np.array([[3.0]]),  # u = [2, -1], a = [6, -3]
        "p1_2": np.array(0.0), "q1_2": np.array(0.5), "W1_2": np.array([[-1.0]]),  # u = [6.5, 0.5], a = -u
        "s1": np.array(2.0), "r1": np.array(1.0),  # x1 = x0 + 2 a + 1 = [-9.5, -1.5]
        "p_out": np.array(10.0), "q_out": np.array(0.0), "W_out": np.array([[2.0]]), "b_out": np.array([1.0]),
    })
    scores = net.forward(np.array([[1.0], [-1.0]]))  # relu(x1 + 10) = [0.5, 8.5]; 2 * that + 1
    np.testing.assert_allclose(scores, [[2.0], [18.0]])
    np.testing.assert_allclose(net.stream[1].ravel(), [-9.5, -1.5])
    assert net.loss(np.array([[1.0], [-1.0]]), np.array([[0.0], [0.0]])) == pytest.approx((4 + 324) / 4)


def test_he_init_doubles_the_variance_per_block():
    """Var(x + F(x)) = Var(x) + Var(F(x)) and a ReLU branch with Kaiming weights keeps the second
    moment, so each block doubles the variance in expectation (Fixup's 2^L)."""
    ratios = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        net = ResidualMLP(16, 256, 10, blocks=1, rng=rng)
        net.forward(rng.standard_normal((256, 16)))
        ratios.append(np.var(net.stream[1]) / np.var(net.stream[0]))
    assert np.mean(ratios) == pytest.approx(2.0, abs=0.1)


def test_scalars_are_learned():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 5)), rng.integers(0, 3, size=20)
    net = perturbed(ResidualMLP(5, 8, 3, blocks=2, rng=rng, init="fixup"), rng, 0.1)
    _, grads = net.loss_and_grads(X, y)
    assert all(grads[k].shape == () and grads[k] != 0 for k in ("s1", "r2", "p1_1", "q2_2", "p_out", "q_out"))


def test_residual_bad_arguments_raise_clear_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="m >= 2"):
        ResidualMLP(5, 4, 3, blocks=2, rng=rng, branch_layers=1, init="fixup")
    with pytest.raises(ValueError, match="init"):
        ResidualMLP(5, 4, 3, blocks=2, rng=rng, init="xavier")
    with pytest.raises(ValueError, match="branch_layers"):
        initializers.fixup_scale(4, 1)
    with pytest.raises(TypeError, match="rng"):
        ResidualMLP(5, 4, 3, blocks=2, rng=0)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 5\)"):
        ResidualMLP(5, 4, 3, blocks=2, rng=rng).forward(np.zeros((3, 4)))


def test_an_empty_batch_or_nan_scores_are_refused():
    """Before #24 the loss of an empty batch was NaN with a RuntimeWarning, and NaN scores class 0."""
    rng = np.random.default_rng(0)
    net = ResidualMLP(5, 4, 3, blocks=2, rng=rng)
    with pytest.raises(ValueError, match="^X has no rows"):
        net.loss(np.zeros((0, 5)), np.zeros(0, int))
    with pytest.raises(ValueError, match="^X has no rows"):
        net.loss_and_grads(np.zeros((0, 5)), np.zeros(0, int))
    with pytest.raises(ValueError, match=r"^the scores of 1 rows of X \(first: row 1\) are NaN"):
        net.predict(np.array([[0.0] * 5, [np.nan] + [0.0] * 4]))


@pytest.mark.parametrize("call,error,message", [
    (lambda rng: ResidualMLP("5", 4, 3, 2, rng), TypeError, "D must be an int, got '5'$"),
    (lambda rng: ResidualMLP(0, 4, 3, 2, rng), ValueError, "D must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4.0, 3, 2, rng), TypeError, "width must be an int, got 4.0$"),
    (lambda rng: ResidualMLP(5, 0, 3, 2, rng), ValueError, "width must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4, None, 2, rng), TypeError, "C must be an int, got None$"),
    (lambda rng: ResidualMLP(5, 4, 0, 2, rng), ValueError, "C must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4, 3, "2", rng), TypeError, "blocks must be an int, got '2'$"),
    (lambda rng: ResidualMLP(5, 4, 3, -1, rng), ValueError, "blocks must be an int >= 0, got -1$"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, branch_layers=1.0), TypeError, "branch_layers must be an int, got 1.0$"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, branch_layers=0), ValueError, "branch_layers must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, loss="hinge"), ValueError, "loss must be one of 'cross_entropy', 'mse'"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, init="xavier"), ValueError, "init must be one of 'he', 'fixup'"),
])
def test_residual_each_argument_is_named_in_its_error(call, error, message):
    with pytest.raises(error, match="^" + message):
        call(np.random.default_rng(0))


def test_no_stream_before_the_first_forward_pass():
    assert ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0)).stream == []


def test_he_init_defaults_two_layers_per_branch_and_neutral_scalars():
    net = ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0))
    assert net.branch_layers == 2 and "W1_2" in net.params and "W1_3" not in net.params
    assert all(net.params[k] == 0.0 for k in ("p_out", "q_out", "p1_1", "q1_2", "r1")) and net.params["s1"] == 1.0


def test_relu_derivative_at_exactly_0_is_0_as_in_pytorch():
    """X = 0 and b_in = 0 put every pre-activation at exactly 0: no gradient flows through a ReLU
    there, so the scalar bias before it gets none (p_out = 1 opens the output's ReLU, to test the
    branches' alone)."""
    net = ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0))
    X, y = np.zeros((3, 5)), np.array([0, 0, 1])  # (with labels 0, 1, 2 the sum over rows would be 0 anyway)
    _, grads = net.loss_and_grads(X, y)
    assert grads["p_out"] == 0.0
    net.params["p_out"] = np.array(1.0)
    _, grads = net.loss_and_grads(X, y)
    assert grads["p_out"] != 0.0 and grads["p1_1"] == 0.0 and grads["p1_2"] == 0.0


def test_forward_names_x():
    with pytest.raises(TypeError, match="^X must be a real numeric array"):
        ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0)).forward(np.full((2, 5), "a"))


def test_steps_to_reach_reads_any_sequence_of_losses_and_refuses_a_bad_target_or_window():
    assert steps_to_reach([3, 2, 1], 2, window=1) == 2 and steps_to_reach((3, 2, 1), 2.0, window=1) == 2
    assert steps_to_reach([3, 2, 1], 2) is None  # fewer losses than the default window of 10
    assert steps_to_reach([3, 2, 1], np.inf, window=1) == 1  # +inf: any loss, the first step
    assert steps_to_reach([3, 2, 1], 2.0, window=2) == 3  # the means of 2: 2.5, then 1.5
    with pytest.raises(ValueError, match="^window must be"):
        steps_to_reach([3, 2, 1], 2.0, window=0)
    with pytest.raises(TypeError, match="^window must be"):
        steps_to_reach([3, 2, 1], 2.0, window="2")
    with pytest.raises(TypeError, match="^target must be a real number, got '2'$"):
        steps_to_reach([3, 2, 1], "2")
    with pytest.raises(TypeError, match="^target must be a real number, got True$"):
        steps_to_reach([3, 2, 1], True)
    with pytest.raises(ValueError, match="^target must be a number, not NaN, got nan$"):
        steps_to_reach([3, 2, 1], np.nan)
