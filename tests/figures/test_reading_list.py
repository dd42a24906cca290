"""The reading list's figures: `lib.figures.reading_list`."""

import pytest


def test_figures_draw_and_check_their_depth():
    from matplotlib.figure import Figure

    from lib.experiments import reading_list as experiments
    from lib.figures import reading_list as figures

    fig = Figure()
    figures.glorot_layer_stds(fig, depth=3, width=40, n=20)
    assert len(fig.axes) == 2
    for _, walk in experiments.WALKS:
        fig = Figure()
        figures.random_walks(fig, walk=walk, depth=25, width=20, walks=10)
        assert "after 25 layers" in fig.legends[0].get_title().get_text()
    with pytest.raises(ValueError, match="depth"):
        figures.random_walks(Figure(), depth=experiments.WALK_DEPTH + 1, width=20, walks=10)
    # the walks the chapter prints are the figure's: the same cached arrays
    assert experiments.log_norm_walks("relu", "he", width=20, walks=10) is experiments.log_norm_walks("relu", "he", 20, 10)


def _data_under_legends(fig):
    """The labels of the lines, bands and bars of which a point drawn inside its axes lies in a
    legend's box, measured in pixels on the rendered figure."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    covered = []
    for ax in fig.axes:
        inside = ax.get_window_extent(renderer)
        for artist in [*ax.lines, *ax.collections, *ax.patches]:
            if hasattr(artist, "get_xydata"):  # a line: points every 1/20 of each segment
                xy = artist.get_xydata()
                t = np.linspace(0, 1, 20)[:, None, None]
                points = (xy[:-1] * (1 - t) + xy[1:] * t).reshape(-1, 2)
            else:
                paths = artist.get_paths() if hasattr(artist, "get_paths") else [artist.get_path()]
                points = np.concatenate([p.vertices for p in paths])
            pixels = ax.transData.transform(points)
            pixels = pixels[[inside.contains(x, y) for x, y in pixels]]
            for legend in legends:
                box = legend.get_window_extent(renderer)
                if any(box.contains(x, y) for x, y in pixels):
                    covered.append(artist.get_label())
    return covered


def test_legends_cover_no_data_in_any_frame():
    from matplotlib.figure import Figure

    from lib.experiments import reading_list as experiments
    from lib.figures import reading_list as figures
    from lib.figures import style

    style.setup()  # the page's layout: constrained, the legends above the axes
    for _, walk in experiments.WALKS:
        for depth in (25, experiments.WALK_DEPTH):  # the player's two depths
            fig = Figure(figsize=(style.WIDTH, 3.4))
            figures.random_walks(fig, walk=walk, depth=depth)
            assert not _data_under_legends(fig), (walk, depth)
    for depth in (1, figures.MAX_DEPTH):  # the legend sits inside, at the upper left
        fig = Figure(figsize=(style.WIDTH, 3.2))
        figures.singular_values(fig, depth=depth)
        assert not _data_under_legends(fig), depth
    fig = Figure(figsize=(style.WIDTH, 5.2))
    figures.glorot_layer_stds(fig, depth=5, width=200, n=50)
    assert not _data_under_legends(fig)


def test_walk_frames_hold_every_walk_and_band():
    """Every frame of the walks player (each walk, depth 25 and 100) has the same y limits, and
    its walks and mean +- std band lie inside them: none is cut off at the bottom (the ReLU,
    g = sqrt(2) walks reach about -13 at depth 100)."""
    import numpy as np
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

    from lib.experiments import reading_list as experiments
    from lib.figures import reading_list as figures

    limits = set()
    for _, walk in experiments.WALKS:
        for depth in (25, experiments.WALK_DEPTH):
            fig = Figure()
            figures.random_walks(fig, walk=walk, depth=depth)
            ax = fig.axes[0]
            low, high = ax.get_ylim()
            limits.add((low, high))
            walks = [line.get_ydata() for line in ax.lines]  # the walks, their mean, the 0 line
            band = [c for c in ax.collections if isinstance(c, PolyCollection)]
            ys = np.concatenate([*(np.asarray(y, float) for y in walks),
                                 *(p.vertices[:, 1] for c in band for p in c.get_paths())])
            assert band and low <= ys.min() and ys.max() <= high, (walk, depth, ys.min(), ys.max())
            # and by hand: the drawn walks and band, from the cached walks themselves
            logs = experiments.log_norm_walks(*walk)[:, : depth + 1]
            mean, std = logs.mean(axis=0), logs.std(axis=0)
            assert low <= min(logs[:25].min(), (mean - std).min())
            assert max(logs[:25].max(), (mean + std).max()) <= high
    assert len(limits) == 1  # fixed across frames, so they compare


def test_singular_values_orthogonal_spike_is_an_outline_on_top():
    """At depth 1 the Gaussian bars near 1 stay visible: the orthogonal spike is drawn unfilled,
    above them."""
    from matplotlib.figure import Figure

    from lib.figures import reading_list as figures
    from lib.figures import style

    fig = Figure()
    figures.singular_values(fig, depth=1)
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    assert labels[0].startswith("Gaussian") and labels[1].startswith("orthogonal")
    gaussian = handles[0]
    spike = [p for p in ax.patches if p is not gaussian]
    assert spike and all(not p.get_fill() and p.get_zorder() > gaussian.get_zorder() for p in spike)
    assert sum(p.get_height() for p in spike) == 64  # all 64 values at 1, no empty bins drawn
    assert fig.get_size_inches()[0] <= style.WIDTH
