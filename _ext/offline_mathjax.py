"""Serve MathJax from the built site itself, so math renders with no network.

MathJax 3 comes from the PyPI package django-static-mathjax (plain files, no Django needed),
pinned in requirements.txt; this extension copies the parts a page loads into
_build/html/_static/mathjax after each HTML build. `mathjax_path` in _config.yml points there.
"""

import shutil
from pathlib import Path

import mathjax

SOURCE = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
# The TeX-to-HTML bundle, its fonts, and the components it loads on demand (extra TeX packages,
# the right-click menu and its accessibility options).
PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y"]


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in PARTS:
        source, destination = SOURCE / part, target / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination)


def setup(app):
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
