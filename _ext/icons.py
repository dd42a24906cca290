"""The theme's icons without its 1.45 MB icon script.

pydata-sphinx-theme draws its ~20 icons (`<i class="fa-solid fa-bars">` ...) with fontawesome.js, a
script that carries all ~2,000 Font Awesome icons, the largest file of every page. After the build,
this extension reads the icons the pages actually use out of that same script and writes
`_static/icons.js` (a few kB), which replaces each `<i>` by its inline SVG, and removes the
theme's `<script>` of fontawesome.js from every page (its template writes it, not `script_files`).
The theme's stylesheet also drops its ~1,900 `.fa-<name>:before{content:...}` rules (a third of
its compressed size), which only the icon font used. An icon it cannot find raises a Sphinx warning (an error under `make book`'s -W).
"""

import json
import re
from pathlib import Path

import pydata_sphinx_theme
from sphinx.util import logging

logger = logging.getLogger(__name__)

BUNDLE = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"
FONTAWESOME_TAG = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
FONT_ICON_RULE = re.compile(r'(?<=\})(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"[^"]*"\}')
THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
ICON_CLASS = re.compile(r'<i class="([^"]*\bfa-[^"]*)"')
STYLES = {"fa-solid": "bars", "fas": "bars", "fa-brands": "github", "fab": "github"}  # style: an icon only it has
NOT_NAMES = {"fa-solid", "fas", "fa-brands", "fab", "fa-lg", "fa-fw"}

SCRIPT = """// Font Awesome Free icons (CC BY 4.0, https://fontawesome.com/license/free), the ones this site
// uses, read from pydata-sphinx-theme's fontawesome.js at build time (_ext/icons.py).
(() => {
  const icons = %s;
  const draw = () => document.querySelectorAll("i[class*='fa-']").forEach((i) => {
    const name = [...i.classList].find((c) => c.startsWith("fa-") && icons[c.slice(3)]);
    if (!name) return;
    const [width, height, path] = icons[name.slice(3)];
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    for (const { name, value } of i.attributes) svg.setAttribute(name, value);
    svg.setAttribute("class", `${i.className} nnc-icon`);
    svg.setAttribute("aria-hidden", "true");
    svg.innerHTML = `<path fill="currentColor" d="${path}"/>`;
    i.replaceWith(svg);
  });
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", draw) : draw();
})();
"""


def _enclosing_object(text, index):
    """Index of the `{` or `[` that opens the literal containing position `index`."""
    depth = 0
    for j in range(index - 1, -1, -1):
        if text[j] in "]}":
            depth += 1
        elif text[j] in "[{":
            if depth == 0:
                return j
            depth -= 1
    raise ValueError("not inside a literal")


def _definitions(bundle, name):
    """Every `name:[width,height,[aliases],"unicode","path"]` entry of the bundle, with the index of
    the style map it belongs to."""
    pattern = re.compile(r'[,{]"?%s"?:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]' % re.escape(name))
    return [(_enclosing_object(bundle, m.start() + 1), (int(m[1]), int(m[2]), m[3])) for m in pattern.finditer(bundle)]


def used_icons(html_files):
    """{icon name: style class} over the `<i class="... fa-...">` of the built pages."""
    used = {}
    for path in html_files:
        for classes in ICON_CLASS.findall(path.read_text(encoding="utf-8")):
            classes = classes.split()
            style = next((c for c in classes if c in STYLES), "fa-solid")
            for name in (c[3:] for c in classes if c.startswith("fa-") and c not in NOT_NAMES):
                used[name] = style
    return used


def write_icons(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = list(outdir.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        page.write_text(FONTAWESOME_TAG.sub("", text), encoding="utf-8")
    css = outdir / THEME_CSS
    css.write_text(FONT_ICON_RULE.sub("", css.read_text(encoding="utf-8")), encoding="utf-8")
    bundle = BUNDLE.read_text(encoding="utf-8")
    style_maps = {style: _definitions(bundle, marker)[0][0] for style, marker in STYLES.items()}
    icons = {}
    for name, style in sorted(used_icons(pages).items()):
        found = [d for owner, d in _definitions(bundle, name) if owner == style_maps[style]]
        if found:
            icons[name] = found[0]
        else:
            logger.warning("icon %s (%s) is not in %s", name, style, BUNDLE.name)
    (outdir / "_static" / "icons.js").write_text(SCRIPT % json.dumps(icons, separators=(",", ":")), encoding="utf-8")


def setup(app):
    app.add_js_file("icons.js", defer="defer")
    app.connect("build-finished", write_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
