"""The checking engine itself (lib.exercises.checking): what it rejects, what it accepts, the one way it
calls code, its warning policy and its hint rule, and that nothing a learner's function does can make
it raise or change what it checks. Expected numbers come from `math`, not from lib. The exercises
themselves are tested from their records in test_exercises.py."""

import functools
import math
import sys
import warnings

import numpy as np
import pytest
from scipy.special import expit

from lib import activations as act
from lib.exercises import checking as checks
from lib.exercises.checking import DEFAULT_INPUTS, EXTREME_INPUTS, CheckResult, check_function

EXTREMES = "-10000, -800, -50, 50, 800 and 10000"


def stable_sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def elu_grad(x, alpha=1.0):
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def assert_fails(result, *parts, name=None):
    """A failing result: one paragraph starting with '✗ <name> ' and containing every part."""
    assert isinstance(result, CheckResult) and not result.passed and not result
    assert "\n" not in result.message
    assert result.message.startswith(f"✗ {name} " if name else "✗ "), result.message
    for part in parts:
        assert part in result.message, result.message


# --- inputs ---

def test_default_inputs_are_the_documented_points_and_read_only():
    expected = [-6 + 0.1 * i for i in range(121)] + [-30, -1e-8, 0, 1e-8, 30]
    np.testing.assert_allclose(DEFAULT_INPUTS, expected, rtol=0, atol=1e-12)
    assert EXTREME_INPUTS.tolist() == [-1e4, -800, -50, 50, 800, 1e4]
    for array in (DEFAULT_INPUTS, EXTREME_INPUTS):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0


def test_a_notebook_rebinding_the_defaults_does_not_change_the_check(monkeypatch):
    monkeypatch.setattr(checks, "DEFAULT_INPUTS", np.zeros(3))
    monkeypatch.setattr(checks, "EXTREME_INPUTS", np.zeros(3))
    result = check_function(stable_sigmoid, act.sigmoid)
    assert result.passed
    assert f"all 126 inputs from -30 to 30 and on the extreme inputs {EXTREMES}" in result.message


def test_the_function_gets_a_writeable_copy_of_the_inputs():
    seen = []

    def spy(x):
        seen.append(x)
        return np.maximum(x, 0.0)

    mine = np.array([-2.0, 3.0])
    assert check_function(spy, act.relu, inputs=mine, extreme=False).passed
    assert check_function(spy, act.relu).passed
    x_mine, x_default = seen
    assert x_mine.flags.writeable and not np.shares_memory(x_mine, mine)
    assert x_default.flags.writeable and not np.shares_memory(x_default, DEFAULT_INPUTS)


def test_extreme_inputs_are_added_where_the_reference_is_finite():
    seen = []

    def spy(x):
        seen.append(x.copy())
        return np.exp(x)

    check_function(spy, np.exp)  # exp(800) and exp(1e4) are inf: those two are left out
    assert seen[0].size == 130 and seen[0][126:].tolist() == [-1e4, -800, -50, 50]
    check_function(spy, np.exp, extreme=False)
    assert seen[-1].size == 126
    check_function(spy, np.exp, inputs=[1.0, -50.0])  # -50 is not repeated
    assert seen[-1].tolist() == [1.0, -50.0, -1e4, -800, 50]


# --- what passes ---

def test_a_correct_answer_passes_with_a_message_naming_what_was_checked():
    result = check_function(expit, act.sigmoid)
    assert result.passed and bool(result)
    shown = repr(result)  # what a notebook prints: the same words, in lines of at most 76 characters
    assert shown.split() == result.message.split() and max(map(len, shown.splitlines())) <= 76
    assert len(shown.splitlines()) > 1  # this message is longer than one line
    assert result.message == ("✓ expit matches the reference on all 126 inputs from -30 to 30 and on the "
                              f"extreme inputs {EXTREMES}, with no floating-point warning.")
    small = check_function(act.relu, act.relu, inputs=[-1.0, 2.0], extreme=False)
    assert small.message == ("✓ relu matches the reference on all 2 inputs from -1 to 2, "
                             "with no floating-point warning.")


