"""The one checking engine: call a learner's code, compare its result with the reference, say plainly
what is wrong, and name the known mistake it makes.

Written once, for every kind of exercise:

- The call (`call`). The learner's function gets copies of the arguments (every numpy array copied),
  so it cannot change the caller's data; an argument it changed anyway fails the check. Whatever the
  function does (raise, return None, a string, a generator) is a result to report, never a crash: a
  notebook with an unfinished exercise still runs top to bottom, and a check never raises.
- The warning policy. The function runs with every floating-point problem but underflow reported as
  a warning (`np.errstate(all="warn", under="ignore")`); every warning is caught, so none reaches the
  notebook. A RuntimeWarning (overflow, invalid value, divide by zero) fails the check, and so does
  silencing those warnings in the learner's own code (`np.errstate`, `np.seterr`, a `warnings`
  filter): a silenced overflow often gives the right numbers (1 / (1 + inf) is 0), so no comparison
  of values can see it. The check watches while the function runs instead: a profile hook
  (`sys.setprofile`) compares numpy's error settings and the warning filters with the checker's own
  whenever the learner's code calls or returns. It cannot tell whether a warning would have fired,
  so silencing alone fails. Library code that silences and restores internally (numpy's `isclose`,
  scipy, scikit-learn, `lib`) does not count. Failures are reported in this order: raised, silenced,
  changed an argument, a result that cannot be read (None, not numbers), a warning, then a wrong
  shape or wrong values.
- The hint rule (`matching_hint`). A known mistake is a function written the wrong way (an exercise's
  `Mistake` record, run as code). It matches when, on every case the check has, the learner's result
  equals what the mistake gives on that case: the same number of results with the same shapes and
  values within the check's own tolerance (NaN matching NaN); on a case where the learner's shapes are
  not the reference's, the same shapes suffice (the shape of a mean per image says what happened).
  Every case, not only the failing one: two mistakes often agree on one case (1/sqrt(L) and
  L^(-1/(m-1)) at m = 3), rarely on all. The first matching mistake's hint ends the failure message.
  A hint may name the failing case's arguments in braces, e.g. "{activation}".

Three kinds of comparison are thin layers over that: `check_function` (an elementwise function on a
grid of x, for each set of parameters), `check_values` (numbers from a few argument tuples) and
`check_array_function` (arrays from arrays; a tuple of results compared part by part, named by
`parts`). Every message is one paragraph that starts with "✓" or "✗ <name> ".
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

from lib._validate import as_float_array
from lib.exercises.wording import describe, fmt, fmt_values, join, name_of, short

_DEFAULT = tuple(np.concatenate([np.linspace(-6.0, 6.0, 121), [-30.0, -1e-8, 0.0, 1e-8, 30.0]]).tolist())
_EXTREME = (-1e4, -800.0, -50.0, 50.0, 800.0, 1e4)


def _read_only(values):
    """A float64 array that raises on assignment."""
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


DEFAULT_INPUTS = _read_only(_DEFAULT)  # what check_function uses by default, read-only; it keeps _DEFAULT
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


# --- the call: the one way the learner's code (or a mistake's) is run ------------------------------

@dataclass
class Call:
    """What happened in one call of a function on copies of its arguments."""

    args: tuple  # the copies it was given, as they were after the call
    kwargs: dict
    value: object = None
    error: Exception = None
    warning: str = None  # the first RuntimeWarning's text
    silenced: str = None  # how it changed the reporting of floating-point problems
    changed: object = None  # the position (or keyword) of the first argument it changed


def _copy(value):
    return np.array(value, copy=True) if isinstance(value, np.ndarray) else value


def call(fn, args=(), kwargs=None):
    """fn(*args, **kwargs) on copies of the arguments, with every floating-point problem but underflow a
    warning, warnings caught and the silencing watch on. Never raises: an exception is `error`."""
    kwargs = dict(kwargs or {})
    run = Call(args=tuple(_copy(a) for a in args), kwargs={k: _copy(v) for k, v in kwargs.items()})
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        with _SilencingWatch() as watch:
            try:
                run.value = fn(*run.args, **run.kwargs)
            except Exception as exc:  # a learner's bug of any kind is a result to show, not a crash
                run.error = exc
    run.silenced = watch.change
    run.warning = next((str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)), None)
    before_after = [*zip(range(len(args)), args, run.args), *((k, kwargs[k], run.kwargs[k]) for k in kwargs)]
    run.changed = next((key for key, before, after in before_after if _was_changed(before, after)), None)
    return run


def _was_changed(before, after):
    return isinstance(before, np.ndarray) and (after.shape != before.shape or after.dtype != before.dtype
                                               or not np.array_equal(after, before, equal_nan=True))


def call_failure(run, name, where):
    """The message when the function raised or silenced floating-point warnings, else None."""
    if run.error is not None:
        return f"✗ {name} raised {type(run.error).__name__}{where}: {' '.join(str(run.error).split())}"
    if run.silenced:
        return (f"✗ {name} silences floating-point warnings ({run.silenced}){where}. A silenced overflow "
                "still happened, and the check cannot tell whether one did: remove the silencing and "
                "rewrite the function so that no step overflows.")
    return None


def warning_failure(name, warning, where, at=""):
    """The message for a floating-point warning (at: ' at x = ...' when one input is to blame)."""
    fix = "no step overflows" if "overflow" in warning else "no step makes an inf or a NaN"
    return f"✗ {name} gave a floating-point warning{at}{where}: {warning}. Rewrite it so {fix}."


def _library_prefixes():
    """Where the standard library, installed packages (user ones too) and `lib` live, and '<frozen'."""
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    lib = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths |= {*getattr(site, "getsitepackages", list)(), site.getusersitepackages(), lib}
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


def _expected(reference, args, kwargs=None):
    """The reference's result (the reference's warnings are not the learner's; its errors are bugs)."""
    run = call(reference, args, kwargs)
    if run.error is not None:
        raise run.error
    return run.value


