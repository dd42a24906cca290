"""Exercise checkers: compare a learner's function with the reference and say plainly what is wrong.

`check_function(fn, reference)` calls `fn(x, **params)` on a 1-D float array `x` and compares the
result with `reference(x, **params)`. The rules:

- Inputs: by default 121 points in [-6, 6], 0, +-1e-8 and +-30, and always (unless extreme=False)
  the extreme inputs +-50, +-800 and +-1e4 wherever the reference is finite there, so an `np.exp`
  that overflows or an input clipped to [-21, 21] is caught. `params={"alpha": [0.5, 2.0]}` checks
  every listed value in turn, so an answer right for one value only fails.
- The function must not raise, and must return a numpy array with one real number per input: not
  None, a list, a generator, one number, strings or complex numbers.
- It must not write into its input. It gets a copy, and a changed copy fails the check.
- It must not warn (overflow, invalid value, divide by zero; underflow to 0 is fine) and must not
  silence those warnings (`np.errstate`, `np.seterr`, a `warnings` filter). A silenced overflow often
  gives the right numbers (1 / (1 + inf) is 0), so no comparison of values can see it. The check
  watches while the function runs instead: a profile hook (`sys.setprofile`) compares numpy's error
  settings and the warning filters with the checker's own whenever the learner's code calls or
  returns. It cannot tell whether a warning would have fired, so silencing alone fails. Library
  code that silences and restores internally (numpy's `isclose`) does not count.
- Values must satisfy |got - expected| <= atol + rtol |expected| with rtol = 1e-6 and atol = 1e-15.
  Because atol is so small, tiny values count: sigmoid(-50) ~ 2e-22 must not come out as 8e-10.
  NaN matches NaN.

Every message is one paragraph that starts with "✓" or "✗". A failure names the first failing
input, and the parameter values when there are any. The learner's function cannot make a check
raise, so a notebook with an unfinished exercise still runs top to bottom. `DEFAULT_INPUTS` and
`EXTREME_INPUTS` are read-only and the checker keeps its own copies, so a notebook cannot change
what is checked.
"""

import itertools
import numbers
import os
import site
import sys
import sysconfig
import textwrap
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

_DEFAULT = tuple(np.concatenate([np.linspace(-6.0, 6.0, 121), [-30.0, -1e-8, 0.0, 1e-8, 30.0]]).tolist())
_EXTREME = (-1e4, -800.0, -50.0, 50.0, 800.0, 1e4)


def _read_only(values):
    """A float64 array that raises on assignment."""
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


DEFAULT_INPUTS = _read_only(_DEFAULT)  # for notebooks to read and combine; checks use _DEFAULT
EXTREME_INPUTS = _read_only(_EXTREME)


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a check: `passed` and a one-paragraph `message` for the learner."""

    passed: bool
    message: str

    def __repr__(self):
        """The message wrapped at 76 columns (inside the site's ~80-character output column): how a
        notebook shows it under the cell."""
        return textwrap.fill(self.message, width=76, break_long_words=False, break_on_hyphens=False)

    def __bool__(self):
        return self.passed


def check_function(fn, reference, inputs=None, rtol=1e-6, atol=1e-15, name=None, params=None,
                   extreme=True, **kwargs):
    """Check fn(x, **p) against reference(x, **p) elementwise, for each parameter set p.

    inputs: 1-D x values (default: 121 points in [-6, 6], 0, +-1e-8 and +-30). The extreme inputs
        +-50, +-800 and +-1e4 are added where the reference is finite, unless extreme=False.
    params: a dict of lists, e.g. {"alpha": [0.5, 2.0]}. Every combination is checked, together with
        the fixed keyword arguments `kwargs`.
    rtol, atol: a value passes if |got - expected| <= atol + rtol |expected|. The default atol is tiny, so
        small values count.
    name: what the messages call fn (default: its __name__).
    Returns a CheckResult. The first failure found (see the module docstring) becomes its message.
    """
    name = _name_of(fn) if name is None else name
    main = np.array(_DEFAULT if inputs is None else inputs, dtype=np.float64).ravel()
    sets = _parameter_sets(kwargs, params)
    extras = set()
    for kw in sets:
        extra = _extreme_inputs(reference, main, kw) if extreme else np.empty(0)
        extras.update(extra.tolist())
        failure = _first_failure(fn, reference, np.concatenate([main, extra]), kw, name, rtol, atol)
        if failure:
            return CheckResult(False, failure)
    message = f"✓ {name} matches the reference on all {main.size} inputs from {main.min():g} to {main.max():g}"
    if extras:
        message += " and on the extreme inputs " + _join(f"{v:g}" for v in sorted(extras))
    if any(sets):
        message += ", for " + _join((_describe(kw) for kw in sets), "; " if len(sets[0]) > 1 else ", ")
    return CheckResult(True, message + ", with no floating-point warning.")


def _first_failure(fn, reference, x, kw, name, rtol, atol):
    """The message for the first rule fn breaks on inputs x with parameters kw, or None."""
    where = f" with {_describe(kw)}" if kw else ""
    expected = _quietly(reference, x, kw)
    run = _run(fn, x, kw)
    if run.error is not None:
        text = " ".join(str(run.error).split())
        return f"✗ {name} raised {type(run.error).__name__}{where}: {text}"
    if run.silenced:
        return (f"✗ {name} silences floating-point warnings ({run.silenced}){where}. A silenced overflow "
                "still happened, and the check cannot tell whether one did: remove the silencing and "
                "rewrite the function so that no step overflows.")
    if run.changed:
        return (f"✗ {name} changed its input{where}: {run.changed}. Leave x as it is (the caller still needs "
                "it): write `x = -x` or `y = x.copy()` rather than `x *= -1` or `x[mask] = ...`.")
    got, problem = _as_values(run.value, x)
    if problem:
        return f"✗ {name} {problem}"
    if got.shape != expected.shape:
        return (f"✗ {name} returned shape {got.shape}, expected {expected.shape} "
                "(one output per input element)")
    if run.warning:
        at, warning = _first_warning_input(fn, x, kw) or ("", run.warning)
        fix = "no step overflows" if "overflow" in warning else "no step makes an inf or a NaN"
        return f"✗ {name} gave a floating-point warning{at}{where}: {warning}. Rewrite it so {fix}."
    return _value_failure(name, x, got, expected, rtol, atol, where)


@dataclass
class _Run:
    """What happened in one call of the learner's function."""

    argument: np.ndarray  # the copy of x it was given, as it was after the call
    value: object = None
    error: Exception = None
    warning: str = None  # the first RuntimeWarning's text
    silenced: str = None  # how it changed the reporting of floating-point problems
    changed: str = None  # what it did to its input, e.g. "x = -6 became 6"


def _run(fn, x, kw):
    """Call fn on copies of x and kw, with every floating-point problem but underflow a warning."""
    run = _Run(argument=x.copy())
    kw = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        with _SilencingWatch() as watch:
            try:
                run.value = fn(run.argument, **kw)
            except Exception as exc:  # a learner's bug of any kind is a result to show, not a crash
                run.error = exc
    run.silenced = watch.change
    run.warning = next((str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)), None)
    after = run.argument
    if after.shape != x.shape or after.dtype != x.dtype:
        run.changed = f"x now has shape {after.shape} and dtype {after.dtype}"
    elif not np.array_equal(after, x, equal_nan=True):
        i = int(np.argmax((after != x) & ~(np.isnan(after) & np.isnan(x))))
        run.changed = f"x = {x[i]:g} became {after[i]:g}"
    return run


