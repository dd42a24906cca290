"""The figures of the preprocessing page: `figure(fig, **values)` fits the transforms (cached) and
draws into `fig`.
"""

import functools

import numpy as np
from matplotlib.patches import Rectangle

from lib import data, preprocessing
from lib._validate import one_of
from lib.experiments import preprocessing as experiments
from lib.figures.style import COLORS, LARGE, SMALL, few_ticks, hand_layout, draw_xy


PREPROCESSING_STEPS = {
    "original": None,
    "centered": preprocessing.Center,
    "standardized": preprocessing.Standardize,
    "decorrelated (PCA)": preprocessing.PCA,
    "whitened": preprocessing.Whiten,
}


def cloud_steps(fig, X, steps):
    """2-D data X (N, 2) after each of `steps` (names in PREPROCESSING_STEPS, each fitted on X), on one
    common range, side by side, each titled with its covariance matrix.

    Used in: preprocessing § Center and normalize § Decorrelate (PCA) and whiten."""
    clouds = {}
    for step in steps:
        transform = PREPROCESSING_STEPS[one_of(step, "each of steps", tuple(PREPROCESSING_STEPS))]
        Y = X if transform is None else transform().fit_transform(X)
        cov = np.round(np.cov(Y.T, bias=True), 2) + 0.0  # + 0.0: no "-0.00"
        clouds[f"{step}\n[[{cov[0, 0]:.2f}, {cov[0, 1]:.2f}],\n [{cov[1, 0]:.2f}, {cov[1, 1]:.2f}]]"] = Y
    draw_clouds(fig, clouds)


# --- PCA on digits -----------------------------------------------------------------------------

def digits_pca(fig, X_train, X_test, ks, n_components=8):
    """Top: share of variance explained and reconstruction error against the number of principal
    directions k, the legend above. Below: the leading directions (columns of U) as 8x8 images,
    four to a row.

    Used in: preprocessing § Decorrelate (PCA) and whiten."""
    explained, train_error, test_error = experiments.pca_reconstruction(X_train, X_test, ks)
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.1, 1])
    ax = draw_xy(top, ks, {"train": train_error, "test": test_error}, "k (directions kept)",
                 "reconstruction\nerror (MSE)")
    share = ax.twinx()
    share.plot(ks, explained, "s:", color="0.4", ms=3, lw=1, label="variance explained")
    share.set_ylim(0, 1.05)
    share.set_ylabel("variance explained", color="0.4")
    share.grid(False)
    for axis in (ax, share):
        axis.tick_params(labelsize=SMALL)
    ax.get_legend().remove()  # one legend for both axes, above them: no curve under it
    handles = ax.get_lines() + share.get_lines()
    top.legend(handles, [h.get_label() for h in handles], loc="outside upper center", ncols=3,
               fontsize=SMALL)
    components = preprocessing.PCA(n_components).fit(X_train).components_
    draw_image_grid(bottom, [components[:, i].reshape(8, 8) for i in range(n_components)],
                    [f"u{i + 1}" for i in range(n_components)], ncols=4, symmetric=True,
                    title="leading eigenvectors of the covariance")


# --- whitening and its epsilon -----------------------------------------------------------------

NOISE_STD = 1.0  # the noise added to the digits of the epsilon figure, in pixel levels (0..16)


@functools.lru_cache(maxsize=1)
def _digits_for_whitening(seed=0):
    """The digits' training split (raw pixels), one test digit and it with noise, drawn once."""
    X, y = data.digits()
    X_train, X_test, _, _ = data.train_test_split(X, y, np.random.default_rng(0), test_fraction=0.25)
    digit = X_test[0]
    noisy = digit + NOISE_STD * np.random.default_rng(seed).standard_normal(digit.shape)
    return X_train, digit, noisy


