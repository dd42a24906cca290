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
        assert "after 25 layers" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="depth"):
        figures.random_walks(Figure(), depth=experiments.WALK_DEPTH + 1, width=20, walks=10)
    # the walks the chapter prints are the figure's: the same cached arrays
    assert experiments.log_norm_walks("relu", "he", width=20, walks=10) is experiments.log_norm_walks("relu", "he", 20, 10)
