"""The live widgets in a real JupyterLab, in headless Chromium: run a chapter, move a control, see
the figure change; and the kernel-free parts, exercises and every chapter's questions, rendered. Runs on a temporary copy of chapters/ (so autosave cannot touch the repository),
with a server on a free loopback port that the test starts and stops.
"""

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from benchmarks.felt import jupyterlab

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "_build" / "screenshots"  # written by the browser fixture's session (tests/conftest.py)

CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Base URL of a JupyterLab serving a copy of chapters/ (the bench's server, `benchmarks.felt`)."""
    root = tmp_path_factory.mktemp("chapters")
    for notebook in (ROOT / "chapters").glob("*.ipynb"):
        shutil.copy(notebook, root)
    with jupyterlab(root) as base:
        yield base


LAST_CELL_HAS_RUN = """(expected) => {
    const prompts = document.querySelectorAll('.jp-CodeCell .jp-InputPrompt');
    return prompts.length > 0 && /\\[\\d+\\]/.test(prompts[prompts.length - 1].textContent) === expected;
}"""


def menu(page, name, item):
    """Click a menu of JupyterLab's menu bar, then one of its items."""
    page.locator(".lm-MenuBar-itemLabel", has_text=name).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_live_widget_redraws_when_a_control_moves(lab, browser, chapter):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{lab}/lab/tree/{chapter}.ipynb?reset")  # a fresh workspace: only this notebook open
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    idle = page.get_by_text("Python 3 (ipykernel) | Idle")
    idle.wait_for(timeout=60_000)  # else Run All can be a no-op
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(LAST_CELL_HAS_RUN, arg=False)  # its prompt is [ ]: until it runs again
    menu(page, "Run", "Run All Cells")
    try:
        # A state, not a time: the last code cell has run (so every cell has, in order) and the
        # kernel is idle again, so a control moved now is answered at once, not queued behind cells.
        page.wait_for_function(LAST_CELL_HAS_RUN, arg=True, timeout=300_000)
        idle.wait_for(timeout=300_000)
    except Exception:
        page.screenshot(path=SHOTS / f"{chapter}-jupyterlab-failed.png")
        raise
    box = page.locator(".jp-OutputArea-output .nnc-player").first  # the live view (lib/widgets/player.js)
    image = box.locator("img").first
    image.wait_for()
    before = image.get_attribute("src")
    control = box.locator("[data-control]").first
    kind = control.evaluate("e => e.type")
    if kind == "range":  # keyboard: focus the slider and press the arrow key
        control.focus()
        page.keyboard.press("ArrowRight")
    elif kind == "checkbox":
        control.check()
    else:
        control.select_option(index=0 if control.evaluate("e => e.selectedIndex") else 1)  # another value
    page.wait_for_function("([img, src]) => img.getAttribute('src') !== src", arg=[image.element_handle(), before],
                           timeout=60_000)  # the kernel is idle: this waits only on a busy machine
    box.screenshot(path=SHOTS / f"{chapter}-jupyterlab.png")
    assert errors == []
    page.close()


def test_exercise_renders_with_its_solution_hidden(lab, browser):
    """Where learners do the exercises: the prompt is formatted text (not a raw ```{exercise} fence)
    and the solution stays closed until opened, from the same cells the site shows."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{lab}/lab/tree/preprocessing.ipynb?reset")
    exercise = page.locator(".jp-RenderedMarkdown .admonition.exercise").first
    exercise.scroll_into_view_if_needed(timeout=60_000)
    assert exercise.locator(".admonition-title").text_content().startswith("Exercise: ")
    assert exercise.locator("code").count() > 0  # its markdown was rendered, inline code included
    assert "{exercise}" not in page.locator(".jp-Notebook").text_content()
    solution = page.locator(".jp-RenderedMarkdown details.solution").first
    assert solution.evaluate("d => !d.open") and not solution.locator("pre").first.is_visible()
    exercise.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "preprocessing-exercise-jupyterlab.png")
    solution.locator("summary").click()
    solution.locator("pre").first.wait_for(state="visible")
    page.close()


QUESTION = re.compile(r'<div class="admonition question" id="(q-[\w-]+)">\n<p class="admonition-title"><strong>'
                      r'(Question: [^<\n]+)</strong></p>(.+?)\n\n</div>', re.S)
VERDICT = re.compile(r'<details class="answer">\n<summary>([^\n]+)</summary>\n\n\*\*(Right|Not this one)\.\*\*')


def questions(chapter):
    """[(label, title, [(summary, verdict), ...]), ...]: each question of the chapter as its notebook
    writes it, the source the rendered page is compared with."""
    nb = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return [(label, html.unescape(title), VERDICT.findall(body)) for label, title, body in QUESTION.findall(markdown)]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_question_renders_with_its_answers_closed_and_feedback_on_opening(lab, browser, chapter):
    """A question needs no kernel in JupyterLab either: on every chapter page, each question's
    admonition is formatted, with its title and one closed <details> per answer, in the notebook's
    order; opening an answer shows its feedback, whose verdict is the one the notebook gives it, and
    leaves the other answers closed."""
    expected = questions(chapter)
    assert len(expected) >= 3
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{lab}/lab/tree/{chapter}.ipynb?reset")
    rendered = page.locator(".jp-RenderedMarkdown .admonition.question")
    for label, title, answers in expected:
        question = rendered.filter(has=page.locator(".admonition-title", has_text=title))
        question.scroll_into_view_if_needed(timeout=60_000)  # waits until JupyterLab has rendered it
        assert question.count() == 1, label
        assert question.locator(".admonition-title").text_content().strip() == title, label
        shown = question.locator("details.answer")
        assert shown.count() == len(answers), label
        assert [shown.nth(i).locator("summary").text_content().strip() for i in range(len(answers))] == [
            html.unescape(summary) for summary, _ in answers], label
        assert all(shown.nth(i).evaluate("d => !d.open") for i in range(len(answers))), label
        for i, (_, verdict) in enumerate(answers):
            answer = shown.nth(i)
            feedback = answer.locator("p").first
            assert not feedback.is_visible(), f"{label}: answer {i + 1}'s feedback shows before it is opened"
            answer.locator("summary").click()
            feedback.wait_for(state="visible")
            assert feedback.text_content().startswith(f"{verdict}."), (label, i)
            assert all(shown.nth(j).evaluate("d => !d.open") for j in range(len(answers)) if j != i), label
            answer.locator("summary").click()  # closed again, so the next answer is opened alone
            feedback.wait_for(state="hidden")
    page.screenshot(path=SHOTS / f"{chapter}-questions-jupyterlab.png")
    page.close()
