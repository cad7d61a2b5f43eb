"""The outbox's pure parts: the token bucket that learns from Retry-After, and how waiting
messages for one person merge (within Slack's 50 blocks, Discord's 2,000 characters)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.discord.direct import merge_dms
from adapters.outbox.budgets import Budget, Budgets
from adapters.slack.courier import MAX_BLOCKS, merge_notices
from facilitator.app.outbox import Letter, Queued

NOW = datetime(2026, 12, 6, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_spends_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    budgets = Budgets({"m": Budget(per_minute=60, burst=3)}, clock)
    lane = ("T1", "m")
    assert [budgets.take(lane) for _ in range(4)] == [True, True, True, False]
    assert budgets.wait(lane) == 1.0
    clock.now += 1.0
    assert budgets.take(lane) and not budgets.take(lane)
    assert budgets.take(("T2", "m"))  # another workspace has its own
    assert budgets.take(("T1", "unlisted"))  # a method without a budget is not paced


def test_a_429_closes_the_lane_for_retry_after_even_with_tokens_left() -> None:
    clock = Clock()
    budgets = Budgets({"m": Budget(per_minute=6000, burst=100)}, clock)
    lane = ("T1", "m")
    budgets.learn(lane, 5.0)
    assert budgets.available(lane) == 0 and budgets.wait(lane) == 5.0
    clock.now += 4.9
    assert not budgets.take(lane)
    clock.now += 0.2
    assert budgets.take(lane)


def test_idle_buckets_are_forgotten_and_busy_ones_kept() -> None:
    clock = Clock()
    budgets = Budgets({"m": Budget(per_minute=60, burst=2)}, clock)
    for channel in ("C1", "C2", "C3"):
        budgets.take(("T1", "m", channel))
    budgets.learn(("T1", "m", "C3"), 30.0)
    clock.now += 2.0  # C1 and C2 are full again; C3 is closed for Retry-After
    budgets.take(("T1", "m", "C2"))
    budgets.forget_idle()
    assert len(budgets) == 2  # C2 (spent one) and C3 (closed) remain
    assert budgets.wait(("T1", "m", "C3")) > 0


def queued(n: int, recipient: str, body: dict[str, object], platform: str = "slack") -> Queued:
    letter = Letter(platform, "T1", "m", "C1", body, NOW + timedelta(minutes=30), recipient)
    return Queued(n, letter, NOW, 0)


def test_notices_for_one_person_merge_in_order_within_fifty_blocks() -> None:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    rows = [queued(1, "U1", {"text": "a", "blocks": [block] * 20}), queued(2, "U2", {"text": "b", "blocks": [block]}),
            queued(3, "U1", {"text": "c", "blocks": [block] * 20}), queued(4, "U1", {"text": "d", "blocks": [block] * 20})]
    merged = merge_notices(rows)
    assert [[q.id for q in group] for group, _ in merged] == [[1, 3], [2], [4]]
    first = merged[0][1]
    assert first["text"] == "a\n\nc" and len(first["blocks"]) == 41 <= MAX_BLOCKS  # 20 + a divider + 20


def test_direct_messages_merge_text_only_within_two_thousand_characters() -> None:
    rows = [queued(1, "U1", {"content": "a" * 1500, "embeds": []}, "discord"),
            queued(2, "U1", {"content": "b" * 400, "embeds": []}, "discord"),
            queued(3, "U1", {"content": "c" * 400, "embeds": []}, "discord"),
            queued(4, "U1", {"content": None, "embeds": [{"title": "t"}]}, "discord"),
            queued(5, "U2", {"content": "e", "embeds": []}, "discord")]
    merged = merge_dms(rows)
    assert [[q.id for q in group] for group, _ in merged] == [[1, 2], [3], [4], [5]]
    assert len(merged[0][1]["content"]) == 1500 + 2 + 400
