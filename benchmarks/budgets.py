"""The speed and size budgets the course keeps, checked by `python -m benchmarks`.

Each budget: (limit, unit, describe[, "at least"]) where describe(results) lists (what, measured
value) pairs; a budget is met when every measured value is below its limit (or, marked "at least",
reaches it).
"""

BUDGETS = {
    # A reader never waits on a control. Felt in a real JupyterLab (a move to new image on screen):
    # a value the player has a frame for shows within about one animation frame, with no kernel
    # round trip; a value off its grid is drawn by the kernel within 100 ms.
    "felt_on_grid_p95": (20, "ms", lambda r: [(f"felt on-grid p95: {f['chapter']}: {f['figure']}", f["on-grid"]["p95_ms"])
                                               for f in r["felt"] if "on-grid" in f]),
    "felt_off_grid_p95": (100, "ms", lambda r: [(f"felt off-grid p95: {f['chapter']}: {f['figure']}",
                                                 f["off-grid"]["p95_ms"]) for f in r["felt"] if "off-grid" in f]),
    # The kernel's side of a move (recording the values; drawing those off the grid).
    "widget_p95": (50, "ms", lambda r: [(f"kernel answer p95: {f['chapter']}: {f['title'][:22]}", f["p95_ms"])
                                         for f in r["figures"]]),
    "redraw_p50": (100, "ms", lambda r: [(f"full redraw p50: {f['chapter']}: {f['title'][:22]}",
                                          f["redraw_p50_ms"]) for f in r["figures"]]),
    # A page runs top to bottom in under 15 s on 2 cores; all seven together in under 90 s (60 s for
    # the six before the normalization chapter).
    "notebook": (15, "s", lambda r: [(f"notebook: {name}", s) for name, s in r["notebook_seconds"].items()]),
    "notebooks_total": (90, "s", lambda r: [("all notebooks together", r["notebooks_total_seconds"])]),
    # A maintainer's loop stays short.
    "book_build": (180, "s", lambda r: [("make book", r["book_build_seconds"])] if "book_build_seconds" in r else []),
    "test_command": (600, "s", lambda r: [("make test", r["test_command_seconds"])] if "test_command_seconds" in r
                     else []),
    # Pages stay light for a reader on a slow connection: what a first visit downloads (served gzip,
    # figures and frames loaded when shown), and Lighthouse's mobile performance score.
    "first_load": (1.0, "MB", lambda r: [(f"first load: {name[9:]}", p["transfer_bytes"] / 1e6)
                                         for name, p in r["lighthouse"].items()]),
    "lighthouse_performance": (90, "points", lambda r: [(f"Lighthouse performance: {name[9:]}",
                                                         p["scores"]["performance"])
                                                        for name, p in r["lighthouse"].items()], "at least"),
    # lib is not slower than the plainest numpy, beyond the cost of being safe at the extremes.
    "activation_ratio": (3.0, "x", lambda r: [(f"time vs plain numpy: {name}", ratio)
                                              for name, ratio in r["activation_time_ratio"].items()]),
}
