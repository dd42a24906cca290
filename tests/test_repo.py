"""The course as a whole: table of contents, notebooks as stored, launch setup, environment, exercises."""

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_table_of_contents_lists_every_chapter_in_the_notes_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = [entry["file"] for entry in toc["chapters"]]
    assert chapters[:4] == ["chapters/activations", "chapters/preprocessing", "chapters/initialization",
                            "chapters/reading-list"]
    pages = [s["file"] for entry in toc["chapters"] for s in [entry, *entry.get("sections", [])]]
    assert sorted(f"{f}.ipynb" for f in pages if f.startswith("chapters/")) == \
        sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_cell_installs_this_repository_only_on_colab(path):
    first = code_cells(read(path))[0]
    repo = CONFIG["repository"]
    assert 'if "google.colab" in sys.modules:' in first.source
    assert f'git+{repo["url"]}@{repo["branch"]}' in first.source
    assert "remove-cell" in first.metadata.get("tags", [])
    assert first.outputs == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_executed_and_light(path):
    nb = read(path)
    assert "widgets" not in nb.metadata, "widget state belongs to a live kernel, not the repository"
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run `make execute` to store fresh outputs in order"
    text = nbformat.writes(nb)
    assert not re.search(r" at 0x[0-9a-f]{6,}", text), "a repr with a memory address leaked into the outputs"
    assert not any(o.output_type == "error" for c in code_cells(nb) for o in c.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_static_figure_has_alt_text(path):
    """The site shows a figure's alt text (cell metadata mystnb.image.alt) to readers who cannot see it;
    an interactive figure's player writes its own for each frame."""
    missing = [c.source.splitlines()[0] for c in code_cells(read(path))
               if any("image/png" in o.get("data", {}) and "application/vnd.jupyter.widget-view+json" not in o.data
                      for o in c.outputs)
               and len(c.metadata.get("mystnb", {}).get("image", {}).get("alt", "")) < 40]
    assert not missing, f"figures with no alt text (or a too short one) in cells: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_has_an_interactive_figure(path):
    outputs = [o for c in code_cells(read(path)) for o in c.outputs if "data" in o]
    figures = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.data]
    assert figures and all('class="nnc-player"' in o.data["text/html"] for o in figures)
    # displayed, not a cell's result: Colab's widget manager renders only displayed outputs
    assert all(o.output_type == "display_data" for o in figures)
    assert not any("<style" in o.data["text/html"] for o in figures), "player styles belong to the site's CSS"


# One source per exercise that JupyterLab, Colab and the site all render: the prompt in an HTML
# admonition (markdown inside), the solution in a <details> block that stays closed until opened.
EXERCISE = re.compile(r'<div class="admonition exercise" id="(ex-[\w-]+)">\n<p class="admonition-title">'
                      r'<strong>Exercise: [^<\n]+</strong></p>\n\n(?:(?!</div>).)+?\n\n</div>', re.S)
SOLUTION = re.compile(r'<details class="solution">\n<summary>Solution</summary>\n\n.*?```python\n(.*?)```.*?\n\n</details>',
                      re.S)


def exercises():
    for path in NOTEBOOKS:
        nb = read(path)
        starters = [c for c in code_cells(nb) if "exercise-starter" in c.metadata.get("tags", [])]
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        labels, solutions = EXERCISE.findall(markdown), SOLUTION.findall(markdown)
        assert len(starters) == len(labels) == len(solutions), f"{path.name}: every exercise needs a starter and a solution"
        assert markdown.count('class="admonition exercise"') == len(labels), f"{path.name}: a malformed exercise"
        assert markdown.count("<details") == len(solutions), f"{path.name}: a malformed solution"
        setup = code_cells(nb)[1].source
        for starter, label, solution in zip(starters, labels, solutions):
            yield pytest.param(setup, starter.source, solution, id=f"{path.stem}-{label}")


@pytest.mark.parametrize("setup,starter,solution", list(exercises()))
def test_starter_fails_its_check_and_solution_passes_it(setup, starter, solution):
    namespace = {}
    exec(setup, namespace)
    check_call = starter.strip().splitlines()[-1]
    exec(starter, namespace)
    assert not eval(check_call, namespace).passed
    exec(solution, namespace)
    result = eval(check_call, namespace)
    assert result.passed, result.message


