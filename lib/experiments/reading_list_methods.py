"""What the reading list's second page prints: Krähenbühl et al.'s data-dependent init, LSUV, Fixup
on a residual MLP and lottery tickets, on the course's standardized digits; with the seeds and
cached runs its figures share.
"""

import functools

import numpy as np

from lib import data, initializers, pruning
from lib.comparison import compare, training_run
from lib._validate import as_float_array, one_of
from lib.network import MLP, ResidualMLP, train


# The starts a deep ReLU network is trained from: (label, MLP init, data-dependent step or None).
INIT_METHODS = {
    "Gaussian 0.01": (0.01, None),
    "Krahenbuhl within": (0.01, "within"),
    "Krahenbuhl within+between": (0.01, "within+between"),
    "Xavier": ("xavier_normal", None),
    "Kaiming": ("kaiming_normal", None),
    "LSUV": ("orthogonal", "lsuv"),
}


def initialized_net(method, X_batch, rng, depth=20, width=32, classes=10, activation="relu"):
    """(MLP, what the method measured) for one of INIT_METHODS, on the batch X_batch (n, D).

    The network has `depth` weight layers: [D] + [width] * (depth - 1) + [classes]. "within" is
    `initializers.data_dependent_init` (Krähenbühl's Algorithm 1) on Gaussian N(0, 0.01^2) weights,
    "within+between" adds `equalize_change_rates` (Algorithm 2, its result the measurement),
    "lsuv" is `initializers.lsuv` on orthogonal weights (the variances per layer).

    Used in: reading-list-methods § Layer-sequential unit variance (Mishkin & Matas, 2015).
    """
    init, step = INIT_METHODS[one_of(method, "method", tuple(INIT_METHODS))]
    X_batch = as_float_array(X_batch, "X_batch")
    net = MLP([X_batch.shape[1], *[width] * (depth - 1), classes], rng, activation=activation, init=init)
    info = None
    if step in ("within", "within+between"):
        initializers.data_dependent_init(net, X_batch)
    if step == "within+between":
        info = initializers.equalize_change_rates(net, X_batch, rng)
    if step == "lsuv":
        info = initializers.lsuv(net, X_batch)
    return net, info


def preactivation_stats(net, X):
    """Per layer l = 1..L of an MLP on X: (mean, std) of its pre-activations z_l over all entries,
    and the largest |mean| and the smallest and largest std of a single unit; an array (L, 5)."""
    scores = net.forward(X)
    rows = []
    for z in [*net.pre_activations, scores]:
        unit_mean, unit_std = z.mean(axis=0), z.std(axis=0)
        rows.append([z.mean(), z.std(), np.abs(unit_mean).max(), unit_std.min(), unit_std.max()])
    return np.array(rows)


def krahenbuhl_stages(X_batch, seed=0, depth=20, width=32):
    """Krähenbühl et al.'s two steps on the deep ReLU net of `initialized_net`, measured after each.

    Stages: "Gaussian 0.01" (the random start), "within" (after Algorithm 1), "within+between"
    (after Algorithm 2). Returns ({stage: `preactivation_stats` (L, 5)}, {stage: `change_rates`
    (L,)} with one random signal for all stages, the rescaling rounds Algorithm 2 took, the
    largest |change| of a score from Algorithm 2 relative to the largest |score|).
    """
    rng = np.random.default_rng(seed)
    net, _ = initialized_net("Gaussian 0.01", X_batch, rng, depth, width)
    signal = rng.standard_normal((len(X_batch), net.sizes[-1]))
    stats, rates = {}, {}

    def measure(stage):
        stats[stage] = preactivation_stats(net, X_batch)
        rates[stage] = initializers.change_rates(net, X_batch, signal)

    measure("Gaussian 0.01")
    initializers.data_dependent_init(net, X_batch)
    measure("within")
    before = net.forward(X_batch)
    rounds = len(initializers.equalize_change_rates(net, X_batch, rng, signal=signal)) - 1
    change = np.abs(net.forward(X_batch) - before).max() / np.abs(before).max()
    measure("within+between")
    return stats, rates, rounds, float(change)


def start_run(method, depth=20, width=32, steps=150, momentum=0.9, batch_size=64, batch_rows=256):
    """A run(lr, seed) for `lib.comparison.sweep`: the deep ReLU MLP of `initialized_net` from
    `method` (its data-dependent steps see the first `batch_rows` training rows), trained on
    `data.standardized_digits()` with SGD and momentum on minibatches, `steps` steps."""
    X, _, y, _ = data.standardized_digits()
    return training_run(lambda rng: initialized_net(method, X[:batch_rows], rng, depth, width)[0], X, y,
                        steps=steps, momentum=momentum, batch_size=batch_size)


