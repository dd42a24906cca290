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


# Plausible wrong answers to each exercise, which its check must reject.
WRONG_ANSWERS = {
    "ex-elu-grad": ["def my_elu_grad(x, alpha=1.0):\n    return np.where(x > 0, 1.0, -alpha * np.exp(np.minimum(x, 0)))",
                    "def my_elu_grad(x, alpha=1.0):\n    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))"],
    "ex-stable-sigmoid": ["def my_sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
                          "def my_sigmoid(x):\n    return 1 / (1 + np.exp(-np.abs(x)))"],
    "ex-prelu-alpha": ["def my_prelu_grad_alpha(x, alpha=0.25):\n    return np.where(x > 0, 1.0, alpha)",
                       "def my_prelu_grad_alpha(x, alpha=0.25):\n    return x"],
    "ex-tanh-sigmoid": ["def my_tanh(x):\n    return 2 * act.sigmoid(x) - 1",
                        "def my_tanh(x):\n    return act.sigmoid(2 * x)"],
}


@pytest.mark.parametrize("setup,starter,solution", list(exercises()))
def test_check_rejects_plausible_wrong_answers(request, setup, starter, solution):
    label = request.node.callspec.id.split("-", 1)[1]
    assert label in WRONG_ANSWERS, f"add wrong answers for exercise {label}"
    check_call = starter.strip().splitlines()[-1]
    for wrong in WRONG_ANSWERS[label]:
        namespace = {}
        exec(setup, namespace)
        exec(wrong, namespace)
        result = eval(check_call, namespace)
        assert not result.passed and result.message.startswith("✗"), wrong


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
