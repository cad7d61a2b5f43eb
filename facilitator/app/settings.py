"""`/pln settings`: the vote budget, votes per item, anonymity, blind voting, predictions, and
the follow-up period of pledges (which, alone, may change in any phase).

Settings change only while the session is collecting, before any vote exists, so a new
budget can never invalidate a vote already cast. Anonymity can be switched on late (names
already posted in the thread stay there, and the reply says so) but never off once items
exist: those authors sent them believing they were anonymous.
"""

from __future__ import annotations

from dataclasses import replace

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.domain.pledges import describe_followup
from facilitator.domain.session import settings_of
from facilitator.domain.settings import Settings, describe
from facilitator.replies import Reply, ReplyKind
from facilitator.replies import messages as msg


async def change(ctx: Context, actor: Actor, place: Place, command: cmd.ChangeSettings) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        # A closed session still has pledges to follow up, and settings to read.
        session = await ctx.locate(store, actor, place, include_closed=command.only_followup or not command.changes_anything)
        before = settings_of(session)
        if not command.changes_anything:
            return [msg.notice(actor.user_id, f"Settings: {describe(before)}", session.id)]
        await ctx.authorize(store, actor, session, command)
        # Pledges are made in any phase, closed included, so their follow-up period may change then too.
        if Phase(session.phase) is not Phase.COLLECTING and not command.only_followup:
            raise DomainError("Settings can change only before voting opens, so votes already cast stay valid. "
                              "Nothing was changed.", "wrong_phase")
        after = _changed(before, command)
        items = await store.items_of(session.id)
        if before.anonymous and not after.anonymous and items:
            raise DomainError("This session can't stop being anonymous: its items were sent anonymously. "
                              "Nothing was changed.", "anonymous_locked")
        await store.set_settings(session.id, after)
        if after.followup != before.followup:
            await store.reschedule_followups(session.id, after.followup)
        await store.record(session.id, actor.user_id, actor.name, "settings",
                           {"before": _as_record(before), "after": _asked(command)})
    note = ""
    if after.anonymous and items and not before.anonymous:
        note = " Items posted before now already showed their authors in the thread; from here on nobody's name is shown."
    return [Reply(ReplyKind.NOTICE, f"Settings changed: {describe(after)}{note}", session_id=session.id)]


def _changed(settings: Settings, command: cmd.ChangeSettings) -> Settings:
    after = replace(
        settings,
        vote_budget=settings.vote_budget if command.vote_budget is None else command.vote_budget,
        max_per_item=settings.max_per_item if command.max_per_item is None else command.max_per_item,
        anonymous=settings.anonymous if command.anonymous is None else command.anonymous,
        blind=settings.blind if command.blind is None else command.blind,
        predict=settings.predict if command.predict is None else command.predict,
        followup=settings.followup if command.followup is None else (command.followup or None),
    )
    if after.max_per_item > after.vote_budget:
        raise DomainError(f"per-item can't be more than the {after.vote_budget} votes each person has. "
                          "Nothing was changed.", "bad_setting")
    return after


def _as_record(settings: Settings) -> dict[str, str | int | bool | None]:
    return {"votes": settings.vote_budget, "per-item": settings.max_per_item,
            "anonymous": settings.anonymous, "blind": settings.blind, "predict": settings.predict,
            "followup": settings.followup}


def _asked(command: cmd.ChangeSettings) -> dict[str, str | int | bool | None]:
    """What the facilitator typed, in the words of the command ("votes": "4", "blind": "off")."""
    asked: dict[str, str | int | bool | None] = {}
    for key, value in (("votes", command.vote_budget), ("per-item", command.max_per_item),
                       ("anonymous", command.anonymous), ("blind", command.blind), ("predict", command.predict)):
        if value is not None:
            asked[key] = ("on" if value else "off") if isinstance(value, bool) else str(value)
    if command.followup is not None:
        asked["followup"] = describe_followup(command.followup or None)
    return asked