def _library_prefixes():
    """Where the standard library, installed packages (user ones too) and `lib` live, and '<frozen'."""
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths |= {*getattr(site, "getsitepackages", list)(), site.getusersitepackages(), os.path.dirname(__file__)}
    return tuple(os.path.join(p, "") for p in paths) + ("<frozen",)


_LIBRARY = _library_prefixes()


def _is_learner_code(frame):
    """True for a frame of code outside the standard library, installed packages and `lib`."""
    return frame is not None and not frame.f_code.co_filename.startswith(_LIBRARY)


def _reporting_state():
    """How floating-point problems are reported now: numpy's settings, warning filters and capture."""
    return np.geterr(), list(warnings.filters), getattr(warnings, "_showwarnmsg_impl", None)


class _SilencingWatch:
    """While active, notes in `change` if the learner's code stops floating-point problems warning."""

    def __enter__(self):
        self.expected, self.change = _reporting_state(), None
        self._previous = sys.getprofile()
        sys.setprofile(self._event)
        return self

    def __exit__(self, *exc_info):
        sys.setprofile(self._previous)

    def _event(self, frame, event, arg):
        """Profile hook: compare the state whenever learner code calls, returns or is called.

        For "call" and "return" the frame is the callee and f_back the caller; for "c_call" and
        "c_return" the frame is the caller (so numpy's isclose calling abs is not learner code).
        """
        caller = frame if event.startswith("c_") else frame.f_back
        if self.change is None and (_is_learner_code(frame) or _is_learner_code(caller)):
            errors, filters, capture = _reporting_state()
            weaker = [f"{k}={v!r}" for k, v in errors.items() if k != "under" and v not in ("warn", "raise")]
            if weaker:
                self.change = "np.errstate or np.seterr: " + ", ".join(weaker)
            elif (filters, capture) != self.expected[1:]:
                self.change = "a warnings filter: warnings.simplefilter, filterwarnings or catch_warnings"


def _as_values(value, x):
    """(value as a float array, None), or (None, what is wrong with it as a reason to fail)."""
    try:
        if value is None:
            return None, "returned None: did you forget the `return` statement?"
        if isinstance(value, np.ndarray) and value.ndim > 0:
            return _array_values(value, x)
        if isinstance(value, (str, bytes)):
            return None, f"returned {_short(value)} (type {type(value).__name__}), not a numpy array of numbers"
        if isinstance(value, (numbers.Number, np.generic, np.ndarray)):
            return None, (f"returned a single value ({_fmt(value)}), not an array with one value per "
                          f"input: x holds {x.size} inputs, so return {x.size} outputs")
        if isinstance(value, Iterator):
            return None, (f"returned a {type(value).__name__}, not an array: build the array, "
                          "e.g. np.array([... for v in x])")
        if isinstance(value, tuple) and len(value) != x.size:
            return None, (f"returned a tuple of {len(value)} items, not one array of {x.size} values: "
                          "return only the one array asked for")
        if isinstance(value, (list, tuple)):
            return None, (f"returned a {type(value).__name__} of {len(value)} items"
                          f"{_first_non_number(value, x)}, not a numpy array: return np.array(...) so that "
                          "arithmetic on the result works elementwise")
        return None, f"returned {_short(value)} (type {type(value).__name__}), not a numpy array of numbers"
    except Exception as exc:  # a strange object's __len__, __iter__ or __array__ failed
        return None, (f"returned a value of type {type(value).__name__} that cannot be read as numbers "
                      f"({type(exc).__name__})")


def _array_values(value, x):
    """_as_values for an ndarray of at least one dimension."""
    if value.dtype.kind == "c":
        return None, f"returned complex numbers (dtype {value.dtype}); the answer is real"
    if value.dtype.kind in "biuf" or (value.dtype.kind == "O" and not _first_non_number(value.ravel(), x)):
        return np.array(value, dtype=np.float64), None  # a plain ndarray, even for a subclass
    return None, (f"returned an array of dtype {value.dtype}{_first_non_number(value.ravel(), x)}, "
                  "expected numbers")


def _first_non_number(items, x):
    """' (the value for x = ... is ...)' for the first item that is not a real number, else ''."""
    for i, item in enumerate(items):
        if not _is_real_number(item):
            at = f"for x = {x[i]:g}" if len(items) == x.size else f"at position {i}"
            return f" (the value {at} is {_short(item)})"
    return ""


def _is_real_number(item):
    """True for a Python, numpy or 0-d array real number (booleans included)."""
    if isinstance(item, np.ndarray):
        return item.ndim == 0 and item.dtype.kind in "biuf"
    return isinstance(item, (numbers.Real, np.bool_))


def _value_failure(name, x, got, expected, rtol, atol, where):
    """The message for values outside the tolerance, or None when all are within it."""
    with np.errstate(all="ignore"):
        wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not wrong.any():
        return None
    i = int(np.argmax(wrong))
    return (f"✗ {name} is wrong at x = {x[i]:g}{where}: expected {expected[i]:.6g}, got {got[i]:.6g} "
            f"({int(wrong.sum())} of {x.size} inputs wrong).{_hint(x[wrong], got[wrong], expected[wrong])}")


def _hint(x, got, expected):
    """A pattern in the wrong values (x = 0 only, flipped sign, constant factor or offset), or ''."""
    if (x == 0).all():
        return " Only x = 0 is wrong: which branch does x = 0 belong to?"
    if got.size < 2 or not (np.isfinite(got).all() and np.isfinite(expected).all()):
        return ""
    with np.errstate(all="ignore"):
        ratio, offset = got / expected, got - expected
    if (expected != 0).all() and ratio[0] != 0 and np.allclose(ratio, ratio[0], rtol=1e-6, atol=0):
        if np.isclose(ratio[0], -1.0):
            return " The sign is flipped."
        return f" It is off by a factor of {ratio[0]:.6g} wherever it is wrong."
    if np.allclose(offset, offset[0], rtol=1e-6, atol=1e-12):
        return f" It is off by {offset[0]:+.6g} wherever it is wrong."
    return ""


def _first_warning_input(fn, x, kw):
    """(' at x = ...', its warning) for the first input on which fn warns by itself, or None."""
    for xi in x:
        warning = _run(fn, np.array([xi]), kw).warning
        if warning:
            return f" at x = {xi:g}", warning
    return None


def _quietly(reference, x, kw):
    """reference(x, **kw) as floats, without warnings (the reference's problems are not the learner's)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return np.asarray(reference(x.copy(), **kw), dtype=np.float64)


def _extreme_inputs(reference, main, kw):
    """The extreme inputs not already in `main` at which the reference is finite."""
    candidates = np.array([v for v in _EXTREME if v not in main])
    return candidates[np.isfinite(_quietly(reference, candidates, kw))] if candidates.size else candidates


def _parameter_sets(kwargs, params):
    """Every combination of the values in `params` (a dict of lists), each added to kwargs."""
    if not params:
        return [dict(kwargs)]
    names = list(params)
    return [{**kwargs, **dict(zip(names, values))} for values in itertools.product(*params.values())]


def _describe(kw):
    """'alpha = 0.5, beta = 2' for a parameter set."""
    return ", ".join(f"{k} = {_fmt(v)}" for k, v in kw.items())


def _join(items, separator=", "):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else separator.join(items[:-1]) + " and " + items[-1]


def _fmt(value):
    """A number as '%g' ('0.5', '1e+04'), anything else as a short repr."""
    try:
        return format(value, "g")
    except Exception:
        return _short(value)


def _short(value, limit=40):
    """repr(value), shortened, or a placeholder if repr fails."""
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _name_of(fn):
    """The function's __name__, or 'your function'."""
    try:
        return str(fn.__name__)
    except Exception:
        return "your function"


