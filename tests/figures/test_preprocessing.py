"""The preprocessing page's figures: `lib.figures.preprocessing`."""

import numpy as np

from lib import data


def digits_split():
    X, y = data.digits()
    return data.train_test_split(X, y, np.random.default_rng(0))


def test_the_preprocessing_figures_render():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lib.figures import preprocessing as figures

    X_train, X_test, _, _ = digits_split()
    cloud = data.correlated_cloud(np.random.default_rng(0))
    draws = [lambda f: figures.cloud_steps(f, cloud, ["original", "whitened"]),
             lambda f: figures.digits_pca(f, X_train, X_test, [1, 10, 64]),
             lambda f: figures.whitening_epsilon(f, -1.0),
             lambda f: figures.zca_filters(f, n=2000),
             lambda f: figures.perturbed_boundaries(f, count=3),
             lambda f: figures.descent_on_contours(f, 3, 45, "standardized"),
             lambda f: figures.fit_on_test(f, "whitened", 2.0, True),
             lambda f: figures.photographs_and_mean(f, step=16)]
    for draw in draws:
        fig = Figure(figsize=(6.4, 3.6))
        FigureCanvasAgg(fig)
        draw(fig)
        fig.canvas.draw()
        assert np.asarray(fig.canvas.buffer_rgba()).std() > 0
