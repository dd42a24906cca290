"""The renderers two or more pages share: `lib.figures.style`."""

import pytest

from lib.figures import style


def test_activation_card_shades_where_the_derivative_is_below_the_level():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    style.activation_card(fig, "relu", x_max=4.0)
    ax = fig.axes[0]
    shaded = ax.collections[0].get_paths()[0].vertices[:, 0]  # the shaded band: ReLU's dead side
    assert shaded.min() == pytest.approx(-4.0) and shaded.max() == pytest.approx(0.0, abs=0.02)
    plt.close(fig)
