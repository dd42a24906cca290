"""The exercises of "Normalization layers": batch normalization's forward pass in training mode, its
backward pass in the compact form, the running-statistics update, and layer normalization's axis."""

import numpy as np

from lib.exercises.checking import CheckResult, check_array_function, number_failure
from lib.exercises.records import Exercise, Mistake

_SETUP = "import numpy as np\nfrom lib import layers"


def _batches():
    """Batches (N, D) with N != D, columns of different means and scales, and one column of tiny
    variance (1e-6), where eps = 1e-5 decides the result: so eps inside or outside the square root,
    or no eps, give different outputs."""
    rng = np.random.default_rng(0)
    x = rng.normal([2.0, -1.0, 0.0, 5.0], [1.0, 3.0, 0.5, 0.001], size=(6, 4))
    x2 = rng.normal([0.5, 10.0, -3.0], [2.0, 0.2, 1.5], size=(5, 3))
    return x, x2


def _forward_cases():
    x, x2 = _batches()
    return [(x, np.array([1.5, 0.5, 2.0, 1.0]), np.array([0.1, -0.3, 0.0, 2.0]), 1e-5),
            (x2, np.array([-1.0, 2.0, 0.7]), np.array([1.0, 0.0, -2.0]), 1e-5),
            (x2[:4], np.ones(3), np.zeros(3), 0.5)]


def _bn_forward(x, gamma, beta, eps):
    """The reference: `lib.layers.BatchNorm` in training mode with these gamma, beta, eps."""
    from lib.layers import BatchNorm

    bn = BatchNorm(x.shape[1], eps=eps)
    bn.params["gamma"], bn.params["beta"] = gamma, beta
    return bn.forward(x)


def _check_forward(fn, hints):
    """fn(x, gamma, beta, eps): batch normalization of x (N, D) in training mode."""
    return check_array_function(fn, _bn_forward, _forward_cases(), hints=hints)


def _backward_cases():
    rng = np.random.default_rng(1)
    x, x2 = _batches()
    return [(rng.standard_normal(x.shape), x, np.array([1.5, 0.5, 2.0, 1.0]), 1e-5),
            (rng.standard_normal(x2.shape), x2, np.array([-1.0, 2.0, 0.7]), 1e-5),
            (rng.standard_normal((4, 3)), x2[:4], np.array([0.5, 1.0, 3.0]), 0.5)]


def _bn_backward(dout, x, gamma, eps):
    """The reference: dx of `lib.layers.BatchNorm.backward` after a training-mode forward pass."""
    from lib.layers import BatchNorm

    bn = BatchNorm(x.shape[1], eps=eps)
    bn.params["gamma"] = gamma
    bn.forward(x)
    return bn.backward(dout)


def _check_backward(fn, hints):
    """fn(dout, x, gamma, eps): dLoss/dx of batch normalization in training mode."""
    return check_array_function(fn, _bn_backward, _backward_cases(), hints=hints)


def _running_cases():
    x, x2 = _batches()
    return [(np.zeros(4), np.ones(4), x, 0.1), (np.array([1.0, -2.0, 0.5]), np.array([2.0, 0.5, 1.0]), x2, 0.3),
            (np.zeros(3), np.ones(3), x2[:2], 0.1)]


def _running_update(running_mean, running_var, x, momentum):
    """The reference: `lib.layers.BatchNorm`'s running statistics after one training batch."""
    from lib.layers import BatchNorm

    bn = BatchNorm(x.shape[1], momentum=momentum)
    bn.running_mean, bn.running_var = running_mean.copy(), running_var.copy()
    bn.forward(x)
    return bn.running_mean, bn.running_var


def _check_running(fn, hints):
    """fn(running_mean, running_var, x, momentum): (new running_mean, new running_var), PyTorch's rule."""
    return check_array_function(fn, _running_update, _running_cases(), hints=hints, parts=("running_mean", "running_var"))


def _layer_norm_cases():
    x, x2 = _batches()
    return [(x, 1e-5), (x2, 1e-5), (x2[:1], 0.5)]


def _layer_norm(x, eps):
    """The reference: `lib.layers.LayerNorm` (gamma 1, beta 0)."""
    from lib.layers import LayerNorm

    return LayerNorm(x.shape[1], eps=eps).forward(x)


def _check_layer_norm(fn, hints):
    """fn(x, eps): layer normalization of x (N, D) with gamma 1, beta 0."""
    return check_array_function(fn, _layer_norm, _layer_norm_cases(), hints=hints)


