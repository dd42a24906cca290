"""What the normalization page prints: batch normalization in deep tanh networks on the course's
standardized digits (trainability across init scales and depths, each at its best learning rate;
the largest stable rate), train versus evaluation mode at small batches, layer normalization, and
the smoothness of the loss along the gradient; with the settings, seeds and cached runs its
figures share.

Networks: `lib.network.MLP` with tanh, width `WIDTH`, weights N(0, std^2), zero biases, and with
`norm="batch"` a `lib.layers.BatchNorm` after every hidden linear layer; plain SGD on minibatches.
"""

import functools

import numpy as np

from lib import data, initializers, layers
from lib._parallel import forked_map
from lib._validate import as_int, as_number, one_of
from lib.comparison import compare
from lib.gradcheck import numerical_gradient, relative_error
from lib.network import MLP, ResidualMLP, steps_to_reach, train

WIDTH = 32  # units per hidden layer of the trained networks
BATCH = 64  # rows per minibatch (the small-batch table varies it)
SEEDS = (0, 1, 2)
NORMS = {"no norm": None, "BN": "batch", "LN": "layer"}

# The trainability map: every (depth, init std) cell, without and with BN, each at its best rate.
MAP_DEPTHS = (4, 10)
MAP_STDS = (0.01, 0.1, 0.5)
RATES = (0.1, 0.32, 1.0, 3.2, 10.0)  # sqrt(10) apart
MAP_STEPS = 40
MAP_TARGET = 1.0  # the running mean of 10 minibatch losses (chance: ln 10 = 2.30)


def sizes(depth, width=WIDTH):
    """[64, width, ..., width, 10]: `depth` weight layers from the 64 pixels to the 10 classes."""
    depth = as_int(depth, "depth", minimum=1)
    return [64] + [as_int(width, "width", minimum=1)] * (depth - 1) + [10]


def gradient_check(name, seed=0, n=8, d=5):
    """{"dx", "dgamma", "dbeta": relative error} of the backward pass of `lib.layers.<name>` (name
    "BatchNorm" or "LayerNorm") in training mode against central differences (h = 1e-5) of
    L = sum(S * forward(x)) for random S, x (n, d) ~ N(1, 2^2), gamma, beta ~ N(0, 1).

    Used in: normalization § The batch normalization layer."""
    layer = getattr(layers, one_of(name, "name", ("BatchNorm", "LayerNorm")))(as_int(d, "d", minimum=1))
    rng = np.random.default_rng(seed)
    layer.params["gamma"], layer.params["beta"] = rng.standard_normal(d), rng.standard_normal(d)
    x, S = 1.0 + 2.0 * rng.standard_normal((as_int(n, "n", minimum=2), d)), rng.standard_normal((n, d))

    def loss():
        return float(np.sum(S * layer.forward(x)))

    loss()
    dx = layer.backward(S)
    errors = {"dx": relative_error(dx, numerical_gradient(loss, x, h=1e-5))}
    for key in ("gamma", "beta"):
        errors[f"d{key}"] = relative_error(layer.grads[key], numerical_gradient(loss, layer.params[key], h=1e-5))
    return errors


def digits_run(norm, depth, std, steps=MAP_STEPS, batch_size=BATCH, target=MAP_TARGET):
    """A run(lr, seed) for `lib.comparison.sweep`: a tanh MLP of `depth` weight layers, W ~ N(0, std^2),
    with `norm` (None, "batch", "layer"), trained by SGD on minibatches of `batch_size` standardized
    training digits for at most `steps` steps; it stops once the running mean of 10 minibatch losses
    is <= target (the step `sweep` counts is then the last one: stopping changes no number it
    reports but the final loss) or a loss is above 4 times the loss before training (diverged, as
    `lib.comparison.training_run`). Returns {"losses", "accuracy"}: the test accuracy in evaluation
    mode (BN with its running statistics), 0 if the scores are no longer finite."""
    std = as_number(std, "std", above=0)
    return _digits_run(lambda rng: MLP(sizes(depth), rng, "tanh", init=std, norm=norm), steps, batch_size, target)


