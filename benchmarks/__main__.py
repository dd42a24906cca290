"""How fast the course is for a reader and a maintainer, measured on this machine.

    make bench        (or: .venv/bin/python -m benchmarks [--skip-commands])

Measures each notebook's execution time (median of 3 runs), each interactive figure's latency: as a
reader feels it in a real JupyterLab (benchmarks/felt.py: key press to new image on screen, p50/p95,
moves to a value with a frame and moves the kernel must draw apart, and where a move's time goes), in the kernel for a message
from the view (p50/p95 over every value of every control) and as a full recompute + redraw, the
book build and the
full test command, the size of the site and of each chapter page with its images, and the
throughput of every `lib` activation and derivative against the plainest numpy expression of the
same formula. Prints a table, writes `_build/bench.json`, and says which budgets are met.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

from benchmarks import felt, lighthouse
from benchmarks.budgets import BUDGETS
from lib import activations as act
from lib.experiments.activations import seconds_per_element

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
SITE = ROOT / "_build" / "html"
RUNS = 3

# Run in the notebook's kernel after all its cells: time the kernel's answer to every message the
# view sends (the numbers of the current values), for every value of every control of every figure.
LATENCY_CELL = """
import itertools as _it, json as _json, time as _time
from lib.widgets import InteractiveFigure as _IF
_result = []
for _fig in [v for v in Out.values() if isinstance(v, _IF)]:
    _live = _fig.widget()
    _names = list(_fig.controls)
    _values = [_fig.controls[n].values() for n in _names]
    _times, _redraws, _at = [], [], list(_live.at)
    for _combo in _it.product(*(range(len(v)) for v in _values)):
        for _c, _i in enumerate(_combo):
            if _at[_c] != _i:
                _at[_c] = _i
                _start = _time.perf_counter()
                _live.at = list(_at)  # what the view's message does: record, draw if off the grid
                _times.append(_time.perf_counter() - _start)
        _start = _time.perf_counter()
        _fig.png(**{n: v[i] for n, v, i in zip(_names, _values, _combo)})  # a full redraw, no cache
        _redraws.append(_time.perf_counter() - _start)
    _result.append({"title": _fig.title, "updates_ms": [1000 * t for t in _times],
                    "redraws_ms": [1000 * t for t in _redraws]})
