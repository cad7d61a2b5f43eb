"""Figure 6: peak RSS of a bot process holding many open sessions, in a fresh subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from bench.table import Row
from bench.workload import sqlite_file

ROOT = Path(__file__).resolve().parents[1]


async def measure(smoke: bool) -> list[Row]:
    sessions, people = (3, 5) if smoke else (100, 50)
    with sqlite_file() as path:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.memory_probe",
            "--database", f"sqlite:///{path}", "--sessions", str(sessions), "--people", str(people),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=ROOT,
            # This checkout's code, even where another checkout is installed in editable mode.
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
        )
        out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"memory probe failed: {err.decode()[-2000:]}")
    figures = json.loads(out.decode().strip().splitlines()[-1])
    peak, warmed = figures["peak_kib"], figures["warmed_kib"]
    return [
        Row(
            f"6 peak RSS, {sessions} open sessions x {people} people (SQLite)",
            f"{peak / 1024:.1f} MiB",
            f"{warmed / 1024:.1f} MiB (same process, 1 session open)",
            peak / warmed,
            "report (no target)",
            None,
        )
    ]
