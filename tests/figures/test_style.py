"""The renderers two or more pages share: `lib.figures.style`."""

import pytest

from lib.figures import style


def test_activation_card_shades_where_the_derivative_is_below_the_level():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    style.activation_card(fig, "relu", x_max=4.0)
    ax = fig.axes[0]
    shaded = ax.collections[0].get_paths()[0].vertices[:, 0]  # the shaded band: ReLU's dead side
    assert shaded.min() == pytest.approx(-4.0) and shaded.max() == pytest.approx(0.0, abs=0.02)
    plt.close(fig)


def test_gelu_card_shades_its_tails_not_the_point_where_its_derivative_crosses_zero():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    style.activation_card(fig, "gelu", x_max=4.0)
    bands = [path.vertices[:, 0] for path in fig.axes[0].collections[0].get_paths()]
    # GELU's f'(x) = Phi(x) + x phi(x), by hand from tables of Phi and phi: f'(-3.0) = 0.00135 -
    # 0.0133 (|f'| > 0.01), f'(-3.2) = 0.00069 - 0.0076 (< 0.01); it crosses 0 near -0.75
    assert len(bands) == 1
    assert bands[0].min() == pytest.approx(-4.0) and -3.2 < bands[0].max() < -3.0
    plt.close(fig)


@pytest.mark.parametrize("grad, expected", [
    ([0, 0, 1, 0, 1, 0.001], [1, 1, 0, 0, 0, 1]),  # a zero inside is not a tail
    ([0.0, 0.0], [1, 1]),
    ([1.0, 2.0], [0, 0]),
    ([-0.5, 0.005, -0.005], [0, 1, 1]),  # |f'|, not f'
])
def test_saturated_tails_are_the_runs_of_small_derivative_that_reach_an_end(grad, expected):
    assert style.saturated_tails(grad, 0.01).tolist() == [bool(e) for e in expected]


def _figure_code():
    """(where, code) of every figure module in lib/figures and every notebook code cell."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "lib" / "figures").glob("*.py")):
        yield path.name, path.read_text()
    for path in sorted((root / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                yield f"{path.name} cell {cell.get('id')}", "".join(cell["source"])


def test_no_figure_text_is_set_smaller_than_small():
    """A figure drawn style.WIDTH wide shows 11 pt (SMALL) text at 10 CSS px on a phone; smaller
    sizes (a number below 11, SMALL minus something, matplotlib's 'small' names) would not be read."""
    import re

    smaller = re.compile(r"\b(fontsize|labelsize|titlesize)\s*=\s*(SMALL\s*-|([0-9]+(\.[0-9]+)?)\b|"
                         r"['\"](x{0,2}-?small|smaller)['\"])")
    found = []
    for where, code in _figure_code():
        for match in smaller.finditer(code):
            number = match[3]
            if number is None or float(number) < style.SMALL:
                found.append(f"{where}: {match[0]}")
    assert not found, found


def test_figures_are_drawn_no_wider_than_a_phone_reads():
    """Every figure size a page or module asks for (figsize=(w, h)) is at most style.WIDTH inches wide."""
    import re

    sizes = re.compile(r"figsize\s*=\s*\(\s*([0-9.]+)\s*,")
    wide = [f"{where}: {m[0]}" for where, code in _figure_code() for m in sizes.finditer(code)
            if float(m[1]) > style.WIDTH]
    assert not wide, wide
    assert style.STYLE["figure.figsize"][0] <= style.WIDTH


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "elu", "selu", "gelu"])
def test_an_activation_cards_legend_sits_above_its_axes_within_the_width(name):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.WIDTH, 2.6), layout="constrained")
    style.activation_card(fig, name, x_max=6)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend()
    box = legend.get_window_extent()
    assert box.y0 >= ax.get_window_extent().y1  # above the axes: it covers no curve
    assert box.x1 <= fig.bbox.x1
    assert legend.get_title().get_text() == name and ax.get_title() == ""  # the card's name, once
    assert [t.get_text() for t in legend.get_texts()] == ["saturated: |f'| < 0.01", "f(x)", "f'(x)"]


@pytest.mark.parametrize("labels, ncols", [(["a", "b", "c"], 3),
                                           (["Kaiming, rate 0.03, seed 0", "Xavier, rate 0.3, seed 0"], 1),
                                           (["SELU, LeCun", "ELU, He", "ReLU, He", "tanh, Glorot"], 1)])
