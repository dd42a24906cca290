"""Input checks shared by the modules of `lib`, so every mistake is reported the same way.

One rule: a value of the wrong type raises `TypeError`, a value of the right type that is out of
range (negative, zero, NaN, infinite, empty) raises `ValueError`; the message names the argument.
"""

import numpy as np


def as_float_array(x, name="x"):
    """Return `x` as a floating-point ndarray, or raise TypeError if it is not numeric.

    Integer and boolean inputs become float64 (so `relu(np.arange(3))` gives floats, and an
    integer array never overflows inside `exp`); float16/32/64 inputs keep their dtype.
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    return arr


def as_number(value, name, minimum=None, above=None):
    """Return `value` as a finite float.

    TypeError unless it is a real number (bools refused); ValueError if it is NaN or infinite,
    below `minimum` (inclusive bound) or not above `above` (exclusive bound).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum:g}, got {value!r}")
    if above is not None and not value > above:
        raise ValueError(f"{name} must be > {above:g}, got {value!r}")
    return value


def as_int(value, name, minimum=None):
    """Return `value` as a Python int: TypeError unless it is an integer (bools refused),
    ValueError if it is below `minimum`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def one_of(value, name, choices):
    """Return `value` if it is one of the strings `choices`: TypeError if it is not a string,
    ValueError (listing the choices) if it is another string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {', '.join(map(repr, choices))}; got {value!r}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_rng(rng):
    """Raise TypeError unless `rng` is a `numpy.random.Generator` (seeded by the caller)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
