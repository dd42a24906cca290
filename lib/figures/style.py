"""The course's figure style and its renderers: `draw_*(fig, data, ...)` draws the data it is given.

`setup()` sets the style once per notebook. Here are only the renderers that two or more pages
use; a page's own figures are in `lib.figures.<page>`. A renderer computes nothing beyond what it
lays out, and draws into a given matplotlib Figure, so it serves a static figure (`plt.figure()`)
and an interactive one (`lib.widgets.interactive_figure`) alike.
"""

import sys
import textwrap

import matplotlib as mpl
import numpy as np

from lib import activations as act
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.scale import LogScale, register_scale
from matplotlib.ticker import LogFormatter


# The widest a figure is drawn, in inches, so that a phone shows its text readable: at a 390 px
# viewport a page's column is 358 CSS px wide and a player's image 340 px, so 11 pt text (SMALL, the
# smallest a figure uses) shows 11/72 in * 340 px / 5 in = 10.4 CSS px high (10 is the floor).
WIDTH = 5.0

STYLE = {
    "figure.figsize": (WIDTH, 3.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "legend.frameon": False,
    "font.size": 12,
    "figure.titlesize": "medium",
    "figure.constrained_layout.use": True,  # room for labels at any size; renderers placing axes by hand opt out
}
SMALL, LARGE = 11, 12  # explicit sizes: tick labels, legends and panel titles; titles
COLORS = {"f": "#1f77b4", "grad": "#d62728", "train": "#1f77b4", "test": "#ff7f0e"}


class PlainLogFormatter(LogFormatter):
    """Log-axis tick labels in plain text at the tick labels' size: 0.01 ... 1000, else 1e-8.
    (matplotlib writes 10 with a superscript, drawn at 70 % of the size: ~7 CSS px on a phone, and on
    a log axis the exponent is the number.)"""

    def _num_to_string(self, x, vmin, vmax):
        if 1e-2 <= x <= 1e3 or (1e-3 <= x < 1e4 and not _is_decade(x)):
            return f"{x:.4g}"  # 0.01, 0.2, 1000, 128
        mantissa, exponent = f"{x:.1e}".split("e")
        return f"{float(mantissa):g}e{int(exponent)}"  # 1e-8, 2e-5


def _is_decade(x):
    return abs(np.log10(x) - round(np.log10(x))) < 1e-9


class _LogScale(LogScale):
    """matplotlib's log scale, labelled by PlainLogFormatter."""

    def __init__(self, *old_axis, base=10, subs=None, nonpositive="clip"):
        # matplotlib < 3.11 (Colab's) passes the axis, which a log scale does not use; 3.11 does not
        super().__init__(None, base=base, subs=subs, nonpositive=nonpositive)

    def set_default_locators_and_formatters(self, axis):
        super().set_default_locators_and_formatters(axis)
        axis.set_major_formatter(PlainLogFormatter(self.base))
        axis.set_minor_formatter(PlainLogFormatter(self.base, labelOnlyBase=self.subs is not None))


def setup():
    """Apply the course style to matplotlib (call once at the top of a notebook): STYLE, and log axes
    labelled in plain text (`PlainLogFormatter`).

    Used in: activations § Activation functions; activations-beyond-relu § Activation functions;
        initialization § Weight initialization; normalization § Normalization layers; preprocessing § Data
        preprocessing; reading-list § Reading list; reading-list-methods § Reading list."""
    mpl.rcParams.update(STYLE)
    register_scale(_LogScale)  # in place of matplotlib's "log"
    _inline_figures_at_their_size()


def _inline_figures_at_their_size():
    """In a notebook, figures shown at their own size: the inline backend's default trims each to the
    box of what is drawn (bbox_inches="tight"), which draws it twice, and the course's figures lay
    themselves out inside their size (constrained layout, or by hand)."""
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    if shell is None or "inline" not in mpl.get_backend():
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    set_matplotlib_formats("png", bbox_inches=None)


def hand_layout(fig):
    """Switch off the automatic layout (STYLE's constrained layout) of fig's figure, which then takes
    subplots_adjust without a warning; for a subfigure, that of the whole figure."""
    fig.figure.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=True))


