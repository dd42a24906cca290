"""The exercises of "Initialization": the fan-in of a convolution of any dimension, Kaiming's std
for a PyTorch weight in either fan mode, Leaky ReLU's gain, the bound of PyTorch's He-uniform
initializer for a Leaky ReLU slope (nn.Linear's a = sqrt(5) among them), a std that keeps tanh
layers' spread within a factor of 2, and a gain that keeps ELU layers' second moment.

Numbers a learner may type (sqrt(3) as 1.732) pass: the std, bound and gain checks accept a
relative error of `RTOL` (0.2 %), far below the nearest known mistake, and print six digits, so a
rejected value always shows where it differs."""

import numpy as np

from lib.exercises.checking import CheckResult, check_values, number_failure
from lib.exercises.records import Exercise, Mistake

RTOL = 2e-3  # what a typed constant needs: 1.73 for sqrt(3) passes, 1.7 does not

_NUMPY = "import numpy as np"
_INITIALIZERS = "import numpy as np\nfrom lib import initializers"
_EXPERIMENTS = ("import numpy as np\nfrom lib import activations as act\n"
                "from lib.experiments import initialization as experiments")


def _check_conv_fan_in(fn, hints):
    """fn(shape): the fan-in C_in * k_1 * ... * k_d of a d-dimensional convolution weight
    (C_out, C_in, k_1, ..., k_d), for d = 1, 2 and 3."""
    return check_values(fn, lambda shape: shape[1] * int(np.prod(shape[2:])),
                        [((64, 32, 3, 3),), ((16, 3, 5),), ((8, 4, 3, 5, 7),),
                         ((16, 3, 5, 7),), ((8, 1, 1, 1),)], hints=hints)


def _torch_fans(shape):
    """(fan_in, fan_out) of a PyTorch weight (out, in, *kernel): in x kernel and out x kernel."""
    kernel = int(np.prod(shape[2:]))
    return shape[1] * kernel, shape[0] * kernel


def _check_kaiming_std(fn, hints):
    """fn(shape, mode): the std of torch.nn.init.kaiming_normal_ (ReLU) on a PyTorch weight shape,
    sqrt(2 / fan) with fan the fan-in or the fan-out as mode says."""
    def reference(shape, mode):
        return np.sqrt(2 / _torch_fans(shape)[mode == "fan_out"])

    cases = [((100, 784), "fan_in"), ((100, 784), "fan_out"), ((64, 32, 3, 3), "fan_in"),
             ((64, 32, 3, 3), "fan_out"), ((16, 3, 5, 5), "fan_out")]
    return check_values(fn, reference, cases, rtol=RTOL, hints=hints)


def _check_leaky_relu_gain(fn, hints):
    """fn(slope): the gain sqrt(2 / (1 + slope^2)) that keeps E[z^2] through Leaky ReLU layers."""
    return check_values(fn, lambda slope: np.sqrt(2 / (1 + slope**2)),
                        [(0.0,), (0.01,), (0.2,), (1.0,), (3.0,)], rtol=RTOL, hints=hints)


def _check_uniform_bound(fn, hints):
    """fn(fan_in, a): the bound of torch.nn.init.kaiming_uniform_(w, a=a), mode fan_in: the
    uniform whose std is the Leaky ReLU gain over sqrt(fan_in), sqrt(3) sqrt(2 / ((1 + a^2) fan_in))
    (Var(U[-b, b]) = b^2 / 3)."""
    return check_values(fn, lambda fan_in, a: np.sqrt(6 / ((1 + a**2) * fan_in)),
                        [(784, 0.0), (500, 0.2), (100, np.sqrt(5)), (288, 0.01), (64, 1.0)],
                        rtol=RTOL, hints=hints)


