"""The built site in real headless Chromium, opened from disk with every outside request refused.

Needs `_build/html` (`make test` builds it first) and Debian's Chromium at /usr/bin/chromium, driven by
Playwright (no browser download). Screenshots of every chapter, at desktop and phone width, go to
_build/screenshots/ for a reviewer to look at.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "_build" / "screenshots"  # written by the browser fixture's session (tests/conftest.py)

SITE = ROOT / "_build" / "html"


def toc_pages(entries):
    """The files of _toc.yml's entries and their sections, in reading order."""
    for entry in entries:
        yield entry["file"]
        yield from toc_pages(entry.get("sections", []))


TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
PAGES = [TOC["root"], *toc_pages(TOC["chapters"])]
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
PHONE = {"width": 390, "height": 844}
RAW_TEX = re.compile(r"\$\$|\\frac|\\sigma|\\mathrm|\\\(|\\\[")


@pytest.fixture(scope="module", autouse=True)
def built_site():
    if not (SITE / "index.html").exists():
        pytest.fail("_build/html is missing: run `make book` first (`make test` does)")


def open_page(browser, page_name, viewport=None):
    """Open a page from disk; returns (page, problems) where problems collects every failed or
    outside request and every console error while it loads."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    problems = []

    def route(route):
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            problems.append(f"outside request: {route.request.url}")
            route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto((SITE / f"{page_name}.html").as_uri(), wait_until="load")
    return page, problems


@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_with_no_outside_or_failed_request_and_no_console_error(browser, page_name):
    page, problems = open_page(browser, page_name)
    page.wait_for_load_state("networkidle")  # late requests (fonts, deferred scripts)
    assert problems == []
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_math_is_rendered_at_build_time(browser, page_name):
    """Math arrives as MathML (_ext/mathml.py): laid out by the browser, with no math script."""
    page, _ = open_page(browser, page_name)
    assert page.locator("article math").count() > 0
    assert page.locator("script[src*='mathjax' i], script[src*='katex' i]").count() == 0
    text = page.locator("article").inner_text()
    leftover = RAW_TEX.findall(text)
    assert not leftover, f"raw TeX left in the text: {leftover[:5]}"
    page.screenshot(path=SHOTS / f"{Path(page_name).name}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_operating_a_player_control_changes_the_frame(browser, page_name):
    page, problems = open_page(browser, page_name)
    player = page.locator(".nnc-player").first
    player.scroll_into_view_if_needed()
    image = player.locator("img")
    before = (image.get_attribute("src"), image.get_attribute("alt"))
    control = player.locator("[data-control]").first
    kind = control.evaluate("e => e.type")
    if kind == "range":  # keyboard: focus the slider and press the arrow key
        control.focus()
        page.keyboard.press("ArrowRight")
    elif kind == "checkbox":
        control.check()
    else:
        control.select_option(index=0 if control.evaluate("e => e.selectedIndex") else 1)  # another value
    after = (image.get_attribute("src"), image.get_attribute("alt"))
    assert after[1] != before[1], "the alt text did not follow the control"
    assert after[0] != before[0], "the shown frame did not change"
    assert problems == []
    player.screenshot(path=SHOTS / f"{Path(page_name).name}-player.png")
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_readable_at_phone_width(browser, page_name):
    page, _ = open_page(browser, page_name, viewport=PHONE)
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways: {page_width}px wide"
    for box in [page.locator(".nnc-player img").first.bounding_box(), page.locator("article").bounding_box()]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    apart = page.evaluate("""() => [...document.querySelectorAll(".nnc-slider")].filter(s => {
        const input = s.querySelector("input").getBoundingClientRect();
        const value = s.querySelector("output").getBoundingClientRect();
        return Math.abs((value.top + value.bottom) - (input.top + input.bottom)) / 2 > input.height; })
        .map(s => s.innerText)""")
    assert apart == [], "a slider's value wrapped away from its slider"
    page.screenshot(path=SHOTS / f"{Path(page_name).name}-phone.png", full_page=False)
    page.context.close()


@pytest.mark.parametrize("width", [390, 800])
def test_chapter_list_opens_on_small_screens_and_reaches_every_chapter(browser, width):
    """The visible sidebar button opens the chapter list (pydata-sphinx-theme issue 2451 broke it);
    from it, every chapter is one tap away. No second header with its own search box shows."""
    page, problems = open_page(browser, "intro", viewport={"width": width, "height": 844})
    for target in CHAPTERS:
        assert not page.locator("#pst-header").is_visible()
        page.locator(".bd-header-article .primary-toggle").click()
        chapter_list = page.locator("#pst-primary-sidebar-modal")
        link = chapter_list.locator(f"a[href$='{Path(target).name}.html']").first
        link.wait_for(state="visible")
        link.click()
        page.wait_for_url(f"**/{target}.html")
    assert problems == []
    page.context.close()


def test_sidebar_button_collapses_the_chapter_list_on_a_desktop(browser):
    page, problems = open_page(browser, "chapters/activations")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible() and not page.locator("#pst-header").is_visible()
    page.locator(".bd-header-article .primary-toggle").click()
    sidebar.wait_for(state="hidden")
    page.locator(".bd-header-article .primary-toggle").click()
    sidebar.wait_for(state="visible")
    assert problems == []
    page.context.close()


OVERFLOWING = """() => [...document.querySelectorAll(
        "article .cell_output pre, article div.math-display, article table")]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName + ": " + e.innerText.split("\\n").reduce((a, b) => a.length > b.length ? a : b))"""
OUTSIDE_THE_COLUMN = """() => { const column = document.querySelector("article").getBoundingClientRect();
    return [...document.querySelectorAll("article pre, article div.math-display, article table, article img")]
        .filter(e => { const r = e.getBoundingClientRect(); return r.left < column.left - 1 || r.right > column.right + 1; })
        .map(e => e.tagName + " " + e.className); }"""


@pytest.mark.parametrize("page_name", PAGES)
def test_no_output_line_equation_or_table_is_clipped(browser, page_name):
    """At 1280 px every printed line, display equation and table fits its column. At phone width
    each still stays inside the column and scrolls as a unit in its own box when wider."""
    page, _ = open_page(browser, page_name)
    assert page.evaluate(OVERFLOWING) == [], "wider than its column at 1280 px"
    code = page.evaluate("""() => [...document.querySelectorAll("article .cell_input pre")]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.split("\\n")[0])""")
    assert code == [], "code cells that scroll at 1280 px"
    assert page.evaluate(OUTSIDE_THE_COLUMN) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate(OUTSIDE_THE_COLUMN) == []
    scrolling = page.evaluate("""() => [...document.querySelectorAll(
        "article .cell_output pre, article div.math-display, article table")]
        .filter(e => e.scrollWidth > e.clientWidth + 1)
        .filter(e => !["auto", "scroll"].includes(getComputedStyle(e).overflowX))
        .map(e => e.tagName + " " + e.className)""")
    assert scrolling == [], "clipped at phone width with no way to scroll it"
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_every_image_says_what_it_shows(browser, page_name):
    """Alt text, not the image's file path (MyST-NB's default); the lang of quoted Chinese is set."""
    page, _ = open_page(browser, page_name)
    alts = page.locator("article img").evaluate_all("imgs => imgs.map(i => i.getAttribute('alt') || '')")
    assert alts and not [a for a in alts if len(a) < 20 or re.search(r"\.(png|jpe?g|svg)$|_images/", a)]
    assert page.locator("html[lang]").count() == 1
    chinese = page.locator("article").evaluate(
        "a => [...a.querySelectorAll('*')].filter(e => /[\\u4e00-\\u9fff]/.test([...e.childNodes]"
        ".filter(n => n.nodeType === 3).map(n => n.textContent).join('')) && !e.closest('[lang=zh]')).length")
    assert chinese == 0, "Chinese text outside an element with lang=zh"
    page.context.close()


QUESTION_PAGES = [page for page in PAGES if page.startswith("chapters/")]  # every chapter has questions


@pytest.mark.parametrize("page_name", QUESTION_PAGES)
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"])
def test_opening_an_answer_shows_its_feedback_and_only_its_own(browser, page_name, viewport):
    """Questions work with no kernel and no script: every answer is a closed <details>; opening one
    shows its own feedback (which says whether it is right), and the others stay closed."""
    page, problems = open_page(browser, page_name, viewport=viewport)
    questions = page.locator("article .admonition.question")
    assert questions.count() >= 3
    for q in range(questions.count()):
        question = questions.nth(q)
        assert question.locator(".admonition-title").inner_text().startswith("Question: ")
        answers = question.locator("details.answer")
        assert answers.count() >= 2
        verdicts = []
        for a in range(answers.count()):
            answer = answers.nth(a)
            assert answer.evaluate("d => !d.open")
            feedback = answer.locator("p").first
            assert not feedback.is_visible()
            answer.locator("summary").scroll_into_view_if_needed()
            answer.locator("summary").click()
            feedback.wait_for(state="visible")
            verdicts.append(feedback.inner_text().split(".")[0])
            others = [answers.nth(b).evaluate("d => d.open") for b in range(answers.count()) if b != a]
            assert not any(others), "opening one answer opened another"
            answer.locator("summary").click()  # close it again
        assert verdicts.count("Right") == 1 and all(v in ("Right", "Not this one") for v in verdicts), verdicts
    questions.first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"{Path(page_name).name}-question-{viewport['width']}.png")
    assert problems == []
    page.context.close()


WIDER_THAN_THE_COLUMN = """() => { const column = document.querySelector("article").getBoundingClientRect();
    return [...document.querySelectorAll(
            "article .cell_output pre, article .cell_output table, article table, article div.math-display")]
        .filter(e => e.getClientRects().length > 0)  // shown (not in a closed <details>)
        .filter(e => { const r = e.getBoundingClientRect();
            return e.scrollWidth > e.clientWidth + 1 || r.left < column.left - 1 || r.right > column.right + 1; })
        .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}px in ${e.clientWidth}px: `
                  + e.innerText.split("\\n").reduce((a, b) => a.length > b.length ? a : b).slice(0, 60)); }"""


@pytest.mark.parametrize("page_name", PAGES)
def test_every_output_table_and_equation_fits_a_phone_column(browser, page_name):
    """At 390 px every printed output, table and display equation is as narrow as its column: a
    learner reads every number without scrolling a box sideways (which phones show no scrollbar
    for). Tables of numbers come as <table> (lib/tables.py, _static/tables.css), long printed lines
    wrap, an equation's \\qquad-separated pieces go one under the other (_ext/mathml.py)."""
    page, _ = open_page(browser, page_name, viewport=PHONE)
    page.evaluate("() => document.fonts.ready")  # widths with the final fonts
    assert page.evaluate(WIDER_THAN_THE_COLUMN) == [], "wider than its column at 390 px"
    page.context.close()


SHOWN_IMAGES = """async () => {
    const images = [...document.querySelectorAll("article img")].filter(i => i.getClientRects().length > 0);
    for (const i of images) i.loading = "eager";  // lazy ones too: their natural size is needed
    await Promise.all(images.map(i => i.decode().catch(() => null)));
    return images.map(i => ({alt: (i.alt || "").slice(0, 50), natural: i.naturalWidth,
                             shown: i.getBoundingClientRect().width})); }"""


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_figure_text_is_readable_on_a_phone(browser, page_name):
    """At 390 px every figure and player frame shows its smallest text (style.SMALL, 11 pt, drawn at
    the style's dpi) at least 10 CSS px high: SMALL/72 in * dpi * shown width / natural width."""
    from lib.figures.style import SMALL, STYLE

    page, _ = open_page(browser, page_name, viewport=PHONE)
    images = page.evaluate(SHOWN_IMAGES)
    assert images and all(i["natural"] > 0 for i in images), images
    small = [f"{i['alt']}: {SMALL / 72 * STYLE['figure.dpi'] * i['shown'] / i['natural']:.1f} px"
             for i in images if SMALL / 72 * STYLE["figure.dpi"] * i["shown"] / i["natural"] < 10]
    assert not small, small
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_tables_of_numbers_are_tables_with_their_headers_on_a_phone(browser, page_name):
    """The tables a page displays are real tables; a wide one shows as cards on a phone, each value
    after its column's header, and as a plain grid at 1280 px."""
    page, _ = open_page(browser, page_name, viewport=PHONE)
    tables = page.locator("article .cell_output table.nnc-table")
    assert tables.count() > 0
    wide = page.locator("article .cell_output table.nnc-wide")
    if wide.count():
        cell = wide.first.locator("td").first
        assert cell.evaluate("td => getComputedStyle(td, '::before').content") == \
            '"' + cell.get_attribute("data-label") + '"'
        assert wide.first.locator("thead").evaluate("h => h.getBoundingClientRect().height") <= 1
        wide.first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / f"{Path(page_name).name}-table-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        wide.first.locator("thead").wait_for(state="visible")
        assert wide.first.evaluate("t => getComputedStyle(t.querySelector('td')).display") == "table-cell"
        wide.first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / f"{Path(page_name).name}-table-1280.png")
    page.context.close()
