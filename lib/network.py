"""A tiny fully connected network with hand-written backprop, for the course's experiments.

Layer l (l = 1..L) computes z_l = h_{l-1} @ W_l + b_l, with h_0 = X (N, D) and W_l (fan_in, fan_out).
Hidden layers apply an activation, h_l = f(z_l); the last layer's z_L are the scores (N, C).
Losses: "cross_entropy" (softmax over scores, y integer labels (N,)) or "mse" (y (N, C), mean over N
of 0.5 * ||scores - y||^2).

After `forward`, the network keeps what the experiments measure: `pre_activations` (z_1..z_{L-1})
and `hidden` (h_1..h_{L-1}); after `loss_and_grads` also `hidden_grads` (dLoss/dh_1..dLoss/dh_{L-1}).
"""

import numpy as np

from lib import activations as act
from lib import initializers
from lib._validate import as_float_array, as_number, check_rng

LOSSES = ("cross_entropy", "mse")


class MLP:
    """A fully connected network: sizes [D, H_1, ..., H_{L-1}, C], one activation for hidden layers.

    activation: a name in `lib.activations.ACTIVATIONS`; "prelu" gets one learned alpha per hidden
    layer (`params["alpha1"]`, ...), starting at `activation_params["alpha"]` (PyTorch: 0.25).
    init: an initializer name from `lib.initializers`, a float std, or a callable(shape, rng).
    Biases start at `bias` (default 0).
    """

    def __init__(self, sizes, rng, activation="relu", init="kaiming_normal", activation_params=None,
                 loss="cross_entropy", bias=0.0):
        check_rng(rng)
        sizes = list(sizes)
        if len(sizes) < 2 or any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1
                                 for n in sizes):
            raise ValueError(f"sizes must be at least two positive ints [D, ..., C], got {sizes!r}")
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
        self.sizes, self.loss_name = sizes, loss
        self.activation = act.get_activation(activation)
        self.activation_params = {**self.activation.defaults, **(activation_params or {})}
        make = initializers.resolve(init)
        bias = as_number(bias, "bias")
        self.params = {}
        for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.params[f"W{l}"] = np.asarray(make((fan_in, fan_out), rng), dtype=np.float64)
            self.params[f"b{l}"] = np.full(fan_out, bias)
            if self.activation.name == "prelu" and l < len(sizes) - 1:
                self.params[f"alpha{l}"] = np.array(float(self.activation_params["alpha"]))
        self.pre_activations, self.hidden, self.hidden_grads = [], [], []

    @property
    def depth(self):
        """Number of weight layers L."""
        return len(self.sizes) - 1

    def _act_params(self, l):
        if self.activation.name == "prelu":
            return {"alpha": self.params[f"alpha{l}"]}
        return self.activation_params

    def forward(self, X):
        """Scores (N, C) for inputs X (N, D); keeps z_l and h_l for `backward`."""
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (N, {self.sizes[0]}), got {X.shape}")
        self.pre_activations, self.hidden = [], []
        h = X
        for l in range(1, self.depth + 1):
            z = h @ self.params[f"W{l}"] + self.params[f"b{l}"]
            if l == self.depth:
                self._inputs = [X] + self.hidden
                return z
            self.pre_activations.append(z)
            h = self.activation.f(z, **self._act_params(l))
            self.hidden.append(h)

    def _loss_and_dscores(self, scores, y):
        n = scores.shape[0]
        if self.loss_name == "mse":
            y = as_float_array(y, "y")
            if y.shape != scores.shape:
                raise ValueError(f"y must have shape {scores.shape} for the mse loss, got {y.shape}")
            diff = scores - y
            return 0.5 * np.sum(diff * diff) / n, diff / n
        y = np.asarray(y)
        if y.shape != (n,) or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= scores.shape[1]:
            raise ValueError(f"y must be {n} integer labels in [0, {scores.shape[1]}), got {y!r:.80}")
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        probs = np.exp(log_probs)
        probs[np.arange(n), y] -= 1.0
        return -log_probs[np.arange(n), y].mean(), probs / n

    def loss(self, X, y):
        """The loss on (X, y), a float."""
        return float(self._loss_and_dscores(self.forward(X), y)[0])

    def loss_and_grads(self, X, y):
        """(loss, grads): grads has the keys of `params`, each dLoss/dparam of the same shape."""
        scores = self.forward(X)
        loss, upstream = self._loss_and_dscores(scores, y)
        grads, self.hidden_grads = {}, []
        for l in range(self.depth, 0, -1):
            h_prev = self._inputs[l - 1]
            grads[f"W{l}"] = h_prev.T @ upstream
            grads[f"b{l}"] = upstream.sum(axis=0)
            if l == 1:
                break
            dh = upstream @ self.params[f"W{l}"].T
            self.hidden_grads.insert(0, dh)
            z = self.pre_activations[l - 2]
            if self.activation.name == "prelu":
                d_input, d_alpha = act.prelu_grad(z, self.params[f"alpha{l - 1}"])
                grads[f"alpha{l - 1}"] = np.array(np.sum(dh * d_alpha))
            else:
                d_input = self.activation.grad(z, **self.activation_params)
            upstream = dh * d_input
        return float(loss), grads

    def predict(self, X):
        """Predicted class per row (N,) (argmax of the scores)."""
        return np.argmax(self.forward(X), axis=1)

    def accuracy(self, X, y):
        """Fraction of rows whose predicted class equals y."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


def train(net, X, y, rng, steps, lr, momentum=0.0, batch_size=None, record=(), stop_below=None):
    """Train `net` with SGD (+ momentum) on minibatches; returns a history of lists per step.

    v <- momentum * v - lr * grad;  param <- param + v.
    batch_size None uses all N rows each step. history["loss"][t] is the minibatch loss at step t;
    for each parameter name in `record` (e.g. "alpha1"), history[name][t] is its value after step t.
    Training stops early after the first step whose loss is <= stop_below (if given).
    """
    check_rng(rng)
    lr, momentum = as_number(lr, "lr"), as_number(momentum, "momentum")
    if not lr > 0 or not 0 <= momentum < 1:
        raise ValueError(f"need lr > 0 and 0 <= momentum < 1, got lr={lr}, momentum={momentum}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    unknown = [name for name in record if name not in net.params]
    if unknown:
        raise ValueError(f"cannot record {unknown}: not parameters of the network ({', '.join(net.params)})")
    X, y = as_float_array(X, "X"), np.asarray(y)
    n = X.shape[0]
    velocity = {k: np.zeros_like(v) for k, v in net.params.items()}
    history = {"loss": [], **{name: [] for name in record}}
    for _ in range(steps):
        idx = slice(None) if batch_size is None or batch_size >= n else rng.choice(n, batch_size, replace=False)
        loss, grads = net.loss_and_grads(X[idx], y[idx])
        for k, g in grads.items():
            velocity[k] = momentum * velocity[k] - lr * g
            net.params[k] += velocity[k]
        history["loss"].append(loss)
        for name in record:
            history[name].append(float(np.mean(net.params[name])))
        if stop_below is not None and loss <= stop_below:
            break
    return history
