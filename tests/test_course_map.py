"""The landing page's course map and the glossary (issue 21).

The map's times are computed from the pages (tools/course_map.py), never typed: a page that grows
or shrinks turns this red until `python tools/course_map.py --write` updates intro.md. Every
glossary term is linked ({term}`...`) from at least one page, and the glossary is in the toc.
"""

import math
import re
from pathlib import Path

import yaml

from tools import course_map

ROOT = Path(__file__).resolve().parent.parent


def test_the_map_in_intro_is_what_the_tool_computes_from_the_pages():
    text = (ROOT / "intro.md").read_text()
    inside = text.split(course_map.START)[1].split(course_map.END)[0].strip()
    assert inside == course_map.table(), "run `python tools/course_map.py --write`"


def test_the_estimate_by_hand_for_one_page():
    # 3,000 words, 200 code lines, 3 exercises: 20 + 40 + 30 = 90 minutes; 91 rounds up to 95
    assert course_map.minutes(3000, 200, 3) == 90
    assert course_map.minutes(3000, 205, 3) == 5 * math.ceil(91 / 5) == 95


def test_the_map_lists_every_chapter_core_first_then_the_reading_list():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())

    def files(entries):
        for entry in entries:
            yield entry["file"]
            yield from files(entry.get("sections", []))

    chapters = [f.split("/")[1] for f in files(toc["chapters"]) if f.startswith("chapters/")]
    assert sorted(chapters) == sorted(page for page, *_ in course_map.PAGES)
    kinds = [kind for _, _, kind, _ in course_map.PAGES]
    assert kinds == sorted(kinds, key=lambda k: k != "core") and "optional depth" in kinds


def glossary_terms():
    text = (ROOT / "glossary.md").read_text()
    block = text.split("```{glossary}\n")[1].split("```")[0]
    return [line for line in block.splitlines() if line and not line.startswith(" ")]


def linked_terms():
    sources = [p.read_text() for p in ROOT.glob("*.md") if p.name != "glossary.md"]
    sources += [p.read_text() for p in (ROOT / "chapters").glob("*.ipynb")]
    links = set()
    for text in sources:
        for role in re.findall(r"\{term\}`([^`]+)`", text.replace('\\"', '"')):
            target = re.search(r"<([^>]+)>$", role)
            links.add((target.group(1) if target else role).strip().lower())
    return links


def test_the_glossary_has_25_terms_each_linked_from_a_page_and_is_in_the_toc():
    terms = glossary_terms()
    assert len(terms) >= 25 and len(set(terms)) == len(terms)
    missing = [t for t in terms if t.lower() not in linked_terms()]
    assert not missing, f"terms no page links to: {missing}"
    toc = (ROOT / "_toc.yml").read_text()
    assert "file: glossary" in toc and "file: summary" in toc