@pytest.mark.parametrize("fn", [
    lambda x: np.array([1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in x]),
    lambda x: np.piecewise(x, [x >= 0], [lambda v: 1 / (1 + np.exp(-v)), lambda v: 1 - 1 / (1 + np.exp(v))]),
    lambda x: 0.5 * (1 + np.tanh(x / 2)),  # off by ~1e-16 absolute: within atol
    lambda x: np.array([float(v) for v in stable_sigmoid(x)], dtype=object),  # numbers, if in an odd array
    lambda x: stable_sigmoid(x).astype(np.float32),
], ids=["loop", "piecewise", "tanh", "object-array", "float32"])
def test_correct_answers_written_differently_pass(fn):
    result = check_function(fn, act.sigmoid)
    assert result.passed, result.message


def test_library_code_that_silences_internally_is_not_the_learners_doing():
    def with_isclose(x):  # np.isclose uses np.errstate(invalid="ignore") inside numpy
        y = stable_sigmoid(x)
        assert np.isclose(y, y).all()
        return y

    def stricter(x):  # raising instead of warning hides nothing
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return stable_sigmoid(x)

    for fn in (with_isclose, stricter):
        assert check_function(fn, act.sigmoid).passed


def test_bool_and_integer_results_count_as_numbers():
    assert check_function(lambda x: x > 0, act.relu_grad).passed
    assert check_function(lambda x: (x > 0).astype(int), act.relu_grad).passed


# --- what fails, and what the message says ---

def test_wrong_values_name_the_first_wrong_input_expected_and_got():
    result = check_function(lambda x: np.where(x > 0, 1.0, -np.exp(np.minimum(x, 0))), elu_grad, name="g")
    assert_fails(result, f"wrong at x = -6: expected {math.exp(-6):.6g}, got {-math.exp(-6):.6g}",
                 "The sign is flipped.", name="g")


@pytest.mark.parametrize("fn,part", [
    (lambda x, alpha: elu_grad(x, 1.0), "It is off by a factor of 2 wherever it is wrong."),  # alpha = 0.5
    (lambda x, alpha: elu_grad(x, alpha) + np.where(x > 0, 0.0, 0.25), "It is off by +0.25 wherever"),
    (lambda x, alpha: np.where(x >= 0, 1.0, elu_grad(x, alpha)), "Only x = 0 is wrong: which branch"),
])
def test_a_pattern_in_the_wrong_values_is_named(fn, part):
    assert_fails(check_function(fn, elu_grad, alpha=0.5), "with alpha = 0.5", part)


def test_tiny_values_count_relative_tolerance_elsewhere():
    clipped = check_function(lambda x: stable_sigmoid(np.clip(x, -21, 21)), act.sigmoid, name="clipped")
    assert_fails(clipped, f"wrong at x = -30: expected {1 / (1 + math.exp(30)):.6g}, "
                          f"got {1 / (1 + math.exp(21)):.6g} (4 of 132 inputs wrong)")
    assert not check_function(lambda x: stable_sigmoid(x) + 1e-13, act.sigmoid).passed
    assert check_function(lambda x: stable_sigmoid(x) * (1 + 1e-7), act.sigmoid).passed
    assert not check_function(lambda x: stable_sigmoid(x) * (1 + 1e-5), act.sigmoid).passed
    assert check_function(lambda x: stable_sigmoid(x) + 1e-13, act.sigmoid, atol=1e-12).passed


def test_nan_must_match_nan():
    assert check_function(act.relu, act.relu, inputs=[np.nan, 1.0], extreme=False).passed
    assert_fails(check_function(lambda x: np.nan_to_num(act.relu(x)), act.relu, inputs=[np.nan, 1.0]),
                 "wrong at x = nan: expected nan, got 0")


def test_an_overflow_names_the_first_input_that_warns():
    naive = check_function(lambda x: 1 / (1 + np.exp(-x)), act.sigmoid, name="naive")
    assert naive.message == ("✗ naive gave a floating-point warning at x = -10000: overflow encountered in exp. "
                             "Rewrite it so no step overflows.")
    overflow_prone = check_function(lambda x, alpha: np.where(x > 0, 1.0, alpha * np.exp(x)), elu_grad,
                                    params={"alpha": [0.5]})
    assert_fails(overflow_prone, "warning at x = 800 with alpha = 0.5: overflow encountered in exp")

    def sin_x_over_x(x):
        return np.where(x == 0, 1.0, np.sin(x) / np.where(x == 0, 1.0, x))

    divide = check_function(lambda x: np.where(x == 0, 1.0, np.sin(x) / x), sin_x_over_x, extreme=False)
    assert_fails(divide, "warning at x = 0: invalid value encountered in divide", "no step makes an inf or a NaN")


