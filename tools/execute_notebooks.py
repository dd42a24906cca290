"""Execute notebooks in place, from their own folder (as Binder and nbval do), and store the outputs.

    python tools/execute_notebooks.py chapters/*.ipynb      (or: make execute)

The stored outputs are what nbval compares against and what the book shows. Widget state is not
stored: the live widgets need a kernel anyway, and the static site uses each figure's HTML player.
Before running, each notebook's first code cell is set to `colab_cell()`, the one source of the
cell that installs `lib` on Colab (tests/test_notebooks.py checks every notebook holds it).
"""

import sys
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def colab_cell():
    """The source of every notebook's first code cell (tagged remove-cell, hidden on the site): on
    Colab, and only there, it installs `lib` from the repository and branch set in _config.yml."""
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return f"""# Runs only on Google Colab: installs the course's package `lib`
# from the repository set in _config.yml.
import sys

if "google.colab" in sys.modules:
    import subprocess

    url = "git+{repository['url']}@{repository['branch']}"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", url],
                   check=True)
    from google.colab import output

    output.enable_custom_widget_manager()"""


def execute(path):
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").source = colab_cell()
    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    nbformat.write(nb, path)


def merged_streams(outputs):
    """The outputs with consecutive pieces of one stream joined: the kernel sends printed text in
    chunks as it comes, and each chunk would show as a box of its own on the site."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def main(paths):
    for name in paths:
        start = time.perf_counter()
        execute(Path(name).resolve())
        print(f"{name}: executed in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
