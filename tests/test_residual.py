"""The residual MLP (lib.network.ResidualMLP) and Fixup (lib.initializers.fixup_init, fixup_scale)."""

import numpy as np
import pytest

from lib import initializers
from lib.experiments.reading_list_methods import residual_stream_variances, train_residual
from lib.gradcheck import network_gradient_errors
from lib.network import ResidualMLP


def perturbed(net, rng, scale=0.3):
    """The net with every parameter moved off its initial value (scalars away from 0 and 1)."""
    for k, v in net.params.items():
        net.params[k] = np.array(v + scale * rng.standard_normal(np.shape(v)))
    return net


@pytest.mark.parametrize("branch_layers", [1, 2, 3])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_backward_matches_numerical_gradients(branch_layers, loss):
    rng = np.random.default_rng(0)
    X, labels = rng.standard_normal((6, 5)), rng.integers(0, 3, size=6)
    y = np.eye(3)[labels] if loss == "mse" else labels
    net = perturbed(ResidualMLP(5, 4, 3, blocks=2, rng=rng, branch_layers=branch_layers, loss=loss), rng)
    errors = network_gradient_errors(net, X, y)
    assert max(errors.values()) < 1e-7, errors


def test_forward_matches_a_hand_computation():
    net = ResidualMLP(1, 1, 1, blocks=1, rng=np.random.default_rng(0), branch_layers=2, loss="mse")
    net.params.update({
        "W_in": np.array([[2.0]]), "b_in": np.array([0.5]),  # x0 = [2.5, -1.5]
        "p1_1": np.array(0.5), "q1_1": np.array(-1.0), "W1_1": np.array([[3.0]]),  # u = [2, -1], a = [6, -3]
        "p1_2": np.array(0.0), "q1_2": np.array(0.5), "W1_2": np.array([[-1.0]]),  # u = [6.5, 0.5], a = -u
        "s1": np.array(2.0), "r1": np.array(1.0),  # x1 = x0 + 2 a + 1 = [-9.5, -1.5]
        "p_out": np.array(10.0), "q_out": np.array(0.0), "W_out": np.array([[2.0]]), "b_out": np.array([1.0]),
    })
    scores = net.forward(np.array([[1.0], [-1.0]]))  # relu(x1 + 10) = [0.5, 8.5]; 2 * that + 1
    np.testing.assert_allclose(scores, [[2.0], [18.0]])
    np.testing.assert_allclose(net.stream[1].ravel(), [-9.5, -1.5])
    assert net.loss(np.array([[1.0], [-1.0]]), np.array([[0.0], [0.0]])) == pytest.approx((4 + 324) / 4)


def test_he_init_doubles_the_variance_per_block():
    """Var(x + F(x)) = Var(x) + Var(F(x)) and a ReLU branch with Kaiming weights keeps the second
    moment, so each block doubles the variance in expectation (Fixup's 2^L)."""
    ratios = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        net = ResidualMLP(16, 256, 10, blocks=1, rng=rng)
        net.forward(rng.standard_normal((256, 16)))
        ratios.append(np.var(net.stream[1]) / np.var(net.stream[0]))
    assert np.mean(ratios) == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize("blocks,branch_layers,expected", [(16, 2, 0.25), (8, 3, 8 ** -0.25), (81, 3, 1 / 3),
                                                           (64, 4, 0.5), (1, 2, 1.0), (100, 2, 0.1)])
def test_fixup_scale_is_L_to_the_minus_one_over_2m_minus_2(blocks, branch_layers, expected):
    assert initializers.fixup_scale(blocks, branch_layers) == pytest.approx(expected, rel=1e-12)


def test_fixup_init_zeroes_branches_and_classifier_and_scales_the_rest():
    rng = np.random.default_rng(0)
    net = ResidualMLP(20, 400, 10, blocks=16, rng=rng, branch_layers=2, init="fixup")
    p = net.params
    assert all(not p[f"W{i}_2"].any() for i in range(1, 17)) and not p["W_out"].any() and not p["b_out"].any()
    # He std sqrt(2 / 400) times 16^(-1/2)
    assert np.std(p["W3_1"]) == pytest.approx(np.sqrt(2 / 400) / 4, rel=0.02)
    assert np.std(p["W_in"]) == pytest.approx(np.sqrt(1 / 20), rel=0.03)
    assert all(p[f"s{i}"] == 1 and p[f"r{i}"] == 0 and p[f"p{i}_1"] == 0 for i in range(1, 17))
    X = rng.standard_normal((50, 20))
    assert not net.forward(X).any()  # scores are 0
    np.testing.assert_array_equal(net.stream[-1], net.stream[0])


