"""The figures of the page "the ReLU family and beyond": `figure(fig, **values)` draws into `fig`."""

import numpy as np
from matplotlib.ticker import LogLocator

from lib import activations as act
from lib.figures.style import COLORS, activation_card, few_ticks, legend_above


def activation_and_derivative(fig, name="relu", param=None, x_max=5.0):
    """An activation f (blue) and its derivative f' (red) on [-x_max, x_max], their legend above the
    axes titled with the name and parameter (`legend_above`).

    `param` sets the parameter its record says a figure may vary (`Activation.varied`: leaky_relu's
    negative_slope, prelu's and elu's alpha); it is ignored for the others.

    Used in: activations-beyond-relu § Explore the activations.
    """
    a = act.get_activation(name)
    params = {a.varied: param} if a.varied is not None and param is not None else {}
    x = np.linspace(-x_max, x_max, 401)
    ax = fig.add_subplot()
    ax.plot(x, a.f(x, **params), color=COLORS["f"], lw=2, label="f(x)")
    ax.plot(x, a.grad(x, **params), color=COLORS["grad"], lw=1.5, ls="--", label="f'(x)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_ylim(-2.0, 3.0)
    ax.set_xlabel("x")
    extra = ", ".join(f"{k}={v:g}" for k, v in params.items())
    legend_above(ax, f"{name}({extra})" if extra else name)  # the name as the legend's title


def activation_cards(fig, names, **options):
    """`activation_card` side by side, one per name (e.g. a variant next to another), in one figure,
    with one legend above them all in place of each card's own; options (x_max, level) apply to
    every card.

    Used in: activations-beyond-relu § Leaky ReLU and PReLU."""
    for sub, name in zip(np.atleast_1d(fig.subfigures(1, len(names))), names):
        activation_card(sub, name, **options)
    cards = [sub.axes[0] for sub in fig.subfigs]
    handles, labels = cards[0].get_legend_handles_labels()
    for ax, name in zip(cards, names):
        ax.get_legend().remove()
        ax.set_title(name)  # the card's name was its legend's title
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels))


def maxout_fit(fig, x, y, fits):
    """The points (x (N,), y (N,)) and the maxout fit max_j(a_j x + b_j) for each entry of fits
    {pieces: (a (pieces,), b (pieces,))}, labelled "1 piece", "2 pieces", ...

    Used in: activations-beyond-relu § Maxout."""
    ax = fig.add_subplot()
    ax.plot(x, y, color="k", lw=3, alpha=0.3, label="target")
    for pieces, (a, b) in fits.items():
        label = f"{pieces} piece" + ("" if pieces == 1 else "s")
        ax.plot(x, act.maxout(x[:, None] * a + b, pieces)[:, 0], lw=1.5, label=label)
    few_ticks(ax, 5)
    ax.set_xlabel("x")
    ax.legend(loc="upper center")  # between the parabola's arms, which no fit enters


# (line style, marker) of the i-th line of `draw_layer_moments`: lines that coincide stay visible
MOMENT_STYLES = [("-", "o"), ("--", "s"), (":", "^"), ("-.", "D")]


def draw_layer_moments(fig, layers_by_name):
    """Mean (top) and variance (bottom, log scale) of each layer's activations over a shared layer
    axis, one line per activation (at most len(MOMENT_STYLES)), named in a legend above both. Each
    line has its own style and marker, the i-th line's markers at layers i+1, i+1+n, ... for n lines,
    so that lines lying on top of each other (two means at 0) both show.

    Used in: activations-beyond-relu § SELU."""
    if len(layers_by_name) > len(MOMENT_STYLES):
        raise ValueError(f"layers_by_name: at most {len(MOMENT_STYLES)} activations, "
                         f"got {len(layers_by_name)}")
    ax_mean, ax_var = fig.subplots(2, 1, sharex=True)
    n = len(layers_by_name)
    for i, (name, layers) in enumerate(layers_by_name.items()):
        depth = np.arange(1, len(layers) + 1)
        ls, marker = MOMENT_STYLES[i]
        line = dict(lw=1.8, ls=ls, marker=marker, ms=5, markevery=(i, n))
        ax_mean.plot(depth, [h.mean() for h in layers], label=name, **line)
        ax_var.semilogy(depth, [h.var() for h in layers], **line)
    few_ticks(ax_mean, 2)
    ax_mean.set_ylim(-1, 1)
    ax_mean.set_ylabel("mean")
    few_ticks(ax_var)  # the shared layer axis too
    ax_var.yaxis.set_major_locator(LogLocator(numticks=4))  # every few decades
    ax_var.minorticks_off()
    ax_var.set_ylabel("variance")
    ax_var.set_xlabel("layer")
    fig.legend(loc="outside upper center", ncols=len(layers_by_name))
