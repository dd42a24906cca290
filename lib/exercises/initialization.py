"""The exercises of "Initialization": a convolution's fan-in, Kaiming's std, the bound of a uniform
distribution with a given std, Leaky ReLU's gain, and a std that keeps tanh layers' spread within a
factor of 2."""

import numbers

import numpy as np

from lib.exercises.checking import CheckResult, check_values
from lib.exercises.records import Exercise, Mistake
from lib.exercises.wording import short

_NUMPY = "import numpy as np"
_INITIALIZERS = "import numpy as np\nfrom lib import initializers"


def _check_conv_fan_in(fn, hints):
    """fn(shape): the fan-in C_in * kh * kw of a convolution weight (C_out, C_in, kh, kw)."""
    return check_values(fn, lambda shape: shape[1] * shape[2] * shape[3],
                        [((64, 32, 3, 3),), ((16, 3, 5, 7),), ((8, 1, 1, 1),)], hints=hints)


def _check_kaiming_std(fn, hints):
    """fn(fan_in, fan_out): PyTorch's default kaiming_normal_ std, sqrt(2 / fan_in)."""
    return check_values(fn, lambda fan_in, fan_out: np.sqrt(2 / fan_in),
                        [(500, 500), (784, 100), (288, 576), (3, 1000)], hints=hints)


def _check_uniform_bound(fn, hints):
    """fn(std): the bound a of U[-a, a] with this std, sqrt(3) * std (Var = a^2 / 3)."""
    return check_values(fn, lambda std: np.sqrt(3) * std, [(1.0,), (0.05,), (np.sqrt(2 / 784),)], hints=hints)


def _check_leaky_relu_gain(fn, hints):
    """fn(slope): the gain sqrt(2 / (1 + slope^2)) that keeps E[z^2] through Leaky ReLU layers."""
    return check_values(fn, lambda slope: np.sqrt(2 / (1 + slope**2)), [(0.0,), (0.01,), (0.2,), (1.0,), (3.0,)],
                        hints=hints)


def _check_keeps_spread(std, hints, depth=10, width=256, name="my_std"):
    """The experimental check of a std for tanh layers: run N(0, 1) inputs through `depth` tanh
    layers of `width` units with W ~ N(0, std^2) and pass when the last layer keeps the first
    layer's spread within a factor of 2 (std(h_depth) >= std(h_1) / 2) with at most 5 % of its
    units saturated (|h| > 0.99). The answer is a number, not code, so there is nothing to call and
    no known mistake to match."""
    from lib.propagation import forward_through_layers

    if isinstance(std, (bool, np.bool_)) or not isinstance(std, numbers.Real) or not 0 < std < 100:
        return CheckResult(False, f"✗ {name} must be a positive number below 100, got {short(std)}")
    layers = forward_through_layers(np.random.default_rng(0), float(std), "tanh", depth=depth,
                                    width=width, n=width)
    first, last = float(layers[0].std()), float(layers[-1].std())
    saturated = float(np.mean(np.abs(layers[-1]) > 0.99))
    measured = (f"{name} = {std:.4g}: the std of the activations goes from {first:.3g} in layer 1 "
                f"to {last:.3g} in layer {depth}, {saturated:.1%} of them saturated")
    if last < 0.01 * first:
        return CheckResult(False, f"✗ {measured}: the signal fades. Try a larger std.")
    if last < first / 2:
        return CheckResult(False, f"✗ {measured}: the spread shrinks by more than a factor of 2 "
                                  f"(to {last / first:.2f} of layer 1's). Try a larger std.")
    if saturated > 0.05:
        return CheckResult(False, f"✗ {measured}: too many units saturate (> 5 %). Try a smaller std.")
    return CheckResult(True, f"✓ {measured}: the spread is kept. In units of 1/sqrt({width}) your std is "
                             f"{std * np.sqrt(width):.2f}.")


