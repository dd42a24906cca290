"""The exercises of "Preprocessing": standardizing with the training set's statistics, the ZCA
whitening matrix, per-channel statistics of uint8 images, and by experiment a whitening eps that keeps
noisy digits readable."""

import functools

import numpy as np

from lib.exercises.checking import CheckResult, check_array_function, number_failure
from lib.exercises.records import Exercise, Mistake

_SETUP = "import numpy as np\nfrom lib import preprocessing"


def _standardize_cases():
    """Training and other data with features of different means and scales; feature 1 is 0 in every
    training row (a blank corner pixel), so its std is 0, and 3 in the first row of X (a stray mark on a
    test image), so dividing by std + 1e-8 would multiply it by 1e8."""
    rng = np.random.default_rng(0)
    X_train = rng.normal([5.0, 0.0, -3.0, 50.0, 1.0], [3.0, 1.0, 0.5, 20.0, 1.0], size=(30, 5))
    X = rng.normal([7.0, 0.0, -2.0, 40.0, 1.0], [3.0, 1.0, 1.0, 25.0, 2.0], size=(10, 5))
    X_train[:, 1] = X[:, 1] = 0.0
    X[0, 1] = 3.0
    return [(X_train, X), (X_train, X_train.copy()), (X_train[:12], X[:1])]


def _check_standardize(fn, hints):
    """fn(X_train, X): X standardized with the mean and std of each feature of X_train
    (lib.preprocessing.Standardize), a feature constant in X_train only centred."""
    from lib.preprocessing import Standardize

    return check_array_function(fn, lambda X_train, X: Standardize().fit(X_train).transform(X),
                                _standardize_cases(), hints=hints)


def _zca_cases():
    """Correlated, off-centre training data with distinct eigenvalues far from 0 and 1, two eps."""
    rng = np.random.default_rng(0)
    mixing = np.array([[3.0, 1.0, 0.0, 0.5], [0.0, 2.0, 0.5, 0.0], [0.0, 0.0, 0.7, 0.2], [0.0, 0.0, 0.0, 0.3]])
    X4 = rng.standard_normal((200, 4)) @ mixing + np.array([4.0, -2.0, 1.0, 10.0])
    X3 = rng.standard_normal((60, 3)) @ np.array([[2.0, 0.5, 0.0], [0.0, 1.5, 0.5], [0.0, 0.0, 0.4]]) + 3.0
    return [(X4, 0.1), (X4, 1e-5), (X3, 1.0)]


def _check_zca_matrix(fn, hints):
    """fn(X_train, eps): the ZCA whitening matrix U diag(1 / sqrt(lambda + eps)) U^T of the covariance
    of X_train (1/N, centred), as lib.preprocessing.ZCA's matrix_."""
    from lib.preprocessing import ZCA

    return check_array_function(fn, lambda X_train, eps: ZCA(eps=eps).fit(X_train).matrix_, _zca_cases(),
                                hints=hints)


def _channel_cases():
    """uint8 images (N, H, W, 3) whose channels differ in mean and spread; never N = 3 = C, so a
    mean per image cannot pass for a mean per channel."""
    rng = np.random.default_rng(0)

    def images(n, h, w, low, high):
        return rng.integers(low, high, size=(n, h, w, 3), endpoint=True).astype(np.uint8)

    return [(images(4, 5, 6, [120, 60, 0], [255, 200, 90]),), (images(2, 7, 3, [0, 100, 200], [60, 160, 255]),),
            (images(5, 2, 2, [30, 30, 30], [250, 250, 250]),)]


def _check_channel_stats(fn, hints):
    """fn(images) for uint8 images (N, H, W, C): (mean, std), each (C,), over all images and pixels, in
    the images' own 0..255 units (the prompt says so; the 0..1 scale is a known mistake with its hint)."""
    return check_array_function(fn, lambda images: (images.mean(axis=(0, 1, 2)), images.std(axis=(0, 1, 2))),
                                _channel_cases(), hints=hints, parts=("mean", "std"))


@functools.lru_cache(maxsize=1)
def _varying_digits():
    """The page's digits split (seed 0) without the pixels that never vary in training:
    (X_train, X_test), (1347, 61) and (450, 61)."""
    from lib import data

    X, y = data.digits()
    X_train, X_test, _, _ = data.train_test_split(X, y, np.random.default_rng(0))
    varying = X_train.std(axis=0) > 0
    return X_train[:, varying], X_test[:, varying]


