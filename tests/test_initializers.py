"""Initializers: fans, PyTorch's gains, empirical statistics, orthogonality, errors."""

import math

import numpy as np
import pytest

from lib import initializers
from lib import initializers as init
from lib.network import ResidualMLP


def rng():
    return np.random.default_rng(1234)


def test_fans_dense_and_conv():
    assert init.fan_in_and_fan_out((300, 100)) == (300, 100)
    # conv (C_out, C_in, kh, kw): fan_in = C_in * kh * kw, the notes' filter_size^2 * input_channels
    assert init.fan_in_and_fan_out((64, 32, 3, 3)) == (32 * 9, 64 * 9)
    assert init.fan_in_and_fan_out((8, 4, 5)) == (20, 40)


@pytest.mark.parametrize("nonlinearity,param,gain", [
    ("linear", None, 1.0), ("conv2d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5 / 3),
    ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("leaky_relu", 0, math.sqrt(2)), ("selu", None, 0.75),
])
def test_gains_match_pytorch(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


@pytest.mark.parametrize("nonlinearity", ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                          "conv_transpose2d", "conv_transpose3d", "sigmoid"])
def test_every_linear_name_pytorch_knows_has_gain_1(nonlinearity):
    assert init.calculate_gain(nonlinearity) == 1.0


SHAPES = [(400, 600), (64, 32, 3, 3)]
NORMAL_KURTOSIS, UNIFORM_KURTOSIS = 3.0, 1.8  # E[x^4] / E[x^2]^2 of a normal and of a uniform


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,expected_std,kurtosis", [
    ("xavier_normal", lambda fi, fo: math.sqrt(2 / (fi + fo)), NORMAL_KURTOSIS),
    ("xavier_uniform", lambda fi, fo: math.sqrt(2 / (fi + fo)), UNIFORM_KURTOSIS),
    ("kaiming_normal", lambda fi, fo: math.sqrt(2 / fi), NORMAL_KURTOSIS),
    ("kaiming_uniform", lambda fi, fo: math.sqrt(2 / fi), UNIFORM_KURTOSIS),
    ("lecun_normal", lambda fi, fo: math.sqrt(1 / fi), NORMAL_KURTOSIS),
])
def test_sample_mean_std_and_shape_match_the_distribution(shape, name, expected_std, kurtosis):
    """Mean 0, the formula's std and the family's kurtosis, each within 5 standard errors of n draws.

    Standard errors: mean std / sqrt(n); std (relative) sqrt((kurtosis - 1) / (4 n)); kurtosis at most
    sqrt(24 / n) (the normal's, the larger of the two).
    """
    W = init.get_initializer(name)(shape, rng())
    assert W.shape == shape and W.dtype == np.float64
    n, std = W.size, expected_std(*init.fan_in_and_fan_out(shape))
    assert abs(W.mean()) < 5 * std / math.sqrt(n)
    assert abs(W.std() / std - 1) < 5 * math.sqrt((kurtosis - 1) / (4 * n))
    assert abs(np.mean(W**4) / np.mean(W**2) ** 2 - kurtosis) < 5 * math.sqrt(24 / n)
    if kurtosis == UNIFORM_KURTOSIS:  # U(-b, b) with b = sqrt(3) std: inside, and reaching, its bound
        bound = math.sqrt(3) * std
        assert np.abs(W).max() <= bound
        assert np.abs(W).max() > bound * (1 - 20 / n)  # P(max |W| below this) = (1 - 20/n)^n ~ e^-20


SEED = 99
DENSE, CONV = (30, 20), (16, 8, 3, 3)  # fans (30, 20) and (8 * 9, 16 * 9) = (72, 144)


@pytest.mark.parametrize("make,kwargs,shape,scale", [
    # torch.nn.init.xavier_normal_: std = gain * sqrt(2 / (fan_in + fan_out)), gain 1 by default
    (init.xavier_normal, {}, DENSE, math.sqrt(2 / 50)),
    (init.xavier_normal, {"gain": 2.5}, CONV, 2.5 * math.sqrt(2 / 216)),
    # torch.nn.init.kaiming_normal_: std = gain / sqrt(fan), defaults a=0, fan_in, leaky_relu (gain sqrt 2)
    (init.kaiming_normal, {}, DENSE, math.sqrt(2) / math.sqrt(30)),
    (init.kaiming_normal, {}, CONV, math.sqrt(2) / math.sqrt(72)),
    (init.kaiming_normal, {"a": 0.2}, DENSE, math.sqrt(2 / (1 + 0.2**2)) / math.sqrt(30)),
    (init.kaiming_normal, {"mode": "fan_out", "nonlinearity": "tanh"}, CONV, (5 / 3) / math.sqrt(144)),
    (init.kaiming_normal, {"nonlinearity": "selu"}, DENSE, 0.75 / math.sqrt(30)),
    # LeCun: std = 1 / sqrt(fan_in);  the notes' small random numbers: std 0.01 by default
    (init.lecun_normal, {}, CONV, 1 / math.sqrt(72)),
    (init.normal, {}, DENSE, 0.01),
    (init.normal, {"std": 0.05}, DENSE, 0.05),
])
def test_normal_draws_are_the_formulas_std_times_standard_normal_draws(make, kwargs, shape, scale):
    """numpy draws N(0, s^2) as s times a standard normal draw, so with the same seed W / s must be
    exactly the standard draws: this catches a std off in its 5th digit, which no sample statistic can."""
    W = make(shape, np.random.default_rng(SEED), **kwargs)
    assert W.shape == shape
    z = np.random.default_rng(SEED).standard_normal(shape)
    np.testing.assert_allclose(W, scale * z, rtol=1e-13, atol=1e-15 * scale)


