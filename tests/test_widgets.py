"""The interactive-figure helper: grids, the live widget, the static player, its mime bundle."""

import base64
import json
import re
import time

import numpy as np
import pytest

from lib import data
from lib.scenes import activations, initialization, preprocessing, reading_list
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


def test_live_controls_redraw_the_image():
    fig = make()
    box = fig.widget()
    image = box.children[1]
    before = image.value
    fig.inputs["name"].value = "square"
    assert image.value != before and image.value[:4] == b"\x89PNG"


@pytest.mark.parametrize("draw,values", [
    (activations.activation_and_derivative, {"name": "elu", "param": 0.5}),
    (lambda fig, step: preprocessing.preprocessing_step(fig, data.correlated_cloud(np.random.default_rng(0)), step,
                                                   X_test=np.zeros((3, 2))), {"step": "whitened"}),
    (initialization.layer_statistics, {"init": "kaiming_normal", "activation": "relu"}),
    (reading_list.singular_values, {"depth": 5}),
    (lambda fig: preprocessing.preprocessing_steps(fig, np.random.default_rng(0).standard_normal((50, 2))), {}),
])
def test_every_scene_renders(draw, values):
    fig = interactive_figure(draw, "a chapter figure", unused=Toggle())
    pixels = fig.render(**values)
    assert pixels.shape == (360, 640, 4) and pixels.std() > 0


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