# Answers to each exercise, run against the check call on the last line of its starter cell.
# WRONG_ANSWERS: (answer, part of the message), each wrong the way learners are: the check must reject
# it with a message that starts "✗ <function name>", is one paragraph and contains that part.
# RIGHT_ANSWERS: correct answers written differently from the solution, which the check must accept.
WRONG_ANSWERS = {
    "ex-conv-fan-in": [
        ("def conv_fan_in(shape):\n    return shape[1]", "expected 288"),
        ("def conv_fan_in(shape):\n    return shape[0] * shape[2] * shape[3]", "returned 576"),
        ("def conv_fan_in(shape):\n    return shape[1] * shape[2] ** 2", "expected 105"),
        ("def conv_fan_in(shape):\n    return shape[1] * shape[2]", "expected 288"),
        ("def conv_fan_in(shape):\n    return shape[0] * shape[1] * shape[2] * shape[3]", "expected 288"),
        ("def conv_fan_in(shape):\n    return (shape[1] * shape[2] * shape[3], shape[0] * shape[2] * shape[3])", "expected 288"),
    ],
    "ex-kaiming-std": [
        ("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(1 / fan_in)", "expected 0.0632456"),
        ("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(2 / fan_out)", "kaiming_std(784, 100)"),
        ("def kaiming_std(fan_in, fan_out):\n    return 2 / fan_in", "expected 0.0632456"),
        ("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(2 / (fan_in + fan_out))", "expected 0.0632456"),
        ("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(2) / fan_in", "expected 0.0632456"),
        ("def kaiming_std(fan_in, fan_out):\n    return np.sqrt(fan_in / 2)", "expected 0.0632456"),
    ],
    "ex-uniform-bound": [
        ("def uniform_bound(std):\n    return std", "expected 1.73205"),
        ("def uniform_bound(std):\n    return 2 * std", "expected 1.73205"),
        ("def uniform_bound(std):\n    return np.sqrt(6) * std", "expected 1.73205"),
        ("def uniform_bound(std):\n    return std / np.sqrt(3)", "expected 1.73205"),
        ("def uniform_bound(std):\n    return 3 * std", "expected 1.73205"),
        ("def uniform_bound(std):\n    return np.sqrt(3 * std)", "uniform_bound(0.05)"),
    ],
    "ex-backward-variance-factor": [
        ("def backward_variance_factor(fan_in, fan_out):\n    return 1 / 3",  # the square-layer value
         "That is the forward factor"),
        ("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / fan_in", "You left out the 1/3"),
        ("def backward_variance_factor(fan_in, fan_out):\n    return fan_in / (3 * fan_out)", "You swapped the fans"),
        ("def backward_variance_factor(fan_in, fan_out):\n    return 1 / (3 * fan_in)", "That is Var(w) alone"),
        ("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / np.sqrt(3 * fan_in)",
         "the standard deviation where the variance belongs"),
        ("def backward_variance_factor(fan_in, fan_out):\n    return fan_out / (12 * fan_in)", "its width is 2a"),
        ("def backward_variance_factor(fan_in, fan_out):\n    return 2 / (fan_in + fan_out)",  # Glorot's Var(w)
         "the normalized init's Var(w)"),
    ],
    "ex-unbiased-linear-gain": [
        ("def unbiased_linear_gain(N):\n    return np.exp(1 / (2 * N))", "Sussillo & Abbott's approximation"),
        ("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp(-(digamma(N / 2) + np.log(2 / N)))", "That is g^2"),
        ("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp((digamma(N / 2) + np.log(2 / N)) / 2)", "The sign is flipped"),
        ("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp(-(digamma(N) + np.log(2 / N)) / 2)", "Use psi(N/2)"),
        ("from scipy.special import digamma\n\ndef unbiased_linear_gain(N):\n    return np.exp(-(digamma(N / 2) + np.log(N / 2)) / 2)", "not ln(N/2)"),
        ("def unbiased_linear_gain(N):\n    return 1.0", "A gain of 1 keeps"),
        ("def unbiased_linear_gain(N):\n    return np.sqrt(2) * np.exp(1.2 / (max(N, 6) - 2.4))",  # the ReLU fit
         "unbiased_linear_gain(1)"),
    ],
    "ex-leaky-gain": [
        ("def leaky_relu_gain(slope):\n    return np.sqrt(2)", "leaky_relu_gain(0.01)"),
        ("def leaky_relu_gain(slope):\n    return np.sqrt(2 / (1 - slope**2))", "leaky_relu_gain(0.01)"),
        ("def leaky_relu_gain(slope):\n    return np.sqrt(2 / (1 + slope))", "leaky_relu_gain(0.01)"),
        ("def leaky_relu_gain(slope):\n    return 2 / (1 + slope**2)", "expected 1.41421"),
        ("def leaky_relu_gain(slope):\n    return np.sqrt(2) / (1 + slope**2)", "leaky_relu_gain(0.01)"),
        ("def leaky_relu_gain(slope):\n    return np.sqrt(1 + slope**2)", "expected 1.41421"),
    ],
    "ex-tanh-std": [
        ("my_std = 0.01", "the signal fades"),  # the notes' first idea
        ("my_std = 0.05", "the signal fades"),  # the notes' second, at 256 units
        ("my_std = 1 / np.sqrt(256)", "the signal fades"),  # Xavier: tanh's slope is below 1 off 0
        ("my_std = 1 / 256", "the signal fades"),  # 1 / D_in: the variance, not the std
        ("my_std = 1.0", "too many units saturate"),
        ("my_std = 2 / np.sqrt(256)", "too many units saturate"),  # a gain of 2 is too much for 10 layers
        ("my_std = -0.1", "must be a positive number"),
    ],
    "ex-elu-grad": [
        ("def my_elu_grad(x, alpha=1.0):\n"  # sign error
         "    return np.where(x > 0, 1.0, -alpha * np.exp(np.minimum(x, 0)))", "The sign is flipped"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # forgot alpha
         "    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))", "off by a factor of 2"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # np.where evaluates exp(800) too: the hint's warning
         "    return np.where(x > 0, 1.0, alpha * np.exp(x))", "warning at x = 800"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # x = 0 on the wrong side (the convention is x <= 0)
         "    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0)))", "Only x = 0 is wrong"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # branches swapped
         "    return np.where(x > 0, alpha * np.exp(np.minimum(x, 0)), 1.0)", "wrong at x = -6"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # ELU itself, not its derivative
         "    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))", "wrong at x = -6"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # alpha copied from a check, right for that value only
         "    return np.where(x > 0, 1.0, 0.5 * np.exp(np.minimum(x, 0)))", "with alpha = 2"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # ELU'(x) = ELU(x) + alpha, with 1 for alpha
         "    return np.where(x > 0, 1.0, act.elu(x, alpha) + 1)", "off by +0.5"),
        ("def my_elu_grad(x, alpha=1.0):\n"  # boolean masks, written into the caller's array
         "    negative = x <= 0\n"
         "    x[negative] = alpha * np.exp(x[negative])\n"
         "    x[~negative] = 1.0\n"
         "    return x", "changed its input"),
    ],
    "ex-stable-sigmoid": [
        ("def my_sigmoid(x):\n"  # the textbook form
         "    return 1 / (1 + np.exp(-x))", "warning at x = -10000: overflow"),
        ("def my_sigmoid(x):\n"  # clipping the input: wrong by 8e-10 out there
         "    return 1 / (1 + np.exp(-np.clip(x, -21, 21)))", "wrong at x = -30"),
        ("def my_sigmoid(x):\n"  # only the x >= 0 branch
         "    return 1 / (1 + np.exp(-np.abs(x)))", "wrong at x = -6"),
        ("def my_sigmoid(x):\n"  # the overflow silenced: the values are even right
         "    with np.errstate(over='ignore'):\n"
         "        return 1 / (1 + np.exp(-x))", "silences floating-point warnings"),
        ("import warnings\n\n"
         "def my_sigmoid(x):\n"  # the same with the warnings module
         "    with warnings.catch_warnings():\n"
         "        warnings.simplefilter('ignore')\n"
         "        return 1 / (1 + np.exp(-x))", "silences floating-point warnings"),
        ("def my_sigmoid(x):\n"  # right values, but x is now |x| for the caller
         "    negative = x < 0\n"
         "    x[negative] *= -1\n"
         "    z = np.exp(-x)\n"
         "    return np.where(negative, z / (1 + z), 1 / (1 + z))", "changed its input"),
        ("def my_sigmoid(x):\n"  # the other textbook form, which overflows the other way
         "    return np.exp(x) / (1 + np.exp(x))", "warning at x = 800: overflow"),
        ("def my_sigmoid(x):\n"  # both forms, but np.where evaluates both on every element
         "    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))", "overflow"),
        ("def my_sigmoid(x):\n"  # the stable pieces on the wrong sides
         "    z = np.exp(-np.abs(x))\n"
         "    return np.where(x >= 0, z / (1 + z), 1 / (1 + z))", "wrong at x = -6"),
        ("import math\n\n"
         "def my_sigmoid(x):\n"  # right numbers in a list: 2 * s and s - 1 then misbehave
         "    return [1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in x]",
         "returned a list"),
    ],
    "ex-prelu-alpha": [
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # d/dx instead of d/dalpha
         "    return np.where(x > 0, 1.0, alpha)", "wrong at x = -6"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # forgot the x > 0 side
         "    return x", "wrong at x = 0.1"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # f itself on the negative side
         "    return np.where(x > 0, 0.0, alpha * x)", "off by a factor of 0.25"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # sign error
         "    return np.where(x > 0, 0.0, -x)", "The sign is flipped"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # sides swapped
         "    return np.where(x > 0, x, 0.0)", "wrong at x = -6"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # "the derivative of alpha is 1"
         "    return np.where(x > 0, 0.0, 1.0)", "wrong at x = -6"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # summed already, as for a shared alpha
         "    return np.sum(np.where(x > 0, 0.0, x))", "returned a single value"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # f = alpha x, so f / alpha: fails at alpha = 0
         "    return np.where(x > 0, 0.0, act.prelu(x, alpha) / alpha)", "alpha = 0"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # both derivatives, as a tuple
         "    return np.where(x > 0, 1.0, alpha), np.where(x > 0, 0.0, x)", "returned a tuple"),
        ("def my_prelu_grad_alpha(x, alpha=0.25):\n"  # right values, written into the caller's array
         "    x[x > 0] = 0.0\n"
         "    return x", "changed its input"),
    ],
    "ex-selu-moments": [
        ("def selu_moments(mu, sigma):\n"  # a sample too small for 0.002
         "    y = act.selu(np.random.default_rng(0).normal(mu, sigma, 10_000))\n"
         "    return y.mean(), y.var()", "1 / sqrt(n)"),
        ("def selu_moments(mu, sigma):\n"  # the standard deviation instead of the variance
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
         "    y = act.selu(z)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.sqrt(np.trapezoid((y - mean) ** 2 * p, z))", "standard deviation"),
        ("def selu_moments(mu, sigma):\n"  # forgot lambda: ELU with SELU's alpha
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
         "    y = act.elu(z, act.SELU_ALPHA)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.trapezoid((y - mean) ** 2 * p, z)", "left out lambda"),
        ("def selu_moments(mu, sigma):\n"  # ELU instead of SELU
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
         "    y = act.elu(z)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.trapezoid((y - mean) ** 2 * p, z)", "ELU with alpha = 1"),
        ("def selu_moments(mu, sigma):\n"  # ignores the negative branch
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
         "    y = act.SELU_SCALE * np.maximum(z, 0)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.trapezoid((y - mean) ** 2 * p, z)", "negative branch"),
        ("def selu_moments(mu, sigma):\n"  # E[y^2] instead of the variance
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
         "    y = act.selu(z)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.trapezoid(y ** 2 * p, z)", "second moment"),
        ("def selu_moments(mu, sigma):\n"  # the constants swapped
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) / sigma) ** 2 / 2) / (sigma * np.sqrt(2 * np.pi))\n"
         "    y = act.SELU_ALPHA * act.elu(z, act.SELU_SCALE)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.trapezoid((y - mean) ** 2 * p, z)", "swapped the constants"),
        ("def selu_moments(mu, sigma):\n"  # sigma taken as the variance
         "    z = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20_001)\n"
         "    p = np.exp(-((z - mu) ** 2 / sigma) / 2) / np.sqrt(2 * np.pi * sigma)\n"
         "    y = act.selu(z)\n"
         "    mean = np.trapezoid(y * p, z)\n"
         "    return mean, np.trapezoid((y - mean) ** 2 * p, z)", "sigma as the variance"),
        ("def selu_moments(mu, sigma):\n"  # only the fixed point, from memory
         "    return 0.0, 1.0", "mu = 0.5, sigma = 1.5"),
    ],
    "ex-tanh-sigmoid": [
        ("def my_tanh(x):\n"  # forgot both 2s
         "    return 2 * act.sigmoid(x) - 1", "wrong at x = -6"),
        ("def my_tanh(x):\n"  # stopped halfway
         "    return act.sigmoid(2 * x)", "wrong at x = -6"),
        ("def my_tanh(x):\n"  # wrong constant
         "    return 2 * act.sigmoid(2 * x) + 1", "off by +2"),
        ("def my_tanh(x):\n"  # sign error
         "    return 1 - 2 * act.sigmoid(2 * x)", "The sign is flipped"),
        ("def my_tanh(x):\n"  # forgot the outer 2
         "    return act.sigmoid(2 * x) - 0.5", "off by a factor of 0.5"),
        ("def my_tanh(x):\n"  # e^-2x replaced by sigma(-2x)
         "    return (1 - act.sigmoid(-2 * x)) / (1 + act.sigmoid(-2 * x))", "wrong at x = -6"),
        ("def my_tanh(x):\n"  # the definition: overflows, then inf / inf = NaN
         "    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))", "overflow"),
        ("def my_tanh(x):\n"  # right values, but the caller's x is doubled
         "    x *= 2\n"
         "    return 2 * act.sigmoid(x) - 1", "changed its input"),
    ],
    "ex-standardize": [
        ("def standardize(X_train, X):\n"  # the test set's own statistics
         "    mu, sigma = X.mean(axis=0), X.std(axis=0)\n"
         "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)", "You used the statistics of X, not of X_train"),
        ("def standardize(X_train, X):\n"  # the wrong axis: one statistic per training example
         "    mu, sigma = X_train.mean(axis=1), X_train.std(axis=1)\n"
         "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)", "Check the axis"),
        ("def standardize(X_train, X):\n"  # the wrong axis, with keepdims: per example of X
         "    mu, sigma = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)\n"
         "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)", "one mean and std per example"),
        ("def standardize(X_train, X):\n"  # the formula as written: 0 / 0 for a constant pixel
         "    return (X - X_train.mean(axis=0)) / X_train.std(axis=0)", "0 / 0 is NaN"),
        ("def standardize(X_train, X):\n"
         "    var = X_train.var(axis=0)\n"
         "    return (X - X_train.mean(axis=0)) / np.where(var > 0, var, 1.0)", "You divided by the variance"),
        ("def standardize(X_train, X):\n"
         "    sigma = X_train.std(axis=0)\n"
         "    return X / np.where(sigma > 0, sigma, 1.0)", "You did not subtract the training mean"),
        ("def standardize(X_train, X):\n"
         "    return X - X_train.mean(axis=0)", "You did not divide by the standard deviation"),
        ("def standardize(X_train, X):\n"  # no axis: one number for the whole array
         "    return (X - X_train.mean()) / X_train.std()", "one mean and one std for all features"),
        ("def standardize(X_train, X):\n"  # pandas' default
         "    sigma = X_train.std(axis=0, ddof=1)\n"
         "    return (X - X_train.mean(axis=0)) / np.where(sigma > 0, sigma, 1.0)", "sample standard deviation"),
        ("def standardize(X_train, X):\n"  # right values, but the caller's training set is now centred
         "    mu = X_train.mean(axis=0)\n"
         "    X_train -= mu\n"
         "    sigma = X_train.std(axis=0)\n"
         "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)", "changed its input X_train"),
    ],
    "ex-zca": [
        ("def zca_matrix(X_train, eps):\n"  # the eigenvalues, not their square roots
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
         "    return U @ np.diag(1 / (lam + eps)) @ U.T", "You divided by the eigenvalues"),
        ("def zca_matrix(X_train, eps):\n"  # the inverse covariance: the same mistake, written differently
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    return np.linalg.inv(Xc.T @ Xc / len(Xc) + eps * np.eye(X_train.shape[1]))",
         "You divided by the eigenvalues"),
        ("def zca_matrix(X_train, eps):\n"  # forgot to centre
         "    lam, U = np.linalg.eigh(X_train.T @ X_train / len(X_train))\n"
         "    return U @ np.diag(1 / np.sqrt(lam + eps)) @ U.T", "Your covariance is not centred"),
        ("def zca_matrix(X_train, eps):\n"  # eigenvectors taken as rows
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
         "    return U.T @ np.diag(1 / np.sqrt(lam + eps)) @ U", "You used the eigenvectors as rows"),
        ("def zca_matrix(X_train, eps):\n"  # PCA whitening: no rotation back
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
         "    return U @ np.diag(1 / np.sqrt(lam + eps))", "This is PCA whitening"),
        ("def zca_matrix(X_train, eps):\n"
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
         "    return U @ np.diag(1 / np.sqrt(lam)) @ U.T", "You left out eps"),
        ("def zca_matrix(X_train, eps):\n"  # np.cov divides by N - 1
         "    lam, U = np.linalg.eigh(np.cov(X_train.T))\n"
         "    return U @ np.diag(1 / np.sqrt(lam + eps)) @ U.T", "divided the covariance by N - 1"),
        ("def zca_matrix(X_train, eps):\n"  # the covariance of the examples, N x N
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc @ Xc.T / len(Xc))\n"
         "    return U @ np.diag(1 / np.sqrt(np.abs(lam) + eps)) @ U.T", "returned shape (200, 200)"),
        ("def zca_matrix(X_train, eps):\n"
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
         "    return U @ np.diag(1 / (np.sqrt(lam) + eps)) @ U.T", "outside the square root"),
        ("def zca_matrix(X_train, eps):\n"  # the square root of the covariance: colours, not whitens
         "    Xc = X_train - X_train.mean(axis=0)\n"
         "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
         "    return U @ np.diag(np.sqrt(lam + eps)) @ U.T", "You multiplied by sqrt(lambda + eps)"),
    ],
    "ex-channel-stats": [
        ("def channel_stats(images):\n"  # per image
         "    x = images.astype(np.float64)\n"
         "    return x.mean(axis=(1, 2)), x.std(axis=(1, 2))", "one mean per image"),
        ("def channel_stats(images):\n"  # AlexNet's mean image
         "    x = images.astype(np.float64)\n"
         "    return x.mean(axis=0), x.std(axis=0)", "That is the mean image"),
        ("def channel_stats(images):\n"  # averaged over the channels instead
         "    x = images.astype(np.float64)\n"
         "    return x.mean(axis=-1), x.std(axis=-1)", "You averaged over the channels"),
        ("def channel_stats(images):\n"
         "    x = images.astype(np.float64)\n"
         "    return x.mean(), x.std()", "You averaged over everything"),
        ("def channel_stats(images):\n"  # per-image statistics, then averaged
         "    x = images.astype(np.float64)\n"
         "    return x.mean(axis=(1, 2)).mean(axis=0), x.std(axis=(1, 2)).mean(axis=0)",
         "mean of the per-image standard deviations"),
        ("def channel_stats(images):\n"  # E[x^2] - E[x]^2 in uint8
         "    mean = images.mean(axis=(0, 1, 2))\n"
         "    return mean, np.sqrt((images**2).mean(axis=(0, 1, 2)) - mean**2)", "uint8 arithmetic wrapped"),
        ("def channel_stats(images):\n"
         "    return images.mean(axis=(0, 1, 2)), images.var(axis=(0, 1, 2))", "That is the variance"),
        ("def channel_stats(images):\n"
         "    return images.std(axis=(0, 1, 2)), images.mean(axis=(0, 1, 2))", "wrong order"),
        ("def channel_stats(images):\n"  # only the mean
         "    return images.mean(axis=(0, 1, 2))", "not 2 arrays"),
    ],
    "ex-median-ratio": [
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # the mean
         "    return np.mean([experiments.steps_to_target(X, y, activation, hidden_layers, s)\n"
         "                    / experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds])",
         "mean of the per-seed ratios"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # inverted
         "    return np.median([experiments.steps_to_target(X, y, 'relu', hidden_layers, s)\n"
         "                      / experiments.steps_to_target(X, y, activation, hidden_layers, s) for s in seeds])",
         "ReLU's steps over tanh's"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # one seed only
         "    s = seeds[0]\n"
         "    return (experiments.steps_to_target(X, y, activation, hidden_layers, s)\n"
         "            / experiments.steps_to_target(X, y, 'relu', hidden_layers, s))", "a single seed"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # ratio of the medians
         "    slow = [experiments.steps_to_target(X, y, activation, hidden_layers, s) for s in seeds]\n"
         "    fast = [experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds]\n"
         "    return np.median(slow) / np.median(fast)", "ratio of the two medians"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # always tanh
         "    return np.median([experiments.steps_to_target(X, y, 'tanh', hidden_layers, s)\n"
         "                      / experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds])",
         "the ratio for tanh, not for sigmoid"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # activation for both runs
         "    return np.median([experiments.steps_to_target(X, y, activation, hidden_layers, s)\n"
         "                      / experiments.steps_to_target(X, y, activation, hidden_layers, s) for s in seeds])",
         "the ratio for relu"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # depth ignored
         "    return np.median([experiments.steps_to_target(X, y, activation, 2, s)\n"
         "                      / experiments.steps_to_target(X, y, 'relu', 2, s) for s in seeds])",
         "at 2 hidden layers"),
        ("def median_ratio(X, y, activation, hidden_layers, seeds):\n"  # the list, not its median
         "    return [experiments.steps_to_target(X, y, activation, hidden_layers, s)\n"
         "            / experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds]",
         "return one number"),
    ],
    "ex-lsuv-layer": [
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"  # one division, as if the variance were exact
         "    return W / np.std(h @ W + b)", "You rescaled once only"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"
         "    v = np.var(h @ W + b)\n"
         "    for _ in range(max_iter):\n"
         "        if abs(v - 1) < tol:\n"
         "            break\n"
         "        W = W / v\n"
         "        v = np.var(h @ W + b)\n"
         "    return W", "You divided by the variance"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"
         "    v = np.var(h @ W)\n"
         "    for _ in range(max_iter):\n"
         "        if abs(v - 1) < tol:\n"
         "            break\n"
         "        W = W / np.sqrt(v)\n"
         "        v = np.var(h @ W)\n"
         "    return W", "You left out the bias"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"
         "    v = np.mean((h @ W + b) ** 2)\n"
         "    for _ in range(max_iter):\n"
         "        if abs(v - 1) < tol:\n"
         "            break\n"
         "        W = W / np.sqrt(v)\n"
         "        v = np.mean((h @ W + b) ** 2)\n"
         "    return W", "mean of the squares"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"
         "    v = np.var(h @ W + b)\n"
         "    while abs(v - 1) >= tol:\n"
         "        W = W / np.sqrt(v)\n"
         "        v = np.var(h @ W + b)\n"
         "    return W", "ignores max_iter"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"
         "    for _ in range(max_iter):\n"
         "        W = W / np.std(h @ W + b)\n"
         "    return W", "ignores tol"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"  # do ... while: rescales a layer already within tol
         "    W = W / np.std(h @ W + b)\n"
         "    for _ in range(max_iter - 1):\n"
         "        v = np.var(h @ W + b)\n"
         "        if abs(v - 1) < tol:\n"
         "            break\n"
         "        W = W / np.sqrt(v)\n"
         "    return W", "already within tol"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"  # Krähenbühl's per-unit rule
         "    return W / np.std(h @ W + b, axis=0)", "each unit"),
        ("def lsuv_layer(W, b, h, tol, max_iter):\n"
         "    v = np.var(h @ W + b)\n"
         "    for _ in range(max_iter):\n"
         "        if abs(v - 1) < tol:\n"
         "            break\n"
         "        W /= np.sqrt(v)\n"
         "        v = np.var(h @ W + b)\n"
         "    return W", "changed its input W"),
    ],
    "ex-fixup-scale": [
        ("def fixup_scale(L, m):\n    return L ** (-1 / (2 * m))", "You used L^(-1/(2m))"),
        ("def fixup_scale(L, m):\n    return L ** (-1 / (m - 1))", "factor for the variance"),
        ("def fixup_scale(L, m):\n    return 1 / np.sqrt(L)", "whatever m"),
        ("def fixup_scale(L, m):\n    return L ** (1 / (2 * m - 2))", "sign of the exponent"),
        ("def fixup_scale(L, m):\n    return L ** (-1 / 2 * m - 2)", "Operator precedence"),
        ("def fixup_scale(L, m):\n    return (2 * m - 2) ** (-1 / L)", "expected 0.25"),
        ("def fixup_scale(L, m):\n    L ** (-1 / (2 * m - 2))", "returned None"),
    ],
    "ex-prune-round": [
        ("def prune_round(W, mask, fraction):\n"  # the smallest signed values: large negative weights go
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round(fraction * remaining.size)\n"
         "    new = mask.astype(float)\n"
         "    new.flat[remaining[np.argsort(W.ravel()[remaining])[:n]]] = 0\n"
         "    return new", "smallest signed values"),
        ("def prune_round(W, mask, fraction):\n"
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round(fraction * remaining.size)\n"
         "    new = mask.astype(float)\n"
         "    new.flat[remaining[np.argsort(-np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
         "    return new", "You pruned the largest"),
        ("def prune_round(W, mask, fraction):\n"  # a fraction of all the weights, pruned ones included
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round(fraction * W.size)\n"
         "    new = mask.astype(float)\n"
         "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
         "    return new", "fraction of all the layer's weights"),
        ("def prune_round(W, mask, fraction):\n"  # ranks every weight: pruned zeros are the smallest
         "    n = round(fraction * mask.sum())\n"
         "    new = mask.astype(float)\n"
         "    new.flat[np.argsort(np.abs(W), axis=None)[:n]] = 0\n"
         "    return new", "counted weights pruned in earlier rounds"),
        ("def prune_round(W, mask, fraction):\n"  # starts from a fresh mask
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round(fraction * remaining.size)\n"
         "    new = np.ones(W.shape)\n"
         "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
         "    return new", "brings back weights pruned"),
        ("def prune_round(W, mask, fraction):\n"
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round((1 - fraction) * remaining.size)\n"
         "    new = mask.astype(float)\n"
         "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
         "    return new", "1 - fraction"),
        ("def prune_round(W, mask, fraction):\n"
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round(fraction * remaining.size)\n"
         "    new = mask.astype(float)\n"
         "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
         "    return W * new", "returned the pruned weights"),
        ("def prune_round(W, mask, fraction):\n"  # right values, but the caller's mask is changed
         "    remaining = np.flatnonzero(mask)\n"
         "    n = round(fraction * remaining.size)\n"
         "    mask.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
         "    return mask", "changed its input mask"),
    ],
}

