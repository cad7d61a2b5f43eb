"""A separate bot process firing deadlines: run by test_timer_workers.py, not collected by pytest.

Usage: python timer_worker_process.py DATABASE_URL NOW_ISO GO_FILE
Prints "ready", waits for GO_FILE to exist (so two workers start together), fires every due
deadline, and prints what it fired as JSON: [[session id, [reply text, ...]], ...].
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path

from facilitator.bootstrap import open_app


async def main(url: str, now: datetime, go: Path) -> None:
    app = await open_app(url, clock=lambda: now, migrate=False)
    try:
        print("ready", flush=True)
        while not go.exists():
            await asyncio.sleep(0.005)
        fired: list[tuple[int, list[str]]] = []
        while batch := await app.service.fire_due(now):
            fired.extend((session_id, [reply.text for reply in replies]) for session_id, replies in batch)
        print(json.dumps(fired), flush=True)
    finally:
        await app.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], datetime.fromisoformat(sys.argv[2]), Path(sys.argv[3])))
