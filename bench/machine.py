"""What the figures were measured on, printed above the table."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

from bench.workload import POSTGRES_URL, postgres_dsn


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


async def postgres_version() -> str:
    try:
        connection = await asyncpg.connect(postgres_dsn(POSTGRES_URL), timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"unreachable ({type(exc).__name__})"
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


async def describe() -> list[str]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"# machine: {cpu_model()}, {os.cpu_count()} cores ({usable} usable by this process),"
        f" {platform.system()} {platform.release()}",
        f"# software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" PostgreSQL {await postgres_version()}",
    ]
