"""The measurements of the activations chapter's second page: moments of f(z) for z ~ N(mu, sigma^2)
(SELU's fixed point, the noise an activation passes at an operating point), deep networks trained
side by side, and the small figures of f and f'. Expected values are closed forms or published
constants, never the implementation's own output."""

import math

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from lib import activations as act
from lib.experiments.activations import moments_of_output, train_deep_networks
from lib.network import MLP
from lib.scenes.activations import activation_cards

matplotlib.use("Agg")


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def normal_pdf(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def relu_moments(mu, sigma):
    """Mean and variance of max(z, 0), z ~ N(mu, sigma^2): a rectified normal, in closed form."""
    a = mu / sigma
    mean = mu * normal_cdf(a) + sigma * normal_pdf(a)
    second = (mu * mu + sigma * sigma) * normal_cdf(a) + mu * sigma * normal_pdf(a)
    return mean, second - mean * mean


@pytest.mark.parametrize("mu,sigma", [(0.0, 1.0), (-1.0, 0.5), (2.0, 3.0), (-0.3, 0.1)])
def test_relu_moments_match_the_rectified_normal(mu, sigma):
    np.testing.assert_allclose(moments_of_output(act.relu, mu, sigma), relu_moments(mu, sigma), rtol=1e-9)


def test_relu_at_zero_is_the_textbook_value():
    mean, var = moments_of_output(act.relu)
    assert mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-10)
    assert var == pytest.approx(0.5 - 1 / (2 * math.pi), rel=1e-10)


def test_selu_constants_make_mean_0_variance_1_a_fixed_point():
    mean, var = moments_of_output(act.selu, 0.0, 1.0)
    assert abs(mean) < 1e-9 and var == pytest.approx(1.0, abs=1e-9)
    # ELU (alpha = 1, no lambda) has neither: its mean is positive and its variance below 1
    mean, var = moments_of_output(act.elu, 0.0, 1.0)
    assert mean > 0.1 and var < 0.9


@pytest.mark.parametrize("slope", [0.01, 0.2, 1.0])
def test_a_linear_piece_scales_mean_and_std_by_its_slope(slope):
    """Far below 0 (P(z > 0) ~ 1e-23) Leaky ReLU is slope * z: mean slope * mu, std slope * sigma."""
    mean, var = moments_of_output(act.leaky_relu, -10.0, 1.0, negative_slope=slope)
    assert mean == pytest.approx(-10.0 * slope, rel=1e-9)
    assert math.sqrt(var) == pytest.approx(slope * 1.0, rel=1e-9)


@pytest.mark.parametrize("alpha,mu,sigma", [(1.0, -10.0, 1.0), (2.0, -8.0, 0.5), (0.5, -12.0, 1.5)])
def test_saturated_elu_passes_the_lognormal_share_of_the_noise(alpha, mu, sigma):
    """Far below 0, ELU(z) = alpha (e^z - 1) with e^z lognormal: mean alpha (e^(mu + sigma^2/2) - 1),
    variance alpha^2 e^(2 mu) (e^(2 sigma^2) - e^(sigma^2)), tiny next to the mean's square."""
    mean, var = moments_of_output(act.elu, mu, sigma, alpha=alpha)
    assert mean == pytest.approx(alpha * (math.exp(mu + sigma**2 / 2) - 1), rel=1e-10)
    assert var == pytest.approx(alpha**2 * math.exp(2 * mu) * (math.exp(2 * sigma**2) - math.exp(sigma**2)),
                                rel=1e-7)


def test_moments_refuse_bad_arguments():
    with pytest.raises(ValueError, match="sigma"):
        moments_of_output(act.relu, 0.0, 0.0)
    with pytest.raises(ValueError, match="sigma"):
        moments_of_output(act.relu, 0.0, -1.0)
    with pytest.raises(TypeError, match="mu"):
        moments_of_output(act.relu, "0", 1.0)


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


def test_activation_cards_draw_one_titled_panel_per_name():
    fig = Figure(figsize=(6.4, 2.6))
    activation_cards(fig, ["leaky_relu", "prelu", "elu"])
    titles = [ax.get_title() for sub in fig.subfigs for ax in sub.axes]
    assert titles == ["leaky_relu", "prelu", "elu"]
    prelu = fig.subfigs[1].axes[0]
    f_line = prelu.get_lines()[0]  # f drawn first: PReLU's default alpha 0.25 on the negative side
    x, y = f_line.get_data()
    np.testing.assert_allclose(y[x < 0], 0.25 * x[x < 0])


def selu_moments_closed_form(mu, sigma):
    """Mean and variance of SELU(z), z ~ N(mu, sigma^2), from truncated-normal and lognormal integrals:
    E[z; z > 0] = mu Phi(a) + sigma phi(a), E[z^2; z > 0] = (mu^2 + sigma^2) Phi(a) + mu sigma phi(a),
    E[e^(k z); z <= 0] = e^(k mu + k^2 sigma^2 / 2) Phi(-a - k sigma), with a = mu / sigma."""
    lam, alpha, a = act.SELU_SCALE, act.SELU_ALPHA, mu / sigma

    def exp_below(k):
        return math.exp(k * mu + k * k * sigma * sigma / 2) * normal_cdf(-a - k * sigma)

    below = normal_cdf(-a)
    first = mu * normal_cdf(a) + sigma * normal_pdf(a) + alpha * (exp_below(1) - below)
    second = ((mu * mu + sigma * sigma) * normal_cdf(a) + mu * sigma * normal_pdf(a)
              + alpha**2 * (exp_below(2) - 2 * exp_below(1) + below))
    return lam * first, lam**2 * (second - first * first)


@pytest.mark.parametrize("mu,sigma", [(0.0, 1.0), (0.5, 1.5), (-1.0, 0.5), (0.1, 0.9)])
def test_selu_moments_match_their_closed_form(mu, sigma):
    np.testing.assert_allclose(moments_of_output(act.selu, mu, sigma), selu_moments_closed_form(mu, sigma),
                               rtol=1e-9, atol=1e-12)


def test_the_selu_exercise_check_accepts_the_closed_form():
    from lib.exercises import check

    assert check("ex-selu-moments", selu_moments_closed_form).passed


def test_maxout_fit_draws_each_fit_with_a_singular_or_plural_label():
    from lib.scenes.activations import maxout_fit

    fig = Figure(figsize=(6.4, 3.2))
    x = np.linspace(-2, 2, 5)
    fits = {1: (np.array([0.0]), np.array([1.5])), 2: (np.array([1.0, -1.0]), np.array([0.0, 0.0]))}
    maxout_fit(fig, x, x**2, fits)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["target", "1 piece", "2 pieces"]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), 1.5)  # one piece: the constant 1.5
    np.testing.assert_allclose(ax.get_lines()[2].get_ydata(), np.abs(x))  # max(x, -x) = |x|