@pytest.mark.parametrize("make,kwargs,shape,bound", [
    # torch.nn.init.xavier_uniform_: bound = gain * sqrt(6 / (fan_in + fan_out))
    (init.xavier_uniform, {}, DENSE, math.sqrt(6 / 50)),
    (init.xavier_uniform, {"gain": 5 / 3}, CONV, 5 / 3 * math.sqrt(6 / 216)),
    # torch.nn.init.kaiming_uniform_: bound = gain * sqrt(3 / fan), defaults a=0, fan_in, leaky_relu
    (init.kaiming_uniform, {}, DENSE, math.sqrt(2) * math.sqrt(3 / 30)),
    # He (MSRA) uniform as usually written, for ReLU: sqrt(6 / fan_in), here on a conv weight
    (init.kaiming_uniform, {"nonlinearity": "relu"}, CONV, math.sqrt(6 / 72)),
    # a = sqrt(5) is what torch.nn.Linear uses: gain sqrt(1/3), so bound = 1 / sqrt(fan_in)
    (init.kaiming_uniform, {"a": math.sqrt(5)}, CONV, 1 / math.sqrt(72)),
    (init.kaiming_uniform, {"mode": "fan_out", "nonlinearity": "relu"}, CONV, math.sqrt(2) * math.sqrt(3 / 144)),
    (init.uniform, {"bound": 0.3}, DENSE, 0.3),
    # Glorot & Bengio's "standard" U[-1/sqrt(n), 1/sqrt(n)], n = fan_in (DENSE is (fan_in, fan_out))
    (init.standard_uniform, {}, DENSE, 1 / math.sqrt(DENSE[0])),
])
def test_uniform_draws_are_the_formulas_bound_times_uniform_draws(make, kwargs, shape, bound):
    """numpy draws U(-b, b) as -b + 2b u with u a U[0, 1) draw: with the same seed, exactly those."""
    W = make(shape, np.random.default_rng(SEED), **kwargs)
    assert W.shape == shape
    u = np.random.default_rng(SEED).random(shape)
    np.testing.assert_allclose(W, -bound + 2 * bound * u, rtol=1e-13, atol=1e-15 * bound)


def test_kaiming_fan_out_mode_and_tanh_gain():
    W = init.kaiming_normal((400, 600), rng(), mode="fan_out", nonlinearity="tanh")
    assert abs(W.std() / ((5 / 3) / math.sqrt(600)) - 1) < 5 / math.sqrt(2 * W.size)  # 5 standard errors


def test_uniform_initializers_stay_inside_their_bounds():
    W = init.xavier_uniform((200, 300), rng())
    bound = math.sqrt(6 / 500)
    assert W.max() <= bound and W.min() >= -bound and W.max() > 0.99 * bound
    W = init.kaiming_uniform((200, 300), rng())
    assert np.abs(W).max() <= math.sqrt(2) * math.sqrt(3 / 200)


@pytest.mark.parametrize("shape", [(300, 100), (100, 300), (64, 16, 3, 3), (8, 16, 3, 3), (50, 50)])
@pytest.mark.parametrize("gain", [None, 2.0])
def test_orthogonal_is_orthogonal_times_gain(shape, gain):
    """Rows orthonormal (or columns, for a tall matrix), times gain: 1 by default, as in PyTorch."""
    W = init.orthogonal(shape, rng()) if gain is None else init.orthogonal(shape, rng(), gain=gain)
    assert W.shape == shape
    M = W.reshape(shape[0], -1) / (1.0 if gain is None else gain)
    small = min(M.shape)
    gram = M @ M.T if M.shape[0] == small else M.T @ M
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-12)


def test_orthogonal_is_uniformly_distributed_over_rotations_and_reflections():
    """For a Haar-random 3 x 3 orthogonal matrix every entry has mean 0 and E[w^2] = 1/3 (w^2 is
    Beta(1/2, 1): variance 2/45). Without the sign fix from diag(R), QR makes w_11 negative, mean ~ -0.5.
    Checked within 5 standard errors of 1000 draws."""
    generator = np.random.default_rng(5)
    W = np.array([init.orthogonal((3, 3), generator) for _ in range(1000)])
    assert np.abs(W.mean(axis=0)).max() < 5 * math.sqrt(1 / 3 / 1000)
    assert np.abs((W**2).mean(axis=0) - 1 / 3).max() < 5 * math.sqrt(2 / 45 / 1000)


