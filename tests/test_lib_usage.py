"""Every number and figure function of `lib` is used by a page, and says where.

A page's numbers come from `lib/experiments/<page>.py` and its figures from `lib/figures/<page>.py`;
what pages share lives in a module named for what it is (here: `lib/propagation.py`). Each public
function or class there is used by a notebook, directly or through another function of `lib`, and
its docstring ends with the sections that call it directly, e.g.

    Used in: activations § Sigmoid; initialization § Xavier.

(the page's file name and its "## " heading up to the first ":"; code above the first "## " is in
the page's "# " title's section). The sections are read from
the notebooks: the test fails when a function is used by no page, and when a docstring names a
section that does not call it or misses one that does.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
PAGE_MODULES = sorted([*(ROOT / "lib" / "experiments").glob("[!_]*.py"), *(ROOT / "lib" / "figures").glob("[!_]*.py"),
                       ROOT / "lib" / "propagation.py"])
IMPORT = re.compile(r"^from (lib(?:\.\w+)*) import (?:\(([^)]*)\)|([^\n#]*))", re.M)  # (a, b) or a, b  # ...


def module_name(path):
    """lib/figures/style.py -> "lib.figures.style"."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def section_title(heading):
    """"## Fixup: residual networks without normalization" -> "Fixup" ("# " titles likewise)."""
    return heading.lstrip("#").split(":", 1)[0].strip()


def notebook_names(source):
    """{name a notebook's code uses: (module, attribute)} from its `from lib... import` lines: a module
    imported as an alias is used through `alias.attribute`, a function imported by name directly."""
    names = {}
    for package, in_parentheses, on_one_line in IMPORT.findall(source):
        for item in (in_parentheses or on_one_line).replace("\n", " ").split(","):
            parts = item.split()
            if not parts:
                continue
            name, alias = parts[0], parts[-1]
            names[alias] = (f"{package}.{name}", None) if (ROOT / package.replace(".", "/") / name).exists() or \
                (ROOT / package.replace(".", "/") / f"{name}.py").exists() else (package, name)
    return names


def direct_uses():
    """{(module, name): {(page, section), ...}} for every use of a public name of PAGE_MODULES in a
    notebook's code cells."""
    uses = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        names = notebook_names(code)
        section = None
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                headings = [line for line in cell.source.splitlines() if line.startswith(("# ", "## "))]
                section = section_title(headings[-1]) if headings else section
                continue
            for alias, (module, attribute) in names.items():
                if attribute is None:
                    found = re.findall(rf"(?<![\w.]){alias}\.(\w+)", cell.source)
                else:
                    found = [attribute] if re.search(rf"(?<![\w.]){alias}\b", cell.source) else []
                for name in found:
                    uses.setdefault((module, name), set()).add((path.stem, section))
    return uses


def definitions(path):
    """{public top-level name: its ast node} of a module."""
    tree = ast.parse(path.read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, ast.Assign):
            found.update({t.id: node for t in node.targets if isinstance(t, ast.Name)})
    return {name: node for name, node in found.items() if not name.startswith("_")}


def referenced(node):
    """Every identifier a definition mentions (names and attributes)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | \
        {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def lib_references():
    """{identifier: the definitions of lib that mention it, as (module, name)}, over all of lib."""
    refs = {}
    for path in (ROOT / "lib").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            owner = getattr(node, "name", None) or "<module>"
            for identifier in referenced(node):
                refs.setdefault(identifier, set()).add((module_name(path), owner))
    return refs


def used_in_line(node):
    """The sections a docstring names in its last paragraph, "Used in: ...", as {(page, section)}."""
    doc = ast.get_docstring(node) or ""
    if "Used in:" not in doc:
        return set()
    text = " ".join(doc.split("Used in:", 1)[1].split()).rstrip(".")
    found = set()
    for page_part in text.split("; "):
        page, *sections = page_part.split(" § ")
        found |= {(page, section) for section in sections}
    return found


def format_used_in(uses):
    """The docstring line for a set of (page, section): pages in order, sections in page order."""
    pages = {}
    for page, section in sorted(uses):
        pages.setdefault(page, []).append(section)
    return "Used in: " + "; ".join(f"{page} § " + " § ".join(sections) for page, sections in pages.items()) + "."


USES = direct_uses()
REFS = lib_references()
PUBLIC = [(module_name(path), name, node) for path in PAGE_MODULES for name, node in definitions(path).items()]


def is_used(module, name, seen=()):
    """True if a notebook uses (module, name), directly or through definitions of lib that are used."""
    if (module, name) in USES:
        return True
    users = {(m, owner) for m, owner in REFS.get(name, set()) if (m, owner) != (module, name) and owner != "<module>"}
    users |= {(m, "<module>") for m, owner in REFS.get(name, set()) if owner == "<module>" and m != module}
    for user_module, owner in users:
        if owner == "<module>" or user_module.startswith("lib.exercises"):
            return True  # read at import (a table of options), or by an exercise's check
        if (user_module, owner) not in seen and is_used(user_module, owner, (*seen, (module, name))):
            return True
    return False


@pytest.mark.parametrize("module,name", [(m, n) for m, n, _ in PUBLIC], ids=lambda v: v)
def test_every_page_function_is_used_by_a_notebook(module, name):
    assert is_used(module, name), f"{module}.{name} is used by no notebook (directly or through lib): remove it"


@pytest.mark.parametrize("module,name,node", [p for p in PUBLIC if isinstance(p[2], (ast.FunctionDef, ast.ClassDef))],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_docstring_names_the_sections_that_use_it(module, name, node):
    expected = USES.get((module, name), set())
    assert used_in_line(node) == expected, (f"{module}.{name}: its docstring should end with "
                                            f"{format_used_in(expected)!r}" if expected else
                                            f"{module}.{name} is used by no notebook directly: no 'Used in:' line")


def test_the_import_reader_reads_parentheses_and_comments():
    names = notebook_names("from lib.network import (MLP,\n    train)\nfrom lib import data  # the datasets\n")
    assert names == {"MLP": ("lib.network", "MLP"), "train": ("lib.network", "train"), "data": ("lib.data", None)}


def test_the_usage_reader_sees_a_known_use():
    """A check of the reader itself: the activations page calls figures.sgd_paths in its Sigmoid section."""
    assert ("activations", "Sigmoid") in USES[("lib.figures.activations", "sgd_paths")]
