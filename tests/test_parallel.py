"""lib._parallel.forked_map: the same results as a loop, also for work that draws text with fonts
this process opened before forking (its workers must not share the open font files)."""

import io
import sys

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lib._parallel import forked_map

FIGURE = Figure(figsize=(5, 3.2), dpi=100)  # one figure redrawn, as an interactive figure's is
FigureCanvasAgg(FIGURE)


def _png(depth):
    """FIGURE redrawn with labels in text and math text for `depth`, as PNG bytes."""
    FIGURE.clear()
    ax = FIGURE.add_subplot()
    ax.plot(range(depth + 2))
    ax.set_xlabel(r"$W_1 \cdots W_L$, $\sigma_{\max} / \sigma_{\min}$, $\sqrt{2 / n_{in}}$, $\alpha \beta \gamma \delta$")
    ax.set_title(f"depth {depth}, width 64")
    buffer = io.BytesIO()
    FIGURE.savefig(buffer, format="png")
    return buffer.getvalue()


def test_forked_map_is_the_loop():
    assert forked_map(lambda a, b: a * b + 1, [(i, i + 1) for i in range(9)]) == [i * (i + 1) + 1 for i in range(9)]


@pytest.mark.skipif(sys.platform != "linux", reason="forked_map runs in this process elsewhere")
def test_workers_draw_text_after_this_process_did():
    """This process draws the figure first (its fonts open, its math text parsed and cached), then
    the workers redraw it: the same images as a loop. Workers that shared the open font files read
    each other's glyphs (FreeType's "invalid outline"): six runs of eight failed so, before the fix."""
    _png(0)
    drawn = forked_map(_png, [(depth,) for depth in range(1, 31)])
    assert drawn == [_png(depth) for depth in range(1, 31)]
