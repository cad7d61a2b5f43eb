"""A simulated PLN workshop: a dozen people of mixed experience, start to summary, on a clock
that moves as a real workshop would. It uses everything the exports can show: whys, DON'T -> DO
pairs, a merge, a hidden item, votes that differ by level, the readings; and it writes the
operator's copy of every export. It deliberates too: predictions, the unshared agenda with
notes, and a second round."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from facilitator.app.service import FacilitationService
from facilitator.domain.actors import Actor, Place
from facilitator.replies import Reply, ReplyKind
from facilitator.reports.export import FILE_FORMATS, Audience, render_export

PEOPLE = (
    ("Amara", "veteran"), ("Bo", "newcomer"), ("Chen", "practitioner"), ("Dana", "newcomer"),
    ("Eli", "veteran"), ("Farah", "newcomer"), ("Gus", "practitioner"), ("Hana", "newcomer"),
    ("Ivo", "practitioner"), ("Jo", "veteran"), ("Kemal", "newcomer"), ("Lin", "practitioner"),
)
ITEMS = (
    ("Bo", "do", "Start by following five people whose work you admire, and read them for a week."),
    ("Amara", "do", "Give before you ask: answer a question or share a resource every week."),
    ("Chen", "dont", "Don't add hundreds of accounts at once; you'll drown and connect with nobody."),
    ("Dana", "do", "Join one hashtag chat or community call and introduce yourself."),
    ("Eli", "dont", "Don't only broadcast your own work; people notice who never engages."),
    ("Farah", "dont", "Don't wait until you feel like an expert before you share."),
    ("Jo", "do", "Thank people publicly when their idea changed your practice."),
    ("Gus", "dont", "Don't keep everything in one platform; it can vanish overnight."),
    ("Hana", "do", "Keep a simple list of who you learned what from."),
    ("Lin", "do", "Curate: share fewer links, each with a line on why it matters."),
    # Said again in other words: the facilitator merges it into #7.
    ("Kemal", "do", "Say thank you in public when someone's idea changes how you work."),
    # Off topic: the facilitator hides it (the operator's export still lists it).
    ("Ivo", "do", "Buy my course on growing followers fast: www.example.com/offer"),
)
WHYS = (
    ("Amara", 2, "Every network I still rely on started with something I gave first."),
    ("Eli", 5, "I unfollowed people who only announced; I stayed with those who answered."),
    ("Jo", 7, "A public thank-you tells others who is worth following."),
)
PAIRS = (("Eli", 5, 2), ("Chen", 3, 1), ("Farah", 6, 4))  # DON'T, and the DO that fixes it


class DemoClock:
    """The workshop's time: it moves only when the demo says time has passed."""

    def __init__(self, start: datetime = datetime(2026, 3, 12, 16, 0, tzinfo=timezone.utc)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


async def _vote_round(say: Callable[[str, str], Awaitable[list[Reply]]], pass_time: Callable[[float], None],
                      rng: random.Random, veteran_pull: int) -> None:
    """Everyone votes 3 of the 10 shown items and predicts the 2 they think most popular.
    Newcomers lean to the concrete first steps, veterans to reciprocity: a visible divergence;
    `veteran_pull` draws newcomers toward the veterans' items (a second round after discussion)."""
    for name, level in PEOPLE:
        weights = [3 if (level == "newcomer") == (i % 3 == 0) else 1 for i in range(10)]
        if level == "newcomer":
            weights = [w + (veteran_pull if i % 3 != 0 else 0) for i, w in enumerate(weights)]
        picks = rng.choices(range(1, 11), weights=weights, k=6)
        chosen = list(dict.fromkeys(picks))[:3]
        pass_time(0.5)
        await say(name, "/pln vote " + " ".join(map(str, chosen)))
        await say(name, "/pln predict 1 4")  # the obvious first steps


async def run_demo(service: FacilitationService, out_dir: Path, clock: DemoClock | None = None, seed: int = 7) -> list[Path]:
    """Runs the workshop on `service` (whose clock `clock` should be) and writes every export."""
    rng = random.Random(seed)
    place = Place("shell", "demo-room", "demo-thread")

    def pass_time(minutes: float) -> None:
        if clock is not None:
            clock.advance(minutes)

    async def say(name: str, text: str) -> list[Reply]:
        pass_time(0.25)
        return await service.handle_text(Actor("demo", name, name), place, text)

    host = "Amara"
    started = await say(host, "/pln start PLN workshop (demo)")
    session_id = next(r.session_id for r in started if r.kind is ReplyKind.INTRO)
    assert session_id is not None
    await service.attach_thread(session_id, place.thread or "")
    for name, level in PEOPLE:
        await say(name, f"/pln join {level}")
    for name, kind, text in ITEMS:
        pass_time(1)
        await say(name, f"{'DO' if kind == 'do' else 'DONT'}: {text}")
    for name, number, why in WHYS:
        await say(name, f"/pln why {number} {why}")
    for name, dont, do in PAIRS:
        await say(name, f"/pln pair {dont} {do}")
    await say(host, "/pln merge 7 11")
    await say(host, "/pln hide 12")
    await say(host, "/pln settings predict=on")
    await say(host, "/pln next")
    await _vote_round(say, pass_time, rng, veteran_pull=0)
    pass_time(2)
    await say(host, "/pln next")
    # Deliberation (docs/FACILITATION.md): the unshared items first, with notes, then a second
    # round in which some newcomers move toward what the veterans backed.
    await say(host, "/pln agenda unshared")
    for note in ("Veterans: it took them a year to see the value.", "Try it for a month, then compare."):
        await say(host, "/pln next item 5m")
        pass_time(5)
        await say(host, f"/pln note {note}")
    await say(host, "/pln revote")
    await _vote_round(say, pass_time, rng, veteran_pull=2)
    pass_time(2)
    await say(host, "/pln next")
    pass_time(10)
    await say(host, "/pln end")
    snapshot = await service.snapshot_of(session_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FILE_FORMATS:
        attachment = render_export(snapshot, fmt, now=clock() if clock else None, audience=Audience.OPERATOR)
        path = out_dir / attachment.filename
        path.write_bytes(attachment.content)
        written.append(path)
    return written