# --- the hint rule: which known mistake the learner's result is -------------------------------------

def matching_hint(fn, hints, cases, read, rtol, atol, fields=None):
    """The hint of the first known mistake that gives what fn gives on every case (see the module
    docstring), or ''.

    hints: (hint, mistake function) pairs; cases: (args, kwargs, the reference's shapes) for every case
    of the check; read(result): the result as a list of float arrays, or None when it cannot be read
    so; fields: the failing case's arguments, for a hint that names them in braces.
    """
    if not hints:
        return ""
    mine = [_read_call(fn, args, kwargs, read) for args, kwargs, _ in cases]
    if any(m is None for m in mine):
        return ""
    for hint, mistake in hints:
        if all(_same(m, _read_call(mistake, args, kwargs, read), shapes, rtol, atol)
               for m, (args, kwargs, shapes) in zip(mine, cases)):
            return hint.format_map(fields) if fields else hint
    return ""


def _read_call(fn, args, kwargs, read):
    run = call(fn, args, kwargs)
    return None if run.error is not None else read(run.value)


def _same(mine, theirs, shapes, rtol, atol):
    """True if a mistake's results equal the learner's: by shape alone where the learner's shapes are
    not the reference's, else by value."""
    if theirs is None or len(theirs) != len(mine) or any(a.shape != b.shape for a, b in zip(mine, theirs)):
        return False
    if [m.shape for m in mine] != list(shapes):
        return True
    with np.errstate(all="ignore"):
        return all(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True) for a, b in zip(mine, theirs))


def with_hint(message, hint):
    """The message followed by the hint, as a new sentence."""
    if not hint:
        return message
    return f"{message} {hint}" if message.endswith((".", "?", "!")) else f"{message}. {hint}"


def read_numbers(value):
    """A result as one float array, or None."""
    try:
        array = np.asarray(value)
        return [array.astype(np.float64)] if array.dtype.kind in "biuf" else None
    except Exception:  # a strange object's __array__ failed
        return None


# --- an elementwise function of x, for each set of parameters ---------------------------------------

