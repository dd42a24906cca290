"""A tiny fully connected network with hand-written backprop, for the course's experiments.

Forward, for layers l = 1..L, with h_0 = X (N, D) and W_l (fan_in, fan_out) used as `h @ W`:

    z_l = h_{l-1} @ W_l + b_l          (N, fan_out)
    h_l = f(z_l; theta_l)              hidden layers l < L; theta_l: the activation's learned
                                       parameters of layer l (PReLU's alpha), if any
    scores = z_L                       (N, C)

Losses: "cross_entropy" (softmax over scores, y integer labels (N,)) or "mse" (y (N, C), mean
over N of 0.5 * ||scores - y||^2).

Backward, with g_l = dLoss/dz_l (N, fan_out) and g_L = dLoss/dscores from the loss:

    dLoss/dW_l = h_{l-1}^T @ g_l       (fan_in, fan_out)
    dLoss/db_l = sum over rows of g_l  (fan_out,)
    dLoss/dh_{l-1} = g_l @ W_l^T       (N, fan_in)
    g_{l-1} = dLoss/dh_{l-1} * f'(z_{l-1})                        elementwise
    dLoss/dtheta_{l-1} = sum of dLoss/dh_{l-1} * df/dtheta(z_{l-1})  (all units share theta)

After `forward`, the network keeps what the experiments measure: `pre_activations` (z_1..z_{L-1})
and `hidden` (h_1..h_{L-1}); after `loss_and_grads` (or `backward`) also `hidden_grads`
(dLoss/dh_1..dLoss/dh_{L-1}) and `pre_activation_grads` (g_1..g_L).

The network is a list of `lib.layers` (Linear, Activation and, with `norm`, a BatchNorm or
LayerNorm between them), each a forward/backward pair; a normalization layer is the one layer whose
forward differs between training (batch statistics) and evaluation (running statistics): `forward`,
`loss`, `predict` and `accuracy` take `train` (training mode for forward and loss, evaluation for
predict and accuracy by default); `train` trains in training mode.

`ResidualMLP` is a residual network of such layers with Fixup's scalar biases and multipliers (its
equations in its docstring). `train` trains either, optionally with fixed pruning masks.
"""

import numpy as np

from lib import activations as act
from lib import initializers, layers
from lib._validate import (as_dict, as_float_array, as_int, as_list, as_masks, as_names, as_number, check_finite,
                           check_rng, check_rows, one_of)

LOSSES = ("cross_entropy", "mse")
NORMS = {"batch": layers.BatchNorm, "layer": layers.LayerNorm}


class _Classifier:
    """What every network here shares: the loss, predictions and accuracy, in a train or an
    evaluation mode (`forward(X, train)`; only normalization layers tell the two apart)."""

    def loss(self, X, y, train=True):
        """The loss on (X, y), a float; in training mode by default, like the losses `train` records."""
        return float(_loss_and_dscores(self.loss_name, self.forward(X, train=train), y)[0])

    def predict(self, X, train=False):
        """Predicted class per row (N,) (argmax of the scores), in evaluation mode by default;
        ValueError if a score is NaN."""
        return _predict(self.forward(X, train=train))

    def accuracy(self, X, y, train=False):
        """Fraction of rows whose predicted class equals y (N,), in evaluation mode by default."""
        return accuracy_of(self.forward(X, train=train), y)


