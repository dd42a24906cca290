"""Self-study on the pages that have it (issue 21): every exercise there has at least 8 known mistakes
and 3 right answers, and a hint (a closed <details class="hint">) right before its full solution, so
a learner can ask for a nudge before reading the answer."""

import re
from pathlib import Path

import nbformat
import pytest

from lib.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["activations", "activations-beyond-relu", "preprocessing", "initialization", "normalization",
         "reading-list", "reading-list-methods"]
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


QUESTION = re.compile(r'<div class="admonition question" id="(q-[\w-]+)">\n<p class="admonition-title"><strong>Question: '
                      r'[^<\n]+</strong></p>\n\n(.+?)\n\n</div>', re.S)
ANSWER = re.compile(r'<details class="answer">\n<summary>[A-D]\. [^\n]+</summary>\n\n\*\*(Right|Not this one)\.\*\* '
                    r'(.+?)\n\n</details>', re.S)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_asks_3_questions_each_with_one_right_answer_and_feedback_for_each(page):
    """A question is its own markdown cell: the admonition, a prompt, then one closed <details> per
    answer whose feedback says whether it is right and why (a sentence beyond the verdict)."""
    nb = nbformat.read(ROOT / "chapters" / f"{page}.ipynb", as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "markdown" and 'admonition question' in c.source]
    assert len(cells) >= 3
    labels = set()
    for source in cells:
        match = QUESTION.fullmatch(source)
        assert match, source[:80]
        label, body = match.groups()
        assert label not in labels
        labels.add(label)
        answers = ANSWER.findall(body)
        assert len(answers) >= 2 and body.count("<details") == len(answers), label
        assert [verdict for verdict, _ in answers].count("Right") == 1, label
        assert all(len(feedback.split()) >= 8 for _, feedback in answers), f"{label}: say why"
        summaries = re.findall(r"<summary>(.*?)</summary>", body)
        assert not any("$" in s or "\\" in s for s in summaries), f"{label}: math in a <summary> stays raw TeX"
