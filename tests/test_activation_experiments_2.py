"""The measurements of the activations chapter's second page: moments of f(z) for z ~ N(mu, sigma^2)
(SELU's fixed point, the noise an activation passes at an operating point), deep networks trained
side by side, and the small figures of f and f'. Expected values are closed forms or published
constants, never the implementation's own output."""

import math

import matplotlib
import numpy as np

from lib import activations as act

matplotlib.use("Agg")


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def normal_pdf(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


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


def test_the_selu_exercise_check_accepts_the_closed_form_and_names_a_sample_too_small():
    from lib.checks import check_selu_moments

    assert check_selu_moments(selu_moments_closed_form).passed

    def small_sample(mu, sigma):
        y = act.selu(np.random.default_rng(0).normal(mu, sigma, 10_000))
        return y.mean(), y.var()

    result = check_selu_moments(small_sample)
    assert not result.passed and result.message.startswith("✗ small_sample ") and "1 / sqrt(n)" in result.message