class MLP(_Classifier):
    """A fully connected network: sizes [D, H_1, ..., H_{L-1}, C], one activation for hidden layers.

    Built from `lib.layers`: per hidden layer l, Linear -> [BatchNorm or LayerNorm] -> Activation;
    then a last Linear. `layers` lists them in order; `params` holds every learned array by name
    ("W1", "b1", "gamma1", "beta1", "alpha1", ...), and the layers read them from it at each pass.
    activation: a name in `lib.activations.ACTIVATIONS`. Each parameter its record lists as
    learned (PReLU's "alpha") becomes one scalar per hidden layer, `params["alpha1"]`, ...,
    starting at `activation_params` or the activation's default (PyTorch: 0.25).
    init: an initializer name from `lib.initializers`, a float std, or a callable(shape, rng).
    Biases start at `bias` (default 0).
    norm: None, "batch" (`lib.layers.BatchNorm` after each hidden linear layer, before its
    activation, as Ioffe & Szegedy place it) or "layer" (`lib.layers.LayerNorm` there); its gamma
    and beta are `params["gamma{l}"]`, `params["beta{l}"]`, and `norms` lists the norm layers.
    exact: products by `np.einsum`, the same bits on every CPU (see `lib.layers.Linear`).
    """

    def __init__(self, sizes, rng, activation="relu", init="kaiming_normal", activation_params=None,
                 loss="cross_entropy", bias=0.0, norm=None, exact=False):
        check_rng(rng)
        sizes = [as_int(n, "each of sizes", minimum=1) for n in as_list(sizes, "sizes")]
        if len(sizes) < 2:
            raise ValueError(f"sizes must be at least two positive ints [D, ..., C], got {sizes!r}")
        self.sizes, self.loss_name = sizes, one_of(loss, "loss", LOSSES)
        self.activation = act.get_activation(activation)
        self.activation_params = _check_activation_params(self.activation, activation_params)
        make_norm = None if norm is None else NORMS[one_of(norm, "norm", tuple(NORMS))]
        make = initializers.resolve(init)
        bias = as_number(bias, "bias")
        self.params, self.layers, self.norms, self._names, self._kinds = {}, [], [], [], []
        for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.params[f"W{l}"] = _initial_weight(make, (fan_in, fan_out), rng)
            self.params[f"b{l}"] = np.full(fan_out, bias)
            self._add(layers.Linear(self.params[f"W{l}"], self.params[f"b{l}"], exact), l)
            if l < self.depth:
                for name in self.activation.learned:
                    self.params[f"{name}{l}"] = np.array(float(self.activation_params[name]))
                if make_norm is not None:
                    self.norms.append(self._add(make_norm(fan_out), l))
                fixed = {k: v for k, v in self.activation_params.items() if k not in self.activation.learned}
                learned = {name: self.params[f"{name}{l}"] for name in self.activation.learned}
                self._add(layers.Activation(self.activation, fixed, learned), l)
        self.pre_activations, self.hidden, self.hidden_grads, self.pre_activation_grads = [], [], [], []

    def _add(self, layer, l):
        """Append `layer` of hidden layer l; its parameters become params["<name>{l}"]."""
        for name, value in layer.params.items():
            self.params[f"{name}{l}"] = value
        self.layers.append(layer)
        self._names.append(tuple((name, f"{name}{l}") for name in layer.params))
        self._kinds.append("activation" if isinstance(layer, layers.Activation)
                           else "linear" if isinstance(layer, layers.Linear) else "norm")
        return layer

    @property
    def depth(self):
        """Number of weight layers L."""
        return len(self.sizes) - 1

    @property
    def n_classes(self):
        return self.sizes[-1]

    def forward(self, X, train=True):
        """Scores (N, C) for inputs X (N, D), in training mode (norm layers use the batch's
        statistics and update their running ones) or evaluation mode (train=False: the running
        ones); keeps z_l (the activations' inputs) and h_l for `loss_and_grads`."""
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (N, {self.sizes[0]}), got {X.shape}")
        self.pre_activations, self.hidden, self._X = [], [], X
        h, params = X, self.params
        for layer, names, kind in zip(self.layers, self._names, self._kinds):
            if names:
                layer.params = {name: params[key] for name, key in names}
            if kind == "activation":
                self.pre_activations.append(h)
                h = layer.forward(h, train=train)
                self.hidden.append(h)
            else:
                h = layer.forward(h, train=train)
        return h

    def loss_and_grads(self, X, y):
        """(loss, grads) in training mode: grads has the keys of `params`, each dLoss/dparam of the
        same shape; each layer's backward from the last to the first (`backward`)."""
        scores = self.forward(X)
        loss, g = _loss_and_dscores(self.loss_name, scores, y)  # g = g_L = dLoss/dz_L (N, C)
        return float(loss), self.backward(g)

    def backward(self, g):
        """grads (keys of `params`) for g = dLoss/dscores (N, C) of the last `forward`.

        Backpropagates any output signal, not only a loss's: e.g. a random one, as the
        data-dependent initialization of `lib.initializers.equalize_change_rates` does. Keeps
        `hidden_grads` (dLoss/dh_l) and `pre_activation_grads` (dLoss/dz_l at each linear layer's output).
        """
        if not hasattr(self, "_X"):
            raise ValueError("backward needs the activations of a forward pass: call forward(X) first")
        g = as_float_array(g, "g")
        if g.shape != (self._X.shape[0], self.sizes[-1]):
            raise ValueError(f"g must have the shape of the last scores, "
                             f"{(self._X.shape[0], self.sizes[-1])}, got {g.shape}")
        grads, hidden_grads, pre_activation_grads = {}, [], []
        for layer, names, kind in zip(reversed(self.layers), reversed(self._names), reversed(self._kinds)):
            if kind == "activation":
                hidden_grads.append(g)  # dLoss/dh_l: (N, H_l)
            elif kind == "linear":
                pre_activation_grads.append(g)  # g_l = dLoss/dz_l: (N, fan_out)
            g = layer.backward(g)
            for name, key in names:
                grads[key] = layer.grads[name]
        self.hidden_grads, self.pre_activation_grads = hidden_grads[::-1], pre_activation_grads[::-1]
        return grads