_FWD = "def bn_forward(x, gamma, beta, eps):\n"
_BWD = "def bn_backward(dout, x, gamma, eps):\n"
_RUN = "def running_update(running_mean, running_var, x, momentum):\n"
_LN = "def layer_norm(x, eps):\n"


def _check_bn_momentum(momentum, hints, name="momentum", batches=100, rows=8, features=4):
    """The experimental check of a BatchNorm momentum (PyTorch's convention): `batches` training
    batches of `rows` rows from N(3, 2^2) in each of `features` features (rng 0) through
    `lib.layers.BatchNorm(features, momentum=momentum)`. Passes when the running statistics end close
    to the data's (running mean within 0.2 of 3, running variance within 30 % of 4) and steady (the
    running mean's std over the last 20 batches at most 0.15), in every feature: about 0.04 to 0.12.
    Keras's 0.99 in PyTorch's slot follows the last batch; 0.01 has not forgotten the start."""
    from lib import layers

    failure = number_failure(momentum, name, upper=1 + 1e-9)
    if failure is not None:
        return failure
    bn = layers.BatchNorm(features, momentum=float(momentum))
    rng = np.random.default_rng(0)
    history = []
    for _ in range(batches):
        bn.forward(3.0 + 2.0 * rng.standard_normal((rows, features)))
        history.append(bn.running_mean.copy())
    mean_error = float(np.abs(bn.running_mean - 3.0).max())
    var_error = float(np.abs(bn.running_var / 4.0 - 1.0).max())
    wobble = float(np.array(history[-20:]).std(axis=0).max())
    measured = (f"{name} = {momentum:.3g}: after {batches} batches of {rows} the running mean is off by up to "
                f"{mean_error:.2f} (of 3), the running variance by up to {var_error:.0%} (of 4), and the "
                f"running mean moves with a std of {wobble:.2f} over the last 20 batches")
    if wobble > 0.15:
        return CheckResult(False, f"✗ {measured}: it follows the last batches (std above 0.15). In PyTorch, "
                                  "momentum is the weight of the new batch: make it smaller.")
    if mean_error > 0.2 or var_error > 0.3:
        return CheckResult(False, f"✗ {measured}: it has not yet forgotten its start (mean 0, variance 1). "
                                  "Make the momentum larger.")
    return CheckResult(True, f"✓ {measured}: close to the data and steady.")