RIGHT_ANSWERS = {
    "ex-conv-fan-in": [
        "def conv_fan_in(shape):\n    return int(np.prod(shape[1:]))",
        "import math\n\ndef conv_fan_in(shape):\n    c_out, c_in, *kernel = shape\n    return c_in * math.prod(kernel)",
        "def conv_fan_in(shape):\n    n = 1\n    for size in shape[1:]:\n        n *= size\n    return n",
    ],
    "ex-kaiming-std": [
        "import math\n\ndef kaiming_std(fan_in, fan_out):\n    return math.sqrt(2.0 / fan_in)",
        "def kaiming_std(fan_in, fan_out):\n    return (2 / fan_in) ** 0.5",
        "def kaiming_std(fan_in, fan_out):\n    return initializers.calculate_gain('relu') / np.sqrt(fan_in)",
    ],
    "ex-uniform-bound": [
        "import math\n\ndef uniform_bound(std):\n    return math.sqrt(3) * std",
        "def uniform_bound(std):\n    return np.sqrt(3 * std**2)",
        "def uniform_bound(std):\n    return std * 3 ** 0.5",
    ],
    "ex-backward-variance-factor": [
        "def backward_variance_factor(fan_in, fan_out):\n    return fan_out * (1 / np.sqrt(fan_in)) ** 2 / 3",
        "def backward_variance_factor(fan_in, fan_out):\n"  # Var(U[-a, a]) = (2a)^2 / 12
        "    a = 1 / fan_in ** 0.5\n    return fan_out * (2 * a) ** 2 / 12",
        "def backward_variance_factor(fan_in, fan_out):\n    return (fan_out / fan_in) / 3.0",
    ],
    "ex-unbiased-linear-gain": [
        "from scipy.special import psi\n\ndef unbiased_linear_gain(N):\n"
        "    return 1 / np.sqrt(np.exp(psi(N / 2)) * 2 / N)",
        "import math\nfrom scipy import special\n\ndef unbiased_linear_gain(N):\n"
        "    mean_log = special.digamma(N / 2) + math.log(2) - math.log(N)\n    return math.exp(-mean_log / 2)",
        "from scipy.special import gammaln, digamma\n\ndef unbiased_linear_gain(N):\n"  # sqrt(N/2) e^(-psi/2)
        "    return np.sqrt(N / 2) * np.exp(-digamma(N / 2) / 2)",
    ],
    "ex-leaky-gain": [
        "import math\n\ndef leaky_relu_gain(slope):\n    return math.sqrt(2.0 / (1.0 + slope * slope))",
        "def leaky_relu_gain(slope):\n    return initializers.calculate_gain('leaky_relu', slope)",
        "def leaky_relu_gain(slope):\n    return 1 / np.sqrt((1 + slope**2) / 2)",
    ],
    "ex-tanh-std": [
        "my_std = (5 / 3) / np.sqrt(256)",
        "my_std = np.sqrt(2 / 256)",
        "my_std = 0.1",
    ],
    "ex-elu-grad": [
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
    ],
    "ex-stable-sigmoid": [
        "from scipy.special import expit\n\n"
        "def my_sigmoid(x):\n"
        "    return expit(x)",
        "import math\n\n"
        "def my_sigmoid(x):\n"
        "    return np.array([1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in x])",
        "def my_sigmoid(x):\n"
        "    out = np.empty_like(x)\n"
        "    positive = x >= 0\n"
        "    out[positive] = 1 / (1 + np.exp(-x[positive]))\n"
        "    e = np.exp(x[~positive])\n"
        "    out[~positive] = e / (1 + e)\n"
        "    return out",
        "def my_sigmoid(x):\n"
        "    return np.exp(-np.logaddexp(0, -x))",
        "def my_sigmoid(x):\n"  # within 1e-16 of the reference: accepted, though not relatively exact
        "    return 0.5 * (1 + np.tanh(x / 2))",
        "def my_sigmoid(x):\n"
        "    z = np.exp(-np.abs(x))\n"
        "    return np.where(x >= 0, 1, z) / (1 + z)",
    ],
    "ex-prelu-alpha": [
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
    ],
    "ex-selu-moments": [
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
    ],
    "ex-tanh-sigmoid": [
        "def my_tanh(x):\n"
        "    return act.sigmoid(2 * x) - act.sigmoid(-2 * x)",
        "def my_tanh(x):\n"
        "    return np.array([2 * float(act.sigmoid(2 * v)) - 1 for v in x])",
        "def my_tanh(x):\n"  # odd symmetry: compute for |x|, then restore the sign
        "    t = 2 * act.sigmoid(2 * np.abs(x)) - 1\n"
        "    return np.where(x < 0, -t, t)",
        "from scipy.special import expit\n\n"
        "def my_tanh(x):\n"
        "    return 2 * expit(2 * x) - 1",
        "def my_tanh(x):\n"  # not what the exercise asks for, but correct: not the check's business
        "    return np.tanh(x)",
    ],
    "ex-standardize": [
        "from sklearn.preprocessing import StandardScaler\n\n"
        "def standardize(X_train, X):\n"
        "    return StandardScaler().fit(X_train).transform(X)",
        "def standardize(X_train, X):\n"
        "    sigma = X_train.std(axis=0)\n"
        "    sigma[sigma == 0] = 1.0  # sigma is a new array: the caller's data stay as they are\n"
        "    return (X - X_train.mean(axis=0)) / sigma",
        "def standardize(X_train, X):\n"
        "    out = np.empty_like(X)\n"
        "    for j in range(X.shape[1]):\n"
        "        column = X_train[:, j]\n"
        "        out[:, j] = (X[:, j] - column.mean()) / (column.std() or 1.0)\n"
        "    return out",
        "def standardize(X_train, X):\n"
        "    return preprocessing.Standardize().fit(X_train).transform(X)",
    ],
    "ex-zca": [
        "def zca_matrix(X_train, eps):\n"  # from the SVD of the centred data: lambda = s^2 / N
        "    Xc = X_train - X_train.mean(axis=0)\n"
        "    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)\n"
        "    return Vt.T @ np.diag(1 / np.sqrt(s**2 / len(Xc) + eps)) @ Vt",
        "from scipy.linalg import fractional_matrix_power\n\n"
        "def zca_matrix(X_train, eps):\n"
        "    cov = np.cov(X_train, rowvar=False, bias=True)\n"
        "    return fractional_matrix_power(cov + eps * np.eye(len(cov)), -0.5)",
        "from scipy.linalg import sqrtm\n\n"
        "def zca_matrix(X_train, eps):\n"
        "    Xc = X_train - X_train.mean(axis=0)\n"
        "    return np.linalg.inv(sqrtm(Xc.T @ Xc / len(Xc) + eps * np.eye(Xc.shape[1])))",
        "def zca_matrix(X_train, eps):\n"
        "    return preprocessing.ZCA(eps=eps).fit(X_train).matrix_",
    ],
    "ex-channel-stats": [
        "def channel_stats(images):\n"
        "    pixels = images.reshape(-1, images.shape[-1]).astype(float)  # one row per pixel\n"
        "    return pixels.mean(axis=0), pixels.std(axis=0)",
        "def channel_stats(images):\n"  # numpy's mean and std of uint8 accumulate in float64
        "    return images.mean(axis=(0, 1, 2)), images.std(axis=(0, 1, 2))",
        "def channel_stats(images):\n"
        "    x = images.astype(np.float64)\n"
        "    mean = x.mean(axis=(0, 1, 2))\n"
        "    return mean, np.sqrt(((x - mean) ** 2).mean(axis=(0, 1, 2)))",
        "def channel_stats(images):\n"
        "    channels = [images[..., c].astype(float) for c in range(images.shape[-1])]\n"
        "    return [np.array([ch.mean() for ch in channels]), np.array([ch.std() for ch in channels])]",
    ],
    "ex-median-ratio": [
        "import statistics\n\ndef median_ratio(X, y, activation, hidden_layers, seeds):\n"
        "    return statistics.median(experiments.steps_to_target(X, y, activation, hidden_layers, s)\n"
        "                             / experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds)",
        "def median_ratio(X, y, activation, hidden_layers, seeds):\n"
        "    slow = np.array([experiments.steps_to_target(X, y, activation, hidden_layers, s) for s in seeds])\n"
        "    fast = np.array([experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds])\n"
        "    return float(np.median(slow / fast))",
        "def median_ratio(X, y, activation, hidden_layers, seeds):\n"
        "    r = sorted(experiments.steps_to_target(X, y, activation, hidden_layers, s)\n"
        "               / experiments.steps_to_target(X, y, 'relu', hidden_layers, s) for s in seeds)\n"
        "    return r[len(r) // 2] if len(r) % 2 else (r[len(r) // 2 - 1] + r[len(r) // 2]) / 2",
        "def median_ratio(X, y, activation, hidden_layers, seeds):\n"
        "    steps = {name: [experiments.steps_to_target(X, y, name, hidden_layers, s) for s in seeds]\n"
        "             for name in (activation, 'relu')}\n"
        "    return experiments.median_ratio(steps[activation], steps['relu'])",
    ],
    "ex-lsuv-layer": [
        "def lsuv_layer(W, b, h, tol, max_iter):\n"
        "    rescalings, v = 0, np.var(h @ W + b)\n"
        "    while abs(v - 1) >= tol and rescalings < max_iter:\n"
        "        W, rescalings = W / np.std(h @ W + b), rescalings + 1\n"
        "        v = np.var(h @ W + b)\n"
        "    return W",
        "def lsuv_layer(W, b, h, tol, max_iter):\n"
        "    return initializers.lsuv_layer(W, b, h, tol, max_iter)[0]",
        "def lsuv_layer(W, b, h, tol, max_iter):\n"  # recursive
        "    z = h @ W + b\n"
        "    if max_iter == 0 or abs(z.var() - 1) < tol:\n"
        "        return W\n"
        "    return lsuv_layer(W / z.std(), b, h, tol, max_iter - 1)",
        "def lsuv_layer(W, b, h, tol, max_iter):\n"
        "    W = W.copy()\n"
        "    for _ in range(max_iter):\n"
        "        z = (h @ W + b).ravel()\n"
        "        variance = np.sum((z - z.mean()) ** 2) / z.size\n"
        "        if not abs(variance - 1) >= tol:\n"
        "            break\n"
        "        W /= variance ** 0.5  # W is our own copy\n"
        "    return W",
    ],
    "ex-fixup-scale": [
        "def fixup_scale(L, m):\n    return 1 / L ** (1 / (2 * m - 2))",
        "def fixup_scale(L, m):\n    return np.power(L, -0.5 / (m - 1))",
        "import math\n\ndef fixup_scale(L, m):\n    return math.exp(-math.log(L) / (2 * m - 2))",
        "def fixup_scale(L, m):\n    return initializers.fixup_scale(L, m)",
    ],
    "ex-prune-round": [
        "def prune_round(W, mask, fraction):\n"  # a threshold on the remaining magnitudes
        "    kept = np.abs(W[mask == 1])\n"
        "    n = round(fraction * kept.size)\n"
        "    new = mask.copy()\n"
        "    if n:\n"
        "        threshold = np.sort(kept)[n - 1]\n"
        "        new[(mask == 1) & (np.abs(W) <= threshold)] = 0\n"
        "    return new",
        "def prune_round(W, mask, fraction):\n"
        "    return pruning.prune_by_magnitude(W, mask, fraction)",
        "def prune_round(W, mask, fraction):\n"  # pruned weights pushed to the end of the ranking
        "    magnitude = np.where(mask == 1, np.abs(W), np.inf)\n"
        "    n = round(fraction * np.count_nonzero(mask))\n"
        "    new = mask.copy()\n"
        "    new.flat[np.argsort(magnitude, axis=None)[:n]] = 0\n"
        "    return new",
        "def prune_round(W, mask, fraction):\n"  # one weight at a time
        "    new = np.array(mask, dtype=float)\n"
        "    for _ in range(round(fraction * new.sum())):\n"
        "        candidates = np.where(new == 1, np.abs(W), np.inf)\n"
        "        new[np.unravel_index(np.argmin(candidates), W.shape)] = 0\n"
        "    return new",
    ],
}