class ResidualMLP(_Classifier):
    """A residual MLP with no normalization: a stem, L blocks x + branch(x), a classifier.

    Width H, L = `blocks`, m = `branch_layers` weight layers per branch; X (N, D), every x_i (N, H):

        x_0 = X @ W_in + b_in
        block i = 1..L, with a_{i,0} = x_{i-1} and for j = 1..m:
            u_ij = relu(a_{i,j-1} + p_ij) + q_ij          (N, H)
            a_ij = u_ij @ W_ij                            W_ij (H, H)
            x_i = x_{i-1} + s_i * a_im + r_i
        scores = (relu(x_L + p_out) + q_out) @ W_out + b_out      (N, C)

    The branches are "pre-activation" (a ReLU before each weight layer) and have no vector biases.
    The scalars are Fixup's (Zhang et al. 2019): a bias before each activation (p) and each linear
    layer (q), a multiplier s_i (starts at 1) and a bias r_i (starts at 0) at the end of each
    branch; all are learned parameters, like the weights. Parameter names: "W_in", "b_in",
    "W{i}_{j}", "p{i}_{j}", "q{i}_{j}", "s{i}", "r{i}", "p_out", "q_out", "W_out", "b_out".

    Backward, with G_i = dLoss/dx_i (N, H) and, inside block i, dA = dLoss/da_ij:
        dr_i = sum G_i;  ds_i = sum G_i * a_im;  dA = s_i G_i          (for j = m)
        dW_ij = u_ij^T dA;  dU = dA @ W_ij^T;  dq_ij = sum dU;
        dP = dU * [a_{i,j-1} + p_ij > 0];  dp_ij = sum dP;  dA <- dP  (now dLoss/da_{i,j-1})
        G_{i-1} = G_i + dA                          (the identity path plus the branch)
    and the classifier and stem as in `MLP`.

    init: "he" (every weight layer Kaiming normal, the stem LeCun normal as no ReLU precedes it)
    or "fixup" (`lib.initializers.fixup_init`). After `forward`, `stream` holds x_0 .. x_L.
    """

    def __init__(self, D, width, C, blocks, rng, branch_layers=2, init="he", loss="cross_entropy"):
        check_rng(rng)
        self.D, self.width, self.C = (as_int(D, "D", minimum=1), as_int(width, "width", minimum=1),
                                      as_int(C, "C", minimum=1))
        self.blocks = as_int(blocks, "blocks", minimum=0)
        self.branch_layers = as_int(branch_layers, "branch_layers", minimum=1)
        self.loss_name = one_of(loss, "loss", LOSSES)
        self.params = {}
        if one_of(init, "init", ("he", "fixup")) == "fixup":
            initializers.fixup_init(self, rng)
        else:
            self.start(rng, lambda i, j, shape, rng: initializers.kaiming_normal(shape, rng),
                       initializers.kaiming_normal)
        self.stream = []

    def start(self, rng, branch_weight, classifier_weight):
        """Set every parameter to its starting value (the one place that lists them):

        the stem W_in LeCun normal (no ReLU before it); branch weights
        W_ij = branch_weight(i, j, (H, H), rng); the classifier W_out = classifier_weight((H, C), rng);
        vector biases b_in, b_out 0; scalar biases p, q, r 0 and multipliers s 1. Draws from rng in
        that order: W_in, then W_i1 .. W_im block by block, then W_out.
        """
        H, m, p = self.width, self.branch_layers, self.params
        p["W_in"], p["b_in"] = initializers.lecun_normal((self.D, H), rng), np.zeros(H)
        for i in range(1, self.blocks + 1):
            for j in range(1, m + 1):
                p[f"W{i}_{j}"] = branch_weight(i, j, (H, H), rng)
                p[f"p{i}_{j}"], p[f"q{i}_{j}"] = np.array(0.0), np.array(0.0)
            p[f"s{i}"], p[f"r{i}"] = np.array(1.0), np.array(0.0)
        p["W_out"], p["b_out"] = classifier_weight((H, self.C), rng), np.zeros(self.C)
        p["p_out"], p["q_out"] = np.array(0.0), np.array(0.0)

    @property
    def n_classes(self):
        return self.C

    def forward(self, X, train=True):
        """Scores (N, C) for inputs X (N, D); keeps what `loss_and_grads` needs and `stream`.
        No layer here differs between training and evaluation: `train` changes nothing."""
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.D:
            raise ValueError(f"X must have shape (N, {self.D}), got {X.shape}")
        p = self.params
        x = X @ p["W_in"] + p["b_in"]
        self.stream, self._cache, self._X = [x], [], X
        for i in range(1, self.blocks + 1):
            a, branch = x, []
            for j in range(1, self.branch_layers + 1):
                pre = a + p[f"p{i}_{j}"]
                u = np.maximum(pre, 0.0) + p[f"q{i}_{j}"]
                branch.append((pre, u))
                a = u @ p[f"W{i}_{j}"]
            self._cache.append((branch, a))
            x = x + p[f"s{i}"] * a + p[f"r{i}"]
            self.stream.append(x)
        pre = x + p["p_out"]
        self._out = (pre, np.maximum(pre, 0.0) + p["q_out"])
        return self._out[1] @ p["W_out"] + p["b_out"]

    def loss_and_grads(self, X, y):
        """(loss, grads): grads has the keys of `params`; the backward equations of the docstring."""
        loss, g = _loss_and_dscores(self.loss_name, self.forward(X), y)
        p, grads = self.params, {}
        pre, u = self._out
        grads["W_out"], grads["b_out"] = u.T @ g, g.sum(axis=0)
        du = g @ p["W_out"].T
        grads["q_out"] = np.array(du.sum())
        G = du * (pre > 0)  # dLoss/dx_L
        grads["p_out"] = np.array(G.sum())
        for i in range(self.blocks, 0, -1):
            branch, a = self._cache[i - 1]
            grads[f"r{i}"], grads[f"s{i}"] = np.array(G.sum()), np.array(np.sum(G * a))
            dA = p[f"s{i}"] * G
            for j in range(self.branch_layers, 0, -1):
                pre, u = branch[j - 1]
                grads[f"W{i}_{j}"] = u.T @ dA
                dU = dA @ p[f"W{i}_{j}"].T
                grads[f"q{i}_{j}"] = np.array(dU.sum())
                dA = dU * (pre > 0)
                grads[f"p{i}_{j}"] = np.array(dA.sum())
            G = G + dA  # identity path + branch
        grads["W_in"], grads["b_in"] = self._X.T @ G, G.sum(axis=0)
        return float(loss), grads



