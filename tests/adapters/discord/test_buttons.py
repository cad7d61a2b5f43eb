"""The duplicate warning's buttons render on Discord and parse back after a restart."""

from __future__ import annotations

import re

from adapters.discord.components import BUTTON_PATTERN, parse_click, view_for
from facilitator.replies import ReplyKind

from tests.app.room import Room, only


async def test_the_send_anyway_button_has_a_persistent_custom_id(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    warning = only(await room.say("Bob", "/pln do give before you ask!"))
    assert warning.kind is ReplyKind.NOTICE
    pending = warning.actions[-1].argument
    view = view_for(warning.actions)
    assert view is not None
    ids = [child.custom_id for child in view.children]  # type: ignore[attr-defined]
    assert ids == ["pln:v:1:1", f"pln:s:1:{pending}"]
    match = re.fullmatch(BUTTON_PATTERN, ids[1])
    assert match is not None and match["code"] == "s" and match["arg"] == pending
    click = parse_click(ids[1])
    assert click is not None and click.action == "send_anyway" and click.arg == pending