def _digits_run(make_net, steps, batch_size, target):
    """`digits_run`'s training loop for any network make_net(rng), rng = default_rng(seed)."""
    X, X_test, y, y_test = data.standardized_digits()

    def run(lr, seed):
        rng = np.random.default_rng(seed)
        net = make_net(rng)
        limit, losses = 4.0 * net.loss(X, y), []
        while len(losses) < steps and not (len(losses) >= 10 and np.mean(losses[-10:]) <= target):
            losses += train(net, X, y, rng, steps=1, lr=lr, batch_size=batch_size, stop_above=limit)["loss"]
            if not losses[-1] <= limit:
                break
        finite = np.all(np.isfinite(net.forward(X_test, train=False)))
        return {"losses": losses, "accuracy": net.accuracy(X_test, y_test) if finite else 0.0}

    return run


def trainability_map(depths=MAP_DEPTHS, stds=MAP_STDS, rates=RATES, seeds=SEEDS):
    """{(depth, std): {"no norm": Sweep, "BN": Sweep}}: `digits_run` of every cell over one grid of
    rates and seeds, steps until the running mean of 10 minibatch losses reaches MAP_TARGET; computed once.

    Used in: normalization § Training with batch normalization."""
    return _trainability_map(tuple(depths), tuple(stds), tuple(rates), tuple(seeds))


@functools.lru_cache(maxsize=2)
def _trainability_map(depths, stds, rates, seeds):
    return {(depth, std): compare({label: digits_run(NORMS[label], depth, std) for label in ("no norm", "BN")},
                                  rates, seeds, MAP_TARGET, window=10)
            for depth in depths for std in stds}


def largest_stable_rate(runs, steps=MAP_STEPS, target=MAP_TARGET):
    """The largest rate of a `Sweep` of `digits_run` or of `tie_back` at which no seed diverged: every
    run reached the target (running mean of 10 losses <= target), or trained all its `steps` steps
    and ended (the mean of its last 10 losses) below its first loss; None if there is none.

    Used in: normalization § Training with batch normalization; normalization § Tie back."""
    def stable(losses):
        last = np.mean(losses[-10:])
        return np.all(np.isfinite(losses)) and (last <= target or (len(losses) == steps and last < losses[0]))

    stable_rates = [rate for rate, row in zip(runs.rates, runs.losses) if all(stable(losses) for losses in row)]
    return max(stable_rates) if stable_rates else None


# Train versus evaluation: batch sizes, one rate for every method (not tuned; the page says so).
SMALL_BATCHES = (2, 4, 8, 32, 128)
SMALL_DEPTH, SMALL_STD, SMALL_STEPS, SMALL_LR = 4, 0.1, 100, 0.1


def small_batch_run(norm, batch_size, seed):
    """One tanh MLP (SMALL_DEPTH layers, W ~ N(0, SMALL_STD^2), `norm`) trained for SMALL_STEPS SGD
    steps at SMALL_LR on minibatches of `batch_size` digits: its test accuracy in evaluation mode
    (BN: running statistics) and in training mode on test batches of `batch_size` rows (BN: each
    batch's own statistics; the last, smaller batch included), a dict. BN's runs compute their
    products exactly (`lib.layers.Linear`): with batches of 2 they are chaotic, and BLAS's rounding,
    which differs between CPUs, changed their accuracy by several points."""
    batch_size = as_int(batch_size, "batch_size", minimum=2)
    X, X_test, y, y_test = data.standardized_digits()
    rng = np.random.default_rng(seed)
    kind = NORMS[one_of(norm, "norm", tuple(NORMS))]
    net = MLP(sizes(SMALL_DEPTH), rng, "tanh", init=SMALL_STD, norm=kind, exact=kind == "batch")
    train(net, X, y, rng, steps=SMALL_STEPS, lr=SMALL_LR, batch_size=batch_size)
    starts = range(0, len(X_test) - 1, batch_size)  # a last batch of one row would have no variance
    batch_predictions = np.concatenate([net.predict(X_test[s:s + batch_size + (len(X_test) - s - batch_size == 1)],
                                                    train=True) for s in starts])
    return {"eval": net.accuracy(X_test, y_test), "batch statistics": float(np.mean(batch_predictions == y_test))}