def _check_activation_params(activation, given):
    """The activation's parameters: its defaults updated by `given` (a dict or None). ValueError
    for a key the activation does not have; the values are checked by the activation itself, once,
    on a zero input (so a bad value is reported here, naming it, not at the first forward pass)."""
    params = {**activation.defaults, **as_dict({} if given is None else given, "activation_params",
                                               allowed=activation.defaults,
                                               what=f"parameters of {activation.name!r}")}
    activation.f(np.zeros(1), **params)
    return params


def _initial_weight(make, shape, rng):
    """make(shape, rng) as a float64 array, or an error naming init if it is not a finite array
    of exactly that shape (a callable init could return anything)."""
    W = as_float_array(make(shape, rng), "the array init returned")
    if W.shape != shape:
        raise ValueError(f"init must return an array of the shape it is given, {shape}; got {W.shape}")
    return check_finite(np.asarray(W, dtype=np.float64), "the array init returned")


def _predict(scores):
    """argmax of each row of the scores (N, C), or ValueError if a score is NaN (argmax would
    silently say class 0)."""
    nan_rows = np.flatnonzero(np.isnan(scores).any(axis=1))
    if nan_rows.size:
        raise ValueError(f"the scores of {nan_rows.size} rows of X (first: row {nan_rows[0]}) are NaN: X has NaN "
                         "or the network's parameters diverged; no class can be predicted")
    return np.argmax(scores, axis=1)


