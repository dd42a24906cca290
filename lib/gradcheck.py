"""Central finite differences, to check every analytic derivative in `lib` numerically.

    f'(x) ~ (f(x + h) - f(x - h)) / (2 h),   error O(h^2) for smooth f.
"""

import numpy as np

from lib._validate import as_float_array


def elementwise_derivative(f, x, h=1e-6):
    """Numerical derivative of an elementwise function f at every entry of x (same shape as x)."""
    x = as_float_array(x).astype(np.float64)
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(loss, param, h=1e-6):
    """Numerical gradient of the scalar `loss()` with respect to every entry of the array `param`.

    `param` is perturbed in place, one entry at a time, and restored; `loss` takes no arguments and
    must read `param` (e.g. a closure over a network's weights). Returns an array shaped like param.
    """
    if not isinstance(param, np.ndarray) or param.dtype.kind != "f":
        raise TypeError("param must be a float ndarray that loss() reads, so it can be perturbed in place")
    if not param.flags.c_contiguous:
        raise ValueError("param must be C-contiguous, so perturbing a flat view changes it")
    grad = np.zeros_like(param)
    flat, grad_flat = param.reshape(-1), grad.reshape(-1)  # views onto param and grad
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        up = loss()
        flat[i] = original - h
        down = loss()
        flat[i] = original
        grad_flat[i] = (up - down) / (2.0 * h)
    return grad


def relative_error(a, b, floor=1e-12):
    """||a - b|| / max(||a|| + ||b||, floor): scale-free distance between two gradients."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def network_gradient_errors(net, X, y, h=1e-5):
    """{parameter name: relative_error(backprop gradient, numerical gradient)} of a network with
    `params` (a dict of arrays), `loss(X, y)` and `loss_and_grads(X, y)` (MLP, ResidualMLP)."""
    _, grads = net.loss_and_grads(X, y)
    if set(grads) != set(net.params):
        raise ValueError(f"gradients for {sorted(grads)}, parameters {sorted(net.params)}")
    return {name: relative_error(grads[name], numerical_gradient(lambda: net.loss(X, y), param, h=h))
            for name, param in net.params.items()}
