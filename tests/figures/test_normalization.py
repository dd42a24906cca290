"""The normalization page's figures: `lib.figures.normalization` draws what it is given."""

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

from lib.figures import normalization as figures
from lib.propagation import deep_stack


def test_layer_stds_draws_one_line_per_setting_in_each_panel():
    tables = {(std, label): deep_stack(np.random.default_rng(0), std, "tanh", depth=3, width=16, n=16,
                                       norm=None if label == "no norm" else "batch").table()
              for std in (0.01, 1.0) for label in ("no norm", "BN")}
    fig = Figure()
    figures.layer_stds(fig, tables)
    assert len(fig.axes) == 2 and all(len(ax.lines) == 4 for ax in fig.axes)


def test_layer_stds_legend_sits_above_the_panels_in_a_column_per_norm():
    """The six-line legend covered the lines' lower left at 9 pt; now it is the figure's, above both
    panels, at least SMALL, the no-norm entries in its left column."""
    import matplotlib.pyplot as plt

    from lib.figures import style

    tables = {(std, label): np.full((10, 4), 0.5) for std in (0.01, 0.05, 1.0) for label in ("no norm", "BN")}
    fig = plt.figure(figsize=(style.WIDTH, 5.2), layout="constrained")  # as style.setup() sets
    figures.layer_stds(fig, tables)
    fig.canvas.draw()
    (legend,) = fig.legends
    top = max(ax.get_window_extent().y1 for ax in fig.axes)
    assert legend.get_window_extent().y0 >= top and all(ax.get_legend() is None for ax in fig.axes)
    assert all(text.get_fontsize() >= style.SMALL for text in legend.get_texts())
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels[:3] == ["no norm, std 0.01", "no norm, std 0.05", "no norm, std 1"] and legend._ncols == 2
    plt.close(fig)


@pytest.fixture
def player_frames(monkeypatch):
    """Every frame of the player, drawn as the page draws it (5 x 3.6 in, the course style): {(norm,
    std, step): Figure}. The map is replaced by a stand-in that names the rates, so the test trains
    the four small runs of FIGURE_STEPS steps, not the map."""
    import matplotlib.pyplot as plt

    from lib.figures import style

    style.setup()
    best = {"no norm": SimpleNamespace(best_rate=0.1), "BN": SimpleNamespace(best_rate=1.0)}
    monkeypatch.setattr(figures, "trainability_map",
                        lambda: {(figures.FIGURE_DEPTH, std): best for std in figures.FIGURE_STDS})
    figures._training_snapshots.cache_clear()
    figures._player_ranges.cache_clear()
    frames = {}
    for frame in itertools.product(figures.FIGURE_NORMS, figures.FIGURE_STDS, figures.FIGURE_STEPS):
        frames[frame] = plt.figure(figsize=(5, 3.6))
        figures.activation_histograms(frames[frame], *frame)
        frames[frame].canvas.draw()
    yield frames
    for fig in frames.values():
        plt.close(fig)
    figures._training_snapshots.cache_clear()
    figures._player_ranges.cache_clear()


def test_activation_histograms_draw_a_snapshot(player_frames):
    for (norm, std, step), fig in player_frames.items():
        assert len(fig.axes) == 2 and fig._suptitle.get_text().startswith(f"{norm}, W ~ N(0, {std:g}^2), lr ")
        snapshots, lr = figures._training_snapshots(norm, std)
        assert lr == (0.1 if norm == "no norm" else 1.0) and set(snapshots) == set(figures.FIGURE_STEPS)


def test_every_player_frame_shows_all_its_data_on_the_same_axes(player_frames):
    """The old fixed ranges lost data: without BN at std 0.01, layers 6-9 have stds below the left
    panel's 1e-6 at step 0; and BN's shares (a few % per bin) lay flat on a 0..1 axis. Now every
    layer's std (by hand: h.std()) and every nonzero share is inside its panel, in one range for all
    frames, and each frame's tallest bar reaches at least half its panel's (log) height."""
    limits = set()
    for (norm, std, step), fig in player_frames.items():
        left, right = fig.axes
        hidden = figures._training_snapshots(norm, std)[0][step]
        stds = np.array([h.std() for h in hidden])
        shares = np.concatenate([np.histogram(hidden[layer - 1], bins=40, range=(-1, 1))[0] / hidden[layer - 1].size
                                 for layer in figures.SHOWN_LAYERS])
        shares = shares[shares > 0]
        (lo, hi), (share_lo, share_hi) = left.get_ylim(), right.get_ylim()
        assert lo <= stds.min() and stds.max() <= hi, (norm, std, step)
        assert right.get_yscale() == "log" and left.get_yscale() == "log"
        assert share_lo <= shares.min() and shares.max() <= share_hi, (norm, std, step)
        height = np.log(shares.max() / share_lo) / np.log(share_hi / share_lo)
        assert height >= 0.5, (norm, std, step, height)
        np.testing.assert_allclose(left.lines[0].get_ydata(), stds)
        limits.add((lo, hi, share_lo, share_hi))
    assert len(limits) == 1
    (lo, hi, *_), = limits
    assert lo < 1e-11  # no norm, std 0.01, step 0: layer 9's std is below 1e-11


def test_player_legend_names_the_layers_above_the_panels_under_the_title(player_frames):
    from lib.figures import style

    for fig in player_frames.values():
        (legend,) = fig.legends
        assert all(ax.get_legend() is None for ax in fig.axes)
        assert [text.get_text() for text in legend.get_texts()] == [f"layer {n}" for n in figures.SHOWN_LAYERS]
        assert all(text.get_fontsize() >= style.SMALL for text in legend.get_texts())
        box = legend.get_window_extent()
        titles = [ax.title.get_window_extent() for ax in fig.axes]
        assert box.y0 >= max(t.y1 for t in titles) and box.y1 <= fig._suptitle.get_window_extent().y0
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width


def test_activation_histograms_refuse_a_frame_the_player_has_not():
    with pytest.raises(ValueError, match="std"):
        figures.activation_histograms(Figure(), "BN", 0.1, 0)
