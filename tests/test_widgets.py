"""The interactive-figure helper: grids, the live widget, the static player, its mime bundle."""

import base64
import gc
import json
import re
import time
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from lib import widgets
from lib.figures import activations_beyond_relu, initialization, reading_list, style
from lib.widgets import Dropdown, Slider, Toggle, interactive_figure


def draw(fig, a, name, show):
    """A figure whose pixels depend on all three controls."""
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 20)
    ax.plot(x, a * x if name == "line" else a * x**2, lw=3 if show else 1)


def make():
    return interactive_figure(draw, "A test figure", a=Slider(0, 2, 0.5, value=1.0),
                              name=Dropdown(["line", "square"]), show=Toggle())


def test_slider_grid_keeps_endpoints_and_at_most_21_values():
    assert Slider(1, 10, 1).grid() == list(range(1, 11))
    grid = Slider(0.0, 1.0, 0.01).grid()
    assert len(grid) == 21 and grid[0] == 0.0 and grid[-1] == 1.0
    assert len(Slider(0.0, 1.0, 0.01).values()) == 101 and set(grid) <= set(Slider(0.0, 1.0, 0.01).values())
    grid = Slider(1, 50, 1, value=20).grid()  # 20 is not among the 21 evenly thinned values
    assert 20 in grid and len(grid) == 21 and grid == sorted(grid)
    assert Slider(1, 50, 1, value=2).grid()[:2] == [1, 2]  # next to an end: the end stays
    with pytest.raises(ValueError, match="max > min"):
        Slider(1, 1, 1)
    with pytest.raises(ValueError, match="outside"):
        Slider(0, 1, 0.1, value=2)


def test_player_has_one_frame_per_combination_with_alt_text():
    fig = make()
    html = fig.static_html()
    payload = json.loads(re.search(r'<script type="application/json">(.*?)</script>', html).group(1))
    assert payload["sizes"] == [5, 2, 2] and len(payload["frame_of"]) == 20 == len(set(payload["alts"]))
    # a = 0 draws the same flat line for "line" and "square": that image is stored once
    assert len(payload["frames"]) == 18 and payload["frame_of"][0] == payload["frame_of"][2]
    assert payload["alts"][0] == "A test figure (a = 0, name = line, show = off)"
    assert base64.b64decode(payload["frames"][0].split(",")[1])[:8] == b"\x89PNG\r\n\x1a\n"
    # the shown frame is the initial values' (a = 1 is index 2 of the slider)
    assert 'alt="A test figure (a = 1, name = line, show = off)"' in html
    assert 'aria-valuetext="1"' in html and "http" not in html


def test_mime_bundle_has_live_widget_static_player_and_stable_text():
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"}
    assert bundle["text/plain"] == ("Interactive figure: A test figure. "
                                    "Controls: a (slider), name (dropdown), show (toggle).")


class Calls:
    """The draws a figure made, here or in the forked workers that draw a player's frames
    (`lib._parallel`): each process appends a line to one file, read back as a list of tuples."""

    def __init__(self, path):
        self.path = path
        path.write_text("")

    def append(self, call):
        with open(self.path, "a") as f:
            f.write(json.dumps(call) + "\n")

    def list(self):
        return [tuple(json.loads(line)) for line in self.path.read_text().splitlines()]

    def __len__(self):
        return len(self.list())

    def __iter__(self):
        return iter(self.list())

    def __getitem__(self, index):
        return self.list()[index]

    def count(self, call):
        return self.list().count(call)


def make_live(path):
    """A slider of 41 values, of which the player's grid keeps the 21 even ones; records each draw."""
    calls = Calls(path)

    def draw_and_record(fig, a, name):
        calls.append((a, name))
        draw(fig, a / 20, name, False)

    fig = interactive_figure(draw_and_record, "A live figure", a=Slider(0, 40, 1, value=20),
                             name=Dropdown(["line", "square"]))
    return fig, calls