def check_function(fn, reference, inputs=None, rtol=1e-6, atol=1e-15, name=None, params=None,
                   extreme=True, hints=(), **kwargs):
    """Check fn(x, **p) against reference(x, **p) elementwise, for each parameter set p.

    inputs: 1-D x values (default: 121 points in [-6, 6], 0, +-1e-8 and +-30). The extreme inputs
        +-50, +-800 and +-1e4 are added where the reference is finite (so an `np.exp` that overflows
        or an input clipped to [-21, 21] is caught), unless extreme=False.
    params: a dict of lists, e.g. {"alpha": [0.5, 2.0]}. Every combination is checked, together with
        the fixed keyword arguments `kwargs`, so an answer right for one value only fails.
    rtol, atol: a value passes if |got - expected| <= atol + rtol |expected|. The default atol is tiny,
        so small values count: sigmoid(-50) ~ 2e-22 must not come out as 8e-10. NaN matches NaN.
    name: what the messages call fn (default: its __name__). hints: known mistakes, see matching_hint.

    fn must return a numpy array with one real number per input: not None, a list, a generator, one
    number, strings or complex numbers. A failure names the first failing input and the parameter
    values, and a pattern in the wrong values (x = 0 only, a flipped sign, a constant factor or offset).
    Returns a CheckResult.
    """
    name = name_of(fn) if name is None else name
    main = np.array(_DEFAULT if inputs is None else as_float_array(inputs, "inputs"), dtype=np.float64).ravel()
    if main.size == 0:
        raise ValueError("inputs must hold at least one x value to check fn on, got none")
    sets = _parameter_sets(kwargs, params)
    extras = set()
    cases = []  # ((x,), kw, the reference's shape): what a known mistake must match
    for kw in sets:
        extra = _extreme_inputs(reference, main, kw) if extreme else np.empty(0)
        extras.update(extra.tolist())
        x = np.concatenate([main, extra])
        cases.append(((x,), kw, [x.shape]))
    for (x,), kw, _ in cases:
        failure = _first_failure(fn, reference, x, kw, name, rtol, atol)
        if failure:
            hint = matching_hint(fn, hints, cases, read_numbers, rtol, atol, kw) if failure[1] else ""
            return CheckResult(False, with_hint(failure[0], hint))
    message = f"✓ {name} matches the reference on all {main.size} inputs from {main.min():g} to {main.max():g}"
    if extras:
        message += " and on the extreme inputs " + join(f"{v:g}" for v in sorted(extras))
    if any(sets):
        message += ", for " + join((describe(kw) for kw in sets), "; " if len(sets[0]) > 1 else ", ")
    return CheckResult(True, message + ", with no floating-point warning.")


def _first_failure(fn, reference, x, kw, name, rtol, atol):
    """(the message for the first rule fn breaks on inputs x with parameters kw, whether fn's result was
    read, so that a known mistake may match it), or None."""
    where = f" with {describe(kw)}" if kw else ""
    expected = np.asarray(_expected(reference, (x,), kw), dtype=np.float64)
    run = call(fn, (x,), kw)
    failure = call_failure(run, name, where)
    if failure:
        return failure, False
    if run.changed == 0:
        return (f"✗ {name} changed its input{where}: {_change(x, run.args[0])}. Leave x as it is (the caller "
                "still needs it): write `x = -x` or `y = x.copy()` rather than `x *= -1` or `x[mask] = ...`."), False
    if run.changed is not None:
        return (f"✗ {name} changed its parameter {run.changed}{where}. Leave it as it is (the caller still "
                f"needs it): compute with a copy, `{run.changed} = {run.changed}.copy()`."), False
    got, problem = _as_values(run.value, x)
    if problem:
        return f"✗ {name} {problem}", False
    if run.warning:
        at, warning = _first_warning_input(fn, x, kw) or ("", run.warning)
        message = warning_failure(name, warning, where, at)
    elif got.shape != expected.shape:
        message = f"✗ {name} returned shape {got.shape}, expected {expected.shape} (one output per input element)"
    else:
        message = _value_failure(name, x, got, expected, rtol, atol, where)
    return None if message is None else (message, True)


def _change(before, after):
    """What fn did to its input: 'x = -6 became 6', or its new shape and dtype."""
    if after.shape != before.shape or after.dtype != before.dtype:
        return f"x now has shape {after.shape} and dtype {after.dtype}"
    i = int(np.argmax((after != before) & ~(np.isnan(after) & np.isnan(before))))
    return f"x = {before[i]:g} became {after[i]:g}"


