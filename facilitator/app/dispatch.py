"""The dispatch table: each command type and the use case that handles it.

Adding a subcommand: declare it in facilitator.commands.registry, write its use case (a
function of Context, Actor, Place and the command), and add one line here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from facilitator import commands as cmd
from facilitator.app import (
    authoring,
    boards,
    discussion,
    moderation,
    participation,
    pledge_views,
    pledges,
    reading,
    reminders,
    rounds,
    revisions,
    sessions,
    settings,
    timers,
)
from facilitator.app.context import Context
from facilitator.domain.actors import Actor, Place
from facilitator.replies import Reply

C = TypeVar("C")
Handler = Callable[[Context, Actor, Place, Any], Awaitable[list[Reply]]]


def _on(kind: type[C], handler: Callable[[Context, Actor, Place, C], Awaitable[list[Reply]]]) -> tuple[type, Handler]:
    return kind, handler


HANDLERS: dict[type, Handler] = dict(
    [
        _on(cmd.Start, sessions.start),
        _on(cmd.Next, timers.next_phase),
        _on(cmd.End, sessions.end),
        _on(cmd.Cohost, sessions.cohost),
        _on(cmd.Timer, timers.set_timer),
        _on(cmd.ChangeSettings, settings.change),
        _on(cmd.Join, participation.join),
        _on(cmd.Submit, participation.submit),
        _on(cmd.SendPending, participation.send_held),
        _on(cmd.ReviseItem, revisions.revise),
        _on(cmd.WithdrawItem, revisions.withdraw),
        _on(cmd.Vote, participation.vote),
        _on(cmd.Unvote, participation.unvote),
        _on(cmd.Hide, moderation.hide),
        _on(cmd.Restore, moderation.restore),
        _on(cmd.Merge, moderation.merge),
        _on(cmd.Why, authoring.why),
        _on(cmd.Pair, authoring.pair),
        _on(cmd.Nudge, reminders.nudge),
        _on(cmd.Quiet, reminders.quiet),
        _on(cmd.Status, reading.status),
        _on(cmd.Results, reading.results),
        _on(cmd.Export, reading.export),
        _on(cmd.Board, boards.board),
        _on(cmd.Help, reading.help_),
        _on(cmd.Agenda, discussion.set_agenda),
        _on(cmd.NextItem, discussion.next_item),
        _on(cmd.Note, discussion.note),
        _on(cmd.Revote, rounds.revote),
        _on(cmd.Predict, rounds.predict),
        _on(cmd.Pledge, pledges.pledge),
        _on(cmd.Pledges, pledge_views.list_pledges),
        _on(cmd.PledgeDone, pledges.done),
        _on(cmd.PledgeDrop, pledges.drop),
        _on(cmd.PledgeLater, pledges.later),
    ]
)