def _check_keeps_spread(std, hints, depth=10, width=256, name="my_std"):
    """The experimental check of a std for tanh layers: run N(0, 1) inputs through `depth` tanh
    layers of `width` units with W ~ N(0, std^2) and pass when the last layer keeps the first
    layer's spread within a factor of 2 (std(h_depth) >= std(h_1) / 2) with at most 5 % of its
    units saturated (|h| > 0.99). The answer is a number, not code, so there is nothing to call and
    no known mistake to match."""
    from lib.propagation import forward_through_layers

    failure = number_failure(std, name)
    if failure is not None:
        return failure
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


def _check_keeps_second_moment(gain, hints, depth=20, width=256, name="my_gain"):
    """The experimental check of a gain for ELU layers: z_0 ~ N(0, 1) through `depth` layers
    z_l = elu(z_{l-1}) @ W_l, W_l ~ N(0, gain^2 / width) (experiments.second_moments_through_depth,
    seed 0), and pass when E[z^2] at the last layer is within a factor of 4/3 of 1. The window is
    narrow enough to reject the gain that keeps the variance instead of the second moment (its
    E[z^2] is about 1.5 there) and wide enough for a gain rounded to 1.24 or 1.25."""
    from lib.experiments.initialization import second_moments_through_depth

    failure = number_failure(gain, name, upper=10)
    if failure is not None:
        return failure
    moments = second_moments_through_depth(np.random.default_rng(0), float(gain), "elu",
                                           depth=depth, width=width)
    middle = depth // 2
    measured = (f"{name} = {gain:.4g}: E[z^2] is {moments[0]:.3g} at layer 1, "
                f"{moments[middle - 1]:.3g} at layer {middle} and {moments[-1]:.3g} at layer {depth}")
    if gain < 0.3:
        return CheckResult(False, f"✗ {measured}: the signal fades. {gain:.4g} looks like a std "
                                  f"(gain / sqrt({width})): give the gain, the std times sqrt(D_in).")
    if moments[-1] < 0.75:
        return CheckResult(False, f"✗ {measured}: it fades (below 3/4). Try a larger gain.")
    if moments[-1] > 4 / 3:
        return CheckResult(False, f"✗ {measured}: it grows (above 4/3). Try a smaller gain.")
    return CheckResult(True, f"✓ {measured}: the second moment is kept within a factor of 4/3.")


