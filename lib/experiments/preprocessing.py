"""What the preprocessing page prints: what centring, scaling, PCA and whitening do to data, how
much they change the training of a classifier; with its cached data.

Shapes follow `lib.preprocessing` and `lib.network`: data X is (N, D), one example per row; a
linear softmax classifier is `MLP([D, C])`, scores X W + b with W (D, C), b (C,).
"""

import functools

import numpy as np
from scipy import ndimage

from lib import data, preprocessing
from lib._validate import as_float_array, as_int, as_number, check_rng
from lib.comparison import compare, training_run
from lib.network import MLP, train


# --- PCA and whitening -------------------------------------------------------------------------

def pca_reconstruction(X_train, X_test, ks):
    """How well the top k principal directions of X_train describe the data, for each k in ks.

    x_hat = mu + (x - mu) U_k U_k^T, U_k (D, k) the top k eigenvectors of the training covariance.
    Returns three arrays (len(ks),): the share of the training variance they explain,
    sum(lambda_1..k) / sum(lambda), and the mean squared reconstruction error per feature,
    mean((x_hat - x)^2), on X_train and on X_test.

    Used in: preprocessing § Decorrelate (PCA) and whiten.
    """
    X_train, X_test = as_float_array(X_train, "X_train"), as_float_array(X_test, "X_test")
    variances = preprocessing.PCA().fit(X_train).explained_variance_
    explained, train_error, test_error = [], [], []
    for k in ks:
        k = as_int(k, "k", minimum=0)
        explained.append(variances[:k].sum() / variances.sum())
        pca = preprocessing.PCA(k).fit(X_train) if k else None
        for X, errors in ((X_train, train_error), (X_test, test_error)):
            errors.append(reconstruction_error(pca, X) if k else float(np.mean((X - X_train.mean(axis=0)) ** 2)))
    return np.array(explained), np.array(train_error), np.array(test_error)


def whitened_signal_to_noise(X_train, X, rng, noise_std, eps_values):
    """Signal-to-noise ratio of noisy data before and after whitening, for each eps.

    The signal is x - mu (mu the training mean), the noise n ~ N(0, noise_std^2) per feature, drawn
    once. Before: sum ||x - mu||^2 / sum ||n||^2 over the rows of X. After whitening with
    W = U diag(1 / sqrt(lambda + eps)) (fitted on X_train): sum ||(x - mu) W||^2 / sum ||n W||^2.
    A direction of variance lambda carries noise noise_std^2 / (lambda + eps) after whitening: the
    directions the data hardly uses become as loud as the rest, their noise included.
    Returns (before, after (len(eps_values),)).

    Used in: preprocessing § Decorrelate (PCA) and whiten.
    """
    check_rng(rng)
    X = as_float_array(X, "X")
    noise = as_number(noise_std, "noise_std", above=0) * rng.standard_normal(X.shape)
    pca = preprocessing.PCA().fit(X_train)
    signal = X - pca.mean_
    before = float(np.sum(signal**2) / np.sum(noise**2))
    after = []
    for eps in eps_values:
        scale = 1 / np.sqrt(pca.explained_variance_ + as_number(eps, "eps", minimum=0))
        after.append(np.sum((signal @ pca.components_ * scale) ** 2) / np.sum((noise @ pca.components_ * scale) ** 2))
    return before, np.array(after)


