"""Input checks shared by the modules of `lib`, so every error names its problem the same way."""

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


def as_number(value, name):
    """Return `value` as a float, or raise TypeError if it is not a real number (bools refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    return float(value)


def check_rng(rng):
    """Raise TypeError unless `rng` is a `numpy.random.Generator` (seeded by the caller)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
