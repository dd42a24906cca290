"""The exercises of "Reading list: the methods": LSUV's loop for one layer, Fixup's scale for a
ResNet named by its depth, one round of magnitude pruning, and biases that make LSUV's tolerance
matter (checked by running LSUV with them)."""

import numpy as np

from lib.exercises.checking import CheckResult, call, call_failure, check_array_function, check_values
from lib.exercises.records import Exercise, Mistake
from lib.exercises.wording import name_of, short


def _lsuv_cases():
    """One layer's weights, biases and input batch, with biases large enough that one rescaling
    is not enough; the same with a tighter tol, two max_iter that stop the loop, a layer already
    within tol (0 rescalings), and one whose variance starts far below 1 (|Var - 1|, not Var - 1)."""
    rng = np.random.default_rng(0)
    h = rng.standard_normal((200, 6)) @ np.diag([1.0, 2.0, 0.5, 1.5, 1.0, 0.8])
    W, b = 0.9 * rng.standard_normal((6, 4)), rng.normal(0.0, 0.6, size=4)
    W2, b2 = 2.0 * rng.standard_normal((5, 3)), np.array([0.9, -0.8, 0.5])
    h2 = rng.standard_normal((150, 5))
    W3 = rng.standard_normal((6, 4)) / np.sqrt(6)
    W3 = W3 / np.sqrt(np.var(h @ W3)) * np.sqrt(1.05)  # variance 1.05: within tol 0.1 already
    W4, b4 = 0.1 * rng.standard_normal((5, 3)), np.array([0.3, -0.2, 0.1])  # starts far below 1
    return [(W, b, h, 0.1, 10), (W2, b2, h2, 0.1, 10), (W2, b2, h2, 0.01, 10), (W2, b2, h2, 0.1, 2),
            (W2, b2, h2, 0.01, 3), (W3, np.zeros(4), h, 0.1, 10), (W4, b4, h2, 0.01, 10)]


def _check_lsuv_layer(fn, hints):
    """fn(W, b, h, tol, max_iter): LSUV's loop for one layer, the rescaled W
    (lib.initializers.lsuv_layer): W <- W / sqrt(Var(h @ W + b)) while |Var - 1| >= tol, at most
    max_iter times."""
    from lib.initializers import lsuv_layer

    return check_array_function(fn, lambda W, b, h, tol, max_iter: lsuv_layer(W, b, h, tol, max_iter)[0],
                                _lsuv_cases(), hints=hints)


