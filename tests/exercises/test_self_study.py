"""Self-study on the pages that have it (issue 21): every exercise there has at least 8 known mistakes
and 3 right answers, and a hint (a closed <details class="hint">) right before its full solution, so
a learner can ask for a nudge before reading the answer."""

import re
from pathlib import Path

import nbformat
import pytest

from lib.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["activations", "activations-beyond-relu", "preprocessing"]
HINT = re.compile(r'^<details class="hint">\n<summary>Hint</summary>\n\n.+\n\n</details>$', re.S)


def exercise_labels(page):
    nb = nbformat.read(ROOT / "chapters" / f"{page}.ipynb", as_version=4)
    return re.findall(r'<div class="admonition exercise" id="(ex-[\w-]+)">',
                      "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))


@pytest.mark.parametrize("page", PAGES)
def test_every_exercise_has_8_mistakes_and_3_right_answers(page):
    labels = exercise_labels(page)
    assert labels
    for label in labels:
        assert len(EXERCISES[label].mistakes) >= 8 and len(EXERCISES[label].right_answers) >= 3, label


@pytest.mark.parametrize("page", PAGES)
def test_a_hint_comes_right_before_each_solution(page):
    nb = nbformat.read(ROOT / "chapters" / f"{page}.ipynb", as_version=4)
    solutions = [i for i, c in enumerate(nb.cells)
                 if c.cell_type == "markdown" and c.source.startswith('<details class="solution">')]
    assert len(solutions) == len(exercise_labels(page))
    for i in solutions:
        before = nb.cells[i - 1]
        assert before.cell_type == "markdown" and HINT.match(before.source), f"{page}: no hint before cell {i}"
        starter = nb.cells[i - 2]
        assert "exercise-starter" in starter.metadata.get("tags", []), f"{page}: the hint must follow a starter"
