"""The exercises of "Activations": a sigmoid that never overflows, tanh from the sigmoid, and the
convergence measurement (the median over seeds of an activation's steps over ReLU's), and by experiment
the largest learning rate at which ReLUs stay alive, to within a factor of 2."""

import sys
import warnings
from types import SimpleNamespace

import numpy as np

from lib import activations as act
from lib.exercises.checking import (CheckResult, call, call_failure, check_function, matching_hint, number_failure,
                                    read_numbers, warning_failure, with_hint)
from lib.exercises.records import Exercise, Mistake
from lib.exercises.wording import name_of, short

_SETUP = "import numpy as np\nfrom lib import activations as act"


_WIDE_TYPES = {"longdouble", "float128", "float96", "longfloat", "f16", "f12", "g"}
_NOT_FROM_SIGMOID = {"tanh", "exp", "expm1", "exp2", "sinh", "cosh", "expit", "arctanh", "atanh"}


def _names(code):
    """The global and attribute names and the string constants in `code` and the code nested in it."""
    found = set(code.co_names) | {c for c in code.co_consts if isinstance(c, str)}
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            found |= _names(const)
    return found


def _caught_overflow(fn, x):
    """True if numpy raised a FloatingPointError inside fn(x) (under np.errstate(over="raise")) and fn
    went on: an overflow that happened, then was caught. A trace hook sees every exception raised."""
    raised = []

    def trace(frame, event, arg):
        if event == "exception" and issubclass(arg[0], FloatingPointError):
            raised.append(frame.f_code.co_name)
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            fn(np.array(x, dtype=np.float64))
    except Exception:  # the check proper reports what fn raised
        raised.clear()
    finally:
        sys.settrace(previous)
    return bool(raised)


def _check_stable_sigmoid(fn, hints):
    """fn(x): the logistic sigmoid, elementwise, with no overflow anywhere, to within rtol 1e-6 and no
    absolute tolerance (tiny values count: sigmoid(-50) ~ 2e-22 must not come out as 4e-18 or 0; a
    float32 result, accurate to about 1e-7, passes).

    The rule: no step of fn may overflow in float64. A warning fails (check_function), and so does an
    overflow silenced (np.errstate, warnings filters), raised and caught (np.errstate(over="raise")
    with `except FloatingPointError`), or avoided with a wider float type (np.longdouble is 80-bit on
    x86 Linux but float64 on ARM and Windows, where the overflow comes back)."""
    name = name_of(fn)
    if callable(fn) and hasattr(fn, "__code__") and _names(fn.__code__) & _WIDE_TYPES:
        return CheckResult(False, f"✗ {name} uses a wider float type (np.longdouble): it is float64 on ARM and "
                                  "Windows, where np.exp overflows again. Rewrite it so no step overflows in "
                                  "float64.")
    if callable(fn) and _caught_overflow(fn, [-1e4, -800.0, 800.0, 1e4]):
        return CheckResult(False, f"✗ {name} lets np.exp overflow and catches the FloatingPointError: the "
                                  "overflow still happens. Rewrite it so np.exp never sees a large positive "
                                  "number.")
    return check_function(fn, act.sigmoid, rtol=1e-6, atol=0.0, hints=hints)


def _check_tanh_sigmoid(fn, hints):
    """fn(x): tanh, elementwise, built from act.sigmoid and arithmetic only (its code names no tanh,
    exp, expit, sinh or cosh, and calls sigmoid), to within rtol 1e-6 plus 1e-15 absolute (2 sigma(2x)
    - 1 cancels near 0)."""
    name = name_of(fn)
    if callable(fn) and hasattr(fn, "__code__"):
        names = _names(fn.__code__)
        other = sorted(names & _NOT_FROM_SIGMOID)
        if other:
            return CheckResult(False, f"✗ {name} uses {', '.join(other)}: the exercise asks for tanh built from "
                                      "act.sigmoid and arithmetic only (that is the identity to find).")
        if "sigmoid" not in names:
            return CheckResult(False, f"✗ {name} never calls act.sigmoid: build tanh from the sigmoid (that is "
                                      "the identity to find).")
    return check_function(fn, act.tanh, hints=hints)


# --- an experimental answer: the chapter's convergence measurement -----------------------------------

