"""The initialization page's figures: `lib.figures.initialization` draws what it is given, in a
layout a phone's column reads (style.WIDTH wide, legends off the data)."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lib.figures import initialization as figures
from lib.figures import style


def _drawn(figsize, draw, *args, **kwargs):
    style.setup()
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    draw(fig, *args, **kwargs)
    fig.canvas.draw()
    return fig


def test_layer_histograms_title_every_layer_with_its_std_five_to_a_row():
    rng = np.random.default_rng(0)
    layers = [rng.normal(0, 10.0**-k, 200) for k in range(7)]  # 7 layers: a last row of 2
    fig = _drawn((5, 5.6), figures.draw_layer_histograms, {"h": layers, "g": layers[::-1]})
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 14 and len(fig.axes) == 20  # 2 quantities x 2 rows of 5, 3 left empty
    titles = [ax.get_title() for ax in shown[:7]]
    assert titles == [f"layer {l}\n{np.std(v):.0e}" for l, v in enumerate(layers, start=1)]
    assert titles[0].endswith("1e+00") and titles[-1].endswith("1e-06")  # by hand: std 10**-k
    first_row = {round(ax.get_position().y0, 3) for ax in shown[:5]}
    assert len(first_row) == 1  # layers 1-5 side by side


@pytest.mark.parametrize("init,activation", [(0.01, "tanh"), (1.0, "relu"), ("kaiming_normal", "relu")])
def test_layer_statistics_legends_sit_off_every_axes(init, activation):
    """At the player's extreme settings (vanishing, exploding, balanced) no legend overlaps the
    area of any panel, so none covers a curve or a spike."""
    fig = _drawn((5, 5.4), figures.layer_statistics, activation=activation, init=init, depth=20)
    renderer = fig.canvas.get_renderer()
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert len(legends) == 2 and len(fig.axes) == 3
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes), legend
    std_axes, *histogram_axes = fig.axes
    assert all(ax.get_position().y1 < std_axes.get_position().y0 for ax in histogram_axes)  # below it
