"""The built site in real headless Chromium, opened from disk with every outside request refused.

Needs `_build/html` (`make test` builds it first) and Debian's Chromium at /usr/bin/chromium, driven by
Playwright (no browser download). Screenshots of every chapter, at desktop and phone width, go to
_build/screenshots/ for a reviewer to look at.
"""

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SHOTS

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


def wait_for_math(page):
    """Wait until MathJax has typeset the page (no-op on pages without math)."""
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)", timeout=10_000)
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")


@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_with_no_outside_or_failed_request_and_no_console_error(browser, page_name):
    page, problems = open_page(browser, page_name)
    wait_for_math(page)
    page.wait_for_timeout(300)  # late requests (fonts, lazily loaded scripts)
    assert problems == []
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_math_is_rendered(browser, page_name):
    page, _ = open_page(browser, page_name)
    wait_for_math(page)
    assert page.locator("mjx-container").count() > 0
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
        control.select_option(index=1)
    after = (image.get_attribute("src"), image.get_attribute("alt"))
    assert after[1] != before[1], "the alt text did not follow the control"
    assert after[0] != before[0], "the shown frame did not change"
    assert problems == []
    player.screenshot(path=SHOTS / f"{Path(page_name).name}-player.png")
    page.context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_readable_at_phone_width(browser, page_name):
    page, _ = open_page(browser, page_name, viewport=PHONE)
    wait_for_math(page)
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways: {page_width}px wide"
    for box in [page.locator(".nnc-player img").first.bounding_box(), page.locator("article").bounding_box()]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    page.screenshot(path=SHOTS / f"{Path(page_name).name}-phone.png", full_page=False)
    page.context.close()