def zca_filtered(image, zca, size):
    """A grayscale image (H, W) filtered with the ZCA filter of the centre pixel of a size x size patch.

    The filter is row (size // 2) * size + size // 2 of zca.matrix_ (fitted on flattened grayscale
    patches), reshaped to (size, size); out[i, j] = sum_{a, b} filter[a, b] image[i + a - c, j + b - c]
    with c = size // 2 (scipy.ndimage.correlate, the border reflected). Returns (H, W).
    """
    image = as_float_array(image, "image")
    size = as_int(size, "size", minimum=1)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    if getattr(zca, "matrix_", np.empty(0)).shape != (size * size, size * size):
        raise ValueError(f"zca must be a ZCA fitted on flattened {size} x {size} patches")
    centre = (size // 2) * size + size // 2
    return ndimage.correlate(image, zca.matrix_[centre].reshape(size, size), mode="reflect")


# --- why it helps: sensitivity, conditioning, training -----------------------------------------

def softmax_net(X, y, seed=0):
    """The chapter's softmax classifier before training: MLP([D, C]) with zero weights and biases
    for inputs X (N, D) and labels y (N,) in 0..C-1 (`seed` seeds its generator; nothing is random)."""
    return MLP([np.shape(X)[1], data.n_classes(y)], np.random.default_rng(seed), init=0.0)


def softmax_classifier(X, y, lr, steps, seed=0):
    """A linear softmax classifier MLP([D, C]) trained from zero weights by full-batch gradient descent.

    X (N, D), y (N,) labels in 0..C-1; `steps` steps of W <- W - lr dLoss/dW (and b likewise) on the
    mean cross-entropy of softmax(X W + b). Returns the trained network.

    Used in: preprocessing § Why it helps, measured.
    """
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (N, D), got shape {X.shape}")
    net = softmax_net(X, y, seed)
    train(net, X, y, np.random.default_rng(seed), steps=steps, lr=lr)
    return net


def on_raw_inputs(net, fitted):
    """The classifier on raw inputs that computes exactly what `net` computes on standardized ones.

    net: MLP([D, C]) trained on (X - mu) / sigma; fitted: the `Standardize` that made them.
    (x - mu) / sigma W + b = x W' + b' with W' = W / sigma (row-wise) and b' = b - (mu / sigma) W.

    Used in: preprocessing § Why it helps, measured.
    """
    if not isinstance(net, MLP) or net.depth != 1:
        raise TypeError(f"net must be a linear classifier MLP([D, C]), got {type(net).__name__}")
    if not isinstance(fitted, preprocessing.Standardize) or not hasattr(fitted, "scale_"):
        raise TypeError("fitted must be a fitted lib.preprocessing.Standardize")
    raw = MLP(net.sizes, np.random.default_rng(0), init=0.0)
    W, b = net.params["W1"], net.params["b1"]
    raw.params["W1"] = W / fitted.scale_[:, None]
    raw.params["b1"] = b - (fitted.mean_ / fitted.scale_) @ W
    return raw


def random_step(params, norm, rng):
    """The parameters {name: array} moved by a step of length `norm` (over all of them together) in a
    direction drawn uniformly at random: p + norm * g / ||g|| with g ~ N(0, I)."""
    step = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    length = np.sqrt(sum(np.sum(s**2) for s in step.values()))
    return {k: params[k] + norm * step[k] / length for k in params}


def perturbation_sensitivity(net, X, y, norm, rng, directions=20):
    """How much the loss and accuracy of `net` on (X, y) change when its weights move by `norm`.

    Each of `directions` random directions u (Gaussian over all parameters jointly, scaled so that
    ||u|| = norm, the Frobenius norm over W and b together) gives |L(theta + u) - L(theta)| and
    |acc(theta + u) - acc(theta)|. Returns their means (mean |change in loss|, mean |change in accuracy|).
    The parameters are restored afterwards.

    Used in: preprocessing § Why it helps, measured.
    """
    check_rng(rng)
    norm = as_number(norm, "norm", minimum=0)
    directions = as_int(directions, "directions", minimum=1)
    start = {k: v.copy() for k, v in net.params.items()}
    loss, accuracy = net.loss(X, y), net.accuracy(X, y)
    changes = []
    for _ in range(directions):
        net.params.update(random_step(start, norm, rng))
        changes.append((abs(net.loss(X, y) - loss), abs(net.accuracy(X, y) - accuracy)))
    net.params.update(start)
    return tuple(np.mean(changes, axis=0))


def gradient_norm(net, X, y):
    """||dLoss/dtheta||, the Frobenius norm of the gradient over all parameters, at net's weights.

    Used in: preprocessing § Why it helps, measured."""
    _, grads = net.loss_and_grads(X, y)
    return float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))


