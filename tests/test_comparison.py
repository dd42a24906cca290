"""The sweep behind every fair comparison: steps, best rate, ties, divergence, spreads, errors."""

import numpy as np
import pytest

from lib import comparison
from lib.network import MLP, train


def scripted(table):
    """A run(lr, seed) that returns the losses written in table[lr][seed] (no training)."""
    return lambda lr, seed: {"losses": table[lr][seed], "accuracy": 0.5 + lr / 100}


def test_steps_are_counted_per_rate_and_seed_and_the_best_rate_has_the_fewest_median_steps():
    table = {0.1: {0: [3, 2, 1.0, 0.5], 1: [3, 2, 1.1, 0.9]},  # steps to 1.0: 3 and 4
             1.0: {0: [3, 0.9, 0.1, 0.1], 1: [3, 1.0, 0.5, 0.5]},  # 2 and 2: the best
             10.0: {0: [3, 5, np.nan, 1], 1: [3, 4, 5, 6]}}  # diverged, never
    sweep = comparison.sweep(scripted(table), [0.1, 1.0, 10.0], [0, 1], target=1.0)
    np.testing.assert_array_equal(sweep.steps, [[3, 4], [2, 2], [np.inf, np.inf]])
    np.testing.assert_array_equal(sweep.final_loss, [[0.5, 0.9], [0.1, 0.5], [np.inf, 6]])
    np.testing.assert_allclose(sweep.accuracy, [[0.501, 0.501], [0.51, 0.51], [0.6, 0.6]])
    assert sweep.best_rate == 1.0 and sweep.best_index == 1 and sweep.best_is_inside
    np.testing.assert_array_equal(sweep.best("steps"), [2, 2])
    np.testing.assert_array_equal(sweep.best("losses")[1], [3, 1.0, 0.5, 0.5])
    with pytest.raises(ValueError, match="field"):
        sweep.best("speed")


def test_ties_go_to_the_lower_final_loss_and_a_best_rate_at_an_end_of_the_grid_is_flagged():
    table = {0.1: {0: [2, 1, 0.8]}, 1.0: {0: [2, 1, 0.2]}}  # both reach 1 at step 2
    sweep = comparison.sweep(scripted(table), [0.1, 1.0], [0], target=1.0)
    assert sweep.best_rate == 1.0 and not sweep.best_is_inside
    never = {0.1: {0: [2, 1.5]}, 1.0: {0: [2, 1.2]}}  # neither reaches 1: the lower loss wins
    assert comparison.sweep(scripted(never), [0.1, 1.0], [0], target=1.0).best_rate == 1.0


def test_a_rate_where_one_seed_diverges_is_not_the_best_however_fast_the_others():
    def run(lr, seed):  # at 1.0 two seeds reach 1 at step 2, the third blows up (what Fixup did)
        blown = lr == 1.0 and seed == 2
        return {"losses": [3, 4, 9] if blown else ([3, 1, 0.5] if lr == 1.0 else [3, 2, 1]),
                "diverged": blown}

    sweep = comparison.sweep(run, [0.1, 1.0], [0, 1, 2], target=1.0)
    np.testing.assert_array_equal(sweep.diverged, [[False] * 3, [False, False, True]])
    assert np.median(sweep.steps[1]) < np.median(sweep.steps[0]) and sweep.best_rate == 0.1
    nan = comparison.sweep(lambda lr, seed: {"losses": [3, 1, np.nan] if lr == 1.0 and seed == 0
                                             else [3, 1, 0.5]}, [0.1, 1.0], [0, 1, 2], target=1.0)
    assert nan.diverged[1, 0] and nan.best_rate == 0.1  # a loss that is not finite always counts
    everywhere = comparison.sweep(lambda lr, seed: {"losses": [3, lr, 9], "diverged": seed == 0},
                                  [0.5, 1.0], [0, 1, 2], target=1.0)
    assert everywhere.diverged[:, 0].all() and everywhere.best_rate == 0.5  # then every rate competes


def test_the_window_averages_minibatch_losses_before_comparing_with_the_target():
    table = {0.1: {0: [2, 0.5, 2, 0.5, 0.5, 0.5]}}  # single losses dip at step 2; pairs from step 5
    sweep = comparison.sweep(scripted(table), [0.1], [0], target=0.6, window=2)
    assert sweep.steps[0, 0] == 5 and sweep.final_loss[0, 0] == 0.5


