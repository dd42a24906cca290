"""Fair comparisons of training methods: each at its own best learning rate from one grid, over seeds.

    run = training_run(lambda rng: MLP(sizes, rng, "relu", init="kaiming_normal"), X, y, steps=150)
    runs = sweep(run, rates=(0.01, 0.03, 0.1, 0.3, 1.0), seeds=(0, 1, 2), target=0.5)
    runs.best_rate, runs.best("steps"), describe(runs.best("accuracy"))

A run, `run(lr, seed)`, trains one network of one method (its own initialization rule, its own data
pipeline) and returns {"losses": the loss at each step, "accuracy": a number (optional)};
`training_run` makes the usual one. `sweep` calls it for every (rate, seed) pair, the same budget
for every method, and keeps, per pair,

    steps       the first step after which the running mean of `window` losses is <= target
                (`lib.network.steps_to_reach`); inf when the run never got there or diverged
    final_loss  the mean of the last `window` losses; inf when a loss was not finite (diverged)
    accuracy    what `run` returned, or NaN
    losses      the run's losses themselves (for curves)
    diverged    whether the run diverged: a loss that is not finite, or `run` said so (training_run
                does when a loss passed `diverged` times the starting loss and it stopped)

The best rate is the one with the fewest median steps over the seeds, among the rates at which no
seed diverged (a rate that is fast in two seeds and blows up in the third is not one a careful
practitioner would pick); ties, and grids where no rate reaches the target in most seeds, go to the
lower median final loss. Only when every rate has a diverging seed are all rates candidates. A best
rate at either end of the grid means the grid may be too narrow: `Sweep.best_is_inside` says so,
and the pages print it.

A diverging run overflows: `sweep` silences numpy's floating-point warnings inside `run` and counts
the run as diverged, so a too-large rate is a result ("never"), not a warning.

The runs of a sweep are independent (each seeded by its own seed): `sweep` runs them on every core
(`lib._parallel.forked_map`; `run` may be any closure), with the same results, bit for bit.
"""

import functools
from dataclasses import dataclass

import numpy as np

from lib._parallel import forked_map
from lib._validate import as_float_array, as_int, as_list, as_number
from lib.network import accuracy_of, steps_to_reach, train

__all__ = ["Sweep", "training_run", "sweep", "compare", "spread", "describe"]


@dataclass(frozen=True)
class Sweep:
    """The results of one method over a grid of learning rates and seeds (arrays (rates, seeds))."""

    rates: tuple
    seeds: tuple
    target: float
    window: int
    steps: np.ndarray
    final_loss: np.ndarray
    accuracy: np.ndarray
    losses: tuple  # losses[i][j]: the (steps,) losses of rate i, seed j
    diverged: np.ndarray  # bool

    @property
    def best_index(self):
        """Index of the best rate: among the rates where no seed diverged (all, if there is none),
        fewest median steps, then lowest median final loss."""
        steps = np.median(self.steps, axis=1)
        loss = np.median(self.final_loss, axis=1)
        stable = [i for i in range(len(self.rates)) if not self.diverged[i].any()]
        return min(stable or range(len(self.rates)), key=lambda i: (steps[i], loss[i]))

    @property
    def best_rate(self):
        return self.rates[self.best_index]

    @property
    def best_is_inside(self):
        """Whether the best rate has a grid rate on either side (else the grid may be too narrow)."""
        return 0 < self.best_index < len(self.rates) - 1

    def best(self, field):
        """One value per seed at the best rate: field "steps", "final_loss", "accuracy" or "losses"."""
        if field not in ("steps", "final_loss", "accuracy", "losses"):
            raise ValueError(f"field must be 'steps', 'final_loss', 'accuracy' or 'losses', got {field!r}")
        return getattr(self, field)[self.best_index]