def test_live_widget_sends_the_grid_frames_and_draws_only_values_off_the_grid(tmp_path):
    fig, calls = make_live(tmp_path / "calls")
    live = fig.widget()
    # 21 x 2 drawings; a = 0 is the same flat line for both curves, so that frame is sent once
    assert len(calls) == 21 * 2 and len(live.frames) == 41 and all(f[:8] == b"\x89PNG\r\n\x1a\n" for f in live.frames)
    data = json.loads(live.data)
    assert data["labels"][0] == [str(a) for a in range(41)] and data["grid_at"][0][:4] == [0, -1, 1, -1]
    assert data["initial"] == [10, 0] and live.at == [20, 0] and fig.values == {"a": 20, "name": "line"}
    assert 'max="40"' in live.html and 'value="20"' in live.html
    live.at = [22, 1]  # the view moved to values with a frame: the kernel records them, draws nothing
    assert fig.values == {"a": 22, "name": "square"} and len(calls) == 42 and live.drawn == 0
    live.at = [21, 1]  # off the grid: the kernel draws the image and says for which values,
    # then draws ahead the next value off the grid the slider's way (20 has a frame: 19)
    assert calls[-2:] == [(21, "square"), (19, "square")] and live.drawn == 1 and live.image_at == [21, 1]
    assert live.image[:4] == b"\x89PNG" and live.alt == "A live figure (a = 21, name = square)"
    live.at = [22, 1]  # on the grid; ahead: 23
    live.at = [21, 1]  # drawn before: the same image again, not drawn twice (19 is drawn already)
    assert len(calls) == 45 and calls[-1] == (23, "square") and live.drawn == 2 and live.image_at == [21, 1]


def test_the_kernel_draws_ahead_the_next_value_off_the_grid_a_slider_moves_to(tmp_path):
    """One slider moved one way: the first value off the grid within its next two that way is drawn
    and kept, then shown without a drawing; nothing ahead for a menu, for two controls moved at once,
    beyond the slider's end, or when the next two are drawn or on the grid."""
    fig, calls = make_live(tmp_path / "calls")
    live = fig.widget()
    grid = len(calls)
    live.at = [22, 0]  # 21 and 23 are off the grid: 23 is drawn ahead
    assert calls[grid:] == [(23, "line")] and live.drawn == 0
    live.at = [23, 0]  # shown without a drawing; ahead: 24 has a frame, 25 is drawn
    assert calls[grid:] == [(23, "line"), (25, "line")] and live.drawn == 1 and live.image_at == [23, 0]
    live.at = [23, 1]  # the menu moved: the square's 23 is drawn, nothing ahead
    live.at = [25, 0]  # two controls at once: 25 (drawn ahead) shown, nothing ahead
    assert calls[grid:] == [(23, "line"), (25, "line"), (23, "square")] and live.drawn == 3
    live.at = [40, 0]  # to the slider's end (on the grid): nothing beyond it
    live.at = [39, 0]  # drawn, then ahead the other way: 37
    assert calls[grid + 3:] == [(39, "line"), (37, "line")]


def test_a_redraw_leaves_nothing_of_the_drawing_before():
    """The same image for values drawn after other values as for them drawn first (subfigures,
    a figure legend, a suptitle and a hand layout included)."""

    def busy(fig, k):
        if k:
            style.hand_layout(fig)
            fig.subplots_adjust(left=0.2)
        for n, sub in enumerate(fig.subfigures(1, 1 + k, squeeze=False).ravel()):
            sub.subplots(1 + k, 1, squeeze=False)[0, 0].plot(range(3 + n), label=f"line {n}")
        fig.legend(loc="outside upper center")
        fig.suptitle(f"k = {k}")

    with matplotlib.rc_context(style.STYLE):  # constrained layout, unless a drawing lays out by hand
        first = interactive_figure(busy, "busy", k=Slider(0, 2, 1))
        after = interactive_figure(busy, "busy", k=Slider(0, 2, 1))
        after.png(k=2)
        after.png(k=1)
        assert after.png(k=0) == first.png(k=0)


