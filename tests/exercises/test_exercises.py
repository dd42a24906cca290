"""Every exercise, driven by its record in lib.exercises: the notebook and the record agree, the starter
fails, the solution passes, every known mistake is rejected (with its own hint when it has one) and
every right answer passes.

What runs, exactly: each answer (the starter without its last line, the notebook's solution, a
mistake's code, a right answer) is executed in a fresh namespace after the record's `setup` and
nothing else; the record's check is then called on what the answer binds to the record's `name`
(`Exercise.__call__`, which is what the starter's last line `check("<label>", <name>)` calls). That
the notebook gives an answer the same names is checked, not assumed:
`test_the_notebook_binds_what_the_record_sets_up` runs the notebook's imports cell (its second code
cell) and then the starter cell without its last line, and requires every name the record's setup
binds to be bound there to the same object.
"""

import re
from pathlib import Path

import nbformat
import pytest

from lib import exercises
from lib.exercises import EXERCISES, check
from lib.exercises.records import define

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))

# One source per exercise that JupyterLab, Colab and the site all render: the prompt in an HTML
# admonition (markdown inside), the solution in a <details> block that stays closed until opened.
EXERCISE = re.compile(r'<div class="admonition exercise" id="(ex-[\w-]+)">\n<p class="admonition-title">'
                      r'<strong>Exercise: [^<\n]+</strong></p>\n\n(?:(?!</div>).)+?\n\n</div>', re.S)
SOLUTION = re.compile(r'<details class="solution">\n<summary>Solution</summary>\n\n.*?```python\n(.*?)```.*?\n\n</details>',
                      re.S)


def notebook_exercises():
    """{label: (notebook path, starter cell source, solution code, imports cell source)}."""
    found = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        starters = [c.source for c in code if "exercise-starter" in c.metadata.get("tags", [])]
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        labels, solutions = EXERCISE.findall(markdown), SOLUTION.findall(markdown)
        assert len(starters) == len(labels) == len(solutions), f"{path.name}: every exercise needs a starter and a solution"
        assert markdown.count('class="admonition exercise"') == len(labels), f"{path.name}: a malformed exercise"
        assert markdown.count('<details class="solution"') == len(solutions), f"{path.name}: a malformed solution"
        for label, starter, solution in zip(labels, starters, solutions):
            assert label not in found, f"{label} is the label of two exercises"
            found[label] = (path, starter, solution, code[1].source)
    return found


IN_NOTEBOOKS = notebook_exercises()
LABELS = sorted(EXERCISES)
MISTAKES = [pytest.param(label, mistake, id=f"{label}-{i}")
            for label in LABELS for i, mistake in enumerate(EXERCISES[label].mistakes)]
RIGHT = [pytest.param(label, answer, id=f"{label}-{i}")
         for label in LABELS for i, answer in enumerate(EXERCISES[label].right_answers)]


def run(label, answer):
    """The CheckResult of the exercise's check on what `answer` binds to the record's name."""
    exercise = EXERCISES[label]
    return check(label, define(exercise.setup, answer, exercise.name))


def without_check_call(starter):
    return starter.strip().rsplit("\n", 1)[0]


def test_every_notebook_exercise_has_one_record_and_every_record_a_notebook_exercise():
    assert sorted(IN_NOTEBOOKS) == LABELS
    for page in exercises.PAGES:  # lib/exercises/<notebook>.py holds exactly that notebook's exercises
        notebook = ROOT / "chapters" / f"{page.__name__.rsplit('.', 1)[-1].replace('_', '-')}.ipynb"
        assert sorted(e.label for e in page.EXERCISES) == sorted(
            label for label, (path, *_) in IN_NOTEBOOKS.items() if path == notebook)


def test_every_exercise_has_at_least_5_mistakes_and_3_right_answers_none_twice():
    for exercise in EXERCISES.values():
        answers = [m.answer for m in exercise.mistakes]
        assert len(answers) >= 5 and len(exercise.right_answers) >= 3, exercise.label
        assert len(set(answers)) == len(answers) and len(set(exercise.right_answers)) == len(exercise.right_answers)
        hints = [m.hint for m in exercise.mistakes if m.hint]
        assert len(set(hints)) == len(hints), f"{exercise.label}: a hint is written twice"


@pytest.mark.parametrize("label", LABELS)
def test_the_starter_ends_with_its_check_call(label):
    starter = IN_NOTEBOOKS[label][1]
    name = EXERCISES[label].name
    assert starter.strip().splitlines()[-1] == f'check("{label}", {name})'
    assert re.search(rf"^(def {name}\(|{name} = )", starter, re.M), f"the starter must define {name}"


@pytest.mark.parametrize("label", LABELS)
def test_the_notebook_binds_what_the_record_sets_up(label):
    path, starter, _, imports = IN_NOTEBOOKS[label]
    in_record, in_notebook = {}, {}
    exec(EXERCISES[label].setup, in_record)
    exec(imports, in_notebook)
    exec(without_check_call(starter), in_notebook)
    for name, value in in_record.items():
        if name != "__builtins__":
            assert in_notebook.get(name) is value, f"{path.name} does not give the answers {name}"
    assert in_notebook["check"] is check


@pytest.mark.parametrize("label", LABELS)
def test_the_starter_fails_and_the_solution_passes(label):
    _, starter, solution, _ = IN_NOTEBOOKS[label]
    assert not run(label, without_check_call(starter)).passed
    result = run(label, solution)
    assert result.passed and result.message.startswith("✓"), result.message


@pytest.mark.parametrize("label,mistake", MISTAKES)
def test_every_mistake_is_rejected_with_its_hint(label, mistake):
    result = run(label, mistake.answer)
    name = EXERCISES[label].name
    assert not result.passed, mistake.answer
    assert result.message.startswith(f"✗ {name} ") and "\n" not in result.message, result.message
    if mistake.hint:  # the hint ends the message; a field in braces is filled with the failing case's value
        pattern = re.sub(r"\\\{\w+\\\}", r"\\w+", re.escape(mistake.hint))
        assert re.search(f" {pattern}$", result.message), (mistake.hint, result.message)
    else:
        assert mistake.says in result.message, (mistake.says, result.message)


@pytest.mark.parametrize("label,answer", RIGHT)
def test_every_right_answer_passes(label, answer):
    result = run(label, answer)
    assert result.passed and result.message.startswith("✓"), (answer, result.message)


def test_an_unknown_label_is_named():
    with pytest.raises(KeyError, match="no exercise is labelled 'ex-nothing'"):
        check("ex-nothing", print)