def draw_curves(fig, curves, xlabel, ylabel, title=""):
    """One line per entry of curves {label: y values}, over steps 0, 1, 2, ...; the legend above
    (`legend_above`).

    Used in: activations-beyond-relu § Leaky ReLU and PReLU; initialization § Training, not only statistics."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.plot(values, lw=1.8, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    legend_above(ax, title)


def draw_xy(fig, x, curves, xlabel, ylabel, title="", logy=False):
    """One line per entry of curves {label: y values (len(x),)} over x; the legend above
    (`legend_above`).

    Used in: reading-list § Saxe et al., 2013."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.plot(x, values, "o-", ms=3, lw=1.5, label=label)
    if logy:
        ax.set_yscale("log")
        ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    legend_above(ax, title)
    return ax


def draw_log_curves(fig, curves, xlabel, ylabel, title=""):
    """One line per entry of curves {label: y values}, over steps 1, 2, 3, ..., on a log y axis; the
    legend above (`legend_above`).

    Used in: activations-beyond-relu § SELU; preprocessing § Why it helps, measured."""
    ax = fig.add_subplot()
    for label, values in curves.items():
        ax.semilogy(np.arange(1, len(values) + 1), values, lw=1.8, label=label)
    ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    legend_above(ax, title)


def legend_above(ax, title=""):
    """Put ax's legend above the axes, under `title` (in place of an axes title), in as many columns
    as fit between the axes' left edge and the figure's right edge (the title wrapped if it does not
    fit there): inside the axes, a legend covers data for some curve or some frame. Returns the legend.

    Used in: reading-list § Saxe et al., 2013."""
    handles, labels = ax.get_legend_handles_labels()
    room = 0.95 * (ax.figure.bbox.x1 - ax.bbox.x0)  # from the axes' left edge to the figure's right edge
    for ncols in range(len(labels), 0, -1):
        legend = ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=ncols,
                           fontsize=SMALL, borderaxespad=0, columnspacing=1.0, handlelength=1.5,
                           title=title or None, title_fontsize=LARGE, alignment="left")
        if legend.get_window_extent().width <= room:
            break
    text = legend.get_title()
    if title and text.get_window_extent().width > room:  # a title longer than the room: wrapped
        text.set_text(textwrap.fill(title, int(len(title) * room / text.get_window_extent().width)))
    return legend


def few_ticks(ax, n=3):
    """At most n + 1 tick labels per axis, small and without a grid: text is most of a figure's
    drawing time, and an interactive figure is drawn once per frame."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(n))
    ax.yaxis.set_major_locator(MaxNLocator(n))
    ax.tick_params(labelsize=SMALL)
    ax.grid(False)


def activation_card(fig, name="sigmoid", x_max=6.0, level=0.01):
    """A small static figure of one activation with its default parameters: f (blue), f' (dashed
    red) on [-x_max, x_max], its legend above the axes titled with the name, and shaded its
    saturated tails: the inputs from which on, out to the end of the axis, |f'(x)| < level, which
    pass on almost none of the gradient arriving from above (saturation, or ReLU's dead side). A
    point where f' merely crosses zero (GELU's minimum) is not shaded: inputs around it still pass
    on a gradient.

    Used in: activations § ReLU § Sigmoid § tanh; activations-beyond-relu § ELU § GELU § SELU."""
    a = act.get_activation(name)
    x = np.linspace(-x_max, x_max, 601)
    f, grad = a.f(x), a.grad(x)
    ax = fig.add_subplot()
    tails = saturated_tails(grad, level)
    if tails.any():  # no band, no legend entry for it (Leaky ReLU, PReLU)
        ax.fill_between(x, 0, 1, where=tails, transform=ax.get_xaxis_transform(), color="0.88", lw=0,
                        label=f"saturated: |f'| < {level:g}")
    ax.plot(x, f, color=COLORS["f"], lw=2, label="f(x)")
    ax.plot(x, grad, color=COLORS["grad"], lw=1.5, ls="--", label="f'(x)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlim(-x_max, x_max)
    ax.set_xlabel("x")
    legend_above(ax, name)


def saturated_tails(grad, level):
    """(n,) bool: True at the samples of grad (n,) (f' on an increasing grid) from which on |f'| <
    level out to either end of the grid; False inside, where |f'| rises to level or above."""
    small = np.abs(np.asarray(grad)) < level
    first_large = np.argmax(~small) if not small.all() else small.size
    last_large = small.size - 1 - np.argmax(~small[::-1]) if not small.all() else -1
    index = np.arange(small.size)
    return (index < first_large) | (index > last_large)