def check_values(fn, reference, cases, rtol=1e-9, name=None):
    """Check fn(*case) against reference(*case) for each case, a tuple of arguments.

    For exercises whose answer is a number, or a tuple of numbers, computed from a few arguments
    (a fan-in from a weight shape, a gain from a slope). Never raises; the first wrong case is named.
    """
    name = _name_of(fn) if name is None else name
    for case in cases:
        call = f"{name}({', '.join(_short(a) for a in case)})"
        expected = np.asarray(reference(*case), dtype=np.float64)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                got = fn(*case)
        except Exception as exc:  # a learner's bug of any kind is a result to show, not a crash
            return CheckResult(False, f"✗ {name} raised {type(exc).__name__} in {call}: {' '.join(str(exc).split())}")
        if got is None:
            return CheckResult(False, f"✗ {name} returned None in {call}: did you forget the `return` statement?")
        try:
            values = np.asarray(got, dtype=np.float64)
        except Exception:
            return CheckResult(False, f"✗ {name} returned {_short(got)} in {call}, not a number")
        if values.shape != expected.shape or not np.allclose(values, expected, rtol=rtol, atol=0):
            shown = _fmt_values(values) if values.shape == expected.shape else _short(got)
            return CheckResult(False, f"✗ {name} is wrong: {call} returned {shown}, expected {_fmt_values(expected)}")
    return CheckResult(True, f"✓ {name} gives the right value in all {len(cases)} cases checked.")


def check_conv_fan_in(fn):
    """Check `fn(shape)`: the fan-in C_in * kh * kw of a convolution weight (C_out, C_in, kh, kw)."""
    return check_values(fn, lambda shape: shape[1] * shape[2] * shape[3],
                        [((64, 32, 3, 3),), ((16, 3, 5, 7),), ((8, 1, 1, 1),)])


def check_kaiming_std(fn):
    """Check `fn(fan_in, fan_out)`: PyTorch's default kaiming_normal_ std, sqrt(2 / fan_in)."""
    return check_values(fn, lambda fan_in, fan_out: np.sqrt(2 / fan_in), [(500, 500), (784, 100), (288, 576),
                                                                           (3, 1000)])


def check_uniform_bound(fn):
    """Check `fn(std)`: the bound a of U[-a, a] with this std, sqrt(3) * std (Var = a^2 / 3)."""
    return check_values(fn, lambda std: np.sqrt(3) * std, [(1.0,), (0.05,), (np.sqrt(2 / 784),)])


def check_leaky_relu_gain(fn):
    """Check `fn(slope)`: the gain sqrt(2 / (1 + slope^2)) that keeps E[z^2] through Leaky ReLU layers."""
    return check_values(fn, lambda slope: np.sqrt(2 / (1 + slope**2)), [(0.0,), (0.01,), (0.2,), (1.0,), (3.0,)])


# The mistakes learners make with Glorot & Bengio's standard init: {hint: the wrong formula}.
_BACKWARD_FACTOR_HINTS = {
    "You left out the 1/3: U[-a, a] has variance a^2 / 3, not a^2.": lambda fan_in, fan_out: fan_out / fan_in,
    "That is the forward factor, fan_in Var(w): the gradient going back sums over the fan_out units the "
    "layer feeds.": lambda fan_in, fan_out: fan_in / (3 * fan_in),
    "You swapped the fans: the gradient going back sums over fan_out terms, and Var(w) = 1 / (3 fan_in).":
        lambda fan_in, fan_out: fan_in / (3 * fan_out),
    "That is Var(w) alone: multiply by the number of terms the back-propagated sum has, fan_out.":
        lambda fan_in, fan_out: 1 / (3 * fan_in),
    "You used the standard deviation where the variance belongs: square it.":
        lambda fan_in, fan_out: fan_out / np.sqrt(3 * fan_in),
    "U[-a, a] has variance (2a)^2 / 12 = a^2 / 3: its width is 2a, not a.":
        lambda fan_in, fan_out: fan_out / (12 * fan_in),
    "That is the normalized init's Var(w), 2 / (fan_in + fan_out): this is the standard init, and the "
    "factor is fan_out Var(w).": lambda fan_in, fan_out: 2 / (fan_in + fan_out),
}


def check_values_with_hints(fn, reference, cases, hints):
    """`check_values`, and when it fails and fn gives what a known mistake gives on every case (hints:
    {hint: wrong(*case)}), the failure message ends with that mistake's hint."""
    result = check_values(fn, reference, cases)
    if result.passed:
        return result
    for hint, wrong in hints.items():
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                same = all(np.isclose(float(fn(*case)), wrong(*case), rtol=1e-9, atol=0) for case in cases)
        except Exception:  # an answer that fails on some case matches no mistake
            same = False
        if same:
            return CheckResult(False, f"{result.message}. {hint}")
    return result


def check_backward_variance_factor(fn):
    """Check `fn(fan_in, fan_out)`: the factor fan_out Var(w) = fan_out / (3 fan_in) by which one layer
    with Glorot & Bengio's standard init U[-1/sqrt(fan_in), 1/sqrt(fan_in)] multiplies the variance of
    the back-propagated gradient in the linear regime (1/3 for equal widths). A failure names the
    first wrong case and, when the answer matches a known mistake on every case, the mistake."""
    return check_values_with_hints(fn, lambda fan_in, fan_out: fan_out / (3 * fan_in),
                                   [(1000, 1000), (784, 100), (100, 400), (3, 1000)], _BACKWARD_FACTOR_HINTS)


def _digamma(x):
    from scipy.special import digamma

    return digamma(x)


# The mistakes learners make with the unbiased gain of a linear network: {hint: the wrong formula}.
_UNBIASED_GAIN_HINTS = {
    "That is Sussillo & Abbott's approximation exp(1/(2N)), first order in 1/N: the exact gain uses "
    "psi(N/2) + ln(2/N).": lambda N: np.exp(1 / (2 * N)),
    "That is g^2: the step is ln g + (1/2) E ln(chi^2_N / N), so ln g is minus half the mean.":
        lambda N: np.exp(-(_digamma(N / 2) + np.log(2 / N))),
    "The sign is flipped: ln g must cancel the mean, so ln g = -(1/2) E ln(chi^2_N / N).":
        lambda N: np.exp((_digamma(N / 2) + np.log(2 / N)) / 2),
    "Use psi(N/2): chi^2_N is 2 times a Gamma(N/2) variable, so E ln chi^2_N = psi(N/2) + ln 2.":
        lambda N: np.exp(-(_digamma(N) + np.log(2 / N)) / 2),
    "E ln(chi^2_N / N) = psi(N/2) + ln 2 - ln N = psi(N/2) + ln(2/N), not ln(N/2).":
        lambda N: np.exp(-(_digamma(N / 2) + np.log(N / 2)) / 2),
    "A gain of 1 keeps E|delta|^2, not E ln|delta|: the mean of the log is below the log of the mean.":
        lambda N: 1.0 + 0 * N,
}


def check_unbiased_linear_gain(fn):
    """Check `fn(N)`: the gain g = exp(-(psi(N/2) + ln(2/N)) / 2) that makes the mean step of
    ln |delta| through linear layers of width N with W ~ N(0, g^2 / N) exactly 0."""
    return check_values_with_hints(fn, lambda N: np.exp(-(_digamma(N / 2) + np.log(2 / N)) / 2),
                                   [(1,), (2,), (5,), (20,), (1000,)], _UNBIASED_GAIN_HINTS)