def accuracy_of(scores, y):
    """Fraction of rows of scores (N, C) whose argmax is the label y (N,); ValueError if a score is
    NaN or y is not N labels in [0, C)."""
    predicted = _predict(scores)
    return float(np.mean(predicted == _check_labels(y, len(predicted), scores.shape[1])))


def _loss_and_dscores(loss_name, scores, y):
    """(loss, dLoss/dscores (N, C)) of scores (N, C) for the loss `loss_name` (one of LOSSES)."""
    n = scores.shape[0]
    if n == 0:
        raise ValueError("X has no rows: the loss is a mean over rows and needs at least one")
    if loss_name == "mse":
        y = as_float_array(y, "y")
        if y.shape != scores.shape:
            raise ValueError(f"y must have shape {scores.shape} for the mse loss, got {y.shape}")
        diff = scores - y
        return 0.5 * np.sum(diff * diff) / n, diff / n
    y = _check_labels(y, n, scores.shape[1])
    # softmax cross-entropy: loss = -mean log p[y], dLoss/dscores = (p - onehot(y)) / N
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    probs[np.arange(n), y] -= 1.0
    return -log_probs[np.arange(n), y].mean(), probs / n


def _check_labels(y, n, n_classes):
    """y as n integer labels (n,) in [0, n_classes), or ValueError (e.g. for a (n, 1) column)."""
    y = np.asarray(y)
    if y.shape != (n,) or y.dtype.kind not in "iu" or (n and (y.min() < 0 or y.max() >= n_classes)):
        raise ValueError(f"y must be {n} integer labels in [0, {n_classes}) of shape ({n},), "
                         f"got shape {y.shape}, dtype {y.dtype}")
    return y