def label_of(param_id):
    """The exercise label in the id of a pytest.param from exercises(): the id without the notebook's name."""
    stem = next(p.stem for p in NOTEBOOKS if param_id.startswith(f"{p.stem}-"))
    return param_id[len(stem) + 1:]


def run_answer(setup, starter, answer):
    """The CheckResult of the starter's check call (its last line) on `answer`, run after the setup cell."""
    namespace = {}
    exec(setup, namespace)
    exec(answer, namespace)
    return eval(starter.strip().splitlines()[-1], namespace)


def test_every_exercise_has_wrong_and_right_answers():
    labels = {label_of(p.id) for p in exercises()}
    assert set(WRONG_ANSWERS) == labels == set(RIGHT_ANSWERS)
    assert all(len(WRONG_ANSWERS[label]) >= 5 and len(RIGHT_ANSWERS[label]) >= 3 for label in labels)


@pytest.mark.parametrize("setup,starter,solution", list(exercises()))
def test_check_rejects_plausible_wrong_answers(request, setup, starter, solution):
    label = label_of(request.node.callspec.id)
    name = next(filter(None, re.search(r"^def (\w+)|^(\w+) = ", starter, re.M).groups()))  # function or number
    for wrong, part in WRONG_ANSWERS[label]:
        result = run_answer(setup, starter, wrong)
        assert not result.passed, wrong
        assert result.message.startswith(f"✗ {name} ") and "\n" not in result.message, result.message
        assert part in result.message, (wrong, result.message)


