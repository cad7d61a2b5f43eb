"""Runs the shell adapter: stdin lines in, replies out, flushed before the next line is read.

Timers fire on their own, as in Slack and Discord: the core's timer worker runs beside the
line reader and prints "Time's up" when a deadline passes, whether or not anyone is typing.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from adapters.shell import render, translate
from facilitator.app.service import FacilitationService
from facilitator.replies import Reply, ReplyKind

PROMPT_HELP = "Type lines as NAME: TEXT, e.g. `Ana: /pln start` or `Ben: DO: share first`. Ctrl-D ends."
TIMER_TICK_SECONDS = 1.0  # how late a deadline may be printed, at most
_Show = Callable[[list[Reply]], None]


async def run_shell(
    service: FacilitationService,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    export_dir: Path | None = None,
    tick_seconds: float = TIMER_TICK_SECONDS,
) -> int:
    lines = _LineQueue(stdin)
    if stdin.isatty():
        print(PROMPT_HELP, file=stdout, flush=True)
    known: dict[str, str] = {}
    out_dir = export_dir or Path.cwd()
    # One speaker at a time: a timer's lines never land in the middle of a command's replies.
    turn = asyncio.Lock()

    def show(replies: list[Reply]) -> None:
        for reply in replies:
            print(render.render(reply, known, out_dir), file=stdout, flush=True)

    async def post(session_id: int, replies: list[Reply]) -> None:
        async with turn:
            try:
                show(replies)
            except BrokenPipeError as exc:  # nobody reads stdout any more: stop, as a command would
                lines.interrupt(exc)

    stop = asyncio.Event()
    timers = asyncio.create_task(service.run_timers(post, stop, tick_seconds), name="shell-timers")
    try:
        while (line := await lines.get()) is not None:
            async with turn:
                # A deadline that passed before this line is shown before its replies, even when
                # the worker has not ticked yet (a script whose clock jumps between lines).
                for _, fired in await service.fire_due(service.context.clock()):
                    show(fired)
                await _handle(service, line, known, show)
            lines.task_done()
    finally:
        stop.set()
        await asyncio.gather(timers, return_exceptions=True)
    if not timers.cancelled() and (failure := timers.exception()) is not None:
        raise failure
    return 0


async def _handle(service: FacilitationService, line: str, known: dict[str, str], show: _Show) -> None:
    said = translate.parse_line(line)
    if said is None:
        if line.strip():
            show([Reply(ReplyKind.NOTICE, f"(ignored: lines look like NAME: TEXT) {line.strip()[:80]}")])
        return
    known.setdefault(said.actor.user_id, said.actor.name)
    text = translate.resolve_mentions(said.text, set(known))
    replies = await service.handle_text(said.actor, translate.place(), text)
    for reply in replies:
        if reply.kind is ReplyKind.INTRO and reply.session_id is not None:
            await service.attach_thread(reply.session_id, translate.THREAD)
    show(replies)


class _LineQueue:
    """Reads stdin on a daemon thread, so a signal can end the shell while it waits for input,
    one line at a time: the next line is read only after the last one's replies are out."""

    def __init__(self, stdin: TextIO) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[str | BaseException | None] = asyncio.Queue()
        self._turn = threading.Semaphore(1)
        self._stdin = stdin
        threading.Thread(target=self._pump, name="shell-stdin", daemon=True).start()

    def _pump(self) -> None:
        while True:
            self._turn.acquire()
            line = self._stdin.readline()
            self._loop.call_soon_threadsafe(self._queue.put_nowait, line or None)
            if not line:
                return

    async def get(self) -> str | None:
        got = await self._queue.get()
        if isinstance(got, BaseException):
            raise got
        return got

    def interrupt(self, error: BaseException) -> None:
        """Makes the waiting `get` raise `error` (the timer task can't raise into the reader)."""
        self._queue.put_nowait(error)

    def task_done(self) -> None:
        self._turn.release()
