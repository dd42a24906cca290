"""The normalization page's figures: `lib.figures.normalization` draws what it is given."""

from types import SimpleNamespace

import numpy as np
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


def test_activation_histograms_draw_a_snapshot(monkeypatch):
    """The map is replaced by a stand-in that names the rate, so the test trains two small runs."""
    best = {"no norm": SimpleNamespace(best_rate=0.1), "BN": SimpleNamespace(best_rate=1.0)}
    monkeypatch.setattr(figures, "trainability_map", lambda: {(figures.FIGURE_DEPTH, 0.1): best})
    figures._training_snapshots.cache_clear()
    for norm in ("no norm", "BN"):
        fig = Figure()
        figures.activation_histograms(fig, norm, 0.1, figures.FIGURE_STEPS[-1])
        assert len(fig.axes) == 2 and f"{norm}," in fig._suptitle.get_text()
        snapshots, lr = figures._training_snapshots(norm, 0.1)
        assert lr == best[norm].best_rate and set(snapshots) == set(figures.FIGURE_STEPS)
    figures._training_snapshots.cache_clear()
