"""The math of the course "Training neural networks well": activations, initializers,
preprocessing, a tiny network with backprop, datasets, figures, interactive widgets and
exercise checkers. Notebooks import it; tests check it.

Importing lib runs numpy's BLAS on one thread. The course's experiments are many small matrix
products (up to 500 x 500): splitting them across threads saves little on a quiet machine and,
on a busy one, makes them several times slower (a 30-layer forward and backward pass took 1.2 s
with two threads beside another process, 0.15 s with one). One thread also gives the same
summation order on every run.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # for a BLAS loaded later (scipy's own OpenBLAS)

import numpy  # noqa: E402, F401  (loaded before the limit, which applies only to libraries already loaded)
from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(1, user_api="blas")  # numpy's, when it was imported before lib

__version__ = "0.1.0"
