"""Central finite differences, to check every analytic derivative in `lib` numerically.

    f'(x) ~ (f(x + h) - f(x - h)) / (2 h),   error O(h^2) for smooth f.
"""

import numpy as np

from lib._validate import as_float_array, as_number, check_finite


def _check_callable(f, name):
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {type(f).__name__}")


def elementwise_derivative(f, x, h=1e-6):
    """Numerical derivative of an elementwise function f at every entry of x (same shape as x),
    computed in float64; h a step, or an array of steps that broadcasts with x."""
    _check_callable(f, "f")
    steps = as_float_array(h, "h")
    if not (np.isfinite(steps) & (steps > 0)).all():
        raise ValueError(f"h must be > 0 and finite (a number, or an array of steps), got {h!r}")
    x = as_float_array(x).astype(np.float64)
    return (f(x + steps) - f(x - steps)) / (2.0 * steps)


def _check_step(param, h):
    """h as a float, if it is at least 1000 roundings (machine epsilon) of param's dtype at its
    largest |entry| (at least 1): a smaller step is mostly rounding error, e.g. the default 1e-6
    in float32, whose resolution is 1.2e-7 near 1. ValueError otherwise."""
    h = as_number(h, "h", above=0)
    scale = max(1.0, float(np.max(np.abs(param)))) if param.size else 1.0
    smallest = 1000 * np.finfo(param.dtype).eps * scale
    if h < smallest:
        raise ValueError(f"h={h:g} is too small for a {param.dtype} param whose largest |entry| is {scale:g}: "
                         f"the step must be at least {smallest:.3g} (1000 x its resolution), or use float64 params")
    return h


def _loss_value(loss, i):
    """loss() as a float: TypeError unless it is one number, ValueError if it is not finite."""
    value = np.asarray(loss())
    if value.ndim != 0 or value.dtype.kind not in "biuf":
        raise TypeError(f"loss() must return one real number, got shape {value.shape}, dtype {value.dtype}")
    if not np.isfinite(value):
        raise ValueError(f"loss() is {value} with entry {i} of param perturbed: no finite difference exists")
    return value[()]


def numerical_gradient(loss, param, h=1e-6):
    """Numerical gradient of the scalar `loss()` with respect to every entry of the array `param`.

    `param` is perturbed in place, one entry at a time, and restored; `loss` takes no arguments and
    must read `param` (e.g. a closure over a network's weights). Returns an array shaped like param.
    """
    if not isinstance(param, np.ndarray) or param.dtype.kind != "f":
        raise TypeError("param must be a float ndarray that loss() reads, so it can be perturbed in place")
    if not param.flags.c_contiguous:
        raise ValueError("param must be C-contiguous, so perturbing a flat view changes it")
    _check_callable(loss, "loss")
    check_finite(param, "param")
    h = _check_step(param, h)
    grad = np.zeros_like(param)
    flat, grad_flat = param.reshape(-1), grad.reshape(-1)  # views onto param and grad
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        up = _loss_value(loss, i)
        flat[i] = original - h
        down = _loss_value(loss, i)
        flat[i] = original
        grad_flat[i] = (up - down) / (2.0 * h)
    return grad


def relative_error(a, b, floor=1e-12):
    """||a - b|| / max(||a|| + ||b||, floor): scale-free distance between two gradients (arrays
    of the same shape, finite; no broadcasting)."""
    a, b = (check_finite(as_float_array(v, name).astype(float), name) for v, name in ((a, "a"), (b, "b")))
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    floor = as_number(floor, "floor", above=0)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def network_gradient_errors(net, X, y, h=1e-5):
    """{parameter name: relative_error(backprop gradient, numerical gradient)} of a network with
    `params` (a dict of arrays), `loss(X, y)` and `loss_and_grads(X, y)` (MLP, ResidualMLP)."""
    if not all(hasattr(net, a) for a in ("params", "loss", "loss_and_grads")):
        raise TypeError(f"net must be a network with params, loss and loss_and_grads, got {type(net).__name__}")
    _, grads = net.loss_and_grads(X, y)
    if set(grads) != set(net.params):
        raise ValueError(f"gradients for {sorted(grads)}, parameters {sorted(net.params)}")
    return {name: relative_error(grads[name], numerical_gradient(lambda: net.loss(X, y), param, h=h))
            for name, param in net.params.items()}
