"""Numbers in prose are bound to outputs: every number a page's text states appears in what the
page's code prints (its stored outputs), or in its code as a setting, or is a listed exception.

So a change of seed, setting or library that changes a printed number turns this red until the
text says the new number, and a number typed into the text by hand (or changed there alone) does too.

What counts as a number: digits in the text of markdown cells, outside math ($...$, $$...$$), code
(`...`, fenced blocks), HTML tags, link targets, MyST roles and labels; "1,348" is 1348; a "%" is
dropped ("94%" is the 94 of an accuracy column). Not checked, for the reasons given:

- counts up to 10 ("layer 1", "3 seeds", "2 pieces"): words in all but spelling, and a wrong one
  shows in the code beside it;
- years from 1950 to 2029 (citations: "Krizhevsky et al. (2012)");
- PAGE_EXCEPTIONS: published numbers the page quotes and cannot compute (another paper's result,
  a dataset's size), and each with its reason.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))

NUMBER = re.compile(r"(?<![\w.\-/^_])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(e[-+]?\d+)?(?!\w)")

# Removed from markdown before numbers are read: (pattern, flags).
NOT_PROSE = [
    (r"```.*?```", re.S),  # fenced code (solutions)
    (r"\$\$.*?\$\$", re.S),  # display math
    (r"\$[^$\n]+\$", 0),  # inline math
    (r"`[^`\n]*`", 0),  # inline code, role arguments
    (r"\{[a-z:-]+\}", 0),  # role names: {cite}, {ref}
    (r"^\([\w-]+\)=\s*$", re.M),  # labels: (sec-relu)=
    (r"<[^>]+>", 0),  # HTML tags and their attributes
    (r"\]\([^)]*\)", 0),  # link targets
    (r"https?://\S+", 0),  # bare URLs
]

PAGE_EXCEPTIONS = {
    "activations.ipynb": {
        "25": "Krizhevsky et al.'s published target, 25% training error on CIFAR-10",
    },
    "activations-beyond-relu.ipynb": {
        "16": "float64 keeps about 16 significant decimal digits (53 bits), a constant",
        "0.002": "the SELU-moments exercise's tolerance, set in its record in lib/exercises",
    },
    "initialization.ipynb": {},
    "normalization.ipynb": {},
    "preprocessing.ipynb": {
        "1281167": "ImageNet-1k's published number of training images",
        "150528": "224 x 224 x 3, the input size of an ImageNet network",
        "50000": "CIFAR-10's published number of training images",
        "3072": "32 x 32 x 3, a CIFAR-10 image",
        "256": "uint8 arithmetic wraps around at 2**8 = 256, a constant",
    },
    "reading-list.ipynb": {},
    "reading-list-methods.ipynb": {},
}


def prose_of(markdown):
    """The markdown with math, code, tags, links and labels removed."""
    for pattern, flags in NOT_PROSE:
        markdown = re.sub(pattern, " ", markdown, flags=flags)
    return markdown


def numbers_in(text):
    """The numbers in text as normalized strings: "1,348" -> "1348", "1_000" -> "1000"."""
    text = re.sub(r"(?<=\d)_(?=\d)", "", text)
    return [m.group(1).replace(",", "") + (m.group(2) or "") + (m.group(3) or "") for m in NUMBER.finditer(text)]


def exempt(number):
    """Counts up to 10 and years 1950-2029 (see the module docstring)."""
    if "." in number or "e" in number:
        return False
    return int(number) <= 10 or 1950 <= int(number) <= 2029


def unbound_numbers(nb, exceptions):
    """[(cell id, number)] for each number in the page's prose that its outputs and code do not hold."""
    printed, typed = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        typed.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            printed.append("".join(text))
    known = set(numbers_in("\n".join(printed))) | set(numbers_in("\n".join(typed)))
    return [(cell.get("id"), number)
            for cell in nb["cells"] if cell["cell_type"] == "markdown"
            for number in numbers_in(prose_of("".join(cell["source"])))
            if number not in known and not exempt(number) and number not in exceptions]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_number_in_the_prose_is_printed_by_the_page(path):
    nb = json.loads(path.read_text())
    unbound = unbound_numbers(nb, PAGE_EXCEPTIONS.get(path.name, {}))
    assert not unbound, (f"{path.name}: numbers in the text that no output or code of the page holds "
                         f"(cell id, number): {unbound}")


def test_every_page_has_its_list_of_exceptions_and_each_exception_is_used():
    assert set(PAGE_EXCEPTIONS) == {p.name for p in NOTEBOOKS}
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        prose = {number for c in nb["cells"] if c["cell_type"] == "markdown"
                 for number in numbers_in(prose_of("".join(c["source"])))}
        for number in PAGE_EXCEPTIONS[path.name]:
            assert number in prose, f"{path.name}: exception {number} is not in the text any more"


def test_a_number_changed_in_the_text_alone_is_caught():
    """The activations page's ratio of tanh's steps to ReLU's, changed in the text only."""
    nb = json.loads((ROOT / "chapters" / "activations.ipynb").read_text())
    assert unbound_numbers(nb, PAGE_EXCEPTIONS["activations.ipynb"]) == []
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and "8.8 times" in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]).replace("8.8 times", "8.9 times")
    assert unbound_numbers(nb, PAGE_EXCEPTIONS["activations.ipynb"]) == [(cell["id"], "8.9")]


@pytest.mark.parametrize("markdown, expected", [
    ("reached 94% in 1,348 steps", ["94", "1348"]),
    ("the ratio $x^{2.5}$ and `lr=0.3` and {cite}`he2015` ignored, 0.61 kept", ["0.61"]),
    ("(sec-relu)=\n## ReLU 1e-5 and 2.5e-06", ["1e-5", "2.5e-06"]),
    ('<div id="ex-2">text 17</div> [link](page-42.ipynb)', ["17"]),
])
def test_what_counts_as_a_number_in_the_text(markdown, expected):
    assert numbers_in(prose_of(markdown)) == expected
