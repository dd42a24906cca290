"""The exercises of "Activations beyond ReLU": ELU's derivative, PReLU's derivative in its parameter,
SELU's fixed point (the mean and variance of SELU(z) for a Gaussian z), and by experiment the weight
std that keeps 32 SELU layers at that fixed point."""

import numpy as np

from lib import activations as act
from lib.exercises.checking import (CheckResult, as_parts, call, check_array_function, check_function,
                                    number_failure)
from lib.exercises.records import Exercise, Mistake

_SETUP = "import numpy as np\nfrom lib import activations as act"


def _check_elu_grad(fn, hints):
    """fn(x, alpha): ELU's derivative, elementwise, for alpha = 0.5 and 2."""
    return check_function(fn, act.elu_grad, params={"alpha": [0.5, 2.0]}, hints=hints)


def _check_prelu_alpha(fn, hints):
    """fn(x, alpha): PReLU's derivative in alpha, elementwise, for alpha = 0.25, 0 and 2."""
    return check_function(fn, act.prelu_alpha_grad, params={"alpha": [0.25, 0.0, 2.0]}, hints=hints)


_SELU_CASES = [(0.0, 1.0), (0.5, 1.5), (-1.0, 0.5)]  # the fixed point, and two points off it


def _check_selu_moments(fn, hints):
    """fn(mu, sigma): (E[SELU(z)], Var[SELU(z)]) for z ~ N(mu, sigma^2), each to within 0.002 (absolute,
    as the prompt says), against numerical integration (`moments_of_output`). A random sample meets
    that with about 10^7 values; an answer that is close but not that close, and is no known mistake,
    is told that a sample of n values is only accurate to about 1 / sqrt(n) and that a grid must reach
    far into the tails."""
    from lib.activations import moments_of_output

    def reference(mu, sigma):  # a mean of 1.7e-16 (rounding) is shown as the 0 it is
        return tuple(0.0 if abs(v) < 1e-12 else v for v in moments_of_output(act.selu, mu, sigma))

    result = check_array_function(fn, reference, _SELU_CASES, rtol=0.0, atol=2e-3, hints=hints,
                                  parts=("mean", "variance"))
    if result.passed or any(hint in result.message for hint, _ in hints):
        return result
    close = True
    for case in _SELU_CASES:
        run = call(fn, case)
        got = as_parts(None if run.error else run.value, (0.0, 0.0))
        close = close and not isinstance(got, tuple) and len(got) == 2 and all(
            g.shape == () and abs(g - e) <= 0.05 * max(1.0, abs(e)) for g, e in zip(got, reference(*case)))
    if close:
        return CheckResult(False, result.message + " Close, but not to within 0.002: a random sample of n "
                                                   "values is accurate only to about 1 / sqrt(n), so use "
                                                   "10^7 values or integrate (scipy.integrate.quad); a grid "
                                                   "must reach far into the tails (8 sigma or more).")
    return result


def _check_selu_std(std, hints, depth=32, width=256, name="my_std"):
    """The experimental check of a weight std for SELU: the page's deep network at initialization,
    forward_through_layers(np.random.default_rng(0), std, "selu", depth=32, width=256), and pass when
    layer 32 keeps SELU's fixed point, a mean within 0.1 of 0 and a variance within a factor of 4/3
    of 1. The window is narrow because the fixed point is: a std off by 5 % moves the variance at
    layer 32 by a factor of about 1.4 (lambda / sqrt(256), SELU's scale taken for a gain, fails)."""
    import warnings

    from lib.propagation import forward_through_layers

    failure = number_failure(std, name, upper=10)
    if failure is not None:
        return failure
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a std far too large overflows: reported below, not warned
        layers = forward_through_layers(np.random.default_rng(0), float(std), "selu", depth=depth,
                                        width=width)
        (mean_1, var_1), (mean, var) = [(float(h.mean()), float(h.var())) for h in (layers[0], layers[-1])]
    measured = (f"{name} = {std:.4g}: mean {mean_1:+.3g} and variance {var_1:.3g} at layer 1, "
                f"mean {mean:+.3g} and variance {var:.3g} at layer {depth}")
    if not np.isfinite(var) or var > 4 / 3:
        return CheckResult(False, f"✗ {measured}: the variance grows (above 4/3). Try a smaller std.")
    if var < 3 / 4:
        return CheckResult(False, f"✗ {measured}: the variance shrinks (below 3/4). Try a larger std.")
    if abs(mean) > 0.1:
        return CheckResult(False, f"✗ {measured}: the mean drifts from 0 by more than 0.1.")
    return CheckResult(True, f"✓ {measured}: SELU's fixed point (mean 0, variance 1) is kept. "
                             f"Times sqrt({width}) your std is {std * np.sqrt(width):.3g}.")