def small_batch_table(norms=("no norm", "BN", "LN"), batch_sizes=SMALL_BATCHES, seeds=SEEDS):
    """{(norm, batch size): {"eval": (seeds,) accuracies, "batch statistics": (seeds,)}}, computed once.

    Used in: normalization § Train versus evaluation."""
    return _small_batch_table(tuple(norms), tuple(batch_sizes), tuple(seeds))


@functools.lru_cache(maxsize=2)
def _small_batch_table(norms, batch_sizes, seeds):
    runs = iter(forked_map(small_batch_run, [(norm, batch_size, seed) for norm in norms
                                             for batch_size in batch_sizes for seed in seeds]))
    table = {}
    for norm in norms:
        for batch_size in batch_sizes:
            mine = [next(runs) for _ in seeds]
            table[norm, batch_size] = {key: np.array([run[key] for run in mine]) for key in mine[0]}
    return table


def running_average(values, momentum, convention="pytorch", start=0.0):
    """The running average of a sequence of batch statistics: PyTorch's momentum weights the new
    value, r <- (1 - momentum) r + momentum v; Keras's weights the old one, r <- momentum r +
    (1 - momentum) v. Returns the values of r after each update.

    Used in: normalization § Train versus evaluation."""
    momentum = as_number(momentum, "momentum", minimum=0)
    new = momentum if one_of(convention, "convention", ("pytorch", "keras")) == "pytorch" else 1 - momentum
    r, out = as_number(start, "start"), []
    for v in values:
        r = (1 - new) * r + new * v
        out.append(r)
    return np.array(out)


# Smoothness along the gradient (Santurkar et al. 2018): depth, std and rate of the measured runs.
SMOOTH_DEPTH, SMOOTH_STD, SMOOTH_LR, SMOOTH_STEPS, SMOOTH_EVERY = 4, 0.1, 1.0, 60, 10
SMOOTH_STEP_SIZES = (0.1, 0.32, 1.0)  # multiples of the training rate, along -grad


def gradient_smoothness(norm, seed, steps=SMOOTH_STEPS, every=SMOOTH_EVERY, lr=SMOOTH_LR):
    """Every `every` steps of SGD at `lr` (minibatches of BATCH digits), on the step's minibatch:
    beta = max over eta in SMOOTH_STEP_SIZES * lr of ||g(theta - eta g) - g(theta)|| / ||eta g||,
    the largest change of the gradient g per unit of distance along the step (Santurkar et al.'s
    "effective beta-smoothness": smaller is smoother). Returns (betas, losses)."""
    X, _, y, _ = data.standardized_digits()
    rng = np.random.default_rng(seed)
    net = MLP(sizes(SMOOTH_DEPTH), rng, "tanh", init=SMOOTH_STD, norm=norm)
    betas, losses = [], []
    for step in range(steps):
        idx = rng.choice(len(X), BATCH, replace=False)
        loss, grads = net.loss_and_grads(X[idx], y[idx])
        losses.append(loss)
        if step % every == 0:
            start = {k: v.copy() for k, v in net.params.items()}
            norm_g = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
            changes = []
            for multiple in SMOOTH_STEP_SIZES:
                eta = multiple * lr
                for k in net.params:
                    net.params[k] = start[k] - eta * grads[k]
                _, moved = net.loss_and_grads(X[idx], y[idx])
                diff = np.sqrt(sum(np.sum((moved[k] - grads[k]) ** 2) for k in grads))
                changes.append(diff / (eta * norm_g))
            net.params.update(start)
            betas.append(max(changes))
        for k, g in grads.items():
            net.params[k] = net.params[k] - lr * g
    return np.array(betas), np.array(losses)


def smoothness(norms=("no norm", "BN"), seeds=SEEDS):
    """{norm: (betas (seeds, checks), losses (seeds, steps))} of `gradient_smoothness`, computed once.

    Used in: normalization § Why does it help?"""
    return _smoothness(tuple(norms), tuple(seeds))


