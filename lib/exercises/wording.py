"""How the checks word what they show: numbers, arguments, lists, names."""

import numpy as np


def describe(kw):
    """'alpha = 0.5, beta = 2' for a parameter set."""
    return ", ".join(f"{k} = {fmt(v)}" for k, v in kw.items())


def join(items, separator=", "):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else separator.join(items[:-1]) + " and " + items[-1]


def fmt(value):
    """A number as '%g' ('0.5', '1e+04'), anything else as a short repr."""
    try:
        return format(value, "g")
    except Exception:
        return short(value)


def short(value, limit=40):
    """repr(value), shortened, or a placeholder if repr fails."""
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def name_of(fn):
    """The function's __name__, or 'your function'."""
    try:
        return str(fn.__name__)
    except Exception:
        return "your function"


def fmt_values(values):
    """A number or a tuple of numbers, each as '%.6g'."""
    values = np.atleast_1d(values)
    text = ", ".join(f"{v:.6g}" for v in values)
    return text if values.size == 1 else f"({text})"
