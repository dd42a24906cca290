"""Measurements of the preprocessing chapter: how the scale of the data changes training.
"""

import numpy as np

from lib.network import MLP, train


def final_losses_over_learning_rates(X, y, learning_rates, seed=0, steps=200, sizes=None):
    """Final training loss of a freshly seeded softmax classifier for each learning rate.

    sizes defaults to [D, C] (multinomial logistic regression). A diverged run reports its (huge or
    non-finite) final loss: that is the measurement, not an error.
    """
    sizes = sizes or [X.shape[1], int(np.max(y)) + 1]
    losses = []
    for lr in learning_rates:
        rng = np.random.default_rng(seed)
        net = MLP(sizes, rng, init=0.01)
        with np.errstate(over="ignore", invalid="ignore"):
            history = train(net, X, y, rng, steps=steps, lr=lr)["loss"]
        losses.append(history[-1])
    return np.array(losses)
