"""Magnitude pruning with rewinding (lib.pruning), training with masks, and the lottery ticket run."""

import numpy as np
import pytest

from lib import pruning
from lib.experiments.reading_list_methods import lottery_ticket
from lib.network import MLP, train

W = np.array([[0.5, -3.0, 0.1], [2.0, -0.2, 1.0]])


def test_one_round_prunes_the_smallest_magnitudes_of_a_hand_example():
    # |W| sorted: 0.1, 0.2, 0.5, 1, 2, 3: half of 6 is 3 weights: 0.1, -0.2, 0.5 (not -3: magnitude)
    new = pruning.prune_by_magnitude(W, np.ones((2, 3)), 0.5)
    np.testing.assert_array_equal(new, [[0, 1, 0], [1, 0, 1]])


def test_a_round_prunes_a_fraction_of_the_remaining_weights_only():
    mask = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]])  # -3 and 0.1 pruned before
    before = mask.copy()
    # remaining 0.5, 2, -0.2, 1: half of 4 is 2: -0.2 and 0.5; 0.1 is not pruned "again"
    new = pruning.prune_by_magnitude(W, mask, 0.5)
    np.testing.assert_array_equal(new, [[0, 0, 0], [1, 0, 1]])
    np.testing.assert_array_equal(mask, before)  # the input mask is unchanged
    # 25 % of the 4 remaining is 1 weight, not 25 % of all 6 (1.5 -> 2)
    assert pruning.prune_by_magnitude(W, mask, 0.25).sum() == 3


def test_pruned_count_rounds_to_the_nearest_integer():
    assert pruning.pruned_count(30000, 0.2) == 6000
    assert pruning.pruned_count(1000, 0.1) == 100
    assert pruning.pruned_count(10, 0.25) == 2  # 2.5: halves to even, as Python's round
    assert pruning.pruned_count(7, 0.0) == 0 and pruning.pruned_count(7, 1.0) == 7


def test_schedule_for_lenet_300_100_gives_the_papers_percentages():
    """Frankle & Carbin report winning tickets of LeNet-300-100 at 51.3, 21.1, 7.0, 3.6 and 1.9 % of
    the weights, pruning 20 % of each hidden layer and 10 % of the output layer per round."""
    sizes = [784 * 300, 300 * 100, 100 * 10]
    schedule = pruning.sparsity_schedule(sizes, [0.2, 0.2, 0.1], rounds=18)
    percent = np.round(100 * schedule.sum(axis=1) / sum(sizes), 1)
    assert [percent[r] for r in (3, 7, 12, 15, 18)] == [51.3, 21.1, 7.0, 3.6, 1.9]
    closed = np.array(sizes) * np.array([0.8, 0.8, 0.9]) ** np.arange(19)[:, None]
    assert np.all(np.abs(schedule - closed) <= np.arange(19)[:, None])  # at most 1 per round of rounding
    assert schedule[1].tolist() == [188160, 24000, 900]


def test_rewind_resets_to_the_initial_values_times_the_mask():
    init = {"W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([0.5, -0.5])}
    masks = {"W1": np.array([[1.0, 0.0], [0.0, 1.0]])}
    params = pruning.rewind(init, masks)
    np.testing.assert_array_equal(params["W1"], [[1.0, 0.0], [0.0, 4.0]])
    np.testing.assert_array_equal(params["b1"], [0.5, -0.5])
    params["b1"][0] = 9.0
    assert init["b1"][0] == 0.5 and init["W1"][0, 1] == 2.0  # copies, not views


def test_prune_round_prunes_each_layer_by_its_own_fraction():
    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((10, 10)), "W2": rng.standard_normal((10, 4))}
    masks = pruning.initial_masks(params, ["W1", "W2"])
    new = pruning.prune_round(params, masks, {"W1": 0.2, "W2": 0.1})
    assert new["W1"].sum() == 80 and new["W2"].sum() == 36
    smallest_kept = np.abs(params["W1"][new["W1"] == 1]).min()
    assert smallest_kept > np.abs(params["W1"][new["W1"] == 0]).max()


def test_training_with_masks_keeps_pruned_weights_at_zero_and_follows_sgd():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 4)), rng.integers(0, 3, size=30)
    net = MLP([4, 6, 3], rng)
    mask = (rng.random((4, 6)) < 0.5).astype(float)
    start = {k: v.copy() for k, v in net.params.items()}
    # one plain SGD step by hand: param - lr * grad at the masked parameters, then masked
    reference = MLP([4, 6, 3], np.random.default_rng(1))
    reference.params = {k: v.copy() for k, v in start.items()}
    reference.params["W1"] = reference.params["W1"] * mask
    _, grads = reference.loss_and_grads(X, y)
    train(net, X, y, rng, steps=1, lr=0.1, masks={"W1": mask})
    np.testing.assert_allclose(net.params["W1"], (start["W1"] * mask - 0.1 * grads["W1"]) * mask)
    np.testing.assert_allclose(net.params["W2"], start["W2"] - 0.1 * grads["W2"])
    train(net, X, y, rng, steps=50, lr=0.1, momentum=0.9, masks={"W1": mask})
    assert np.all(net.params["W1"][mask == 0] == 0) and np.all(net.params["W1"][mask == 1] != 0)


def test_lottery_ticket_prunes_on_schedule_and_trains_both_networks():
    run = lottery_ticket(0, rounds=2, steps=30)
    total = 64 * 64 + 64 * 32 + 32 * 10
    first = 64 * 64 - round(0.36 * 64 * 64) + 64 * 32 - round(0.36 * 64 * 32) + 320 - round(0.19 * 320)
    np.testing.assert_allclose(run["remaining"][:2], [1.0, first / total])
    assert np.all(run["ticket"] > 0.5) and np.all(run["random"] > 0.5)  # both learn (chance is 0.1)
    assert run["ticket_rms"][0] == pytest.approx(run["random_rms"][0], rel=0.1)  # both Kaiming, dense
    assert run["ticket_rms"][2] > run["ticket_rms"][0]  # magnitude pruning keeps large initial weights


@pytest.mark.parametrize("call,error,message", [
    (lambda: pruning.prune_by_magnitude(W, np.ones((3, 2)), 0.5), ValueError, "mask must be a 0/1 array"),
    (lambda: pruning.prune_by_magnitude(W, 2 * np.ones((2, 3)), 0.5), ValueError, "mask must be a 0/1 array"),
    (lambda: pruning.prune_by_magnitude(W, np.ones((2, 3)), 1.5), ValueError, "fraction must be in"),
    (lambda: pruning.prune_by_magnitude(W, np.ones((2, 3)), "half"), TypeError, "fraction"),
    (lambda: pruning.prune_round({"W1": W}, {"W1": np.ones((2, 3))}, {"W2": 0.2}), ValueError, "keys of masks"),
    (lambda: pruning.sparsity_schedule([10, 10], [0.2], 3), ValueError, "one fraction per layer"),
    (lambda: train(MLP([2, 2], np.random.default_rng(0)), np.zeros((3, 2)), np.zeros(3, int),
                   np.random.default_rng(0), 1, 0.1, masks={"W9": np.ones((2, 2))}), ValueError, "W9"),
])
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