def _check_whiten_eps(eps, hints, top=20, noise_std=1.0, name="my_eps"):
    """The experimental check of a whitening eps, on the page's digits (the varying pixels): pass when
    noisy test digits (noise std 1 per pixel, drawn with seed 1) keep a signal-to-noise ratio of at
    least 2 after whitening (experiments.whitened_signal_to_noise) and the `top` directions of largest
    variance stay whitened, a std of at least 0.9 on the whitened training digits (Whiten(eps)).
    Both hold for eps from about 0.85 to 2.4: around the noise variance, 1."""
    from lib import preprocessing
    from lib.experiments.preprocessing import whitened_signal_to_noise

    failure = number_failure(eps, name, upper=1e4)
    if failure is not None:
        return failure
    X_train, X_test = _varying_digits()
    before, (after,) = whitened_signal_to_noise(X_train, X_test, np.random.default_rng(1), noise_std,
                                                [float(eps)])
    stds = preprocessing.Whiten(eps=float(eps)).fit_transform(X_train).std(axis=0)[:top]
    measured = (f"{name} = {eps:.3g}: signal-to-noise of noisy test digits {before:.3g} before "
                f"whitening, {after:.3g} after; the {top} largest directions have whitened std "
                f"{stds.min():.3f} to {stds.max():.3f}")
    if after < 2:
        return CheckResult(False, f"✗ {measured}: the noise has more than half the "
                                  "signal's power. Try a larger eps.")
    if stds.min() < 0.9:
        return CheckResult(False, f"✗ {measured}: the main directions are no longer whitened "
                                  "(a std below 0.9). Try a smaller eps.")
    return CheckResult(True, f"✓ {measured}: the main directions are whitened and the noise keeps "
                             "below half the signal's power.")


