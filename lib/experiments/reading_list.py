"""Reproductions of the reading list's papers, at a scale that runs in seconds.
"""

import numpy as np

from lib import initializers
from lib._validate import check_rng


def singular_values_by_depth(rng, init, max_depth, width=64):
    """Singular values of W_1 W_2 ... W_d for every depth d = 1..max_depth; shape (max_depth, width).

    A depth-d linear network maps a row x to x W_1 ... W_d, so this product of d random
    (width, width) matrices is its input-output Jacobian (Saxe et al. 2013). Values near 1 mean
    signals and gradients keep their size in every direction; a wide spread means some directions
    explode and others vanish. Row d - 1 uses the first d matrices drawn, so one call serves every depth.
    """
    check_rng(rng)
    make = initializers.resolve(init)
    product, rows = np.eye(width), []
    for _ in range(max_depth):
        product = product @ make((width, width), rng)
        rows.append(np.linalg.svd(product, compute_uv=False))
    return np.array(rows)