def _resnet_fixup_scale(depth, m):
    """Fixup's factor for a ResNet of `depth` weight layers: a first layer, L = (depth - 2) / m
    residual blocks of m layers, a classifier; the factor is L^(-1/(2m-2)) (lib.initializers)."""
    from lib.initializers import fixup_scale

    return fixup_scale((depth - 2) // m, m)


def _check_fixup_scale(fn, hints):
    """fn(depth, m): Fixup's factor for the published ResNets, named by their depth: CIFAR's
    ResNet-20, -56, -110, -1202 and ImageNet's ResNet-18, -34 (m = 2), ResNet-50, -101, -152
    (bottleneck blocks, m = 3), and the smallest, 4 layers (one block: factor 1)."""
    cases = [(20, 2), (56, 2), (110, 2), (1202, 2), (18, 2), (34, 2), (50, 3), (101, 3), (152, 3), (4, 2)]
    return check_values(fn, _resnet_fixup_scale, cases, hints=hints)


def _prune_cases():
    """Weights with large negative entries; masks from earlier rounds whose pruned weights are 0
    (rewound, W * mask) or still hold small values (trained, stored unmasked); counts that are whole,
    and counts that round down (4.4, 4.32) and up (10.8), so floor, ceil and a percentile fail."""
    rng = np.random.default_rng(1)
    W1 = rng.normal(0.0, 1.0, size=(4, 5))
    mask2 = np.ones((6, 5))
    mask2.ravel()[rng.choice(30, 10, replace=False)] = 0.0
    W2 = rng.normal(0.0, 1.0, size=(6, 5)) * mask2  # rewound: pruned weights are exactly 0
    W3 = rng.normal(0.0, 1.0, size=(5, 4))
    mask3 = np.ones((5, 4))
    mask3.ravel()[np.argsort(np.abs(W3.ravel()))[:8]] = 0.0  # pruned last round: the 8 smallest
    W3 = W3 + 0.01 * rng.standard_normal((5, 4))  # trained further, stored without the mask
    mask4 = np.ones((4, 6))
    mask4.ravel()[[3, 17]] = 0.0
    W4 = rng.normal(0.0, 1.0, size=(4, 6)) * mask4  # 22 remaining: 20 % is 4.4, rounds to 4
    W5 = rng.normal(0.0, 1.0, size=(5, 6))  # 36 % of 30 is 10.8, rounds to 11
    W6 = rng.normal(0.0, 1.0, size=(3, 4))  # 36 % of 12 is 4.32, rounds to 4
    return [(W1, np.ones((4, 5)), 0.2), (W2, mask2, 0.25), (W3, mask3, 0.5), (W4, mask4, 0.2),
            (W5, np.ones((5, 6)), 0.36), (W6, np.ones((3, 4)), 0.36)]


def _check_prune_round(fn, hints):
    """fn(W, mask, fraction): one round of magnitude pruning of one layer, the new mask
    (lib.pruning.prune_by_magnitude): `fraction` of the remaining weights, those of smallest |W|,
    get mask 0."""
    from lib.pruning import prune_by_magnitude

    return check_array_function(fn, prune_by_magnitude, _prune_cases(), hints=hints)


def _check_lsuv_biases(fn, hints, tol=0.1, max_iter=10):
    """fn(fan_out, rng): the biases (fan_out,) of one layer. The experimental check: give every layer
    of the page's 20-layer ReLU network (orthogonal weights, seed 0) the biases fn returns (one
    generator, seed 1, for all layers), run `initializers.lsuv` on the page's batch, and pass when
    some layer needs two or more rescalings and every layer ends within tol of variance 1. There is
    no reference answer to compare with, so no known mistake to match (hints is unused)."""
    from lib import initializers
    from lib.experiments import reading_list_methods as experiments
    from lib.network import MLP

    name = name_of(fn)
    net = MLP([64, *[32] * 19, 10], np.random.default_rng(0), init="orthogonal")
    rng = np.random.default_rng(1)
    spreads = []
    for l in range(1, net.depth + 1):
        fan_out = net.params[f"b{l}"].shape[0]
        where = f" for layer {l}, {name}({fan_out}, rng)"
        run = call(fn, (fan_out, rng))
        failure = call_failure(run, name, where)
        if failure:
            return CheckResult(False, failure)
        if run.value is None:
            return CheckResult(False, f"✗ {name} returned None{where}: did you forget the `return` statement?")
        try:
            b = np.asarray(run.value, dtype=np.float64)
        except (TypeError, ValueError):
            return CheckResult(False, f"✗ {name} returned {short(run.value)}{where}, not numbers")
        if b.shape != (fan_out,) or not np.isfinite(b).all():
            got = f"shape {b.shape}" if b.shape != (fan_out,) else "a NaN or an inf"
            return CheckResult(False, f"✗ {name} returned {got}{where}: return {fan_out} finite numbers, "
                                      f"shape ({fan_out},)")
        net.params[f"b{l}"] = b
        spreads.append(float(b.std()))
    try:
        record = initializers.lsuv(net, experiments.digits_batch(), tol=tol, max_iter=max_iter)
    except ValueError as exc:
        return CheckResult(False, f"✗ {name} gives biases with which LSUV cannot reach variance 1: {exc}. "
                                  "Biases that spread this much give the output too much variance by "
                                  "themselves; try a smaller spread.")
    counts = [len(v) - 1 for v in record]
    shown = " ".join(map(str, counts))
    if max(counts) < 2:
        if not any(net.params[f"b{l}"].any() for l in range(1, net.depth + 1)):
            why = "With zero biases one division is exact, as in the LSUV section: the biases must vary."
        elif max(spreads) == 0:
            why = ("Your biases are the same for every unit of a layer: a shift shared by all entries of z "
                   "leaves their variance unchanged, so one division is still exact (or none is needed).")
        else:
            why = (f"Their spread (std {spreads[0]:.2g} in layer 1) is too small: after one division the "
                   "variance is off by about Var(b) |v - 1| / v, below tol. Try a larger spread.")
        return CheckResult(False, f"✗ {name} gives biases with which no layer needs more than one "
                                  f"rescaling (per layer: {shown}). {why}")
    off = [abs(v[-1] - 1) for v in record]
    if max(off) >= tol:
        l = int(np.argmax(off)) + 1
        return CheckResult(False, f"✗ {name} gives biases with which LSUV stops after {max_iter} rescalings "
                                  f"in layer {l} with its variance {record[l - 1][-1]:.3g}, not within "
                                  f"{tol:g} of 1: try a smaller spread.")
    most = int(np.argmax(counts)) + 1
    return CheckResult(True, f"✓ {name}: rescalings per layer {shown}. Layer {most} needed {counts[most - 1]}, and "
                             f"every layer ended within {tol:g} of variance 1 (your biases' std in layer 1: "
                             f"{spreads[0]:.2g}).")


EXERCISES = [
    Exercise(
        label="ex-lsuv-layer", name="lsuv_layer", setup="import numpy as np\nfrom lib import initializers",
        check=_check_lsuv_layer,
        mistakes=(
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # one division, as if the variance were exact
                    "    return W / np.std(h @ W + b)",
                    hint="You rescaled once only: with a bias the variance is not 1 after one division; repeat "
                         "while |Var - 1| >= tol."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"
                    "    v = np.var(h @ W + b)\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / v\n"
                    "        v = np.var(h @ W + b)\n"
                    "    return W",
                    hint="You divided by the variance; divide by the standard deviation, its square root."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"
                    "    v = np.var(h @ W)\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(h @ W)\n"
                    "    return W",
                    hint="You left out the bias: the layer's output is h @ W + b."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"
                    "    v = np.mean((h @ W + b) ** 2)\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.mean((h @ W + b) ** 2)\n"
                    "    return W",
                    hint="You used the mean of the squares, E[z^2]; LSUV uses the variance, np.var(z)."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"
                    "    v = np.var(h @ W + b)\n"
                    "    while abs(v - 1) >= tol:\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(h @ W + b)\n"
                    "    return W",
                    hint="Your loop ignores max_iter: stop after at most max_iter rescalings."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"
                    "    for _ in range(max_iter):\n"
                    "        W = W / np.std(h @ W + b)\n"
                    "    return W",
                    hint="Your loop ignores tol: stop as soon as |Var - 1| < tol."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # do ... while: rescales a layer already within tol
                    "    W = W / np.std(h @ W + b)\n"
                    "    for _ in range(max_iter - 1):\n"
                    "        v = np.var(h @ W + b)\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "    return W",
                    hint="You rescaled although the variance was already within tol of 1: test before rescaling (a "
                         "while loop, not do ... while)."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # Krähenbühl's per-unit rule
                    "    return W / np.std(h @ W + b, axis=0)",
                    hint="You scaled each unit (column) by its own std: that is Krähenbühl et al.'s per-unit rule; "
                         "LSUV divides the whole W by one number, the std of all of the layer's outputs."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"
                    "    v = np.var(h @ W + b)\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W /= np.sqrt(v)\n"
                    "        v = np.var(h @ W + b)\n"
                    "    return W", says="changed its input W"),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # no abs: a variance below 1 counts as done
                    "    v = np.var(h @ W + b)\n"
                    "    for _ in range(max_iter):\n"
                    "        if v - 1 < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(h @ W + b)\n"
                    "    return W",
                    hint="Your test v - 1 < tol stops at once when the variance is below 1: the distance to 1 is "
                         "abs(v - 1)."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # the mean of the units' variances
                    "    v = np.var(h @ W + b, axis=0).mean()\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(h @ W + b, axis=0).mean()\n"
                    "    return W",
                    hint="You averaged the units' variances: that leaves out how the units' means (their biases) "
                         "differ. Take the variance of all entries of z at once, np.var(z)."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # the sample variance
                    "    v = np.var(h @ W + b, ddof=1)\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(h @ W + b, ddof=1)\n"
                    "    return W",
                    hint="You used the sample variance (ddof=1); LSUV's, like np.var's default, divides by the "
                         "number of entries."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # one rescaling too many
                    "    v = np.var(h @ W + b)\n"
                    "    for _ in range(max_iter + 1):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(h @ W + b)\n"
                    "    return W",
                    hint="Your loop can rescale max_iter + 1 times: with max_iter = {max_iter}, stop after "
                         "{max_iter} rescalings."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # tol on the std
                    "    s = np.std(h @ W + b)\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(s - 1) < tol:\n"
                    "            break\n"
                    "        W = W / s\n"
                    "        s = np.std(h @ W + b)\n"
                    "    return W",
                    hint="You compared the std with 1; the test is on the variance, |Var - 1| < tol (the std is "
                         "within about tol / 2 of 1 then)."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # measured after a ReLU
                    "    v = np.var(np.maximum(h @ W + b, 0))\n"
                    "    for _ in range(max_iter):\n"
                    "        if abs(v - 1) < tol:\n"
                    "            break\n"
                    "        W = W / np.sqrt(v)\n"
                    "        v = np.var(np.maximum(h @ W + b, 0))\n"
                    "    return W",
                    hint="You measured the variance after a ReLU: here z is the layer's output h @ W + b, before "
                         "any activation."),
            Mistake("def lsuv_layer(W, b, h, tol, max_iter):\n"  # lib's function returns (W, variances)
                    "    return initializers.lsuv_layer(W, b, h, tol, max_iter)",
                    says="which cannot be read as numbers"),
        ),
        right_answers=(
            "def lsuv_layer(W, b, h, tol, max_iter):\n"
            "    rescalings, v = 0, np.var(h @ W + b)\n"
            "    while abs(v - 1) >= tol and rescalings < max_iter:\n"
            "        W, rescalings = W / np.std(h @ W + b), rescalings + 1\n"
            "        v = np.var(h @ W + b)\n"
            "    return W",
            "def lsuv_layer(W, b, h, tol, max_iter):\n"
            "    return initializers.lsuv_layer(W, b, h, tol, max_iter)[0]",
            "def lsuv_layer(W, b, h, tol, max_iter):\n"  # recursive
            "    z = h @ W + b\n"
            "    if max_iter == 0 or abs(z.var() - 1) < tol:\n"
            "        return W\n"
            "    return lsuv_layer(W / z.std(), b, h, tol, max_iter - 1)",
            "def lsuv_layer(W, b, h, tol, max_iter):\n"
            "    W = W.copy()\n"
            "    for _ in range(max_iter):\n"
            "        z = (h @ W + b).ravel()\n"
            "        variance = np.sum((z - z.mean()) ** 2) / z.size\n"
            "        if not abs(variance - 1) >= tol:\n"
            "            break\n"
            "        W /= variance ** 0.5  # W is our own copy\n"
            "    return W",
        ),
    ),
    Exercise(
        label="ex-fixup-scale", name="fixup_resnet_scale", setup="import numpy as np\nfrom lib import initializers",
        check=_check_fixup_scale,
        mistakes=(
            Mistake("def fixup_resnet_scale(depth, m):\n    return (depth / m) ** (-1 / (2 * m - 2))",
                    hint="You counted the first layer and the classifier as branch layers: the blocks hold depth - "
                         "2 layers, so L = (depth - 2) / m."),
            Mistake("def fixup_resnet_scale(depth, m):\n    return (depth - 2) ** (-1 / (2 * m - 2))",
                    hint="You used the number of branch layers, depth - 2, as L: L counts blocks, each of m layers."),
            Mistake("def fixup_resnet_scale(depth, m):\n    return depth ** (-1 / (2 * m - 2))",
                    hint="You used the depth as L: L is the number of residual blocks, (depth - 2) / m."),
            Mistake("def fixup_resnet_scale(depth, m):\n    return ((depth - 1) / m) ** (-1 / (2 * m - 2))",
                    hint="Two layers are outside the blocks, the first one and the classifier: L = (depth - 2) / m."),
            Mistake("def fixup_resnet_scale(depth, m):\n    L = (depth - 2) / m\n    return L ** (-1 / (2 * m))",
                    hint="You used L^(-1/(2m)): only the m - 1 layers before the zero-initialized last layer are "
                         "scaled, and the square of their product must be 1/L, so the exponent is -1/(2m - 2)."),
            Mistake("def fixup_resnet_scale(depth, m):\n    L = (depth - 2) / m\n    return L ** (-1 / (m - 1))",
                    hint="L^(-1/(m-1)) makes the product of the m - 1 scales 1/L; it is the square of that product "
                         "that must be 1/L, so take the square root."),
            Mistake("def fixup_resnet_scale(depth, m):\n    return 1 / np.sqrt((depth - 2) / m)",
                    hint="That is 1/sqrt(L) whatever m: right for m = 2, but with m - 1 scaled layers the exponent "
                         "depends on m."),
            Mistake("def fixup_resnet_scale(depth, m):\n    L = (depth - 2) / m\n    return L ** (1 / (2 * m - 2))",
                    hint="The sign of the exponent is flipped: the scale must shrink as L grows."),
            Mistake("def fixup_resnet_scale(depth, m):\n    L = (depth - 2) / m\n    return L ** (-1 / 2 * m - 2)",
                    hint="Operator precedence: -1 / 2 * m - 2 is (-1 / 2) * m - 2; write L ** (-1 / (2 * m - 2))."),
            Mistake("def fixup_resnet_scale(depth, m):\n    L = (depth - 2) / m\n    L ** (-1 / (2 * m - 2))",
                    says="returned None"),
        ),
        right_answers=(
            "def fixup_resnet_scale(depth, m):\n    blocks = (depth - 2) // m\n"
            "    return 1 / blocks ** (1 / (2 * m - 2))",
            "def fixup_resnet_scale(depth, m):\n    return initializers.fixup_scale((depth - 2) // m, m)",
            "import math\n\ndef fixup_resnet_scale(depth, m):\n"
            "    L = (depth - 2) / m\n    return math.exp(-math.log(L) / (2 * (m - 1)))",
            "def fixup_resnet_scale(depth, m):\n    # the m - 1 scales s: (s ** (m - 1)) ** 2 = 1 / L\n"
            "    return np.sqrt(m / (depth - 2)) ** (1 / (m - 1))",
        ),
    ),
    Exercise(
        label="ex-prune-round", name="prune_round", setup="import numpy as np\nfrom lib import pruning",
        check=_check_prune_round,
        mistakes=(
            Mistake("def prune_round(W, mask, fraction):\n"  # the smallest signed values: large negative weights go
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round(fraction * remaining.size)\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(W.ravel()[remaining])[:n]]] = 0\n"
                    "    return new",
                    hint="You pruned the smallest signed values (large negative weights): prune by magnitude, "
                         "np.abs(W)."),
            Mistake("def prune_round(W, mask, fraction):\n"
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round(fraction * remaining.size)\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(-np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return new",
                    hint="You pruned the largest weights; magnitude pruning removes the smallest |W|."),
            Mistake("def prune_round(W, mask, fraction):\n"  # a fraction of all the weights, pruned ones included
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round(fraction * W.size)\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return new",
                    hint="You pruned a fraction of all the layer's weights; prune that fraction of the remaining "
                         "ones (mask == 1)."),
            Mistake("def prune_round(W, mask, fraction):\n"  # ranks every weight: pruned zeros are the smallest
                    "    n = round(fraction * mask.sum())\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[np.argsort(np.abs(W), axis=None)[:n]] = 0\n"
                    "    return new",
                    hint="You counted weights pruned in earlier rounds again (they are among the smallest): choose "
                         "only among the remaining ones, mask == 1."),
            Mistake("def prune_round(W, mask, fraction):\n"  # starts from a fresh mask
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round(fraction * remaining.size)\n"
                    "    new = np.ones(W.shape)\n"
                    "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return new",
                    hint="Your mask brings back weights pruned in earlier rounds: start from the current mask, and "
                         "only add zeros."),
            Mistake("def prune_round(W, mask, fraction):\n"
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round((1 - fraction) * remaining.size)\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return new",
                    hint="You pruned 1 - fraction of the remaining weights: `fraction` is the share to remove."),
            Mistake("def prune_round(W, mask, fraction):\n"
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round(fraction * remaining.size)\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return W * new",
                    hint="You returned the pruned weights W * mask; return the new mask (1 keeps a weight, 0 "
                         "prunes it)."),
            Mistake("def prune_round(W, mask, fraction):\n"  # right values, but the caller's mask is changed
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = round(fraction * remaining.size)\n"
                    "    mask.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return mask", says="changed its input mask"),
            Mistake("def prune_round(W, mask, fraction):\n"  # truncates: int() rounds down
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = int(fraction * remaining.size)\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return new",
                    hint="int() rounds down (36 % of 30 weights is 10.8, int gives 10): the number pruned is "
                         "round(fraction * remaining), here 11."),
            Mistake("def prune_round(W, mask, fraction):\n"
                    "    remaining = np.flatnonzero(mask)\n"
                    "    n = int(np.ceil(fraction * remaining.size))\n"
                    "    new = mask.astype(float)\n"
                    "    new.flat[remaining[np.argsort(np.abs(W.ravel()[remaining]))[:n]]] = 0\n"
                    "    return new",
                    hint="np.ceil rounds up (20 % of 22 weights is 4.4, ceil gives 5): the number pruned is "
                         "round(fraction * remaining), here 4."),
            Mistake("def prune_round(W, mask, fraction):\n"  # a percentile threshold
                    "    kept = np.abs(W[mask == 1])\n"
                    "    threshold = np.percentile(kept, 100 * fraction)\n"
                    "    new = mask.copy()\n"
                    "    new[(mask == 1) & (np.abs(W) < threshold)] = 0\n"
                    "    return new",
                    hint="A percentile threshold interpolates between the sorted magnitudes, so the count it "
                         "prunes is not round(fraction * remaining) (5 of 22 at 20 %, not 4): sort the remaining "
                         "magnitudes and prune exactly that many."),
            Mistake("def prune_round(W, mask, fraction):\n"  # a quantile threshold, <=
                    "    threshold = np.quantile(np.abs(W[mask > 0]), fraction)\n"
                    "    return np.where((mask > 0) & (np.abs(W) > threshold), 1.0, 0.0)",
                    says="prune_round is wrong for W of shape (4, 6)"),
        ),
        right_answers=(
            "def prune_round(W, mask, fraction):\n"  # a threshold on the remaining magnitudes
            "    kept = np.abs(W[mask == 1])\n"
            "    n = round(fraction * kept.size)\n"
            "    new = mask.copy()\n"
            "    if n:\n"
            "        threshold = np.sort(kept)[n - 1]\n"
            "        new[(mask == 1) & (np.abs(W) <= threshold)] = 0\n"
            "    return new",
            "def prune_round(W, mask, fraction):\n"
            "    return pruning.prune_by_magnitude(W, mask, fraction)",
            "def prune_round(W, mask, fraction):\n"  # pruned weights pushed to the end of the ranking
            "    magnitude = np.where(mask == 1, np.abs(W), np.inf)\n"
            "    n = round(fraction * np.count_nonzero(mask))\n"
            "    new = mask.copy()\n"
            "    new.flat[np.argsort(magnitude, axis=None)[:n]] = 0\n"
            "    return new",
            "def prune_round(W, mask, fraction):\n"  # rounding half up: the same here (no count ends in .5)
            "    keep = mask.astype(bool)\n"
            "    n = int(fraction * keep.sum() + 0.5)\n"
            "    order = np.argsort(np.where(keep, np.abs(W), np.inf).ravel(), kind='stable')\n"
            "    new = keep.astype(float).ravel()\n"
            "    new[order[:n]] = 0.0\n"
            "    return new.reshape(W.shape)",
            "def prune_round(W, mask, fraction):\n"  # one weight at a time
            "    new = np.array(mask, dtype=float)\n"
            "    for _ in range(round(fraction * new.sum())):\n"
            "        candidates = np.where(new == 1, np.abs(W), np.inf)\n"
            "        new[np.unravel_index(np.argmin(candidates), W.shape)] = 0\n"
            "    return new",
        ),
    ),
    Exercise(
        label="ex-lsuv-biases", name="my_biases", setup="import numpy as np", check=_check_lsuv_biases,
        mistakes=(
            Mistake("def my_biases(fan_out, rng):\n    return np.zeros(fan_out)", says="With zero biases"),
            Mistake("def my_biases(fan_out, rng):\n    return np.full(fan_out, 0.5)",  # shared by all units
                    says="the same for every unit"),
            Mistake("def my_biases(fan_out, rng):\n    return np.ones(fan_out)", says="the same for every unit"),
            Mistake("def my_biases(fan_out, rng):\n    return 0.01 * rng.standard_normal(fan_out)",
                    says="too small"),
            Mistake("def my_biases(fan_out, rng):\n    return rng.normal(0.0, 0.1, size=fan_out)",
                    says="too small"),
            Mistake("def my_biases(fan_out, rng):\n    return rng.uniform(0, 1, fan_out)", says="too small"),
            Mistake("def my_biases(fan_out, rng):\n    return rng.standard_normal(fan_out)",  # Var(b) ~ 1: too much
                    says="LSUV cannot reach variance 1"),
            Mistake("def my_biases(fan_out, rng):\n    return 3 * rng.standard_normal(fan_out)",
                    says="LSUV cannot reach variance 1"),
            Mistake("def my_biases(fan_out, rng):\n    return 0.6 * rng.standard_normal((fan_out, 1))",
                    says="returned shape (32, 1)"),
            Mistake("def my_biases(fan_out, rng):\n    b = 0.6 * rng.standard_normal(fan_out)", says="returned None"),
        ),
        right_answers=(
            "def my_biases(fan_out, rng):\n    return 0.6 * rng.standard_normal(fan_out)",
            "def my_biases(fan_out, rng):\n    return rng.uniform(-1.0, 1.0, size=fan_out)",
            "def my_biases(fan_out, rng):\n    return np.linspace(-0.8, 0.8, fan_out)",
            "def my_biases(fan_out, rng):\n    return list(rng.normal(0.0, 0.5, fan_out))",
        ),
    ),
]