@pytest.mark.parametrize("setup,starter,solution", list(exercises()))
def test_check_accepts_correct_answers_written_differently(request, setup, starter, solution):
    label = label_of(request.node.callspec.id)
    for right in RIGHT_ANSWERS[label]:
        result = run_answer(setup, starter, right)
        assert result.passed and result.message.startswith("✓"), (right, result.message)


def test_environment_is_exactly_requirements_txt():
    """The venv the tests run in holds what requirements.txt pins and nothing else (Binder's view)."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    installed = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in metadata.distributions()}
    tooling = {"pip", "setuptools", "wheel", "nn-training-course"}
    assert {k: v for k, v in installed.items() if k not in tooling} == pins


def test_lib_imports_from_chapters_without_path_edits():
    """Started in chapters/ (as Binder and `jupyter lab` are), Python finds lib because it is installed."""
    out = subprocess.run([sys.executable, "-I", "-c", "import lib; print(lib.__file__)"], cwd=ROOT / "chapters",
                         capture_output=True, text=True, check=True).stdout.strip()
    assert Path(out) == ROOT / "lib" / "__init__.py"


# The only cells whose outputs nbval does not compare, each with the reason its first line gives.
EXCLUDED_FROM_NBVAL = [("activations", "# nbval-ignore-output: timings differ from machine to machine and run to run.")]


def test_cells_excluded_from_nbval_are_the_listed_ones_and_say_why():
    tags = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
    excluded = [(path.stem, cell.source.splitlines()[0]) for path in NOTEBOOKS for cell in code_cells(read(path))
                if tags & set(cell.metadata.get("tags", []))]
    assert excluded == EXCLUDED_FROM_NBVAL


def test_every_reference_has_a_link():
    """A full citation: every entry of references.bib gives a URL or a DOI (the bibliography links it)."""
    entries = re.findall(r"^@\w+\{([^,]+),(.*?)^\}", (ROOT / "references.bib").read_text(), re.S | re.M)
    assert len(entries) > 20
    unlinked = [key for key, body in entries if not re.search(r"^\s*(url|doi)\s*=", body, re.M)]
    assert not unlinked, f"add a url or doi to: {unlinked}"
