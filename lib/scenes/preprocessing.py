"""Scenes of the preprocessing chapter: `scene(fig, **values)` fits the transforms and draws the data.
"""

import numpy as np

from lib import preprocessing
from lib.plotting import COLORS


PREPROCESSING_STEPS = {
    "original": None,
    "centered": preprocessing.Center,
    "standardized": preprocessing.Standardize,
    "decorrelated (PCA)": preprocessing.PCA,
    "whitened": preprocessing.Whiten,
}


def _scatter_step(ax, X_train, step, X_test=None):
    """Scatter X_train after `step` (fitted on X_train), and X_test transformed with those statistics."""
    transform = PREPROCESSING_STEPS[step]
    fitted = None if transform is None else transform().fit(X_train)
    apply = (lambda X: X) if fitted is None else fitted.transform
    Y = apply(X_train)
    ax.scatter(Y[:, 0], Y[:, 1], s=5, alpha=0.5, color=COLORS["train"], label="train")
    if X_test is not None:
        T = apply(X_test)
        ax.scatter(T[:, 0], T[:, 1], s=12, marker="x", color=COLORS["test"], label="test")
        ax.legend(loc="lower right", markerscale=2)
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlim(-12, 12)
    ax.set_ylim(-8, 8)
    ax.set_aspect("equal")
    return Y


def preprocessing_step(fig, X_train, step="original", X_test=None):
    """One preprocessing step on 2-D data, titled with the training set's mean and covariance."""
    Y = _scatter_step(fig.add_subplot(), X_train, step, X_test)
    mean, cov = np.round(Y.mean(axis=0), 2) + 0.0, np.cov(Y.T, bias=True)  # + 0.0: no "-0.00"
    fig.axes[0].set_title(f"{step}: mean ({mean[0]:.2f}, {mean[1]:.2f}), "
                          f"cov [[{cov[0, 0]:.2f}, {cov[0, 1]:.2f}], [{cov[1, 0]:.2f}, {cov[1, 1]:.2f}]]")


def preprocessing_steps(fig, X_train):
    """The lecture notes' picture: original, centered, standardized, whitened data side by side."""
    steps = ["original", "centered", "standardized", "whitened"]
    for ax, step in zip(fig.subplots(1, len(steps), sharey=True), steps):
        _scatter_step(ax, X_train, step)
        ax.set_title(step)
