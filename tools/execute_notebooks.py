"""Execute notebooks in place, from their own folder (as Binder and nbval do), and store the outputs.

    python tools/execute_notebooks.py chapters/*.ipynb      (or: make execute)

The stored outputs are what nbval compares against and what the book shows. Widget state is not
stored: the live widgets need a kernel anyway, and the static site uses each figure's HTML player.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path):
    nb = nbformat.read(path, as_version=4)
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
