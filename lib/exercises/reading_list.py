"""The exercises of "Reading list": the factor by which Glorot & Bengio's standard init scales the
back-propagated variance, the gain that makes a deep linear network's mean log-step exactly 0, and by
experiment a gain that removes the drift of a ReLU network's log-norm walk at a width the page did
not show."""

import numpy as np

from lib.exercises.checking import CheckResult, check_values, number_failure
from lib.exercises.records import Exercise, Mistake


def _check_backward_variance_factor(fn, hints):
    """fn(fan_in, fan_out): the factor fan_out Var(w) = fan_out / (3 fan_in) by which one layer with
    Glorot & Bengio's standard init U[-1/sqrt(fan_in), 1/sqrt(fan_in)] multiplies the variance of the
    back-propagated gradient in the linear regime (1/3 for equal widths)."""
    return check_values(fn, lambda fan_in, fan_out: fan_out / (3 * fan_in),
                        [(1000, 1000), (784, 100), (100, 400), (3, 1000)], hints=hints)


def _check_unbiased_linear_gain(fn, hints):
    """fn(N): the gain g = exp(-(psi(N/2) + ln(2/N)) / 2) that makes the mean step of ln |delta|
    through linear layers of width N with W ~ N(0, g^2 / N) exactly 0."""
    from scipy.special import digamma

    return check_values(fn, lambda N: np.exp(-(digamma(N / 2) + np.log(2 / N)) / 2),
                        [(1,), (2,), (5,), (20,), (1000,)], hints=hints)


def _check_walk_gain(gain, hints, depth=50, width=50, walks=100, tol=0.01, name="my_gain"):
    """The experimental check of a gain for ReLU layers of width 50: the page's log-norm walk,
    experiments.log_norm_walk(np.random.default_rng(0), "relu", gain, 50, 50, 100), and pass when
    the mean step of ln |delta| per layer is within `tol` of 0. Two standard errors of that mean are
    0.005, the window 0.01: Sussillo and Abbott's g for N = 50 (1.450) passes, sqrt(2) (-0.027) and
    their g for the page's N = 20 (1.514, +0.041) fail."""
    from lib.experiments.reading_list import log_norm_walk

    failure = number_failure(gain, name, upper=10)
    if failure is not None:
        return failure
    steps = np.diff(log_norm_walk(np.random.default_rng(0), "relu", float(gain), depth, width, walks), axis=1)
    mean, error = float(steps.mean()), float(2 * steps.std() / np.sqrt(steps.size))
    measured = (f"{name} = {gain:.4g}: ln |delta| moves by {mean:+.4f} per layer on average "
                f"(two standard errors {error:.4f}), {depth * mean:+.2f} over {depth} layers, a factor "
                f"{np.exp(depth * mean):.3g} on the gradient's norm")
    if gain < 0.5:
        return CheckResult(False, f"✗ {measured}: the gradient vanishes. {gain:.4g} looks like a std "
                                  f"(g / sqrt({width})): give the gain g, the std times sqrt(N).")
    if mean < -tol:
        return CheckResult(False, f"✗ {measured}: it drifts down (more than {tol:g} per layer). "
                                  "Try a larger gain.")
    if mean > tol:
        return CheckResult(False, f"✗ {measured}: it drifts up (more than {tol:g} per layer). "
                                  "Try a smaller gain.")
    return CheckResult(True, f"✓ {measured}: no drift beyond {tol:g} per layer.")


