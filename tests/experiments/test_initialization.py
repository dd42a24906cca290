"""What the initialization page measures: `lib.experiments.initialization`."""

import numpy as np
import pytest

from lib import activations as act
from lib import data, initializers
from lib.experiments import initialization as experiments


def test_variance_of_a_weighted_sum_and_layer_gain_follow_the_formulas():
    rng = np.random.default_rng(0)
    assert experiments.variance_of_weighted_sum(rng, 100, 2.0, 0.03) == pytest.approx(6.0, rel=0.05)
    assert experiments.layer_gain(rng, 0.05, 400) == pytest.approx(0.05 * 20, rel=0.03)
    W = initializers.xavier_normal((800, 200), rng)
    forward, backward = experiments.forward_and_backward_gains(rng, W)
    assert forward == pytest.approx(800 * 2 / 1000, rel=0.05) and backward == pytest.approx(200 * 2 / 1000, rel=0.05)


@pytest.mark.parametrize("name,params,gain", [
    ("relu", {}, np.sqrt(2)), ("leaky_relu", {"negative_slope": 0.3}, np.sqrt(2 / 1.09)),
    ("selu", {}, 1.0), ("tanh", {}, 1 / np.sqrt(0.394294490397841))])  # E[tanh(z)^2] by mpmath.quad
def test_gain_that_keeps_the_second_moment(name, params, gain):
    f = act.get_activation(name).f
    assert experiments.gain_that_keeps_the_second_moment(f, **params) == pytest.approx(gain, rel=1e-6)
    moments = experiments.second_moments_through_depth(np.random.default_rng(0), gain, name, depth=5,
                                                            width=512, n=512, **params)
    np.testing.assert_allclose(moments, 1.0, rtol=0.25)


def test_symmetric_starts_stay_symmetric_and_random_ones_do_not():
    X, y = data.spirals(30, np.random.default_rng(0))
    for init, distinct in [(lambda shape, rng: np.full(shape, 0.1), 1), ("kaiming_normal", 16)]:
        net, losses, first = experiments.train_from(np.random.default_rng(0), init, X, y, hidden=[16, 16],
                                                         steps=50, lr=0.5, momentum=0.9)
        assert experiments.units_that_differ(net.params["W1"]) == distinct
        assert len(losses) == 50 and first > 0
