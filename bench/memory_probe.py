"""Run in its own process by bench.memory: opens many sessions through the service, prints peak RSS.

Prints one JSON line: the peak resident set (VmHWM) once the app is open and warmed with one session,
and again after all sessions are open, both in KiB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
from pathlib import Path

from bench.workload import HOST, PLATFORM, TENANT, open_bench_app
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp

LEVELS = ("newcomer", "practitioner", "veteran")


def peak_rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


async def open_session(app: FacilitatorApp, index: int, people: int) -> None:
    place = Place(PLATFORM, f"memory-{index}")
    replies = await app.service.handle(HOST, place, cmd.Start(f"Session {index}"))
    session_place = Place(PLATFORM, place.channel, session_id=replies[0].session_id)
    for p in range(people):
        actor = Actor(TENANT, f"s{index}p{p}", f"Person {p}")
        replies = await app.service.handle(actor, session_place, cmd.Join(LEVELS[p % len(LEVELS)]))
        assert replies[0].kind.name == "NOTICE", replies[0].text


async def main(database: str, sessions: int, people: int) -> None:
    app = await open_bench_app(database)
    try:
        await open_session(app, 0, people)
        warmed = peak_rss_kib()
        for index in range(1, sessions + 1):
            await open_session(app, index, people)
        print(json.dumps({"warmed_kib": warmed, "peak_kib": peak_rss_kib()}))
    finally:
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--people", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.database, args.sessions, args.people))