def residual_stream_variances(X, blocks, init, seed=0, width=64, branch_layers=2):
    """Var(x_i) for i = 0..blocks through a `ResidualMLP` of `blocks` blocks on X (N, D), at init
    ("he" or "fixup"); shape (blocks + 1,). Nothing is trained: one forward pass."""
    net = ResidualMLP(X.shape[1], width, 10, blocks, np.random.default_rng(seed), branch_layers, init=init)
    net.forward(X)
    return np.array([np.var(x) for x in net.stream])


def branch_step_change(X, y, blocks, scaled=True, seed=0, lr=0.1, width=32, branch_layers=2):
    """How much one gradient step on the branch weights moves the scores of a Fixup `ResidualMLP`.

    Fixup's start (zero last layers and classifier; `scaled=False` leaves out its
    L^(-1/(2m-2)) factor, i.e. plain He for the other branch layers). First one SGD step (lr) on
    everything, which moves only the classifier (every branch gradient is 0 while W_out = 0);
    then one step on the branch weights W_ij alone. Returns the rms change of the scores (N, C)
    on X (N, D) that this second step causes. Fixup's argument: it stays O(1) as L grows.

    Used in: reading-list-methods § Fixup.
    """
    net = ResidualMLP(X.shape[1], width, data.n_classes(y), blocks, np.random.default_rng(seed), branch_layers,
                      init="fixup")
    if not scaled:
        for i in range(1, blocks + 1):
            for j in range(1, branch_layers):
                net.params[f"W{i}_{j}"] = net.params[f"W{i}_{j}"] / initializers.fixup_scale(blocks, branch_layers)
    _, grads = net.loss_and_grads(X, y)
    for k, g in grads.items():
        net.params[k] = net.params[k] - lr * g
    before = net.forward(X)
    _, grads = net.loss_and_grads(X, y)
    for i in range(1, blocks + 1):
        for j in range(1, branch_layers + 1):
            net.params[f"W{i}_{j}"] = net.params[f"W{i}_{j}"] - lr * grads[f"W{i}_{j}"]
    return float(np.sqrt(np.mean((net.forward(X) - before) ** 2)))


def residual_run(init, blocks=8, width=32, steps=150, momentum=0.9, batch_size=64):
    """A run(lr, seed) for `lib.comparison.sweep`: a `ResidualMLP` (m = 2 layers per branch) from
    `init` ("he" or "fixup"), trained on `data.standardized_digits()` (SGD with momentum, minibatches
    of `batch_size`, `steps` steps; stopped as diverged above 4 times its initial loss), its accuracy
    measured on the test rows."""
    init = one_of(init, "init", ("he", "fixup"))
    X, X_test, y, y_test = data.standardized_digits()
    return training_run(lambda rng: ResidualMLP(X.shape[1], width, 10, blocks, rng, 2, init=init), X, y,
                        steps=steps, batch_size=batch_size, momentum=momentum, evaluate=(X_test, y_test))


def lottery_ticket(seed, sizes=(64, 64, 32, 10), rounds=7, fractions=(0.36, 0.36, 0.19), steps=100, lr=0.05,
                   momentum=0.9, batch_size=64):
    """Iterative magnitude pruning with rewinding (Frankle & Carbin 2019) on `data.standardized_digits()`.

    An MLP (ReLU, Kaiming) of `sizes` is initialized (theta_0, seed `seed`) and trained; then
    `rounds` times: prune each layer's remaining weights by its fraction (`pruning.prune_round`),
    rewind the rest to theta_0 and train again (the "ticket"). Against each mask, the control: the
    same mask on a fresh random initialization (seed 1000 + seed), trained the same way (the same
    minibatches); and that control rescaled to the pruned layer's fan-in: each layer's kept weights
    times 1/sqrt(density), density = its kept / all weights, so that E[z^2] = density * fan_in *
    Var(w) / density matches the dense Kaiming net's. Returns {"remaining" (rounds + 1,) fraction
    of weights left, "ticket", "random" and "rescaled" test accuracies (rounds + 1,), "ticket_rms",
    "random_rms" and "rescaled_rms": the rms of the kept initial weights of each (rounds + 1,)}.
    """
    X, X_test, y, y_test = data.standardized_digits()
    names = [f"W{l}" for l in range(1, len(sizes))]
    net = MLP(list(sizes), np.random.default_rng(seed))
    theta0 = {k: v.copy() for k, v in net.params.items()}
    masks = pruning.initial_masks(theta0, names)
    rows = []
    for _ in range(rounds + 1):
        kept = {k: m.sum() for k, m in masks.items()}
        control = MLP(list(sizes), np.random.default_rng(1000 + seed)).params
        rescaled = {k: v / np.sqrt(kept[k] / masks[k].size) if k in masks else v for k, v in control.items()}
        runs = []
        for start in (theta0, control, rescaled):
            net.params = pruning.rewind(start, masks)
            rms = np.sqrt(sum(np.sum(net.params[k] ** 2) for k in names) / sum(kept.values()))
            train(net, X, y, np.random.default_rng(100 + seed), steps=steps, lr=lr, momentum=momentum,
                  batch_size=batch_size, masks=masks)
            runs.append((net.accuracy(X_test, y_test), rms, {k: v.copy() for k, v in net.params.items()}))
        rows.append([sum(kept.values()) / sum(m.size for m in masks.values()), *(run[0] for run in runs),
                     *(run[1] for run in runs)])
        masks = pruning.prune_round(runs[0][2], masks, dict(zip(names, fractions)))
    rows = np.array(rows)
    return {key: rows[:, i] for i, key in enumerate(["remaining", "ticket", "random", "rescaled", "ticket_rms",
                                                  "random_rms", "rescaled_rms"])}