def test_same_seed_same_weights():
    a = init.kaiming_normal((10, 20), np.random.default_rng(7))
    b = init.kaiming_normal((10, 20), np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_notes_small_random_numbers():
    W = init.normal((500, 500), rng(), std=0.01)
    assert abs(W.std() / 0.01 - 1) < 5 / math.sqrt(2 * W.size)  # 5 standard errors of a sample std


def test_a_single_int_is_a_1_d_shape():
    assert init.normal(5, rng()).shape == (5,)
    assert init.uniform(np.int64(4), rng(), 1.0).shape == (4,)


@pytest.mark.parametrize("call,error,message", [
    (lambda: init.fan_in_and_fan_out((10,)), ValueError,
     r"fans need a weight with at least 2 dimensions, got shape \(10,\); "
     r"a dense weight is \(fan_in, fan_out\), a conv weight \(C_out, C_in, kh, kw\)$"),
    (lambda: init.orthogonal((10,), rng()), ValueError,
     r"orthogonal needs a weight with at least 2 dimensions, got shape \(10,\)$"),
    (lambda: init.normal(None, rng()), TypeError, "shape must be a tuple of ints, got None$"),
    (lambda: init.normal((3, 0), rng()), ValueError, r"each size in shape \(3, 0\) must be an int >= 1"),
    (lambda: init.uniform((3, 3), rng(), bound=-0.1), ValueError, "bound must be >= 0"),
    (lambda: init.uniform((3, 3), rng(), bound="1"), TypeError, "bound must be a real number"),
    (lambda: init.calculate_gain("leaky_relu", "0.2"), TypeError, r"param \(the negative slope\) must be a real"),
    (lambda: init.calculate_gain("swish"), ValueError,
     "unknown nonlinearity 'swish'; known: linear, conv1d, conv2d, conv3d, conv_transpose1d, "
     "conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu$"),
    (lambda: init.kaiming_uniform((3, 3), rng(), mode="fan_avg"), ValueError,
     "mode must be one of 'fan_in', 'fan_out'"),
    (lambda: init.get_initializer("glorot"), ValueError,
     "unknown initializer 'glorot'; known: xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform, "
     "lecun_normal, orthogonal$"),
])
def test_error_messages_name_the_argument(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.fan_in_and_fan_out((10,))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.xavier_normal((10,), rng())
    with pytest.raises(ValueError, match="must be an int >= 1"):
        init.xavier_normal((10, 0), rng())
    with pytest.raises(TypeError, match="must be an int"):
        init.xavier_normal((10, 2.5), rng())
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'"):
        init.calculate_gain("swish")
    with pytest.raises(TypeError, match="param"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="std must be >= 0"):
        init.normal((3, 3), rng(), std=-0.1)
    with pytest.raises(ValueError, match="std must be finite"):
        init.normal((3, 3), rng(), std=float("nan"))
    with pytest.raises(ValueError, match="gain must be finite"):
        init.orthogonal((3, 3), rng(), gain=float("nan"))
    with pytest.raises(ValueError, match="mode"):
        init.kaiming_normal((3, 3), rng(), mode="fan_avg")
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        init.xavier_normal((3, 3), 42)
    with pytest.raises(ValueError, match="unknown initializer"):
        init.get_initializer("glorot")


@pytest.mark.parametrize("make", [init.orthogonal, init.xavier_normal, init.xavier_uniform])
@pytest.mark.parametrize("gain", [float("nan"), float("inf")])
def test_a_non_finite_gain_is_refused(make, gain):
    with pytest.raises(ValueError, match="gain must be finite"):
        make((4, 4), np.random.default_rng(0), gain=gain)


# --- Data-dependent initializations: Krähenbühl et al. 2015, LSUV (Mishkin & Matas 2015) ----------

def _relu_net(seed=0, sizes=(8, 16, 16, 16, 4), activation="relu", weights=0.01, bias=0.0):
    from lib.network import MLP

    rng = np.random.default_rng(seed)
    return MLP(list(sizes), rng, activation=activation, init=weights, bias=bias), rng


@pytest.mark.parametrize("beta,gamma,bias", [(0.0, 1.0, 0.0), (0.5, 2.0, 0.3)])
def test_data_dependent_init_gives_every_unit_mean_beta_and_std_gamma(beta, gamma, bias):
    net, rng = _relu_net(bias=bias)
    X = rng.standard_normal((200, 8)) * 3 + 1
    W1 = net.params["W1"].copy()
    init.data_dependent_init(net, X, beta=beta, gamma=gamma)
    scores = net.forward(X)
    for z in [*net.pre_activations, scores]:
        np.testing.assert_allclose(z.mean(axis=0), beta, atol=1e-12)
        np.testing.assert_allclose(z.std(axis=0), gamma, rtol=1e-12)
    ratio = net.params["W1"] / W1  # each unit (column) is rescaled, not redrawn
    np.testing.assert_allclose(ratio, ratio[:1].repeat(8, axis=0), rtol=1e-12)


def test_change_rates_of_a_one_layer_net_are_the_norm_of_X_transpose_signal():
    net, rng = _relu_net(sizes=(5, 3))
    X, S = rng.standard_normal((7, 5)), rng.standard_normal((7, 3))
    expected = np.linalg.norm(X.T @ S) / np.linalg.norm(net.params["W1"])
    assert init.change_rates(net, X, S) == pytest.approx([expected], rel=1e-12)


def test_equalizing_change_rates_of_a_relu_net_makes_them_the_geometric_mean_and_keeps_the_function():
    net, rng = _relu_net(weights="kaiming_normal")
    X = rng.standard_normal((64, 8))
    init.data_dependent_init(net, X)
    S = rng.standard_normal((64, 4))
    before, scores = init.change_rates(net, X, S), net.forward(X)
    history = init.equalize_change_rates(net, X, rng, signal=S)
    assert len(history) == 2  # one exact rescaling for ReLU
    after = init.change_rates(net, X, S)
    np.testing.assert_allclose(after, np.exp(np.mean(np.log(before))), rtol=1e-10)
    np.testing.assert_allclose(net.forward(X), scores, rtol=1e-10, atol=1e-12)
    assert before.max() / before.min() > 1.5  # there was something to equalize


def test_lsuv_layer_follows_the_hand_computed_recurrence():
    """h = [[1], [-1]], W = [[w, w]], b = [c, -c]: z has mean 0 and variance w^2 + c^2, so each
    rescaling maps w^2 to w^2 / (w^2 + c^2)."""
    h, b = np.array([[1.0], [-1.0]]), np.array([np.sqrt(0.5), -np.sqrt(0.5)])

    def expected(tol, max_iter, w2=4.0):
        variances = [w2 + 0.5]
        while abs(variances[-1] - 1) >= tol and len(variances) <= max_iter:
            w2 = w2 / variances[-1]
            variances.append(w2 + 0.5)
        return variances

    # by hand: w^2 = 4 -> 4 / 4.5 = 0.8889 -> 0.8889 / 1.3889 = 0.64 -> 0.64 / 1.14 = 0.5614 (within 0.1)
    assert expected(0.1, 10) == pytest.approx([4.5, 4 / 4.5 + 0.5, 1.14, 0.64 / 1.14 + 0.5])
    for tol, max_iter in [(0.1, 10), (0.01, 10), (0.01, 2), (0.1, 0), (5.0, 10)]:
        W, variances = init.lsuv_layer(np.array([[2.0, 2.0]]), b, h, tol, max_iter)
        assert variances == pytest.approx(expected(tol, max_iter), rel=1e-12)
        assert W[0, 0] ** 2 + 0.5 == pytest.approx(variances[-1], rel=1e-12)


def test_lsuv_layer_without_bias_needs_one_exact_rescaling():
    rng = np.random.default_rng(0)
    h, W = rng.standard_normal((100, 6)), 3 * rng.standard_normal((6, 5))
    new, variances = init.lsuv_layer(W, np.zeros(5), h)
    assert len(variances) == 2 and np.var(h @ new) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(new, W / np.sqrt(np.var(h @ W)), rtol=1e-12)


def test_lsuv_on_a_network_gives_every_layer_unit_variance():
    net, rng = _relu_net(weights="orthogonal", sizes=(8, 32, 32, 32, 4))
    X = rng.standard_normal((128, 8))
    record = init.lsuv(net, X)
    scores = net.forward(X)
    for z in [*net.pre_activations, scores]:
        assert np.var(z) == pytest.approx(1.0, abs=0.1)
    assert len(record) == 4 and all(len(v) >= 1 for v in record)


@pytest.mark.parametrize("call,error,message", [
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(3), np.ones((4, 3))), ValueError, "need W"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.ones((4, 3)), tol=0), ValueError, "tol"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.zeros((4, 3))), ValueError, "constant"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.ones((5, 3))), ValueError, "X must be"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.ones((5, 8))), ValueError, "constant"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.eye(8), gamma=0), ValueError, "gamma"),
])
def test_data_dependent_initializers_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- #24: the data-dependent initializations on input they cannot work with -----------------------