def condition_number(X):
    """lambda_max / lambda_min of A = [X, 1]^T [X, 1] / N, (D + 1, D + 1): X (N, D) with a bias column.

    A is the Hessian of the squared loss of a linear model on X; the softmax loss at W = 0 has the
    Hessian (I - 11^T / C) / C (x) A, whose nonzero eigenvalues are A's divided by C: the same ratio.
    Gradient descent needs a learning rate below 2 / lambda_max and then of order lambda_max / lambda_min
    steps along the flattest direction. A must be nonsingular (drop constant features first).

    Used in: preprocessing § Why it helps, measured.
    """
    X = as_float_array(X, "X")
    Xb = np.column_stack([X, np.ones(len(X))])
    eigenvalues = np.linalg.eigvalsh(Xb.T @ Xb / len(X))
    if eigenvalues[0] <= 0:
        raise ValueError("[X, 1]^T [X, 1] is singular: X has a constant or linearly dependent feature")
    return float(eigenvalues[-1] / eigenvalues[0])


# The training comparison: softmax regression from zero weights, full-batch gradient descent at every
# rate of the grid, steps until the training loss is <= target (at most max_steps). A run stops as
# diverged when its loss passes `diverged` times its start: on raw digits the runs that come back
# climb to at most ~230 times it, and the ones that climb further are chaotic (their fate depends
# on rounding, so on the CPU).
TRAINING = {"rates": tuple(2.0 ** np.arange(-8, 9)), "max_steps": 300, "target": 0.1, "diverged": 300}


def softmax_sweeps(inputs, y):
    """{name: `lib.comparison.Sweep`} of `softmax_net` on each of inputs {name: X (N, D)} with labels
    y (N,), in the TRAINING setting. Zero weights and full batches leave nothing random, so one seed
    (0) is every seed. The divergence cut is TRAINING["diverged"], far above the 4x of the other
    pages: a run on raw data may climb far above its starting loss and still come down, and that is
    part of what is compared.

    Used in: preprocessing § Why it helps, measured.
    """
    s = TRAINING
    runs = {name: training_run(lambda rng, X=X: softmax_net(X, y), X, y, steps=s["max_steps"],
                               stop_below=s["target"], diverged=s["diverged"])
            for name, X in inputs.items()}
    return compare(runs, s["rates"], seeds=[0], target=s["target"])


def least_squares_descent(X, y, steps, fraction=0.75, max_steps=10_000):
    """Gradient descent on L(w) = ||X w - y||^2 / (2N) for X (N, D), from w = 0.

    H = X^T X / N (D, D) is the Hessian and w* = H^-1 X^T y / N the minimum; g = H (w - w*), and
    w <- w - lr g with lr = fraction * 2 / lambda_max: a fixed share of the largest stable learning
    rate 2 / lambda_max. The error along an eigenvector of eigenvalue lambda is multiplied by
    1 - lr lambda at every step: by 1 - 2 fraction (a zig-zag for fraction > 1/2) along the steepest,
    by about 1 - 2 fraction / kappa along the flattest (kappa = lambda_max / lambda_min).
    Returns (H, w_star, the first steps + 1 points of the path (steps + 1, D), the number of steps
    until L(w_t) - L(w*) <= 1e-4 (L(0) - L(w*)), or None if more than max_steps).
    """
    X, y = as_float_array(X, "X"), as_float_array(y, "y")
    steps, max_steps = as_int(steps, "steps", minimum=0), as_int(max_steps, "max_steps", minimum=1)
    fraction = as_number(fraction, "fraction", above=0)
    H = X.T @ X / len(X)
    w_star = np.linalg.solve(H, X.T @ y / len(X))
    lr = fraction * 2 / np.linalg.eigvalsh(H)[-1]
    w = np.zeros(X.shape[1])

    def excess(v):
        return 0.5 * (v - w_star) @ H @ (v - w_star)

    path, first, needed = [w.copy()], excess(w), None
    for t in range(1, max(steps, max_steps) + 1):
        w = w - lr * H @ (w - w_star)
        if t <= steps:
            path.append(w.copy())
        if needed is None and t <= max_steps and excess(w) <= 1e-4 * first:
            needed = t
        if t >= steps and (needed is not None or t >= max_steps):
            break
    return H, w_star, np.array(path), needed


