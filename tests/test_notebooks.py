"""The chapters as stored: the table of contents, the Colab cell, executed outputs, alt text, an
interactive figure per page, and the only cells nbval does not compare. (The exercises are tested
from their records in tests/exercises/, lib's use by the pages in test_lib_usage.py.)"""

import importlib.util
import re
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
    assert chapters[:5] == ["chapters/activations", "chapters/preprocessing", "chapters/initialization",
                            "chapters/normalization", "chapters/reading-list"]
    pages = [s["file"] for entry in toc["chapters"] for s in [entry, *entry.get("sections", [])]]
    assert sorted(f"{f}.ipynb" for f in pages if f.startswith("chapters/")) == \
        sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS)


def colab_cell():
    """The Colab cell's one source, `tools/execute_notebooks.colab_cell()`."""
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "tools" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.colab_cell()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_cell_is_the_one_source_and_installs_this_repository_only_on_colab(path):
    first = code_cells(read(path))[0]
    repo = CONFIG["repository"]
    assert first.source == colab_cell(), "run `make execute` (it writes the cell from tools/execute_notebooks.py)"
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


CODE_COLUMN = 77  # characters of code a page's code cell shows at 1280 px without scrolling (and
# JupyterLab beside a file browser); tests/browser/test_site.py checks the cells themselves


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_lines_fit_the_column(path):
    long = [f"cell {c.get('id')}: {line[:40]}... ({len(line)} characters)" for c in code_cells(read(path))
            for line in c.source.splitlines() if len(line) > CODE_COLUMN]
    assert not long, long


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


# The only cells whose outputs nbval does not compare, each with the reason its first line gives.
EXCLUDED_FROM_NBVAL = [("activations", "# nbval-ignore-output: timings differ from machine to machine and run to run.")]


def test_cells_excluded_from_nbval_are_the_listed_ones_and_say_why():
    tags = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
    excluded = [(path.stem, cell.source.splitlines()[0]) for path in NOTEBOOKS for cell in code_cells(read(path))
                if tags & set(cell.metadata.get("tags", []))]
    assert excluded == EXCLUDED_FROM_NBVAL


