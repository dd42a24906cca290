"""Layers as forward/backward pairs, the pieces `lib.network.MLP` is built from.

The CS231n habit: `forward(x, train=True)` returns the layer's output and keeps what `backward`
needs; `backward(dout)` takes dLoss/dout, of the output's shape, returns dLoss/dx and leaves the
gradients of the layer's parameters in `grads` (a dict keyed like `params`). Every layer reads its
parameters from `params` at each call, so a network may replace the arrays between calls.

    Linear        z = x @ W + b                                  x (N, fan_in), z (N, fan_out)
    Activation    h = f(z; theta), elementwise (`lib.activations`)
    BatchNorm     y = gamma * (x - mean_batch) / sqrt(var_batch + eps) + beta,  per feature
    LayerNorm     y = gamma * (x - mean_row) / sqrt(var_row + eps) + beta,      per sample

BatchNorm and LayerNorm follow PyTorch (`torch.nn.BatchNorm1d`, `torch.nn.LayerNorm`): gamma = 1
and beta = 0 at the start, eps = 1e-5 inside the square root, the biased variance (divide by N) in
the normalization; BatchNorm updates its running statistics in training with momentum 0.1 weighting
the new batch and the *unbiased* batch variance (divide by N - 1), and uses them in evaluation.
"""

import numpy as np

from lib._validate import as_float_array, as_int, as_number

__all__ = ["Linear", "Activation", "BatchNorm", "LayerNorm"]


def _check_input(x, width, name):
    """x as a float array of shape (N, width) with N >= 1, or an error naming `name`."""
    x = as_float_array(x, name)
    if x.ndim != 2 or x.shape[1] != width or x.shape[0] == 0:
        raise ValueError(f"{name} must have shape (N, {width}) with N >= 1, got {x.shape}")
    return x


class _Layer:
    """What every layer shares: `params`, `grads`, and the check that backward follows a forward."""

    params: dict

    def _check_dout(self, dout):
        """dout as a float array of the last output's shape; ValueError before any forward pass."""
        if not hasattr(self, "_cache"):
            raise ValueError("backward needs the cache of a forward pass: call forward(x) first")
        dout = as_float_array(dout, "dout")
        if dout.shape != self._out_shape:
            raise ValueError(f"dout must have the shape of the last output, {self._out_shape}, got {dout.shape}")
        return dout


class Linear(_Layer):
    """An affine layer, z = x @ W + b, W (fan_in, fan_out) used as `x @ W` like the notes.

    Backward, with g = dout = dLoss/dz (N, fan_out):
        dW = x^T @ g  (fan_in, fan_out);   db = sum over rows of g  (fan_out,);   dx = g @ W^T  (N, fan_in)

    exact=True computes the three products with `np.einsum` (numpy's own loops, without BLAS: the
    same additions in the same order on every CPU) instead of BLAS, whose kernels round differently
    on different CPUs: a last-bit difference that chaotic training (tiny batches, saturated units,
    large rates) grows into a different result. About five times slower on the course's small layers.
    """

    def __init__(self, W, b, exact=False):
        self.params, self.exact = {"W": W, "b": b}, bool(exact)

    def forward(self, x, train=True):
        """z (N, fan_out) for x (N, fan_in); `train` changes nothing here."""
        self._cache = x
        W = self.params["W"]
        z = (np.einsum("ni,ik->nk", x, W) if self.exact else x @ W) + self.params["b"]
        self._out_shape = z.shape
        return z

    def backward(self, dout):
        """dx (N, fan_in); sets grads["W"], grads["b"]."""
        g, x, W = self._check_dout(dout), self._cache, self.params["W"]
        if self.exact:
            self.grads = {"W": np.einsum("ni,nk->ik", x, g), "b": g.sum(axis=0)}
            return np.einsum("nk,ik->ni", g, W)
        self.grads = {"W": x.T @ g, "b": g.sum(axis=0)}
        return g @ W.T


class Activation(_Layer):
    """h = f(z; theta) elementwise, an `lib.activations.Activation` record with its fixed parameters
    `fixed` and its learned ones in `params` (PReLU's "alpha", one scalar shared by the layer).

    Backward: dz = dout * f'(z);   dtheta = sum of dout * df/dtheta(z)   (a scalar per parameter)
    """

    def __init__(self, activation, fixed, learned):
        self.activation, self.fixed, self.params = activation, fixed, learned

    def _all_params(self):
        return {**self.fixed, **self.params}

    def forward(self, z, train=True):
        """h, of z's shape; `train` changes nothing here."""
        self._cache = z
        self._out_shape = z.shape
        return self.activation.f(z, **self._all_params())

    def backward(self, dout):
        """dz, of z's shape; sets grads[name] for each learned parameter."""
        dout, z, theta = self._check_dout(dout), self._cache, self._all_params()
        self.grads = {name: np.array(np.sum(dout * d_param(z, **theta)))
                      for name, d_param in self.activation.learned.items()}
        return dout * self.activation.grad(z, **theta)


