"""A simulated PLN workshop: a dozen people of mixed experience, start to summary."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from facilitator.domain.actors import Actor, Place
from facilitator.reports.export import FORMATS, render_export
from facilitator.replies import ReplyKind
from facilitator.app.service import FacilitationService

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
)


async def _vote_round(service: FacilitationService, actor: Callable[[str], Actor], place: Place, rng: random.Random,
                      veteran_pull: int) -> None:
    """Everyone votes 3 items and predicts the 2 they think most popular. Newcomers lean to the
    concrete first steps, veterans to reciprocity: a visible divergence; `veteran_pull` draws
    newcomers toward the veterans' items (a second round after discussion)."""
    for name, level in PEOPLE:
        weights = [3 if (level == "newcomer") == (i % 3 == 0) else 1 for i in range(len(ITEMS))]
        if level == "newcomer":
            weights = [w + (veteran_pull if i % 3 != 0 else 0) for i, w in enumerate(weights)]
        picks = rng.choices(range(1, len(ITEMS) + 1), weights=weights, k=6)
        chosen = list(dict.fromkeys(picks))[:3]
        await service.handle_text(actor(name), place, "/pln vote " + " ".join(map(str, chosen)))
        await service.handle_text(actor(name), place, "/pln predict 1 4")  # the obvious first steps


async def run_demo(service: FacilitationService, out_dir: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    place = Place("shell", "demo-room", "demo-thread")

    def actor(name: str) -> Actor:
        return Actor("demo", name, name)

    host = actor("Amara")
    started = await service.handle_text(host, place, "/pln start PLN workshop (demo)")
    session_id = next(r.session_id for r in started if r.kind is ReplyKind.INTRO)
    assert session_id is not None
    await service.attach_thread(session_id, place.thread or "")
    for name, level in PEOPLE:
        await service.handle_text(actor(name), place, f"/pln join {level}")
    for name, kind, text in ITEMS:
        await service.handle_text(actor(name), place, f"{'DO' if kind == 'do' else 'DONT'}: {text}")
    await service.handle_text(host, place, "/pln settings predict=on")
    await service.handle_text(host, place, "/pln next")
    await _vote_round(service, actor, place, rng, veteran_pull=0)
    await service.handle_text(host, place, "/pln next")
    # Deliberation (docs/FACILITATION.md): the unshared items first, notes, then a second round
    # in which some newcomers move toward what the veterans backed.
    await service.handle_text(host, place, "/pln agenda unshared")
    for note in ("Veterans: it took them a year to see the value.", "Try it for a month, then compare."):
        await service.handle_text(host, place, "/pln next item 5m")
        await service.handle_text(host, place, f"/pln note {note}")
    await service.handle_text(host, place, "/pln revote")
    await _vote_round(service, actor, place, rng, veteran_pull=2)
    await service.handle_text(host, place, "/pln next")
    await service.handle_text(host, place, "/pln end")
    snapshot = await service.snapshot_of(session_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        attachment = render_export(snapshot, fmt)
        path = out_dir / attachment.filename
        path.write_bytes(attachment.content)
        written.append(path)
    return written
