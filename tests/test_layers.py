"""Layers: forward values against by-hand numpy, backward against finite differences, BatchNorm's
running statistics against PyTorch's documented rule worked out by hand, and the errors."""

import numpy as np
import pytest

from lib import activations as act
from lib.gradcheck import network_gradient_errors, numerical_gradient, relative_error
from lib.layers import Activation, BatchNorm, LayerNorm, Linear
from lib.network import MLP, train

X = np.array([[1.0, 2.0, -1.0],
              [3.0, 0.0, 1.0],
              [2.0, 4.0, 3.0],
              [6.0, -2.0, 1.0]])  # (N=4, D=3)


def by_hand_batch_norm(x, gamma, beta, eps):
    """Each column j: its mean and biased variance written as explicit sums over the rows."""
    n, d = x.shape
    y = np.empty_like(x)
    for j in range(d):
        mean = sum(x[i, j] for i in range(n)) / n
        var = sum((x[i, j] - mean) ** 2 for i in range(n)) / n
        for i in range(n):
            y[i, j] = gamma[j] * (x[i, j] - mean) / (var + eps) ** 0.5 + beta[j]
    return y


def test_batch_norm_forward_matches_explicit_sums_per_column():
    bn = BatchNorm(3)
    bn.params["gamma"], bn.params["beta"] = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    np.testing.assert_allclose(bn.forward(X), by_hand_batch_norm(X, bn.gamma, bn.beta, 1e-5), rtol=1e-14)


def test_batch_norm_of_a_column_worked_out_by_hand():
    """Column 0 is (1, 3, 2, 6): mean 3, biased variance (4 + 0 + 1 + 9) / 4 = 3.5, so with eps = 0
    the outputs are (-2, 0, -1, 3) / sqrt(3.5) (a normalization with the unbiased 14/3 would differ)."""
    bn = BatchNorm(3, eps=1e-300)
    np.testing.assert_allclose(bn.forward(X)[:, 0], np.array([-2.0, 0.0, -1.0, 3.0]) / np.sqrt(3.5), rtol=1e-14)


def test_pytorch_starting_values_and_running_statistics_by_hand():
    """PyTorch: gamma 1, beta 0, running_mean 0, running_var 1; after one training batch
    running_mean = 0.9 * 0 + 0.1 * mean, running_var = 0.9 * 1 + 0.1 * unbiased variance.
    Column 0 (1, 3, 2, 6): mean 3, unbiased variance 14 / 3."""
    bn = BatchNorm(3)
    assert bn.eps == 1e-5 and bn.momentum == 0.1
    np.testing.assert_array_equal(bn.gamma, np.ones(3))
    np.testing.assert_array_equal(bn.beta, np.zeros(3))
    np.testing.assert_array_equal(bn.running_mean, np.zeros(3))
    np.testing.assert_array_equal(bn.running_var, np.ones(3))
    bn.forward(X)
    assert bn.running_mean[0] == pytest.approx(0.3, rel=1e-14)
    assert bn.running_var[0] == pytest.approx(0.9 + 0.1 * 14 / 3, rel=1e-14)
    bn.forward(X + 1.0)  # mean 4, the same variance
    assert bn.running_mean[0] == pytest.approx(0.9 * 0.3 + 0.1 * 4, rel=1e-14)
    assert bn.running_var[0] == pytest.approx(0.9 * (0.9 + 0.1 * 14 / 3) + 0.1 * 14 / 3, rel=1e-14)


def test_evaluation_uses_the_running_statistics_and_leaves_them_alone():
    bn = BatchNorm(3, momentum=0.5)
    bn.params["gamma"], bn.params["beta"] = np.array([2.0, 1.0, 1.0]), np.array([1.0, 0.0, 0.0])
    bn.forward(X)
    mean, var = bn.running_mean.copy(), bn.running_var.copy()
    assert mean[0] == pytest.approx(1.5) and var[0] == pytest.approx(0.5 + 0.5 * 14 / 3)
    x = np.array([[5.0, 1.0, 0.0]])  # one row: fine in evaluation
    y = bn.forward(x, train=False)
    assert y[0, 0] == pytest.approx(2.0 * (5.0 - 1.5) / np.sqrt(0.5 + 7 / 3 + 1e-5) + 1.0, rel=1e-14)
    np.testing.assert_array_equal(bn.running_mean, mean)
    np.testing.assert_array_equal(bn.running_var, var)
    # the same row in a training batch is normalized by that batch instead
    assert BatchNorm(3).forward(np.vstack([x, x + 1]))[0, 0] == pytest.approx(-1.0, abs=1e-4)


