"""Magnitude pruning with rewinding, as in the lottery ticket hypothesis (Frankle & Carbin 2019).

A mask is a 0/1 float array of a weight's shape: 1 keeps the weight, 0 prunes it (it stays 0 in
training: `lib.network.train(..., masks=...)`). Iterative magnitude pruning with rewinding:

    1. initialize the network, theta_0; every mask all ones
    2. train; in every layer prune the given fraction of its REMAINING weights, those of smallest
       magnitude |w| (`prune_round`)
    3. rewind: the remaining weights back to their values in theta_0 (`rewind`); go to 2.

The paper prunes 20 % per round in hidden layers and 10 % in the output layer (LeNet-300-100).
"""

import numpy as np

from lib._validate import as_dict, as_float_array, as_int, as_list, as_mask, as_masks, as_names, as_number, check_finite


def _check_fraction(fraction, name="fraction"):
    fraction = as_number(fraction, name, minimum=0)
    if fraction > 1:
        raise ValueError(f"{name} must be in [0, 1], got {fraction!r}")
    return fraction


def pruned_count(remaining, fraction):
    """How many of `remaining` weights one round prunes: round(fraction * remaining), an int.

    (Python's round: halves to even; e.g. 20 % of 30,000 is 6,000.)"""
    remaining = as_int(remaining, "remaining", minimum=0)
    return int(round(_check_fraction(fraction) * remaining))


def prune_by_magnitude(W, mask, fraction):
    """One round of magnitude pruning of one layer: the new mask, of W's shape.

    W: the layer's weights (any shape); mask: its current 0/1 mask (same shape). Among the k
    remaining weights (mask == 1), the `pruned_count(k, fraction)` with the smallest |W| get mask
    0; pruned weights stay pruned, and are never counted again. Ties go to the earlier entry (in
    W's flattened order), so the result is deterministic. Does not change its inputs.
    """
    W = as_float_array(W, "W")
    mask = as_mask(mask, W.shape)
    remaining = np.flatnonzero(mask.ravel())
    check_finite(W.ravel()[remaining], "W", " where mask is 1 (a NaN has no magnitude to rank)")
    n = pruned_count(remaining.size, fraction)
    order = np.argsort(np.abs(W.ravel()[remaining]), kind="stable")
    new = mask.copy().ravel()
    new[remaining[order[:n]]] = 0.0
    return new.reshape(W.shape)


def initial_masks(params, names):
    """All-ones masks {name: ones of the parameter's shape} for the parameters `names`."""
    names = as_names(names, "names")
    missing = [name for name in names if name not in as_dict(params, "params")]
    if missing:
        raise ValueError(f"names has {missing}, not parameters in params ({', '.join(params)})")
    return {name: np.ones_like(np.asarray(params[name], dtype=np.float64)) for name in names}


def prune_round(params, masks, fractions):
    """`prune_by_magnitude` on every masked layer: {name: new mask}.

    params: the trained parameters; masks {name: mask}; fractions {name: fraction of that
    layer's remaining weights to prune} (the same keys as masks).
    """
    masks = as_masks(masks, as_dict(params, "params"), "parameters (not in params)")
    if set(as_dict(fractions, "fractions")) != set(masks):
        raise ValueError(f"fractions must have the keys of masks, {sorted(masks)}; got {sorted(fractions)}")
    return {name: prune_by_magnitude(params[name], masks[name], fractions[name]) for name in masks}


def rewind(initial_params, masks):
    """The parameters to train next: every parameter back to its initial value, the masked
    ones multiplied by their mask ({name: array}; the inputs are not changed).

    masks: {name: 0/1 array of that parameter's exact shape}, for names of initial_params only.
    """
    masks = as_masks(masks, as_dict(initial_params, "initial_params"), "parameters (not in initial_params)")
    return {name: np.array(value, dtype=np.float64) * masks.get(name, 1.0)
            for name, value in initial_params.items()}


def sparsity_schedule(layer_sizes, fractions, rounds):
    """Remaining weights per layer after 0..rounds rounds: an int array (rounds + 1, layers).

    layer_sizes: the number of weights of each layer; fractions: the fraction of its remaining
    weights each layer loses per round (`pruned_count`, the rounding `prune_by_magnitude` uses).
    E.g. LeNet-300-100 (784-300-100-10): sizes (235200, 30000, 1000), fractions (0.2, 0.2, 0.1).
    """
    sizes = [as_int(n, "each of layer_sizes", minimum=1) for n in as_list(layer_sizes, "layer_sizes")]
    fractions = [_check_fraction(f, "each of fractions") for f in as_list(fractions, "fractions")]
    if len(fractions) != len(sizes):
        raise ValueError(f"need one fraction per layer: {len(sizes)} sizes, {len(fractions)} fractions")
    rows = [sizes]
    for _ in range(as_int(rounds, "rounds", minimum=0)):
        rows.append([n - pruned_count(n, f) for n, f in zip(rows[-1], fractions)])
    return np.array(rows, dtype=np.int64)
