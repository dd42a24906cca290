"""Magnitude pruning with rewinding (lib.pruning), training with masks, and the lottery ticket run."""

import numpy as np
import pytest

from lib import pruning
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


def test_already_pruned_weights_are_never_ranked_again():
    """The pruned weights are the two smallest here, so ranking them again would prune nothing
    new; counting the fraction of all 6 would prune 3 (and revive or keep the wrong ones)."""
    mask = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]])  # 0.1 and -0.2 pruned before
    # remaining 0.5, -3, 2, 1: half of 4 is 2, the smallest magnitudes 0.5 and 1
    np.testing.assert_array_equal(pruning.prune_by_magnitude(W, mask, 0.5), [[0, 1, 0], [1, 0, 0]])
    np.testing.assert_array_equal(pruning.prune_by_magnitude(W, mask, 0.25), [[0, 1, 0], [1, 0, 1]])
    assert pruning.prune_by_magnitude(W, mask, 0.0).tolist() == mask.tolist()


def _magnitude_pruning_by_hand(W, mask, fraction):
    """The definition, written out: of the k weights with mask 1, the round(fraction * k) of
    smallest |W| (ties: the earlier) get mask 0."""
    flat_W, new = W.ravel(), mask.ravel().copy()
    remaining = [i for i in range(flat_W.size) if new[i] == 1]
    for i in sorted(remaining, key=lambda i: (abs(flat_W[i]), i))[:int(round(fraction * len(remaining)))]:
        new[i] = 0.0
    return new.reshape(W.shape)


def test_pruning_trained_weights_whose_pruned_entries_are_zero():
    """After masked training the pruned weights are exactly 0, the smallest magnitudes there are:
    every round must still prune the fraction of the remaining ones, round after round."""
    rng = np.random.default_rng(3)
    mask = np.ones((12, 10))
    for expected_kept in (120 - 24, 96 - 19, 77 - 15, 62 - 12):  # 20 % of the remaining, rounded
        trained = rng.standard_normal((12, 10)) * mask
        new = pruning.prune_by_magnitude(trained, mask, 0.2)
        np.testing.assert_array_equal(new, _magnitude_pruning_by_hand(trained, mask, 0.2))
        assert new.sum() == expected_kept and np.all(new <= mask)
        mask = new


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


def test_a_nan_among_pruned_weights_does_not_matter():
    W_nan = np.array([[np.nan, 1.0, -2.0, 0.5]])
    new = pruning.prune_by_magnitude(W_nan, np.array([[0.0, 1.0, 1.0, 1.0]]), 1 / 3)
    np.testing.assert_array_equal(new, [[0, 1, 1, 0]])


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


@pytest.mark.parametrize("call,error,message", [
    (lambda: pruning.prune_by_magnitude(W, np.ones((3, 2)), 0.5), ValueError, "mask must be a 0/1 array"),
    (lambda: pruning.prune_by_magnitude(W, 2 * np.ones((2, 3)), 0.5), ValueError, "mask must be a 0/1 array"),
    (lambda: pruning.prune_by_magnitude(W, np.ones((2, 3)), 1.5), ValueError, "fraction must be in"),
    (lambda: pruning.prune_by_magnitude(W, np.ones((2, 3)), "half"), TypeError, "fraction"),
    (lambda: pruning.prune_round({"W1": W}, {"W1": np.ones((2, 3))}, {"W2": 0.2}), ValueError, "keys of masks"),
    (lambda: pruning.sparsity_schedule([10, 10], [0.2], 3), ValueError, "one fraction per layer"),
    (lambda: pruning.prune_by_magnitude([[np.nan, 1.0, 2.0]], np.ones((1, 3)), 0.5), ValueError,
     "W must be finite where mask is 1"),
    (lambda: pruning.rewind({"W1": W}, {"W1": np.ones(3)}), ValueError,
     r"masks\['W1'\] must be a 0/1 array of shape \(2, 3\), got shape \(3,\)"),
    (lambda: pruning.rewind({"W1": W}, {"W2": np.ones((2, 3))}), ValueError, r"masks has unknown .*\['W2'\]"),
    (lambda: pruning.rewind({"W1": W}, {"W1": np.full((2, 3), 0.5)}), ValueError, "every entry 0 or 1, got \\[0.5\\]"),
    (lambda: pruning.rewind({"W1": W}, [np.ones((2, 3))]), TypeError, "masks must be a dict"),
    (lambda: pruning.initial_masks({"W1": W}, ["W1", "W3"]), ValueError, r"names has \['W3'\]"),
    (lambda: pruning.prune_round({"W1": W}, {"W1": np.ones((2, 3))}, [0.2]), TypeError, "fractions must be a dict"),
    (lambda: pruning.prune_round({"W1": W}, {"W2": np.ones((2, 3))}, {"W2": 0.2}), ValueError, "masks has unknown"),
    (lambda: train(MLP([2, 2], np.random.default_rng(0)), np.zeros((3, 2)), np.zeros(3, int),
                   np.random.default_rng(0), 1, 0.1, masks={"W9": np.ones((2, 2))}), ValueError, "W9"),
])
def test_bad_arguments_raise_clear_errors(call, error, message):
    """(No result is computed from a NaN weight, a mask of another shape, a name that is not a
    parameter or a mask entry that is not 0/1: before, rewind broadcast or ignored them.)"""
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("call,message", [
    (lambda: pruning.initial_masks({"W1": W}, "W1"), r"names must be a list of names, not one string: write \['W1'\]$"),
    (lambda: pruning.initial_masks({"W1": W}, [1]), r"names must be a list of names \(strings\), got 1 in it$"),
    (lambda: pruning.sparsity_schedule(5, [0.2], 2), "layer_sizes must be a list, got int 5$"),
    (lambda: pruning.sparsity_schedule([5], 0.2, 2), "fractions must be a list, got float 0.2$"),
])
def test_a_wrong_type_is_a_type_error_naming_the_argument(call, message):
    """(Before #24 a single name was read one letter at a time, and an int was "not iterable".)"""
    with pytest.raises(TypeError, match="^" + message):
        call()