def _fmt_values(values):
    """A number or a tuple of numbers, each as '%.6g'."""
    values = np.atleast_1d(values)
    text = ", ".join(f"{v:.6g}" for v in values)
    return text if values.size == 1 else f"({text})"


def check_keeps_spread(std, depth=10, width=256, name="my_std"):
    """The experimental check of a std for tanh layers: run N(0, 1) inputs through `depth` tanh
    layers of `width` units with W ~ N(0, std^2) and pass when the last layer's activations keep
    their spread (std >= 0.4) with at most 5 % of units saturated (|h| > 0.99)."""
    from lib.propagation import forward_through_layers

    if isinstance(std, (bool, np.bool_)) or not isinstance(std, numbers.Real) or not 0 < std < 100:
        return CheckResult(False, f"✗ {name} must be a positive number below 100, got {_short(std)}")
    last = forward_through_layers(np.random.default_rng(0), float(std), "tanh", depth=depth, width=width,
                                  n=width)[-1]
    spread, saturated = float(last.std()), float(np.mean(np.abs(last) > 0.99))
    measured = (f"{name} = {std:.4g} gives layer {depth} activations of std {spread:.3g}, "
                f"{saturated:.1%} of them saturated")
    if spread < 0.4:
        return CheckResult(False, f"✗ {measured}: the signal fades (std < 0.4). Try a larger std.")
    if saturated > 0.05:
        return CheckResult(False, f"✗ {measured}: too many units saturate (> 5 %). Try a smaller std.")
    return CheckResult(True, f"✓ {measured}: the spread is kept. In units of 1/sqrt({width}) your std is "
                             f"{std * np.sqrt(width):.2f}.")


# --- functions that take and return arrays (the preprocessing chapter's exercises) ----------------

def check_array_function(fn, reference, cases, name=None, rtol=1e-6, atol=1e-9, hints=None, parts=None):
    """Check fn(*case) against reference(*case) for each case, a tuple of arguments (arrays or numbers).

    For exercises whose answer is an array computed from arrays (a standardized data set, a
    whitening matrix, per-channel statistics). The rules:

    - fn gets copies of the arguments and must leave them unchanged: one it changed fails the check.
    - It must not raise and must return numbers of the reference's shape; when the reference
      returns a tuple of arrays, fn must return as many, in the same order (`parts` names them,
      e.g. ("mean", "std")).
    - Values must satisfy np.isclose(got, expected, rtol, atol); NaN or inf where the reference
      is finite fails.
    - hints: {message: wrong(*case)}, the known mistakes. When fn's result equals what a wrong
      function gives on the failing case (or, for a wrong shape, has its shape), the message adds
      the hint in the learner's terms (e.g. "Your covariance is not centred"); in any case it names
      what differs: the shape, or the first differing entry and how many differ.

    Never raises; numpy warnings inside fn are not shown. Returns a CheckResult whose message is
    one line starting "✓" or "✗ <fn name> ".
    """
    name = _name_of(fn) if name is None else name
    arguments = _argument_names(fn, reference)
    for case in cases:
        case = tuple(case)
        described = _describe_case(case, arguments)
        expected = _quiet_call(reference, case)
        if isinstance(expected, Exception):
            return CheckResult(False, f"✗ {name} cannot be checked for {described}: the reference raised "
                                      f"{type(expected).__name__} (a bug in the check, not in your code).")
        result, changed = _run_on_copies(fn, case, arguments)
        if isinstance(result, Exception):
            return CheckResult(False, f"✗ {name} raised {type(result).__name__} for {described}: "
                                      f"{' '.join(str(result).split())}.{_error_hint(result)}")
        if changed:
            return CheckResult(False, f"✗ {name} changed its input {changed} for {described}: leave the "
                                      "caller's arrays as they are (write `Xc = X - mu`, not `X -= mu`).")
        problem = _compare_result(result, expected, rtol, atol, parts)
        if problem:
            lead, detail = problem
            hint = _matching_hint(result, expected, hints, case, rtol, atol)
            return CheckResult(False, f"✗ {name} {lead} for {described}{detail}{' ' + hint if hint else ''}")
    shown = "; ".join(_describe_case(tuple(c), arguments) for c in cases)
    return CheckResult(True, f"✓ {name} matches the reference in all {len(cases)} cases ({shown}).")


def _argument_names(fn, reference):
    """The parameter names of fn (or else of the reference), to name arguments in messages."""
    import inspect

    for f in (fn, reference):
        try:
            return [p.name for p in inspect.signature(f).parameters.values()]
        except (TypeError, ValueError):
            continue
    return []


def _arg_name(arguments, i):
    return arguments[i] if i < len(arguments) else f"argument {i + 1}"


def _describe_case(case, arguments):
    """'X_train of shape (30, 5), eps = 0.1'."""
    described = []
    for i, value in enumerate(case):
        label = _arg_name(arguments, i)
        if isinstance(value, np.ndarray) and value.ndim > 0:
            described.append(f"{label} of shape {value.shape}")
        else:
            described.append(f"{label} = {_fmt(value)}")
    return ", ".join(described)


def _copies(case):
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in case)


def _quiet_call(f, case):
    """f(*copies of case) with numpy warnings silenced; the exception instead if it raises."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return f(*_copies(case))
    except Exception as exc:  # a learner's (or a hint's) bug is a result, not a crash
        return exc


def _run_on_copies(fn, case, arguments):
    """(fn's result or exception, '' or the name of the argument fn changed)."""
    copies = _copies(case)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*copies)
    except Exception as exc:
        result = exc
    for i, (before, after) in enumerate(zip(case, copies)):
        if isinstance(before, np.ndarray) and (after.shape != before.shape or after.dtype != before.dtype
                                               or not np.array_equal(after, before, equal_nan=True)):
            return result, _arg_name(arguments, i)
    return result, ""


def _error_hint(exc):
    """A pointer for the error learners meet most with arrays: shapes that do not broadcast."""
    if isinstance(exc, ValueError) and "broadcast" in str(exc):
        return (" Check the axis: a statistic per feature has one value per column, shape (D,), "
                "computed over the rows (axis=0).")
    return ""


def _as_parts(value, structure):
    """value as a list of float arrays split like `structure` (a tuple of k arrays: k parts; anything
    else: one part), or (lead, detail) saying why it cannot be read so."""
    if value is None:
        return "returned None", ": did you forget the `return` statement?"
    if isinstance(structure, tuple):
        k = len(structure)
        stacked = isinstance(value, np.ndarray) and value.shape[:1] == (k,) and all(
            value.shape[1:] == np.shape(part) for part in structure)  # the k parts stacked: fine
        if not (isinstance(value, (tuple, list)) and len(value) == k or stacked):
            return f"returned {_short(value)}", f", not {k} arrays: return them as a tuple, e.g. `return mean, std`."
        items = list(value)
    else:
        items = [value]
    arrays = []
    for item in items:
        try:
            array = np.asarray(item)
        except Exception:
            return f"returned {_short(item)}", ", which cannot be read as numbers."
        if array.dtype.kind == "c":
            return f"returned complex numbers (dtype {array.dtype})", ": the answer is real."
        if array.dtype.kind not in "biuf":
            return f"returned {_short(item)}", f", of dtype {array.dtype}, not numbers."
        arrays.append(array.astype(np.float64))
    return arrays