print("LATENCY" + _json.dumps(_result))
"""


def run_notebook(path, measure_latency=False):
    """Execute a notebook from its folder; (seconds, latency records or None)."""
    nb = nbformat.read(path, as_version=4)
    if measure_latency:
        nb.cells.append(nbformat.v4.new_code_cell(LATENCY_CELL))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if not measure_latency:
        return seconds, None
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    latency = json.loads(text.split("LATENCY", 1)[1])
    return seconds, latency


def percentile(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def bench_notebooks():
    notebooks, figures = {}, []
    for path in CHAPTERS:
        times = []
        for run in range(RUNS):
            seconds, latency = run_notebook(path, measure_latency=(run == 0))
            times.append(seconds)
            for record in latency or []:
                ms, redraw = record["updates_ms"], record["redraws_ms"]
                figures.append({"chapter": path.stem, "title": record["title"], "updates": len(ms),
                                "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
                                "redraw_p50_ms": percentile(redraw, 50), "redraw_p95_ms": percentile(redraw, 95)})
        notebooks[path.stem] = statistics.median(times)
    return notebooks, figures


def bench_felt():
    """Felt latency per figure: p50/p95 of its on-grid and off-grid moves in a real JupyterLab, and
    the median of each part of a move (benchmarks/felt.py)."""
    figures = []
    for chapter, records in felt.measure([p.stem for p in CHAPTERS]).items():
        for record in records:
            row = {"chapter": chapter, "figure": record["figure"], "title": record["title"]}
            for kind in ("on-grid", "off-grid"):
                moves = [m[1:] for m in record["moves"] if m[0] == kind]
                if moves:
                    ms = [m[0] for m in moves]
                    parts = dict(zip(felt.PARTS, np.median([m[1:] for m in moves], axis=0).tolist()))
                    row[kind] = {"moves": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
                                 "median_parts_ms": parts}
            figures.append(row)
    return figures


def bench_command(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_site_sizes():
    """Bytes of _build/html, and of each chapter page with the images and player frames it shows."""
    total = sum(f.stat().st_size for f in SITE.rglob("*") if f.is_file())
    pages = {}
    for path in CHAPTERS:
        page = SITE / "chapters" / f"{path.stem}.html"
        html = page.read_text()
        images = set(re.findall(r'src="(\.\./_images/[^"]+)"', html))
        pages[path.stem] = page.stat().st_size + sum((page.parent / src).resolve().stat().st_size for src in images)
    return total, pages


def bench_activations():
    """Time per element of each activation and derivative over the plainest numpy's (`Activation.plain`),
    on 1e6 N(0, 1) values."""
    ratios = {}
    for name, a in act.ACTIVATIONS.items():
        plain_f, plain_grad = a.plain
        ratios[name] = seconds_per_element(a.f) / seconds_per_element(plain_f)
        ratios[f"{name}_grad"] = seconds_per_element(a.grad) / seconds_per_element(plain_grad)
    return ratios


def check(results):
    """[(what, measured, budget, met)] for every budget."""
    rows = []
    for key, (limit, unit, describe, *at_least) in BUDGETS.items():
        for what, value in describe(results):
            met = value >= limit if at_least else value < limit
            rows.append((what, value, f"{'>=' if at_least else '<'} {limit:g} {unit}", bool(met)))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-commands", action="store_true", help="do not time `make book` and `make test`")
    parser.add_argument("--felt-only", action="store_true", help="only the felt latency in JupyterLab")
    args = parser.parse_args(argv)
    results = {}
    print("felt latency of every interactive figure in JupyterLab ...", flush=True)
    results["felt"] = bench_felt()
    if args.felt_only:
        print_felt(results["felt"])
        return 0
    print("timing the notebooks and their interactive figures ...", flush=True)
    results["notebook_seconds"], results["figures"] = bench_notebooks()
    results["notebooks_total_seconds"] = sum(results["notebook_seconds"].values())
    if not args.skip_commands:
        print("timing `make book` and `make test` ...", flush=True)
        results["book_build_seconds"] = bench_command(["make", "book"])
        results["test_command_seconds"] = bench_command(["make", "test"])
    results["site_bytes"], results["page_bytes"] = bench_site_sizes()
    print("Lighthouse on every chapter page (mobile, gzip from loopback) ...", flush=True)
    results["lighthouse"] = lighthouse.measure(SITE, [f"chapters/{p.stem}" for p in CHAPTERS])
    print("timing the activations ...", flush=True)
    results["activation_time_ratio"] = bench_activations()
    results["budgets"] = [dict(zip(("what", "measured", "budget", "met"), row)) for row in check(results)]
    print_table(results)
    out = ROOT / "_build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


def print_felt(figures):
    print("\nfelt latency in JupyterLab (move to new image on screen), in ms; median parts of a move:")
    print("  handlers, wait for the image, its loading, wait for the frame")
    for f in figures:
        for kind in ("on-grid", "off-grid"):
            if kind in f:
                k = f[kind]
                parts = " ".join(f"{v:5.1f}" for v in k["median_parts_ms"].values())
                print(f"  {f['chapter']:<22} {f['figure']} {f['title'][:26]:<26} {kind:<8} p50 {k['p50_ms']:5.1f}"
                      f" p95 {k['p95_ms']:5.1f} ({k['moves']:2})  {parts}")


def print_table(results):
    print("\nnotebook execution (median of 3 runs)")
    for name, seconds in results["notebook_seconds"].items():
        print(f"  {name:<16} {seconds:6.1f} s")
    print_felt(results["felt"])
    print("\ninteractive figures: kernel's answer to the view | full redraw, in ms")
    for f in results["figures"]:
        print(f"  {f['chapter']:<15} {f['title'][:36]:<36} p50 {f['p50_ms']:5.1f}  p95 {f['p95_ms']:5.1f}"
              f"  | p50 {f['redraw_p50_ms']:5.1f}  p95 {f['redraw_p95_ms']:5.1f}  ({f['updates']} updates)")
    print("\nsizes")
    print(f"  _build/html      {results['site_bytes'] / 1e6:6.2f} MB")
    for name, size in results["page_bytes"].items():
        print(f"  {name:<16} {size / 1e3:6.0f} kB (page with its images)")
    print("\nLighthouse, mobile (performance, accessibility, best practices, SEO; first load, gzip)")
    for name, r in results["lighthouse"].items():
        scores = " ".join(f"{v:3d}" for v in r["scores"].values())
        print(f"  {name:<30} {scores}  {r['transfer_bytes'] / 1e3:6.0f} kB  FCP {r['fcp_s']:.1f} s"
              f"  LCP {r['lcp_s']:.1f} s")
    print("\nactivation time / plain numpy time (1e6 float64)")
    for name, ratio in results["activation_time_ratio"].items():
        print(f"  {name:<16} {ratio:5.2f}")
    print("\nbudgets")
    for b in results["budgets"]:
        value = b["measured"]
        print(f"  {'met   ' if b['met'] else 'MISSED'} {b['what']:<48} {value:10.2f} {b['budget']}")


if __name__ == "__main__":
    sys.exit(main())
