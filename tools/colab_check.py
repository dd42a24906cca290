"""Does the course install and run next to what Colab already has? (`make colab-check`)

Run by the Python of a scratch venv that holds Colab's preinstalled versions
(requirements-colab.txt, Colab's Python). It
1. installs this repository the way each notebook's Colab cell does (`pip install <repository>`,
   from this checkout instead of the git URL);
2. checks that this left Colab's numpy, scipy and matplotlib as they were (and lists whatever else
   the install changed, e.g. ipywidgets 7 -> 8, which Colab's custom widget manager renders);
3. runs every code cell of every chapter (but the Colab cell) in IPython with those versions, and
   reports the first error of each chapter.
Exits non-zero with the reason when one fails.
"""

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEPT = ["numpy", "scipy", "matplotlib"]  # Colab's core: the install must not replace them


def versions():
    return {d.metadata["Name"].lower(): d.version for d in metadata.distributions()}


def run_chapter(path):
    """Run the chapter's code cells in a fresh IPython (a subprocess); its first error, or None."""
    script = f"""
import json, sys
import nbformat
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
cells = [c for c in nbformat.read({str(path)!r}, 4).cells if c.cell_type == "code"][1:]  # not the Colab cell
for i, cell in enumerate(cells, start=2):
    result = shell.run_cell(cell.source, silent=False)
    if not result.success:
        error = result.error_in_exec or result.error_before_exec
        sys.exit(f"code cell {{i}}: {{type(error).__name__}}: {{error}}")
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=path.parent, capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    return None if done.returncode == 0 else (done.stderr.strip().splitlines() or ["failed"])[-1]


def main():
    before = versions()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
    after = versions()
    changed = {name: (before.get(name), v) for name, v in after.items() if before.get(name) != v}
    print(f"Python {sys.version.split()[0]}; installing the course changed:")
    for name, (old, new) in sorted(changed.items()):
        print(f"  {name}: {old or '-'} -> {new}")
    problems = [f"the install replaced Colab's {name} {changed[name][0]} with {changed[name][1]}"
                for name in KEPT if name in changed]
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        error = run_chapter(path)
        print(f"  {path.stem:<24} {'ran' if error is None else 'FAILED: ' + error}")
        if error:
            problems.append(f"{path.stem}: {error}")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