def _as_values(value, x):
    """(value as a float array, None), or (None, what is wrong with it as a reason to fail)."""
    try:
        if value is None:
            return None, "returned None: did you forget the `return` statement?"
        if isinstance(value, np.ndarray) and value.ndim > 0:
            return _array_values(value, x)
        if isinstance(value, (str, bytes)):
            return None, f"returned {short(value)} (type {type(value).__name__}), not a numpy array of numbers"
        if isinstance(value, (numbers.Number, np.generic, np.ndarray)):
            return None, (f"returned a single value ({fmt(value)}), not an array with one value per "
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
        return None, f"returned {short(value)} (type {type(value).__name__}), not a numpy array of numbers"
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
            return f" (the value {at} is {short(item)})"
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
            f"({int(wrong.sum())} of {x.size} inputs wrong).{_pattern(x[wrong], got[wrong], expected[wrong])}")


def _pattern(x, got, expected):
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
        warning = call(fn, (np.array([xi]),), kw).warning
        if warning:
            return f" at x = {xi:g}", warning
    return None


def _extreme_inputs(reference, main, kw):
    """The extreme inputs not already in `main` at which the reference is finite."""
    candidates = np.array([v for v in _EXTREME if v not in main])
    if not candidates.size:
        return candidates
    return candidates[np.isfinite(np.asarray(_expected(reference, (candidates,), kw), dtype=np.float64))]


def _parameter_sets(kwargs, params):
    """Every combination of the values in `params` (a dict of lists), each added to kwargs."""
    if not params:
        return [dict(kwargs)]
    names = list(params)
    return [{**kwargs, **dict(zip(names, values))} for values in itertools.product(*params.values())]


# --- numbers from a few arguments -------------------------------------------------------------------

def check_values(fn, reference, cases, rtol=1e-9, name=None, hints=()):
    """Check fn(*case) against reference(*case) for each case, a tuple of arguments.

    For exercises whose answer is a number, or a tuple of numbers, computed from a few arguments
    (a fan-in from a weight shape, a gain from a slope): equal to within rtol, absolute tolerance 0.
    The first wrong case is named, with the hint of a known mistake it matches (see matching_hint).
    """
    name = name_of(fn) if name is None else name
    arguments = _argument_names(fn, reference)
    wanted = [np.asarray(_expected(reference, case), dtype=np.float64) for case in cases]
    for case, expected in zip(cases, wanted):
        called = f"{name}({', '.join(short(a) for a in case)})"
        where = f" in {called}"
        run = call(fn, case)
        failure = call_failure(run, name, where)
        if failure:
            return CheckResult(False, failure)
        if run.value is None:
            return CheckResult(False, f"✗ {name} returned None{where}: did you forget the `return` statement?")
        values = read_numbers(run.value)
        if values is None:
            return CheckResult(False, f"✗ {name} returned {short(run.value)}{where}, not a number")
        values = values[0]
        if run.warning:
            message = warning_failure(name, run.warning, where)
        elif values.shape != expected.shape or not np.allclose(values, expected, rtol=rtol, atol=0):
            shown = fmt_values(values) if values.shape == expected.shape else short(run.value)
            message = f"✗ {name} is wrong: {called} returned {shown}, expected {fmt_values(expected)}"
        else:
            continue
        every = [(c, {}, [e.shape]) for c, e in zip(cases, wanted)]
        hint = matching_hint(fn, hints, every, read_numbers, rtol, 0.0, dict(zip(arguments, case)))
        return CheckResult(False, with_hint(message, hint))
    return CheckResult(True, f"✓ {name} gives the right value in all {len(cases)} cases checked.")


# --- arrays from arrays -----------------------------------------------------------------------------