def whitening_epsilon(fig, log10_eps=-5.0):
    """What eps does to whitening, on digits: per principal direction, the std of the data and of
    noise of std NOISE_STD after whitening; a test digit and the same digit with noise, ZCA-whitened
    (x - mu) U diag(1 / sqrt(lambda + eps)) U^T (`lib.preprocessing.ZCA`).

    Used in: preprocessing § Decorrelate (PCA) and whiten."""
    X_train, digit, noisy = _digits_for_whitening()
    eps = 10.0**log10_eps
    zca = preprocessing.ZCA(eps=eps).fit(X_train)
    lam = zca.explained_variance_
    scale = 1 / np.sqrt(lam + eps)
    whitened = zca.transform(np.stack([digit, noisy]))
    snr = np.sum(lam * scale**2) / np.sum(NOISE_STD**2 * scale**2)
    draw_spectrum_and_images(
        fig, {"data": np.sqrt(lam) * scale, f"noise (std {NOISE_STD:g} per pixel)": NOISE_STD * scale},
        [noisy.reshape(8, 8), whitened[0].reshape(8, 8), whitened[1].reshape(8, 8)],
        ["noisy input", "ZCA: clean", "ZCA: noisy"],
        title=f"eps = {eps:g}: expected signal-to-noise {snr:.3g}")
    fig.axes[0].set_ylim(1e-3, 1e3)


# --- ZCA filters of photograph patches ---------------------------------------------------------