def test_training_run_trains_from_the_seed_stops_at_the_target_and_at_divergence():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 2, 40)
    make = lambda rng: MLP([3, 8, 2], rng)  # noqa: E731
    run = comparison.training_run(make, X, y, steps=30, momentum=0.9)
    by_hand_rng = np.random.default_rng(5)
    net = make(by_hand_rng)
    losses = train(net, X, y, by_hand_rng, steps=30, lr=0.1, momentum=0.9)["loss"]
    result = run(0.1, 5)
    assert result["losses"] == losses and result["accuracy"] == net.accuracy(X, y)
    stopped = comparison.training_run(make, X, y, steps=30, momentum=0.9, stop_below=losses[9])(0.1, 5)
    assert stopped["losses"] == losses[:10]
    blown = comparison.training_run(make, X, y, steps=30)(1e3, 5)  # far too large a rate
    start = make(np.random.default_rng(5)).loss(X, y)
    assert len(blown["losses"]) < 30 and blown["losses"][-1] > 4 * start and blown["diverged"]
    assert not result["diverged"] and not stopped["diverged"]
    assert all(loss <= 4 * start for loss in blown["losses"][:-1])
    allowed = comparison.training_run(make, X, y, steps=30, diverged=None)(1e3, 5)
    assert len(allowed["losses"]) > len(blown["losses"])


def test_training_run_evaluates_on_held_out_data_and_scores_a_network_gone_to_nan_as_zero():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((30, 2)), rng.integers(0, 2, 30)
    X_test, y_test = rng.standard_normal((10, 2)), rng.integers(0, 2, 10)
    make = lambda rng: MLP([2, 4, 2], rng)  # noqa: E731
    result = comparison.training_run(make, X, y, steps=5, evaluate=(X_test, y_test))(0.1, 0)
    assert 0 <= result["accuracy"] <= 1 and result["accuracy"] in {k / 10 for k in range(11)}
    with np.errstate(all="ignore"):
        gone = comparison.training_run(make, X * 1e150, y, steps=5, diverged=None)(1e150, 0)
    assert gone["accuracy"] == 0.0

    def huge(rng):  # finite weights whose scores overflow to inf - inf = NaN
        net = MLP([2, 4, 2], rng)
        net.params["W1"][:], net.params["W2"][:] = 1e200, [[1e200, -1e200]] * 4
        return net

    overflowing = comparison.training_run(huge, X, y, steps=1, diverged=None, evaluate=(X_test, y_test))
    with np.errstate(all="ignore"):
        assert overflowing(1e-300, 0)["accuracy"] == 0.0


def test_a_diverging_run_is_a_result_not_a_warning():
    rng = np.random.default_rng(2)
    X, y = 1e3 * rng.standard_normal((20, 2)), rng.integers(0, 2, 20)
    run = comparison.training_run(lambda rng: MLP([2, 4, 2], rng), X, y, steps=20, diverged=None)
    sweep = comparison.sweep(run, [1e8], [0], target=0.1)  # warnings are errors in this test suite
    assert sweep.steps[0, 0] == np.inf


def test_compare_runs_every_method_on_one_grid_and_one_set_of_seeds():
    def run(label):  # losses that say which run made them (the runs may happen in other processes)
        return lambda lr, seed: {"losses": [1.0, 0.5], "accuracy": ord(label) + lr + 10 * seed}

    result = comparison.compare({"a": run("a"), "b": run("b")}, [0.1, 1], [3, 4], target=0.6)
    assert list(result) == ["a", "b"] and result["a"].rates == (0.1, 1.0) and result["b"].seeds == (3, 4)
    for label, sweep in result.items():
        expected = [[ord(label) + lr + 10 * seed for seed in (3, 4)] for lr in (0.1, 1.0)]
        np.testing.assert_array_equal(sweep.accuracy, expected)