def check_array_function(fn, reference, cases, name=None, rtol=1e-6, atol=1e-9, hints=(), parts=None):
    """Check fn(*case) against reference(*case) for each case, a tuple of arguments (arrays or numbers).

    For exercises whose answer is an array computed from arrays (a standardized data set, a
    whitening matrix, per-channel statistics). fn must return numbers of the reference's shape; when
    the reference returns a tuple of arrays, fn must return as many, in the same order (`parts` names
    them, e.g. ("mean", "std")). Values must satisfy np.isclose(got, expected, rtol, atol); NaN or inf
    where the reference is finite fails. A failure names the case, then the shape, or the first
    differing entry and how many differ, and the hint of a known mistake it matches (by value, or by
    shape when the shape is wrong; see matching_hint). A broadcasting error points at the axis.
    """
    name = name_of(fn) if name is None else name
    arguments = _argument_names(fn, reference)
    for case in cases:
        case = tuple(case)
        where = f" for {_describe_case(case, arguments)}"
        try:
            expected = _expected(reference, case)
        except Exception as exc:  # a bug in the check: say so rather than blame the learner
            return CheckResult(False, f"✗ {name} cannot be checked{where}: the reference raised "
                                      f"{type(exc).__name__} (a bug in the check, not in your code).")
        run = call(fn, case)
        failure = call_failure(run, name, where)
        if failure:
            return CheckResult(False, with_hint(failure, _error_hint(run.error)))
        if run.changed is not None:
            return CheckResult(False, f"✗ {name} changed its input {_arg_name(arguments, run.changed)}{where}: "
                                      "leave the caller's arrays as they are (write `Xc = X - mu`, not `X -= mu`).")
        problem = _compare_result(run.value, expected, rtol, atol, parts)
        got = as_parts(run.value, expected)
        if run.warning and not isinstance(got, tuple):
            message = warning_failure(name, run.warning, where)
        elif problem:
            lead, detail = problem
            message = f"✗ {name} {lead}{where}{detail}"
        else:
            continue
        every = []
        for other in cases if hints else ():
            result = _expected(reference, tuple(other))
            every.append((tuple(other), {}, [np.shape(e) for e in (result if isinstance(result, tuple) else [result])]))

        def read(value, structure=expected):
            value = as_parts(value, structure if isinstance(structure, tuple) else None)
            return None if isinstance(value, tuple) else value

        hint = matching_hint(fn, hints, every, read, rtol, atol, dict(zip(arguments, case)))
        return CheckResult(False, with_hint(message, hint))
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
    if isinstance(i, str):  # a keyword argument
        return i
    return arguments[i] if i < len(arguments) else f"argument {i + 1}"


def _describe_case(case, arguments):
    """'X_train of shape (30, 5), eps = 0.1'."""
    described = []
    for i, value in enumerate(case):
        label = _arg_name(arguments, i)
        if isinstance(value, np.ndarray) and value.ndim > 0:
            described.append(f"{label} of shape {value.shape}")
        else:
            described.append(f"{label} = {fmt(value)}")
    return ", ".join(described)


def _error_hint(exc):
    """A pointer for the error learners meet most with arrays: shapes that do not broadcast."""
    if isinstance(exc, ValueError) and "broadcast" in str(exc):
        return ("Check the axis: a statistic per feature has one value per column, shape (D,), "
                "computed over the rows (axis=0).")
    return ""


def as_parts(value, structure):
    """value as a list of float arrays split like `structure` (a tuple of k arrays: k parts; anything
    else: one part), or (lead, detail) saying why it cannot be read so."""
    if value is None:
        return "returned None", ": did you forget the `return` statement?"
    if isinstance(structure, tuple):
        k = len(structure)
        stacked = isinstance(value, np.ndarray) and value.shape[:1] == (k,) and all(
            value.shape[1:] == np.shape(part) for part in structure)  # the k parts stacked: fine
        if not (isinstance(value, (tuple, list)) and len(value) == k or stacked):
            return f"returned {short(value)}", f", not {k} arrays: return them as a tuple, e.g. `return mean, std`."
        items = list(value)
    else:
        items = [value]
    arrays = []
    for item in items:
        try:
            array = np.asarray(item)
        except Exception:
            return f"returned {short(item)}", ", which cannot be read as numbers."
        if array.dtype.kind == "c":
            return f"returned complex numbers (dtype {array.dtype})", ": the answer is real."
        if array.dtype.kind not in "biuf":
            return f"returned {short(item)}", f", of dtype {array.dtype}, not numbers."
        arrays.append(array.astype(np.float64))
    return arrays


def _compare_result(value, expected, rtol, atol, parts):
    """(lead, detail) saying what is wrong with value against expected, or None when it matches."""
    got = as_parts(value, expected)
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


# --- a number the learner chose for an experiment ----------------------------------------------------

def number_failure(value, name, upper=100):
    """A CheckResult for an answer that is not a real number with 0 < value < upper, else None: what
    an experimental check (the learner's std, gain or eps, run through the page's experiment) tests
    before it runs anything."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not 0 < value < upper:
        return CheckResult(False, f"✗ {name} must be a positive number below {upper:g}, got {short(value)}")
    return None
