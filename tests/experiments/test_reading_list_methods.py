"""What the reading list's second page measures: `lib.experiments.reading_list_methods` (Krähenbühl
et al.'s stages, Fixup on a residual MLP, lottery tickets checked round by round)."""

import numpy as np
import pytest

from lib import data, pruning
from lib.experiments import reading_list_methods
from lib.comparison import sweep
from lib.experiments.reading_list_methods import lottery_ticket, residual_run, residual_stream_variances
from lib.network import MLP, train

SIZES = (64, 64, 32, 10)
NAMES = ["W1", "W2", "W3"]
FRACTIONS = {"W1": 0.36, "W2": 0.36, "W3": 0.19}


def test_lottery_ticket_prunes_on_schedule_and_trains_both_networks():
    run = lottery_ticket(0, rounds=2, steps=30)
    total = 64 * 64 + 64 * 32 + 32 * 10
    first = 64 * 64 - round(0.36 * 64 * 64) + 64 * 32 - round(0.36 * 64 * 32) + 320 - round(0.19 * 320)
    np.testing.assert_allclose(run["remaining"][:2], [1.0, first / total])
    assert np.all(run["ticket"] > 0.5) and np.all(run["random"] > 0.5)  # both learn (chance is 0.1)
    assert run["rescaled"][0] == run["random"][0]  # dense: density 1, nothing to rescale
    assert run["rescaled_rms"][0] == run["random_rms"][0]
    assert run["ticket_rms"][0] == pytest.approx(run["random_rms"][0], rel=0.1)  # both Kaiming, dense
    assert run["ticket_rms"][2] > run["ticket_rms"][0]  # magnitude pruning keeps large initial weights


def _spy_on_lottery_ticket(monkeypatch, **kwargs):
    """Run `lottery_ticket` recording every training run (parameters before and after, masks) and
    every pruning round (the parameters ranked, the masks, the new masks)."""
    trainings, prunings = [], []
    real_train, real_prune_round = reading_list_methods.train, pruning.prune_round

    def spy_train(net, *args, masks=None, **kw):
        before = {k: v.copy() for k, v in net.params.items()}
        history = real_train(net, *args, masks=masks, **kw)
        trainings.append((before, {k: m.copy() for k, m in masks.items()},
                          {k: v.copy() for k, v in net.params.items()}))
        return history

    def spy_prune_round(params, masks, fractions):
        new = real_prune_round(params, masks, fractions)
        prunings.append(({k: v.copy() for k, v in params.items()}, masks, dict(fractions), new))
        return new

    monkeypatch.setattr(reading_list_methods, "train", spy_train)
    monkeypatch.setattr(pruning, "prune_round", spy_prune_round)
    return lottery_ticket(**kwargs), trainings, prunings


def test_lottery_ticket_follows_the_method_round_by_round(monkeypatch):
    """Frankle & Carbin's iterative magnitude pruning, step by step: every ticket starts from
    theta_0 (rewinding, not the trained weights) times its mask; the control starts from another
    initialization times the same mask; the next mask prunes the ticket's trained weights (not the
    control's) by magnitude, among the remaining ones only; and each round keeps exactly the
    schedule's number of weights."""
    rounds = 3
    run, trainings, prunings = _spy_on_lottery_ticket(monkeypatch, seed=0, rounds=rounds, steps=15)
    theta0 = MLP(list(SIZES), np.random.default_rng(0)).params  # the experiment's initialization
    control0 = MLP(list(SIZES), np.random.default_rng(1000)).params  # the control's, seed 1000 + seed
    assert not np.allclose(theta0["W1"], control0["W1"])
    assert len(trainings) == 3 * (rounds + 1) and len(prunings) == rounds + 1
    masks = {k: np.ones(np.shape(theta0[k])) for k in NAMES}
    kept = {k: np.size(theta0[k]) for k in NAMES}
    for r in range(rounds + 1):
        (ticket_start, ticket_masks, ticket_trained), (control_start, control_masks, _), (rescaled_start, _, _) = \
            trainings[3 * r:3 * r + 3]
        for k in theta0:
            mask = masks.get(k, 1.0)
            np.testing.assert_array_equal(ticket_start[k], theta0[k] * mask, err_msg=f"ticket, round {r}, {k}")
            np.testing.assert_array_equal(control_start[k], control0[k] * mask, err_msg=f"control, round {r}, {k}")
            # the rescaled control: the same draw times sqrt(all / kept) of its layer (biases as drawn)
            scale = np.sqrt(np.size(theta0[k]) / kept[k]) if k in kept else 1.0
            np.testing.assert_allclose(rescaled_start[k], control0[k] * mask * scale, rtol=1e-15,
                                       err_msg=f"rescaled control, round {r}, {k}")
        for k in NAMES:
            np.testing.assert_array_equal(ticket_masks[k], masks[k])
            np.testing.assert_array_equal(control_masks[k], masks[k])
            assert masks[k].sum() == kept[k], f"round {r}, {k}"
        assert run["remaining"][r] == pytest.approx(sum(kept.values()) / sum(np.size(theta0[k]) for k in NAMES))
        ranked, _, fractions, new = prunings[r]
        assert fractions == FRACTIONS
        for k in NAMES:
            np.testing.assert_array_equal(ranked[k], ticket_trained[k], err_msg=f"ranked weights, round {r}, {k}")
            np.testing.assert_array_equal(new[k], pruning.prune_by_magnitude(ticket_trained[k], masks[k], FRACTIONS[k]))
            kept[k] -= int(round(FRACTIONS[k] * kept[k]))
        masks = new