def test_fixup_stream_variance_is_flat_and_he_grows_like_2_to_the_L():
    X = np.random.default_rng(0).standard_normal((128, 64))
    for blocks in (4, 12):
        fixup = residual_stream_variances(X, blocks, "fixup")
        he = residual_stream_variances(X, blocks, "he")
        assert np.all(fixup == fixup[0])
        assert 0.5 * blocks < np.log2(he[-1] / he[0]) < 1.5 * blocks


def test_fixup_trains_where_he_diverges():
    fixup, he = train_residual("fixup", blocks=8, lr=0.05, steps=100), train_residual("he", blocks=8, lr=0.05,
                                                                                       steps=100)
    assert fixup["diverged_at"] is None and fixup["losses"][-10:].mean() < 0.3 and fixup["test_accuracy"] > 0.9
    assert he["diverged_at"] is not None and he["test_accuracy"] is None


def test_scalars_are_learned():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 5)), rng.integers(0, 3, size=20)
    net = perturbed(ResidualMLP(5, 8, 3, blocks=2, rng=rng, init="fixup"), rng, 0.1)
    _, grads = net.loss_and_grads(X, y)
    assert all(grads[k].shape == () and grads[k] != 0 for k in ("s1", "r2", "p1_1", "q2_2", "p_out", "q_out"))


def test_bad_arguments_raise_clear_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="m >= 2"):
        ResidualMLP(5, 4, 3, blocks=2, rng=rng, branch_layers=1, init="fixup")
    with pytest.raises(ValueError, match="init"):
        ResidualMLP(5, 4, 3, blocks=2, rng=rng, init="xavier")
    with pytest.raises(ValueError, match="branch_layers"):
        initializers.fixup_scale(4, 1)
    with pytest.raises(TypeError, match="rng"):
        ResidualMLP(5, 4, 3, blocks=2, rng=0)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 5\)"):
        ResidualMLP(5, 4, 3, blocks=2, rng=rng).forward(np.zeros((3, 4)))


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


def test_an_empty_batch_or_nan_scores_are_refused():
    """Before #24 the loss of an empty batch was NaN with a RuntimeWarning, and NaN scores class 0."""
    rng = np.random.default_rng(0)
    net = ResidualMLP(5, 4, 3, blocks=2, rng=rng)
    with pytest.raises(ValueError, match="^X has no rows"):
        net.loss(np.zeros((0, 5)), np.zeros(0, int))
    with pytest.raises(ValueError, match="^X has no rows"):
        net.loss_and_grads(np.zeros((0, 5)), np.zeros(0, int))
    with pytest.raises(ValueError, match=r"^the scores of 1 rows of X \(first: row 1\) are NaN"):
        net.predict(np.array([[0.0] * 5, [np.nan] + [0.0] * 4]))


@pytest.mark.parametrize("blocks,branch_layers", [(0, 2), (1, 2), (2, 3)])
def test_fixup_init_makes_exactly_the_networks_parameters_at_their_starting_values(blocks, branch_layers):
    """Every parameter of the docstring's list, no other (no block 0 or L + 1, no layer 0), with
    Fixup's starting values: multipliers 1, scalar biases 0, last branch layers and classifier 0."""
    net = ResidualMLP(5, 4, 3, blocks=blocks, rng=np.random.default_rng(0), branch_layers=branch_layers, init="fixup")
    expected = {"W_in", "b_in", "p_out", "q_out", "W_out", "b_out"}
    for i in range(1, blocks + 1):
        expected |= {f"s{i}", f"r{i}"} | {f"{k}{i}_{j}" for k in "Wpq" for j in range(1, branch_layers + 1)}
    assert set(net.params) == expected
    for name, value in net.params.items():
        if name[0] in "pqr":
            assert value == 0.0, name
        elif name[0] == "s":
            assert value == 1.0, name
    assert not net.params["W_out"].any() and not net.params["b_out"].any() and not net.params["b_in"].any()