def _compare_result(value, expected, rtol, atol, parts):
    """(lead, detail) saying what is wrong with value against expected, or None when it matches."""
    got = _as_parts(value, expected)
    if isinstance(got, tuple):
        return got
    wanted = [np.asarray(e, dtype=np.float64) for e in (expected if isinstance(expected, tuple) else [expected])]
    for i, (g, e) in enumerate(zip(got, wanted)):
        which = ""
        if len(wanted) > 1:
            label = parts[i] if parts and i < len(parts) else f"part {i + 1}"
            which = f" in its {label} (result {i + 1} of {len(wanted)})"
        if g.shape != e.shape:
            return f"returned shape {g.shape}{which}", f", expected {e.shape}."
        with np.errstate(all="ignore"):
            wrong = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
        if wrong.any():
            index = np.unravel_index(int(np.argmax(wrong)), e.shape) if e.ndim else ()
            at = f" at [{', '.join(map(str, index))}]" if index else ""
            bad = "" if np.isfinite(g[index]) else ", NaN or inf where the answer is a number"
            return (f"is wrong{which}",
                    f":{at} expected {e[index]:.6g}, got {g[index]:.6g} ({int(wrong.sum())} of {e.size} "
                    f"values differ{bad}).")
    return None


def _matching_hint(value, expected, hints, case, rtol, atol):
    """The message of the first hint whose wrong function gives what fn gave on this case, or ''.

    When fn's result has the wrong shape, a hint matches on the shape alone (the shape of a mean
    per image, of a mean image, of an N x N covariance says what happened); otherwise on the values.
    """
    mine = _as_parts(value, expected)
    if isinstance(mine, tuple):
        return ""
    wanted = [np.shape(e) for e in (expected if isinstance(expected, tuple) else [expected])]
    shape_only = [m.shape for m in mine] != wanted
    for message, wrong in (hints or {}).items():
        guess = _quiet_call(wrong, case)
        if isinstance(guess, Exception):
            continue
        structure = guess if isinstance(guess, tuple) else None
        mine, theirs = _as_parts(value, structure), _as_parts(guess, structure)
        if isinstance(mine, tuple) or isinstance(theirs, tuple) or len(mine) != len(theirs):
            continue
        if any(a.shape != b.shape for a, b in zip(mine, theirs)):
            continue
        with np.errstate(all="ignore"):
            if shape_only or all(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
                                 for a, b in zip(mine, theirs)):
                return message
    return ""


# The preprocessing chapter's exercises: fixed cases, the reference from lib, the mistakes learners make.

def _safe_std(X, axis=0, ddof=0):
    """The std per feature, with 1 where it is 0 (a constant feature is only centred)."""
    sigma = np.std(X, axis=axis, ddof=ddof)
    return np.where(sigma == 0, 1.0, sigma)


def _standardize_cases():
    """Training and other data with features of different means and scales; feature 1 is 0 in every
    row (a blank corner pixel), so its std is 0."""
    rng = np.random.default_rng(0)
    X_train = rng.normal([5.0, 0.0, -3.0, 50.0, 1.0], [3.0, 1.0, 0.5, 20.0, 1.0], size=(30, 5))
    X = rng.normal([7.0, 0.0, -2.0, 40.0, 1.0], [3.0, 1.0, 1.0, 25.0, 2.0], size=(10, 5))
    X_train[:, 1] = X[:, 1] = 0.0
    return [(X_train, X), (X_train, X_train.copy()), (X_train[:12], X[:1])]


_STANDARDIZE_HINTS = {
    "You used the statistics of X, not of X_train: fit the mean and std on the training set only, and "
    "apply them unchanged to any other data.": lambda X_train, X: (X - X.mean(axis=0)) / _safe_std(X),
    "You computed one mean and std per example (axis=1); standardizing uses one per feature, over the "
    "rows (axis=0).": lambda X_train, X: (X - X.mean(axis=1, keepdims=True)) / _safe_std(X, axis=1)[:, None],
    "A feature that is constant in X_train has std 0, and 0 / 0 is NaN: divide by 1 where the std is 0 "
    "(the feature then becomes exactly 0).": lambda X_train, X: (X - X_train.mean(axis=0)) / X_train.std(axis=0),
    "You divided by the variance; divide by the standard deviation, its square root.":
        lambda X_train, X: (X - X_train.mean(axis=0)) / _safe_std(X_train) ** 2,
    "You did not subtract the training mean.": lambda X_train, X: X / _safe_std(X_train),
    "You did not divide by the standard deviation.": lambda X_train, X: X - X_train.mean(axis=0),
    "You used one mean and one std for all features (no axis): compute one per feature, axis=0.":
        lambda X_train, X: (X - X_train.mean()) / X_train.std(),
    "You used the sample standard deviation (ddof=1); use np.std's default, ddof=0, as "
    "lib.preprocessing does.": lambda X_train, X: (X - X_train.mean(axis=0)) / _safe_std(X_train, ddof=1),
}


def check_standardize(fn):
    """Check `fn(X_train, X)`: X standardized with the mean and std of each feature of X_train
    (lib.preprocessing.Standardize), a feature constant in X_train only centred."""
    from lib.preprocessing import Standardize

    return check_array_function(fn, lambda X_train, X: Standardize().fit(X_train).transform(X),
                                _standardize_cases(), hints=_STANDARDIZE_HINTS)


def _eigh_of_covariance(X_train, ddof=0, centre=True):
    """(eigenvalues, eigenvectors as columns) of the covariance of X_train's features."""
    Xc = X_train - X_train.mean(axis=0) if centre else X_train
    return np.linalg.eigh(Xc.T @ Xc / (len(X_train) - ddof))


def _zca_hint(scale, rows=False, rotate_back=True, **covariance):
    """A wrong ZCA matrix: U diag(scale(lambda, eps)) U^T with the covariance options given."""
    def wrong(X_train, eps):
        lam, U = _eigh_of_covariance(X_train, **covariance)
        U = U.T if rows else U
        return (U * scale(np.clip(lam, 0, None), eps)) @ U.T if rotate_back else U * scale(lam, eps)
    return wrong


def _zca_cases():
    """Correlated, off-centre training data with distinct eigenvalues far from 0 and 1, two eps."""
    rng = np.random.default_rng(0)
    mixing = np.array([[3.0, 1.0, 0.0, 0.5], [0.0, 2.0, 0.5, 0.0], [0.0, 0.0, 0.7, 0.2], [0.0, 0.0, 0.0, 0.3]])
    X4 = rng.standard_normal((200, 4)) @ mixing + np.array([4.0, -2.0, 1.0, 10.0])
    X3 = rng.standard_normal((60, 3)) @ np.array([[2.0, 0.5, 0.0], [0.0, 1.5, 0.5], [0.0, 0.0, 0.4]]) + 3.0
    return [(X4, 0.1), (X4, 1e-5), (X3, 1.0)]