def test_a_kernel_drawing_collects_garbage_among_its_own_objects_only():
    """While the kernel draws values off the grid, the objects that were there before are frozen
    (`gc.freeze`: a collection in the drawing skips them) and afterwards no longer; an outside freeze
    is left as it was."""
    frozen = []

    def draw_and_record(fig, a):
        frozen.append(gc.get_freeze_count())
        draw(fig, a / 20, "line", False)

    fig = interactive_figure(draw_and_record, "A live figure", a=Slider(0, 40, 1, value=20))
    live = fig.widget()
    before = len(frozen)
    live.at = [21]  # off the grid: drawn here (and 23 drawn ahead)
    assert len(frozen) == before + 2 and min(frozen[before:]) > 1000 and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        live.at = [27]  # 27 drawn, 29 ahead
        assert len(frozen) == before + 4 and gc.get_freeze_count() > 1000  # not unfrozen by the drawing
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("draw,values", [
    (activations_beyond_relu.activation_and_derivative, {"name": "elu", "param": 0.5}),
    (initialization.layer_statistics, {"init": "kaiming_normal", "activation": "relu"}),
    (reading_list.singular_values, {"depth": 5}),
])
def test_chapter_figures_render_as_interactive_figures(draw, values):
    fig = interactive_figure(draw, "a chapter figure", unused=Toggle())
    pixels = fig.render(**values)
    assert pixels.shape == (320, 500, 4) and pixels.std() > 0  # the default 5 x 3.2 in at 100 dpi


def test_bad_controls_raise():
    with pytest.raises(ValueError, match="at least one control"):
        interactive_figure(draw, "x")
    with pytest.raises(TypeError, match="must be a Control"):
        interactive_figure(draw, "x", a=[1, 2])


def test_sliders_offer_only_values_in_their_range_and_players_stay_light():
    with pytest.raises(ValueError, match="whole number of steps"):
        Slider(0, 1, 0.6)  # would offer 0, 0.6 and 1.2
    start = time.perf_counter()
    with pytest.raises(ValueError, match="at most 10,000"):
        Slider(0, 1, 1e-7)
    assert time.perf_counter() - start < 0.1  # refused before any grid is built
    assert Slider(0.0, 1.0, 0.1).values()[-1] == 1.0
    too_many = interactive_figure(draw, "big", a=Slider(0, 20, 1), name=Dropdown(list("abcdefghijklm")))
    with pytest.raises(ValueError, match="273 frames"):
        too_many.static_html()


def make_with_when(path, start="line"):
    """A slider that matters only for two of the three curves ("flat" ignores it); records each draw."""
    calls = Calls(path)

    def draw_and_record(fig, name, a):
        calls.append((name, a))
        draw(fig, 0.0 if name == "flat" else a, "line" if name == "flat" else name, False)

    fig = interactive_figure(draw_and_record, "A test figure", name=Dropdown(["line", "square", "flat"], value=start),
                             a=Slider(0, 2, 1, value=1, when={"name": ["line", "square"]}))
    return fig, calls


def player_data(html):
    return json.loads(re.search(r'<script type="application/json">(.*?)</script>', html).group(1))


def test_a_control_with_when_is_drawn_only_where_it_is_enabled(tmp_path):
    fig, calls = make_with_when(tmp_path / "calls")
    payload = player_data(fig.static_html())
    # 2 curves x 3 slider values + "flat" once: 7 drawings, not 9
    assert len(calls) == 7 and calls.count(("flat", 1)) == 1 and not any(n == "flat" and a != 1 for n, a in calls)
    assert payload["sizes"] == [3, 3] and len(payload["frame_of"]) == 9
    flat = payload["frame_of"][6:]  # name = "flat" (index 2) with each of the 3 slider values
    assert len(set(flat)) == 1 and flat[0] == payload["frame_of"][6 + 1]  # the frame drawn at a = 1 (index 1)
    assert payload["alts"][6] == payload["alts"][8] == "A test figure (name = flat)"  # no slider value
    assert payload["alts"][2] == "A test figure (name = line, a = 2)"
    assert payload["when"] == [None, [[0, [0, 1]]]]  # the slider needs control 0 at option 0 or 1


