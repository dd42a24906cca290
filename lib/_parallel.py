"""Independent pieces of work on every core: the runs of a learning-rate sweep, the frames of a player.

`forked_map(function, tasks)` is `[function(*task) for task in tasks]`, computed in one process per
core this process may use, on Linux. The workers are forked, so `function` may be any closure (a
training run, a figure's bound method): it reaches them by fork and is never pickled; only the tasks
and the results are. Each task computes exactly what it would in this process, so the results are
the same, bit for bit, only sooner. Elsewhere (macOS and Windows, where forking is unsafe or
missing) and for fewer than two tasks, the tasks run one after the other here.

A forked worker opens its own font files: matplotlib keeps the fonts it has used open, and a font
file inherited from this process shares its read position with every other worker, so two workers
drawing text at once could read each other's glyphs (FreeType's "invalid outline").
"""

import multiprocessing
import os
import sys

_FORKED_TASK = None  # the function a forked worker applies: inherited by fork, never pickled


def _apply_forked(args):
    return _FORKED_TASK(*args)


def _start_worker():
    """In a forked worker: forget the fonts matplotlib opened before the fork (reopened on use), and
    the parsed math text that holds some of them."""
    font_manager, mathtext = sys.modules.get("matplotlib.font_manager"), sys.modules.get("matplotlib.mathtext")
    if font_manager is not None:
        font_manager._get_font.cache_clear()
    if mathtext is not None:
        mathtext.MathTextParser._parse_cached.cache_clear()


def forked_map(function, tasks):
    """[function(*task) for task in tasks] (tasks: a list of argument tuples), in one forked process
    per available core on Linux; in this process elsewhere."""
    tasks = list(tasks)
    workers = min(len(tasks), len(os.sched_getaffinity(0))) if sys.platform == "linux" else 1
    if workers < 2:
        return [function(*task) for task in tasks]
    global _FORKED_TASK
    _FORKED_TASK = function
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
            return pool.map(_apply_forked, tasks, chunksize=1)
    finally:
        _FORKED_TASK = None