H_HAND = np.array([[1.0], [-1.0]])


def test_lsuv_layer_refuses_biases_that_alone_exceed_the_target_variance():
    """h = [[1], [-1]], W = [[w, w]], b = [c, -c]: Var(z) = w^2 + c^2 (Cov(hW, b) = 0), never below
    c^2 whatever w. Before #24, c^2 = 4 made LSUV shrink W towards 0 for max_iter rounds and return it."""
    W = np.array([[2.0, 2.0]])
    with pytest.raises(ValueError, match=r"^the biases b alone give the layer's output a variance of at least 4 "
                                         r">= 1 \+ tol: no rescaling of W can bring it to 1 \(LSUV rescales W, not b\)$"):
        init.lsuv_layer(W, np.array([2.0, -2.0]), H_HAND)
    with pytest.raises(ValueError, match="at least 2.25 >= 1 "):  # exactly 1 + tol: unreachable too
        init.lsuv_layer(W, np.array([1.5, -1.5]), H_HAND, tol=1.25)
    with pytest.raises(ValueError, match="at least 4 >= 1 "):  # h @ W constant: only the biases vary
        init.lsuv_layer(W, np.array([2.0, -2.0]), np.zeros((2, 1)))
    # c^2 = 1.05 < 1 + tol: reachable, the loop runs as before (w^2 -> w^2 / (w^2 + 1.05))
    W_new, variances = init.lsuv_layer(W, np.sqrt(1.05) * np.array([1.0, -1.0]), H_HAND, tol=0.1, max_iter=50)
    assert abs(variances[-1] - 1) < 0.1 and variances[-1] == pytest.approx(W_new[0, 0] ** 2 + 1.05)


