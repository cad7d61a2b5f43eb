"""Routes the facilitation-depth commands; the service asks here before its own commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitator import commands as cmd
from facilitator import depth_commands as depth
from facilitator.actors import Actor, Place
from facilitator.annotations import Annotations
from facilitator.duplicates import Duplicates
from facilitator.moderation import Moderation
from facilitator.nudges import Nudges
from facilitator.replies import Reply
from facilitator.settings_command import SettingsCommand
from facilitator.timers import Timers

if TYPE_CHECKING:
    from facilitator.service import FacilitationService


class Depth:
    def __init__(self, service: FacilitationService) -> None:
        self.timers = Timers(service)
        self.settings = SettingsCommand(service)
        self.moderation = Moderation(service)
        self.duplicates = Duplicates(service)
        self.nudges = Nudges(service)
        self.annotations = Annotations(service)

    async def dispatch(self, actor: Actor, place: Place, command: cmd.Command) -> list[Reply] | None:
        """The replies, or None when the command is not one of ours."""
        match command:
            case cmd.Next(seconds) if seconds is not None:
                return await self.timers.next_with_timer(actor, place, seconds)
            case depth.Timer(seconds):
                return await self.timers.set_timer(actor, place, seconds)
            case depth.ChangeSettings():
                return await self.settings.change(actor, place, command)
            case depth.Hide(number):
                return await self.moderation.hide(actor, place, number)
            case depth.Restore(number):
                return await self.moderation.restore(actor, place, number)
            case depth.Merge(keep, fold):
                return await self.moderation.merge(actor, place, keep, fold)
            case depth.SendPending():
                return await self.duplicates.send_held(actor, place, command)
            case depth.Nudge():
                return await self.nudges.nudge(actor, place)
            case depth.Quiet(on):
                return await self.nudges.quiet(actor, place, on)
            case depth.Why(number, text):
                return await self.annotations.why(actor, place, number, text)
            case depth.Pair(dont, do):
                return await self.annotations.pair(actor, place, dont, do)
        return None
