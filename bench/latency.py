"""Percentiles of a list of latencies, and the shared wording of the figure 4 and 5 rows."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from bench.table import Row, millis

CONCURRENCY = 50
# Figure 5 runs ours and each bare bot this many times, alternating, and keeps each one's
# fastest run (as timeit does). Figure 4 takes per-round ratios instead (bench.rounds).
ROUNDS = 3
RATIO_TARGET = 0.7
P99_TARGET_S = 0.100
TARGET = f">= {RATIO_TARGET} of bare, p99 < {P99_TARGET_S * 1000:.0f} ms @ {CONCURRENCY}"


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(count: int, seconds: float, latencies: Sequence[float], unit: str) -> str:
    return (f"{count / seconds:,.0f} {unit}/s, p50 {millis(percentile(latencies, 0.5))},"
            f" p99 {millis(percentile(latencies, 0.99))}")


def rate_row(figure: str, count: int, ours: tuple[float, Sequence[float]], bare: tuple[float, Sequence[float]],
             unit: str, bare_name: str) -> Row:
    """ours and bare are (seconds for `count` requests, latencies)."""
    ratio = bare[0] / ours[0]
    p99 = percentile(ours[1], 0.99)
    return Row(figure, summary(count, ours[0], ours[1], unit), f"{summary(count, bare[0], bare[1], unit)} ({bare_name})",
               ratio, TARGET, ratio >= RATIO_TARGET and p99 < P99_TARGET_S)


@contextmanager
def settled_heap() -> Iterator[None]:
    """For a timed phase: collect, then move every object alive now (imported modules, the
    fake server's records, the set-up) out of the cyclic collector's reach. Otherwise a full
    collection over the bench process's whole heap stalls the shared event loop for 100-200 ms,
    once or twice a run, and all 50 requests in flight land in the p99. A bot process that calls
    gc.freeze() after start-up gets the same; the work done during the phase is still collected."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