_MEDIAN_RATIO_CASES = (("tanh", 2, (0, 1, 2, 3)), ("sigmoid", 1, (3, 4, 5)))  # an even count too


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
    sigmoid at 1, four seeds and three (an even count, so an upper or lower median fails); equal to
    within rtol 1e-9."""
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


def _dead_share(lr):
    """The share of hidden ReLUs inactive on all of the page's spirals (300 points, seed 0) after the
    dead-ReLU experiment's training at learning rate lr: MLP([2, 100, 3]), seed 0, bias 0, 300 steps
    of SGD with momentum 0.9; and the training accuracy."""
    from lib import data
    from lib.experiments.activations import dead_units
    from lib.network import MLP, train

    X, y = data.spirals(100, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    net = MLP([2, 100, 3], rng, activation="relu", bias=0.0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a rate far too large overflows: the share dead reports it
        train(net, X, y, rng, steps=300, lr=lr, momentum=0.9)
        (inactive,), _ = dead_units(net, X, y)
        return inactive, float(net.accuracy(X, y))


def _check_largest_safe_rate(lr, hints, limit=0.05, name="my_lr"):
    """The experimental check of a learning rate for the dead-ReLU experiment: pass when at most
    `limit` (5 %) of the ReLUs are dead after training at lr and more than that at 2 lr, i.e. lr is
    the largest rate that keeps them alive to within a factor of 2. On the page's network the share
    dead is 0 up to lr 1.1, 3 % at 1.6, 19 % at 1.8 and 62 % at 2: rates from 0.9 to 1.6 pass."""
    failure = number_failure(lr, name)
    if failure is not None:
        return failure
    (dead, accuracy), (dead_2, _) = _dead_share(float(lr)), _dead_share(2 * float(lr))
    measured = (f"{name} = {lr:.3g}: {dead:.0%} of the ReLUs die (training accuracy {accuracy:.0%}); "
                f"at twice that rate, {2 * lr:.3g}, {dead_2:.0%} die")
    if dead > limit:
        return CheckResult(False, f"✗ {measured}: more than {limit:.0%} die at your rate. Try a smaller one.")
    if dead_2 <= limit:
        return CheckResult(False, f"✗ {measured}: twice your rate is still safe, so yours is not the "
                                  "largest to within a factor of 2. Try a larger one.")
    return CheckResult(True, f"✓ {measured}: your rate is within a factor of 2 of the largest that keeps "
                             f"the ReLUs alive (at most {limit:.0%} dead).")


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
            Mistake("def my_sigmoid(x):\n"  # far tail lost: 1e-17 (not 0) where 2e-22 is right, cut off by 1e-15 before
                    "    return np.maximum(np.exp(-np.logaddexp(0, -x)), 1e-17)", says="got 1e-17"),
            Mistake("def my_sigmoid(x):\n"  # via tanh: 1 + tanh cancels, sigma(-50) comes out 0
                    "    return 0.5 * (1 + np.tanh(x / 2))", says="wrong at x = -30"),
            Mistake("def my_sigmoid(x):\n"  # 1 - sigma(-x): the far negative tail cancels to 0
                    "    z = np.exp(-np.abs(x))\n"
                    "    return np.where(x >= 0, 1 / (1 + z), 1 - 1 / (1 + z))", says="wrong at x = -30"),
            Mistake("def my_sigmoid(x):\n"  # a wider type: no overflow on x86 Linux, overflow on ARM
                    "    return (1 / (1 + np.exp(-x.astype(np.longdouble)))).astype(np.float64)",
                    says="wider float type"),
            Mistake("def my_sigmoid(x):\n"  # the overflow raised, caught, and patched up
                    "    with np.errstate(over='raise'):\n"
                    "        try:\n"
                    "            e = np.exp(-x)\n"
                    "        except FloatingPointError:\n"
                    "            e = np.exp(-np.maximum(x, -700.0))\n"
                    "            e[x < -700] = np.inf\n"
                    "    return 1 / (1 + e)", says="catches the FloatingPointError"),
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
            "def my_sigmoid(x):\n"  # raising instead of warning hides nothing, and nothing is caught
            "    with np.errstate(over='raise'):\n"
            "        z = np.exp(-np.abs(x))\n"
            "        return np.where(x >= 0, 1 / (1 + z), z / (1 + z))",
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
            Mistake("def my_tanh(x):\n"  # the definition (it also overflows: inf / inf = NaN)
                    "    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))", says="uses exp"),
            Mistake("def my_tanh(x):\n"  # right values, but the caller's x is doubled
                    "    x *= 2\n"
                    "    return 2 * act.sigmoid(x) - 1", says="changed its input"),
            Mistake("def my_tanh(x):\n"  # right values, but the exercise is the identity, not np.tanh
                    "    return np.tanh(x)", says="uses tanh"),
            Mistake("from scipy.special import expit\n\n"  # scipy's sigmoid, not act.sigmoid
                    "def my_tanh(x):\n"
                    "    return 2 * expit(2 * x) - 1", says="uses expit"),
            Mistake("def my_tanh(x):\n"  # the exponential form of 2 sigma(2x) - 1, without the sigmoid
                    "    e = np.exp(-2 * np.abs(x))\n"
                    "    return np.sign(x) * (1 - e) / (1 + e)", says="uses exp"),
        ),
        right_answers=(
            "def my_tanh(x):\n"
            "    return act.sigmoid(2 * x) - act.sigmoid(-2 * x)",
            "def my_tanh(x):\n"
            "    return np.array([2 * float(act.sigmoid(2 * v)) - 1 for v in x])",
            "def my_tanh(x):\n"  # odd symmetry: compute for |x|, then restore the sign
            "    t = 2 * act.sigmoid(2 * np.abs(x)) - 1\n"
            "    return np.where(x < 0, -t, t)",
            "def my_tanh(x):\n"  # sigma(-x) = 1 - sigma(x)
            "    return 1 - 2 * act.sigmoid(-2 * x)",
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
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # the upper median
                    "    r = sorted(experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
                    "               / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds)\n"
                    "    return r[len(r) // 2]",
                    hint="That is the middle value only for an odd number of seeds: with an even number, the "
                         "median is the mean of the two middle ratios (np.median does it)."),
            Mistake("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # the lower median
                    "    r = sorted(experiments.convergence_run(X, y, activation, hidden_layers, s)\n"
                    "               / experiments.convergence_run(X, y, 'relu', hidden_layers, s) for s in seeds)\n"
                    "    return r[(len(r) - 1) // 2]",
                    hint="That is the lower of the two middle ratios: with an even number of seeds, the median is "
                         "their mean (np.median does it)."),
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
    Exercise(
        label="ex-safe-rate", name="my_lr", check=_check_largest_safe_rate,
        setup="import numpy as np\nfrom lib.experiments import activations as experiments",
        mistakes=(
            Mistake("my_lr = 2.0", says="more than 5% die at your rate"),  # the page's too-large rate
            Mistake("my_lr = 0.05", says="twice your rate is still safe"),  # the page's safe rate: far below the edge
            Mistake("my_lr = 0.1", says="twice your rate is still safe"),
            Mistake("my_lr = 0.5", says="twice your rate is still safe"),
            Mistake("my_lr = 0.7", says="twice your rate is still safe"),  # 3 % die at 1.4: not yet past the limit
            Mistake("my_lr = 1.8", says="more than 5% die at your rate"),
            Mistake("my_lr = 3", says="more than 5% die at your rate"),
            Mistake("my_lr = 10", says="more than 5% die at your rate"),
            Mistake("my_lr = 1e-3", says="twice your rate is still safe"),
            Mistake("my_lr = -1.0", says="must be a positive number"),
        ),
        right_answers=(
            "my_lr = 1.0",
            "my_lr = 1.2",
            "my_lr = 1.5",
            "from lib import data\nfrom lib.network import MLP, train\n\n"  # the experiment itself, on powers of 2
            "X_spiral, y_spiral = data.spirals(100, np.random.default_rng(0))\n\n\n"
            "def dead(lr):\n"
            "    rng = np.random.default_rng(0)\n"
            "    net = MLP([2, 100, 3], rng, activation='relu', bias=0.0)\n"
            "    train(net, X_spiral, y_spiral, rng, steps=300, lr=lr, momentum=0.9)\n"
            "    return experiments.dead_units(net, X_spiral, y_spiral)[0][0]\n\n\n"
            "my_lr = max(lr for lr in 2.0 ** np.arange(-4, 2) if dead(lr) <= 0.05)",
        ),
    ),
]
