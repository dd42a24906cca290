"""What the normalization page measures: `lib.experiments.normalization`, against values worked out
by hand or by a second computation."""

import numpy as np
import pytest

from lib.comparison import Sweep, sweep
from lib.experiments import normalization as ex
from lib.network import steps_to_reach


def test_running_average_conventions_by_hand():
    """PyTorch momentum 0.1 from 0: 0.1 * 1 = 0.1, then 0.9 * 0.1 + 0.1 * 2 = 0.29; Keras's
    momentum 0.9 is the same average, its 0.1 the opposite weighting."""
    np.testing.assert_allclose(ex.running_average([1.0, 2.0], 0.1), [0.1, 0.29], rtol=1e-15)
    np.testing.assert_allclose(ex.running_average([1.0, 2.0], 0.9, "keras"), [0.1, 0.29], rtol=1e-14)
    np.testing.assert_allclose(ex.running_average([1.0, 2.0], 0.1, "keras", start=1.0), [1.0, 1.9], rtol=1e-15)
    with pytest.raises(ValueError, match="convention"):
        ex.running_average([1.0], 0.1, "tensorflow")
    with pytest.raises(ValueError, match="momentum"):
        ex.running_average([1.0], -0.1)


def test_gradient_check_of_both_normalizations_is_tight():
    for name in ("BatchNorm", "LayerNorm"):
        errors = ex.gradient_check(name)
        assert set(errors) == {"dx", "dgamma", "dbeta"} and max(errors.values()) < 1e-8
    with pytest.raises(ValueError, match="name"):
        ex.gradient_check("GroupNorm")


def fake_sweep(losses_per_rate, rates):
    n = len(losses_per_rate[0])
    shape = (len(rates), n)
    return Sweep(tuple(rates), tuple(range(n)), 1.0, 10, np.zeros(shape), np.zeros(shape), np.zeros(shape),
                 tuple(tuple(np.asarray(l, float) for l in row) for row in losses_per_rate), np.zeros(shape, bool))


def test_largest_stable_rate_reads_each_seed():
    full_down = np.linspace(2.3, 1.5, 40)  # all 40 steps, ends below its start: stable
    reached = np.r_[np.linspace(2.3, 1.2, 10), np.full(10, 0.9)]  # stopped at the target: stable
    diverged = np.array([2.3, 5.0, 12.0])  # stopped early above the target: not stable
    flat_up = np.linspace(2.3, 2.4, 40)  # all steps, ends above its start: not stable
    runs = fake_sweep([[full_down, reached], [reached, reached], [reached, diverged], [flat_up, reached]],
                      [0.1, 0.3, 1.0, 3.0])
    assert ex.largest_stable_rate(runs, steps=40, target=1.0) == 0.3
    assert ex.largest_stable_rate(fake_sweep([[diverged]], [1.0]), steps=40, target=1.0) is None


def test_digits_run_stops_at_the_target_or_on_divergence_and_is_deterministic():
    run = ex.digits_run("batch", 3, 0.1, steps=30, target=np.inf)
    result = run(0.1, 0)
    assert len(result["losses"]) == 10  # the first running mean of 10 losses is <= inf
    assert run(0.1, 0)["losses"] == result["losses"]
    assert 0 <= result["accuracy"] <= 1
    assert len(ex.digits_run(None, 3, 1.0, steps=30)(1e4, 0)["losses"]) < 30  # diverged, stopped
    # stopping at the target changes no step count: the same run without stopping, counted afterwards
    full = ex.digits_run("batch", 3, 0.1, steps=30, target=-np.inf)(0.3, 0)["losses"]
    runs = sweep(ex.digits_run("batch", 3, 0.1, steps=30, target=0.8), [0.3], [0], 0.8, window=10)
    assert len(full) == 30 and 10 < runs.steps[0, 0] < 30
    assert runs.steps[0, 0] == steps_to_reach(full, 0.8, window=10) == len(runs.losses[0][0])
    assert list(runs.losses[0][0]) == full[:len(runs.losses[0][0])]


def test_small_batch_run_modes():
    """Without normalization the two ways of evaluating are the same network; with BN they differ."""
    plain = ex.small_batch_run("no norm", 8, 0)
    assert plain["eval"] == plain["batch statistics"]
    bn = ex.small_batch_run("BN", 4, 0)
    assert bn["eval"] != bn["batch statistics"] and all(0 <= v <= 1 for v in bn.values())
    with pytest.raises(ValueError, match="batch_size"):
        ex.small_batch_run("BN", 1, 0)
    with pytest.raises(ValueError, match="norm"):
        ex.small_batch_run("GN", 8, 0)


def test_gradient_smoothness_shapes_and_a_linear_model_bound():
    betas, losses = ex.gradient_smoothness(None, 0, steps=20, every=10)
    assert betas.shape == (2,) and losses.shape == (20,) and np.all(betas > 0)
    betas2, _ = ex.gradient_smoothness(None, 0, steps=20, every=10)
    np.testing.assert_array_equal(betas, betas2)


def test_sizes():
    assert ex.sizes(3) == [64, 32, 32, 10] and ex.sizes(1) == [64, 10]
    with pytest.raises(ValueError, match="depth"):
        ex.sizes(0)


def test_tie_back_sweep_equals_one_run_by_hand():
    # the SELU network at lr 0.1, seed 0, rebuilt and trained step by step with `train`, counted afterwards
    from lib import data
    from lib.network import MLP, train
    X, _, y, _ = data.standardized_digits()
    rng = np.random.default_rng(0)
    net = MLP([64] + [32] * 9 + [10], rng, "selu", init="lecun_normal")
    losses = []
    for _ in range(ex.MAP_STEPS):
        losses += train(net, X, y, rng, steps=1, lr=0.1, batch_size=64)["loss"]
    expected = steps_to_reach(losses, ex.MAP_TARGET, window=10)
    runs = ex.tie_back(methods=("SELU",), rates=(0.1,), seeds=(0,))["SELU"]
    assert expected is not None and runs.steps[0, 0] == expected
    assert list(runs.losses[0][0]) == losses[:expected]


def test_tie_back_nets_start_as_their_methods_say():
    from lib import data
    X = data.standardized_digits()[0]
    fixup = ex.tie_back_net("Fixup", np.random.default_rng(0))
    assert fixup.blocks == 4 and fixup.branch_layers == 2  # 1 + 2 * 4 + 1 = 10 weight layers
    assert np.array_equal(fixup.forward(X[:5]), np.zeros((5, 10)))  # zero classifier
    assert np.array_equal(fixup.stream[-1], fixup.stream[0])  # every branch starts at 0
    lsuv = ex.tie_back_net("LSUV", np.random.default_rng(0))
    lsuv.forward(X[:ex.BATCH])
    assert all(abs(np.var(z) - 1) < 0.1 for z in lsuv.pre_activations)  # LSUV's tolerance, by numpy
    selu = ex.tie_back_net("SELU", np.random.default_rng(0))
    assert abs(np.std(selu.params["W5"]) * np.sqrt(32) - 1) < 0.1  # LeCun: std 1/sqrt(fan_in)
    bn = ex.tie_back_net("BN", np.random.default_rng(0))
    assert len(bn.norms) == 9 and abs(np.std(bn.params["W5"]) - ex.TIE_BN_STD) < 0.05
    with pytest.raises(ValueError, match="depth"):
        ex.tie_back_net("Fixup", np.random.default_rng(0), depth=9)
    with pytest.raises(ValueError, match="method"):
        ex.tie_back_net("GN", np.random.default_rng(0))