class _Normalization(_Layer):
    """gamma, beta (num_features,) at 1 and 0, eps; the forward/backward of a normalization over
    `axis` (0: over the batch, per feature; 1: over the features, per sample)."""

    axis: int

    def __init__(self, num_features, eps=1e-5):
        self.num_features = as_int(num_features, "num_features", minimum=1)
        self.eps = as_number(eps, "eps", above=0)
        self.params = {"gamma": np.ones(self.num_features), "beta": np.zeros(self.num_features)}

    gamma = property(lambda self: self.params["gamma"])
    beta = property(lambda self: self.params["beta"])
    dgamma = property(lambda self: self.grads["gamma"])
    dbeta = property(lambda self: self.grads["beta"])

    def _normalize(self, x, mean, var):
        """y = gamma * xhat + beta with xhat = (x - mean) / sqrt(var + eps); caches xhat, 1/std."""
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat = (x - mean) * inv_std
        self._cache = (xhat, inv_std)
        self._out_shape = x.shape
        return self.params["gamma"] * xhat + self.params["beta"]

    def _backward_through_statistics(self, dout):
        """dx when mean and var are the statistics of x over `axis` (M = the number averaged):

            dxhat = dout * gamma
            dx = (1 / (M std)) * (M dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)),  sums over `axis`

        (the compact form: xhat depends on every x of its group through the mean and the variance).
        Sets grads: dgamma = sum over rows of dout * xhat, dbeta = sum over rows of dout.
        """
        dout = self._check_dout(dout)
        xhat, inv_std = self._cache
        self.grads = {"gamma": np.sum(dout * xhat, axis=0), "beta": dout.sum(axis=0)}
        dxhat = dout * self.params["gamma"]
        m = xhat.shape[self.axis]
        total = dxhat.sum(axis=self.axis, keepdims=True)
        along = np.sum(dxhat * xhat, axis=self.axis, keepdims=True)
        return inv_std / m * (m * dxhat - total - xhat * along)


class BatchNorm(_Normalization):
    """Batch normalization of x (N, num_features), per feature over the batch (Ioffe & Szegedy 2015).

    Training (train=True), with the batch's mean mu and biased variance var = mean((x - mu)^2):
        y = gamma * (x - mu) / sqrt(var + eps) + beta
        running_mean <- (1 - momentum) running_mean + momentum mu
        running_var  <- (1 - momentum) running_var  + momentum var * N / (N - 1)   (unbiased)
    Evaluation (train=False): y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta,
    a fixed affine map of each row. PyTorch's momentum weights the new batch (Keras's momentum 0.99
    weights the old: the same update with momentum_keras = 1 - momentum_pytorch).
    running_mean starts at 0, running_var at 1. Training needs N >= 2 (PyTorch refuses N = 1 too).

    Backward: in training the compact form of `_backward_through_statistics` over the batch;
    in evaluation dx = dout * gamma / sqrt(running_var + eps). Both set dgamma, dbeta (num_features,).
    """

    axis = 0

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__(num_features, eps)
        self.momentum = as_number(momentum, "momentum", minimum=0)
        if self.momentum > 1:
            raise ValueError(f"momentum must be <= 1 (the weight of the new batch), got {self.momentum!r}")
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)

    def forward(self, x, train=True):
        """y (N, num_features) for x (N, num_features); in training also updates the running statistics."""
        x = _check_input(x, self.num_features, "x")
        self._train = bool(train)
        if not self._train:
            return self._normalize(x, self.running_mean, self.running_var)
        n = x.shape[0]
        if n < 2:
            raise ValueError("x must have at least 2 rows in training: the variance of one value is 0 "
                             "and its unbiased estimate undefined")
        mean, var = x.mean(axis=0), x.var(axis=0)
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean
        self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        return self._normalize(x, mean, var)

    def backward(self, dout):
        """dx (N, num_features) for dout = dLoss/dy; sets dgamma, dbeta."""
        if getattr(self, "_train", True):
            return self._backward_through_statistics(dout)
        dout = self._check_dout(dout)
        xhat, inv_std = self._cache
        self.grads = {"gamma": np.sum(dout * xhat, axis=0), "beta": dout.sum(axis=0)}
        return dout * self.params["gamma"] * inv_std


class LayerNorm(_Normalization):
    """Layer normalization of x (N, num_features), per sample over its features (Ba et al. 2016):

        y_i = gamma * (x_i - mean(x_i)) / sqrt(var(x_i) + eps) + beta     var biased (divide by D)

    with gamma, beta (num_features,) per feature, like `torch.nn.LayerNorm(num_features)`. No
    running statistics: training and evaluation compute the same thing, and any batch size works.
    Backward: the compact form of `_backward_through_statistics` over each row's features.
    """

    axis = 1

    def forward(self, x, train=True):
        """y (N, num_features) for x (N, num_features); `train` changes nothing here."""
        x = _check_input(x, self.num_features, "x")
        return self._normalize(x, x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True))

    def backward(self, dout):
        """dx (N, num_features) for dout = dLoss/dy; sets dgamma, dbeta."""
        return self._backward_through_statistics(dout)
