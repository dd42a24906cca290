"""Make the built site work opened from disk, with no network and no console error.

- MathJax: served from the site, not a CDN. MathJax 3 comes from the PyPI package
  django-static-mathjax (plain files, no Django needed), pinned in requirements.txt; the parts a
  page loads are copied into _build/html/_static/mathjax after each HTML build (`mathjax_path` in
  _config.yml points there).
- sphinx-thebe registers its inline configuration script once per read pass, so pages declared
  `const THEBE_JS_URL` twice (a page error): repeated scripts are dropped.
- The theme logs an error when no colour mode is stored yet (always, on a first visit from disk):
  it gets "auto" as its default.
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


def fix_page_context(app, pagename, templatename, context, doctree):
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))  # same script, any priority
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def setup(app):
    app.connect("html-page-context", fix_page_context, priority=900)  # after the others add scripts
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
