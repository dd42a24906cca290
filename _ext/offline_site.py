"""Make the built site light, navigable and correct opened from disk, with no network.

- `lib/widgets/player.css` (loaded on every page) styles the interactive figures' players, the same
  file the live widget loads in a kernel.
- `static/course.css` and `static/course.js` (loaded on every page) hide the theme's duplicate top
  navbar, let display equations and tables scroll inside their own box, and make the visible
  sidebar button work (pydata-sphinx-theme issue 2451).
- Every page gets a `<meta name="description">`: its first paragraph, shortened.
- The theme's `styles/theme.css` holds only `@import "../basic.css"`: pages link basic.css
  directly, one request less on the way to the first paint.
- Every script a page loads from a file is deferred (after the build, since the theme's template
  writes some tags itself): none holds up the first paint any more. The exception is
  documentation_options.js, which inline scripts in the head extend as they run.
- sphinx-thebe registers its inline configuration script once per read pass, so pages declared
  `const THEBE_JS_URL` twice (a page error): repeated scripts are dropped.
- The theme logs an error when no colour mode is stored yet (always, on a first visit from disk):
  it gets "auto" as its default.

Math needs no script at all: `mathml.py` renders it at build time.
"""

import html
import re
from pathlib import Path

from docutils import nodes

STATIC = Path(__file__).parent / "static"
PLAYER_CSS = Path(__file__).parent.parent / "lib" / "widgets" / "player.css"  # the players' styles
THEME_CSS_LINK = re.compile(r'href="([^"]*_static/)styles/theme\.css[^"]*"')
BLOCKING_SCRIPT = re.compile(r'<script (?=[^>]*\bsrc=")(?![^>]*\b(?:defer|async)\b)(?![^>]*documentation_options\.js)')
DESCRIPTION_LENGTH = 155


def add_static_files(app):
    app.config.html_static_path.extend([str(STATIC), str(PLAYER_CSS)])
    app.add_css_file("course.css")
    app.add_css_file("player.css")
    app.add_js_file("course.js", defer="defer")


def description(doctree):
    """The page's first paragraph as plain text, cut at a word boundary to at most 155 characters."""
    paragraph = next(iter(doctree.findall(nodes.paragraph)), None) if doctree else None
    if paragraph is None:
        return None
    text = " ".join(paragraph.astext().split())
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


def fix_page_context(app, pagename, templatename, context, doctree):
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))  # same script, any priority
        if key in seen:
            continue
        seen.add(key)
        scripts.append(script)
    context["script_files"] = scripts
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    text = description(doctree)
    if text:
        context["metatags"] = context.get("metatags", "") + \
            f'\n    <meta name="description" content="{html.escape(text)}" />'


def lighten_pages(app, exception):
    """After the build: scripts deferred, basic.css linked directly."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = THEME_CSS_LINK.sub(r'href="\1basic.css"', BLOCKING_SCRIPT.sub("<script defer ", text))
        page.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", add_static_files)
    app.connect("build-finished", lighten_pages)
    app.connect("html-page-context", fix_page_context, priority=900)  # after the others add scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
