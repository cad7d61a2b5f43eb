"""Plain-text phrasing shared by the chat summary and the exports, so they read the same."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from facilitator.reports.summary.reciprocity import LevelBalance, Reciprocity
from facilitator.reports.summary.model import (
    Divergence,
    DivergenceEntry,
    ItemStats,
    PhaseSpan,
    SessionSummary,
)


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def points(difference: float) -> str:
    """A difference of shares, in percentage points, always signed."""
    value = round(difference * 100)
    return f"+{value} pts" if value >= 0 else f"−{-value} pts"


def level_title(level: str) -> str:
    """How a level reads in summaries and exports: the one place to change it. People meet one
    word for one thing, so `unspecified` reads as itself, as in the data, status and tallies."""
    return level


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the store writes UTC.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def clock(moment: datetime) -> str:
    return utc(moment).strftime("%H:%M")


def day_and_clock(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def iso(moment: datetime) -> str:
    return utc(moment).isoformat().replace("+00:00", "Z")


def duration(span: timedelta) -> str:
    seconds = max(0, round(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def clip(text: str, limit: int) -> str:
    """One line, at most `limit` characters: chat summaries stay short, the export has it all."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def rank_label(item: ItemStats, items: tuple[ItemStats, ...], dot: bool = True) -> str:
    """"2=" for a shared rank; "1." (or "1") otherwise; "–" for an item nobody voted for, which
    is not ranked (else every unvoted item would read "1=" in a session without votes)."""
    if item.votes == 0:
        return UNRANKED
    holders, members = _rank_index(items)
    others = holders[(item.kind, item.rank)] - (id(item) in members)
    return f"{item.rank}=" if others > 0 else f"{item.rank}." if dot else str(item.rank)


UNRANKED = "–"
_RankIndex = tuple[Counter[tuple[str, int]], frozenset[int]]
_last_rank_index: tuple[tuple[ItemStats, ...], _RankIndex] | None = None


def _rank_index(items: tuple[ItemStats, ...]) -> _RankIndex:
    """How many items hold each (kind, rank), and which items are in `items` (by identity).

    Kept for the last `items` seen: a table labels every item of one summary in turn, and a scan
    of all items per label made a 5,000-item export quadratic (5 s for the Markdown file).
    """
    global _last_rank_index
    if _last_rank_index is None or _last_rank_index[0] is not items:
        holders = Counter((other.kind, other.rank) for other in items)
        _last_rank_index = (items, (holders, frozenset(id(other) for other in items)))
    return _last_rank_index[1]


def votes_by_level(item: ItemStats) -> str:
    parts = [
        f"{level_title(s.level)} {s.votes} ({percent(s.share)})" for s in item.by_level if s.people or s.votes
    ]
    return " · ".join(parts)


def headcount(summary: SessionSummary) -> str:
    by_level = ", ".join(f"{level_title(level)} {count}" for level, count in summary.people_by_level if count)
    total = plural(summary.participant_count, "person", "people")
    return f"{total} took part" + (f": {by_level}." if by_level else ".")


def divergence_reason(divergence: Divergence) -> str | None:
    """Why nothing is ranked, or None when it is."""
    if not divergence.applicable:
        return "The template has a single level, so there is nothing to compare."
    if divergence.too_few:
        counts = dict(divergence.people)
        few = ", ".join(f"{level} ({counts[level]})" for level in divergence.too_few)
        return (
            f"Too few to rank: {few}. Each level compared needs at least "
            f"{plural(divergence.min_level_size, 'person', 'people')}."
        )
    if not divergence.entries:
        return f"{divergence.first_level} and {divergence.last_level} gave every item the same support."
    return None


def divergence_line(divergence: Divergence, entry: DivergenceEntry) -> str:
    return (
        f"{divergence.first_level} {percent(entry.first_share)} vs {divergence.last_level} "
        f"{percent(entry.last_share)}: {leaning(divergence, entry)}"
    )


def divergence_heading(divergence: Divergence) -> str:
    # Level names are the template's words ("new", "long-standing"): no plural is guessed.
    return f"Where {divergence.first_level} and {divergence.last_level} support differs"


def leaning(divergence: Divergence, entry: DivergenceEntry) -> str:
    return f"{divergence.favoured_by(entry)} {points(abs(entry.difference))}"


def span_line(span: PhaseSpan) -> str:
    if span.ended is None or span.duration is None:
        suffix = "" if span.phase == "closed" else " (still going)"
        return f"{span.phase} from {clock(span.started)}{suffix}"
    return f"{span.phase} {clock(span.started)}–{clock(span.ended)} ({duration(span.duration)})"


# The words for each kind of giving and drawing on (reciprocity.GIVING, DRAWING): singular, plural.
KIND_WORDS = {
    "items": ("item", "items"),
    "whys": ("why", "whys"),
    "pairs": ("pair", "pairs"),
    "pledges": ("pledge", "pledges"),
    "votes": ("vote on others' items", "votes on others' items"),
    "paired_with": ("paired item of others", "paired items of others"),
}


def kind_plural(kind: str) -> str:
    return KIND_WORDS.get(kind, (kind, kind))[1]


def kind_count(kind: str, count: int) -> str:
    one, many = KIND_WORDS.get(kind, (kind, kind))
    return plural(count, one, many)


def reciprocity_line(row: LevelBalance, reciprocity: Reciprocity) -> str:
    """"newcomer (4 of 12 people, 33%) gave 43% of the items (3 of 7) and spent 25% of the votes on
    others' items (5 of 20); also 1 why." The shares are what the report reads; the counts back them."""
    total_items, total_votes = dict(reciprocity.totals_gave)["items"], dict(reciprocity.totals_drew)["votes"]
    everyone = sum(level.people for level in reciprocity.levels)
    gave_items, spent = row.given("items"), row.drawn("votes")
    line = (
        f"{level_title(row.level)} ({row.people} of {plural(everyone, 'person', 'people')}, {percent(row.people_share)}) "
        f"gave {percent(row.items_share)} of the items ({gave_items} of {total_items}) and spent "
        f"{percent(row.votes_share)} of the votes on others' items ({spent} of {total_votes})"
    )
    extra = [kind_count(kind, count) for kind, count in row.gave if kind != "items" and count]
    drawn = [kind_count(kind, count) for kind, count in row.drew if kind != "votes" and count]
    if extra:
        line += "; also gave " + ", ".join(extra)
    if drawn:
        line += "; drew on " + ", ".join(drawn)
    return line + "."
