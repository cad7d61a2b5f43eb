"""Telling watchers (the live boards) that a session changed, from the process that changed it.

The service calls `announce` after a command's unit of work has committed (a refused command
raised and rolled back, so it announces nothing), and the timer worker after a deadline fired.
Watchers must return at once: they are called on the command's path, so a slow one would slow
every vote. Boards queue the session id and rebuild later (adapters/board/hub.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from facilitator import commands as cmd
from facilitator.replies import Reply

# Commands that change nothing a board shows.
_UNSEEN = (cmd.Status, cmd.Results, cmd.Help, cmd.Export, cmd.Quiet, cmd.Nudge, cmd.Pledges, cmd.PledgeLater)


class SessionWatcher(Protocol):
    def session_changed(self, session_id: int) -> None: ...

    def board_links_revoked(self, session_id: int) -> None: ...


class Announcer:
    def __init__(self) -> None:
        self.watchers: list[SessionWatcher] = []

    def changed(self, session_ids: Iterable[int]) -> None:
        for session_id in set(session_ids):
            for watcher in self.watchers:
                watcher.session_changed(session_id)

    def after_command(self, command: cmd.Command, replies: list[Reply]) -> None:
        if not self.watchers:
            return
        touched = {reply.session_id for reply in replies if reply.session_id is not None}
        if isinstance(command, cmd.Board):
            if command.reset:
                for session_id in touched:
                    for watcher in self.watchers:
                        watcher.board_links_revoked(session_id)
            return
        if not isinstance(command, _UNSEEN):
            self.changed(touched)