EXERCISES = [
    Exercise(
        label="ex-conv-fan-in", name="conv_fan_in", setup=_NUMPY, check=_check_conv_fan_in,
        mistakes=(
            Mistake("def conv_fan_in(shape):\n    return shape[1]", says="expected 288"),
            Mistake("def conv_fan_in(shape):\n    return shape[0] * shape[2] * shape[3]", says="returned 576"),
            Mistake("def conv_fan_in(shape):\n    return shape[1] * shape[2] ** 2", says="expected 105"),
            Mistake("def conv_fan_in(shape):\n    return shape[1] * shape[2]", says="expected 288"),
            Mistake("def conv_fan_in(shape):\n    return shape[0] * shape[1] * shape[2] * shape[3]", says="expected 288"),
            Mistake("def conv_fan_in(shape):\n    return (shape[1] * shape[2] * shape[3], shape[0] * shape[2] * shape[3])", says="expected 288"),
        ),
        right_answers=(
            "def conv_fan_in(shape):\n    return int(np.prod(shape[1:]))",
            "import math\n\ndef conv_fan_in(shape):\n    c_out, c_in, *kernel = shape\n    return c_in * math.prod(kernel)",
            "def conv_fan_in(shape):\n    n = 1\n    for size in shape[1:]:\n        n *= size\n    return n",
        ),
    ),
    Exercise(
        label="ex-kaiming-std", name="kaiming_std", setup=_INITIALIZERS, check=_check_kaiming_std,
        mistakes=(
            Mistake("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(1 / fan_in)", says="expected 0.0632456"),
            Mistake("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(2 / fan_out)", says="kaiming_std(784, 100)"),
            Mistake("def kaiming_std(fan_in, fan_out):\n    return 2 / fan_in", says="expected 0.0632456"),
            Mistake("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(2 / (fan_in + fan_out))", says="expected 0.0632456"),
            Mistake("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(2) / fan_in", says="expected 0.0632456"),
            Mistake("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(fan_in / 2)", says="expected 0.0632456"),
        ),
        right_answers=(
            "import math\n\ndef kaiming_std(fan_in, fan_out):\n    return math.sqrt(2.0 / fan_in)",
            "def kaiming_std(fan_in, fan_out):\n    return (2 / fan_in) ** 0.5",
            "def kaiming_std(fan_in, fan_out):\n    return initializers.calculate_gain('relu') / np.sqrt(fan_in)",
        ),
    ),
    Exercise(
        label="ex-uniform-bound", name="uniform_bound", setup=_NUMPY, check=_check_uniform_bound,
        mistakes=(
            Mistake("def uniform_bound(std):\n    return std", says="expected 1.73205"),
            Mistake("def uniform_bound(std):\n    return 2 * std", says="expected 1.73205"),
            Mistake("def uniform_bound(std):\n    return np.sqrt(6) * std", says="expected 1.73205"),
            Mistake("def uniform_bound(std):\n    return std / np.sqrt(3)", says="expected 1.73205"),
            Mistake("def uniform_bound(std):\n    return 3 * std", says="expected 1.73205"),
            Mistake("def uniform_bound(std):\n    return np.sqrt(3 * std)", says="uniform_bound(0.05)"),
        ),
        right_answers=(
            "import math\n\ndef uniform_bound(std):\n    return math.sqrt(3) * std",
            "def uniform_bound(std):\n    return np.sqrt(3 * std**2)",
            "def uniform_bound(std):\n    return std * 3 ** 0.5",
        ),
    ),
    Exercise(
        label="ex-leaky-gain", name="leaky_relu_gain", setup=_INITIALIZERS, check=_check_leaky_relu_gain,
        mistakes=(
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2)", says="leaky_relu_gain(0.01)"),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2 / (1 - slope**2))", says="leaky_relu_gain(0.01)"),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2 / (1 + slope))", says="leaky_relu_gain(0.01)"),
            Mistake("def leaky_relu_gain(slope):\n    return 2 / (1 + slope**2)", says="expected 1.41421"),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2) / (1 + slope**2)", says="leaky_relu_gain(0.01)"),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(1 + slope**2)", says="expected 1.41421"),
        ),
        right_answers=(
            "import math\n\ndef leaky_relu_gain(slope):\n    return math.sqrt(2.0 / (1.0 + slope * slope))",
            "def leaky_relu_gain(slope):\n    return initializers.calculate_gain('leaky_relu', slope)",
            "def leaky_relu_gain(slope):\n    return 1 / np.sqrt((1 + slope**2) / 2)",
        ),
    ),
    Exercise(
        label="ex-tanh-std", name="my_std", setup=_NUMPY, check=_check_keeps_spread,
        mistakes=(
            Mistake("my_std = 0.01", says="the signal fades"),  # the notes' first idea
            Mistake("my_std = 0.05", says="to 0.09 of layer 1's"),  # the notes' second, at 256 units
            # Xavier/Glorot, for tanh: the variance is kept only where tanh is linear, so the spread
            # shrinks slowly (to 0.36 of layer 1's in 10 layers), it does not fade
            Mistake("my_std = 1 / np.sqrt(256)", says="to 0.36 of layer 1's"),
            Mistake("my_std = np.sqrt(2 / (256 + 256))", says="to 0.36 of layer 1's"),
            Mistake("my_std = 1 / 256", says="the signal fades"),  # 1 / D_in: the variance, not the std
            Mistake("my_std = 1.0", says="too many units saturate"),
            Mistake("my_std = 5 / 3", says="too many units saturate"),  # PyTorch's gain, not divided by sqrt(D_in)
            Mistake("my_std = 2 / np.sqrt(256)", says="too many units saturate"),  # a gain of 2 is too much for 10 layers
            Mistake("my_std = -0.1", says="must be a positive number"),
        ),
        right_answers=(
            "my_std = (5 / 3) / np.sqrt(256)",
            "my_std = np.sqrt(2 / 256)",
            "my_std = 0.1",
        ),
    ),
]