EXERCISES = [
    Exercise(
        label="ex-elu-grad", name="my_elu_grad", setup=_SETUP, check=_check_elu_grad,
        mistakes=(
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # sign error
                    "    return np.where(x > 0, 1.0, -alpha * np.exp(np.minimum(x, 0)))", says="The sign is flipped"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # forgot alpha
                    "    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))", says="off by a factor of 2"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # np.where evaluates exp(800) too: the hint's warning
                    "    return np.where(x > 0, 1.0, alpha * np.exp(x))", says="warning at x = 800"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # x = 0 on the wrong side (the convention is x <= 0)
                    "    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0)))", says="Only x = 0 is wrong"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # branches swapped
                    "    return np.where(x > 0, alpha * np.exp(np.minimum(x, 0)), 1.0)", says="wrong at x = -6"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # ELU itself, not its derivative
                    "    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))", says="wrong at x = -6"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # alpha copied from a check, right for that value only
                    "    return np.where(x > 0, 1.0, 0.5 * np.exp(np.minimum(x, 0)))", says="with alpha = 2"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # ELU'(x) = ELU(x) + alpha, with 1 for alpha
                    "    return np.where(x > 0, 1.0, act.elu(x, alpha) + 1)", says="off by +0.5"),
            Mistake("def my_elu_grad(x, alpha=1.0):\n"  # boolean masks, written into the caller's array
                    "    negative = x <= 0\n"
                    "    x[negative] = alpha * np.exp(x[negative])\n"
                    "    x[~negative] = 1.0\n"
                    "    return x", says="changed its input"),
        ),
        right_answers=(
            "import math\n\n"
            "def my_elu_grad(x, alpha=1.0):\n"
            "    return np.array([1.0 if v > 0 else alpha * math.exp(v) for v in x])",
            "def my_elu_grad(x, alpha=1.0):\n"
            "    return np.piecewise(x, [x > 0], [1.0, lambda v: alpha * np.exp(v)])",
            "def my_elu_grad(x, alpha=1.0):\n"
            "    out = np.ones_like(x)\n"
            "    negative = x <= 0\n"
            "    out[negative] = alpha * np.exp(x[negative])\n"
            "    return out",
            "def my_elu_grad(x, alpha=1.0):\n"  # ELU'(x) = ELU(x) + alpha for x <= 0
            "    return np.where(x > 0, 1.0, act.elu(x, alpha) + alpha)",
        ),
    ),
    Exercise(
        label="ex-prelu-alpha", name="my_prelu_grad_alpha", setup=_SETUP, check=_check_prelu_alpha,
        mistakes=(
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # d/dx instead of d/dalpha
                    "    return np.where(x > 0, 1.0, alpha)", says="wrong at x = -6"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # forgot the x > 0 side
                    "    return x", says="wrong at x = 0.1"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # f itself on the negative side
                    "    return np.where(x > 0, 0.0, alpha * x)", says="off by a factor of 0.25"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # sign error
                    "    return np.where(x > 0, 0.0, -x)", says="The sign is flipped"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # sides swapped
                    "    return np.where(x > 0, x, 0.0)", says="wrong at x = -6"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # "the derivative of alpha is 1"
                    "    return np.where(x > 0, 0.0, 1.0)", says="wrong at x = -6"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # summed already, as for a shared alpha
                    "    return np.sum(np.where(x > 0, 0.0, x))", says="returned a single value"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # f = alpha x, so f / alpha: fails at alpha = 0
                    "    return np.where(x > 0, 0.0, act.prelu(x, alpha) / alpha)", says="alpha = 0"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # both derivatives, as a tuple
                    "    return np.where(x > 0, 1.0, alpha), np.where(x > 0, 0.0, x)", says="returned a tuple"),
            Mistake("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # right values, written into the caller's array
                    "    x[x > 0] = 0.0\n"
                    "    return x", says="changed its input"),
        ),
        right_answers=(
            "def my_prelu_grad_alpha(x, alpha=0.25):\n"
            "    return np.minimum(x, 0.0)",
            "def my_prelu_grad_alpha(x, alpha=0.25):\n"
            "    return x * (x <= 0)",
            "def my_prelu_grad_alpha(x, alpha=0.25):\n"
            "    return np.array([v if v <= 0 else 0.0 for v in x])",
            "def my_prelu_grad_alpha(x, alpha=0.25):\n"
            "    return np.piecewise(x, [x > 0], [0.0, lambda v: v])",
            "def my_prelu_grad_alpha(x, alpha=0.25):\n"  # f is linear in alpha, so a difference is exact
            "    h = 1e-3\n"
            "    return (act.prelu(x, alpha + h) - act.prelu(x, alpha)) / h",
        ),
    ),
    Exercise(
        label="ex-selu-moments", name="selu_moments", setup=_SETUP, check=_check_selu_moments,
        mistakes=(
            Mistake("def selu_moments(mu, sigma):\n"  # a sample too small for 0.002
                    "    y = act.selu(np.random.default_rng(0).normal(mu, sigma, 10_000))\n"
                    "    return y.mean(), y.var()", says="1 / sqrt(n)"),
            Mistake("def selu_moments(mu, sigma):\n"  # the standard deviation instead of the variance
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.selu(z)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.sqrt(np.trapezoid((y - mean) ** 2 * p, z))",
                    hint="That is the standard deviation; the variance is its square: return E[(y - mean)^2]."),
            Mistake("def selu_moments(mu, sigma):\n"  # forgot lambda: ELU with SELU's alpha
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.elu(z, act.SELU_ALPHA)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid((y - mean) ** 2 * p, z)",
                    hint="You left out lambda (SELU = lambda * ELU with alpha = 1.6733): multiply by lambda = "
                         "1.0507."),
            Mistake("def selu_moments(mu, sigma):\n"  # ELU instead of SELU
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.elu(z)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid((y - mean) ** 2 * p, z)",
                    hint="That is ELU with alpha = 1, not SELU: use alpha = 1.6733 and the scale lambda = 1.0507."),
            Mistake("def selu_moments(mu, sigma):\n"  # ignores the negative branch
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.SELU_SCALE * np.maximum(z, 0)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid((y - mean) ** 2 * p, z)",
                    hint="You left out the negative branch: for z <= 0, SELU(z) = lambda alpha (e^z - 1), not 0."),
            Mistake("def selu_moments(mu, sigma):\n"  # E[y^2] instead of the variance
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.selu(z)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid(y ** 2 * p, z)",
                    hint="That is E[y^2], the second moment; the variance subtracts the squared mean: E[y^2] - "
                         "E[y]^2."),
            Mistake("def selu_moments(mu, sigma):\n"  # the constants swapped
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.SELU_ALPHA * act.elu(z, act.SELU_SCALE)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid((y - mean) ** 2 * p, z)",
                    hint="You swapped the constants: lambda = 1.0507 scales both branches, alpha = 1.6733 only e^x "
                         "- 1."),
            Mistake("def selu_moments(mu, sigma):\n"  # sigma taken as the variance
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) ** 2 / sigma) / 2) / np.sqrt(2 * np.pi * sigma)\n"
                    "    y = act.selu(z)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid((y - mean) ** 2 * p, z)",
                    hint="You used sigma as the variance; sigma is the standard deviation: z = mu + sigma * u."),
            Mistake("def selu_moments(mu, sigma):\n"  # the two results the other way round
                    "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.selu(z)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return np.trapezoid((y - mean) ** 2 * p, z), mean",
                    hint="The results are in the wrong order: return (mean, variance)."),
            Mistake("def selu_moments(mu, sigma):\n"  # 10^6 values: within 0.002 + 0.2 %, not within 0.002
                    "    y = act.selu(np.random.default_rng(0).normal(mu, sigma, 1_000_000))\n"
                    "    return y.mean(), y.var()", says="1 / sqrt(n)"),
            Mistake("def selu_moments(mu, sigma):\n"  # the grid cut at 3 sigma: the tails are missing
                    "    z = np.linspace(mu - 3 * sigma, mu + 3 * sigma, 20_001)\n"
                    "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
                    "    y = act.selu(z)\n"
                    "    mean = np.trapezoid(y * p, z)\n"
                    "    return mean, np.trapezoid((y - mean) ** 2 * p, z)", says="far into the tails"),
            Mistake("def selu_moments(mu, sigma):\n"  # only the fixed point, from memory
                    "    return 0.0, 1.0", says="mu = 0.5, sigma = 1.5"),
        ),
        right_answers=(
            "def selu_moments(mu, sigma):\n"  # a fine grid and the trapezoidal rule
            "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 200_001)\n"
            "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
            "    y = act.selu(z)\n"
            "    mean = np.trapezoid(y * p, z)\n"
            "    return mean, np.trapezoid((y - mean) ** 2 * p, z)",
            "def selu_moments(mu, sigma):\n"  # a large seeded sample
            "    y = act.selu(np.random.default_rng(1).normal(mu, sigma, 4_000_000))\n"
            "    return np.mean(y), np.var(y)",
            "from scipy import integrate, stats\n\n"  # E[y^2] - E[y]^2, integrating over u ~ N(0, 1)
            "def selu_moments(mu, sigma):\n"
            "    def moment(k):\n"
            "        return integrate.quad(lambda u: act.selu(mu + sigma * u) ** k * stats.norm.pdf(u), -40, 40,\n"
            "                              points=[-mu / sigma])[0]\n"
            "    m1 = moment(1)\n"
            "    return [m1, moment(2) - m1 ** 2]",
            "from scipy.stats import norm\n\n"  # closed form: truncated-normal and lognormal integrals
            "def selu_moments(mu, sigma):\n"
            "    lam, alpha, a = act.SELU_SCALE, act.SELU_ALPHA, mu / sigma\n"
            "    def exp_below(k):  # E[e^(k z); z <= 0]\n"
            "        return np.exp(k * mu + k * k * sigma * sigma / 2) * norm.cdf(-a - k * sigma)\n"
            "    below = norm.cdf(-a)\n"
            "    first = mu * norm.cdf(a) + sigma * norm.pdf(a) + alpha * (exp_below(1) - below)\n"
            "    second = ((mu * mu + sigma * sigma) * norm.cdf(a) + mu * sigma * norm.pdf(a)\n"
            "              + alpha**2 * (exp_below(2) - 2 * exp_below(1) + below))\n"
            "    return lam * first, lam**2 * (second - first * first)",
        ),
    ),
    Exercise(
        label="ex-selu-std", name="my_std", setup=_SETUP, check=_check_selu_std,
        mistakes=(
            Mistake("my_std = np.sqrt(2 / 256)", says="the variance grows"),  # He's rule, ReLU's
            Mistake("my_std = 0.75 / np.sqrt(256)", says="the variance shrinks"),  # PyTorch's SELU gain 3/4
            Mistake("my_std = act.SELU_SCALE / np.sqrt(256)", says="the variance grows"),  # lambda taken for a gain
            Mistake("my_std = 1 / 256", says="the variance shrinks"),  # the variance 1 / D_in, not its root
            Mistake("my_std = 1.0", says="the variance grows"),  # the gain, not divided by sqrt(D_in)
            Mistake("my_std = 0.01", says="the variance shrinks"),  # the notes' small random numbers
            Mistake("my_std = 1 / np.sqrt(3 * 256)", says="the variance shrinks"),  # nn.Linear's a = sqrt(5)
            Mistake("my_std = np.sqrt(3 / 256)", says="the variance grows"),  # the uniform bound for a std
            Mistake("my_std = 0.07", says="the variance grows"),  # read off the plot too coarsely
            Mistake("my_std = 0.05", says="the variance shrinks"),
            Mistake("my_std = -1 / 16", says="must be a positive number"),
        ),
        right_answers=(
            "my_std = 1 / np.sqrt(256)",
            "my_std = 0.0625",
            "my_std = np.sqrt(2 / (256 + 256))",  # Glorot's std: LeCun's for a square layer
            "my_std = 0.063",
        ),
    ),
]
