"""The initialization page's figures: `lib.figures.initialization` draws what it is given, in a
layout a phone's column reads (style.WIDTH wide, legends off the data)."""

import functools

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lib.figures import initialization as figures
from lib.figures import style
from lib.propagation import deep_stack


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


# Every frame of the 'Try it' player: activation x init x depth, as chapters/initialization.ipynb offers.
FRAMES = [(activation, init, depth) for activation in ("tanh", "relu") for _, init in figures.INITS
          for depth in (10, 20)]


@functools.cache
def _frame(activation, init, depth):
    return _drawn((5, 5.4), figures.layer_statistics, activation=activation, init=init, depth=depth)


@pytest.mark.parametrize("activation,init,depth", FRAMES)
def test_layer_statistics_std_axis_labels_every_value(activation, init, depth):
    """Every std drawn lies inside the axis and within a decade of a labelled tick (tanh with std 1
    at depth 20 has gradients of std ~3e5, once drawn above the top label, 1)."""
    ax = _frame(activation, init, depth).axes[0]
    values = np.concatenate([line.get_ydata() for line in ax.get_lines()])
    assert values.size == 2 * depth
    bottom, top = ax.get_ylim()
    ticks = [t for t in ax.get_yticks() if bottom <= t <= top]
    assert bottom < values.min() and values.max() < top
    assert ticks[0] / 10 <= values.min() and values.max() <= ticks[-1] * 10, (ticks, values.min(), values.max())
    assert 1.0 in ticks and len(ticks) <= 5


@pytest.mark.parametrize("activation,init,depth", FRAMES)
def test_layer_statistics_shows_every_listed_layer(activation, init, depth):
    """Each layer of the legend shows in each histogram panel: at least 100 pixels of its colour inside
    the panel. (With std 0.01 the layers after the first collapse into the same spike at 0; drawn
    with one style, the last one hid the middle one.)"""
    fig = _frame(activation, init, depth)
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    for ax in fig.axes[1:]:
        x0, y0, x1, y1 = ax.get_window_extent().extents
        panel = rgb[int(rgb.shape[0] - y1):int(rgb.shape[0] - y0), int(x0):int(x1)]
        handles, labels = ax.get_legend_handles_labels()
        assert labels == [f"layer {l}" for l in sorted({1, (depth + 1) // 2, depth})]
        for handle, label in zip(handles, labels):
            colour = 255 * np.array(mpl.colors.to_rgb(handle.get_edgecolor()))
            shown = int((np.linalg.norm(panel - colour, axis=-1) < 60).sum())
            assert shown >= 100, (ax.get_xlabel(), label, shown)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_layer_statistics_histogram_range_fits_the_activations(activation):
    """ReLU's activations are >= 0: their panel spans [0, m], no empty left half; tanh's and the
    gradients' spans stay symmetric. The ranges are checked against the network's values by hand."""
    stack = deep_stack(np.random.default_rng(0), "kaiming_normal", activation, depth=10, width=128, n=128)
    h_axis, g_axis = _frame(activation, "kaiming_normal", 10).axes[1:]
    m = max(np.percentile(np.abs(stack.hidden[l - 1]), 99.5) for l in (1, 5, 10))
    low, high = h_axis.get_xticks()[[0, -1]]
    assert high == pytest.approx(m)
    assert low == (0.0 if activation == "relu" else pytest.approx(-m))
    assert (min(h.min() for h in stack.hidden) >= 0) == (activation == "relu")
    g_low, g_high = g_axis.get_xticks()[[0, -1]]
    assert g_low == pytest.approx(-g_high)