def test_lsuv_layer_counts_only_scales_its_loop_can_reach():
    """h = 1 +- 0.1, W = [[s, -s]], b = [beta, -beta]: Var(c hW + b) = c^2 s^2 1.01 + 2 c s beta + beta^2,
    with Cov = s beta. For beta < 0 its minimum over c > 0 is beta^2 (1 - 1/1.01) < 1: reachable (the loop
    may still stop at max_iter); for beta > 0 the variance only falls to beta^2 as c -> 0: refused."""
    h = np.array([[1.1], [0.9]])
    W = np.array([[0.5, -0.5]])  # Cov(hW, b) = 0.625 for beta = 1.25, below 1
    init.lsuv_layer(W, np.array([-1.25, 1.25]), h)  # no error
    with pytest.raises(ValueError, match="at least 1.562 >= 1 "):
        init.lsuv_layer(W, np.array([1.25, -1.25]), h)


def _residual_net():
    from lib.network import ResidualMLP

    return ResidualMLP(8, 6, 4, blocks=2, rng=np.random.default_rng(0))


@pytest.mark.parametrize("call,error,message", [
    (lambda: init.lsuv(_residual_net(), np.ones((5, 8))), TypeError,
     r"lsuv needs a lib.network.MLP \(with sizes, depth, params, forward, hidden\), got ResidualMLP, which has "
     "no sizes, depth, hidden$"),
    (lambda: init.data_dependent_init(_residual_net(), np.ones((5, 8))), TypeError,
     "data_dependent_init needs a lib.network.MLP"),
    (lambda: init.equalize_change_rates(_residual_net(), np.ones((5, 8)), rng()), TypeError,
     "equalize_change_rates needs a lib.network.MLP"),
    (lambda: init.change_rates(_residual_net(), np.ones((5, 8)), np.ones((5, 4))), TypeError,
     "change_rates needs a lib.network.MLP"),
    (lambda: init.fixup_init(_relu_net()[0], rng()), TypeError,
     r"fixup_init needs a lib.network.ResidualMLP \(with blocks, branch_layers, width, D, C, params, start\), "
     "got MLP, which has no blocks, branch_layers, width, D, C, start$"),
    (lambda: init.lsuv(_relu_net()[0], np.where(np.eye(8) == 1, np.nan, 1.0)), ValueError,
     r"X must be finite; it has 8 NaN or infinite entries \(a diverged computation\?\)$"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.where(np.eye(8) == 1, np.inf, 1.0)), ValueError,
     "X must be finite"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.full((5, 8), "a")), TypeError,
     "X must be a real numeric array"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.eye(8), rng(), signal=np.full((8, 4), np.nan)),
     ValueError, "signal must be finite"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.eye(8), rng(), signal=np.zeros((8, 4))), ValueError,
     r"layer 1's change rate is 0.0: no gradient of the signal reaches W1 \(an all-zero signal"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.zeros((8, 8)), rng()), ValueError,
     "layer 1's change rate is 0.0"),
    (lambda: init.change_rates(_relu_net(weights=0.0)[0], np.eye(8), np.ones((8, 4))), ValueError,
     r"W1 is all zeros \(or not finite\): its change rate \|\|dW\|\| / \|\|W\|\| is undefined$"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.array([0.0, np.nan]), np.ones((4, 3))), ValueError,
     "b must be finite"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.full((4, 3), np.nan)), ValueError, "h must be finite"),
    (lambda: init.lsuv_layer(np.full((3, 2), np.inf), np.zeros(2), np.ones((4, 3))), ValueError, "W must be finite"),
])
def test_data_dependent_initializers_say_why_they_cannot_work(call, error, message):
    """Before #24: AttributeError for the other kind of network, every weight NaN (at most a
    RuntimeWarning) for a NaN or all-zero input or signal."""
    with pytest.raises(error, match="^" + message):
        call()


def test_data_dependent_init_blames_nan_parameters_not_constant_units():
    net, rng = _relu_net()
    net.params["W2"][3, 5] = np.nan
    with pytest.raises(ValueError, match=r"^layer 2's pre-activations on X must be finite \(are its weights or "
                                         r"biases NaN or infinite\?\); it has 10 NaN"):  # unit 5, 10 rows
        init.data_dependent_init(net, rng.standard_normal((10, 8)))


@pytest.mark.parametrize("call,error,message", [
    (lambda: init.calculate_gain(None), TypeError, "nonlinearity must be a string such as 'relu', got None$"),
    (lambda: init.calculate_gain(["relu"]), TypeError, r"nonlinearity must be a string such as 'relu', got \['relu'\]"),
    (lambda: init.get_initializer(None), TypeError, "init must be an initializer name \\(a string\\), one of "
     "xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform, lecun_normal, orthogonal; got None$"),
    (lambda: init.get_initializer(["orthogonal"]), TypeError, "init must be an initializer name"),
    (lambda: init.change_rates(_relu_net()[0], np.eye(8), np.ones((3, 4))), ValueError,
     r"signal must have the shape of the scores, \(8, 4\), got \(3, 4\)$"),
])
def test_a_wrong_type_is_a_type_error_naming_the_argument(call, error, message):
    """(Before #24: ValueError "unknown nonlinearity None", and the signal's shape blamed on "g".)"""
    with pytest.raises(error, match="^" + message):
        call()


# --- #24: what the mutation run found untested in the data-dependent initializations ---------------