EXERCISES = [
    Exercise(
        label="ex-standardize", name="standardize", setup=_SETUP, check=_check_standardize,
        mistakes=(
            Mistake("def standardize(X_train, X):\n"  # the test set's own statistics
                    "    mu, sigma = X.mean(axis=0), X.std(axis=0)\n"
                    "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)",
                    hint="You used the statistics of X, not of X_train: fit the mean and std on the training set "
                         "only, and apply them unchanged to any other data."),
            Mistake("def standardize(X_train, X):\n"  # the wrong axis: one statistic per training example
                    "    mu, sigma = X_train.mean(axis=1), X_train.std(axis=1)\n"
                    "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)", says="Check the axis"),
            Mistake("def standardize(X_train, X):\n"  # the wrong axis, with keepdims: per example of X
                    "    mu, sigma = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)\n"
                    "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)",
                    hint="You computed one mean and std per example (axis=1); standardizing uses one per feature, "
                         "over the rows (axis=0)."),
            Mistake("def standardize(X_train, X):\n"  # the formula as written: 0 / 0 for a constant pixel
                    "    return (X - X_train.mean(axis=0)) / X_train.std(axis=0)",
                    hint="A feature that is constant in X_train has std 0, and 0 / 0 is NaN: divide by 1 where the "
                         "std is 0 (the feature then becomes exactly 0)."),
            Mistake("def standardize(X_train, X):\n"
                    "    var = X_train.var(axis=0)\n"
                    "    return (X - X_train.mean(axis=0)) / np.where(var > 0, var, 1.0)",
                    hint="You divided by the variance; divide by the standard deviation, its square root."),
            Mistake("def standardize(X_train, X):\n"
                    "    sigma = X_train.std(axis=0)\n"
                    "    return X / np.where(sigma > 0, sigma, 1.0)",
                    hint="You did not subtract the training mean."),
            Mistake("def standardize(X_train, X):\n"
                    "    return X - X_train.mean(axis=0)",
                    hint="You did not divide by the standard deviation."),
            Mistake("def standardize(X_train, X):\n"  # no axis: one number for the whole array
                    "    return (X - X_train.mean()) / X_train.std()",
                    hint="You used one mean and one std for all features (no axis): compute one per feature, "
                         "axis=0."),
            Mistake("def standardize(X_train, X):\n"  # pandas' default
                    "    sigma = X_train.std(axis=0, ddof=1)\n"
                    "    return (X - X_train.mean(axis=0)) / np.where(sigma > 0, sigma, 1.0)",
                    hint="You used the sample standard deviation (ddof=1); use np.std's default, ddof=0, as "
                         "lib.preprocessing does."),
            Mistake("def standardize(X_train, X):\n"  # right values, but the caller's training set is now centred
                    "    mu = X_train.mean(axis=0)\n"
                    "    X_train -= mu\n"
                    "    sigma = X_train.std(axis=0)\n"
                    "    return (X - mu) / np.where(sigma > 0, sigma, 1.0)", says="changed its input X_train"),
            Mistake("def standardize(X_train, X):\n"  # the common idiom: fine in training, 1e8 x on test data
                    "    return (X - X_train.mean(axis=0)) / (X_train.std(axis=0) + 1e-8)",
                    hint="Adding a small eps to the std leaves a constant training feature divided by 1e-8, so "
                         "a test value there is multiplied by 1e8: divide by 1 where the std is 0."),
            Mistake("def standardize(X_train, X):\n"  # the same, written with a floor
                    "    return (X - X_train.mean(axis=0)) / np.maximum(X_train.std(axis=0), 1e-8)",
                    says="constant training feature divided by 1e-8"),
            Mistake("def standardize(X_train, X):\n"  # a constant training feature set to 0 whatever X holds
                    "    mu, sigma = X_train.mean(axis=0), X_train.std(axis=0)\n"
                    "    return np.where(sigma > 0, (X - mu) / np.where(sigma > 0, sigma, 1.0), 0.0)",
                    hint="You set a feature that is constant in X_train to 0 in X: centre it instead (X - mean), "
                         "so a test value that differs from the training one keeps its difference."),
            Mistake("def standardize(X_train, X):\n"  # NaN turned into 0 after the fact: the warning stays
                    "    return np.nan_to_num((X - X_train.mean(axis=0)) / X_train.std(axis=0))",
                    says="floating-point warning"),
        ),
        right_answers=(
            "from sklearn.preprocessing import StandardScaler\n\n"
            "def standardize(X_train, X):\n"
            "    return StandardScaler().fit(X_train).transform(X)",
            "def standardize(X_train, X):\n"
            "    sigma = X_train.std(axis=0)\n"
            "    sigma[sigma == 0] = 1.0  # sigma is a new array: the caller's data stay as they are\n"
            "    return (X - X_train.mean(axis=0)) / sigma",
            "def standardize(X_train, X):\n"
            "    out = np.empty_like(X)\n"
            "    for j in range(X.shape[1]):\n"
            "        column = X_train[:, j]\n"
            "        out[:, j] = (X[:, j] - column.mean()) / (column.std() or 1.0)\n"
            "    return out",
            "def standardize(X_train, X):\n"
            "    return preprocessing.Standardize().fit(X_train).transform(X)",
        ),
    ),
    Exercise(
        label="ex-zca", name="zca_matrix", setup=_SETUP, check=_check_zca_matrix,
        mistakes=(
            Mistake("def zca_matrix(X_train, eps):\n"  # the eigenvalues, not their square roots
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
                    "    return U @ np.diag(1 / (lam + eps)) @ U.T",
                    hint="You divided by the eigenvalues; whitening divides by their square roots: 1 / sqrt(lambda "
                         "+ eps)."),
            Mistake("def zca_matrix(X_train, eps):\n"  # the inverse covariance: the same mistake, written differently
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    return np.linalg.inv(Xc.T @ Xc / len(Xc) + eps * np.eye(X_train.shape[1]))",
                    says="You divided by the eigenvalues"),
            Mistake("def zca_matrix(X_train, eps):\n"  # forgot to centre
                    "    lam, U = np.linalg.eigh(X_train.T @ X_train / len(X_train))\n"
                    "    return U @ np.diag(1 / np.sqrt(lam + eps)) @ U.T",
                    hint="Your covariance is not centred: subtract the training mean before X^T X / N."),
            Mistake("from scipy.linalg import fractional_matrix_power\n\n"  # forgot to centre, written with scipy
                    "def zca_matrix(X_train, eps):\n"
                    "    second_moment = X_train.T @ X_train / len(X_train)\n"
                    "    return fractional_matrix_power(second_moment + eps * np.eye(X_train.shape[1]), -0.5)",
                    says="Your covariance is not centred"),
            Mistake("def zca_matrix(X_train, eps):\n"  # eigenvectors taken as rows
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
                    "    return U.T @ np.diag(1 / np.sqrt(lam + eps)) @ U",
                    hint="You used the eigenvectors as rows: np.linalg.eigh returns them as the columns of U, so W "
                         "= U diag(...) U^T."),
            Mistake("def zca_matrix(X_train, eps):\n"  # PCA whitening: no rotation back
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
                    "    return U @ np.diag(1 / np.sqrt(lam + eps))",
                    hint="This is PCA whitening, U diag(1 / sqrt(lambda + eps)); ZCA rotates back: multiply by U^T "
                         "on the right."),
            Mistake("def zca_matrix(X_train, eps):\n"
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
                    "    return U @ np.diag(1 / np.sqrt(lam)) @ U.T",
                    hint="You left out eps."),
            Mistake("def zca_matrix(X_train, eps):\n"  # np.cov divides by N - 1
                    "    lam, U = np.linalg.eigh(np.cov(X_train.T))\n"
                    "    return U @ np.diag(1 / np.sqrt(lam + eps)) @ U.T",
                    hint="You divided the covariance by N - 1 (np.cov's default); divide by N, as "
                         "lib.preprocessing does."),
            Mistake("def zca_matrix(X_train, eps):\n"  # the covariance of the examples, N x N
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc @ Xc.T / len(Xc))\n"
                    "    return U @ np.diag(1 / np.sqrt(np.abs(lam) + eps)) @ U.T",
                    hint="You computed the covariance of the examples, X X^T (N x N); the covariance of the D "
                         "features is X^T X / N (D x D)."),
            Mistake("def zca_matrix(X_train, eps):\n"
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
                    "    return U @ np.diag(1 / (np.sqrt(lam) + eps)) @ U.T",
                    hint="You added eps outside the square root: use 1 / sqrt(lambda + eps)."),
            Mistake("def zca_matrix(X_train, eps):\n"  # the square root of the covariance: colours, not whitens
                    "    Xc = X_train - X_train.mean(axis=0)\n"
                    "    lam, U = np.linalg.eigh(Xc.T @ Xc / len(Xc))\n"
                    "    return U @ np.diag(np.sqrt(lam + eps)) @ U.T",
                    hint="You multiplied by sqrt(lambda + eps); divide by it."),
        ),
        right_answers=(
            "def zca_matrix(X_train, eps):\n"  # from the SVD of the centred data: lambda = s^2 / N
            "    Xc = X_train - X_train.mean(axis=0)\n"
            "    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)\n"
            "    return Vt.T @ np.diag(1 / np.sqrt(s**2 / len(Xc) + eps)) @ Vt",
            "from scipy.linalg import fractional_matrix_power\n\n"
            "def zca_matrix(X_train, eps):\n"
            "    cov = np.cov(X_train, rowvar=False, bias=True)\n"
            "    return fractional_matrix_power(cov + eps * np.eye(len(cov)), -0.5)",
            "from scipy.linalg import sqrtm\n\n"
            "def zca_matrix(X_train, eps):\n"
            "    Xc = X_train - X_train.mean(axis=0)\n"
            "    return np.linalg.inv(sqrtm(Xc.T @ Xc / len(Xc) + eps * np.eye(Xc.shape[1])))",
            "def zca_matrix(X_train, eps):\n"
            "    return preprocessing.ZCA(eps=eps).fit(X_train).matrix_",
        ),
    ),
    Exercise(
        label="ex-channel-stats", name="channel_stats", setup=_SETUP, check=_check_channel_stats,
        mistakes=(
            Mistake("def channel_stats(images):\n"  # per image
                    "    x = images.astype(np.float64)\n"
                    "    return x.mean(axis=(1, 2)), x.std(axis=(1, 2))",
                    hint="You computed one mean per image, axis=(1, 2): average over the images too, axis=(0, 1, "
                         "2)."),
            Mistake("def channel_stats(images):\n"  # AlexNet's mean image
                    "    x = images.astype(np.float64)\n"
                    "    return x.mean(axis=0), x.std(axis=0)",
                    hint="That is the mean image (AlexNet's), one value per pixel and channel: average over the "
                         "pixels too, axis=(0, 1, 2)."),
            Mistake("def channel_stats(images):\n"  # averaged over the channels instead
                    "    x = images.astype(np.float64)\n"
                    "    return x.mean(axis=-1), x.std(axis=-1)",
                    hint="You averaged over the channels (axis=-1); keep them: average over every other axis, (0, "
                         "1, 2)."),
            Mistake("def channel_stats(images):\n"
                    "    x = images.astype(np.float64)\n"
                    "    return x.mean(), x.std()",
                    hint="You averaged over everything: keep one value per channel, axis=(0, 1, 2)."),
            Mistake("def channel_stats(images):\n"  # per-image statistics, then averaged
                    "    x = images.astype(np.float64)\n"
                    "    return x.mean(axis=(1, 2)).mean(axis=0), x.std(axis=(1, 2)).mean(axis=0)",
                    hint="The mean of the per-image standard deviations misses the differences between images: "
                         "take the std over all images and pixels at once."),
            Mistake("def channel_stats(images):\n"  # E[x^2] - E[x]^2 in uint8
                    "    mean = images.mean(axis=(0, 1, 2))\n"
                    "    return mean, np.sqrt((images**2).mean(axis=(0, 1, 2)) - mean**2)",
                    hint="uint8 arithmetic wrapped around (16 * 16 does not fit in 0..255): convert first, "
                         "images.astype(np.float64)."),
            Mistake("def channel_stats(images):\n"
                    "    return images.mean(axis=(0, 1, 2)), images.var(axis=(0, 1, 2))",
                    hint="That is the variance; the std is its square root."),
            Mistake("def channel_stats(images):\n"
                    "    return images.std(axis=(0, 1, 2)), images.mean(axis=(0, 1, 2))",
                    hint="The results are in the wrong order: return (mean, std)."),
            Mistake("def channel_stats(images):\n"  # only the mean
                    "    return images.mean(axis=(0, 1, 2))", says="not 2 arrays"),
            Mistake("def channel_stats(images):\n"  # torchvision's scale, not the one asked for
                    "    x = images / 255.0\n"
                    "    return x.mean(axis=(0, 1, 2)), x.std(axis=(0, 1, 2))",
                    hint="Those are on the 0..1 scale (what torchvision's ToTensor gives): the exercise asks for "
                         "the images' own 0..255 units, so do not divide by 255."),
            Mistake("def channel_stats(images):\n"  # the sample std
                    "    x = images.astype(np.float64)\n"
                    "    return x.mean(axis=(0, 1, 2)), x.std(axis=(0, 1, 2), ddof=1)",
                    hint="You used the sample standard deviation (ddof=1); use np.std's default, ddof=0."),
        ),
        right_answers=(
            "def channel_stats(images):\n"
            "    pixels = images.reshape(-1, images.shape[-1]).astype(float)  # one row per pixel\n"
            "    return pixels.mean(axis=0), pixels.std(axis=0)",
            "def channel_stats(images):\n"  # numpy's mean and std of uint8 accumulate in float64
            "    return images.mean(axis=(0, 1, 2)), images.std(axis=(0, 1, 2))",
            "def channel_stats(images):\n"
            "    x = images.astype(np.float64)\n"
            "    mean = x.mean(axis=(0, 1, 2))\n"
            "    return mean, np.sqrt(((x - mean) ** 2).mean(axis=(0, 1, 2)))",
            "def channel_stats(images):\n"
            "    channels = [images[..., c].astype(float) for c in range(images.shape[-1])]\n"
            "    return [np.array([ch.mean() for ch in channels]), np.array([ch.std() for ch in channels])]",
        ),
    ),
    Exercise(
        label="ex-whiten-eps", name="my_eps", setup=_SETUP, check=_check_whiten_eps,
        mistakes=(
            Mistake("my_eps = 1e-5", says="Try a larger eps"),  # Whiten's default, the page's first table row
            Mistake("my_eps = 1e-8", says="Try a larger eps"),  # the usual guard against division by 0
            Mistake("my_eps = 9.35e-05", says="Try a larger eps"),  # the smallest nonzero eigenvalue
            Mistake("my_eps = 1e-3", says="Try a larger eps"),
            Mistake("my_eps = 0.1", says="Try a larger eps"),
            Mistake("my_eps = 0.5", says="Try a larger eps"),
            Mistake("my_eps = 10", says="Try a smaller eps"),  # "larger is more robust", too far
            Mistake("my_eps = 100", says="Try a smaller eps"),
            Mistake("my_eps = 16", says="Try a smaller eps"),  # the pixels' range
            Mistake("my_eps = 0", says="must be a positive number"),
        ),
        right_answers=(
            "my_eps = 1.0",
            "noise_std = 1.0\nmy_eps = noise_std ** 2",  # the noise variance
            "my_eps = 2",
            "my_eps = 1.5",
        ),
    ),
]
