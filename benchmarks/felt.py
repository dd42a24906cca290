"""Felt latency of every interactive figure in a real JupyterLab: a key moves a control, the clock
stops when the new image is on screen.

`measure()` starts JupyterLab on a free loopback port over a temporary copy of chapters/, opens each
chapter in Debian's headless Chromium (driven by Playwright), runs all its cells and waits for the
kernel to be idle; then, for each live figure and each of its controls, it presses arrow keys (a
slider over up to 12 values and back, a checkbox on and off; a menu is set to each option and back).
A move's latency runs from the key's `keydown` (for a menu: just before Playwright sets it, which
adds its own ~1-2 ms) to the first animation frame after the image whose `src` or `alt` changed has
decoded: what a reader sees. Each state is waited for, never a fixed time.

A move is "on-grid" when the player showed a frame it already had (lib/widgets/player.js), "off-grid"
when it waited for the kernel's drawing (the player's `data-waiting`), and "kernel" in a widget with
no player front end (every move a round trip; how the figures worked before).
"""

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MOVES = 12  # key presses each way per control
FIGURES = ".jp-OutputArea-output .nnc-player, .jp-OutputArea-output .widget-vbox"
CONTROLS = "[data-control], select, input[type=checkbox], .noUi-handle"

# In the page: time from each keydown to the frame after the changed image decoded, and its kind.
PROBE = """(figure) => {
    const img = figure.querySelector("img");
    const player = figure.classList.contains("nnc-player");
    const probe = window.__felt = {start: null, waited: false, times: []};
    document.addEventListener("keydown", () => { probe.start = performance.now(); probe.waited = false; }, true);
    new MutationObserver((records) => {
        if (probe.start === null) { return; }
        if (!records.some((r) => r.target === img)) {  // the player waits for the kernel's drawing
            probe.waited = probe.waited || figure.hasAttribute("data-waiting");
            return;
        }
        const start = probe.start, kind = !player ? "kernel" : probe.waited ? "off-grid" : "on-grid";
        probe.start = null;
        img.decode().catch(() => {}).then(() => requestAnimationFrame(() => {
            probe.times.push([kind, performance.now() - start]);
        }));
    }).observe(figure, {attributes: true, subtree: true, attributeFilter: ["src", "alt", "data-waiting"]});
}"""


# No chapter's slider has more values than the player's grid keeps (21), so no chapter figure has a
# value off its grid: this notebook, written next to the chapters, draws a chapter's figure over 50
# depths (29 of them off the grid) to time the moves the kernel must draw.
OFF_GRID = "off-grid"
OFF_GRID_CELL = """from lib.figures import reading_list
from lib.widgets import Slider, interactive_figure

interactive_figure(reading_list.singular_values, "Singular values, every depth 1-50",
                   depth=Slider(1, 50, 1, value=10))"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyterlab(folder):
    """Base URL of a JupyterLab serving `folder` on a free loopback port, stopped afterwards."""
    port = free_port()
    workspaces = tempfile.mkdtemp()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={folder}", f"--LabApp.workspaces_dir={workspaces}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start within 60 s") from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workspaces, ignore_errors=True)


def run_all(page, base, chapter):
    """Open the chapter with a fresh workspace, run every cell, and wait until the kernel is idle."""
    page.goto(f"{base}/lab/tree/{chapter}.ipynb?reset")
    idle = page.get_by_text("Python 3 (ipykernel) | Idle")
    idle.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function("""() => { const p = document.querySelectorAll('.jp-CodeCell .jp-InputPrompt');
        return p.length > 0 && /\\[\\d+\\]/.test(p[p.length - 1].textContent); }""", timeout=300_000)
    idle.wait_for(timeout=300_000)


def moves_for(control):
    """How to move this control through its values and back: [(key or option number, times), ...]. A
    menu is set by its options (JupyterLab keeps a menu's arrow keys for itself in ipywidgets' view)."""
    kind = control.evaluate("e => e.tagName === 'SELECT' ? 'select' : (e.type || 'slider')")
    if kind == "checkbox":
        return [("Space", 2)]
    if kind == "select":
        options = min(control.evaluate("e => e.options.length"), MOVES + 1)
        start = control.evaluate("e => e.selectedIndex")
        order = [i for i in [*range(options), *reversed(range(options - 1))] if i != start]
        return [(i, 1) for i in order]
    return [("ArrowRight", MOVES), ("ArrowLeft", MOVES)]  # a slider stops at its end: no change, no move


def measure_figure(page, figure):
    """[(kind, ms)] for every move of every enabled control of one figure."""
    figure.scroll_into_view_if_needed()
    figure.evaluate(PROBE)
    for control in figure.locator(CONTROLS).all():
        if control.evaluate("e => e.disabled === true"):
            continue
        for move, count in moves_for(control):
            control.focus()
            for _ in range(count):
                done = page.evaluate("window.__felt.times.length")
                if isinstance(move, int):  # the clock starts in the page, just before the menu changes
                    page.evaluate("window.__felt.start = performance.now(); window.__felt.waited = false")
                    control.select_option(index=move)
                else:
                    page.keyboard.press(move)
                try:  # the state "image changed" (a slider at its end does not move: no change)
                    page.wait_for_function(f"window.__felt.times.length > {done}", timeout=10_000)
                except Exception:
                    page.evaluate("window.__felt.start = null")
                    break
    return [tuple(t) for t in page.evaluate("window.__felt.times")]


def measure(chapters):
    """{chapter: [{"figure": n, "title": ..., "moves": [(kind, ms), ...]}, ...]} for these chapter names
    and the notebook OFF_GRID."""
    results = {}
    with tempfile.TemporaryDirectory() as folder, jupyterlab(folder) as base, sync_playwright() as p:
        for chapter in chapters:
            shutil.copy(ROOT / "chapters" / f"{chapter}.ipynb", folder)
        kernel = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(OFF_GRID_CELL)],
                                                metadata={"kernelspec": kernel}), Path(folder) / f"{OFF_GRID}.ipynb")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for chapter in [*chapters, OFF_GRID]:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            results[chapter] = []
            try:
                run_all(page, base, chapter)
                for n, figure in enumerate(page.locator(FIGURES).all(), start=1):
                    moves = measure_figure(page, figure)
                    alt = figure.locator("img").first.get_attribute("alt") or ""
                    results[chapter].append({"figure": n, "title": alt.split(" (")[0], "moves": moves})
            except Exception as error:  # the other notebooks are still measured; this one is reported
                print(f"  {chapter}: not measured: {type(error).__name__}: {str(error).splitlines()[0]}", flush=True)
            page.close()
        browser.close()
    return results