def test_layer_norm_normalizes_each_row_over_its_features():
    """Row 0 is (1, 2, -1): mean 2/3, biased variance ((1/3)^2 + (4/3)^2 + (5/3)^2) / 3 = 42/27."""
    ln = LayerNorm(3, eps=1e-300)
    y = ln.forward(X)
    expected = (np.array([1.0, 2.0, -1.0]) - 2 / 3) / np.sqrt(42 / 27)
    np.testing.assert_allclose(y[0], expected, rtol=1e-13)
    for i in range(4):  # every row by explicit sums
        row = X[i]
        mean = sum(row) / 3
        std = (sum((v - mean) ** 2 for v in row) / 3) ** 0.5
        np.testing.assert_allclose(y[i], [(v - mean) / std for v in row], rtol=1e-13)
    # no running statistics: evaluation is the same, one row alone gets the same output
    np.testing.assert_array_equal(ln.forward(X, train=False), y)
    np.testing.assert_allclose(ln.forward(X[:1]), y[:1], rtol=1e-15)
    assert not hasattr(ln, "running_mean")


def test_batch_norm_is_per_column_and_layer_norm_per_row():
    """Scaling one row changes only that row under LayerNorm; scaling one column changes nothing
    under BatchNorm (it is normalized away)."""
    scaled_row, scaled_col = X.copy(), X.copy()
    scaled_row[1] *= 10.0
    scaled_col[:, 1] *= 10.0
    np.testing.assert_allclose(LayerNorm(3).forward(scaled_row)[[0, 2, 3]], LayerNorm(3).forward(X)[[0, 2, 3]])
    np.testing.assert_allclose(LayerNorm(3).forward(scaled_row)[1], LayerNorm(3).forward(X)[1], atol=1e-5)  # eps
    np.testing.assert_allclose(BatchNorm(3).forward(scaled_col), BatchNorm(3).forward(X), atol=1e-5)


def gradient_errors(layer, x, train=True):
    """Relative errors of dx, dgamma, dbeta (or dW, db) against central differences of
    sum(S * forward(x)) for a fixed random S."""
    S = np.random.default_rng(1).standard_normal(layer.forward(x, train=train).shape)

    def loss():
        return float(np.sum(S * layer.forward(x, train=train)))

    loss()
    dx = layer.backward(S)
    errors = {"x": relative_error(dx, numerical_gradient(loss, x, h=1e-5))}
    for name, param in layer.params.items():
        errors[name] = relative_error(layer.grads[name], numerical_gradient(loss, param, h=1e-5))
    return errors


def random_layer(cls, rng, d=5):
    layer = cls(d)
    layer.params["gamma"] = rng.standard_normal(d)
    layer.params["beta"] = rng.standard_normal(d)
    return layer


@pytest.mark.parametrize("cls", [BatchNorm, LayerNorm])
@pytest.mark.parametrize("train_mode", [True, False])
def test_normalization_gradients_match_finite_differences(cls, train_mode):
    rng = np.random.default_rng(0)
    layer = random_layer(cls, rng)
    if cls is BatchNorm:
        layer.running_mean, layer.running_var = rng.standard_normal(5), rng.uniform(0.5, 2.0, 5)
    x = rng.standard_normal((6, 5)) * 2.0 + 1.0
    errors = gradient_errors(layer, x, train=train_mode)
    assert max(errors.values()) <= 1e-7, errors
    assert layer.dgamma.shape == layer.dbeta.shape == (5,)


def test_linear_and_activation_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    linear = Linear(rng.standard_normal((4, 3)), rng.standard_normal(3))
    assert max(gradient_errors(linear, rng.standard_normal((6, 4))).values()) <= 1e-7
    prelu = act.get_activation("prelu")
    layer = Activation(prelu, {}, {"alpha": np.array(0.3)})
    assert max(gradient_errors(layer, rng.standard_normal((6, 4))).values()) <= 1e-7


