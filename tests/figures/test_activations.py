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