def test_a_sweep_gives_bit_for_bit_what_each_run_gives_alone():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 3, 40)
    run = comparison.training_run(lambda rng: MLP([3, 8, 3], rng), X, y, steps=15, batch_size=8)
    result = comparison.sweep(run, [0.1, 0.5], [0, 1, 2], target=0.5)
    for i, lr in enumerate((0.1, 0.5)):
        for j, seed in enumerate((0, 1, 2)):
            alone = run(lr, seed)
            np.testing.assert_array_equal(result.losses[i][j], alone["losses"])
            assert result.accuracy[i, j] == alone["accuracy"]


def test_spread_and_describe_give_median_and_range_with_never_for_inf():
    assert comparison.spread([40, 27, 45]) == (40.0, 27.0, 45.0)
    assert comparison.spread([1, 2, 3, 10]) == (2.5, 1.0, 10.0)  # the median of an even count
    assert comparison.describe([40, 27, 45]) == "40 [27, 45]"
    assert comparison.describe([40, np.inf, 45]) == "45 [40, never]"
    assert comparison.describe([0.941, 0.93], ".2f", never="-") == "0.94 [0.93, 0.94]"
    assert comparison.describe([np.inf] * 3, never="not in 150") == "not in 150 [not in 150, not in 150]"


@pytest.mark.parametrize("call, error, match", [
    (lambda: comparison.sweep("run", [0.1], [0], 1.0), TypeError, "run must be callable"),
    (lambda: comparison.sweep(scripted({}), [], [0], 1.0), ValueError, "rates and seeds"),
    (lambda: comparison.sweep(scripted({}), [0.1], [], 1.0), ValueError, "rates and seeds"),
    (lambda: comparison.sweep(scripted({}), [-0.1], [0], 1.0), ValueError, "rates"),
    (lambda: comparison.sweep(scripted({}), [0.1], [-1], 1.0), ValueError, "seeds"),
    (lambda: comparison.sweep(lambda lr, s: [1.0], [0.1], [0], 1.0), TypeError, "dict with 'losses'"),
    (lambda: comparison.sweep(lambda lr, s: {"losses": []}, [0.1], [0], 1.0), ValueError, "non-empty"),
    (lambda: comparison.sweep(lambda lr, s: {"losses": [1.0]}, [0.1], [0], 1.0, window=0), ValueError, "window"),
    (lambda: comparison.compare([], [0.1], [0], 1.0), TypeError, "runs must be"),
    (lambda: comparison.training_run("net", np.ones((2, 2)), [0, 1], 5), TypeError, "make_net"),
    (lambda: comparison.training_run(lambda rng: None, np.ones((2, 2)), [0, 1], 5, diverged=1), ValueError,
     "diverged"),
    (lambda: comparison.spread([]), ValueError, "non-empty"),
    (lambda: comparison.spread([1.0, np.nan]), ValueError, "NaN"),
])
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_training_run_evaluates_in_evaluation_mode_with_one_pass_and_checks_the_labels():
    """With BatchNorm, the accuracy is the trained network's in evaluation mode, and evaluating it
    leaves its running statistics as training left them (a training-mode pass over the held-out set
    would move them): the same as a twin trained by `train` alone."""
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((64, 2)), rng.integers(0, 3, 64)
    X_test, y_test = 3.0 + 2.0 * rng.standard_normal((40, 2)), rng.integers(0, 3, 40)  # a shifted set
    nets = []

    def make(rng):
        nets.append(MLP([2, 16, 16, 3], rng, norm="batch"))
        return nets[-1]

    result = comparison.training_run(make, X, y, steps=20, batch_size=16, evaluate=(X_test, y_test))(0.1, 4)
    rng = np.random.default_rng(4)
    twin = MLP([2, 16, 16, 3], rng, norm="batch")
    train(twin, X, y, rng, steps=20, lr=0.1, batch_size=16, stop_above=4.0 * twin.loss(X, y))
    assert result["accuracy"] == twin.accuracy(X_test, y_test)
    for evaluated, trained in zip(nets[0].norms, twin.norms):
        assert np.array_equal(evaluated.running_mean, trained.running_mean)
        assert np.array_equal(evaluated.running_var, trained.running_var)
    for bad in (y_test[:, None], y_test[:-1], y_test.astype(float)):
        with pytest.raises(ValueError, match="evaluate's y"):
            comparison.training_run(make, X, y, steps=1, evaluate=(X_test, bad))