_ZCA_HINTS = {
    "You divided by the eigenvalues; whitening divides by their square roots: 1 / sqrt(lambda + eps).":
        _zca_hint(lambda lam, eps: 1 / (lam + eps)),
    "Your covariance is not centred: subtract the training mean before X^T X / N.":
        _zca_hint(lambda lam, eps: 1 / np.sqrt(lam + eps), centre=False),
    "You used the eigenvectors as rows: np.linalg.eigh returns them as the columns of U, so "
    "W = U diag(...) U^T.": _zca_hint(lambda lam, eps: 1 / np.sqrt(lam + eps), rows=True),
    "This is PCA whitening, U diag(1 / sqrt(lambda + eps)); ZCA rotates back: multiply by U^T on the "
    "right.": _zca_hint(lambda lam, eps: 1 / np.sqrt(lam + eps), rotate_back=False),
    "You left out eps.": _zca_hint(lambda lam, eps: 1 / np.sqrt(lam)),
    "You divided the covariance by N - 1 (np.cov's default); divide by N, as lib.preprocessing does.":
        _zca_hint(lambda lam, eps: 1 / np.sqrt(lam + eps), ddof=1),
    "You multiplied by sqrt(lambda + eps); divide by it.": _zca_hint(lambda lam, eps: np.sqrt(lam + eps)),
    "You added eps outside the square root: use 1 / sqrt(lambda + eps).":
        _zca_hint(lambda lam, eps: 1 / (np.sqrt(lam) + eps)),
    "You computed the covariance of the examples, X X^T (N x N); the covariance of the D features is "
    "X^T X / N (D x D).": lambda X_train, eps: np.zeros((len(X_train), len(X_train))),
}


def check_zca_matrix(fn):
    """Check `fn(X_train, eps)`: the ZCA whitening matrix U diag(1 / sqrt(lambda + eps)) U^T of the
    covariance of X_train (1/N, centred), as lib.preprocessing.ZCA's matrix_."""
    from lib.preprocessing import ZCA

    return check_array_function(fn, lambda X_train, eps: ZCA(eps=eps).fit(X_train).matrix_, _zca_cases(),
                                hints=_ZCA_HINTS)


def _channel_cases():
    """uint8 images (N, H, W, 3) whose channels differ in mean and spread; never N = 3 = C, so a
    mean per image cannot pass for a mean per channel."""
    rng = np.random.default_rng(0)

    def images(n, h, w, low, high):
        return rng.integers(low, high, size=(n, h, w, 3), endpoint=True).astype(np.uint8)

    return [(images(4, 5, 6, [120, 60, 0], [255, 200, 90]),), (images(2, 7, 3, [0, 100, 200], [60, 160, 255]),),
            (images(5, 2, 2, [30, 30, 30], [250, 250, 250]),)]


_CHANNEL_HINTS = {
    "You computed one mean per image, axis=(1, 2): average over the images too, axis=(0, 1, 2).":
        lambda images: (images.mean(axis=(1, 2)), images.std(axis=(1, 2))),
    "That is the mean image (AlexNet's), one value per pixel and channel: average over the pixels too, "
    "axis=(0, 1, 2).": lambda images: (images.mean(axis=0), images.std(axis=0)),
    "You averaged over the channels (axis=-1); keep them: average over every other axis, (0, 1, 2).":
        lambda images: (images.mean(axis=-1), images.std(axis=-1)),
    "You averaged over everything: keep one value per channel, axis=(0, 1, 2).":
        lambda images: (images.mean(), images.std()),
    "The mean of the per-image standard deviations misses the differences between images: take the std "
    "over all images and pixels at once.": lambda images: (images.mean(axis=(0, 1, 2)),
                                                          images.std(axis=(1, 2)).mean(axis=0)),
    "uint8 arithmetic wrapped around (16 * 16 does not fit in 0..255): convert first, "
    "images.astype(np.float64).": lambda images: (images.mean(axis=(0, 1, 2)), np.sqrt(
        (images * images).mean(axis=(0, 1, 2)) - images.mean(axis=(0, 1, 2)) ** 2)),
    "That is the variance; the std is its square root.": lambda images: (images.mean(axis=(0, 1, 2)),
                                                                         images.var(axis=(0, 1, 2))),
    "The results are in the wrong order: return (mean, std).": lambda images: (images.std(axis=(0, 1, 2)),
                                                                               images.mean(axis=(0, 1, 2))),
}


def check_channel_stats(fn):
    """Check `fn(images)` for uint8 images (N, H, W, C): (mean, std), each (C,), over all images and pixels."""
    return check_array_function(fn, lambda images: (images.mean(axis=(0, 1, 2)), images.std(axis=(0, 1, 2))),
                                _channel_cases(), hints=_CHANNEL_HINTS, parts=("mean", "std"))


# --- an experimental answer: the activations chapter's convergence measurement ---------------------

_MEDIAN_RATIO_SETTING = {"width": 32, "target": 0.8, "lr": 0.3, "momentum": 0.9, "max_steps": 3000}
_MEDIAN_RATIO_CASES = (("tanh", 2, (0, 1, 2)), ("sigmoid", 1, (3, 4, 5)))


def _spirals_for_ratios():
    """The chapter's smaller spirals (50 points per arm, seed 0): (X (150, 2), y (150,))."""
    from lib import data

    return data.spirals(50, np.random.default_rng(0))


def _reference_steps(activation, hidden_layers, seed):
    """Steps to the target loss of one run, written out with MLP and steps_to_loss (independently of
    the chapter's `experiments.steps_to_target`); cached, since each check reuses the runs."""
    key = (activation, hidden_layers, seed)
    if key not in _STEPS_CACHE:
        from lib.network import MLP, steps_to_loss

        X, y = _spirals_for_ratios()
        s = _MEDIAN_RATIO_SETTING
        rng = np.random.default_rng(seed)
        net = MLP([2] + [s["width"]] * hidden_layers + [3], rng, activation=activation, init="lecun_normal")
        _STEPS_CACHE[key] = steps_to_loss(net, X, y, rng, target=s["target"], max_steps=s["max_steps"], lr=s["lr"],
                                          momentum=s["momentum"])[0]
    return _STEPS_CACHE[key]


_STEPS_CACHE = {}


def _ratios(activation, hidden_layers, seeds):
    """Per-seed ratios steps(activation) / steps(relu), and the two lists of steps."""
    slow = [_reference_steps(activation, hidden_layers, seed) for seed in seeds]
    fast = [_reference_steps("relu", hidden_layers, seed) for seed in seeds]
    return np.array(slow, dtype=float) / np.array(fast, dtype=float), slow, fast


def _median_ratio_hint(got, activation, hidden_layers, seeds):
    """The known mistake whose value equals `got`, in the learner's terms, or ''."""
    ratios, slow, fast = _ratios(activation, hidden_layers, seeds)

    def near(value):
        return bool(np.isclose(got, value, rtol=1e-9, atol=0))

    if near(1 / np.median(ratios)) or near(np.median(1 / ratios)):
        return (f"That is ReLU's steps over {activation}'s: the ratio is the slower activation's steps over "
                "ReLU's, above 1 when ReLU is faster.")
    if near(np.mean(ratios)):
        return "That is the mean of the per-seed ratios: take the median (np.median), which one odd run cannot drag."
    if near(np.median(slow) / np.median(fast)):
        return ("That is the ratio of the two medians: pair the runs by seed (each seed's steps over ReLU's "
                "steps for the same seed), then take the median of those ratios.")
    if any(near(r) for r in ratios):
        return "That is the ratio of a single seed: compute one ratio per seed in `seeds`, then their median."
    for other in ("relu", "tanh", "sigmoid"):
        if other != activation and near(np.median(_ratios(other, hidden_layers, seeds)[0])):
            return f"That is the ratio for {other}, not for {activation}: train the activation you are given."
    for depth in (1, 2, 3):
        if depth != hidden_layers and near(np.median(_ratios(activation, depth, seeds)[0])):
            return f"That is the ratio at {depth} hidden layers: pass hidden_layers on to each run."
    return ""


