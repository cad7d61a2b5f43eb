"""Figure 5 (placeholder): interactions through our bot on the fake gateway against a bare discord.py bot.

The lead fills this in once the Discord adapter lands: replace `measure` with one that returns rows
with ours = interactions/s (and p50/p99), baseline = a bare bot that only responds, target 0.7.
"""

from __future__ import annotations

from bench.table import Row, placeholder

TARGET = ">= 0.7 of bare, p99 < 100 ms @ 50"


async def measure(smoke: bool) -> list[Row]:
    return [placeholder("5 Discord interactions/s, concurrency 50", "added after the Discord adapter lands", TARGET)]
