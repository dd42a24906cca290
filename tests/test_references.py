"""references.bib: every paper the course cites, each with a link."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_reference_has_a_link():
    """A full citation: every entry of references.bib gives a URL or a DOI (the bibliography links it)."""
    entries = re.findall(r"^@\w+\{([^,]+),(.*?)^\}", (ROOT / "references.bib").read_text(), re.S | re.M)
    assert len(entries) > 20
    unlinked = [key for key, body in entries if not re.search(r"^\s*(url|doi)\s*=", body, re.M)]
    assert not unlinked, f"add a url or doi to: {unlinked}"