def test_the_player_starts_a_disabled_control_disabled_and_greys_it(tmp_path):
    enabled = make_with_when(tmp_path / "enabled", "line")[0].static_html()
    disabled = make_with_when(tmp_path / "disabled", "flat")[0].static_html()
    slider = re.compile(r'<input type="range"[^>]*>')
    assert "disabled" not in slider.search(enabled).group(0)
    assert slider.search(disabled).group(0).endswith(" disabled>")
    assert re.search(r'<label style="opacity:.5">a <input type="range"', disabled)
    assert re.search(r'<output data-for="1" style="opacity:.5">', disabled)
    assert 'alt="A test figure (name = flat)"' in disabled
    assert enabled.count('<script type="module">') == disabled.count('<script type="module">') == 1


def test_players_without_when_carry_no_when_data_or_script():
    html = interactive_figure(draw, "x", show=Toggle(), a=Slider(0, 1, 1), name=Dropdown(["line"])).static_html()
    assert "when" not in player_data(html) and "disabled" not in html.split("<script")[0]


def test_live_widget_ignores_a_disabled_control(tmp_path):
    fig, calls = make_with_when(tmp_path / "calls")
    live = fig.widget()
    assert calls.count(("flat", 1)) == 1 and json.loads(live.data)["when"] == [None, [[0, [0, 1]]]]
    live.at = [2, 2]  # "flat" with a = 2: a does nothing there, so the frame of a = 1 serves
    assert fig.values == {"name": "flat", "a": 2} and live.drawn == 0 and len(calls) == 7


def test_when_is_checked():
    line = Dropdown(["line", "square"])
    with pytest.raises(ValueError, match="'nme', which is not another control"):
        interactive_figure(draw, "x", name=line, a=Slider(0, 1, 0.5, when={"nme": ["line"]}))
    with pytest.raises(ValueError, match=r"\['lin'\], which 'name' never takes"):
        interactive_figure(draw, "x", name=line, a=Slider(0, 1, 0.5, when={"name": ["lin", "line"]}))
    with pytest.raises(ValueError, match="has a `when` of its own"):
        interactive_figure(draw, "x", name=line, show=Toggle(when={"name": ["line"]}),
                           a=Slider(0, 1, 0.5, when={"show": [True]}))
    with pytest.raises(ValueError, match="would never be enabled"):
        interactive_figure(draw, "x", name=line, a=Slider(0, 1, 0.5, when={"name": []}))
    with pytest.raises(TypeError, match="must be a list of values"):
        interactive_figure(draw, "x", name=line, a=Slider(0, 1, 0.5, when={"name": "line"}))
    with pytest.raises(TypeError, match="must be a dict"):
        interactive_figure(draw, "x", name=line, show=Toggle(when=["name"]))


def test_player_script_disables_and_greys_a_control_in_a_browser(browser, tmp_path):
    """The player's own JavaScript, in headless Chromium: the slider is disabled (and its label and
    value greyed) exactly while the menu shows "flat", and the frame and alt text follow the controls."""
    fig, _ = make_with_when(tmp_path / "calls", "line")
    page_file = tmp_path / "player.html"
    page_file.write_text(f"<!doctype html><html><body>{fig.static_html()}</body></html>")
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(page_file.as_uri())
    menu, slider, image = page.locator("select"), page.locator("input[type=range]"), page.locator("img")

    def state():
        greyed = slider.evaluate("e => [e.closest('label').style.opacity, e.parentNode.nextSibling.style.opacity]")
        return slider.is_disabled(), greyed, image.get_attribute("alt")

    assert state() == (False, ["", ""], "A test figure (name = line, a = 1)")
    menu.select_option(label="flat")
    assert state() == (True, ["0.5", "0.5"], "A test figure (name = flat)")
    flat = image.get_attribute("src")
    menu.select_option(label="square")
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert state() == (False, ["", ""], "A test figure (name = square, a = 2)")
    menu.select_option(label="flat")  # the slider is at a = 2 now: "flat" shows the one frame it has
    assert image.get_attribute("src") == flat and state()[0] is True
    assert errors == []
    page.close()


