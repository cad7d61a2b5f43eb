"""The load generator for figure 4, run as its own process so that its work doesn't share
the server's event loop (or its core): `python -m bench.http_load < job.json`.

The job is {"url": ..., "concurrency": 50, "requests": [{"body": ..., "headers": {...}}, ...]}.
It prints {"started": t0, "finished": t1, "latencies": [...], "statuses": {...}}, with times
from time.perf_counter (CLOCK_MONOTONIC on Linux, so the parent can compare them to its own).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from typing import Any

import aiohttp


async def run(job: dict[str, Any]) -> dict[str, Any]:
    requests: list[dict[str, Any]] = job["requests"]
    concurrency = int(job["concurrency"])
    queue = list(reversed(requests))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while queue:
                request = queue.pop()
                sent = time.perf_counter()
                async with session.post(job["url"], data=request["body"].encode(), headers=request["headers"]) as answer:
                    await answer.read()
                    statuses[answer.status] += 1
                latencies.append(time.perf_counter() - sent)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        finished = time.perf_counter()
    return {"started": started, "finished": finished, "latencies": latencies,
            "statuses": {str(k): v for k, v in statuses.items()}}


def main() -> None:
    job = json.load(sys.stdin)
    json.dump(asyncio.run(run(job)), sys.stdout)


if __name__ == "__main__":
    main()
