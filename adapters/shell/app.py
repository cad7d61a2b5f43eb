"""Runs the shell adapter: stdin lines in, replies out, flushed before the next line is read."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from typing import TextIO

from adapters.shell import render, translate
from facilitator.replies import ReplyKind
from facilitator.app.service import FacilitationService

PROMPT_HELP = "Type lines as NAME: TEXT, e.g. `Ana: /pln start` or `Ben: DO: share first`. Ctrl-D ends."


async def run_shell(
    service: FacilitationService,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    export_dir: Path | None = None,
) -> int:
    lines = _line_queue(stdin)
    interactive = stdin.isatty()
    if interactive:
        print(PROMPT_HELP, file=stdout, flush=True)
    known: dict[str, str] = {}
    out_dir = export_dir or Path.cwd()
    while (line := await lines.get()) is not None:
        # Deadlines (`/pln timer`) that passed while we waited for this line fire first.
        for _, fired in await service.fire_due(service.context.clock()):
            for reply in fired:
                print(render.render(reply, known, out_dir), file=stdout, flush=True)
        said = translate.parse_line(line)
        if said is None:
            if line.strip():
                print(f"(ignored: lines look like NAME: TEXT) {line.strip()[:80]}", file=stdout, flush=True)
            lines.task_done()
            continue
        known.setdefault(said.actor.user_id, said.actor.name)
        text = translate.resolve_mentions(said.text, set(known))
        for reply in await service.handle_text(said.actor, translate.place(), text):
            if reply.kind is ReplyKind.INTRO and reply.session_id is not None:
                await service.attach_thread(reply.session_id, translate.THREAD)
            print(render.render(reply, known, out_dir), file=stdout, flush=True)
        lines.task_done()
    return 0


class _LineQueue:
    """Reads stdin on a daemon thread, so a signal can end the shell while it waits for input,
    one line at a time: the next line is read only after the last one's replies are out."""

    def __init__(self, stdin: TextIO) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
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
        return await self._queue.get()

    def task_done(self) -> None:
        self._turn.release()


def _line_queue(stdin: TextIO) -> _LineQueue:
    return _LineQueue(stdin)