FAKE_MODEL = """([state, frames]) => {
    const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    state.frames = frames.map(bytes);
    const listeners = {};
    window.model = {
        state, listeners, sent: [],
        get(key) { return this.state[key]; },
        set(key, value) { this.state[key] = value; },
        save_changes() { this.sent.push(this.state.at); },
        on(event, f) { (listeners[event] = listeners[event] || []).push(f); },
        off() {},
        kernel(image, at, alt) {  // what anywidget does when the kernel's drawing arrives
            Object.assign(this.state, {image: bytes(image), image_at: at, alt, drawn: this.state.drawn + 1});
            (listeners["change:drawn"] || []).forEach((f) => f());
        },
    };
    window.nncRender({model: window.model, el: document.getElementById("el")});
}"""


def test_live_view_shows_grid_frames_at_once_and_the_kernels_image_off_the_grid(browser, tmp_path):
    """player.js's `render` (anywidget's entry point) in headless Chromium, with a stand-in for the
    widget's model: a move to a value with a frame shows it at once and tells the kernel; a move off
    the grid waits for the kernel's image, and a late image for earlier values is not shown."""
    fig, _ = make_live(tmp_path / "calls")
    live = fig.widget()
    page_file = tmp_path / "live.html"
    module = (Path(widgets.__file__).parent / "player.js").read_text()
    page_file.write_text('<!doctype html><html><body><div id="el"></div><script type="module">'
                         f"{module}\nwindow.nncRender = render;</script></body></html>")
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.nncRender")
    state = {"html": live.html, "data": live.data, "at": live.at, "image": "", "image_at": [], "alt": "", "drawn": 0}
    page.evaluate(FAKE_MODEL, [state, [base64.b64encode(f).decode() for f in live.frames]])
    slider, image, root = page.locator("input[type=range]"), page.locator("img"), page.locator(".nnc-player")
    assert image.get_attribute("alt") == "A live figure (a = 20, name = line)"
    assert image.get_attribute("src").startswith("blob:")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # a = 22: a frame of the grid, shown in the same event
    assert image.get_attribute("alt") == "A live figure (a = 22, name = line)"
    assert root.get_attribute("data-waiting") is None
    # the kernel is told once the frame is on screen: the values after the last move (a = 21 may be
    # told first, when its frame was painted before the second key arrived; a timeout here fails)
    page.wait_for_function("() => JSON.stringify(model.sent.at(-1)) === '[22,0]'")
    on_grid = image.get_attribute("src")
    page.keyboard.press("ArrowLeft")  # a = 21: no frame; the kernel is told at once, the image waits
    assert root.get_attribute("data-waiting") == "" and image.get_attribute("src") == on_grid
    assert page.locator("output").text_content() == "21" and page.evaluate("model.sent").pop() == [21, 0]
    live.at = [21, 0]  # what the kernel does with the view's message
    page.evaluate("([image, at, alt]) => model.kernel(image, at, alt)",
                  [base64.b64encode(live.image).decode(), live.image_at, live.alt])
    page.wait_for_function("() => !document.querySelector('.nnc-player').hasAttribute('data-waiting')")
    assert image.get_attribute("alt") == "A live figure (a = 21, name = line)"
    page.keyboard.press("ArrowRight")  # back on the grid before a (late) drawing of a = 21 arrives
    page.evaluate("([image, at, alt]) => model.kernel(image, at, alt)",
                  [base64.b64encode(live.image).decode(), [21, 0], "late"])
    assert image.get_attribute("alt") == "A live figure (a = 22, name = line)" and image.get_attribute("src") == on_grid
    assert errors == []
    page.close()