@functools.lru_cache(maxsize=2)
def _smoothness(norms, seeds):
    runs = iter(forked_map(gradient_smoothness, [(NORMS[label], seed) for label in norms for seed in seeds]))
    out = {}
    for label in norms:
        mine = [next(runs) for _ in seeds]
        out[label] = (np.array([b for b, _ in mine]), np.array([l for _, l in mine]))
    return out


class NoisyBatchNorm(layers.BatchNorm):
    """Santurkar et al.'s noise injection: a `lib.layers.BatchNorm` whose output, in training, is then
    scaled and shifted per unit by noise redrawn at every forward pass, so the distribution it passes
    on moves at every step (a non-zero mean and a non-unit variance):

        y <- s * y + m,   s ~ U(1 / (1 + a), 1 + a), m ~ U(-a, a)   (num_features,), from `rng`,
    a = `amount`
    Backward: dout * s into BatchNorm's backward (dgamma, dbeta likewise). Evaluation: no noise."""

    def __init__(self, num_features, rng, amount):
        super().__init__(num_features)
        self.rng, self.amount = rng, as_number(amount, "amount", minimum=0)

    def forward(self, x, train=True):
        y = super().forward(x, train=train)
        if not train:
            self._scale = np.ones(self.num_features)
            return y
        a = self.amount
        self._scale = self.rng.uniform(1 / (1 + a), 1 + a, self.num_features)
        return y * self._scale + self.rng.uniform(-a, a, self.num_features)

    def backward(self, dout):
        return super().backward(self._check_dout(dout) * self._scale)


NOISE_DEPTH, NOISE_STD, NOISE_LR = 10, 0.5, 1.0  # the map's depth-10, std-0.5 cell at BN's best rate
NOISE_VARIANTS = ("no norm", "BN", "BN + noise")
NOISE_AMOUNT = 0.5


def noise_injection_run(variant, seed, amount=NOISE_AMOUNT, steps=MAP_STEPS, target=MAP_TARGET, probe_rows=256):
    """One run of the noise-injection control on the digits: the tanh MLP of NOISE_DEPTH layers,
    W ~ N(0, NOISE_STD^2), `variant` in NOISE_VARIANTS ("BN + noise": every BN a `NoisyBatchNorm`,
    its noise from rng(seed + 1000)), SGD at NOISE_LR with exact products (`lib.layers.Linear`:
    the noisy and the unnormalized runs are chaotic) for `steps` steps. After every step, one
    forward pass in training mode on a fixed probe batch (the first `probe_rows` training rows), so
    that what moves is the network (and its noise), not the minibatch. Returns {"steps": steps
    until the running mean of 10 losses <= target (inf if never), "loss": the mean of the last 10,
    "shift": the median over steps of the mean over units of |change of a unit's mean on the probe
    batch| / its std there, at the input of the first tanh, from one step to the next (how far the
    distribution moves per step)}."""
    X, _, y, _ = data.standardized_digits()
    probe = X[:probe_rows]
    rng = np.random.default_rng(seed)
    net = MLP(sizes(NOISE_DEPTH), rng, "tanh", init=NOISE_STD,
              norm=None if one_of(variant, "variant", NOISE_VARIANTS) == "no norm" else "batch", exact=True)
    if variant == "BN + noise":
        noise = np.random.default_rng(seed + 1000)
        net.layers = [NoisyBatchNorm(layer.num_features, noise, amount) if isinstance(layer, layers.BatchNorm) else layer
                      for layer in net.layers]
    losses, means, stds = [], [], []
    for _ in range(steps):
        losses += train(net, X, y, rng, steps=1, lr=NOISE_LR, batch_size=BATCH)["loss"]
        net.forward(probe)  # training mode, as the layers see a batch in training
        z = net.pre_activations[0]  # the first tanh's input on the probe batch (probe_rows, width)
        means.append(z.mean(axis=0))
        stds.append(z.std(axis=0))
    reached = steps_to_reach(losses, target, window=10)
    shift = np.abs(np.diff(means, axis=0)) / np.array(stds[1:])  # in units of the unit's std
    return {"steps": np.inf if reached is None else float(reached), "loss": float(np.mean(losses[-10:])),
            "shift": float(np.median(shift.mean(axis=1)))}


