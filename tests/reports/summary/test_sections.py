"""The summary as chat sections: content, anonymity, and size for a 100-item session."""

from __future__ import annotations

from facilitator.domain.text_rules import ITEM_TEXT_LIMIT
from facilitator.reports.summary import summarize
from facilitator.reports.summary.sections import summary_sections, summary_text
from tests.reports.summary.sample_sessions import SessionBuilder, demo_session

# The tightest limits the adapters lay sections into: Slack section text (3000) and
# Discord embed field values (1024); a line is never split, so each must fit a field.
SLACK_SECTION_TEXT = 3000
DISCORD_FIELD_VALUE = 1024
DISCORD_FIELDS_PER_EMBED = 25


def by_heading(sections):  # type: ignore[no-untyped-def]
    return {section.heading: section.lines for section in sections}


def test_demo_sections() -> None:
    sections = by_heading(summary_sections(summarize(demo_session())))
    assert list(sections) == [
        "At a glance",
        "Top DOs",
        "Top DON'Ts",
        "Agreed across levels",
        "Where newcomer and veteran support differs",
        "Give and take",
        "Readings",
        "Discussion questions",
        "Timeline",
    ]
    assert sections["At a glance"][0] == (
        "12 people took part: newcomer 4, practitioner 3, veteran 4, unspecified 1."
    )
    assert sections["Top DOs"][0] == (
        "1. #1 Give before you ask: share a link or answer a question first. (Hal Berg, veteran) — 6 votes: "
        "newcomer 1 (25%) · practitioner 3 (100%) · veteran 2 (50%) · unspecified 0 (0%)"
    )
    assert sections["Top DON'Ts"][1].startswith("2= #5 ")
    assert sections["Top DON'Ts"][2].startswith("2= #6 ")
    assert sections["Where newcomer and veteran support differs"][1] == (
        "#8 Don't lurk forever; say hello within a week. — newcomer 0% vs veteran 75%: veteran +75 pts"
    )
    # By hand: 7 items given (Fay's hidden one is not); 23 votes, 4 of them on the voter's own item
    # (Ana #2, Ben #3, Hal #1, Jon #8), so 19 on others' items: newcomers Ana 2, Ben 2, Cem 2, Dia 1.
    assert sections["Give and take"] == (
        "newcomer (4 of 12 people, 33%) gave 43% of the items (3 of 7) and spent 37% of the votes on others' items (7 of 19).",
        "practitioner (3 of 12 people, 25%) gave 14% of the items (1 of 7) and spent 32% of the votes on others' items (6 of 19).",
        "veteran (4 of 12 people, 33%) gave 43% of the items (3 of 7) and spent 26% of the votes on others' items (5 of 19).",
        "unspecified (1 of 12 people, 8%) gave 0% of the items (0 of 7) and spent 5% of the votes on others' items (1 of 19).",
    )
    assert sections["Timeline"] == (
        "collecting 17:00–17:20 (20 min)",
        "voting 17:20–17:35 (15 min)",
        "discussing 17:35–18:05 (30 min)",
        "closed from 18:05",
    )


def test_anonymous_sections_name_nobody() -> None:
    snapshot = demo_session(anonymous=True)
    text = summary_text(summarize(snapshot))
    for person in snapshot.participants:
        assert person.name not in text
    assert "newcomer (4 of 12 people, 33%) gave 43% of the items (3 of 7)" in text


def test_below_threshold_and_empty_sessions_say_why() -> None:
    s = SessionBuilder()
    s.person("n1", "newcomer"), s.person("n2", "newcomer"), s.person("v1", "veteran")
    sections = by_heading(summary_sections(summarize(s.build())))
    assert sections["Where newcomer and veteran support differs"] == (
        "Too few to rank: veteran (1). Each level compared needs at least 2 people.",
    )
    empty = by_heading(summary_sections(summarize(SessionBuilder().build(phase="collecting"))))
    assert empty["Top DOs"] == ("No DO was sent.",)
    assert empty["Agreed across levels"] == ("Fewer than two levels took part, so there is nothing to agree across.",)
    assert "Give and take" not in empty  # no level had anyone


def hundred_item_session():  # type: ignore[no-untyped-def]
    s = SessionBuilder()
    people = [s.person(f"Person number {n} with a long display name", ("newcomer", "practitioner", "veteran")[n % 3]) for n in range(60)]
    for n in range(100):
        s.item(people[n % 60], ("do", "dont")[n % 2], f"{n} " + "very long idea " * (ITEM_TEXT_LIMIT // 15))
    for index, person in enumerate(people):
        s.vote(person, *sorted({(index * 7) % 100 + 1, (index * 13) % 100 + 1, (index * 29) % 100 + 1}))
    return s.build()


def test_a_hundred_item_session_fits_the_platform_limits() -> None:
    sections = summary_sections(summarize(hundred_item_session()))
    assert len(sections) <= DISCORD_FIELDS_PER_EMBED
    for section in sections:
        assert len(section.heading) <= 150  # Slack header block text
        assert len("\n".join(section.lines)) <= SLACK_SECTION_TEXT, section.heading
        assert all(len(line) <= DISCORD_FIELD_VALUE for line in section.lines)
    tops = by_heading(sections)["Top DOs"]
    assert len(tops) == 6 and tops[-1] == "…and 45 more items in the export."
    assert "…" in tops[0] and len(tops[0]) < 400  # item text clipped in chat; the export has it whole


def test_the_service_posts_these_sections_at_the_end() -> None:
    from facilitator.replies import ReplyKind
    from facilitator.reports.summary.chat import summary_reply

    snapshot = demo_session()
    reply = summary_reply(snapshot)
    assert reply.kind is ReplyKind.SUMMARY and reply.session_id == 7 and not reply.is_private
    assert reply.sections == summary_sections(summarize(snapshot))
    assert reply.text.startswith("Summary of PLN workshop\n\nAt a glance:\n12 people took part")
    assert reply.text.endswith("The full report: /pln export md|csv|json|html")
    assert reply.tally is not None and reply.tally.section("do").rows[0].number == 1