def check_median_ratio(fn, name=None):
    """The experimental check of `fn(X, y, activation, hidden_layers, seeds)`: the median over seeds of
    steps(activation) / steps("relu"), each the full-batch steps an MLP with `hidden_layers` hidden
    layers needs to reach the chapter's target loss on (X, y) (`experiments.steps_to_target`), runs
    paired by seed. The reference counts come from MLP and steps_to_loss directly. Cases: tanh at 2
    hidden layers and sigmoid at 1, three seeds each; known mistakes get a hint."""
    name = _name_of(fn) if name is None else name
    X, y = _spirals_for_ratios()
    results = []
    for activation, hidden_layers, seeds in _MEDIAN_RATIO_CASES:
        call = f"{name}(X, y, {activation!r}, {hidden_layers}, seeds={seeds})"
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                got = fn(X.copy(), y.copy(), activation, hidden_layers, seeds)
        except Exception as exc:  # a learner's bug of any kind is a result to show, not a crash
            return CheckResult(False, f"✗ {name} raised {type(exc).__name__} in {call}: {' '.join(str(exc).split())}")
        if got is None:
            return CheckResult(False, f"✗ {name} returned None in {call}: did you forget the `return` statement?")
        try:
            values = np.asarray(got, dtype=float)
        except Exception:
            values = None
        if values is None or values.size != 1 or isinstance(got, (bool, np.bool_)):
            return CheckResult(False, f"✗ {name} returned {_short(got)} in {call}: return one number, "
                                      "the median ratio.")
        got = float(values.ravel()[0])
        ratios, slow, fast = _ratios(activation, hidden_layers, seeds)
        expected = float(np.median(ratios))
        if not np.isclose(got, expected, rtol=1e-9, atol=0):
            hint = _median_ratio_hint(got, activation, hidden_layers, seeds)
            return CheckResult(False, f"✗ {name} is wrong: {call} returned {got:.4g}, expected {expected:.4g} "
                                      f"(steps per seed: {activation} {slow}, relu {fast})."
                                      f"{' ' + hint if hint else ''}")
        results.append(f"{activation}/ReLU {expected:.2g} at {hidden_layers} hidden layer{'s' * (hidden_layers > 1)}")
    return CheckResult(True, f"✓ {name} gives the median ratio in both cases: {'; '.join(results)}.")


# --- The reading list's methods page: LSUV's loop, Fixup's scale, a round of magnitude pruning ----

def _lsuv_variant(W, b, h, tol, max_iter, divide=np.sqrt, statistic=np.var, use_b=True, rescale_first=False,
                  stop_at=None, limit=None):
    """A (possibly wrong) LSUV loop: the hints of check_lsuv_layer are variations of it."""
    def measure(W):
        return statistic(h @ W + b) if use_b else statistic(h @ W)

    v, rescalings = measure(W), 0
    limit = max_iter if limit is None else limit
    while (rescale_first and rescalings == 0) or (abs(v - 1) >= (tol if stop_at is None else stop_at)
                                                  and rescalings < limit):
        W = W / divide(v)
        v, rescalings = measure(W), rescalings + 1
    return W


def _lsuv_cases():
    """One layer's weights, biases and input batch, with biases large enough that one rescaling
    is not enough; the same with a tighter tol, a max_iter that stops the loop, and a layer
    already within tol (0 rescalings)."""
    rng = np.random.default_rng(0)
    h = rng.standard_normal((200, 6)) @ np.diag([1.0, 2.0, 0.5, 1.5, 1.0, 0.8])
    W, b = 0.9 * rng.standard_normal((6, 4)), rng.normal(0.0, 0.6, size=4)
    W2, b2 = 2.0 * rng.standard_normal((5, 3)), np.array([0.9, -0.8, 0.5])
    h2 = rng.standard_normal((150, 5))
    W3 = rng.standard_normal((6, 4)) / np.sqrt(6)
    W3 = W3 / np.sqrt(np.var(h @ W3)) * np.sqrt(1.05)  # variance 1.05: within tol 0.1 already
    return [(W, b, h, 0.1, 10), (W2, b2, h2, 0.1, 10), (W2, b2, h2, 0.01, 10), (W2, b2, h2, 0.1, 2),
            (W3, np.zeros(4), h, 0.1, 10)]


_LSUV_HINTS = {
    "You rescaled once only: with a bias the variance is not 1 after one division; repeat while "
    "|Var - 1| >= tol.": lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, limit=1),
    "You divided by the variance; divide by the standard deviation, its square root.":
        lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, divide=lambda v: v),
    "You left out the bias: the layer's output is h @ W + b.":
        lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, use_b=False),
    "You used the mean of the squares, E[z^2]; LSUV uses the variance, np.var(z).":
        lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, statistic=lambda z: np.mean(z * z)),
    "Your loop ignores max_iter: stop after at most max_iter rescalings.":
        lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, limit=1000),
    "You rescaled although the variance was already within tol of 1: test before rescaling "
    "(a while loop, not do ... while).":
        lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, rescale_first=True),
    "Your loop ignores tol: stop as soon as |Var - 1| < tol.":
        lambda W, b, h, tol, max_iter: _lsuv_variant(W, b, h, tol, max_iter, stop_at=1e-12),
    "You scaled each unit (column) by its own std: that is Krähenbühl et al.'s per-unit rule; LSUV "
    "divides the whole W by one number, the std of all of the layer's outputs.":
        lambda W, b, h, tol, max_iter: W / np.std(h @ W + b, axis=0),
}


def check_lsuv_layer(fn):
    """Check `fn(W, b, h, tol, max_iter)`: LSUV's loop for one layer, the rescaled W
    (lib.initializers.lsuv_layer): W <- W / sqrt(Var(h @ W + b)) while |Var - 1| >= tol, at most
    max_iter times."""
    from lib.initializers import lsuv_layer

    return check_array_function(fn, lambda W, b, h, tol, max_iter: lsuv_layer(W, b, h, tol, max_iter)[0],
                                _lsuv_cases(), hints=_LSUV_HINTS)


def _values_hint(fn, cases, hints):
    """The message of the first hint whose function gives fn's values in every case, or ''."""
    for message, wrong in hints.items():
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                if all(np.allclose(np.asarray(fn(*c), dtype=np.float64), wrong(*c), rtol=1e-9, atol=0)
                       for c in cases):
                    return " " + message
        except Exception:  # the learner's function may fail on some case: then no hint
            return ""
    return ""


_FIXUP_CASES = [(16, 2), (8, 3), (100, 2), (64, 4), (81, 3), (1, 2)]
_FIXUP_HINTS = {
    "You used L^(-1/(2m)): only the m - 1 layers before the zero-initialized last layer are scaled, "
    "so the exponent is -1/(2m - 2).": lambda L, m: L ** (-1 / (2 * m)),
    "That is the factor for the variance, L^(-1/(m-1)); the weights' std takes its square root.":
        lambda L, m: L ** (-1 / (m - 1)),
    "That is 1/sqrt(L) whatever m: the exponent depends on the branch's depth m.": lambda L, m: L ** -0.5,
    "The sign of the exponent is flipped: the scale must shrink as L grows.": lambda L, m: L ** (1 / (2 * m - 2)),
    "Operator precedence: -1 / 2 * m - 2 is (-1 / 2) * m - 2; write L ** (-1 / (2 * m - 2)).":
        lambda L, m: float(L) ** (-1 / 2 * m - 2),
}


def check_fixup_scale(fn):
    """Check `fn(L, m)`: Fixup's factor L^(-1/(2m-2)) for L residual blocks of m layers
    (lib.initializers.fixup_scale)."""
    from lib.initializers import fixup_scale

    result = check_values(fn, fixup_scale, _FIXUP_CASES)
    if result.passed:
        return result
    return CheckResult(False, result.message + _values_hint(fn, _FIXUP_CASES, _FIXUP_HINTS))


