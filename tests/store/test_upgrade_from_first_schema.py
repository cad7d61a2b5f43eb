"""Upgrading a database written by the first migration loses nothing and keeps working."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import open_app
from facilitator.replies import ReplyKind
from facilitator.store.migrate import current_revision, head_revision

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema-0001.db"


async def test_upgrade_keeps_every_session_item_and_vote(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    shutil.copy(FIXTURE, database)
    app = await open_app(f"sqlite:///{database}")
    try:
        assert await current_revision(app.db.engine) == head_revision()
        old = await app.service.snapshot_of(1)
        assert old.title == "Old workshop" and old.phase == "closed"
        assert {p.name: p.level for p in old.participants} == {"Ana": "veteran", "Ben": "newcomer", "Cy": "unspecified"}
        assert [(i.number, i.kind, i.text) for i in old.items] == [
            (1, "do", "Ask one good question a week"),
            (2, "dont", "Lurk forever"),
        ]
        async with app.db.read(app.service.context.clock()) as repo:  # snapshots hold sums: read the votes themselves
            votes = await repo.votes_of(1)
        assert sorted((number, weight) for number, _, weight in votes) == [(1, 1), (1, 1), (2, 1), (2, 1)]
        assert [c.phase for c in old.timeline] == ["collecting", "voting", "closed"]

        # The session that was still open carries on after the upgrade.
        place = Place("shell", "room", "thread")
        replies = await app.service.handle_text(Actor("t1", "cy", "Cy"), place, "/pln do Say thank you")
        assert replies[0].kind is ReplyKind.ITEM and replies[0].items[0].number == 2
        exported = await app.service.handle_text(Actor("t1", "ana", "Ana"), place, "/pln export json")
        assert exported[0].attachment is not None
        document = json.loads(exported[0].attachment.content)
        assert document["session"]["title"] == "Still open"
        assert [i["text"] for i in document["items"]] == ["Keep going", "Say thank you"]
    finally:
        await app.close()
