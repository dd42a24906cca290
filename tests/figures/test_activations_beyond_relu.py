"""The figures of "the ReLU family and beyond": `lib.figures.activations_beyond_relu`."""

import numpy as np
from matplotlib.figure import Figure

from lib.figures.activations_beyond_relu import activation_cards


def test_activation_cards_draw_one_titled_panel_per_name():
    fig = Figure(figsize=(5, 2.6))
    activation_cards(fig, ["leaky_relu", "prelu", "elu"])
    titles = [ax.get_title() for sub in fig.subfigs for ax in sub.axes]
    assert titles == ["leaky_relu", "prelu", "elu"]
    prelu = fig.subfigs[1].axes[0]
    f_line = prelu.get_lines()[0]  # f drawn first: PReLU's default alpha 0.25 on the negative side
    x, y = f_line.get_data()
    np.testing.assert_allclose(y[x < 0], 0.25 * x[x < 0])


def test_maxout_fit_draws_each_fit_with_a_singular_or_plural_label():
    from lib.figures.activations_beyond_relu import maxout_fit

    fig = Figure(figsize=(5, 3.2))
    x = np.linspace(-2, 2, 5)
    fits = {1: (np.array([0.0]), np.array([1.5])), 2: (np.array([1.0, -1.0]), np.array([0.0, 0.0]))}
    maxout_fit(fig, x, x**2, fits)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["target", "1 piece", "2 pieces"]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), 1.5)  # one piece: the constant 1.5
    np.testing.assert_allclose(ax.get_lines()[2].get_ydata(), np.abs(x))  # max(x, -x) = |x|


def test_activation_cards_share_one_legend_above_the_cards():
    fig = Figure(figsize=(5, 2.6), layout="constrained")
    activation_cards(fig, ["leaky_relu", "prelu"])
    assert all(ax.get_legend() is None for sub in fig.subfigs for ax in sub.axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["f(x)", "f'(x)"]  # no band on either card


def test_layer_moments_draw_the_mean_above_the_variance_of_each_layer():
    from lib.figures.activations_beyond_relu import draw_layer_moments

    fig = Figure(figsize=(5, 4.4), layout="constrained")
    layers = [np.array([1.0, 3.0]), np.array([-2.0, 0.0, 2.0])]  # means 2 and 0, variances 1 and 8/3
    draw_layer_moments(fig, {"a": layers})
    top, bottom = fig.axes
    assert top.get_position().y0 > bottom.get_position().y0  # stacked: mean on top
    np.testing.assert_allclose(top.get_lines()[0].get_ydata(), [2.0, 0.0])
    np.testing.assert_allclose(bottom.get_lines()[0].get_ydata(), [1.0, 8 / 3])
    assert bottom.get_yscale() == "log"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a"]


def test_layer_moments_keep_lines_that_coincide_visible():
    from lib.figures.activations_beyond_relu import draw_layer_moments

    fig = Figure(figsize=(5, 4.4), layout="constrained")
    layers = [np.array([-1.0, 1.0])] * 6  # three activations with the very same moments: lines on top of each other
    draw_layer_moments(fig, {"a": layers, "b": layers, "c": layers})
    for ax in fig.axes:
        lines = ax.get_lines()
        assert len({(line.get_linestyle(), line.get_marker()) for line in lines}) == 3
        assert all(line.get_marker() not in ("None", "", None) for line in lines)
        # each line's markers at its own layers (1, 4 / 2, 5 / 3, 6), so none hides another's
        marked = [tuple(line.get_xdata()[line.get_markevery()[0]::line.get_markevery()[1]]) for line in lines]
        assert marked == [(1, 4), (2, 5), (3, 6)]
    legend = [h.get_marker() for h in fig.legends[0].legend_handles]
    assert legend == [line.get_marker() for line in fig.axes[0].get_lines()]  # the legend shows the markers


def test_activation_player_titles_its_legend_above_the_axes_in_every_frame():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from lib import activations as act
    from lib.figures.activations_beyond_relu import activation_and_derivative

    for name, a in act.ACTIVATIONS.items():
        for param in [0.0, 1.0] if a.varied else [None]:  # the slider's ends
            fig = Figure(figsize=(5.0, 3.2), layout="constrained")  # as lib.widgets draws a frame
            FigureCanvasAgg(fig)
            activation_and_derivative(fig, name, param)
            fig.canvas.draw()
            (ax,) = fig.axes
            legend = ax.get_legend()
            title = f"{name}({a.varied}={param:g})" if a.varied else name
            assert ax.get_title() == "" and legend.get_title().get_text() == title, (name, param)
            assert [t.get_text() for t in legend.get_texts()] == ["f(x)", "f'(x)"]
            box, axes = legend.get_window_extent(), ax.get_window_extent()
            assert axes.y1 <= box.y0 and box.y1 <= fig.bbox.y1 and box.x1 <= fig.bbox.x1, (name, param)


def test_layer_moments_name_the_argument_with_too_many_activations():
    import pytest

    from lib.figures.activations_beyond_relu import MOMENT_STYLES, draw_layer_moments

    too_many = {str(i): [np.zeros(2)] for i in range(len(MOMENT_STYLES) + 1)}
    with pytest.raises(ValueError, match="layers_by_name"):
        draw_layer_moments(Figure(), too_many)
