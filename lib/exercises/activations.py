"""The exercises of "Activations": a sigmoid that never overflows, tanh from the sigmoid, and the
convergence measurement (the median over seeds of an activation's steps over ReLU's)."""

from types import SimpleNamespace

import numpy as np

from lib import activations as act
from lib.exercises.checking import (CheckResult, call, call_failure, check_function, matching_hint, read_numbers,
                                    warning_failure, with_hint)
from lib.exercises.records import Exercise, Mistake
from lib.exercises.wording import name_of, short

_SETUP = "import numpy as np\nfrom lib import activations as act"


def _check_stable_sigmoid(fn, hints):
    """fn(x): the logistic sigmoid, elementwise, with no overflow anywhere."""
    return check_function(fn, act.sigmoid, hints=hints)


def _check_tanh_sigmoid(fn, hints):
    """fn(x): tanh, elementwise."""
    return check_function(fn, act.tanh, hints=hints)


# --- an experimental answer: the chapter's convergence measurement -----------------------------------

_MEDIAN_RATIO_CASES = (("tanh", 2, (0, 1, 2)), ("sigmoid", 1, (3, 4, 5)))


def _spirals_for_ratios():
    """The chapter's smaller spirals (50 points per arm, seed 0): (X (150, 2), y (150,))."""
    from lib import data

    return data.spirals(50, np.random.default_rng(0))


def _reference_steps(activation, hidden_layers, seed):
    """Steps to the target loss of one run, written out with MLP and steps_to_loss (independently of
    the chapter's `experiments.convergence_run`); cached, since each check reuses the runs."""
    key = (activation, hidden_layers, seed)
    if key not in _STEPS_CACHE:
        from lib.experiments.activations import CONVERGENCE
        from lib.network import MLP, steps_to_loss

        X, y = _spirals_for_ratios()
        s = CONVERGENCE  # the chapter's setting, from its one home
        rng = np.random.default_rng(seed)
        net = MLP([2] + [s["width"]] * hidden_layers + [3], rng, activation=activation, init="lecun_normal")
        _STEPS_CACHE[key] = steps_to_loss(net, X, y, rng, target=s["target"], max_steps=s["max_steps"], lr=s["lr"],
                                          momentum=s["momentum"])[0]
    return _STEPS_CACHE[key]


_STEPS_CACHE = {}

# What the median-ratio mistakes run with when the checker matches hints: the reference's cached runs
# stand in for the chapter's `experiments.convergence_run` (the same counts, without training again).
REFERENCE_RUNS = SimpleNamespace(
    convergence_run=lambda X, y, activation, hidden_layers, seed: _reference_steps(activation, hidden_layers, seed))


def _ratios(activation, hidden_layers, seeds):
    """Per-seed ratios steps(activation) / steps(relu), and the two lists of steps."""
    slow = [_reference_steps(activation, hidden_layers, seed) for seed in seeds]
    fast = [_reference_steps("relu", hidden_layers, seed) for seed in seeds]
    return np.array(slow, dtype=float) / np.array(fast, dtype=float), slow, fast


def _check_median_ratio(fn, hints):
    """fn(X, y, activation, hidden_layers, seeds): the median over seeds of steps(activation) /
    steps("relu"), each the full-batch steps an MLP with `hidden_layers` hidden layers needs to reach
    the chapter's target loss on (X, y) (`experiments.convergence_run`), runs paired by seed. The
    reference counts come from MLP and steps_to_loss directly. Cases: tanh at 2 hidden layers and
    sigmoid at 1, three seeds each; equal to within rtol 1e-9."""
    name = name_of(fn)
    X, y = _spirals_for_ratios()
    results = []
    for activation, hidden_layers, seeds in _MEDIAN_RATIO_CASES:
        case = (X, y, activation, hidden_layers, seeds)
        called = f"{name}(X, y, {activation!r}, {hidden_layers}, seeds={seeds})"
        run = call(fn, case)
        failure = call_failure(run, name, f" in {called}")
        if failure:
            return CheckResult(False, failure)
        if run.value is None:
            return CheckResult(False, f"✗ {name} returned None in {called}: did you forget the `return` statement?")
        values = read_numbers(run.value)
        if values is None or values[0].size != 1 or isinstance(run.value, (bool, np.bool_)):
            return CheckResult(False, f"✗ {name} returned {short(run.value)} in {called}: return one number, "
                                      "the median ratio.")
        got = float(values[0].ravel()[0])
        ratios, slow, fast = _ratios(activation, hidden_layers, seeds)
        expected = float(np.median(ratios))
        if run.warning:
            message = warning_failure(name, run.warning, f" in {called}")
        elif not np.isclose(got, expected, rtol=1e-9, atol=0):
            message = (f"✗ {name} is wrong: {called} returned {got:.4g}, expected {expected:.4g} "
                       f"(steps per seed: {activation} {slow}, relu {fast}).")
        else:
            results.append(f"{activation}/ReLU {expected:.2g} at {hidden_layers} hidden layer{'s' * (hidden_layers > 1)}")
            continue
        every = [((X, y, *other), {}, [()]) for other in _MEDIAN_RATIO_CASES]
        hint = matching_hint(fn, hints, every, read_numbers, 1e-9, 0.0, fields={"activation": activation})
        return CheckResult(False, with_hint(message, hint))
    return CheckResult(True, f"✓ {name} gives the median ratio in both cases: {'; '.join(results)}.")