# --- statistics from the training set only ----------------------------------------------------

def deployment_accuracies(net, fitted, X_test, y_test):
    """Accuracy of `net` (trained on fitted.transform(X_train)) on a test set, three ways:

    "train statistics": the test set through the stored training statistics (what the deployed model
    does to each example); "refit on test": statistics fitted anew on the whole test set;
    "refit per example": fitted on each example alone, as a model seeing one input at a time would
    have to. A refit uses the class of `fitted` with its default arguments. X_test (N, D), y_test (N,).
    Returns {way: (accuracy, mean of the transformed test features)}.

    Used in: preprocessing § Statistics from the training set only.
    """
    X_test = as_float_array(X_test, "X_test")
    if not hasattr(fitted, "mean_"):
        raise ValueError("fitted must be a lib.preprocessing transform fitted on the training set")
    ways = {"train statistics": fitted.transform(X_test),
            "refit on test": type(fitted)().fit_transform(X_test),
            "refit per example": np.vstack([type(fitted)().fit_transform(x[None]) for x in X_test])}
    return {way: (net.accuracy(Z, y_test), float(Z.mean())) for way, Z in ways.items()}


def pca_leak(X, y, n_train, k, seeds):
    """What fitting PCA on train + test does to the test set's reconstruction error, per seed.

    Each seed splits X in half: "new" data (the data the model will meet later) and the rest, whose
    first n_train rows (shuffled) are the training set and the others the test set. PCA with k
    directions is fitted on the training set alone, and on train + test (the leak); each is scored
    by the mean squared reconstruction error on the test set and on the new data.
    Returns an array (len(seeds), 2, 2): [seed, fitted on (train, train + test), scored on (test, new)].

    Used in: preprocessing § Statistics from the training set only.
    """
    n_train, k = as_int(n_train, "n_train", minimum=1), as_int(k, "k", minimum=1)
    out = []
    for seed in seeds:
        rest, new, y_rest, _ = _split(X, y, seed, 0.5)
        train_set, test_set, _, _ = _split(rest, y_rest, seed, 1 - n_train / len(rest))
        row = []
        for fit_on in (train_set, np.concatenate([train_set, test_set])):
            pca = preprocessing.PCA(k).fit(fit_on)
            row.append([reconstruction_error(pca, test_set), reconstruction_error(pca, new)])
        out.append(row)
    return np.array(out)


def _split(X, y, seed, test_fraction):
    from lib.data import train_test_split

    return train_test_split(X, y, np.random.default_rng(seed), test_fraction=test_fraction)


def reconstruction_error(pca, X):
    """How much a fitted PCA with k directions loses of X (N, D): mean((x_hat - x)^2) over every
    entry, with x_hat = mu + (x - mu) U_k U_k^T (`PCA.inverse_transform` of `PCA.transform`)."""
    return float(np.mean((pca.inverse_transform(pca.transform(X)) - X) ** 2))


# --- images ------------------------------------------------------------------------------------

def image_statistics(images):
    """The statistics image pipelines subtract (and divide by), for images (M, H, W, C) in 0..255.

    Returns {"mean image": (H, W, C), the mean over images per pixel and channel (AlexNet);
    "channel mean": (C,), over images and pixels (VGG); "channel std": (C,), likewise (with the mean,
    the torchvision ResNet models' normalization); "mean per image": (M, C)}.

    Used in: preprocessing § Images.
    """
    images = as_float_array(images, "images")
    if images.ndim != 4:
        raise ValueError(f"images must be 4-D (M, H, W, C), got shape {images.shape}")
    return {"mean image": images.mean(axis=0), "channel mean": images.mean(axis=(0, 1, 2)),
            "channel std": images.std(axis=(0, 1, 2)), "mean per image": images.mean(axis=(1, 2))}


@functools.lru_cache(maxsize=4)
def photograph_patches(size=8, n=20_000, seed=0):
    """n random size x size grayscale patches of the two bundled photographs, (n, size * size).

    Used in: preprocessing § Decorrelate (PCA) and whiten."""
    return data.image_patches(data.photographs(), size, n, np.random.default_rng(seed), gray=True)