def test_legend_above_takes_as_many_columns_as_fit_the_width(labels, ncols):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2.6), layout="constrained")
    style.draw_curves(fig, {label: [1.0, 0.5] for label in labels}, "step", "loss", "a title")
    ax = fig.axes[0]
    room = fig.bbox.x1 - ax.bbox.x0
    wider = ax.legend(ncols=ncols + 1).get_window_extent().width  # one column more does not fit
    assert ncols == len(labels) or wider > 0.95 * room
    style.legend_above(ax, "a title")
    fig.canvas.draw()
    legend = ax.get_legend()
    assert legend._ncols == ncols and legend.get_title().get_text() == "a title" and ax.get_title() == ""
    assert legend.get_window_extent().y0 >= ax.get_window_extent().y1  # above the axes
    assert legend.get_window_extent().width <= fig.bbox.width


def test_a_card_without_saturated_tails_has_no_band_and_no_legend_entry_for_one():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.WIDTH, 2.6), layout="constrained")
    style.activation_card(fig, "leaky_relu", x_max=4)  # f' = 0.01 on the left: not below the level
    ax = fig.axes[0]
    assert not ax.collections
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["f(x)", "f'(x)"]


def test_log_axes_label_their_ticks_in_plain_text():
    """After setup(), no log-axis tick label is mathtext (10 with a superscript at 70 % size)."""
    from matplotlib.figure import Figure

    style.setup()
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_yscale("log")
    ax.set_ylim(1e-14, 1e5)
    ax.set_yticks([1e-13, 1e-3, 0.01, 1, 1000, 1e4])
    fig.canvas.draw()
    shown = [t.get_text().replace("\u2212", "-") for t in ax.get_yticklabels()]
    assert shown == ["1e-13", "1e-3", "0.01", "1", "1000", "1e4"]
    between = [style.PlainLogFormatter()._num_to_string(x, 1e-6, 1e4) for x in (2e-5, 0.2, 128, 2e4)]
    assert between == ["2e-5", "0.2", "128", "2e4"]  # labels between decades, on axes of few decades


def test_legend_above_a_right_hand_panel_stays_inside_the_figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.WIDTH, 2.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    for label in ("layer 1", "layer 5", "layer 9"):
        right.plot([0, 1], [0, 1], label=label)
    legend = style.legend_above(right, "a title")
    fig.canvas.draw()
    assert legend.get_window_extent().x1 <= fig.bbox.x1 and legend._ncols < 3


def test_a_title_longer_than_the_figure_is_wrapped_inside_it():
    """The reading list's "Deep linear networks: learning time against depth" ran 9 px past a 5 in
    figure's right edge (cut off once figures are shown at their own size)."""
    from matplotlib.figure import Figure

    title = "Deep linear networks: learning time against depth"
    fig = Figure(figsize=(style.WIDTH, 3.4), layout="constrained")
    style.draw_xy(fig, [1, 2, 4], {"orthogonal": [5, 10, 17], "Gaussian": [5, 11, 30]}, "depth L",
                  "steps to target (median of 3)", title, logy=True)
    fig.canvas.draw()
    legend = fig.axes[0].get_legend()
    assert legend.get_window_extent().x1 <= fig.bbox.x1 and legend.get_title().get_text().count("\n") == 1
    assert legend.get_title().get_text().replace("\n", " ") == title
    short = Figure(figsize=(style.WIDTH, 3.4), layout="constrained")
    style.draw_xy(short, [1, 2], {"a": [1, 2]}, "x", "y", "a short title")
    assert short.axes[0].get_legend().get_title().get_text() == "a short title"


def test_a_notebooks_figures_are_shown_at_their_own_size():
    """In IPython with the inline backend, style.setup() makes a figure's PNG exactly its size (not
    trimmed or grown to what is drawn, which draws every figure twice)."""
    import subprocess
    import sys

    code = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
from matplotlib_inline.backend_inline import configure_inline_support
configure_inline_support(shell, "inline")
import base64, io
import matplotlib.pyplot as plt
from PIL import Image
from lib.figures import style
png = shell.display_formatter.formatters["image/png"]
size = lambda fig: Image.open(io.BytesIO(base64.b64decode(png(fig)))).size
fig = plt.figure(figsize=(5, 3.2))
fig.add_axes([0.4, 0.4, 0.2, 0.2]).set_axis_off()  # a small drawing: trimmed, a small image
before = size(fig)
style.setup()
print(before, size(fig))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = out.strip().split(") (")
    assert after == "500, 320)" and before != "(500, 320"