EXERCISES = [
    Exercise(
        label="ex-stable-sigmoid", name="my_sigmoid", setup=_SETUP, check=_check_stable_sigmoid,
        mistakes=(
            Mistake("def my_sigmoid(x):\n"  # the textbook form
                    "    return 1 / (1 + np.exp(-x))", says="warning at x = -10000: overflow"),
            Mistake("def my_sigmoid(x):\n"  # clipping the input: wrong by 8e-10 out there
                    "    return 1 / (1 + np.exp(-np.clip(x, -21, 21)))", says="wrong at x = -30"),
            Mistake("def my_sigmoid(x):\n"  # only the x >= 0 branch
                    "    return 1 / (1 + np.exp(-np.abs(x)))", says="wrong at x = -6"),
            Mistake("def my_sigmoid(x):\n"  # the overflow silenced: the values are even right
                    "    with np.errstate(over='ignore'):\n"
                    "        return 1 / (1 + np.exp(-x))", says="silences floating-point warnings"),
            Mistake("import warnings\n\n"
                    "def my_sigmoid(x):\n"  # the same with the warnings module
                    "    with warnings.catch_warnings():\n"
                    "        warnings.simplefilter('ignore')\n"
                    "        return 1 / (1 + np.exp(-x))", says="silences floating-point warnings"),
            Mistake("def my_sigmoid(x):\n"  # right values, but x is now |x| for the caller
                    "    negative = x < 0\n"
                    "    x[negative] *= -1\n"
                    "    z = np.exp(-x)\n"
                    "    return np.where(negative, z / (1 + z), 1 / (1 + z))", says="changed its input"),
            Mistake("def my_sigmoid(x):\n"  # the other textbook form, which overflows the other way
                    "    return np.exp(x) / (1 + np.exp(x))", says="warning at x = 800: overflow"),
            Mistake("def my_sigmoid(x):\n"  # both forms, but np.where evaluates both on every element
                    "    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))", says="overflow"),
            Mistake("def my_sigmoid(x):\n"  # the stable pieces on the wrong sides
                    "    z = np.exp(-np.abs(x))\n"
                    "    return np.where(x >= 0, z / (1 + z), 1 / (1 + z))", says="wrong at x = -6"),
            Mistake("import math\n\n"
                    "def my_sigmoid(x):\n"  # right numbers in a list: 2 * s and s - 1 then misbehave
                    "    return [1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in x]",
                    says="returned a list"),
        ),
        right_answers=(
            "from scipy.special import expit\n\n"
            "def my_sigmoid(x):\n"
            "    return expit(x)",
            "import math\n\n"
            "def my_sigmoid(x):\n"
            "    return np.array([1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in x])",
            "def my_sigmoid(x):\n"
            "    out = np.empty_like(x)\n"
            "    positive = x >= 0\n"
            "    out[positive] = 1 / (1 + np.exp(-x[positive]))\n"
            "    e = np.exp(x[~positive])\n"
            "    out[~positive] = e / (1 + e)\n"
            "    return out",
            "def my_sigmoid(x):\n"
            "    return np.exp(-np.logaddexp(0, -x))",
            "def my_sigmoid(x):\n"  # within 1e-16 of the reference: accepted, though not relatively exact
            "    return 0.5 * (1 + np.tanh(x / 2))",
            "def my_sigmoid(x):\n"
            "    z = np.exp(-np.abs(x))\n"
            "    return np.where(x >= 0, 1, z) / (1 + z)",
        ),
    ),
    Exercise(
        label="ex-tanh-sigmoid", name="my_tanh", setup=_SETUP, check=_check_tanh_sigmoid,
        mistakes=(
            Mistake("def my_tanh(x):\n"  # forgot both 2s
                    "    return 2 * act.sigmoid(x) - 1", says="wrong at x = -6"),
            Mistake("def my_tanh(x):\n"  # stopped halfway
                    "    return act.sigmoid(2 * x)", says="wrong at x = -6"),
            Mistake("def my_tanh(x):\n"  # wrong constant
                    "    return 2 * act.sigmoid(2 * x) + 1", says="off by +2"),
            Mistake("def my_tanh(x):\n"  # sign error
                    "    return 1 - 2 * act.sigmoid(2 * x)", says="The sign is flipped"),
            Mistake("def my_tanh(x):\n"  # forgot the outer 2
                    "    return act.sigmoid(2 * x) - 0.5", says="off by a factor of 0.5"),
            Mistake("def my_tanh(x):\n"  # e^-2x replaced by sigma(-2x)
                    "    return (1 - act.sigmoid(-2 * x)) / (1 + act.sigmoid(-2 * x))", says="wrong at x = -6"),
            Mistake("def my_tanh(x):\n"  # the definition: overflows, then inf / inf = NaN
                    "    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))", says="overflow"),
            Mistake("def my_tanh(x):\n"  # right values, but the caller's x is doubled
                    "    x *= 2\n"
                    "    return 2 * act.sigmoid(x) - 1", says="changed its input"),
        ),
        right_answers=(
            "def my_tanh(x):\n"
            "    return act.sigmoid(2 * x) - act.sigmoid(-2 * x)",
            "def my_tanh(x):\n"
            "    return np.array([2 * float(act.sigmoid(2 * v)) - 1 for v in x])",
            "def my_tanh(x):\n"  # odd symmetry: compute for |x|, then restore the sign
            "    t = 2 * act.sigmoid(2 * np.abs(x)) - 1\n"
            "    return np.where(x < 0, -t, t)",
            "from scipy.special import expit\n\n"
            "def my_tanh(x):\n"
            "    return 2 * expit(2 * x) - 1",
            "def my_tanh(x):\n"  # not what the exercise asks for, but correct: not the check's business
            "    return np.tanh(x)",
        ),
    ),
    Exercise(
        label="ex-median-ratio", name="median_ratio", check=_check_median_ratio,
        setup="import numpy as np\nfrom lib.experiments import activations as experiments",
        mistake_setup="import numpy as np\nfrom lib.exercises.activations import REFERENCE_RUNS as experiments",
        mistakes=(
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # the mean
                    "    return np.mean([experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
                    "                    / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds])",
                    hint="That is the mean of the per-seed ratios: take the median (np.median), which one odd run "
                         "cannot drag."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # inverted
                    "    return np.median([experiments.convergence_run(X, y, 'relu', hidden_layers, s)\n"
                    "                      / experiments.convergence_run(X, y, activation, hidden_layers, s) for s in seeds])",
                    hint="That is ReLU's steps over {activation}'s: the ratio is the slower activation's steps "
                         "over ReLU's, above 1 when ReLU is faster."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # one seed only
                    "    s = seeds[0]\n"
                    "    return (experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
                    "            / experiments.convergence_run(X, y, 'relu', hidden_layers, s))",
                    hint="That is the ratio of a single seed: compute one ratio per seed in `seeds`, then their "
                         "median."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # ratio of the medians
                    "    slow = [experiments.convergence_run(X, y, activation, hidden_layers, s) for s in seeds]\n"
                    "    fast = [experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds]\n"
                    "    return np.median(slow) / np.median(fast)",
                    hint="That is the ratio of the two medians: pair the runs by seed (each seed's steps over "
                         "ReLU's steps for the same seed), then take the median of those ratios."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # always tanh
                    "    return np.median([experiments.convergence_run(X, y, 'tanh', hidden_layers, s)\n"
                    "                      / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds])",
                    hint="That is the ratio for tanh, not for {activation}: train the activation you are given."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # activation for both runs
                    "    return np.median([experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
                    "                      / experiments.convergence_run(X, y, activation, hidden_layers, s) for s in seeds])",
                    hint="That is the ratio for relu, not for {activation}: train the activation you are given."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # depth ignored
                    "    return np.median([experiments.convergence_run(X, y, activation, 2, s)\n"
                    "                      / experiments.convergence_run(X, y, 'relu', 2, s) for s in seeds])",
                    hint="That is the ratio at 2 hidden layers: pass hidden_layers on to each run."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # the list, not its median
                    "    return [experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
                    "            / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds]",
                    says="return one number"),
        ),
        right_answers=(
            "import statistics\n\ndef median_ratio(X, y, activation, hidden_layers, seeds):\n"
            "    return statistics.median(experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
            "                             / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds)",
            "def median_ratio(X, y, activation, hidden_layers, seeds):\n"
            "    slow = np.array([experiments.convergence_run(X, y, activation, hidden_layers, s) for s in seeds])\n"
            "    fast = np.array([experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds])\n"
            "    return float(np.median(slow / fast))",
            "def median_ratio(X, y, activation, hidden_layers, seeds):\n"
            "    r = sorted(experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
            "               / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds)\n"
            "    return r[len(r) // 2] if len(r) % 2 else (r[len(r) // 2 - 1] + r[len(r) // 2]) / 2",
            "def median_ratio(X, y, activation, hidden_layers, seeds):\n"
            "    steps = {name: [experiments.convergence_run(X, y, name, hidden_layers, s) for s in seeds]\n"
            "             for name in (activation, 'relu')}\n"
            "    return experiments.median_ratio(steps[activation], steps['relu'])",
        ),
    ),
]