NOISE_SETTINGS = (("no norm", 0.0), ("BN", 0.0), ("BN + noise", 0.25), ("BN + noise", 1.0))


def noise_injection(settings=NOISE_SETTINGS, seeds=SEEDS):
    """{(variant, amount): {"steps", "loss", "shift": (seeds,) arrays}} of `noise_injection_run`,
    computed once.

    Used in: normalization § Why does it help?"""
    return _noise_injection(tuple(settings), tuple(seeds))


@functools.lru_cache(maxsize=2)
def _noise_injection(settings, seeds):
    runs = iter(forked_map(noise_injection_run, [(variant, seed, amount) for variant, amount in settings
                                                  for seed in seeds]))
    out = {}
    for variant, amount in settings:
        mine = [next(runs) for _ in seeds]
        out[variant, amount] = {key: np.array([run[key] for run in mine]) for key in mine[0]}
    return out


# Tie back: the map's deep network (depth 10, width 32, the same digits, steps and target) kept
# trainable by four methods, each with its own init and activation, on the map's grid of rates.
TIE_DEPTH, TIE_BN_STD = 10, 0.5  # BN's start: the map's fastest depth-10 cell
TIE_METHODS = ("BN", "SELU", "LSUV", "Fixup")
TIE_RATES = (0.032, 0.1, 0.32, 1.0, 3.2)  # the map's grid one step lower: on it SELU's best was 0.1, its end


def tie_back_net(method, rng, depth=TIE_DEPTH):
    """The network of one of TIE_METHODS, `depth` weight layers of width WIDTH from the 64 pixels
    to the 10 classes, drawn from rng:
    "BN": tanh MLP, W ~ N(0, TIE_BN_STD^2), a BatchNorm before every tanh (the map's network);
    "SELU": SELU MLP, LeCun normal W ~ N(0, 1/fan_in), no normalization;
    "LSUV": tanh MLP, orthogonal W rescaled by `lib.initializers.lsuv` on the first BATCH training
    digits (Var(z_l) within 0.1 of 1, at most 10 rescalings per layer), no normalization;
    "Fixup": `lib.network.ResidualMLP` with init="fixup", ReLU, a stem, (depth - 2) / 2 blocks of
    two layers and a classifier (depth even), no normalization."""
    method = one_of(method, "method", TIE_METHODS)
    depth = as_int(depth, "depth", minimum=2)
    if method == "Fixup":
        if depth % 2:
            raise ValueError(f"depth must be even for Fixup (stem + 2 layers a block + classifier), got {depth}")
        return ResidualMLP(64, WIDTH, 10, (depth - 2) // 2, rng, branch_layers=2, init="fixup")
    if method == "BN":
        return MLP(sizes(depth), rng, "tanh", init=TIE_BN_STD, norm="batch")
    if method == "SELU":
        return MLP(sizes(depth), rng, "selu", init="lecun_normal")
    net = MLP(sizes(depth), rng, "tanh", init="orthogonal")
    initializers.lsuv(net, data.standardized_digits()[0][:BATCH])
    return net


def tie_back(methods=TIE_METHODS, rates=TIE_RATES, seeds=SEEDS):
    """{method: Sweep}: `tie_back_net` of every method trained as `digits_run` (SGD on minibatches
    of BATCH digits, at most MAP_STEPS steps, steps until the running mean of 10 losses <=
    MAP_TARGET) at every rate of one grid and every seed; computed once.

    Used in: normalization § Tie back."""
    return _tie_back(tuple(methods), tuple(rates), tuple(seeds))


@functools.lru_cache(maxsize=2)
def _tie_back(methods, rates, seeds):
    runs = {m: _digits_run(functools.partial(tie_back_net, m), MAP_STEPS, BATCH, MAP_TARGET) for m in methods}
    return compare(runs, rates, seeds, MAP_TARGET, window=10)