def test_fixup_init_draws_the_stem_and_the_scaled_branch_layers_in_order():
    """With the same seed: the stem LeCun normal (5, 4), then block by block the first m - 1 branch
    layers, Kaiming normal times L^(-1/(2m-2)) (here 2^(-1/4))."""
    net = ResidualMLP(5, 4, 3, blocks=2, rng=np.random.default_rng(0), branch_layers=3, init="fixup")
    z = np.random.default_rng(0).standard_normal(5 * 4 + 4 * 16)
    np.testing.assert_allclose(net.params["W_in"], z[:20].reshape(5, 4) / np.sqrt(5), rtol=1e-13)
    scale = np.sqrt(2 / 4) * 2 ** -0.25
    for k, name in enumerate(["W1_1", "W1_2", "W2_1", "W2_2"]):
        np.testing.assert_allclose(net.params[name], scale * z[20 + 16 * k:36 + 16 * k].reshape(4, 4), rtol=1e-13)
    assert not net.params["W1_3"].any() and not net.params["W2_3"].any()


def test_fixup_init_needs_a_residual_network():
    from lib.network import MLP

    with pytest.raises(TypeError, match="^fixup_init needs a lib.network.ResidualMLP"):
        initializers.fixup_init(MLP([4, 3], np.random.default_rng(0)), np.random.default_rng(0))


@pytest.mark.parametrize("call,error,message", [
    (lambda: initializers.fixup_scale(0, 2), ValueError, "blocks must be an int >= 1, got 0$"),
    (lambda: initializers.fixup_scale(2.0, 2), TypeError, "blocks must be an int, got 2.0$"),
    (lambda: initializers.fixup_scale(2, 1), ValueError, "branch_layers must be an int >= 2, got 1$"),
    (lambda: initializers.fixup_scale(2, "3"), TypeError, "branch_layers must be an int, got '3'$"),
])
def test_fixup_scale_refuses_what_has_no_scale(call, error, message):
    with pytest.raises(error, match="^" + message):
        call()


@pytest.mark.parametrize("call,error,message", [
    (lambda rng: ResidualMLP("5", 4, 3, 2, rng), TypeError, "D must be an int, got '5'$"),
    (lambda rng: ResidualMLP(0, 4, 3, 2, rng), ValueError, "D must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4.0, 3, 2, rng), TypeError, "width must be an int, got 4.0$"),
    (lambda rng: ResidualMLP(5, 0, 3, 2, rng), ValueError, "width must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4, None, 2, rng), TypeError, "C must be an int, got None$"),
    (lambda rng: ResidualMLP(5, 4, 0, 2, rng), ValueError, "C must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4, 3, "2", rng), TypeError, "blocks must be an int, got '2'$"),
    (lambda rng: ResidualMLP(5, 4, 3, -1, rng), ValueError, "blocks must be an int >= 0, got -1$"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, branch_layers=1.0), TypeError, "branch_layers must be an int, got 1.0$"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, branch_layers=0), ValueError, "branch_layers must be an int >= 1, got 0$"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, loss="hinge"), ValueError, "loss must be one of 'cross_entropy', 'mse'"),
    (lambda rng: ResidualMLP(5, 4, 3, 2, rng, init="xavier"), ValueError, "init must be one of 'he', 'fixup'"),
])
def test_each_argument_is_named_in_its_error(call, error, message):
    with pytest.raises(error, match="^" + message):
        call(np.random.default_rng(0))


def test_no_stream_before_the_first_forward_pass():
    assert ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0)).stream == []


def test_he_init_defaults_two_layers_per_branch_and_neutral_scalars():
    net = ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0))
    assert net.branch_layers == 2 and "W1_2" in net.params and "W1_3" not in net.params
    assert all(net.params[k] == 0.0 for k in ("p_out", "q_out", "p1_1", "q1_2", "r1")) and net.params["s1"] == 1.0


def test_relu_derivative_at_exactly_0_is_0_as_in_pytorch():
    """X = 0 and b_in = 0 put every pre-activation at exactly 0: no gradient flows through a ReLU
    there, so the scalar bias before it gets none (p_out = 1 opens the output's ReLU, to test the
    branches' alone)."""
    net = ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0))
    X, y = np.zeros((3, 5)), np.array([0, 0, 1])  # (with labels 0, 1, 2 the sum over rows would be 0 anyway)
    _, grads = net.loss_and_grads(X, y)
    assert grads["p_out"] == 0.0
    net.params["p_out"] = np.array(1.0)
    _, grads = net.loss_and_grads(X, y)
    assert grads["p_out"] != 0.0 and grads["p1_1"] == 0.0 and grads["p1_2"] == 0.0


def test_forward_names_x():
    with pytest.raises(TypeError, match="^X must be a real numeric array"):
        ResidualMLP(5, 4, 3, blocks=1, rng=np.random.default_rng(0)).forward(np.full((2, 5), "a"))
