"""The course map's estimated times, computed from the pages themselves (not typed).

    python tools/course_map.py          print the map's table
    python tools/course_map.py --write  write it into intro.md, between the course-map markers

Per page: the words of its markdown (outside code, math and HTML tags), the lines of its code cells
(the hidden Colab cell left out) and its exercises. The estimate is words / 150 words a minute
(technical text with equations is read more slowly than prose) + code lines / 5 a minute (reading
a line and running the cell) + 10 minutes per exercise, rounded up to 5 minutes.
tests/test_course_map.py checks that intro.md holds exactly this table.
"""

import math
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE, CODE_LINES_PER_MINUTE, MINUTES_PER_EXERCISE = 150, 5, 10
START, END = "<!-- course-map:start -->", "<!-- course-map:end -->"

# (page, its title in the map, core or optional depth, what it builds on)
PAGES = [
    ("activations", "Activation functions", "core", "—"),
    ("activations-beyond-relu", "The ReLU family and beyond", "core", "1"),
    ("preprocessing", "Data preprocessing", "core", "1"),
    ("initialization", "Weight initialization", "core", "1, 3"),
    ("normalization", "Normalization layers", "core", "4"),
    ("reading-list", "Reading list", "optional depth", "1–5"),
    ("reading-list-methods", "Reading list: methods", "optional depth", "6"),
]
NOT_WORDS = [r"```.*?```", r"\$\$.*?\$\$", r"\$[^$\n]+\$", r"<[^>]+>", r"\]\([^)]*\)"]


def measure(page):
    """(words, code lines, exercises) of chapters/<page>.ipynb."""
    nb = nbformat.read(ROOT / "chapters" / f"{page}.ipynb", as_version=4)
    words = code = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = cell.source
            for pattern in NOT_WORDS:
                text = re.sub(pattern, " ", text, flags=re.S)
            words += len(re.findall(r"[A-Za-z][\w'’-]*", text))
        elif "remove-cell" not in cell.metadata.get("tags", []):
            code += sum(1 for line in cell.source.splitlines() if line.strip())
    exercises = sum(c.source.count('class="admonition exercise"') for c in nb.cells if c.cell_type == "markdown")
    return words, code, exercises


def minutes(words, code, exercises):
    raw = words / WORDS_PER_MINUTE + code / CODE_LINES_PER_MINUTE + exercises * MINUTES_PER_EXERCISE
    return 5 * math.ceil(raw / 5)


def table():
    rows = ["| Page | Kind | Time | From |", "|------|------|------|------|"]
    for i, (page, title, kind, after) in enumerate(PAGES, 1):
        words, code, exercises = measure(page)
        after = "" if after == "—" else f" (after {after})"
        rows.append(f"| {i}. [{title}](chapters/{page}.ipynb){after} | {kind} | about "
                    f"{minutes(words, code, exercises)} min | {words:,} words, {code} code lines, "
                    f"{exercises} exercises |")
    return "\n".join(rows)


def write(path=ROOT / "intro.md"):
    text = path.read_text()
    before, rest = text.split(START)
    _, after = rest.split(END)
    path.write_text(f"{before}{START}\n{table()}\n{END}{after}")


if __name__ == "__main__":
    write() if "--write" in sys.argv else print(table())
