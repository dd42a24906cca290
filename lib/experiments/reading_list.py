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

    Computed stably, as Lyapunov spectra are: the product's singular values spread over dozens of
    orders of magnitude, and an SVD of the product itself returns rounding noise for every value
    below ~1e-16 of the largest. Instead the transposed product M_d = W_d^T ... W_1^T is kept
    factored as M_d = Q_d T_d (Q_d orthogonal, T_d upper triangular): from the QR factorization
    W_d^T Q_{d-1} = Q_d R_d, T_d = R_d T_{d-1}. The singular values of M_d are those of the graded
    triangular T_d, which the SVD resolves to full relative precision (checked against 150-digit
    arithmetic in the tests).
    """
    check_rng(rng)
    make = initializers.resolve(init)
    q, t, rows = np.eye(width), np.eye(width), []
    for _ in range(max_depth):
        q, r = np.linalg.qr(make((width, width), rng).T @ q)
        t = r @ t
        rows.append(np.linalg.svd(t, compute_uv=False))
    return np.array(rows)