def test_lottery_tickets_remaining_fraction_follows_the_schedule_in_every_round():
    run = lottery_ticket(1, rounds=4, steps=10)
    sizes, fractions = [64 * 64, 64 * 32, 32 * 10], [0.36, 0.36, 0.19]
    expected = []
    for _ in range(5):
        expected.append(sum(sizes) / (64 * 64 + 64 * 32 + 32 * 10))
        sizes = [n - int(round(f * n)) for n, f in zip(sizes, fractions)]
    np.testing.assert_allclose(run["remaining"], expected, rtol=0, atol=1e-15)


def test_krahenbuhl_stages_measure_what_each_algorithm_promises():
    from lib.experiments.reading_list_methods import krahenbuhl_stages

    X = np.random.default_rng(0).standard_normal((64, 10))
    stats, rates, rounds, change = krahenbuhl_stages(X, depth=6, width=12)
    within = stats["within"]  # columns: mean, std, max |unit mean|, min and max unit std
    np.testing.assert_allclose(within[:, [0, 2]], 0, atol=1e-12)
    np.testing.assert_allclose(within[:, [1, 3, 4]], 1, rtol=1e-12)
    assert np.all(stats["Gaussian 0.01"][1:, 1] < stats["Gaussian 0.01"][:-1, 1])  # the signal fades
    np.testing.assert_allclose(rates["within+between"], np.exp(np.mean(np.log(rates["within"]))), rtol=1e-10)
    assert rounds == 1 and change < 1e-12


def test_preactivation_stats_of_a_one_layer_net_by_hand():
    from lib.experiments.reading_list_methods import preactivation_stats
    from lib.network import MLP, train

    net = MLP([1, 2], np.random.default_rng(0))
    net.params["W1"], net.params["b1"] = np.array([[1.0, 2.0]]), np.array([0.0, 1.0])
    # z = [[1, 3], [-1, -1]]: unit means 0 and 1, unit stds 1 and 2; all entries: mean 0.5, std sqrt(2.75)
    np.testing.assert_allclose(preactivation_stats(net, np.array([[1.0], [-1.0]])),
                               [[0.5, np.sqrt(2.75), 1.0, 1.0, 2.0]])


def test_fixup_stream_variance_is_flat_and_he_grows_like_2_to_the_L():
    X = np.random.default_rng(0).standard_normal((128, 64))
    for blocks in (4, 12):
        fixup = residual_stream_variances(X, blocks, "fixup")
        he = residual_stream_variances(X, blocks, "he")
        assert np.all(fixup == fixup[0])
        assert 0.5 * blocks < np.log2(he[-1] / he[0]) < 1.5 * blocks


def test_fixup_trains_where_he_diverges():
    runs = {init: sweep(residual_run(init, steps=100), [0.05], [0], target=0.3, window=10) for init in ("he", "fixup")}
    fixup, he = runs["fixup"], runs["he"]
    assert fixup.final_loss[0, 0] < 0.3 and fixup.accuracy[0, 0] > 0.9 and len(fixup.losses[0][0]) == 100
    assert len(he.losses[0][0]) < 100  # stopped: its loss rose above 4 times its start
    assert he.steps[0, 0] == np.inf


def test_residual_run_names_a_bad_init():
    with pytest.raises(ValueError, match="init"):
        residual_run("xavier")


def test_fixups_scale_keeps_the_effect_of_a_branch_step_independent_of_depth():
    """Fixup's argument for L^(-1/(2m-2)): a step on the branches moves the output by O(1) in L;
    without the scale (zero last layers only) by O(L)."""
    from lib.experiments.reading_list_methods import branch_step_change

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((64, 10)), rng.integers(0, 4, size=64)
    fixup = [branch_step_change(X, y, L, True) for L in (1, 16)]
    plain = [branch_step_change(X, y, L, False) for L in (1, 16)]
    assert fixup[0] == plain[0]  # one block: the scale is 1
    assert 0.5 < fixup[1] / fixup[0] < 2 and plain[1] / plain[0] > 8


def test_start_run_trains_the_initialized_net_as_plain_momentum_sgd_would():
    run = reading_list_methods.start_run("LSUV", depth=4, width=8, steps=6, batch_rows=64)
    X, _, y, _ = data.standardized_digits()
    rng = np.random.default_rng(2)
    net, _ = reading_list_methods.initialized_net("LSUV", X[:64], rng, depth=4, width=8)
    losses = train(net, X, y, rng, steps=6, lr=0.01, momentum=0.9, batch_size=64)["loss"]
    result = run(0.01, 2)
    np.testing.assert_array_equal(result["losses"], losses)
    assert result["accuracy"] == net.accuracy(X, y)