def test_square_orthogonal_is_q_of_the_qr_of_the_same_draws_not_transposed():
    """torch.nn.init.orthogonal_: QR of a (rows, cols) Gaussian matrix (transposed first only when
    rows < cols), Q's columns times the signs of diag(R)."""
    a = np.random.default_rng(3).normal(size=(4, 4))
    q, r = np.linalg.qr(a)
    np.testing.assert_allclose(init.orthogonal((4, 4), np.random.default_rng(3)), q * np.sign(np.diag(r)), rtol=1e-12)


def test_lsuv_layer_by_hand_with_a_bias_that_is_not_symmetric():
    """h = [[1], [0]], W = [[1, 0]], b = [0, 1]: z = [[1, 1], [0, 1]], Var = 3/16. One rescaling makes
    the first weight w = 4 / sqrt(3): z entries w, 1, 0, 1, Var = (w^2 + 2) / 4 - ((w + 2) / 4)^2."""
    h, W, b = np.array([[1.0], [0.0]]), np.array([[1.0, 0.0]]), np.array([0.0, 1.0])
    assert init.lsuv_layer(W, b, h, tol=0.1, max_iter=0)[1] == [0.1875]
    new, variances = init.lsuv_layer(W, b, h, tol=0.1, max_iter=1)
    w = 4 / math.sqrt(3)
    np.testing.assert_allclose(new, [[w, 0.0]], rtol=1e-15)
    assert variances == pytest.approx([0.1875, (w * w + 2) / 4 - ((w + 2) / 4) ** 2], rel=1e-14)


def test_lsuv_layer_rescales_when_the_variance_is_exactly_tol_away_from_1():
    h = np.array([[1.0], [-1.0]])
    W, variances = init.lsuv_layer(np.array([[2.0, 2.0]]), np.zeros(2), h, tol=3.0)  # Var 4: |4 - 1| = tol
    assert variances == [4.0, 1.0] and W.tolist() == [[1.0, 1.0]]


def test_lsuv_layer_stops_after_10_rescalings_by_default_as_the_authors_code():
    """h = 1 +- 0.1, W = [[-1, 1]], b = [3, -3]: reachable (a larger W would do) but the loop only
    shrinks W and never gets within tol, so it stops at max_iter."""
    W, b, h = np.array([[-1.0, 1.0]]), np.array([3.0, -3.0]), np.array([[1.1], [0.9]])
    assert len(init.lsuv_layer(W, b, h)[1]) == 11
    assert len(init.lsuv(_relu_net(weights=0.5)[0], np.random.default_rng(0).standard_normal((50, 8)),
                         max_iter=0)[0]) == 1


def test_lsuv_layer_judges_reachability_on_centred_biases_and_outputs():
    """The variance of b = [3, 1] over the entries is 1 (its mean, 2, does not count): reachable.
    h = [[1.1], [0.9]], W = [[0.5, -0.3]], b = [-3, 3]: hW has mean 0.1 and Cov(hW, b) = -1.2 < 0, so
    at c = -Cov / Var(hW) the variance is 9 - 1.44 / 0.1617 ~ 0.095: reachable too."""
    h = np.array([[1.0], [-1.0]])
    init.lsuv_layer(np.array([[0.1, 0.1]]), np.array([3.0, 1.0]), h)  # no error
    init.lsuv_layer(np.array([[0.5, -0.3]]), np.array([-3.0, 3.0]), np.array([[1.1], [0.9]]))  # no error


def test_lsuv_on_a_network_passes_tol_and_max_iter_to_every_layer():
    net, rng = _relu_net(weights=0.5)
    W = {k: v.copy() for k, v in net.params.items()}
    record = init.lsuv(net, rng.standard_normal((50, 8)), max_iter=0)
    assert [len(v) for v in record] == [1, 1, 1, 1]
    assert all(np.array_equal(net.params[k], W[k]) for k in W)  # no rescaling allowed
    record = init.lsuv(net, rng.standard_normal((50, 8)), tol=100.0)
    assert [len(v) for v in record] == [1, 1, 1, 1]  # every layer within 100 of 1 already


def test_data_dependent_init_accepts_2_rows_and_float32_batches():
    net, rng = _relu_net(sizes=(8, 4))
    X = rng.standard_normal((2, 8))
    twin = _relu_net(sizes=(8, 4))[0]
    init.data_dependent_init(net, X)
    init.data_dependent_init(twin, X.astype(np.float32))
    assert net.params["W1"].dtype == np.float64 and twin.params["W1"].dtype == np.float64
    np.testing.assert_allclose(twin.params["W1"], net.params["W1"], rtol=1e-5)
    np.testing.assert_allclose((X @ net.params["W1"] + net.params["b1"]).std(axis=0), 1.0, rtol=1e-12)


def _two_layer_net():
    from lib.network import MLP

    return MLP([3, 4, 2], np.random.default_rng(0), init="kaiming_normal", bias=0.5)