EXERCISES = [
    Exercise(
        label="ex-backward-variance-factor", name="backward_variance_factor", setup="import numpy as np",
        check=_check_backward_variance_factor,
        mistakes=(
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return 1 / 3",  # the square-layer value
                    hint="That is the forward factor, fan_in Var(w): the gradient going back sums over the fan_out "
                         "units the layer feeds."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / fan_in",
                    hint="You left out the 1/3: U[-a, a] has variance a^2 / 3, not a^2."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return fan_in / (3 * fan_out)",
                    hint="You swapped the fans: the gradient going back sums over fan_out terms, and Var(w) = 1 / "
                         "(3 fan_in)."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return 1 / (3 * fan_in)",
                    hint="That is Var(w) alone: multiply by the number of terms the back-propagated sum has, "
                         "fan_out."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / np.sqrt(3 * fan_in)",
                    hint="You used the standard deviation where the variance belongs: square it."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / (12 * fan_in)",
                    hint="U[-a, a] has variance (2a)^2 / 12 = a^2 / 3: its width is 2a, not a."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return 2 / (fan_in + fan_out)",  # Glorot's Var(w)
                    hint="That is the normalized init's Var(w), 2 / (fan_in + fan_out): this is the standard init, "
                         "and the factor is fan_out Var(w)."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / 3 * fan_in",  # precedence
                    hint="Operator precedence: fan_out / 3 * fan_in is (fan_out / 3) * fan_in; write fan_out / (3 * "
                         "fan_in)."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n"  # a = 1/sqrt(n) squared as 1/n^2
                    "    a = 1 / np.sqrt(fan_in)\n    return fan_out * (a / np.sqrt(fan_in)) ** 2 / 3",
                    hint="You squared the bound twice: a = 1/sqrt(fan_in), so a^2 = 1/fan_in, and Var(w) = a^2 / 3 = "
                         "1 / (3 fan_in)."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n    return np.sqrt(fan_out / (3 * fan_in))",
                    hint="That is the factor for the gradient's standard deviation; the variance's factor is its "
                         "square, fan_out / (3 fan_in)."),
            Mistake("def backward_variance_factor(fan_in, fan_out):\n"  # averaged the two directions
                    "    return (fan_in + fan_out) / 2 / (3 * fan_in)",
                    hint="You averaged the forward and the backward sums: the gradient going back through this layer "
                         "sums over its fan_out units only."),
        ),
        right_answers=(
            "def backward_variance_factor(fan_in, fan_out):\n    return fan_out * (1 / np.sqrt(fan_in)) ** 2 / 3",
            "def backward_variance_factor(fan_in, fan_out):\n"  # Var(U[-a, a]) = (2a)^2 / 12
            "    a = 1 / fan_in ** 0.5\n    return fan_out * (2 * a) ** 2 / 12",
            "def backward_variance_factor(fan_in, fan_out):\n    return (fan_out / fan_in) / 3.0",
        ),
    ),
    Exercise(
        label="ex-unbiased-linear-gain", name="unbiased_linear_gain", check=_check_unbiased_linear_gain,
        setup="import numpy as np\nfrom scipy.special import digamma",  # the starter cell imports digamma
        mistakes=(
            Mistake("def unbiased_linear_gain(N):\n    return np.exp(1 / (2 * N))",
                    hint="That is Sussillo & Abbott's approximation exp(1/(2N)), first order in 1/N: the exact "
                         "gain uses psi(N/2) + ln(2/N)."),
            Mistake("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp(-(digamma(N / 2) + np.log(2 / N)))",
                    hint="That is g^2: the step is ln g + (1/2) E ln(chi^2_N / N), so ln g is minus half the mean."),
            Mistake("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp((digamma(N / 2) + np.log(2 / N)) / 2)",
                    hint="The sign is flipped: ln g must cancel the mean, so ln g = -(1/2) E ln(chi^2_N / N)."),
            Mistake("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp(-(digamma(N) + np.log(2 / N)) / 2)",
                    hint="Use psi(N/2): chi^2_N is 2 times a Gamma(N/2) variable, so E ln chi^2_N = psi(N/2) + ln "
                         "2."),
            Mistake("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp(-(digamma(N / 2) + np.log(N / 2)) / 2)",
                    hint="E ln(chi^2_N / N) = psi(N/2) + ln 2 - ln N = psi(N/2) + ln(2/N), not ln(N/2)."),
            Mistake("def unbiased_linear_gain(N):\n    return 1.0",
                    hint="A gain of 1 keeps E|delta|^2, not E ln|delta|: the mean of the log is below the log of "
                         "the mean."),
            Mistake("def unbiased_linear_gain(N):\n    return np.sqrt(2) * np.exp(1.2 / (max(N, 6) - 2.4))",  # the ReLU fit
                    says="unbiased_linear_gain(1)"),
            Mistake("def unbiased_linear_gain(N):\n    return np.exp(-(digamma(N / 2) + np.log(2)) / 2)",
                    hint="You took E ln chi^2_N = psi(N/2) + ln 2; the step has chi^2_N / N, so subtract ln N too: "
                         "psi(N/2) + ln(2/N)."),
            Mistake("def unbiased_linear_gain(N):\n    return np.exp(-(digamma(N / 2) + np.log(2) / N) / 2)",
                    hint="ln(2/N) is the log of the ratio, np.log(2 / N), not np.log(2) / N."),
            Mistake("def unbiased_linear_gain(N):\n    return np.exp(-(digamma(N // 2) + np.log(2 / N)) / 2)",
                    hint="N // 2 rounds down: for odd N, chi^2_N is 2 Gamma(N/2) with a half-integer N/2, so use "
                         "psi(N / 2)."),
            Mistake("def unbiased_linear_gain(N):\n"  # the series to second order
                    "    return np.exp(1 / (2 * N) + 1 / (6 * N ** 2))",
                    hint="That is the series in 1/N to second order, close for large N but not for N = {N}: the "
                         "exact gain needs psi(N/2) itself."),
        ),
        right_answers=(
            "from scipy.special import psi\n\ndef unbiased_linear_gain(N):\n"
            "    return 1 / np.sqrt(np.exp(psi(N / 2)) * 2 / N)",
            "import math\nfrom scipy import special\n\ndef unbiased_linear_gain(N):\n"
            "    mean_log = special.digamma(N / 2) + math.log(2) - math.log(N)\n    return math.exp(-mean_log / 2)",
            "from scipy.special import gammaln, digamma\n\ndef unbiased_linear_gain(N):\n"  # sqrt(N/2) e^(-psi/2)
            "    return np.sqrt(N / 2) * np.exp(-digamma(N / 2) / 2)",
        ),
    ),
    Exercise(
        label="ex-walk-gain", name="my_gain", setup="import numpy as np\nfrom lib.experiments import reading_list as experiments",
        check=_check_walk_gain,
        mistakes=(
            Mistake("my_gain = np.sqrt(2)", says="it drifts down"),  # He's gain, the walk's start
            Mistake("my_gain = 1.514", says="it drifts up"),  # the page's g, printed for N = 20
            Mistake("my_gain = experiments.sussillo_abbott_gain(20, 'relu')", says="it drifts up"),  # width unchanged
            Mistake("my_gain = np.exp(1 / (2 * 50))", says="it drifts down"),  # the linear network's g
            Mistake("my_gain = np.sqrt(2) * np.exp(1 / (2 * 50))", says="it drifts down"),  # linear correction on He's
            Mistake("my_gain = 2", says="it drifts up"),  # the variance factor 2, not its root
            Mistake("my_gain = 1.0", says="it drifts down"),
            Mistake("my_gain = np.sqrt(2 / 50)", says="looks like a std"),  # the std, not the gain
            Mistake("my_gain = 1.5", says="it drifts up"),
            Mistake("my_gain = -1.45", says="must be a positive number"),
        ),
        right_answers=(
            "my_gain = experiments.sussillo_abbott_gain(50, 'relu')",
            "my_gain = 1.45",
            "my_gain = 1.455",
            "def drift(g):\n"  # the experiment itself, on a grid of gains
            "    logs = experiments.log_norm_walk(np.random.default_rng(0), 'relu', g, 50, 50, 100)\n"
            "    return abs(np.diff(logs, axis=1).mean())\n\n\n"
            "my_gain = min(np.linspace(1.40, 1.50, 11), key=drift)",
        ),
    ),
]
