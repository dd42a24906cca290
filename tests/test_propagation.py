"""Signals and gradients through deep stacks at initialization: `lib.propagation`."""

import numpy as np
import pytest

from lib.experiments.reading_list import singular_values_by_depth
from lib.propagation import deep_stack, forward_through_layers


def test_forward_through_layers_shapes_and_the_notes_three_regimes():
    def last_std(init, activation="tanh"):
        return forward_through_layers(np.random.default_rng(0), init, activation)[-1].std()

    layers = forward_through_layers(np.random.default_rng(0), 0.01, depth=4, width=32, n=8)
    assert [h.shape for h in layers] == [(8, 32)] * 4
    assert last_std(0.01) < 1e-6  # too small: the signal vanishes
    saturated = forward_through_layers(np.random.default_rng(0), 0.2, "tanh")[-1]
    assert np.mean(np.abs(saturated) > 0.99) > 0.3  # too large: tanh saturates
    assert 0.1 < last_std("lecun_normal") < 1  # Xavier/LeCun keeps tanh alive
    assert last_std("kaiming_normal", "relu") > 10 * last_std("lecun_normal", "relu")  # He's factor 2


def test_deep_stack_matches_the_formulas_layer_by_layer():
    """Linear layers with Var(w) = 1/D keep the variance; the back-propagated gradient and the
    weight gradient are the products backprop defines (checked here with numpy directly)."""
    stack = deep_stack(np.random.default_rng(0), "lecun_normal", "relu", depth=3, width=64, n=500)
    assert len(stack.hidden) == len(stack.hidden_grads) == len(stack.weight_grads) == 3
    assert stack.weight_grads[0].shape == (64, 64) and stack.table().shape == (3, 4)
    # ReLU after LeCun: E[h^2] = Var(z) / 2 with Var(z) ~ 1 in layer 1
    assert np.mean(stack.hidden[0] ** 2) == pytest.approx(0.5, rel=0.1)
    # dL/dW_2 = h_1^T (dL/dh_2 * relu'(z_2))
    manual = stack.hidden[0].T @ (stack.hidden_grads[1] * (stack.pre_activations[1] > 0))
    np.testing.assert_allclose(stack.weight_grads[1], manual, rtol=1e-10, atol=1e-15)


def test_small_weights_make_activations_and_gradients_vanish():
    stack = deep_stack(np.random.default_rng(0), 0.01, "tanh", depth=10, width=200, n=200)
    stds = stack.table()[:, 1]
    factor = 0.01 * np.sqrt(200)  # what one near-linear tanh layer multiplies the std by
    np.testing.assert_allclose(stds[1:] / stds[:-1], factor, rtol=0.1)
    grads = stack.table()[:, 2]
    assert grads[0] < 1e-5 * grads[-1]  # shrinking towards the input


def test_standardized_layers_keep_the_spread_whatever_the_weights():
    plain = forward_through_layers(np.random.default_rng(0), 0.01, "tanh", width=64)
    normed = forward_through_layers(np.random.default_rng(0), 0.01, "tanh", width=64,
                                                     standardize=True)
    assert plain[-1].std() < 1e-5 and normed[-1].std() == pytest.approx(normed[0].std(), rel=0.05)


def test_bad_arguments():
    with pytest.raises(TypeError, match="Generator"):
        forward_through_layers(0, 0.01)
    with pytest.raises(ValueError, match="unknown activation"):
        forward_through_layers(np.random.default_rng(0), 0.01, "swish")
    with pytest.raises(TypeError, match="init"):
        singular_values_by_depth(np.random.default_rng(0), None, 3)