def test_a_warning_only_the_whole_array_gives_is_still_reported():
    def batch_overflow(x):  # exp(10 * 132) overflows; exp(10 * 1) on one input does not
        return stable_sigmoid(x) + 0 * np.exp(10.0 * x.size)

    assert_fails(check_function(batch_overflow, act.sigmoid, name="b"),
                 "✗ b gave a floating-point warning: overflow encountered in exp")


def test_other_warnings_are_not_floating_point_problems():
    def chatty(x):
        warnings.warn("just saying")
        return stable_sigmoid(x)

    assert check_function(chatty, act.sigmoid).passed


def quiet_exp(x):
    with np.errstate(over="ignore"):
        return np.exp(x)


@np.errstate(over="ignore")
def decorated(x):
    return 1 / (1 + np.exp(-x))


def with_errstate(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def with_errstate_all(x):
    with np.errstate(all="ignore"):
        return 1 / (1 + np.exp(-x))


def with_seterr(x):
    old = np.seterr(over="ignore")
    y = 1 / (1 + np.exp(-x))
    np.seterr(**old)
    return y


def with_seterr_left_on(x):
    np.seterr(over="ignore")
    return 1 / (1 + np.exp(-x))


def with_simplefilter(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 1 / (1 + np.exp(-x))


def with_filterwarnings(x):
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    return 1 / (1 + np.exp(-x))


def with_record(x):
    with warnings.catch_warnings(record=True):
        return 1 / (1 + np.exp(-x))


def with_helper(x):
    return 1 / (1 + quiet_exp(-x))


NUMPY_OVER = "(np.errstate or np.seterr: over='ignore')"
WARNINGS_FILTER = "(a warnings filter: warnings.simplefilter, filterwarnings or catch_warnings)"


@pytest.mark.parametrize("fn,how", [
    (decorated, NUMPY_OVER),
    (with_errstate, NUMPY_OVER),
    (with_errstate_all, "(np.errstate or np.seterr: divide='ignore', over='ignore', invalid='ignore')"),
    (with_seterr, NUMPY_OVER),
    (with_seterr_left_on, NUMPY_OVER),
    (with_helper, NUMPY_OVER),
    (with_simplefilter, WARNINGS_FILTER),
    (with_filterwarnings, WARNINGS_FILTER),
    (with_record, WARNINGS_FILTER),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_silenced_overflow_fails_though_its_values_are_right(fn, how):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        values = fn(EXTREME_INPUTS.copy())
    assert values.tolist() == [0, 0, 1 / (1 + math.exp(50)), 1 / (1 + math.exp(-50)), 1, 1]  # values can't tell
    errors, filters, profile = np.geterr(), list(warnings.filters), sys.getprofile()
    result = check_function(fn, act.sigmoid)
    assert_fails(result, f"silences floating-point warnings {how}. ", "no step overflows", name=fn.__name__)
    assert (np.geterr(), list(warnings.filters), sys.getprofile()) == (errors, filters, profile)  # all restored


@pytest.mark.parametrize("body,part", [
    ("x *= -1", "x = -6 became 6."),
    ("x[:] = 0", "x = -6 became 0."),
    ("np.exp(x, out=x)", f"x = -6 became {math.exp(-6):g}."),
    ("x[x > 0] = 0", "x = 0.1 became 0."),
    ("x.shape = (2, 66)", "x now has shape (2, 66) and dtype float64."),
    ("x.dtype = np.int64", "x now has shape (132,) and dtype int64."),
])
def test_writing_into_the_callers_array_fails(body, part):
    namespace = {"np": np}
    exec(f"def in_place(x):\n    {body}\n    return np.maximum(x, 0.0)", namespace)
    mine = DEFAULT_INPUTS.copy()
    result = check_function(namespace["in_place"], act.relu, inputs=mine)
    assert_fails(result, "✗ in_place changed its input: ", part, "`x = -x` or `y = x.copy()`")
    assert np.array_equal(mine, DEFAULT_INPUTS)
    assert check_function(namespace["in_place"], act.relu).message == result.message  # defaults intact
    assert check_function(act.relu, act.relu).passed


class Unreadable:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no")

    def __len__(self):
        raise RuntimeError("no")

    def __repr__(self):
        raise RuntimeError("no")


class BadRepr(float):
    def __repr__(self):
        raise RuntimeError("no")


def generator(x):
    for v in x:
        yield v


def constant(value):
    return lambda x: value


@pytest.mark.parametrize("fn,part", [
    (constant(None), "returned None: did you forget the `return` statement?"),
    (lambda x: [None] * x.size, "returned a list of 132 items (the value for x = -6 is None), not a numpy array"),
    (lambda x: [float(v) for v in x], "returned a list of 132 items, not a numpy array: return np.array(...)"),
    (constant([[1.0, 2.0], [3.0]]), "returned a list of 2 items (the value at position 0 is [1.0, 2.0])"),
    (lambda x: ("a",) * x.size, "returned a tuple of 132 items (the value for x = -6 is 'a')"),
    (lambda x: (np.maximum(x, 0.0), x > 0), "returned a tuple of 2 items, not one array of 132 values"),
    (constant("relu"), "returned 'relu' (type str), not a numpy array of numbers"),
    (constant(b"\x00"), "(type bytes)"),
    (lambda x: np.full(x.size, "0.5"), "returned an array of dtype <U3 (the value for x = -6 is np.str_('0.5'))"),
    (lambda x: np.maximum(x, 0.0) + 0j, "returned complex numbers (dtype complex128); the answer is real"),
    (constant(1 + 2j), "returned a single value (1+2j)"),
    (constant(0.5), "returned a single value (0.5), not an array with one value per input: x holds 132 inputs"),
    (constant(np.float32(0.5)), "returned a single value (0.5)"),
    (constant(np.array(0.5)), "returned a single value (0.5)"),
    (constant(np.datetime64("2024-01-01")), "returned a single value (np.datetime64('2024-01-01'))"),
    (lambda x: np.zeros((x.size, 1)), "returned shape (132, 1), expected (132,)"),
    (lambda x: np.zeros(0), "returned shape (0,), expected (132,)"),
    (generator, "returned a generator, not an array: build the array, e.g. np.array([... for v in x])"),
    (lambda x: map(float, x), "returned a map, not an array"),
    (lambda x: {v: v for v in x}, "(type dict), not a numpy array of numbers"),
    (lambda x: np.array([10**400] * x.size, dtype=object), "cannot be read as numbers (OverflowError)"),
    (lambda x: np.zeros(x.size, dtype="datetime64[s]"), "returned an array of dtype datetime64[s]"),
    (constant(Unreadable()), "returned <Unreadable object> (type Unreadable), not a numpy array of numbers"),
    (constant([BadRepr(1.0), object()]), "(the value at position 1 is <object object"),
    (constant([BadRepr(1.0), Unreadable()]), "(the value at position 1 is <Unreadable object>)"),
    (constant(Ellipsis), "(type ellipsis)"),
    (constant(NotImplemented), "(type NotImplementedType)"),
    (constant(int), "returned <class 'int'> (type type)"),
    (constant(sys.setrecursionlimit), "returned <built-in function setrecursionlimit> (type"),
])
def test_whatever_the_function_returns_the_check_fails_helpfully(fn, part):
    assert_fails(check_function(fn, act.relu, name="f"), part, name="f")


@pytest.mark.parametrize("fn,part", [
    (lambda x: 1 / 0, "raised ZeroDivisionError: division by zero"),
    (lambda x: math.exp(x), "raised TypeError: only"),
    (lambda x: x[1000], "raised IndexError"),
    (lambda x, alpha: x + alpha, "raised TypeError"),  # a parameter the check does not pass
    (lambda x: (_ for _ in ()).throw(ValueError("line one\nline two")), "raised ValueError: line one line two"),
    (None, "raised TypeError: 'NoneType' object is not callable"),
])
def test_an_exception_in_the_function_is_a_result(fn, part):
    assert_fails(check_function(fn, act.relu, name="f"), part, name="f")


def test_a_function_without_a_name_is_your_function():
    result = check_function(functools.partial(act.elu_grad, alpha=2.0), elu_grad)
    assert_fails(result, "✗ your function is wrong at x = -6")


# --- several parameter values ---

def test_every_combination_of_params_is_checked_with_the_fixed_kwargs():
    calls = set()

    def spy(x, a, b, c):
        calls.add((a, b, c))
        return a * x + b + c

    params = {"a": [1.0, 2.0], "b": [0.0, 3.0]}
    result = check_function(spy, lambda x, a, b, c: a * x + b + c, params=params, c=5)
    assert calls == {(1.0, 0.0, 5), (1.0, 3.0, 5), (2.0, 0.0, 5), (2.0, 3.0, 5)}
    assert result.passed and result.message.endswith(
        ", for c = 5, a = 1, b = 0; c = 5, a = 1, b = 3; c = 5, a = 2, b = 0 and c = 5, a = 2, b = 3, "
        "with no floating-point warning.")


def test_an_answer_right_for_one_parameter_value_only_fails_naming_the_other():
    hard_coded = lambda x, alpha: elu_grad(x, 0.5)  # noqa: E731
    assert check_function(hard_coded, elu_grad, alpha=0.5).passed
    result = check_function(hard_coded, elu_grad, params={"alpha": [0.5, 2.0]})
    assert_fails(result, f"wrong at x = -6 with alpha = 2: expected {2 * math.exp(-6):.6g}, "
                         f"got {0.5 * math.exp(-6):.6g}", "off by a factor of 0.25")
    right = check_function(elu_grad, elu_grad, params={"alpha": [0.5, 2.0]})
    assert right.passed and ", for alpha = 0.5 and alpha = 2, with no floating-point warning." in right.message


def test_a_failure_at_one_parameter_value_names_it_even_for_a_warning():
    def divides_by_alpha(x, alpha):  # f / alpha: right for every alpha but 0
        return np.where(x > 0, 0.0, act.prelu(x, alpha) / alpha)

    result = check_function(divides_by_alpha, act.prelu_alpha_grad, params={"alpha": [0.25, 0.0]})
    assert_fails(result, "warning at x = -6 with alpha = 0: invalid value encountered in divide")


def test_array_parameters_are_copied_and_described():
    def spy(x, w):
        return x * 0.0

    def writes(x, w):
        w[...] = 0.0
        return x * 0.0

    w = np.array([1.0, 2.0])
    result = check_function(spy, lambda x, w: x * 0.0, w=w, extreme=False)
    assert result.passed and "for w = array([1., 2.])" in result.message
    changed = check_function(writes, lambda x, w: x * 0.0, w=w, extreme=False)
    assert_fails(changed, "changed its parameter w with w = array([1., 2.])", "`w = w.copy()`", name="writes")
    assert w.tolist() == [1.0, 2.0]


# --- check_array_function: functions that take and return arrays ---

def centre(X):
    return X - X.mean(axis=0)


CASES = [(np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]]),), (np.array([[0.0, 1.0], [4.0, 1.0]]),)]


def test_array_check_accepts_the_reference_and_names_every_case():
    result = checks.check_array_function(lambda X: X - np.mean(X, axis=0, keepdims=True), centre, CASES,
                                         name="centre")
    assert result.passed
    assert result.message == "✓ centre matches the reference in all 2 cases (X of shape (3, 2); X of shape (2, 2))."


@pytest.mark.parametrize("fn,parts", [
    (lambda X: X - X.mean(), ["is wrong for X of shape (3, 2): at [0, 0] expected -2, got -3.5",
                              "(6 of 6 values differ)"]),
    (lambda X: X.mean(axis=0), ["returned shape (2,) for X of shape (3, 2), expected (3, 2)."]),
    (lambda X: None, ["returned None for X of shape (3, 2): did you forget the `return` statement?"]),
    (lambda X: "centred", ["returned 'centred' for X of shape (3, 2), of dtype <U7, not numbers."]),
    (lambda X: X + np.inf, ["NaN or inf where the answer is a number"]),
    (lambda X: X / 0 - X, ["gave a floating-point warning for X of shape (3, 2): divide by zero encountered in divide",
                           "Rewrite it so no step makes an inf or a NaN."]),
    (lambda X: (X - X.mean(axis=0)) * 1j, ["returned complex numbers"]),
    (lambda X: X[5], ["raised IndexError for X of shape (3, 2): index 5 is out of bounds"]),
])
def test_array_check_says_what_differs(fn, parts):
    assert_fails(checks.check_array_function(fn, centre, CASES, name="centre"), *parts, name="centre")


def test_array_check_rejects_a_function_that_changes_its_input_and_keeps_the_callers_arrays():
    X = np.array([[1.0, 2.0], [3.0, 6.0]])

    def in_place(X):
        X -= X.mean(axis=0)
        return X

    result = checks.check_array_function(in_place, centre, [(X,)])
    assert_fails(result, "changed its input X for X of shape (2, 2)", "not `X -= mu`", name="in_place")
    assert X.tolist() == [[1.0, 2.0], [3.0, 6.0]]


def test_array_check_never_raises_and_never_warns():
    class Broken:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no")

    assert_fails(checks.check_array_function(lambda X: Broken(), centre, CASES), "cannot be read as numbers")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning inside the learner's function must not escape
        assert_fails(checks.check_array_function(lambda X: np.log(X - X), centre, CASES),
                     "divide by zero encountered in log")
    assert_fails(checks.check_array_function(centre, lambda X: 1 / 0, CASES, name="centre"),
                 "cannot be checked", "a bug in the check", name="centre")


def test_a_broadcasting_error_points_at_the_axis():
    result = checks.check_array_function(lambda X: X - X.mean(axis=1), centre, CASES[:1], name="centre")
    assert_fails(result, "raised ValueError", "Check the axis: a statistic per feature", name="centre")


def test_hints_name_the_mistake_by_value_or_by_shape():
    hints = [("You forgot the axis.", lambda X: X - X.mean()),
             ("That is one mean per row.", lambda X: X.mean(axis=1)),
             ("A hint that fails is skipped.", lambda X: 1 / 0)]
    no_axis = checks.check_array_function(lambda X: X - np.mean(X), centre, CASES, name="c", hints=hints)
    assert_fails(no_axis, "is wrong", "You forgot the axis.", name="c")
    per_row = checks.check_array_function(lambda X: X.sum(axis=1), centre, CASES, name="c", hints=hints)
    assert_fails(per_row, "returned shape (3,)", "That is one mean per row.", name="c")  # shape alone
    other = checks.check_array_function(lambda X: 2 * X, centre, CASES, name="c", hints=hints)
    assert not other.passed and "You forgot" not in other.message and "per row" not in other.message


def test_tuple_results_are_compared_part_by_part():
    def stats(X):
        return X.mean(axis=0), X.std(axis=0)

    ok = checks.check_array_function(lambda X: [np.mean(X, 0), np.std(X, 0)], stats, CASES, parts=("mean", "std"))
    assert ok.passed
    swapped = checks.check_array_function(lambda X: (X.std(axis=0), X.mean(axis=0)), stats, CASES,
                                          parts=("mean", "std"), name="s")
    assert_fails(swapped, "is wrong in its mean (result 1 of 2)", name="s")
    one = checks.check_array_function(lambda X: X.mean(axis=0), stats, CASES, name="s")
    assert_fails(one, "not 2 arrays: return them as a tuple", name="s")
    shape = checks.check_array_function(lambda X: (X.mean(axis=0), X.std()), stats, CASES, name="s")
    assert_fails(shape, "returned shape () in its part 2 (result 2 of 2)", name="s")


def test_numbers_as_arguments_are_described_by_value():
    result = checks.check_array_function(lambda X, eps: X + eps, lambda X, eps: X + eps, [(CASES[0][0], 0.5)])
    assert result.passed and "(X of shape (3, 2), eps = 0.5)" in result.message


# --- one way to call, one warning policy, one hint rule: the same in every kind of check ---

def test_call_copies_the_arguments_records_what_happened_and_never_raises():
    X, w = np.array([1.0, -2.0]), np.array([3.0])

    def busy(X, w):
        X *= 2
        np.exp(np.array([1e4]))
        raise ValueError("late")

    run = checks.call(busy, (X,), {"w": w})
    assert isinstance(run.error, ValueError) and run.warning == "overflow encountered in exp"
    assert run.changed == 0 and run.args[0].tolist() == [2.0, -4.0] and X.tolist() == [1.0, -2.0]
    assert checks.call(lambda X, w: w.fill(0), (X,), {"w": w}).changed == "w" and w.tolist() == [3.0]
    assert checks.call(lambda: np.exp(-1e4)).warning is None  # underflow to 0 is fine


def test_every_kind_fails_on_a_floating_point_warning_and_on_silencing_it():
    def warns(a, b):
        return np.exp(np.float64(a) * 1e3) * 0 + b

    values = checks.check_values(warns, lambda a, b: b, [(1, 2)], name="v")
    assert_fails(values, "✗ v gave a floating-point warning in v(1, 2): overflow encountered in exp.", name="v")

    def silenced(X):
        with np.errstate(over="ignore"):
            return X - X.mean(axis=0)

    arrays = checks.check_array_function(silenced, centre, CASES, name="a")
    assert_fails(arrays, f"silences floating-point warnings {NUMPY_OVER} for X of shape (3, 2).", name="a")
    assert_fails(checks.check_values(lambda a: with_errstate(np.array([a]))[0], lambda a: 0.5, [(0.0,)], name="s"),
                 "silences floating-point warnings", name="s")


def test_a_mistake_matches_only_when_it_agrees_on_every_case():
    cases = [(16, 2), (8, 3)]
    reference = lambda L, m: L ** (-1 / (2 * m - 2))  # noqa: E731
    hints = [("The variance's factor.", lambda L, m: L ** (-1 / (m - 1))),  # = 1/sqrt(L) at m = 3 only
             ("1/sqrt(L) whatever m.", lambda L, m: L ** -0.5)]
    result = checks.check_values(lambda L, m: 1 / np.sqrt(L), reference, cases, name="f", hints=hints)
    assert_fails(result, "f(8, 3) returned 0.353553, expected 0.594604. 1/sqrt(L) whatever m.", name="f")
    assert "variance" not in result.message
    nearly = checks.check_values(lambda L, m: L ** -0.5 if m == 3 else 1.0, reference, cases, name="f", hints=hints)
    assert not nearly.passed and nearly.message.endswith("expected 0.25")  # no mistake agrees on both cases


def test_a_hint_is_a_sentence_after_the_message_and_may_name_the_cases_arguments():
    assert checks.with_hint("✗ f is wrong: f(1) returned 2", "Hint.") == "✗ f is wrong: f(1) returned 2. Hint."
    assert checks.with_hint("✗ f returned None: why?", "Hint.") == "✗ f returned None: why? Hint."
    assert checks.with_hint("✗ f is wrong.", "") == "✗ f is wrong."
    hints = [("That is {n} times too much.", lambda n: 2 * n)]
    result = checks.matching_hint(lambda n: 2 * n, hints, [((3,), {}, [()])], checks.read_numbers, 1e-9, 0.0,
                                  fields={"n": 3})
    assert result == "That is 3 times too much."


def test_an_elementwise_check_names_a_known_mistake_too():
    hints = [("You wrote ELU, not its derivative.", lambda x, alpha: act.elu(x, alpha))]
    result = check_function(act.elu, elu_grad, params={"alpha": [1.0]}, hints=hints, name="g")
    assert_fails(result, "wrong at x = -6 with alpha = 1", "You wrote ELU, not its derivative.", name="g")
    assert result.message.endswith("You wrote ELU, not its derivative.")


# --- the records ---

def test_a_mistake_has_a_hint_or_says_what_the_rejection_contains_not_both():
    from lib.exercises import Mistake

    for kwargs in ({}, {"hint": "a", "says": "b"}):
        with pytest.raises(ValueError, match="either a hint"):
            Mistake("x = 1", **kwargs)


def test_an_exercise_runs_its_mistakes_code_after_its_setup_to_match_hints():
    from lib.exercises import Exercise, Mistake

    def check(fn, hints):
        return checks.check_values(fn, lambda n: n + 1, [(1,), (2,)], hints=hints)

    exercise = Exercise(label="ex-test", name="inc", setup="offset = 2", check=check,
                        mistakes=(Mistake("def inc(n):\n    return n + offset", hint="Add 1, not 2."),
                                  Mistake("def inc(n):\n    return n", says="expected 2")),
                        right_answers=())
    assert [hint for hint, _ in exercise.hints] == ["Add 1, not 2."]
    assert exercise(lambda n: n + 2).message.endswith("expected 2. Add 1, not 2.")
    other = Exercise(label="ex-test", name="inc", setup="offset = 2", mistake_setup="offset = 5", check=check,
                     mistakes=exercise.mistakes, right_answers=())
    assert other(lambda n: n + 5).message.endswith("Add 1, not 2.")  # run after mistake_setup instead


def test_check_function_refuses_inputs_it_cannot_check_on():
    with pytest.raises(ValueError, match="inputs must hold at least one x value"):
        check_function(act.relu, act.relu, inputs=[])
    with pytest.raises(TypeError, match="inputs must be a real numeric array"):
        check_function(act.relu, act.relu, inputs=["a", "b"])
