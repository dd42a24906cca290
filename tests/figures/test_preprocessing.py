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


def _figure(figsize=(5.0, 3.2)):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lib.figures import style

    style.setup()
    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def test_every_frame_of_the_drift_player_holds_its_points_and_keys_its_markers():
    """The player's grid (chapters/preprocessing.ipynb): step x drift {0, 2} x wrong. The whitened test
    crosses at drift 2 reach y = -5.4 and the standardized ones x = 4.8: a fixed range of +-4 cut
    them off, and nothing said which marker is which."""
    from lib.figures import preprocessing as figures

    for step in ("standardized", "whitened"):
        for shift in (0.0, 2.0):
            for wrong in (False, True):
                fig = _figure((5.0, 3.6))
                figures.fit_on_test(fig, step, shift, wrong)
                fig.canvas.draw()
                ax = fig.axes[0]
                points = np.vstack([c.get_offsets() for c in ax.collections])
                assert len(points) == 200 + 60  # every training and test point is drawn
                (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
                assert x0 < points[:, 0].min() and points[:, 0].max() < x1, (step, shift, wrong)
                assert y0 < points[:, 1].min() and points[:, 1].max() < y1, (step, shift, wrong)
                labels = [t.get_text() for t in fig.legends[0].get_texts()]
                assert {"training, class 0", "test, class 0", "boundary"} <= set(labels)
                legend = fig.legends[0].get_window_extent()
                assert legend.x0 >= ax.get_window_extent().x1  # off the data: right of the axes
                texts = [fig.legends[0], fig._suptitle, *ax.get_xticklabels(), *ax.get_yticklabels()]
                for text in texts:  # the key, the two-line title and the tick labels inside the figure
                    box = text.get_window_extent()
                    assert 0 <= box.x0 and box.x1 <= fig.bbox.x1 and 0 <= box.y0 and box.y1 <= fig.bbox.y1


def test_a_flat_whitening_filter_is_titled_flat():
    """The first principal direction of photograph patches is (nearly) constant, by numpy's own
    eigendecomposition: on its symmetric colour scale it is one uniform shade, so its title says so,
    and only its title."""
    from lib.experiments import preprocessing as experiments
    from lib.figures import preprocessing as figures

    patches = experiments.photograph_patches(8, 2000, 0)
    _, vectors = np.linalg.eigh(np.cov(patches.T))
    first = vectors[:, -1]
    assert np.ptp(first) < 0.05 * abs(first.mean())  # flat: every pixel weighted alike
    fig = _figure((5.0, 5.4))
    figures.zca_filters(fig, n=2000)
    titles = {ax.get_title(): ax.images[0].get_array() for ax in fig.axes if ax.images}
    assert "1: flat" in titles
    for title, image in titles.items():
        flat = np.ptp(image) < 0.05 * abs(image.mean())
        assert ("flat" in title) == flat, title


def test_every_frame_of_the_contour_player_holds_the_path_with_a_margin():
    """The player's grid: stretch {3, 10} x angle {0, 45} x data. Every step of the path (from w = 0)
    and the minimum lie inside the loss panel, at least 1/10 of its side from each edge, so the
    first steps, which jump furthest, do not end on the panel's edge."""
    from lib.figures import preprocessing as figures

    for stretch in (3, 10):
        for angle in (0, 45):
            for data_ in ("raw", "standardized", "whitened"):
                fig = _figure()
                figures.descent_on_contours(fig, stretch, angle, data_)
                ax = fig.axes[1]
                path = np.vstack([np.column_stack(line.get_data()) for line in ax.lines])
                assert np.allclose(path[0], 0.0)  # descent starts at w = 0
                for (low, high), coordinate in ((ax.get_xlim(), path[:, 0]), (ax.get_ylim(), path[:, 1])):
                    margin = 0.1 * (high - low)
                    assert low + margin <= coordinate.min() and coordinate.max() <= high - margin, \
                        (stretch, angle, data_)
