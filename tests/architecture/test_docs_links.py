"""Every relative link in the README and docs/*.md leads somewhere: a file of this repository,
and, with a #fragment, a heading of that file (as GitHub makes heading anchors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def prose_lines(path: Path) -> list[str]:
    """The lines outside fenced code blocks, whose brackets are code, not links."""
    lines, in_code = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code:
            lines.append(line)
    return lines


def anchors(path: Path) -> set[str]:
    """GitHub's heading ids: lower case, markup and punctuation dropped, spaces to hyphens."""
    found = set()
    for line in prose_lines(path):
        if match := _HEADING.match(line):
            text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1)).lower()
            found.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return found


def relative_links(path: Path) -> list[str]:
    targets = [m.group(1) for line in prose_lines(path) for m in _LINK.finditer(line)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t)]  # http:, https:, mailto: ...


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document: Path) -> None:
    broken = []
    for target in relative_links(document):
        file_part, _, fragment = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.is_relative_to(ROOT) or not linked.exists():
            broken.append(f"{target}: no such file in the repository")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no heading #{fragment} in {linked.relative_to(ROOT)}")
    assert not broken, f"{document.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_checker_sees_links_anchors_and_code() -> None:
    """The checker itself: it finds a link, reads a heading's anchor, and skips code blocks."""
    sample = ROOT / "docs" / "TEMPLATES.md"
    assert "#categories-and-commands" in relative_links(sample)
    assert "categories-and-commands" in anchors(sample)
    assert "top-level-fields" in anchors(sample)
    readme_links = relative_links(ROOT / "README.md")
    assert "docs/TEMPLATES.md" in readme_links and not any(t.startswith("http") for t in readme_links)
