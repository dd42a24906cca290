"""The reading list's signal-propagation papers (Glorot & Bengio, Saxe et al., Sussillo & Abbott,
He et al.): each reproduction against closed forms, hand-computed cases or the papers' numbers."""

import mpmath
import numpy as np
import pytest

from lib import gradcheck, initializers
from lib.experiments import reading_list as rl
from lib.experiments.reading_list import singular_values_by_depth
from lib.propagation import deep_stack

EULER_GAMMA = 0.5772156649015329


# --- Glorot & Bengio 2010 ------------------------------------------------------------------------

def test_standard_uniform_has_bound_one_over_sqrt_fan_in_and_variance_one_third_of_its_square():
    W = rl.standard_uniform((400, 300), np.random.default_rng(0))
    assert W.shape == (400, 300)
    assert 0.999 * 0.05 < np.abs(W).max() <= 0.05  # 1 / sqrt(400)
    assert W.var() == pytest.approx(1 / (3 * 400), rel=0.02)  # U[-a, a] has variance a^2 / 3
    assert abs(W.mean()) < 1e-4


def test_variance_ratios_of_hand_made_layers():
    layers = [np.array([[1.0, -1.0]]), np.array([[2.0, -2.0]]), np.array([[0.5, -0.5]])]  # variances 1, 4, 1/4
    np.testing.assert_allclose(rl.variance_ratios(layers), [4.0, 1 / 16])
    with pytest.raises(ValueError, match="at least two"):
        rl.variance_ratios(layers[:1])


def test_standard_init_shrinks_back_propagated_variance_by_a_third_per_layer():
    """Glorot & Bengio's n Var(W) = 1/3: in tanh's linear regime each layer going down multiplies
    the gradient's variance by 1/3 (and the activations' going up); the normalized init does not."""
    standard = deep_stack(np.random.default_rng(0), rl.standard_uniform, "tanh", depth=5, width=400, n=200)
    going_down = 1 / rl.variance_ratios(standard.hidden_grads)
    np.testing.assert_allclose(going_down[1:], 1 / 3, rtol=0.06)  # layers 3..1, deep in the linear regime
    np.testing.assert_allclose(rl.variance_ratios(standard.hidden)[1:], 1 / 3, rtol=0.06)
    normalized = deep_stack(np.random.default_rng(0), "xavier_uniform", "tanh", depth=5, width=400, n=200)
    assert np.all(1 / rl.variance_ratios(normalized.hidden_grads) > 0.55)


# --- Saxe et al. 2013: the deep linear trainer ---------------------------------------------------

def _small_regression(seed=0, P=12, D=4, C=3):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((P, D)), rng.standard_normal((P, C))
    return X, Y, rng


