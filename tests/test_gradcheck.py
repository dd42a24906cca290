"""Finite differences (lib.gradcheck): values on functions with known derivatives, and refusals."""

import numpy as np
import pytest

from lib import gradcheck


def test_elementwise_derivative_of_a_cubic():
    """(f(x + h) - f(x - h)) / 2h for f = x^3 is 3 x^2 + h^2 exactly (up to rounding)."""
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(gradcheck.elementwise_derivative(lambda t: t**3, x, h=1e-3), 3 * x**2 + 1e-6,
                               rtol=1e-9, atol=1e-12)
    steps = np.array([1e-3, 1e-2, 1e-3, 1e-1])  # one step per entry
    np.testing.assert_allclose(gradcheck.elementwise_derivative(lambda t: t**3, x, h=steps), 3 * x**2 + steps**2,
                               rtol=1e-9, atol=1e-12)


def test_numerical_gradient_of_a_quadratic_restores_the_parameter():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    w = np.array([0.5, -1.0])
    grad = gradcheck.numerical_gradient(lambda: 0.5 * w @ A @ w, w)
    np.testing.assert_allclose(grad, A @ w, rtol=1e-8, atol=1e-9)  # A @ w = [0, -2.5]
    np.testing.assert_array_equal(w, [0.5, -1.0])


def test_numerical_gradient_works_in_float32_with_a_large_enough_step():
    w = np.array([0.5, -1.0], dtype=np.float32)
    grad = gradcheck.numerical_gradient(lambda: float(np.sum(w.astype(np.float64) ** 2)), w, h=1e-2)
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, [1.0, -2.0], rtol=1e-5)


def test_relative_error_by_hand():
    assert gradcheck.relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0  # 5 / (5 + 0)
    assert gradcheck.relative_error([1.0, 1.0], [1.0, 3.0]) == pytest.approx(2 / (2**0.5 + 10**0.5))
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0  # the floor, not 0 / 0
    assert gradcheck.relative_error([1e-20], [0.0], floor=1e-12) == pytest.approx(1e-8)


@pytest.mark.parametrize("call,error,message", [
    (lambda: gradcheck.numerical_gradient(lambda: 0.0, np.ones(3, dtype=np.float32)), ValueError,
     r"h=1e-06 is too small for a float32 param whose largest \|entry\| is 1: the step must be at least 0.000119 "
     r"\(1000 x its resolution\), or use float64 params$"),
    (lambda: gradcheck.numerical_gradient(lambda: 0.0, np.full(3, 1e9)), ValueError,
     "h=1e-06 is too small for a float64 param whose largest"),
    (lambda: gradcheck.numerical_gradient(lambda: 0.0, np.ones(3), h=0), ValueError, "h must be > 0"),
    (lambda: gradcheck.numerical_gradient(lambda: 0.0, np.ones(3), h="1e-6"), TypeError, "h must be a real number"),
    (lambda: gradcheck.numerical_gradient(lambda: 0.0, np.array([1.0, np.nan])), ValueError, "param must be finite"),
    (lambda: gradcheck.numerical_gradient(0.0, np.ones(3)), TypeError, "loss must be a function, got float"),
    (lambda: gradcheck.numerical_gradient(lambda: np.ones(2), np.ones(3)), TypeError,
     r"loss\(\) must return one real number, got shape \(2,\)"),
    (lambda: gradcheck.numerical_gradient(lambda: np.nan, np.ones(3)), ValueError,
     r"loss\(\) is nan with entry 0 of param perturbed"),
    (lambda: gradcheck.numerical_gradient(lambda: 0.0, [1.0, 2.0]), TypeError, "param must be a float ndarray"),
    (lambda: gradcheck.relative_error(np.ones(3), np.ones((3, 1))), ValueError,
     r"a and b must have the same shape, got \(3,\) and \(3, 1\)$"),
    (lambda: gradcheck.relative_error(np.ones(3), [1.0, np.nan, 1.0]), ValueError, "b must be finite"),
    (lambda: gradcheck.relative_error(["a"], ["b"]), TypeError, "a must be a real numeric array"),
    (lambda: gradcheck.relative_error(np.zeros(3), np.zeros(3), floor=0), ValueError, "floor must be > 0"),
    (lambda: gradcheck.elementwise_derivative(np.sin, np.ones(3), h=0.0), ValueError, "h must be > 0 and finite"),
    (lambda: gradcheck.elementwise_derivative(np.sin, np.ones(3), h=[1e-3, np.inf, 1e-3]), ValueError,
     "h must be > 0 and finite"),
    (lambda: gradcheck.elementwise_derivative("sin", np.ones(3)), TypeError, "f must be a function"),
])
def test_bad_input_is_refused(call, error, message):
    """Before #24 a float32 param got the default step, below float32's resolution, and arrays of
    different shapes were broadcast into one relative error."""
    with pytest.raises(error, match="^" + message):
        call()


def test_network_gradient_errors_needs_a_network():
    with pytest.raises(TypeError, match="^net must be a network with params, loss and loss_and_grads, got NoneType$"):
        gradcheck.network_gradient_errors(None, np.ones((2, 2)), np.zeros(2, int))


def test_elementwise_derivative_takes_a_list_of_steps():
    x = np.array([0.5, 2.0])
    np.testing.assert_allclose(gradcheck.elementwise_derivative(np.square, x, h=[1e-6, 1e-3]), 2 * x, rtol=1e-9)
