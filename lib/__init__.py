"""The math of the course "Training neural networks well": activations, initializers,
preprocessing, a tiny network with backprop, datasets, figures, interactive widgets and
exercise checkers. Notebooks import it; tests check it.
"""

__version__ = "0.1.0"
