"""Hostile and malformed text at the service layer: never a crash, always a clear private
refusal or a faithful acceptance, and never a wrong change of state."""

from __future__ import annotations

import asyncio
import json
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.domain.text_rules import ITEM_TEXT_LIMIT
from facilitator.replies import Reply, ReplyKind

PLACE = Place("shell", "room", "thread")
NAMED_CASES = [
    "",
    "   \t  ",
    "\u200b\u200b",
    "x" * (ITEM_TEXT_LIMIT + 1),
    "ring \x07 the \x1b[31m bell",
    "\u202eevil reversed\u202c text",
    "emoji 🧑‍🏫 and **markdown** _here_ `code` > quote",
    "<!channel> <!here> <@U0123ABC> <!subteam^S0123|team> @everyone @here <@&123456>",
    "&amp; &lt;b&gt; & < >",
]
NAMED_COMMANDS = [
    "/pln frobnicate",
    "/pln " + "z" * 5000,
    "/pln vote",
    "/pln vote 0",
    "/pln vote -1",
    "/pln vote 99999999999999999999",
    "/pln vote 999",
    "/pln vote one",
    "/pln unvote 1 2",
    "/pln join astronaut",
    "/pln join",
    "/pln export pdf",
    "/pln cohost",
    "/pln cohost @nobody-here",
    "/pln next",
    "/pln end",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    url = f"sqlite:///{path}"

    async def migrate() -> None:
        app = await open_app(url)
        await app.close()

    asyncio.run(migrate())
    return url


async def fresh_session(url: str, channel: str) -> tuple[FacilitatorApp, Place]:
    app = await open_app(url, migrate=False)
    place = Place("shell", channel, f"thread-{channel}")
    replies = await app.service.handle_text(Actor("t1", "host", "Host"), place, "/pln start")
    session_id = replies[0].session_id
    assert session_id is not None
    await app.service.attach_thread(session_id, place.thread or "")
    return app, place


async def exported(app: FacilitatorApp, place: Place) -> dict[str, object]:
    replies = await app.service.handle_text(Actor("t1", "host", "Host"), place, "/pln export json")
    assert replies[0].attachment is not None
    document: dict[str, object] = json.loads(replies[0].attachment.content)
    document.pop("generated_at")  # when the export was made: differs on every export, by design
    return document


def assert_well_formed(replies: list[Reply], actor_id: str) -> None:
    for reply in replies:
        if reply.kind is ReplyKind.ERROR:
            assert reply.private_to == actor_id, reply
            assert reply.text.strip()
            assert "Traceback" not in reply.text


def allowed_char(ch: str) -> bool:
    return unicodedata.category(ch) != "Cc" or ch == "\n"


async def check_submission(url: str, raw: str, channel: str) -> None:
    app, place = await fresh_session(url, channel)
    try:
        guest = Actor("t1", "guest", "Guest")
        replies = await app.service.handle_text(guest, place, f"/pln do {raw}")
        assert_well_formed(replies, "guest")
        items = (await exported(app, place))["items"]
        assert isinstance(items, list)
        if replies[0].kind is ReplyKind.ERROR:
            assert items == [], "a refused item must not be saved"
        else:
            assert replies[0].kind is ReplyKind.ITEM
            assert len(items) == 1
            text = items[0]["text"]
            assert text and len(text) <= ITEM_TEXT_LIMIT
            assert all(allowed_char(ch) for ch in text)
            assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
            assert text == text.strip()
    finally:
        await app.close()


@pytest.mark.parametrize("raw", NAMED_CASES)
async def test_named_submissions(database: str, raw: str) -> None:
    await check_submission(database, raw, f"named-{NAMED_CASES.index(raw)}")


async def test_mentions_are_kept_as_plain_text_in_the_core(database: str) -> None:
    """The core stores what people sent; escaping is each adapter's job when it posts."""
    app, place = await fresh_session(database, "mentions")
    try:
        raw = NAMED_CASES[7]
        await app.service.handle_text(Actor("t1", "g", "G"), place, f"/pln do {raw}")
        items = (await exported(app, place))["items"]
        assert isinstance(items, list) and items[0]["text"] == raw
    finally:
        await app.close()


@pytest.mark.parametrize("command", NAMED_COMMANDS)
async def test_named_bad_commands_are_refused_privately_and_change_nothing(database: str, command: str) -> None:
    app, place = await fresh_session(database, f"cmd-{NAMED_COMMANDS.index(command)}")
    try:
        await app.service.handle_text(Actor("t1", "host", "Host"), place, "/pln do A real item")
        before = await exported(app, place)
        replies = await app.service.handle_text(Actor("t1", "guest", "Guest"), place, command)
        assert replies and replies[0].kind is ReplyKind.ERROR, (command, replies)
        assert_well_formed(replies, "guest")
        assert len(replies[0].text) < 600
        assert await exported(app, place) == before
    finally:
        await app.close()


async def test_forged_session_ids_look_like_missing_sessions(database: str) -> None:
    app, place = await fresh_session(database, "forged")
    try:
        session_id = (await exported(app, place))["session"]["id"]  # type: ignore[index]
        for forged in (Place("shell", "elsewhere", None, session_id), Place("slack", "c", None, session_id)):
            for who in (Actor("t2", "intruder", "I"), Actor("t1", "guest", "G")):
                if forged.platform == "shell" and who.tenant == "t1":
                    continue  # that one is legitimately the same session
                for text in ("/pln vote 1", "/pln export json", "/pln results", "/pln next"):
                    replies = await app.service.handle_text(who, forged, text)
                    assert [r.kind for r in replies] == [ReplyKind.ERROR]
                    assert "doesn't exist here" in replies[0].text
        missing = await app.service.handle_text(Actor("t1", "g", "G"), Place("shell", "x", None, 10**12), "/pln status")
        assert "doesn't exist here" in missing[0].text
    finally:
        await app.close()


_counter = iter(range(10**9))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=700))
def test_any_submission_text(database: str, raw: str) -> None:
    asyncio.run(check_submission(database, raw, f"prop-{next(_counter)}"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.text(max_size=200))
def test_any_command_line_never_crashes(database: str, line: str) -> None:
    async def run() -> None:
        app, place = await fresh_session(database, f"line-{next(_counter)}")
        try:
            replies = await app.service.handle_text(Actor("t1", "guest", "Guest"), place, "/pln " + line)
            assert_well_formed(replies, "guest")
            replies = await app.service.handle_text(Actor("t1", "guest", "Guest"), place, line)
            assert_well_formed(replies, "guest")
        finally:
            await app.close()

    asyncio.run(run())
