"""Felt latency of every interactive figure in a real JupyterLab: a control moves, the clock stops
when the new image is on screen.

`measure()` starts JupyterLab on a free loopback port over a temporary copy of chapters/, opens each
chapter in Debian's headless Chromium (driven by Playwright), runs all its cells and waits for the
kernel to be idle; then, for each live figure and each of its controls, it moves the control (a
slider 12 steps each way, a menu to each option and back, a checkbox on and off; three times),
one move after the previous one is on screen.

Each move is made and timed inside the page, as a reader's would be: the control takes its value
and fires "input" and "change" (what a key press or a click on it does), and the clock
(performance.now()) runs from just before that to the first task after the animation frame that
follows the new image's loading: the frame that paints it. A move starts at a random point of a
frame's time (uniform over 1/60 s after a frame), as a reader's input does; moves made right after
a frame would each wait a whole frame. Playwright only starts the move and
collects the times, so its own round trip (Playwright -> DevTools protocol -> page), which a key
press or select_option would add to every move, is not counted. Each move also reports where its
time went: the player's event handlers, the wait for the image (the kernel's drawing, off the
grid), its loading and the wait for the frame.

A move is "on-grid" when the player showed a frame it already had (lib/widgets/player.js), and
"off-grid" when it waited for the kernel's drawing (the player's `data-waiting`).

Where the time went (2026-12-07, 2 shared cores): an on-grid move is the wait for the next frame
(median 9-14 ms) after 0.4-0.7 ms of the player's handlers, with no wait for the image and no
loading; its p95 (16-20 ms) is the frame's own 16.7 ms, as the moves start anywhere in a frame,
plus the moves whose frame comes late (about 1 in 30, by 1-4 ms; the same without any message to
the kernel). An off-grid move is the kernel's drawing (50-60 ms for the singular values, 100 ms or
more on a busy machine) and a round trip of about 25 ms (the message, the image's decoding and the
frame). Before lib's Jupyter server extension (lib/_jupyter_server.py) every image arrived about
40 ms late (Nagle's algorithm on the server's websocket waiting for the browser's delayed ACK), and
a full garbage collection of the kernel's heap (60-80 ms) fell inside one drawing in every run.
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
MOVES = 12  # steps each way per slider
ROUNDS = 3  # times each control makes its moves (enough moves for a 95th percentile)
PARTS = ("handlers", "image wait", "loading", "frame wait")  # a move's parts, after its total (ms)
FIGURES = ".jp-OutputArea-output .nnc-player"

# In the page: make a move and time it to the frame that shows its image (see the docstring).
PROBE = """(figure) => {
    // A move as a reader makes it: the control takes its new value and fires "input" and "change",
    // all inside the page; the clock runs until the frame after the image that follows is loaded.
    const img = figure.querySelector("img");
    const controls = Array.from(figure.querySelectorAll("[data-control]"));
    const frame = () => new Promise((done) => requestAnimationFrame(() => {
        const channel = new MessageChannel();  // a task after the frame's rendering: it is painted
        channel.port1.onmessage = () => done(performance.now());
        channel.port2.postMessage(null);
    }));
    const changed = (before) => new Promise((done) => {
        if (img.src !== before[0] || img.alt !== before[1]) { done(); return; }
        const observer = new MutationObserver(() => { observer.disconnect(); done(); });
        observer.observe(img, {attributes: true, attributeFilter: ["src", "alt"]});
    });
    const loaded = () => new Promise((done) => {
        if (img.complete) { done(); return; }
        img.addEventListener("load", done, {once: true});
        img.addEventListener("error", done, {once: true});
    });
    const within = (promise, what) => Promise.race([promise, new Promise((_, fail) => setTimeout(
        () => fail(new Error(`no ${what} within 10 s`)), 10000))]);
    window.__felt = {
        controls: controls.map((e) => ({kind: e.tagName === "SELECT" ? "select" : e.type, disabled: e.disabled,
                                       value: e.tagName === "SELECT" ? e.selectedIndex : +e.value,
                                       count: e.tagName === "SELECT" ? e.options.length : +e.max + 1})),
        async move(c, value) {  // -> [kind, ms, handlers ms, wait for the image ms, load ms, frame ms]
            const control = controls[c], before = [img.src, img.alt];
            if (control.disabled) { return null; }  // another control's value disables it now
            // a reader's move comes at any point of a frame's 16.7 ms, not just after one
            await frame();
            await new Promise((done) => setTimeout(done, Math.random() * 1000 / 60));
            const start = performance.now();
            if (control.type === "checkbox") { control.checked = !control.checked; }
            else if (control.tagName === "SELECT") { control.selectedIndex = value; }
            else { control.value = String(value); }
            control.dispatchEvent(new Event("input", {bubbles: true}));
            control.dispatchEvent(new Event("change", {bubbles: true}));
            const handled = performance.now();
            const kind = figure.hasAttribute("data-waiting") ? "off-grid" : "on-grid";
            await within(changed(before), "new image");
            const shown = performance.now();
            await within(loaded(), "loaded image");
            const ready = performance.now();
            const painted = await within(frame(), "animation frame");
            return [kind, painted - start, handled - start, shown - handled, ready - shown, painted - ready];
        },
    };
    return window.__felt.controls;
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
    """The values to set one control to, in order, ending where it started (so that the moves can be
    repeated, and the controls a menu enables are enabled again): a slider 12 steps right and 12
    left (stopping at its ends, as arrow keys do) and back, a menu through its (first 13) options
    and back, a checkbox on and off."""
    if control["kind"] == "checkbox":
        return [None, None]
    start, count = control["value"], control["count"]
    if control["kind"] == "select":
        options = min(count, MOVES + 1)
        order = [*range(options), *range(options - 2, -1, -1), start]  # and back to the start
        return [i for previous, i in zip([start, *order], order) if i != previous]
    top = min(start + MOVES, count - 1)  # what 12 presses of the right arrow reach, then of the left
    bottom = max(top - MOVES, 0)
    return [*range(start + 1, top + 1), *range(top - 1, bottom - 1, -1), *range(bottom + 1, start + 1)]


def measure_figure(page, figure):
    """[[kind, ms, handlers ms, image wait ms, load ms, frame ms], ...] for every move of every
    enabled control of one figure; each move starts once the previous one is on screen. A move that
    shows no new image within 10 s is reported and ends its control's moves."""
    figure.scroll_into_view_if_needed()
    moves = []
    for c, control in enumerate(figure.evaluate(PROBE)):
        if control["disabled"]:
            continue
        for value in moves_for(control) * ROUNDS:
            try:
                move = page.evaluate("([c, value]) => window.__felt.move(c, value)", [c, value])
            except Exception as error:  # reported; the other controls are still measured
                print(f"  control {c} to {value}: {str(error).splitlines()[0]}", flush=True)
                break
            if move is None:
                break
            moves.append(move)
    return moves


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
                print(f"  {chapter}: {len(results[chapter])} figures measured", flush=True)
            except Exception as error:  # the other notebooks are still measured; this one is reported
                print(f"  {chapter}: not measured: {type(error).__name__}: {str(error).splitlines()[0]}", flush=True)
            page.close()
        browser.close()
    return results