def test_linear_and_activation_forward_by_hand():
    linear = Linear(np.array([[1.0, -1.0], [2.0, 0.5]]), np.array([0.5, 0.0]))
    np.testing.assert_array_equal(linear.forward(np.array([[1.0, 2.0]])), [[5.5, 0.0]])
    layer = Activation(act.get_activation("leaky_relu"), {"negative_slope": 0.1}, {})
    np.testing.assert_allclose(layer.forward(np.array([[-2.0, 3.0]])), [[-0.2, 3.0]])


def test_batch_norm_backward_compact_form_against_the_chain_rule_written_out():
    """The backward of CS231n's staged graph (mean, centered, var, inv_std, xhat), step by step."""
    rng = np.random.default_rng(3)
    x, dout = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    gamma = np.array([1.5, -0.5])
    bn = BatchNorm(2)
    bn.params["gamma"] = gamma
    bn.forward(x)
    dx = bn.backward(dout)
    n = 5
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc**2).mean(axis=0)
    inv = 1 / np.sqrt(var + 1e-5)
    dxhat = dout * gamma
    dinv = np.sum(dxhat * xc, axis=0)
    dvar = dinv * -0.5 * (var + 1e-5) ** -1.5
    dxc = dxhat * inv + 2 * xc / n * dvar
    expected = dxc - dxc.mean(axis=0)
    np.testing.assert_allclose(dx, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(bn.dbeta, dout.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(bn.dgamma, np.sum(dout * xc * inv, axis=0), rtol=1e-14)


@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_a_network_with_normalization_has_exact_gradients(norm):
    rng = np.random.default_rng(0)
    X_, y = rng.standard_normal((7, 4)), rng.integers(0, 3, size=7)
    net = MLP([4, 6, 5, 3], rng, activation="tanh", init="xavier_normal", bias=0.1, norm=norm)
    for k in ("gamma1", "beta2"):
        net.params[k] += rng.standard_normal(net.params[k].shape) * 0.3
    errors = network_gradient_errors(net, X_, y)
    assert set(errors) == {"W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"}
    cancelled = ("b1", "b2") if norm == "batch" else ()  # 0 exactly (see below): no relative error
    assert max(v for k, v in errors.items() if k not in cancelled) <= 1e-7, errors


def test_a_bias_before_batch_norm_gets_no_gradient():
    """BN subtracts the batch mean, so b_l (added to every row) cancels: its gradient is 0."""
    rng = np.random.default_rng(0)
    net = MLP([4, 6, 3], rng, norm="batch", bias=0.7)
    X_, y = rng.standard_normal((8, 4)), rng.integers(0, 3, size=8)
    _, grads = net.loss_and_grads(X_, y)
    np.testing.assert_allclose(grads["b1"], 0.0, atol=1e-15)
    assert np.abs(grads["b2"]).max() > 1e-3


def test_network_modes_training_and_evaluation():
    """Training mode normalizes by the batch; evaluation by the running statistics: with one batch
    seen, the two differ, and predictions of one row work only in evaluation."""
    rng = np.random.default_rng(0)
    X_, y = rng.standard_normal((16, 4)) * 3 + 2, rng.integers(0, 3, size=16)
    net = MLP([4, 8, 3], rng, norm="batch")
    train(net, X_, y, rng, steps=3, lr=0.1)
    bn = net.norms[0]
    assert isinstance(bn, BatchNorm) and not np.allclose(bn.running_mean, 0)
    assert not np.allclose(net.forward(X_, train=True), net.forward(X_, train=False))
    assert net.predict(X_[:1]).shape == (1,)  # evaluation mode by default
    with pytest.raises(ValueError, match="at least 2 rows"):
        net.predict(X_[:1], train=True)
    plain = MLP([4, 8, 3], np.random.default_rng(0))
    np.testing.assert_array_equal(plain.forward(X_, train=False), plain.forward(X_))


def test_running_statistics_follow_every_training_step():
    """`train` runs the network in training mode: after k full-batch steps running_mean is
    (1 - 0.9^k) times the batch mean of the first layer's pre-activations when that mean is constant
    (here: lr tiny, so the weights do not move)."""
    rng = np.random.default_rng(0)
    X_, y = rng.standard_normal((10, 4)), rng.integers(0, 3, size=10)
    net = MLP([4, 5, 3], rng, norm="batch")
    z = X_ @ net.params["W1"] + net.params["b1"]
    train(net, X_, y, rng, steps=3, lr=1e-300)
    np.testing.assert_allclose(net.norms[0].running_mean, (1 - 0.9**3) * z.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("call,error,message", [
    (lambda: BatchNorm(0), ValueError, "num_features must be an int >= 1"),
    (lambda: BatchNorm(3.0), TypeError, "num_features must be an int"),
    (lambda: BatchNorm(3, eps=0.0), ValueError, "eps must be > 0"),
    (lambda: BatchNorm(3, eps="1e-5"), TypeError, "eps must be a real number"),
    (lambda: BatchNorm(3, momentum=1.5), ValueError, "momentum must be <= 1"),
    (lambda: BatchNorm(3, momentum=-0.1), ValueError, "momentum must be >= 0"),
    (lambda: LayerNorm(3, eps=-1.0), ValueError, "eps must be > 0"),
    (lambda: BatchNorm(3).forward(np.ones((4, 2))), ValueError, r"x must have shape \(N, 3\)"),
    (lambda: BatchNorm(3).forward(np.ones(3)), ValueError, r"x must have shape \(N, 3\)"),
    (lambda: BatchNorm(3).forward(np.full((4, 3), "a")), TypeError, "x must be a real numeric array"),
    (lambda: BatchNorm(3).forward(np.ones((1, 3))), ValueError,
     "x must have at least 2 rows in training: the variance of one value is 0 and its unbiased estimate undefined$"),
    (lambda: LayerNorm(3).forward(np.ones((0, 3))), ValueError, r"x must have shape \(N, 3\) with N >= 1"),
    (lambda: BatchNorm(3).backward(np.ones((4, 3))), ValueError, "backward needs the cache of a forward pass"),
    (lambda: (lambda bn: (bn.forward(X), bn.backward(np.ones((4, 2)))))(BatchNorm(3)), ValueError,
     r"dout must have the shape of the last output, \(4, 3\)"),
    (lambda: MLP([4, 3], np.random.default_rng(0), norm="group"), ValueError, "norm must be one of 'batch', 'layer'"),
    (lambda: MLP([4, 3], np.random.default_rng(0), norm=True), TypeError, "norm must be a string"),
])
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


def test_exact_products_agree_with_blas_and_keep_exact_gradients():
    """exact=True (np.einsum instead of BLAS) computes the same products up to rounding, and the
    network's backward pass stays exact; the default path is untouched."""
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
    x, g = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    fast, exact = Linear(W, b), Linear(W, b, exact=True)
    np.testing.assert_allclose(exact.forward(x), fast.forward(x), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(exact.backward(g), fast.backward(g), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(exact.grads["W"], fast.grads["W"], rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(fast.forward(x), x @ W + b)
    X_, y = rng.standard_normal((7, 4)), rng.integers(0, 3, size=7)
    net = MLP([4, 6, 5, 3], rng, activation="tanh", norm="batch", exact=True)
    errors = network_gradient_errors(net, X_, y)
    assert max(v for k, v in errors.items() if k not in ("b1", "b2")) <= 1e-7, errors


def test_momentum_at_its_ends_by_hand():
    # PyTorch allows momentum 1 (the running statistics become the last batch's) and 0 (they never move)
    last = BatchNorm(3, momentum=1.0)
    last.forward(X)
    column = X[:, 0]
    assert np.allclose(last.running_mean[0], column.sum() / 4, rtol=0, atol=1e-15)
    assert np.allclose(last.running_var[0], ((column - column.sum() / 4) ** 2).sum() / 3, rtol=0, atol=1e-15)
    frozen = BatchNorm(3, momentum=0.0)
    frozen.forward(X)
    assert np.array_equal(frozen.running_mean, np.zeros(3)) and np.array_equal(frozen.running_var, np.ones(3))