EXERCISES = [
    Exercise(
        label="ex-bn-forward", name="bn_forward", setup=_SETUP, check=_check_forward,
        mistakes=(
            Mistake(_FWD + "    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)\n"
                           "    return gamma * (x - mu) / np.sqrt(var + eps) + beta",
                    hint="You normalized each row (axis=1, one example's features): batch normalization takes one "
                         "mean and one variance per feature, over the batch's rows (axis=0)."),
            Mistake(_FWD + "    mu, var = x.mean(axis=0), x.var(axis=0, ddof=1)\n"
                           "    return gamma * (x - mu) / np.sqrt(var + eps) + beta",
                    hint="You normalized with the unbiased variance (ddof=1): the forward pass divides by N, the "
                         "biased variance; only the running estimate uses N - 1."),
            Mistake(_FWD + "    mu, var = x.mean(axis=0), x.var(axis=0)\n"
                           "    return gamma * (x - mu) / (np.sqrt(var) + eps) + beta",
                    hint="eps goes inside the square root, sqrt(var + eps), as in the paper and PyTorch; added "
                         "outside, it changes the result where a feature's variance is tiny."),
            Mistake(_FWD + "    mu, var = x.mean(axis=0), x.var(axis=0)\n"
                           "    return gamma * (x - mu) / np.sqrt(var) + beta",
                    hint="You left out eps: it keeps the division finite for a feature that hardly varies "
                         "in the batch, and it changes the result there."),
            Mistake(_FWD + "    mu, var = x.mean(axis=0), x.var(axis=0)\n"
                           "    return gamma * (x - mu) / (var + eps) + beta",
                    hint="You divided by the variance; divide by the standard deviation, sqrt(var + eps)."),
            Mistake(_FWD + "    mu, var = x.mean(axis=0), x.var(axis=0)\n"
                           "    return beta * (x - mu) / np.sqrt(var + eps) + gamma",
                    hint="gamma and beta are swapped: gamma scales the normalized value, beta shifts it."),
            Mistake(_FWD + "    return gamma * x / np.sqrt(x.var(axis=0) + eps) + beta",
                    hint="You did not subtract the batch mean before dividing."),
            Mistake(_FWD + "    return gamma * (x - x.mean()) / np.sqrt(x.var() + eps) + beta",
                    hint="You used one mean and one variance for the whole batch (no axis): take one per feature, "
                         "axis=0."),
            Mistake(_FWD + "    y = gamma * x + beta\n"
                           "    return (y - y.mean(axis=0)) / np.sqrt(y.var(axis=0) + eps)",
                    hint="You applied gamma and beta before normalizing, which then removes them: normalize "
                         "first, then scale by gamma and shift by beta."),
            Mistake(_FWD + "    mu, var = x.mean(axis=0), x.var(axis=0)\n"
                           "    return (x - mu) / np.sqrt(var + eps)",
                    hint="You left out gamma and beta, the learned scale and shift that let the layer undo the "
                         "normalization."),
            Mistake(_FWD + "    x -= x.mean(axis=0)\n"
                           "    return gamma * x / np.sqrt(x.var(axis=0) + eps) + beta", says="changed its input x"),
        ),
        right_answers=(
            _FWD + "    xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)\n"
                   "    return xhat * gamma + beta",
            _FWD + "    n = x.shape[0]\n"
                   "    mu = x.sum(axis=0) / n\n"
                   "    var = ((x - mu) ** 2).sum(axis=0) / n\n"
                   "    return gamma * (x - mu) / (var + eps) ** 0.5 + beta",
            _FWD + "    bn = layers.BatchNorm(x.shape[1], eps=eps)\n"
                   "    bn.params['gamma'], bn.params['beta'] = gamma, beta\n"
                   "    return bn.forward(x, train=True)",
        ),
    ),
    Exercise(
        label="ex-bn-backward", name="bn_backward", setup=_SETUP, check=_check_backward,
        mistakes=(
            Mistake(_BWD + "    return dout * gamma / np.sqrt(x.var(axis=0) + eps)",
                    hint="You treated the mean and the variance as constants, which is the backward pass of "
                         "evaluation mode: in training they depend on every x, and dx has two more terms, "
                         "-mean(dxhat) and -xhat * mean(dxhat * xhat)."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0) + eps)\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - dxhat.mean(axis=0)) / std",
                    hint="You kept the path through the mean but dropped the one through the variance: "
                         "subtract xhat * mean(dxhat * xhat) too."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0) + eps)\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - xhat * (dxhat * xhat).mean(axis=0)) / std",
                    hint="You kept the path through the variance but dropped the one through the mean: "
                         "subtract mean(dxhat) too."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0) + eps)\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    return (dout - dout.mean(axis=0) - xhat * (dout * xhat).mean(axis=0)) / std",
                    hint="You forgot gamma: the gradient reaches xhat as dxhat = dout * gamma."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0) + eps)\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - dxhat.mean(axis=0) + xhat * (dxhat * xhat).mean(axis=0)) / std",
                    hint="Check the sign of the variance term: a larger variance shrinks xhat, so it enters "
                         "with a minus, -xhat * mean(dxhat * xhat)."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0) + eps)\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return dxhat.shape[0] * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0)",
                    hint="You left out the factor 1 / (N std) in front of N dxhat - sum(dxhat) - xhat sum(dxhat xhat)."),
            Mistake(_BWD + "    var = x.var(axis=0) + eps\n"
                           "    xhat = (x - x.mean(axis=0)) / np.sqrt(var)\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / var",
                    hint="You divided by the variance; the factor is 1 / std = 1 / sqrt(var + eps)."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0, ddof=1) + eps)\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std",
                    hint="The forward pass used the biased variance (divide by N): so must its backward pass, "
                         "not ddof=1."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=1, keepdims=True) + eps)\n"
                           "    xhat = (x - x.mean(axis=1, keepdims=True)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - dxhat.mean(axis=1, keepdims=True)\n"
                           "            - xhat * (dxhat * xhat).mean(axis=1, keepdims=True)) / std",
                    hint="You took the statistics per row (axis=1), which is layer normalization's backward pass; "
                         "batch normalization's sums run over the batch, axis=0."),
            Mistake(_BWD + "    std = np.sqrt(x.var(axis=0)) + eps\n"
                           "    xhat = (x - x.mean(axis=0)) / std\n"
                           "    dxhat = dout * gamma\n"
                           "    return (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std",
                    hint="eps belongs inside the square root, std = sqrt(var + eps), as in the forward pass."),
        ),
        right_answers=(
            _BWD + "    n = x.shape[0]\n"
                   "    inv = 1 / np.sqrt(x.var(axis=0) + eps)\n"
                   "    xhat = (x - x.mean(axis=0)) * inv\n"
                   "    dxhat = dout * gamma\n"
                   "    return inv / n * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))",
            _BWD + "    # the staged graph, one step back at a time (CS231n)\n"
                   "    n = x.shape[0]\n"
                   "    xc = x - x.mean(axis=0)\n"
                   "    var = (xc ** 2).mean(axis=0)\n"
                   "    inv = (var + eps) ** -0.5\n"
                   "    dxhat = dout * gamma\n"
                   "    dvar = (dxhat * xc).sum(axis=0) * -0.5 * (var + eps) ** -1.5\n"
                   "    dxc = dxhat * inv + 2 * xc / n * dvar\n"
                   "    return dxc - dxc.mean(axis=0)",
            _BWD + "    bn = layers.BatchNorm(x.shape[1], eps=eps)\n"
                   "    bn.params['gamma'] = gamma\n"
                   "    bn.forward(x)\n"
                   "    return bn.backward(dout)",
        ),
    ),
    Exercise(
        label="ex-running-stats", name="running_update", setup=_SETUP, check=_check_running,
        mistakes=(
            Mistake(_RUN + "    m = momentum\n"
                           "    return (m * running_mean + (1 - m) * x.mean(axis=0),\n"
                           "            m * running_var + (1 - m) * x.var(axis=0, ddof=1))",
                    hint="That is Keras's convention, where momentum weights the old value; in PyTorch momentum "
                         "weights the new batch: (1 - momentum) * running + momentum * batch."),
            Mistake(_RUN + "    m = momentum\n"
                           "    return ((1 - m) * running_mean + m * x.mean(axis=0),\n"
                           "            (1 - m) * running_var + m * x.var(axis=0))",
                    hint="The running variance is updated with the unbiased batch variance, divided by N - 1 "
                         "(ddof=1), although the forward pass normalizes with the biased one."),
            Mistake(_RUN + "    return x.mean(axis=0), x.var(axis=0, ddof=1)",
                    hint="You replaced the running statistics by the batch's: they are a moving average, "
                         "(1 - momentum) * running + momentum * batch."),
            Mistake(_RUN + "    m = momentum\n"
                           "    return ((1 - m) * running_mean + m * x.mean(axis=1),\n"
                           "            (1 - m) * running_var + m * x.var(axis=1, ddof=1))",
                    says="Check the axis"),
            Mistake(_RUN + "    m = momentum\n"
                           "    return ((1 - m) * running_mean + m * x.mean(axis=0),\n"
                           "            (1 - m) * running_var + m * x.std(axis=0, ddof=1))",
                    hint="You averaged the standard deviation; BatchNorm keeps a running variance."),
            Mistake(_RUN + "    m = momentum\n"
                           "    return (running_mean + m * x.mean(axis=0), running_var + m * x.var(axis=0, ddof=1))",
                    hint="You added the new batch without shrinking the old value: the weights must sum to 1, "
                         "(1 - momentum) * running + momentum * batch."),
            Mistake(_RUN + "    m = momentum\n"
                           "    return ((1 - m) * running_mean + m * x.mean(axis=0),\n"
                           "            (1 - m) * running_var + m * x.var(axis=0, ddof=1) + 1e-5)",
                    hint="eps is added where the variance is used (the normalization), not to the stored "
                         "running variance."),
            Mistake(_RUN + "    m = momentum\n"
                           "    n = x.shape[0]\n"
                           "    return ((1 - m) * running_mean + m * x.mean(axis=0),\n"
                           "            (1 - m) * running_var + m * x.var(axis=0) * (n - 1) / n)",
                    hint="The correction goes the other way: the unbiased variance is the biased one times "
                         "N / (N - 1)."),
            Mistake(_RUN + "    m = momentum\n"
                           "    running_mean *= 1 - m\n"
                           "    running_mean += m * x.mean(axis=0)\n"
                           "    return running_mean, (1 - m) * running_var + m * x.var(axis=0, ddof=1)",
                    says="changed its input running_mean"),
        ),
        right_answers=(
            _RUN + "    n, m = x.shape[0], momentum\n"
                   "    unbiased = ((x - x.mean(axis=0)) ** 2).sum(axis=0) / (n - 1)\n"
                   "    return ((1 - m) * running_mean + m * x.mean(axis=0), (1 - m) * running_var + m * unbiased)",
            _RUN + "    mean = running_mean + momentum * (x.mean(axis=0) - running_mean)\n"
                   "    var = running_var + momentum * (x.var(axis=0, ddof=1) - running_var)\n"
                   "    return mean, var",
            _RUN + "    bn = layers.BatchNorm(x.shape[1], momentum=momentum)\n"
                   "    bn.running_mean, bn.running_var = running_mean.copy(), running_var.copy()\n"
                   "    bn.forward(x)\n"
                   "    return bn.running_mean, bn.running_var",
        ),
    ),
    Exercise(
        label="ex-layer-norm", name="layer_norm", setup=_SETUP, check=_check_layer_norm,
        mistakes=(
            Mistake(_LN + "    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)",
                    hint="You normalized each feature over the batch (axis=0): that is batch normalization. Layer "
                         "normalization normalizes each example over its own features, axis=1."),
            Mistake(_LN + "    return (x - x.mean(axis=1)) / np.sqrt(x.var(axis=1) + eps)",
                    says="broadcast"),
            Mistake(_LN + "    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True, ddof=1)\n"
                          "    return (x - mu) / np.sqrt(var + eps)",
                    hint="Layer normalization divides by the biased variance (ddof=0), like batch "
                         "normalization's forward pass."),
            Mistake(_LN + "    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)\n"
                          "    return (x - mu) / (np.sqrt(var) + eps)",
                    hint="eps goes inside the square root, sqrt(var + eps)."),
            Mistake(_LN + "    return (x - x.mean()) / np.sqrt(x.var() + eps)",
                    hint="You used one mean and one variance for the whole batch: take one per example, over "
                         "its features (axis=1, keepdims=True)."),
            Mistake(_LN + "    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)\n"
                          "    return (x - mu) / (var + eps)",
                    hint="You divided by the variance; divide by the standard deviation, sqrt(var + eps)."),
            Mistake(_LN + "    return x / np.sqrt(x.var(axis=1, keepdims=True) + eps)",
                    hint="You did not subtract each row's mean before dividing."),
            Mistake(_LN + "    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)\n"
                          "    return (x - mu) / np.sqrt(var)",
                    hint="You left out eps: it keeps a row whose features are all equal finite, and it "
                         "changes the result where a row hardly varies."),
            Mistake(_LN + "    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)\n"
                          "    x -= mu\n"
                          "    return x / np.sqrt(var + eps)", says="changed its input x"),
        ),
        right_answers=(
            _LN + "    mu = x.mean(axis=1, keepdims=True)\n"
                  "    return (x - mu) / np.sqrt(((x - mu) ** 2).mean(axis=1, keepdims=True) + eps)",
            _LN + "    return ((x.T - x.mean(axis=1)) / np.sqrt(x.var(axis=1) + eps)).T",
            _LN + "    return layers.LayerNorm(x.shape[1], eps=eps).forward(x)",
        ),
    ),
    Exercise(
        label="ex-bn-momentum", name="momentum", setup=_SETUP, check=_check_bn_momentum,
        mistakes=(
            Mistake("momentum = 0.99", says="it follows the last batches"),  # Keras's default, in torch's slot
            Mistake("momentum = 0.9", says="it follows the last batches"),  # Keras's 0.9 = torch's 0.1, unconverted
            Mistake("momentum = 0.999", says="it follows the last batches"),
            Mistake("momentum = 1.0", says="it follows the last batches"),  # only the last batch
            Mistake("momentum = 0.5", says="it follows the last batches"),
            Mistake("momentum = 0.2", says="it follows the last batches"),
            Mistake("momentum = 0.01", says="not yet forgotten its start"),  # Keras's 0.99 converted: too slow here
            Mistake("momentum = 0.001", says="not yet forgotten its start"),
            Mistake("momentum = 0", says="must be a positive number"),
            Mistake("momentum = 1.1", says="must be a positive number"),
        ),
        right_answers=(
            "momentum = 0.1",
            "momentum = 1 - 0.9",  # Keras's 0.9, converted
            "momentum = 0.08",
            "momentum = 1 / 16",
        ),
    ),
]
