"""The measurements of the activations chapter's first page, against closed forms and direct computations."""


import numpy as np

from lib import data
from lib.checks import check_median_ratio
from lib.experiments import activations as experiments


def spirals(n=30):
    return data.spirals(n, np.random.default_rng(0))


def test_check_median_ratio_accepts_the_median_and_names_the_mean():
    def right(X, y, activation, hidden_layers, seeds):
        return np.median([experiments.convergence_run(X, y, activation, hidden_layers, s)
                          / experiments.convergence_run(X, y, "relu", hidden_layers, s) for s in seeds])

    def mean(X, y, activation, hidden_layers, seeds):
        return np.mean([experiments.convergence_run(X, y, activation, hidden_layers, s)
                        / experiments.convergence_run(X, y, "relu", hidden_layers, s) for s in seeds])

    assert check_median_ratio(right).passed
    result = check_median_ratio(mean)
    assert not result.passed and "mean of the per-seed ratios" in result.message


