"""Exercise checkers: compare a learner's function with the reference and say plainly what is wrong.

A check never raises: it returns a `CheckResult` whose text is shown under the cell, so a notebook with
an unfinished exercise still runs top to bottom.
"""

import warnings
from dataclasses import dataclass

import numpy as np

DEFAULT_INPUTS = np.concatenate([np.linspace(-6.0, 6.0, 121), [-30.0, -1e-8, 0.0, 1e-8, 30.0]])
EXTREME_INPUTS = np.array([-1e4, -800.0, -50.0, 50.0, 800.0, 1e4])


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a check: `passed` and a one-paragraph `message` for the learner."""

    passed: bool
    message: str

    def __repr__(self):
        return self.message

    def __bool__(self):
        return self.passed


def _call(fn, x, kwargs):
    """fn(x, **kwargs) with floating-point problems reported as warnings; (value, warning|None)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        value = fn(x.copy(), **kwargs)
    return value, (caught[0] if caught else None)


def check_function(fn, reference, inputs=None, rtol=1e-6, atol=1e-9, name=None, **kwargs):
    """Check fn(x, **kwargs) against reference(x, **kwargs) elementwise on many inputs.

    inputs: a 1-D array of x values (default: 121 points in [-6, 6] plus 0, +-1e-8 and +-30).
    Fails, naming the first failing input, when fn raises, returns None or a wrong shape, emits a
    floating-point warning (overflow, invalid value, divide by zero), or differs beyond
    |got - expected| <= atol + rtol |expected|.
    """
    x = DEFAULT_INPUTS if inputs is None else np.asarray(inputs, dtype=np.float64).ravel()
    name = name or getattr(fn, "__name__", "your function")
    expected = np.asarray(reference(x, **kwargs), dtype=np.float64)
    try:
        got, warning = _call(fn, x, kwargs)
    except Exception as exc:  # a learner's bug of any kind is a result to show, not a crash
        return CheckResult(False, f"✗ {name} raised {type(exc).__name__}: {exc}")
    if got is None:
        return CheckResult(False, f"✗ {name} returned None: did you forget the `return` statement?")
    got = np.asarray(got)
    if got.shape != expected.shape:
        return CheckResult(False, f"✗ {name} returned shape {got.shape}, expected {expected.shape} "
                                  "(one output per input element)")
    if warning is not None:
        bad = _first_warning_input(fn, x, kwargs)
        return CheckResult(False, f"✗ {name} gave a floating-point warning at x = {bad:g}: "
                                  f"{warning.message}. Rewrite it so no step overflows.")
    try:
        ok = np.isclose(got.astype(np.float64), expected, rtol=rtol, atol=atol, equal_nan=True)
    except (TypeError, ValueError):
        return CheckResult(False, f"✗ {name} returned values of dtype {got.dtype}, expected numbers")
    if not ok.all():
        i = int(np.argmin(ok))
        return CheckResult(False, f"✗ {name} is wrong at x = {x[i]:g}: expected {expected[i]:.6g}, "
                                  f"got {float(got[i]):.6g} ({int((~ok).sum())} of {x.size} inputs wrong)")
    return CheckResult(True, f"✓ {name} matches the reference on all {x.size} inputs "
                             f"from {x.min():g} to {x.max():g}.")


def _first_warning_input(fn, x, kwargs):
    """The first input of x on which fn warns by itself."""
    for xi in x:
        if _call(fn, np.array([xi]), kwargs)[1] is not None:
            return float(xi)
    return float(x[0])
