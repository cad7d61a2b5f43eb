"""Random sessions: the metrics keep their invariants and every export stays faithful."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.reports.export import render_export
from facilitator.reports.export.csv_table import FORMULA_STARTS, neutralise
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import summarize
from tests.reports.export.test_formats import validator
from tests.reports.summary.sample_sessions import SessionBuilder, pln_template

LEVELS = ("newcomer", "practitioner", "veteran", "unspecified")
# Text that tries to break out of every format: markup, table pipes, quotes, newlines, formulas.
PIECES = [*"ab xyz|*_`#<>&\"',;=+-\n\t[]()\\", "é", "漢", "🙂", "</svg>", "<script>", "&amp;"]
TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join).map(str.strip).filter(bool)


@st.composite
def sessions(draw: st.DrawFn) -> SessionSnapshot:
    s = SessionBuilder(
        template=pln_template(min_level_size=draw(st.integers(1, 3))),
        anonymous=draw(st.booleans()),
    )
    people = [s.person(f"Secret{n}Person", draw(st.sampled_from(LEVELS))) for n in range(draw(st.integers(0, 9)))]
    if people:
        for _ in range(draw(st.integers(0, 12))):
            s.item(draw(st.sampled_from(people)), draw(st.sampled_from(("do", "dont"))), draw(TEXT), draw(st.booleans()) and draw(st.booleans()))
    numbers = [item.number for item in s.items]
    for person in people:
        if numbers:
            s.vote(person, *draw(st.sets(st.sampled_from(numbers), max_size=3)))
    return s.build(phase=draw(st.sampled_from(("collecting", "voting", "discussing", "closed"))))


FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(sessions())
def test_metric_invariants(snapshot: SessionSnapshot) -> None:
    summary = summarize(snapshot)
    assert {i.number for i in summary.items} == {i.number for i in snapshot.items if not i.hidden}
    for item in summary.items:
        assert sum(s.votes for s in item.by_level) == item.votes
        assert all(s.share is None or 0 <= s.share <= 1 for s in item.by_level)
    for row in summary.give_and_take:
        assert row.contributed + row.only_voted + row.silent == row.people
    differences = [abs(e.difference) for e in summary.divergence.entries]
    assert differences == sorted(differences, reverse=True) and 0 not in differences
    for item in summary.consensus.items:
        assert all(item.support(level).voters for level in summary.consensus.levels)


@FAST
@given(sessions())
def test_exports_stay_faithful(snapshot: SessionSnapshot) -> None:
    summary = summarize(snapshot)
    texts = {item.number: item.text for item in summary.items}

    document = json.loads(render_export(snapshot, "json").content)
    validator().validate(document)
    assert {item["number"]: item["text"] for item in document["items"]} == texts

    rows = list(csv.DictReader(io.StringIO(render_export(snapshot, "csv").content.decode("utf-8-sig"), newline="")))
    # As sent, but for the `'` that keeps a spreadsheet from running a cell that starts like a formula.
    assert {int(row["number"]): row["text"] for row in rows} == {n: neutralise(t) for n, t in texts.items()}
    assert not any(row["text"].startswith(FORMULA_STARTS) for row in rows)
    assert {int(row["number"]): int(row["votes"]) for row in rows} == {i.number: i.votes for i in summary.items}

    markdown = render_export(snapshot, "md").content.decode("utf-8")
    table_widths: list[set[int]] = [set()]
    for line in markdown.splitlines():
        if line.startswith("|"):
            table_widths[-1].add(len(re.split(r"(?<!\\)\|", line)))
        elif table_widths[-1]:
            table_widths.append(set())
    assert all(len(widths) <= 1 for widths in table_widths)
    assert "<script>" not in markdown and "</svg>" not in markdown

    page = render_export(snapshot, "html").content.decode("utf-8")
    tags: list[str] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)  # type: ignore[method-assign]
    parser.feed(page)
    assert "script" not in tags
    assert page.count("<svg") == page.count("</svg>")

    if snapshot.anonymous:
        for fmt in ("md", "csv", "json", "html"):
            assert "Secret" not in render_export(snapshot, fmt).content.decode("utf-8")
