"""Figure 4 (placeholder): signed vote-button requests through our AsyncApp against a bare AsyncApp.

The lead fills this in once the Slack adapter lands: replace `measure` with one that returns rows
with ours = requests/s (and p50/p99 ack latency), baseline = a bare AsyncApp that only acks, target 0.7.
"""

from __future__ import annotations

from bench.table import Row, placeholder

TARGET = ">= 0.7 of bare, p99 < 100 ms @ 50"


async def measure(smoke: bool) -> list[Row]:
    return [placeholder("4 Slack HTTP vote clicks/s, concurrency 50", "added after the Slack adapter lands", TARGET)]
