"""Math rendered to MathML when the site is built, so pages need no math script.

Every `$...$` and `$$...$$` becomes a `<math>` element (latex2mathml, pure Python, pinned in
requirements.txt) that the browser lays out itself (MathML Core: Chromium 109+, Firefox, Safari).
A page then loads no MathJax (1.2 MB) and shows its equations before any script runs, offline too.

A construct latex2mathml does not understand would come out as literal TeX: such an equation
raises a Sphinx warning naming it, which `make book` (-W) turns into an error.
"""

import re

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

# Signs that an equation was not understood: an alignment mark or a TeX command left as text.
UNRENDERED = re.compile(r"<mi>&amp;</mi>|<mi>&</mi>|<mi>\\|<mtext>\\")


def pieces(tex):
    """`tex` cut at each `\\qquad` outside braces and environments: the pieces an equation sets side
    by side, each of which can then go on a line of its own on a narrow screen."""
    cuts, depth, env = [0], 0, 0
    for m in re.finditer(r"(?<!\\)[{}]|\\begin\b|\\end\b|\\qquad(?![A-Za-z])", tex):
        token = m.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        env += {r"\begin": 1, r"\end": -1}.get(token, 0)
        if token == r"\qquad" and depth == 0 and env == 0:
            cuts += [m.start(), m.end()]
    cuts.append(len(tex))
    return [tex[a:b].strip() for a, b in zip(cuts[::2], cuts[1::2]) if tex[a:b].strip()]


def to_mathml(self, node, tex, display):
    """`tex` as a <math> element, warning (at `node`'s source line) if part of it stayed TeX.
    `aligned`, which latex2mathml does not know, is the same layout as its `split`."""
    tex = tex.replace(r"\begin{aligned}", r"\begin{split}").replace(r"\end{aligned}", r"\end{split}")
    mathml = convert(tex, display="block" if display else "inline")
    if UNRENDERED.search(mathml):
        logger.warning("latex2mathml cannot render %r", tex, location=node)
    return mathml


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(to_mathml(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_math_block(self, node):
    """A display equation: each part (parts are separated by blank lines) its own <math>; a part
    with line breaks is a `split`, as Sphinx's MathJax renderer does. A part of pieces set apart by
    `\\qquad` gives each piece its own <math>: side by side where they fit (the CSS sets the gap),
    one under the other on a narrow screen. A piece still wider than the column scrolls sideways
    in the equation's box instead of overflowing its column."""
    self.body.append(self.starttag(node, "div", CLASS="math math-display"))
    if node["number"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    for part in [p for p in node.astext().split("\n\n") if p.strip()]:
        if r"\\" in part and not node["nowrap"] and r"\begin" not in part:
            part = rf"\begin{{split}}{part}\end{{split}}"
        for piece in pieces(part):
            self.body.append(to_mathml(self, node, piece, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_math_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