def test_regression_moments_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    Y = np.array([[3.0], [1.0]])
    Sxx, Sxy, yy = rl.regression_moments(X, Y)
    np.testing.assert_allclose(Sxx, [[0.5, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(Sxy, [[1.5], [1.0]])
    assert yy == pytest.approx(5.0)
    with pytest.raises(ValueError, match="same P"):
        rl.regression_moments(X, Y[:1])


def test_deep_linear_loss_is_the_mean_squared_error_and_its_gradients_match_finite_differences():
    X, Y, rng = _small_regression()
    weights = [rng.standard_normal((4, 5)), rng.standard_normal((5, 5)), rng.standard_normal((5, 3))]
    moments = rl.regression_moments(X, Y)
    loss, grads = rl.deep_linear_loss_and_grads(weights, moments)
    direct = 0.5 * np.sum((X @ weights[0] @ weights[1] @ weights[2] - Y) ** 2) / len(X)
    assert float(loss) == pytest.approx(direct, rel=1e-12)
    for W, g in zip(weights, grads):
        numeric = gradcheck.numerical_gradient(lambda: float(rl.deep_linear_loss_and_grads(weights, moments)[0]), W)
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-7)


def test_deep_linear_batch_dimensions_hold_independent_networks():
    X, Y, rng = _small_regression(1)
    moments = rl.regression_moments(X, Y)
    a = [rng.standard_normal((4, 4)), rng.standard_normal((4, 3))]
    b = [rng.standard_normal((4, 4)), rng.standard_normal((4, 3))]
    loss, grads = rl.deep_linear_loss_and_grads([np.stack([x, y]) for x, y in zip(a, b)], moments)
    for i, single in enumerate((a, b)):
        one_loss, one_grads = rl.deep_linear_loss_and_grads(single, moments)
        assert loss[i] == pytest.approx(float(one_loss), rel=1e-12)
        for g, one in zip(grads, one_grads):
            np.testing.assert_allclose(g[i], one, rtol=1e-12)


def test_steps_to_loss_of_linear_regression_on_whitened_inputs_match_the_closed_form():
    """Depth 1, X^T X / P = I, start W = 0: W_t - A = (1 - lr)^t (-A), so the relative loss is
    (1 - lr)^(2t) and the first t with (1 - lr)^(2t) <= target is ceil(log target / (2 log(1 - lr)))."""
    rng = np.random.default_rng(0)
    P, D, C = 32, 4, 2
    X = np.sqrt(P) * np.linalg.qr(rng.standard_normal((P, D)))[0]  # X^T X / P = I exactly
    moments = rl.regression_moments(X, X @ rng.standard_normal((D, C)))
    zero = [np.zeros((2, D, C))]  # two identical networks
    for lr in (0.1, 0.3):
        expected = np.ceil(np.log(0.01) / (2 * np.log(1 - lr)))  # 22 and 7
        np.testing.assert_array_equal(rl.deep_linear_steps_to_loss(zero, moments, [lr], 0.01, 100), expected)
    # the best of several learning rates, a diverging one (|1 - lr| > 1) and too few steps
    np.testing.assert_array_equal(rl.deep_linear_steps_to_loss(zero, moments, [0.1, 0.3, 2.5], 0.01, 100), 7)
    np.testing.assert_array_equal(rl.deep_linear_steps_to_loss(zero, moments, [2.5], 0.01, 100), np.inf)
    np.testing.assert_array_equal(rl.deep_linear_steps_to_loss(zero, moments, [0.1], 0.01, 21), np.inf)
    np.testing.assert_array_equal(rl.deep_linear_steps_to_loss(zero, moments, [1.0], 0.01, 5), 1)
    assert zero[0].sum() == 0  # the weights given are not modified
    with pytest.raises(ValueError, match="target"):
        rl.deep_linear_steps_to_loss(zero, moments, [0.1], 0.0, 10)


def test_orthogonal_init_learns_a_deep_linear_network_much_faster_than_gaussian():
    """Saxe et al.: from random orthogonal weights the learning time barely depends on depth; from
    scaled Gaussian ones (Var 1/N) it grows with depth."""
    X, Y = rl.linear_teacher(np.random.default_rng(0))
    scales = np.geomspace(0.05, 2, 9)
    orthogonal = rl.learning_times_by_depth(np.random.default_rng(1), "orthogonal", [1, 12], X, Y, scales, seeds=2)
    gaussian = rl.learning_times_by_depth(np.random.default_rng(1), "lecun_normal", [1, 12], X, Y, scales, seeds=2)
    assert orthogonal.shape == gaussian.shape == (2, 2)
    assert np.all(orthogonal[0] <= 10) and np.all(gaussian[0] <= 10)  # depth 1: convex linear regression
    assert np.all(orthogonal[1] < 8 * orthogonal[0])
    assert np.all(gaussian[1] > 2 * orthogonal[1])


# --- Sussillo & Abbott 2014 ----------------------------------------------------------------------

def test_sussillo_abbott_gains_are_the_papers_formulas():
    assert rl.sussillo_abbott_gain(100, "linear") == pytest.approx(1.005012520859401, rel=1e-14)  # e^(1/200)
    assert rl.sussillo_abbott_gain(100, "relu") == pytest.approx(np.sqrt(2) * np.exp(1.2 / 97.6), rel=1e-14)
    assert rl.sussillo_abbott_gain(4, "relu") == pytest.approx(np.sqrt(2) * np.exp(1 / 3), rel=1e-14)  # max(N, 6)
    with pytest.raises(ValueError, match="activation"):
        rl.sussillo_abbott_gain(10, "tanh")
    with pytest.raises(TypeError, match="width"):
        rl.sussillo_abbott_gain(10.5, "relu")


def test_linear_increment_moments_in_closed_form():
    """N = 2: chi^2_2 / 2 is an Exp(1) variable, E log = -gamma and Var log = pi^2 / 6."""
    mean, var = rl.linear_walk_increment_moments(2)
    assert mean == pytest.approx(-EULER_GAMMA / 2, rel=1e-12)
    assert var == pytest.approx(np.pi**2 / 24, rel=1e-12)
    mean, _ = rl.linear_walk_increment_moments(2, gain=3.0)
    assert mean == pytest.approx(np.log(3.0) - EULER_GAMMA / 2, rel=1e-12)
    # large N: E log(chi^2_N / N) = -1/N - 1/(3 N^2) + O(N^-4), Var = 2/N + 2/N^2 + O(N^-3)
    mean, var = rl.linear_walk_increment_moments(1000)
    assert 2 * mean == pytest.approx(-1e-3 - 1 / 3e6, rel=1e-6)
    assert 4 * var == pytest.approx(2e-3 + 2e-6, rel=1e-5)


def _increments(walk):
    steps = np.diff(walk, axis=1)
    return steps.mean(), steps.std() / np.sqrt(steps.size), steps.var()


def test_linear_walk_matches_the_chi_square_law_and_their_gain_removes_the_drift():
    N = 10
    walk = rl.log_norm_walk(np.random.default_rng(0), "linear", 1.0, 40, N, 500)
    assert walk.shape == (500, 41) and np.all(walk[:, 0] == 0)
    mean, se, var = _increments(walk)
    exact_mean, exact_var = rl.linear_walk_increment_moments(N)  # -0.0517, 0.0553
    assert abs(mean - exact_mean) < 4 * se and mean < -10 * se  # the naive g = 1 drifts down
    assert var == pytest.approx(exact_var, rel=0.05)
    g = rl.sussillo_abbott_gain(N, "linear")
    mean, se, _ = _increments(rl.log_norm_walk(np.random.default_rng(0), "linear", g, 40, N, 500))
    assert abs(mean) < 4 * se
    # the spread grows like sqrt(depth): std after d layers = sqrt(d Var(increment))
    np.testing.assert_allclose(walk[:, [10, 40]].std(axis=0), np.sqrt([10, 40]) * np.sqrt(exact_var), rtol=0.1)


def test_relu_walk_drifts_with_sqrt_2_and_not_with_their_gain():
    N = 20
    naive = rl.log_norm_walk(np.random.default_rng(1), "relu", np.sqrt(2), 60, N, 300)
    mean, se, _ = _increments(naive)
    assert mean < -10 * se
    assert mean == pytest.approx(-1.2 / (N - 2.4), rel=0.2)  # the drift their correction removes
    g = rl.sussillo_abbott_gain(N, "relu")
    theirs = rl.log_norm_walk(np.random.default_rng(1), "relu", g, 60, N, 300)
    mean, se, _ = _increments(theirs)
    assert abs(mean) < 4 * se
    ratio = theirs[:, 60].std() / theirs[:, 15].std()
    assert ratio == pytest.approx(2.0, rel=0.15)  # sqrt(60 / 15)


def test_log_norm_walk_bad_arguments():
    with pytest.raises(ValueError, match="activation"):
        rl.log_norm_walk(np.random.default_rng(0), "tanh", 1.0, 3, 4, 2)
    with pytest.raises(ValueError, match="gain"):
        rl.log_norm_walk(np.random.default_rng(0), "relu", 0.0, 3, 4, 2)
    with pytest.raises(TypeError, match="Generator"):
        rl.log_norm_walk(0, "relu", 1.0, 3, 4, 2)


# --- He et al. 2015 ------------------------------------------------------------------------------

def test_fan_in_and_fan_out_conditions_differ_by_d1_over_dL():
    widths = [100, 400, 200, 100, 50, 25]  # d_1 / d_L = 16
    fan_in = np.mean([rl.fan_mode_gains(np.random.default_rng(s), widths, "fan_in", n=1000) for s in range(3)],
                     axis=0)
    fan_out = np.mean([rl.fan_mode_gains(np.random.default_rng(s), widths, "fan_out", n=1000) for s in range(3)],
                      axis=0)
    np.testing.assert_allclose(fan_in, [1.0, 1 / 16], rtol=0.12)
    np.testing.assert_allclose(fan_out, [16.0, 1.0], rtol=0.12)
    with pytest.raises(ValueError, match="mode"):
        rl.fan_mode_gains(np.random.default_rng(0), widths, "fan_avg")
    with pytest.raises(ValueError, match="widths"):
        rl.fan_mode_gains(np.random.default_rng(0), [3, 4], "fan_in")


# --- the page's figures --------------------------------------------------------------------------


def test_singular_values_by_depth_match_the_direct_product():
    rng = np.random.default_rng(3)
    rows = singular_values_by_depth(np.random.default_rng(3), "lecun_normal", max_depth=3, width=8)
    W = [initializers.lecun_normal((8, 8), rng) for _ in range(3)]
    np.testing.assert_allclose(rows[2], np.linalg.svd(W[0] @ W[1] @ W[2], compute_uv=False), rtol=1e-10)
    orthogonal = singular_values_by_depth(np.random.default_rng(0), "orthogonal", max_depth=30)
    np.testing.assert_allclose(orthogonal, 1.0, atol=1e-10)
    gaussian = singular_values_by_depth(np.random.default_rng(0), "lecun_normal", max_depth=30)
    spread = gaussian.max(axis=1) / gaussian.min(axis=1)
    assert spread[-1] > 1e6 * spread[0]  # the spread grows by orders of magnitude with depth


def test_singular_values_of_a_deep_product_agree_with_150_digit_arithmetic():
    """At depth 30 the smallest singular value is ~1e-20 of the largest: an SVD of the product in
    double precision is off by a factor e^22 there (measured), the QR accumulation by < 1e-12."""
    rows = singular_values_by_depth(np.random.default_rng(1), "lecun_normal", max_depth=30, width=12)
    rng = np.random.default_rng(1)
    mpmath.mp.dps = 150
    product = mpmath.eye(12)
    for depth in range(1, 31):
        product = product * mpmath.matrix(initializers.lecun_normal((12, 12), rng).tolist())
        if depth in (1, 10, 30):
            exact = sorted((float(mpmath.log(s)) for s in mpmath.svd_r(product, compute_uv=False)), reverse=True)
            np.testing.assert_allclose(np.log(rows[depth - 1]), exact, rtol=0, atol=1e-12)
    assert rows[29].max() / rows[29].min() > 1e15


def test_walk_gain_names_an_unknown_rule():
    assert rl.walk_gain("relu", "he", 20) == pytest.approx(np.sqrt(2))
    with pytest.raises(ValueError, match="^rule must be one of 'one', 'he', 'sussillo'; got 'bogus'$"):
        rl.walk_gain("relu", "bogus", 20)


def test_mode_strength_curve_against_its_closed_form_and_its_ode():
    """Saxe et al.'s solution: a(0) = a_0, a(t_1/2) = s/2 at t = tau/(2s) ln(s/a_0 - 1), and it
    solves tau da/dt = 2 a (s - a) (checked by finite differences)."""
    from lib.experiments.reading_list import mode_strength_curve

    s, a0, lr = 2.0, 1e-3, 0.01
    a = mode_strength_curve(s, a0, lr, 2000)
    assert a[0] == pytest.approx(a0)
    half = np.log(s / a0 - 1) / (2 * s * lr)
    assert a[int(np.floor(half))] < s / 2 < a[int(np.ceil(half))]
    derivative = (a[2:] - a[:-2]) / 2  # per step; tau = 1 / lr
    np.testing.assert_allclose(derivative / lr, 2 * a[1:-1] * (s - a[1:-1]), rtol=1e-3, atol=1e-6)
    assert a[-1] == pytest.approx(s, rel=1e-6)


def test_mode_strengths_learn_the_teachers_modes_strongest_first():
    from lib.experiments.reading_list import mode_strengths

    rng = np.random.default_rng(3)
    weights = [rng.normal(0, 0.01, (8, 8)), rng.normal(0, 0.01, (8, 3))]
    a = mode_strengths(weights, [2.0, 1.0, 0.5], rng, lr=0.05, steps=400)
    assert a.shape == (401, 3)
    np.testing.assert_allclose(a[-1], [2.0, 1.0, 0.5], rtol=1e-3)  # the teacher, recovered
    halves = [np.argmax(a[:, i] >= s / 2) for i, s in enumerate([2.0, 1.0, 0.5])]
    assert halves[0] < halves[1] < halves[2]
    with pytest.raises(ValueError, match="strengths"):
        mode_strengths(weights, [1.0, 2.0], rng, lr=0.05, steps=1)


def test_sigmoid_layer_means_at_the_start_by_hand():
    """Before training, the means are those of a forward pass computed with numpy from the same
    draws of the standard initialization."""
    from lib import data
    from lib.experiments.reading_list import sigmoid_layer_means

    run = sigmoid_layer_means(seed=4, width=7, depth=3, steps=0, every=5, probe=20)
    rng = np.random.default_rng(4)
    h = data.standardized_digits()[1][:20]
    expected = []
    for fan_in, fan_out in [(64, 7), (7, 7), (7, 7)]:
        W = rng.uniform(-1 / np.sqrt(fan_in), 1 / np.sqrt(fan_in), (fan_in, fan_out))
        h = 1 / (1 + np.exp(-(h @ W)))
        expected.append(h.mean())
    np.testing.assert_allclose(run["means"], [expected], rtol=1e-12)
    np.testing.assert_array_equal(run["steps"], [0])
