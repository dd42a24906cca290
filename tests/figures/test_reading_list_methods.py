"""The reading list's second page's figures: `lib.figures.reading_list_methods`, at the sizes the
page draws them (style.WIDTH wide): every text at least style.SMALL, and the legend above the axes,
clear of every panel and title, in every frame of the Fixup player (its extreme depths)."""

import re

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from lib.experiments.reading_list_methods import FIXUP_MAX_BLOCKS
from lib.figures import reading_list_methods as figures
from lib.figures import style


def drawn(draw, figsize, **values):
    """draw(fig, **values) into a figure of figsize with the course style, laid out and rendered."""
    style.setup()
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    draw(fig, **values)
    fig.canvas.draw()
    return fig


def assert_readable_with_the_legend_above(fig):
    renderer = fig.canvas.get_renderer()
    assert fig.get_size_inches()[0] <= style.WIDTH
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts and min(t.get_fontsize() for t in texts) >= style.SMALL
    assert all(ax.get_legend() is None for ax in fig.axes)  # no legend inside a panel
    assert len(fig.legends) == 1
    legend = fig.legends[0].get_window_extent(renderer)
    for ax in fig.axes:
        panel = ax.get_window_extent(renderer)
        assert not legend.overlaps(panel) and legend.y0 >= panel.y1
        assert not legend.overlaps(ax.title.get_window_extent(renderer))
    assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width and legend.y1 <= fig.bbox.height


def test_krahenbuhl_layers_stacks_the_two_panels_under_one_legend():
    fig = drawn(figures.krahenbuhl_layers, (5.0, 4.6))
    top, bottom = fig.axes
    assert top.get_position().y0 > bottom.get_position().y1  # one above the other, full width
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["within", "within+between"]
    assert_readable_with_the_legend_above(fig)


@pytest.mark.parametrize("blocks", [1, 4, FIXUP_MAX_BLOCKS])
def test_fixup_variance_frames_keep_the_legend_off_the_curves(blocks):
    fig = drawn(figures.fixup_variance, (5.0, 3.4), blocks=blocks)
    assert_readable_with_the_legend_above(fig)
    assert f"{blocks} blocks" in fig.axes[0].get_title()


@pytest.mark.parametrize("blocks", [0, FIXUP_MAX_BLOCKS + 1])
def test_fixup_variance_rejects_depths_off_its_axes(blocks):
    with pytest.raises(ValueError, match="blocks"):
        figures.fixup_variance(Figure(), blocks=blocks)


def test_lottery_labels_the_rounded_shares_and_keeps_the_legend_above(monkeypatch):
    remaining = np.array([[1.0, 0.6484, 0.4219]] * 2)  # two seeds, three rounds
    accuracy = np.array([[0.97, 0.95, 0.93], [0.96, 0.94, 0.90]])
    runs = {"remaining": remaining, "ticket": accuracy, "random": accuracy - 0.2,
            "rescaled": accuracy - 0.1}
    monkeypatch.setattr(figures, "lottery_runs", lambda seeds: runs)
    fig = drawn(figures.lottery, (5.0, 3.8), seeds=(0, 1))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["100.0", "64.8", "42.2"]
    assert_readable_with_the_legend_above(fig)


@pytest.mark.parametrize("blocks", [1, 16, FIXUP_MAX_BLOCKS])
def test_fixup_variance_states_the_depth_once(blocks):
    fig = drawn(figures.fixup_variance, (5.0, 3.4), blocks=blocks)
    texts = [fig.axes[0].get_title(), fig.legends[0].get_title().get_text()]
    assert sum(len(re.findall(rf"\b{blocks}\b", t)) for t in texts) == 1, texts
    assert f"L = {blocks}" in texts[0]