def _prune_variant(W, mask, fraction, key=np.abs, count="remaining", keep_old=True, candidates="remaining",
                   largest=False):
    """A (possibly wrong) round of magnitude pruning: the hints of check_prune_round vary it."""
    flat_w, flat_mask = W.ravel(), mask.ravel()
    pool = np.flatnonzero(flat_mask) if candidates == "remaining" else np.arange(flat_w.size)
    n = int(round(fraction * (flat_mask.sum() if count == "remaining" else flat_w.size)))
    order = np.argsort(key(flat_w[pool]), kind="stable")
    chosen = pool[order[::-1][:n]] if largest else pool[order[:n]]
    new = (flat_mask.copy() if keep_old else np.ones_like(flat_mask)).astype(np.float64)
    new[chosen] = 0.0
    return new.reshape(W.shape)


def _prune_cases():
    """Weights with large negative entries; masks from earlier rounds whose pruned weights are 0
    (rewound, W * mask) or still hold small values (trained, stored unmasked); counts that are whole."""
    rng = np.random.default_rng(1)
    W1 = rng.normal(0.0, 1.0, size=(4, 5))
    mask2 = np.ones((6, 5))
    mask2.ravel()[rng.choice(30, 10, replace=False)] = 0.0
    W2 = rng.normal(0.0, 1.0, size=(6, 5)) * mask2  # rewound: pruned weights are exactly 0
    W3 = rng.normal(0.0, 1.0, size=(5, 4))
    mask3 = np.ones((5, 4))
    mask3.ravel()[np.argsort(np.abs(W3.ravel()))[:8]] = 0.0  # pruned last round: the 8 smallest
    W3 = W3 + 0.01 * rng.standard_normal((5, 4))  # trained further, stored without the mask
    return [(W1, np.ones((4, 5)), 0.2), (W2, mask2, 0.25), (W3, mask3, 0.5)]


_PRUNE_HINTS = {
    "You pruned the smallest signed values (large negative weights): prune by magnitude, np.abs(W).":
        lambda W, mask, fraction: _prune_variant(W, mask, fraction, key=lambda w: w),
    "You pruned the largest weights; magnitude pruning removes the smallest |W|.":
        lambda W, mask, fraction: _prune_variant(W, mask, fraction, largest=True),
    "You pruned a fraction of all the layer's weights; prune that fraction of the remaining ones "
    "(mask == 1).": lambda W, mask, fraction: _prune_variant(W, mask, fraction, count="all"),
    "You counted weights pruned in earlier rounds again (they are among the smallest): choose only "
    "among the remaining ones, mask == 1.": lambda W, mask, fraction: _prune_variant(W, mask, fraction,
                                                                                     candidates="all"),
    "Your mask brings back weights pruned in earlier rounds: start from the current mask, and only add "
    "zeros.": lambda W, mask, fraction: _prune_variant(W, mask, fraction, keep_old=False),
    "You pruned 1 - fraction of the remaining weights: `fraction` is the share to remove.":
        lambda W, mask, fraction: _prune_variant(W, mask, 1 - fraction),
    "You returned the pruned weights W * mask; return the new mask (1 keeps a weight, 0 prunes it).":
        lambda W, mask, fraction: W * _prune_variant(W, mask, fraction),
}


def check_prune_round(fn):
    """Check `fn(W, mask, fraction)`: one round of magnitude pruning of one layer, the new mask
    (lib.pruning.prune_by_magnitude): `fraction` of the remaining weights, those of smallest |W|,
    get mask 0."""
    from lib.pruning import prune_by_magnitude

    return check_array_function(fn, prune_by_magnitude, _prune_cases(), hints=_PRUNE_HINTS)


# --- SELU's fixed point (activations, page 2): (mean, variance) of SELU(z) for z ~ N(mu, sigma^2) ---

_SELU_CASES = [(0.0, 1.0), (0.5, 1.5), (-1.0, 0.5)]  # the fixed point, and two points off it


def _selu_moments_with(f, mu_sigma=lambda mu, sigma: (mu, sigma), variance=lambda mean, var: var):
    """A (wrong) answer: the moments of f(z) at the (mu, sigma) given by mu_sigma, the variance
    replaced by variance(mean, var)."""
    from lib.activations import moments_of_output

    def wrong(mu, sigma):
        mean, var = moments_of_output(f, *mu_sigma(mu, sigma))
        return mean, variance(mean, var)
    return wrong


def _selu_hints():
    from lib import activations as act

    lam, alpha = act.SELU_SCALE, act.SELU_ALPHA
    return {
        "That is the standard deviation; the variance is its square: return E[(y - mean)^2].":
            _selu_moments_with(act.selu, variance=lambda mean, var: np.sqrt(var)),
        "That is E[y^2], the second moment; the variance subtracts the squared mean: E[y^2] - E[y]^2.":
            _selu_moments_with(act.selu, variance=lambda mean, var: var + mean**2),
        "You left out lambda (SELU = lambda * ELU with alpha = 1.6733): multiply by lambda = 1.0507.":
            _selu_moments_with(lambda x: act.elu(x, alpha)),
        "That is ELU with alpha = 1, not SELU: use alpha = 1.6733 and the scale lambda = 1.0507.":
            _selu_moments_with(act.elu),
        "You swapped the constants: lambda = 1.0507 scales both branches, alpha = 1.6733 only e^x - 1.":
            _selu_moments_with(lambda x: alpha * act.elu(x, lam)),
        "You left out the negative branch: for z <= 0, SELU(z) = lambda alpha (e^z - 1), not 0.":
            _selu_moments_with(lambda x: lam * act.relu(x)),
        "You used sigma as the variance; sigma is the standard deviation: z = mu + sigma * u.":
            _selu_moments_with(act.selu, mu_sigma=lambda mu, sigma: (mu, np.sqrt(sigma))),
        "The results are in the wrong order: return (mean, variance).":
            lambda mu, sigma: _selu_moments_with(act.selu)(mu, sigma)[::-1],
    }


def check_selu_moments(fn):
    """Check `fn(mu, sigma)`: (E[SELU(z)], Var[SELU(z)]) for z ~ N(mu, sigma^2), each to within
    0.002 (plus 0.2 % of its size), against numerical integration (`moments_of_output`). A random
    sample meets that with about 10^7 values; an answer that is close but not that close is told
    that a sample of n values is only accurate to about 1 / sqrt(n)."""
    from lib import activations as act
    from lib.activations import moments_of_output

    def reference(mu, sigma):  # a mean of 1.7e-16 (rounding) is shown as the 0 it is
        return tuple(0.0 if abs(v) < 1e-12 else v for v in moments_of_output(act.selu, mu, sigma))

    hints = _selu_hints()
    result = check_array_function(fn, reference, _SELU_CASES, rtol=2e-3, atol=2e-3, hints=hints,
                                  parts=("mean", "variance"))
    if result.passed or any(hint in result.message for hint in hints):
        return result
    close = True
    for case in _SELU_CASES:
        got = _as_parts(_quiet_call(fn, case), (0.0, 0.0))
        close = close and not isinstance(got, tuple) and len(got) == 2 and all(
            g.shape == () and abs(g - e) <= 0.05 * max(1.0, abs(e)) for g, e in zip(got, reference(*case)))
    if close:
        return CheckResult(False, result.message + " Close, but not to within 0.002: a random sample of n "
                                                   "values is accurate only to about 1 / sqrt(n), so use "
                                                   "10^7 values or integrate (scipy.integrate.quad).")
    return result