METHOD_SEEDS = (0, 1, 2)


LOTTERY_SEEDS = (0, 1, 2)


LOTTERY_LR = 0.05  # every round, ticket and both controls


FIXUP_MAX_BLOCKS = 32


@functools.lru_cache(maxsize=1)
def digits_batch(rows=256):
    """The first `rows` standardized training digits: the batch the data-dependent inits look at.

    Used in: reading-list-methods § Reading list."""
    return data.standardized_digits()[0][:rows]


def krahenbuhl(seed=0):
    """`krahenbuhl_stages` on `digits_batch()`, computed once per seed.

    Used in: reading-list-methods § Data-dependent initialization (Krähenbühl et al., 2015)."""
    return _krahenbuhl(seed)


@functools.lru_cache(maxsize=2)
def _krahenbuhl(seed):
    return krahenbuhl_stages(digits_batch(), seed)


def stream_variances(blocks, init, seed=0):
    """Var(x_0..x_blocks) of `residual_stream_variances` on `digits_batch()`, computed once.

    Used in: reading-list-methods § Fixup."""
    return _stream_variances(blocks, init, seed)


@functools.lru_cache(maxsize=2 * (FIXUP_MAX_BLOCKS + 1))
def _stream_variances(blocks, init, seed):
    return residual_stream_variances(digits_batch(), blocks, init, seed)


def lottery_runs(seeds=LOTTERY_SEEDS):
    """{key: (seeds, rounds + 1) array} from `lottery_ticket` for each seed, computed once.

    Used in: reading-list-methods § The lottery ticket hypothesis (Frankle & Carbin, 2019)."""
    return _lottery_runs(tuple(seeds))


@functools.lru_cache(maxsize=2)
def _lottery_runs(seeds):
    runs = [lottery_ticket(seed, lr=LOTTERY_LR) for seed in seeds]
    return {key: np.array([run[key] for run in runs]) for key in runs[0]}


FIXUP_RATES = tuple(float(f"{10 ** (k / 2):.2g}") for k in range(-7, 0))  # sqrt(10) apart: 3.2e-4 .. 0.32


def fixup_sweep(seeds=METHOD_SEEDS, rates=FIXUP_RATES, target=0.5):
    """{"he", "fixup": `lib.comparison.Sweep`} of `residual_run` (8 blocks) over `rates` and `seeds`,
    steps until the running mean of 10 minibatch losses reaches `target`; computed once.

    Used in: reading-list-methods § Fixup."""
    return _fixup_sweep(tuple(seeds), tuple(rates), float(target))


@functools.lru_cache(maxsize=2)
def _fixup_sweep(seeds, rates, target):
    return compare({init: residual_run(init) for init in ("he", "fixup")}, rates, seeds, target, window=10)


START_RATES = FIXUP_RATES[1:6]  # 0.001 .. 0.1, sqrt(10) apart
START_SEEDS = (0, 1, 2)
START_TARGET, START_WINDOW = 1.5, 20  # a running mean of 20 minibatch losses <= 1.5


def start_sweeps(methods, seeds=START_SEEDS):
    """{method: `lib.comparison.Sweep`} of `start_run` for each of INIT_METHODS in `methods` over
    START_RATES and `seeds`, steps until the running mean of START_WINDOW minibatch losses reaches
    START_TARGET; computed once.

    Used in: reading-list-methods § Data-dependent initialization (Krähenbühl et al., 2015)."""
    return _start_sweeps(tuple(methods), tuple(seeds))


@functools.lru_cache(maxsize=2)
def _start_sweeps(methods, seeds):
    return compare({method: start_run(method) for method in methods}, START_RATES, seeds, START_TARGET,
                   window=START_WINDOW)
