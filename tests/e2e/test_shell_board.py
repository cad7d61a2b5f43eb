"""`facilitator shell` serves live boards on 127.0.0.1 (unless FACILITATOR_HOST says otherwise),
and with its port taken says so once and works on without boards."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from pathlib import Path

import aiohttp

from tests.reliability.processes import REPO_ROOT, free_port

LINK = re.compile(r"http://127\.0\.0\.1:(\d+)/board/[A-Za-z0-9_-]+")


async def shell(tmp_path: Path, port: int) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "FACILITATOR_"))}
    env |= {"FACILITATOR_PORT": str(port), "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "shell", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def say(process: asyncio.subprocess.Process, line: str, until: str) -> str:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(line.encode() + b"\n")
    await process.stdin.drain()
    while True:
        out = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert out, "the shell ended"
        if until in out:
            return out


async def finish(process: asyncio.subprocess.Process) -> str:
    assert process.stdin is not None
    process.stdin.close()
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return err.decode()


async def test_the_shell_serves_its_boards_on_this_machine(tmp_path: Path) -> None:
    port = free_port()
    process = await shell(tmp_path, port)
    await say(process, "Fia: /pln start Retro", "Retro")
    line = await say(process, "Fia: /pln board", "/board/")
    assert line.startswith("[to Fia] Live board for Retro: ")
    found = LINK.search(line)
    assert found and found.group(1) == str(port), line
    async with aiohttp.ClientSession() as http:
        await say(process, "Ana: /pln do Seen on the board", "Seen on the board")
        page = await http.get(found.group(0))
        assert page.status == 200 and "Seen on the board" in await page.text()
    listening = [s for s in open("/proc/net/tcp").read().splitlines()[1:] if s.split()[1].endswith(f":{port:04X}")]
    assert listening and all(s.split()[1].startswith("0100007F:") for s in listening)  # 127.0.0.1 only
    await finish(process)


async def test_with_its_port_taken_the_shell_says_so_once_and_goes_on(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = await shell(tmp_path, taken.getsockname()[1])
        await say(process, "Fia: /pln start Retro", "Retro")
        line = await say(process, "Fia: /pln board", "board")
        assert line.startswith("[to Fia] The live board isn't available")
        await say(process, "Ana: /pln do Still taken", "Still taken")
        err = await finish(process)
    assert err.count("Live boards are off") == 1, err