def test_ties_go_to_the_earlier_entry_in_a_long_array():
    """A stable sort: 100 weights of magnitudes 1, 2, 3 (longer than numpy's insertion-sort cutoff,
    where its default quicksort does not keep ties in order); half of them pruned, the earlier of the
    2s first."""
    W_ties = ((np.arange(100) * 7) % 3 + 1.0) * np.where(np.arange(100) % 5 == 0, -1.0, 1.0)
    new = pruning.prune_by_magnitude(W_ties, np.ones(100), 0.5)
    np.testing.assert_array_equal(new, _magnitude_pruning_by_hand(W_ties, np.ones(100), 0.5))
    twos = np.flatnonzero(np.abs(W_ties) == 2)
    assert new[twos].tolist() == [0] * 16 + [1] * (len(twos) - 16)  # 34 ones, then the first 16 twos


def test_an_empty_layer_and_rounds_0():
    assert pruning.pruned_count(0, 0.5) == 0
    assert pruning.prune_by_magnitude(W, np.zeros((2, 3)), 0.5).sum() == 0
    assert pruning.sparsity_schedule([1, 5], [0.5, 0.2], rounds=0).tolist() == [[1, 5]]
    assert pruning.sparsity_schedule([1], [0.5], rounds=2).tolist() == [[1], [1], [1]]  # 0.5 of 1 rounds to 0


def test_masks_and_rewound_parameters_are_float64():
    params = {"W1": np.array([[1, 2], [3, 4]]), "b1": np.array([1, 2]), "W2": np.ones((2, 2), dtype=np.float32)}
    masks = pruning.initial_masks(params, ["W1"])
    assert masks["W1"].dtype == np.float64 and masks["W1"].tolist() == [[1, 1], [1, 1]]
    rewound = pruning.rewind(params, {"W1": np.array([[1.0, 0.0], [1.0, 1.0]])})
    assert all(v.dtype == np.float64 for v in rewound.values())
    assert rewound["W1"].tolist() == [[1, 0], [3, 4]] and rewound["b1"].tolist() == [1, 2]


@pytest.mark.parametrize("call,error,message", [
    (lambda: pruning.prune_by_magnitude(W, np.ones((2, 3)), -0.1), ValueError, "fraction must be >= 0, got -0.1$"),
    (lambda: pruning.pruned_count(-1, 0.2), ValueError, "remaining must be an int >= 0, got -1$"),
    (lambda: pruning.pruned_count(2.5, 0.2), TypeError, "remaining must be an int, got 2.5$"),
    (lambda: pruning.prune_by_magnitude("W", np.ones(1), 0.5), TypeError, "W must be a real numeric array"),
    (lambda: pruning.prune_by_magnitude([[np.nan, 1.0]], np.ones((1, 2)), 0.5), ValueError,
     r"W must be finite where mask is 1 \(a NaN has no magnitude to rank\); it has 1 NaN or infinite entry "),
    (lambda: pruning.initial_masks([W], ["W1"]), TypeError, "params must be a dict, got list$"),
    (lambda: pruning.initial_masks({"W1": W, "b1": W}, ["W9"]), ValueError,
     r"names has \['W9'\], not parameters in params \(W1, b1\)$"),
    (lambda: pruning.prune_round([W], {"W1": np.ones((2, 3))}, {"W1": 0.2}), TypeError, "params must be a dict"),
    (lambda: pruning.prune_round({"W1": W}, {"W2": np.ones((2, 3))}, {"W2": 0.2}), ValueError,
     r"masks has unknown parameters \(not in params\) \['W2'\]; known: \['W1'\]$"),
    (lambda: pruning.rewind([W], {}), TypeError, "initial_params must be a dict, got list$"),
    (lambda: pruning.rewind({"W1": W}, {"W2": np.ones((2, 3))}), ValueError,
     r"masks has unknown parameters \(not in initial_params\) \['W2'\]; known: \['W1'\]$"),
    (lambda: pruning.sparsity_schedule([10, 0], [0.2, 0.2], 3), ValueError, "each of layer_sizes must be an int >= 1"),
    (lambda: pruning.sparsity_schedule([10, "5"], [0.2, 0.2], 3), TypeError, "each of layer_sizes must be an int"),
    (lambda: pruning.sparsity_schedule([10], [1.2], 3), ValueError, r"each of fractions must be in \[0, 1\], got 1.2$"),
    (lambda: pruning.sparsity_schedule([10], [0.2], -1), ValueError, "rounds must be an int >= 0, got -1$"),
    (lambda: pruning.sparsity_schedule([10], [0.2], 1.0), TypeError, "rounds must be an int, got 1.0$"),
])
def test_each_argument_is_named_in_its_error(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()