def test_equalize_change_rates_scales_by_the_square_root_of_rate_over_geometric_mean(monkeypatch):
    """Rates (2, 0.5): geometric mean exactly 1, |r / 1 - 1| = (1, 0.5). With tol = 1 exactly, layer 1
    is not within tol (< tol is strict): W_1 * sqrt(2), W_2 * sqrt(0.5), b_1 * sqrt(2), b_2 * 1."""
    net = _two_layer_net()
    start = {k: v.copy() for k, v in net.params.items()}
    rates = iter([np.array([2.0, 0.5]), np.array([1.0, 1.0])])
    monkeypatch.setattr(init, "change_rates", lambda net, X, signal: next(rates))
    history = init.equalize_change_rates(net, np.eye(3), rng(), tol=1.0)
    assert len(history) == 2
    s = math.sqrt(2.0)
    np.testing.assert_allclose(net.params["W1"], start["W1"] * s, rtol=1e-15)
    np.testing.assert_allclose(net.params["W2"], start["W2"] / s, rtol=1e-15)
    np.testing.assert_allclose(net.params["b1"], start["b1"] * s, rtol=1e-15)
    np.testing.assert_allclose(net.params["b2"], start["b2"], rtol=1e-15)


def test_equalize_change_rates_stops_after_max_iter_rounds(monkeypatch):
    monkeypatch.setattr(init, "change_rates", lambda net, X, signal: np.array([2.0, 0.5]))  # never equal
    assert len(init.equalize_change_rates(_two_layer_net(), np.eye(3), rng())) == 11  # default 10
    assert len(init.equalize_change_rates(_two_layer_net(), np.eye(3), rng(), max_iter=1)) == 2


def test_change_rates_below_1_are_fine_and_a_bad_one_is_named():
    np.testing.assert_array_equal(init._check_rates(np.array([0.5, 2.0])), [0.5, 2.0])
    with pytest.raises(ValueError, match=r"^layer 2's change rate is 0.0: no gradient of the signal reaches W2 "):
        init._check_rates(np.array([2.0, 0.0, 3.0]))
    with pytest.raises(ValueError, match="^layer 3's change rate is inf"):
        init._check_rates(np.array([2.0, 0.5, np.inf]))


def test_change_rates_names_the_all_zero_layer():
    net = _two_layer_net()
    net.params["W1"] *= 0.01  # norm < 1, not 0
    net.params["W2"] = np.zeros((4, 2))
    with pytest.raises(ValueError, match="^W2 is all zeros"):
        init.change_rates(net, np.eye(3), np.ones((3, 2)))