def zca_filters(fig, size=8, eps=10.0, n=20_000, seed=0, crop=(slice(120, 320), slice(220, 470))):
    """Top row: rows of the ZCA matrix (the filters computing whitened pixels); below them rows of the
    PCA whitening matrix diag(1 / sqrt(lambda + eps)) U^T, each as a size x size patch in a frame, a
    flat one titled so (`_flat_or`: the first, the patch's mean brightness). Bottom: a crop of
    the flower photograph and the same crop filtered with the centre pixel's ZCA filter.

    Used in: preprocessing § Decorrelate (PCA) and whiten."""
    patches = experiments.photograph_patches(size, n, seed)
    zca = preprocessing.ZCA(eps=eps).fit(patches)
    pca_rows = (zca.components_ / np.sqrt(zca.explained_variance_ + eps)).T
    pixels = [r * size + c for r, c in ((1, 1), (1, 6), (size // 2, size // 2), (6, 1), (6, 6))]
    zca_row, pca_row, bottom = fig.subfigures(3, 1, height_ratios=[1, 1, 1.6])
    draw_image_grid(zca_row, [zca.matrix_[p].reshape(size, size) for p in pixels],
                    [f"({p // size}, {p % size})" for p in pixels], symmetric=True, framed=True,
                    title="ZCA filters of pixels (row, column)")
    draw_image_grid(pca_row, [pca_rows[i].reshape(size, size) for i in range(5)],
                    [_flat_or(f"{i + 1}", pca_rows[i]) for i in range(5)], symmetric=True, framed=True,
                    title="PCA whitening, rows 1 to 5")
    flower = data.photographs()[1].mean(axis=2)
    filtered = experiments.zca_filtered(flower, zca, size)
    draw_image_grid(bottom, [flower[crop], np.clip(filtered[crop], *np.percentile(filtered, [1, 99]))],
                    ["photograph (gray)", "ZCA-whitened: its edges"], ncols=2)


def _flat_or(title, weights, spread=0.05):
    """title, or title + ": flat" when the filter weights (D,) all have one sign and vary by
    less than `spread` of their mean: such a filter weighs every pixel alike, it computes the patch's
    mean brightness, and on its own symmetric colour scale it is one uniform shade."""
    flat = np.ptp(weights) < spread * abs(float(np.mean(weights)))
    return f"{title}: flat" if flat else title


# --- why it helps: the notes' slide (c) as a measurement ----------------------------------------

@functools.lru_cache(maxsize=1)
def far_from_origin(seed=0):
    """Two classes far from the origin, a classifier trained on the standardized data and the same
    classifier on the raw data: (X, y, fitted Standardize, net on standardized, net on raw)."""
    X, y = data.gaussian_clusters(100, np.random.default_rng(seed), centers=[[8.0, 6.0], [8.6, 6.6]],
                                  std=0.3)
    fitted = preprocessing.Standardize().fit(X)
    net = experiments.softmax_classifier(fitted.transform(X), y, lr=1.0, steps=300)
    return X, y, fitted, net, experiments.on_raw_inputs(net, fitted)


def _boundary(net):
    """The decision boundary of a two-class softmax classifier as (w, b): w . x + b = 0."""
    W, b = net.params["W1"], net.params["b1"]
    return W[:, 1] - W[:, 0], b[1] - b[0]


def _perturbed_boundaries(net, norm, rng, count):
    """The boundaries of `count` copies of net whose parameters moved by `norm` in random directions."""
    start = {k: v.copy() for k, v in net.params.items()}
    lines = []
    for _ in range(count):
        net.params.update(experiments.random_step(start, norm, rng))
        lines.append(_boundary(net))
    net.params.update(start)
    return lines


def perturbed_boundaries(fig, norm=0.3, count=12, seed=1):
    """The notes' slide (c), measured: one classifier on raw data far from the origin (left) and the
    same classifier on the standardized data (right), with the boundaries of `count` copies whose
    weights moved by `norm` in random directions (thin lines).

    Used in: preprocessing § Why it helps, measured."""
    X, y, fitted, net, raw = far_from_origin()
    panels = {}
    for title, model, points in (("raw, far from 0", raw, X),
                                 ("standardized", net, fitted.transform(X))):
        change, _ = experiments.perturbation_sensitivity(model, points, y, norm, np.random.default_rng(seed), 20)
        panels[f"{title}\nmean |Δ loss| {change:.2g}"] = {
            "X": points, "y": y, "lines": [_boundary(model)],
            "thin": _perturbed_boundaries(model, norm, np.random.default_rng(seed), count)}
    draw_classifier_panels(fig, panels)


# --- conditioning: stretch and turn a cloud, see the loss and the descent --------------------------

@functools.lru_cache(maxsize=64)
def _descent(stretch, angle, step):
    rng = np.random.default_rng(0)
    X = data.stretched_cloud(rng, n=200, stretch=stretch, angle=angle)
    y = X @ np.array([1.0, 0.4]) + 0.3 * rng.standard_normal(len(X))
    transform = {"raw": None, "standardized": preprocessing.Standardize,
                 "whitened": lambda: preprocessing.Whiten(eps=0.0)}[step]
    Z = X if transform is None else transform().fit_transform(X)
    H, w_star, path, needed = experiments.least_squares_descent(Z, y, steps=25)
    return Z, H, w_star, path, needed


def descent_on_contours(fig, stretch=3, angle=45, data="raw"):
    """A cloud stretched by `stretch` along a direction `angle` degrees from the first axis, used raw,
    standardized or whitened as the input of least-squares regression y = x . w: the data, the loss
    contours in weight space and 25 steps of gradient descent from w = 0 with three quarters of the
    largest stable learning rate, 1.5 / lambda_max.

    Used in: preprocessing § Why it helps, measured."""
    Z, H, w_star, path, needed = _descent(stretch, angle, data)
    kappa = np.linalg.cond(H)
    steps = f"{needed} step{'' if needed == 1 else 's'}"
    draw_descent(fig, Z, H, w_star, path,
                 f"{data}: condition number {kappa:.3g}\n{steps} to 1e-4 of the start's excess loss")


# --- statistics from the training set only --------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _shifted_problem(step):
    """Two classes (train) and a test set from the same distribution; a classifier on `step` data."""
    centers = [[4.0, 3.0], [5.0, 4.5]]
    X, y = data.gaussian_clusters(100, np.random.default_rng(0), centers=centers, std=0.6)
    X_test, y_test = data.gaussian_clusters(30, np.random.default_rng(1), centers=centers, std=0.6)
    transform = {"standardized": preprocessing.Standardize, "whitened": preprocessing.Whiten}[step]
    fitted = transform().fit(X)
    return X, y, X_test, y_test, transform, fitted, experiments.softmax_classifier(fitted.transform(X), y, 1.0, 300)


MAX_DRIFT = 2.0  # the drift player's largest drift: fit_on_test's axes hold every frame up to it


def _drifted(step, shift, wrong):
    """The training points and the drifted test points as fit_on_test shows them (transformed)."""
    X, y, X_test, y_test, transform, fitted, net = _shifted_problem(step)
    moved = X_test + np.array([shift, 0.0])
    shown = transform().fit(moved).transform(moved) if wrong else fitted.transform(moved)
    return fitted.transform(X), shown


def _drift_limit(shifts):
    """Half the side of the one square range that holds every point of every frame of fit_on_test
    with drifts between the smallest and the largest of `shifts` (both steps, both ways), plus a
    margin. A frame's points are affine in the drift (refitted ones do not move), so the extreme
    drifts bound them all."""
    points = [p for step in ("standardized", "whitened") for shift in (min(shifts), max(shifts))
              for wrong in (False, True) for p in _drifted(step, shift, wrong)]
    return float(np.ceil(1.1 * max(float(np.abs(p).max()) for p in points)))  # whole: ticks at its ends


def fit_on_test(fig, step="standardized", shift=1.0, wrong=False):
    """A test set whose first feature drifted by `shift`, transformed with the training statistics
    (right) or with statistics fitted on the test set itself (wrong=True): the points (training dots,
    test crosses, a key right of the axes), the classifier's boundary, the accuracy the wrong
    procedure reports and the one the model gets when it meets the examples one at a time with the
    stored statistics. One range for every drift from 0 to MAX_DRIFT (and to `shift`, if outside).

    Used in: preprocessing § Statistics from the training set only."""
    _, y, X_test, y_test, _, fitted, net = _shifted_problem(step)
    train, shown = _drifted(step, shift, wrong)
    reported = net.accuracy(shown, y_test)
    met = net.accuracy(fitted.transform(X_test + np.array([shift, 0.0])), y_test)
    how = "fitted on the test set (wrong)" if wrong else "from the training set"
    draw_classifier_panels(fig, {f"test statistics {how}\nreported test accuracy {reported:.0%}, "
                                 f"accuracy in use {met:.0%}": {
        "X": train, "y": y, "X_test": shown, "y_test": y_test, "lines": [_boundary(net)]}},
        limit=_drift_limit((0.0, MAX_DRIFT, shift)), key=True)


# --- images ---------------------------------------------------------------------------------------

def photographs_and_mean(fig, step=4):
    """The two bundled photographs and their mean image (every `step`-th pixel shown).

    Used in: preprocessing § Images."""
    photos = data.photographs()
    mean_image = experiments.image_statistics(photos)["mean image"]
    draw_image_grid(fig, [photos[0][::step, ::step], photos[1][::step, ::step], mean_image[::step, ::step]],
                    ["china.jpg", "flower.jpg", "their mean image"], ncols=3)


def _square_frame(ax, limit, title, axis_width):
    """Square axes over [-limit, limit]^2 with the coordinate axes drawn through the origin."""
    ax.axhline(0, color="k", lw=axis_width)
    ax.axvline(0, color="k", lw=axis_width)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=SMALL)


def draw_clouds(fig, clouds, point_size=4):
    """2-D point clouds side by side, {title: (N, 2) points}, on one square range that holds every
    point and the origin (marked by the axes through it), so moves and stretches compare by eye."""
    limit = 1.05 * max(float(np.abs(points).max()) for points in clouds.values())
    axes = fig.subplots(1, len(clouds), squeeze=False, sharex=True, sharey=True)[0]
    for ax, (title, points) in zip(axes, clouds.items()):
        ax.scatter(points[:, 0], points[:, 1], s=point_size, alpha=0.5, color=COLORS["train"], linewidths=0)
        _square_frame(ax, limit, title, axis_width=0.6)
        few_ticks(ax, 2)
        ax.label_outer()  # one range: its tick labels once, below and left


def draw_image_grid(fig, images, titles=None, ncols=None, symmetric=False, title="", framed=False):
    """Small images in a grid, each on its own colour scale: 2-D arrays in gray, (h, w, 3) arrays as
    colour (scaled to [0, 1] per image). symmetric=True centres a 2-D image's scale on 0 (for
    filters, whose sign matters: white positive, black negative). framed=True draws a thin gray
    frame round each image, so that a uniform white or black one still shows as a square.

    Used in: preprocessing § Center and normalize."""
    ncols = ncols or len(images)
    nrows = -(-len(images) // ncols)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= len(images):
            continue
        image = np.asarray(images[i], dtype=float)
        if image.ndim == 3:
            low, high = image.min(), image.max()
            ax.imshow((image - low) / (high - low if high > low else 1.0), interpolation="nearest")
        else:
            limit = np.abs(image).max() or 1.0
            scale = {"vmin": -limit, "vmax": limit} if symmetric else {}
            ax.imshow(image, cmap="gray", interpolation="nearest", **scale)
        if framed:
            ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, lw=0.8,
                                   edgecolor="0.5", clip_on=False))
        if titles is not None:
            ax.set_title(titles[i], fontsize=SMALL)
    if title:
        fig.suptitle(title, fontsize=LARGE)


def draw_classifier_panels(fig, panels, limit=None, key=False):
    """Two-class data and linear decision boundaries, one panel per entry of
    panels {title: {"X": (N, 2), "y": (N,) in {0, 1}, "lines": [(w (2,), b), ...],
    optional "X_test", "y_test", "thin": [(w, b), ...]}}. A line is {x : w . x + b = 0}; "thin"
    lines are drawn light (perturbed classifiers), test points as crosses. key=True (one panel): a
    legend right of the panel, off the data (training dots, test crosses, classes, boundary), and
    the panel's title over both."""
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    colors = [COLORS["train"], COLORS["test"]]
    for ax, (title, panel) in zip(axes, panels.items()):
        X, y = panel["X"], panel["y"]
        points = [X] + ([panel["X_test"]] if panel.get("X_test") is not None else [])
        span = limit or 1.15 * max(float(np.abs(p).max()) for p in points)
        for c in (0, 1):
            ax.scatter(X[y == c, 0], X[y == c, 1], s=6, alpha=0.5, color=colors[c], linewidths=0,
                       label=f"training, class {c}")
        for c in (0, 1) if panel.get("X_test") is not None else ():
            T = panel["X_test"][panel["y_test"] == c]
            ax.scatter(T[:, 0], T[:, 1], s=22, marker="x", color=colors[c], linewidths=1,
                       label=f"test, class {c}")
        xs = np.array([-span, span])
        for lines, style in ((panel.get("thin", []), {"color": "0.4", "lw": 0.6, "alpha": 0.6}),
                             (panel["lines"], {"color": "k", "lw": 1.8, "label": "boundary"})):
            for w, b in lines:
                if abs(w[1]) > abs(w[0]):
                    ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
                else:
                    ax.plot(-(w[1] * xs + b) / w[0], xs, **style)
        _square_frame(ax, span, title, axis_width=0.5)
        few_ticks(ax, 4)
    if key:  # laid out by hand (constrained layout misplaces a suptitle over an outside legend)
        hand_layout(fig)
        fig.subplots_adjust(left=0.1, right=0.62, top=0.84, bottom=0.08)
        fig.legend(*ax.get_legend_handles_labels(), loc="center left", bbox_to_anchor=(0.64, 0.5),
                   fontsize=SMALL, handlelength=1.2, markerscale=1.5, borderaxespad=0)
        fig.suptitle(ax.get_title(), fontsize=SMALL)
        ax.set_title("")


def draw_descent(fig, X, H, w_star, path, title=""):
    """Left: the data X (N, 2). Right: contours of the quadratic loss (w - w*)^T H (w - w*) / 2 around
    w* and the path (T, 2) of gradient descent from its first point, on equal axes, in a closed frame
    that holds the whole path and w* with a margin of 1/7 of its side."""
    ax_data, ax_loss = fig.subplots(1, 2)
    limit = 1.05 * float(np.abs(X).max())
    ax_data.scatter(X[:, 0], X[:, 1], s=4, alpha=0.5, color=COLORS["train"], linewidths=0)
    ax_data.set_xlim(-limit, limit)
    ax_data.set_ylim(-limit, limit)
    ax_data.set_title("data", fontsize=SMALL)
    corners = np.vstack([path, w_star])
    centre = (corners.max(axis=0) + corners.min(axis=0)) / 2
    # a margin of 0.2 of the path's extent each side (1/7 of the panel): its first steps, which jump
    # furthest, end inside a closed frame, not at an open edge
    half = 0.7 * float((corners.max(axis=0) - corners.min(axis=0)).max()) + 1e-9
    g = np.linspace(-half, half, 41)
    W1, W2 = np.meshgrid(centre[0] + g, centre[1] + g)
    d1, d2 = W1 - w_star[0], W2 - w_star[1]
    Z = 0.5 * (H[0, 0] * d1 * d1 + 2 * H[0, 1] * d1 * d2 + H[1, 1] * d2 * d2)
    start = 0.5 * (path[0] - w_star) @ H @ (path[0] - w_star)
    ax_loss.contour(W1, W2, Z, levels=start * np.geomspace(1e-3, 1.0, 7), colors="0.6", linewidths=0.8)
    ax_loss.plot(path[:, 0], path[:, 1], ".-", color=COLORS["grad"], ms=4, lw=1)
    ax_loss.plot(*w_star, "k*", ms=10)
    ax_loss.set_xlim(centre[0] - half, centre[0] + half)
    ax_loss.set_ylim(centre[1] - half, centre[1] + half)
    ax_loss.set_xlabel("$w_1$", labelpad=1)
    ax_loss.set_ylabel("$w_2$", labelpad=1)
    ax_loss.set_title(f"loss, first {len(path) - 1} steps", fontsize=SMALL)
    ax_loss.spines[["top", "right"]].set_visible(True)
    for ax in (ax_data, ax_loss):
        few_ticks(ax)
        ax.set_aspect("equal")
    fig.suptitle(title, fontsize=SMALL)
    hand_layout(fig)  # drawn once per frame of an interactive figure: no layout engine
    fig.subplots_adjust(left=0.1, right=0.96, top=0.78, bottom=0.12, wspace=0.35)


def draw_spectrum_and_images(fig, curves, images, image_titles, title=""):
    """Top: values per principal direction {label: (D,)} on a log axis. Below: small gray images side
    by side in one panel, each scaled symmetrically around 0 to its own largest |value|."""
    hand_layout(fig)  # drawn once per frame of an interactive figure: no layout engine
    ax = fig.add_axes([0.2, 0.5, 0.77, 0.4])
    ax_images = fig.add_axes([0.03, 0.02, 0.94, 0.29])
    for label, values in curves.items():
        ax.semilogy(np.arange(1, len(values) + 1), values, lw=1.8, label=label)
    ax.minorticks_off()
    ax.set_xlabel("principal direction (largest variance first)")
    ax.set_ylabel("std after\nwhitening")
    ax.legend(fontsize=SMALL, loc="upper left")  # stays empty: std <= 1 there at every eps
    ax.tick_params(labelsize=SMALL)
    h, w = np.shape(images[0])
    mosaic = np.full((h, len(images) * (w + 1) - 1), np.nan)
    for i, image in enumerate(images):
        image = np.asarray(image, dtype=float)
        mosaic[:, i * (w + 1):i * (w + 1) + w] = image / (np.abs(image).max() or 1.0)
    ax_images.imshow(mosaic, cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
    for i, text in enumerate(image_titles):
        ax_images.text(i * (w + 1) + (w - 1) / 2, -1, text, ha="center", va="bottom", fontsize=SMALL)
    ax_images.set_axis_off()
    fig.suptitle(title, fontsize=SMALL, y=0.98)
