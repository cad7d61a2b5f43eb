"""A session keeps the template it started with: renaming, editing or removing the file changes
nothing for it. A session that started before sessions kept a copy, and whose template is gone,
gets a clear refusal, and nothing about it changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.domain.actors import Actor, Place
from facilitator.replies import ReplyKind
from tests.app.support import FakeClock, stored

CUSTOM = (Path(__file__).parents[2] / "prompts" / "start-stop-continue.toml").read_text(encoding="utf-8").replace(
    'id = "start-stop-continue"', 'id = "custom"').replace('name = "new"', 'name = "rookie"')
FAY, ANN, BEN = Actor("T1", "UFAY", "Fay"), Actor("T1", "UANN", "Ann"), Actor("T1", "UBEN", "Ben")
PLACE = Place("shell", "C1")


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "custom.toml").write_text(CUSTOM, encoding="utf-8")
    return folder


async def say(app: FacilitatorApp, who: Actor, line: str) -> list[str]:
    return [r.text for r in await app.service.handle_text(who, PLACE, f"/pln {line}")]


async def started_on_custom(url: str, templates: Path, clock: FakeClock) -> None:
    app = await open_app(url, clock=clock, templates_dir=templates)
    try:
        assert (await app.service.handle_text(FAY, PLACE, "/pln start template=custom Retro"))[0].kind is ReplyKind.INTRO
        assert "rookie" in (await say(app, ANN, "join rookie"))[0]
        await say(app, ANN, "add stop Long meetings")
    finally:
        await app.close()


async def test_a_session_carries_on_after_its_template_file_is_gone(
    db_url: str, templates: Path, clock: FakeClock
) -> None:
    await started_on_custom(db_url, templates, clock)
    (templates / "custom.toml").rename(templates / "custom.toml.old")  # the bot restarts without it
    app = await open_app(db_url, clock=clock, templates_dir=templates)
    try:
        assert "rookie" in (await say(app, FAY, "join rookie"))[0]  # its levels, not pln's
        await say(app, FAY, "next")
        assert (await say(app, ANN, "vote 1"))[0].startswith("Voted for #1")
        closing = await app.service.handle_text(FAY, PLACE, "/pln next")
        results = next(r for r in closing if r.kind is ReplyKind.RESULTS)
        assert "STOPs" in results.text and "1 vote [rookie 1]" in results.text
        assert (await stored(app))["phase"] == "discussing"
    finally:
        await app.close()


async def test_an_old_session_whose_template_is_gone_is_refused_clearly(
    db_url: str, templates: Path, clock: FakeClock
) -> None:
    await started_on_custom(db_url, templates, clock)
    app = await open_app(db_url, clock=clock, migrate=False)  # no custom template, no adoption
    try:
        async with app.db.write(clock()) as store:  # as a session started before migration 0003
            await store.db.execute(text("UPDATE sessions SET template_snapshot = NULL"))
        assert (await app.service.handle_text(FAY, PLACE, "/pln status"))[0].kind is ReplyKind.STATUS
        await say(app, FAY, "next")  # opening the vote needs nothing of the template
        before = await stored(app)
        # Everything that needs the template's levels, categories or texts is refused, whole.
        # A first-action vote too, which must offer the levels: refused by the vote path on the
        # driver as by the slow one, before anything is written.
        for who, line in ((ANN, "join rookie"), (FAY, "add stop Slides"), (FAY, "timer 5m"), (BEN, "vote 1"),
                          (FAY, "next")):
            replies = await app.service.handle_text(who, PLACE, f"/pln {line}")
            assert [r.kind for r in replies] == [ReplyKind.ERROR], line
            assert "no longer has" in replies[0].text and "`custom`" in replies[0].text
        assert await stored(app) == before
    finally:
        await app.close()

    # A bot that has the template again gives the old session its copy when it starts.
    app = await open_app(db_url, clock=clock, templates_dir=templates)
    try:
        assert "rookie" in (await say(app, FAY, "join rookie"))[0]
        async with app.db.read(clock()) as store:
            session = await store.session_by_id(1)
            assert session is not None and session.template_snapshot == CUSTOM
    finally:
        await app.close()