EXERCISES = [
    Exercise(
        label="ex-conv-fan-in", name="conv_fan_in", setup=_NUMPY, check=_check_conv_fan_in,
        mistakes=(
            Mistake("def conv_fan_in(shape):\n    return shape[1]",
                    hint="That counts the input channels only: each output value also sums over "
                         "every position of its kernel window, in each channel."),
            Mistake("def conv_fan_in(shape):\n    return shape[0] * int(np.prod(shape[2:]))",
                    hint="That is the fan-out (output channels x kernel): the fan-in counts the "
                         "inputs one output value sums over, so it takes C_in, not C_out."),
            Mistake("def conv_fan_in(shape):\n    return shape[1] * shape[2] * shape[3]",
                    says="raised IndexError in conv_fan_in((16, 3, 5))"),  # 2-D only
            Mistake("def conv_fan_in(shape):\n    return shape[1] * shape[2] ** 2",
                    hint="That assumes a square kernel: multiply the kernel's sizes one by one, "
                         "whatever their number."),
            Mistake("def conv_fan_in(shape):\n    return int(np.prod(shape))",
                    hint="That is the number of weights in the whole layer: leave out the output "
                         "channels, shape[0]."),
            Mistake("def conv_fan_in(shape):\n    return int(np.prod(shape[2:]))",
                    hint="That is the kernel's size in one channel: the window covers every input "
                         "channel, so multiply by C_in."),
            Mistake("def conv_fan_in(shape):\n    return shape[1] * sum(shape[2:])",
                    hint="That adds the kernel's sizes: a window of kh x kw positions holds their "
                         "product."),
            Mistake("def conv_fan_in(shape):\n"  # both fans, as fan_in_and_fan_out returns them
                    "    kernel = int(np.prod(shape[2:]))\n"
                    "    return shape[1] * kernel, shape[0] * kernel", says="expected 288"),
            Mistake("def conv_fan_in(shape):\n"  # a cube of the last size: right in 1-D and 2-D here
                    "    return shape[1] * shape[-1] ** (len(shape) - 2)", says="returned 1372, expected 420"),
            Mistake("def conv_fan_in(shape):\n"  # the first and last kernel size: the 1-D kernel twice
                    "    return shape[1] * shape[2] * shape[-1]", says="returned 75, expected 15"),
        ),
        right_answers=(
            "def conv_fan_in(shape):\n    return int(np.prod(shape[1:]))",
            "import math\n\ndef conv_fan_in(shape):\n    c_out, c_in, *kernel = shape\n    return c_in * math.prod(kernel)",
            "def conv_fan_in(shape):\n    n = 1\n    for size in shape[1:]:\n        n *= size\n    return n",
            "def conv_fan_in(shape):\n    return np.prod(shape) // shape[0]",
        ),
    ),
    Exercise(
        label="ex-kaiming-std", name="kaiming_std", setup=_INITIALIZERS, check=_check_kaiming_std,
        mistakes=(
            Mistake("def kaiming_std(shape, mode):\n"  # lib's fans on torch's layout
                    "    fan_in, fan_out = initializers.fan_in_and_fan_out(shape)\n"
                    "    fan = fan_in if mode == 'fan_in' else fan_out\n"
                    "    return np.sqrt(2 / fan)",
                    hint="That reads a dense shape as lib's (fan_in, fan_out): PyTorch stores a "
                         "Linear weight as (out_features, in_features), so its fan-in is shape[1]."),
            Mistake("def kaiming_std(shape, mode):\n"  # mode ignored
                    "    return np.sqrt(2 / np.prod(shape[1:]))",
                    hint="That is the fan_in std whatever the mode: with mode 'fan_out', divide "
                         "by the fan-out, C_out times the kernel size."),
            Mistake("def kaiming_std(shape, mode):\n"  # the modes swapped
                    "    fan_in, fan_out = np.prod(shape[1:]), shape[0] * np.prod(shape[2:])\n"
                    "    return np.sqrt(2 / (fan_out if mode == 'fan_in' else fan_in))",
                    hint="The modes are swapped: 'fan_in' divides by the number of inputs of a "
                         "unit, shape[1] times the kernel size."),
            Mistake("def kaiming_std(shape, mode):\n"  # fan-out without the kernel
                    "    fan = np.prod(shape[1:]) if mode == 'fan_in' else shape[0]\n"
                    "    return np.sqrt(2 / fan)",
                    hint="For a convolution the fan-out also counts the kernel's positions: "
                         "C_out x kh x kw."),
            Mistake("def kaiming_std(shape, mode):\n"  # Glorot's average
                    "    fan_in, fan_out = np.prod(shape[1:]), shape[0] * np.prod(shape[2:])\n"
                    "    return np.sqrt(2 / (fan_in + fan_out))",
                    hint="That is Glorot's (Xavier's) std, which averages both fans: Kaiming "
                         "divides 2 by one fan, the one mode names."),
            Mistake("def kaiming_std(shape, mode):\n"  # nn.Linear's default a = sqrt(5)
                    "    fan = np.prod(shape[1:]) if mode == 'fan_in' else shape[0] * np.prod(shape[2:])\n"
                    "    return np.sqrt(2 / (1 + 5)) / np.sqrt(fan)",
                    hint="That is the gain of a = sqrt(5), nn.Linear's own default: for ReLU "
                         "(a = 0) the gain is sqrt(2)."),
            Mistake("def kaiming_std(shape, mode):\n"  # the variance, not the std
                    "    fan = np.prod(shape[1:]) if mode == 'fan_in' else shape[0] * np.prod(shape[2:])\n"
                    "    return 2 / fan",
                    hint="That is the variance, 2 / fan: the std is its square root."),
            Mistake("def kaiming_std(shape, mode):\n"  # LeCun's, no ReLU gain
                    "    fan = np.prod(shape[1:]) if mode == 'fan_in' else shape[0] * np.prod(shape[2:])\n"
                    "    return 1 / np.sqrt(fan)",
                    hint="That is LeCun's std, gain 1: ReLU halves the second moment, so Kaiming "
                         "doubles the variance."),
            Mistake("def kaiming_std(shape, mode):\n"  # the uniform bound
                    "    fan = np.prod(shape[1:]) if mode == 'fan_in' else shape[0] * np.prod(shape[2:])\n"
                    "    return np.sqrt(6 / fan)",
                    hint="That is the bound of kaiming_uniform_, sqrt(3) times the std: "
                         "kaiming_normal_ draws with the std itself."),
            Mistake("def kaiming_std(shape, mode):\n"  # integer division
                    "    fan = int(np.prod(shape[1:])) if mode == 'fan_in' else shape[0] * int(np.prod(shape[2:]))\n"
                    "    return (2 // fan) ** 0.5", says="returned 0, expected 0.0505076"),
            Mistake("def kaiming_std(shape, mode):\n"  # the kernel forgotten
                    "    return np.sqrt(2 / (shape[1] if mode == 'fan_in' else shape[0]))",
                    says="kaiming_std((64, 32, 3, 3), 'fan_in') returned 0.25"),
        ),
        right_answers=(
            "def kaiming_std(shape, mode):\n"
            "    kernel = np.prod(shape[2:])\n"
            "    fan = shape[1] * kernel if mode == 'fan_in' else shape[0] * kernel\n"
            "    return np.sqrt(2 / fan)",
            "import math\n\ndef kaiming_std(shape, mode):\n"
            "    out, inp, *kernel = shape\n"
            "    fans = {'fan_in': inp * math.prod(kernel), 'fan_out': out * math.prod(kernel)}\n"
            "    return math.sqrt(2.0 / fans[mode])",
            "def kaiming_std(shape, mode):\n"  # lib's fans on lib's layout: a dense shape transposed
            "    lib_shape = shape[::-1] if len(shape) == 2 else shape\n"
            "    fan_in, fan_out = initializers.fan_in_and_fan_out(lib_shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    return initializers.calculate_gain('relu') / np.sqrt(fan)",
            "def kaiming_std(shape, mode):\n"  # sqrt(2) typed as 1.414
            "    fan = np.prod(shape[1:]) if mode == 'fan_in' else shape[0] * np.prod(shape[2:])\n"
            "    return 1.414 / fan ** 0.5",
        ),
    ),
    Exercise(
        label="ex-leaky-gain", name="leaky_relu_gain", setup=_INITIALIZERS, check=_check_leaky_relu_gain,
        mistakes=(
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2)",
                    hint="That is ReLU's gain, right only for slope 0 (calculate_gain('leaky_relu') "
                         "without a slope is close to it: its default slope is 0.01). The negative "
                         "half passes slope^2 of its second moment."),
            Mistake("def leaky_relu_gain(slope):\n"  # a minus for a plus: it raises at slope 1
                    "    return np.sqrt(2 / (1 - slope**2))", says="leaky_relu_gain(0.2) returned 1.44338"),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2 / (1 + slope))",
                    hint="The negative half is scaled by the slope, so its second moment by "
                         "slope^2: square it."),
            Mistake("def leaky_relu_gain(slope):\n    return 2 / (1 + slope**2)",
                    hint="That is the gain squared, the factor on the variance: the gain "
                         "multiplies the std, so take the square root."),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(2) / (1 + slope**2)",
                    hint="The square root applies to the whole fraction 2 / (1 + slope^2)."),
            Mistake("def leaky_relu_gain(slope):\n    return np.sqrt(1 + slope**2)",
                    hint="That is sqrt(2) times E[f(z)^2]^(1/2): the gain is its inverse, "
                         "1 / sqrt(E[f(z)^2])."),
            Mistake("def leaky_relu_gain(slope):\n"  # ** binds before /
                    "    return (2 / (1 + slope**2)) ** 1/2",
                    hint="** binds before /: x ** 1/2 is x / 2. Write ** 0.5 or np.sqrt."),
            Mistake("def leaky_relu_gain(slope):\n"  # the slope of nn.LeakyReLU, ignoring the argument
                    "    return initializers.calculate_gain('leaky_relu')",
                    says="its default slope is 0.01"),
            Mistake("def leaky_relu_gain(slope):\n"  # the XOR operator for a power
                    "    return np.sqrt(2 / (1 + slope^2))", says="raised TypeError"),
            Mistake("def leaky_relu_gain(slope):\n"  # integer division
                    "    return np.sqrt(2 // (1 + slope**2))", says="leaky_relu_gain(0.01) returned 1"),
        ),
        right_answers=(
            "import math\n\ndef leaky_relu_gain(slope):\n    return math.sqrt(2.0 / (1.0 + slope * slope))",
            "def leaky_relu_gain(slope):\n    return initializers.calculate_gain('leaky_relu', slope)",
            "def leaky_relu_gain(slope):\n    return 1 / np.sqrt((1 + slope**2) / 2)",
            "def leaky_relu_gain(slope):\n    return 1.414 / np.sqrt(1 + slope**2)",
        ),
    ),
    Exercise(
        label="ex-uniform-bound", name="uniform_bound", setup=_NUMPY, check=_check_uniform_bound,
        mistakes=(
            Mistake("def uniform_bound(fan_in, a):\n    return np.sqrt(6 / fan_in)",
                    hint="That is the bound for ReLU, a = 0: the Leaky ReLU gain "
                         "sqrt(2 / (1 + a^2)) replaces sqrt(2)."),
            Mistake("def uniform_bound(fan_in, a):\n"  # the std of the normal, not the bound
                    "    return np.sqrt(2 / ((1 + a**2) * fan_in))",
                    hint="That is the std: a uniform U[-b, b] has variance b^2 / 3, so the bound "
                         "is sqrt(3) times the std."),
            Mistake("def uniform_bound(fan_in, a):\n"  # the square root of 3 forgotten
                    "    return 3 * np.sqrt(2 / ((1 + a**2) * fan_in))",
                    hint="The variance of U[-b, b] is b^2 / 3, so b is sqrt(3) times the std, "
                         "not 3 times."),
            Mistake("def uniform_bound(fan_in, a):\n"  # Var(U[-b, b]) taken as b^2 / 12
                    "    return np.sqrt(12) * np.sqrt(2 / ((1 + a**2) * fan_in))",
                    hint="b^2 / 12 is the variance of a uniform of width b: U[-b, b] has width "
                         "2b, so its variance is b^2 / 3."),
            Mistake("def uniform_bound(fan_in, a):\n"  # a not squared
                    "    return np.sqrt(6 / ((1 + a) * fan_in))",
                    hint="The negative half is scaled by a, its second moment by a^2: the gain is "
                         "sqrt(2 / (1 + a^2))."),
            Mistake("def uniform_bound(fan_in, a):\n"  # 1 / sqrt(fan_in), nn.Linear's result, for every a
                    "    return 1 / np.sqrt(fan_in)",
                    hint="That is nn.Linear's bound, right for a = sqrt(5) only: derive it for "
                         "any a."),
            Mistake("def uniform_bound(fan_in, a):\n"  # the gain without its 2
                    "    return np.sqrt(3 / ((1 + a**2) * fan_in))",
                    hint="The gain is sqrt(2 / (1 + a^2)): each half of z carries half of the "
                         "second moment, so the 2 stays."),
            Mistake("def uniform_bound(fan_in, a):\n"  # the XOR operator for a power
                    "    return np.sqrt(6 / ((1 + a^2) * fan_in))", says="raised TypeError"),
            Mistake("def uniform_bound(fan_in, a):\n"  # integer division: 0 for every layer
                    "    return (6 // ((1 + a**2) * fan_in)) ** 0.5", says="returned 0"),
            Mistake("def uniform_bound(fan_in, a):\n"  # the gain squared
                    "    return 2 / (1 + a**2) * np.sqrt(3 / fan_in)",
                    hint="That multiplies by the gain squared, 2 / (1 + a^2): the std takes "
                         "the gain itself, its square root."),
            Mistake("def uniform_bound(fan_in, a):\n"  # sqrt(3) typed as 1.7
                    "    return 1.7 * np.sqrt(2 / ((1 + a**2) * fan_in))",
                    says="returned 0.085863, expected 0.0874818"),
        ),
        right_answers=(
            "import math\n\ndef uniform_bound(fan_in, a):\n"
            "    gain = math.sqrt(2 / (1 + a * a))\n"
            "    return gain * math.sqrt(3 / fan_in)",
            "def uniform_bound(fan_in, a):\n"
            "    std = np.sqrt(2 / (1 + a**2)) / np.sqrt(fan_in)\n"
            "    return np.sqrt(3) * std",
            "def uniform_bound(fan_in, a):\n"  # sqrt(3) typed to 7 digits (rejected before)
            "    return 1.7320508 * np.sqrt(2 / ((1 + a**2) * fan_in))",
            "def uniform_bound(fan_in, a):\n"  # and to 3
            "    return 1.73 * (2 / (1 + a**2) / fan_in) ** 0.5",
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
            Mistake("my_std = np.sqrt(1 / 3) / np.sqrt(256)", says="the signal fades"),  # nn.Linear's a = sqrt(5)
        ),
        right_answers=(
            "my_std = (5 / 3) / np.sqrt(256)",
            "my_std = np.sqrt(2 / 256)",
            "my_std = 0.1",
        ),
    ),
    Exercise(
        label="ex-elu-gain", name="my_gain", setup=_EXPERIMENTS, check=_check_keeps_second_moment,
        mistakes=(
            Mistake("my_gain = 1.0", says="it fades"),  # no gain, as for a linear layer
            Mistake("my_gain = np.sqrt(2)", says="it grows"),  # ReLU's gain
            Mistake("my_gain = 5 / 3", says="it grows"),  # tanh's gain
            Mistake("my_gain = 3 / 4", says="it fades"),  # PyTorch's SELU gain
            Mistake("my_gain = np.sqrt(2 / (1 + 1.0**2))", says="it fades"),  # Leaky ReLU's with slope alpha = 1
            Mistake("z = np.random.default_rng(0).standard_normal(100_000)\n"  # keeps the variance, not E[z^2]
                    "my_gain = 1 / act.elu(z).std()", says="it grows"),
            Mistake("z = np.random.default_rng(0).standard_normal(100_000)\n"  # the square root forgotten
                    "my_gain = 1 / np.mean(act.elu(z) ** 2)", says="it grows"),
            Mistake("my_gain = experiments.gain_that_keeps_the_second_moment(act.elu) / np.sqrt(256)",
                    says="looks like a std"),  # the std, not the gain
            Mistake("my_gain = 1.2", says="it fades"),  # read off too coarsely
            Mistake("my_gain = 0", says="must be a positive number"),
        ),
        right_answers=(
            "my_gain = experiments.gain_that_keeps_the_second_moment(act.elu)",
            "z = np.random.default_rng(1).standard_normal(1_000_000)\n"
            "my_gain = 1 / np.sqrt(np.mean(act.elu(z) ** 2))",
            "my_gain = 1.25",
            "my_gain = 1.24",
        ),
    ),
]
