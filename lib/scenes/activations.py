"""Scenes of the activations chapter: `scene(fig, **values)` computes what it shows and draws it.
"""

import numpy as np

from lib import activations as act
from lib.plotting import COLORS


def activation_and_derivative(fig, name="relu", param=None, x_max=5.0):
    """An activation f (blue) and its derivative f' (red) on [-x_max, x_max].

    `param` sets the parameter its record says a figure may vary (`Activation.varied`: leaky_relu's
    negative_slope, prelu's and elu's alpha); it is ignored for the others.
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
    ax.set_title(f"{name}({extra})" if extra else name)
    ax.legend(loc="upper left")


_LOCAL_GRADIENT_SAMPLE = np.random.default_rng(0).standard_normal(20_000)


def local_gradients(fig, name="sigmoid", scale=1.0):
    """Histogram of the local gradients f'(x) for inputs x ~ N(0, scale^2), and the share near 0.

    A share of |f'(x)| < 0.01 close to 1 means most units pass on almost none of the gradient.
    """
    grads = act.get_activation(name).grad(scale * _LOCAL_GRADIENT_SAMPLE)
    ax = fig.add_subplot()
    ax.hist(grads, bins=50, range=(0, 1.1), histtype="stepfilled", color=COLORS["grad"], alpha=0.7)
    ax.set_xlim(0, 1.1)
    ax.set_yscale("log")
    ax.set_ylim(1, len(grads))
    ax.minorticks_off()
    ax.set_xlabel("local gradient f'(x)")
    ax.set_ylabel("count of 20,000 inputs")
    ax.set_title(f"{name}, x ~ N(0, {scale:g}^2): {np.mean(np.abs(grads) < 0.01):.0%} have |f'(x)| < 0.01")