@pytest.mark.parametrize("call,error,message", [
    (lambda: init.data_dependent_init(_relu_net()[0], np.eye(8), gamma="1"), TypeError, "gamma must be a real number"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.eye(8), beta="0"), TypeError, "beta must be a real number"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.ones((5, 8))), ValueError,
     "layer 1 has units whose pre-activations are constant on X; they cannot be scaled to a std$"),
    (lambda: init.data_dependent_init(_relu_net()[0], np.ones((1, 8))), ValueError,
     r"X must be a batch of at least 2 rows of shape \(N, 8\), got \(1, 8\)$"),
    (lambda: init.change_rates(_relu_net()[0], np.eye(8), "S"), TypeError, "signal must be a real numeric array"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.eye(8), rng(), tol=0), ValueError, "tol must be > 0"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.eye(8), rng(), tol="a"), TypeError,
     "tol must be a real number"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.eye(8), rng(), max_iter=0), ValueError,
     "max_iter must be an int >= 1, got 0$"),
    (lambda: init.equalize_change_rates(_relu_net()[0], np.eye(8), rng(), max_iter=1.5), TypeError,
     "max_iter must be an int"),
    (lambda: init.lsuv_layer("W", np.zeros(2), np.ones((4, 3))), TypeError, "W must be a real numeric array"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.ones((4, 2))), ValueError,
     r"need W \(fan_in, fan_out\), b \(fan_out,\) and h \(N, fan_in\); got W \(3, 2\), b \(2,\), h \(4, 2\)$"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.ones((4, 3)), tol=0), ValueError, "tol must be > 0"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.ones((4, 3)), max_iter=-1), ValueError,
     "max_iter must be an int >= 0, got -1$"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.ones((4, 3)), max_iter="2"), TypeError,
     "max_iter must be an int"),
    (lambda: init.lsuv_layer(np.ones((3, 2)), np.zeros(2), np.zeros((4, 3))), ValueError,
     r"the layer's output is constant on h \(variance 0\): it cannot be rescaled$"),
])
def test_arguments_of_the_data_dependent_initializations_are_named(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


def test_lsuv_uses_the_authors_tol_and_max_iter_by_default(monkeypatch):
    """Mishkin & Matas' code: tol 0.1, at most 10 rescalings, passed to every layer."""
    calls = []
    real = init.lsuv_layer
    monkeypatch.setattr(init, "lsuv_layer", lambda W, b, h, tol, max_iter: calls.append((tol, max_iter))
                        or real(W, b, h, tol, max_iter))
    net, rng = _relu_net(weights="orthogonal")
    init.lsuv(net, rng.standard_normal((50, 8)))
    assert calls == [(0.1, 10)] * 4


@pytest.mark.parametrize("blocks,branch_layers,expected", [(16, 2, 0.25), (8, 3, 8 ** -0.25), (81, 3, 1 / 3),
                                                           (64, 4, 0.5), (1, 2, 1.0), (100, 2, 0.1)])
def test_fixup_scale_is_L_to_the_minus_one_over_2m_minus_2(blocks, branch_layers, expected):
    assert initializers.fixup_scale(blocks, branch_layers) == pytest.approx(expected, rel=1e-12)


def test_fixup_init_zeroes_branches_and_classifier_and_scales_the_rest():
    rng = np.random.default_rng(0)
    net = ResidualMLP(20, 400, 10, blocks=16, rng=rng, branch_layers=2, init="fixup")
    p = net.params
    assert all(not p[f"W{i}_2"].any() for i in range(1, 17)) and not p["W_out"].any() and not p["b_out"].any()
    # He std sqrt(2 / 400) times 16^(-1/2)
    assert np.std(p["W3_1"]) == pytest.approx(np.sqrt(2 / 400) / 4, rel=0.02)
    assert np.std(p["W_in"]) == pytest.approx(np.sqrt(1 / 20), rel=0.03)
    assert all(p[f"s{i}"] == 1 and p[f"r{i}"] == 0 and p[f"p{i}_1"] == 0 for i in range(1, 17))
    X = rng.standard_normal((50, 20))
    assert not net.forward(X).any()  # scores are 0
    np.testing.assert_array_equal(net.stream[-1], net.stream[0])


@pytest.mark.parametrize("blocks,branch_layers", [(0, 2), (1, 2), (2, 3)])
def test_fixup_init_makes_exactly_the_networks_parameters_at_their_starting_values(blocks, branch_layers):
    """Every parameter of the docstring's list, no other (no block 0 or L + 1, no layer 0), with
    Fixup's starting values: multipliers 1, scalar biases 0, last branch layers and classifier 0."""
    net = ResidualMLP(5, 4, 3, blocks=blocks, rng=np.random.default_rng(0), branch_layers=branch_layers, init="fixup")
    expected = {"W_in", "b_in", "p_out", "q_out", "W_out", "b_out"}
    for i in range(1, blocks + 1):
        expected |= {f"s{i}", f"r{i}"} | {f"{k}{i}_{j}" for k in "Wpq" for j in range(1, branch_layers + 1)}
    assert set(net.params) == expected
    for name, value in net.params.items():
        if name[0] in "pqr":
            assert value == 0.0, name
        elif name[0] == "s":
            assert value == 1.0, name
    assert not net.params["W_out"].any() and not net.params["b_out"].any() and not net.params["b_in"].any()


def test_fixup_init_draws_the_stem_and_the_scaled_branch_layers_in_order():
    """With the same seed: the stem LeCun normal (5, 4), then block by block the first m - 1 branch
    layers, Kaiming normal times L^(-1/(2m-2)) (here 2^(-1/4))."""
    net = ResidualMLP(5, 4, 3, blocks=2, rng=np.random.default_rng(0), branch_layers=3, init="fixup")
    z = np.random.default_rng(0).standard_normal(5 * 4 + 4 * 16)
    np.testing.assert_allclose(net.params["W_in"], z[:20].reshape(5, 4) / np.sqrt(5), rtol=1e-13)
    scale = np.sqrt(2 / 4) * 2 ** -0.25
    for k, name in enumerate(["W1_1", "W1_2", "W2_1", "W2_2"]):
        np.testing.assert_allclose(net.params[name], scale * z[20 + 16 * k:36 + 16 * k].reshape(4, 4), rtol=1e-13)
    assert not net.params["W1_3"].any() and not net.params["W2_3"].any()


def test_fixup_init_needs_a_residual_network():
    from lib.network import MLP

    with pytest.raises(TypeError, match="^fixup_init needs a lib.network.ResidualMLP"):
        initializers.fixup_init(MLP([4, 3], np.random.default_rng(0)), np.random.default_rng(0))


@pytest.mark.parametrize("call,error,message", [
    (lambda: initializers.fixup_scale(0, 2), ValueError, "blocks must be an int >= 1, got 0$"),
    (lambda: initializers.fixup_scale(2.0, 2), TypeError, "blocks must be an int, got 2.0$"),
    (lambda: initializers.fixup_scale(2, 1), ValueError, "branch_layers must be an int >= 2, got 1$"),
    (lambda: initializers.fixup_scale(2, "3"), TypeError, "branch_layers must be an int, got '3'$"),
])
def test_fixup_scale_refuses_what_has_no_scale(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


@pytest.mark.parametrize("activation, expected", [
    ("relu", "kaiming_normal"), ("leaky_relu", "kaiming_normal"), ("elu", "kaiming_normal"),
    ("tanh", "xavier_normal"), ("sigmoid", "xavier_normal"), ("selu", "lecun_normal"),
])
def test_each_activation_is_paired_with_the_init_its_papers_use(activation, expected):
    """He et al. (2015) for the ReLU family, Glorot & Bengio (2010) for tanh and sigmoid, Klambauer
    et al. (2017) prescribe LeCun's for SELU."""
    assert init.paired_init(activation) == expected


def test_every_activation_has_a_paired_init_and_unknown_names_are_refused():
    from lib import activations as act

    assert set(init.PAIRED_INIT) == set(act.ACTIVATIONS)
    assert all(name in init.INITIALIZERS for name in init.PAIRED_INIT.values())
    with pytest.raises(ValueError, match="activation"):
        init.paired_init("swish2")
