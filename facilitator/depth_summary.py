"""Summary sections for the facilitation-depth facts: the authors' "why"s and DON'T -> DO pairs.

Pure functions over a snapshot, for the summary to append to its own sections
(`summary_sections(summary) + depth_sections(snapshot)`). No author is named, so the same
sections serve anonymous sessions.
"""

from __future__ import annotations

from facilitator.replies import Section
from facilitator.snapshot import ItemRecord, SessionSnapshot

TEXT_IN_CHAT = 150


def _clip(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TEXT_IN_CHAT else line[: TEXT_IN_CHAT - 1] + "…"


def _label(snapshot: SessionSnapshot, item: ItemRecord) -> str:
    try:
        return snapshot.template.category(item.kind).label
    except KeyError:
        return item.kind.upper()


def depth_sections(snapshot: SessionSnapshot) -> tuple[Section, ...]:
    shown = {item.number: item for item in snapshot.visible_items()}
    sections = []
    whys = [
        f"#{item.number} {_label(snapshot, item)} {_clip(item.text)}: why: {_clip(item.why)}"
        for item in shown.values()
        if item.why
    ]
    if whys:
        sections.append(Section("Why, in the authors' words", tuple(whys)))
    pairs = [
        f"{_label(snapshot, dont)} #{dont.number} {_clip(dont.text)} -> fixed by "
        f"{_label(snapshot, do)} #{do.number} {_clip(do.text)}"
        for pair in snapshot.pairs
        if (dont := shown.get(pair.dont_number)) and (do := shown.get(pair.do_number))
    ]
    if pairs:
        sections.append(Section("DON'Ts and the DOs that fix them", tuple(pairs)))
    return tuple(sections)
