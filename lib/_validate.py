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


def as_number(value, name, minimum=None, above=None, infinite=False):
    """Return `value` as a float: finite, or also +-inf if `infinite` is true.

    TypeError unless it is a real number (bools refused); ValueError if it is NaN, infinite
    (unless allowed), below `minimum` (inclusive bound) or not above `above` (exclusive bound).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if np.isnan(value) or not (infinite or np.isfinite(value)):
        raise ValueError(f"{name} must be {'a number, not NaN' if infinite else 'finite'}, got {value!r}")
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


def as_names(value, name):
    """Return `value` as a list of strings: TypeError if it is a single string (which would be
    read one character at a time), not iterable, or holds a non-string."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of names, not one string: write [{value!r}]")
    try:
        names = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a list of names, got {type(value).__name__}") from None
    for item in names:
        if not isinstance(item, str):
            raise TypeError(f"{name} must be a list of names (strings), got {item!r} in it")
    return names


def as_list(value, name):
    """Return `value` (any iterable but a string) as a list, or TypeError naming `name`."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list, got the string {value!r}")
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{name} must be a list, got {type(value).__name__} {value!r}") from None


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


def check_finite(arr, name, where=""):
    """Return the array `arr` if it has no NaN or infinite entry; else ValueError naming `name`
    (and `where`, e.g. " where mask is 1") and counting the bad entries."""
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"{name} must be finite{where}; it has {int(bad.sum())} NaN or infinite "
                         f"entr{'y' if bad.sum() == 1 else 'ies'} (a diverged computation?)")
    return arr


def as_mask(mask, shape, name="mask"):
    """Return `mask` as a float 0/1 array of `shape`: TypeError if it is not numeric, ValueError
    if its shape differs (no broadcasting) or an entry is not exactly 0 or 1."""
    mask = as_float_array(mask, name)
    if mask.shape != tuple(shape):
        raise ValueError(f"{name} must be a 0/1 array of shape {tuple(shape)}, got shape {mask.shape}")
    if not np.isin(mask, (0.0, 1.0)).all():
        raise ValueError(f"{name} must be a 0/1 array of shape {tuple(shape)}: every entry 0 or 1, "
                         f"got {np.unique(mask[~np.isin(mask, (0.0, 1.0))])[:3].tolist()}")
    return mask


def as_dict(value, name, allowed=None, what="keys"):
    """Return `value` if it is a dict: TypeError otherwise; ValueError listing `allowed` if it has
    a key not in `allowed` (any iterable of names; None allows every key)."""
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict, got {type(value).__name__}")
    if allowed is not None:
        allowed = list(allowed)
        unknown = [key for key in value if key not in allowed]
        if unknown:
            raise ValueError(f"{name} has unknown {what} {unknown}; known: {allowed}")
    return value


def check_rows(X, y, X_name="X", y_name="y"):
    """ValueError unless X and y have the same number of rows (first dimension)."""
    n_X, n_y = (len(a) if np.ndim(a) else 0 for a in (X, y))
    if n_X != n_y:
        raise ValueError(f"{X_name} and {y_name} must have the same number of rows, got {n_X} and {n_y}")


def as_masks(masks, params, what):
    """masks as {name: float 0/1 array of params[name]'s shape}: ValueError for a name that is not a
    key of params (the message calls the unknown names `what`), a mask of another shape or not 0/1."""
    as_dict(masks, "masks", allowed=params, what=what)
    return {name: as_mask(mask, np.shape(params[name]), f"masks[{name!r}]") for name, mask in masks.items()}
