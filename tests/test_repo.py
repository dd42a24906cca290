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
    files = [entry["file"] for entry in toc["chapters"]]
    assert files[:4] == ["chapters/activations", "chapters/preprocessing", "chapters/initialization",
                         "chapters/reading-list"]
    assert sorted(f"{f}.ipynb" for f in files if f.startswith("chapters/")) == \
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
def test_every_chapter_has_an_interactive_figure(path):
    bundles = [o.data for c in code_cells(read(path)) for o in c.outputs if "data" in o]
    figures = [b for b in bundles if "application/vnd.jupyter.widget-view+json" in b]
    assert figures and all('class="nnc-player"' in b["text/html"] for b in figures)


SOLUTION = re.compile(r"````\{solution\} (\S+).*?```python\n(.*?)```", re.S)


def exercises():
    for path in NOTEBOOKS:
        nb = read(path)
        starters = [c for c in code_cells(nb) if "exercise-starter" in c.metadata.get("tags", [])]
        solutions = [m for c in nb.cells if c.cell_type == "markdown" for m in SOLUTION.findall(c.source)]
        assert len(starters) == len(solutions), f"{path.name}: every starter cell needs one solution"
        setup = code_cells(nb)[1].source
        for starter, (label, solution) in zip(starters, solutions):
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