def train(net, X, y, rng, steps, lr, momentum=0.0, batch_size=None, record=(), stop_below=None,
          masks=None, stop_above=None):
    """Train `net` with SGD (+ momentum) on minibatches; returns a history of lists per step.

    X (N, D), y (N,) labels (or (N, C) targets for the mse loss). `net` is any network with
    `params` and `loss_and_grads(X, y)` (an `MLP`, a `ResidualMLP`).

    v <- momentum * v - lr * grad;  param <- param + v.
    batch_size None uses all N rows each step. history["loss"][t] is the minibatch loss at step t;
    for each parameter name in `record` (e.g. "alpha1"), history[name][t] is its value after step t.
    Training stops early after the first step whose loss is <= stop_below (if given), and after the
    first step whose loss is > stop_above (if given) or not finite: the run diverged.
    masks: {parameter name: 0/1 array of its shape}, a pruned network (`lib.pruning`): each such
    parameter is multiplied by its mask before the first step and its gradient by the mask at
    every step (grad <- mask * grad), so pruned weights stay exactly 0.
    """
    check_rng(rng)
    if not (hasattr(net, "params") and hasattr(net, "loss_and_grads")):
        raise TypeError(f"net must be a network with params and loss_and_grads (an MLP, a ResidualMLP), "
                        f"got {type(net).__name__}")
    lr, momentum = as_number(lr, "lr", above=0), as_number(momentum, "momentum", minimum=0)
    if not momentum < 1:
        raise ValueError(f"momentum must be < 1, got {momentum}")
    steps = as_int(steps, "steps", minimum=0)
    batch_size = None if batch_size is None else as_int(batch_size, "batch_size", minimum=1)
    stop_below = None if stop_below is None else as_number(stop_below, "stop_below", infinite=True)
    stop_above = np.inf if stop_above is None else as_number(stop_above, "stop_above", infinite=True)
    record = as_names(record, "record")
    unknown = [name for name in record if name not in net.params]
    if unknown:
        raise ValueError(f"cannot record {unknown}: not parameters of the network ({', '.join(net.params)})")
    X, y = _check_training_data(X, y)
    n = X.shape[0]
    masks = {} if masks is None else as_masks(masks, net.params, "names, not parameters of the network")
    for k, mask in masks.items():
        net.params[k] *= mask
    velocity = {k: np.zeros_like(v) for k, v in net.params.items()}
    history = {"loss": [], **{name: [] for name in record}}
    for _ in range(steps):
        idx = slice(None) if batch_size is None or batch_size >= n else rng.choice(n, batch_size, replace=False)
        loss, grads = net.loss_and_grads(X[idx], y[idx])
        for k, g in grads.items():
            if k in masks:
                g = g * masks[k]
            velocity[k] = momentum * velocity[k] - lr * g
            net.params[k] += velocity[k]
        history["loss"].append(loss)
        for name in record:
            history[name].append(float(np.mean(net.params[name])))
        if (stop_below is not None and loss <= stop_below) or not loss <= stop_above:
            break
    return history


def _check_training_data(X, y):
    """(X as a finite float array with at least one row, y as an array of as many rows), once per
    `train` call; the network checks X's width and y's labels or targets at each step."""
    X, y = as_float_array(X, "X"), np.asarray(y)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X must be a 2-D array (N, D) with at least one row, got shape {X.shape}")
    check_rows(X, y)
    return check_finite(X, "X"), y


def steps_to_loss(net, X, y, rng, target, max_steps, lr, momentum=0.0):
    """Full-batch training of `net` until its loss first reaches `target`: (steps or None, losses),
    steps = `steps_to_reach(losses, target, window=1)`, the course's one count of steps to a target."""
    losses = train(net, X, y, rng, steps=max_steps, lr=lr, momentum=momentum, stop_below=target)["loss"]
    return steps_to_reach(losses, target, window=1), losses


def steps_to_reach(losses, target, window=10):
    """First step after which the running mean of `window` losses is <= target, or None.

    A running mean, because minibatch losses jump around a target they have not yet reached.
    """
    window = as_int(window, "window", minimum=1)
    target = as_number(target, "target", infinite=True)  # +inf: any loss
    losses = np.asarray(losses, dtype=float)
    if losses.size < window:
        return None
    means = np.convolve(losses, np.ones(window) / window, mode="valid")
    below = np.flatnonzero(means <= target)
    return int(below[0] + window) if below.size else None