def training_run(make_net, X, y, steps, batch_size=None, momentum=0.0, evaluate=None, stop_below=None,
                 diverged=4.0):
    """A run(lr, seed) for `sweep`: the network make_net(rng) with rng = np.random.default_rng(seed),
    trained by `lib.network.train` on X (N, D), y (N,) for `steps` steps (SGD with `momentum`,
    minibatches of `batch_size` rows from the same rng, or full batch), stopping early at a loss
    <= stop_below, or when it diverges: at a loss that is not finite, or above `diverged` times the
    loss on (X, y) before training (the cue a learning-rate range test uses; None: never, for runs
    that may climb far and still come down).
    Returns {"losses", "accuracy", "diverged"}: the accuracy on evaluate = (X_test, y_test), or on
    (X, y); 0 when the network's scores there are no longer finite (it classifies nothing); diverged:
    whether training stopped at a loss above `diverged` times the start or not finite.
    """
    if not callable(make_net):
        raise TypeError(f"make_net must be callable as make_net(rng), got {type(make_net).__name__}")
    diverged = None if diverged is None else as_number(diverged, "diverged", above=1)
    X_eval, y_eval = (X, y) if evaluate is None else evaluate
    X_eval, y_eval = as_float_array(X_eval, "evaluate's X"), np.asarray(y_eval)
    if y_eval.shape != (len(X_eval),) or y_eval.dtype.kind not in "iu":
        raise ValueError(f"evaluate's y must be {len(X_eval)} integer labels, one per row of its X, "
                         f"got shape {y_eval.shape}, dtype {y_eval.dtype}")

    def run(lr, seed):
        rng = np.random.default_rng(seed)
        net = make_net(rng)
        stop_above = None if diverged is None else diverged * net.loss(X, y)
        losses = train(net, X, y, rng, steps=steps, lr=lr, momentum=momentum, batch_size=batch_size,
                       stop_below=stop_below, stop_above=stop_above)["loss"]
        with np.errstate(all="ignore"):  # one pass, in evaluation mode (a BatchNorm's running statistics)
            scores = net.forward(X_eval, train=False)
        finite = np.all(np.isfinite(scores))
        accuracy = accuracy_of(scores, y_eval) if finite else 0.0
        limit = np.inf if stop_above is None else stop_above
        return {"losses": losses, "accuracy": accuracy, "diverged": not losses[-1] <= limit}

    return run


def _one_run(run, lr, seed, target, window):
    """(steps, final loss, accuracy, diverged, losses) of run(lr, seed), with inf steps for a target
    missed and inf for both at a loss that is not finite."""
    with np.errstate(all="ignore"):
        result = run(lr, seed)
    if not isinstance(result, dict) or "losses" not in result:
        raise TypeError(f"run must return a dict with 'losses' (and optionally 'accuracy'), got {result!r}")
    losses = np.asarray(result["losses"], dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"run's losses must be a non-empty 1-D sequence, got shape {losses.shape}")
    accuracy = float(result.get("accuracy", np.nan))
    if not np.all(np.isfinite(losses)):
        return np.inf, np.inf, accuracy, True, losses
    steps = steps_to_reach(losses, target, window=window)
    steps = np.inf if steps is None else float(steps)
    return steps, float(np.mean(losses[-window:])), accuracy, bool(result.get("diverged", False)), losses


def sweep(run, rates, seeds, target, window=1):
    """Run one method at every learning rate in `rates` with every seed in `seeds`: a `Sweep`.

    run(lr, seed) -> {"losses": (steps,) sequence, "accuracy": float (optional), "diverged": bool
    (optional; a loss that is not finite always counts)}; target: the loss
    the step count is to; window: losses averaged before comparing with it (1 for full-batch
    training, ~10 for minibatch losses, which jump around).
    """
    if not callable(run):
        raise TypeError(f"run must be callable as run(lr, seed), got {type(run).__name__}")
    rates = tuple(as_number(r, "rates", above=0) for r in as_list(rates, "rates"))
    seeds = tuple(as_int(s, "seeds", minimum=0) for s in as_list(seeds, "seeds"))
    if not rates or not seeds:
        raise ValueError(f"rates and seeds must not be empty, got {len(rates)} rates and {len(seeds)} seeds")
    target = as_number(target, "target")
    window = as_int(window, "window", minimum=1)
    tasks = [(lr, seed, target, window) for lr in rates for seed in seeds]
    done = iter(forked_map(functools.partial(_one_run, run), tasks))
    runs = [[next(done) for _ in seeds] for _ in rates]
    numbers = np.array([[one[:3] for one in row] for row in runs])
    diverged = np.array([[one[3] for one in row] for row in runs], dtype=bool)
    losses = tuple(tuple(one[4] for one in row) for row in runs)
    return Sweep(rates, seeds, target, window, numbers[..., 0], numbers[..., 1], numbers[..., 2], losses,
                 diverged)


def compare(runs, rates, seeds, target, window=1):
    """{label: sweep(run, rates, seeds, target, window)} for {label: run}: every method on one grid,
    the same seeds and the same budget (each run's own number of steps)."""
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"runs must be a non-empty dict {{label: run(lr, seed)}}, got {type(runs).__name__}")
    return {label: sweep(run, rates, seeds, target, window) for label, run in runs.items()}


def spread(values):
    """(median, min, max) of values over seeds; inf (a target never reached) counts as the largest."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence, got shape {values.shape}")
    if np.any(np.isnan(values)):
        raise ValueError("values must not contain NaN")
    return float(np.median(values)), float(values.min()), float(values.max())


def describe(values, spec=".0f", never="never"):
    """"median [min, max]" of values over seeds, each formatted with `spec`; inf is written `never`.

    >>> describe([40, 27, 45])
    '40 [27, 45]'
    >>> describe([40, float("inf"), 45])
    '45 [40, never]'
    """
    text = [never if np.isinf(v) else format(v, spec) for v in spread(values)]
    return f"{text[0]} [{text[1]}, {text[2]}]"
