"""The activations page's figures: `lib.figures.activations`."""

import numpy as np
import pytest

from lib.figures import activations as figures
from lib.figures import style


def test_sgd_paths_put_the_legend_above_the_axes_clear_of_every_path():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.WIDTH, 4.4), layout="constrained")
    path = np.array([[0.0, 0.0], [1.2, -0.7], [1.0, -1.0]])
    figures.sgd_paths(fig, {"a path": path}, np.array([1.0, -1.0]))
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1  # above the axes: it covers no point
    assert legend.x1 <= fig.bbox.x1  # and inside the figure's width
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a path", "target"]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_legend_above_moves_an_activation_cards_legend_above_its_axes_within_the_width(name):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.WIDTH, 2.6), layout="constrained")
    style.activation_card(fig, name, x_max=6)
    figures.legend_above(fig)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend()
    box = legend.get_window_extent()
    assert box.y0 >= ax.get_window_extent().y1  # above the axes: it covers no curve
    assert box.x1 <= fig.bbox.x1
    assert legend.get_title().get_text() == name and ax.get_title() == ""  # the card's title, once
    assert [t.get_text() for t in legend.get_texts()] == ["|f'| < 0.01 to the end", "f(x)", "f'(x)"]
