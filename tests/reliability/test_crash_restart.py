"""Issue 7, row 3: a bot process is SIGKILLed mid-workshop and started again on the same
database. Everything it acknowledged before the kill is still there, and the buttons it
posted before the kill still work after the restart: Slack (HTTP worker) and Discord.

"Acknowledged" means what a person saw: the bot's answer to their click or command reached
the (fake) platform. A request still being worked on at the kill may be lost, but never half
written, and never counted past a budget.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.adapters.discord.conftest import Running, content_of
from tests.adapters.slack.harness import elements
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_api import Call
from tests.pg import fresh_database
from tests.reliability.processes import (
    SECRETS,
    START_TIMEOUT,
    BotProcess,
    discord_bot,
    export_json_here,
    poll,
    secrets_in_logs,
)
from tests.reliability.slack_workers import SlackWorkers, acknowledged, start_fake_slack

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
LEVELS = ("newcomer", "practitioner", "veteran")
BUDGET = 3


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set")
    async with fresh_database("fac_crash") as url:
        yield url.render_as_string(hide_password=False)


# -- Slack ------------------------------------------------------------------------------

FACILITATOR, LATECOMER = "UF", "U9"
PEOPLE = ["U1", "U2", "U3", "U4", "U5", "U6"]


async def test_slack_worker_killed_mid_workshop(database_url: str, tmp_path: Path) -> None:
    fake = await start_fake_slack([FACILITATOR, *PEOPLE, LATECOMER])
    workers = SlackWorkers(fake, database_url, tmp_path)
    try:
        await workers.start(1)
        intro, thread = await workers.start_session(0, FACILITATOR, "Crash course")
        await workers.post_all([(0, workers.click(u, intro, "join", level=LEVELS[i % 3])) for i, u in enumerate(PEOPLE)])
        await workers.until(lambda: all(workers.ephemerals(u) for u in PEOPLE), "every join answered")
        await workers.post_all([(0, workers.slash(u, f"do Item {u}")) for u in PEOPLE[:3]] + [
            (0, workers.thread_reply(u, thread, f"DON'T: Item {u}", event_id=f"Ev{u}")) for u in PEOPLE[3:]])
        await workers.until(lambda: all(workers.thread_posts(thread, f"Item {u}") for u in PEOPLE), "six items posted")
        await workers.post(0, workers.slash(FACILITATOR, "next"))
        voting: Call = await workers.until(lambda: next((c for c in workers.thread_posts(thread) if len(
            [e for e in elements(c) if e.get("action_id", "").startswith("pln:vote")]) > 1), None), "the voting message")

        # Two votes each, answered; then everyone's third vote (double-clicked) and a fourth,
        # and the worker is killed as soon as the first of those is answered.
        first = [(0, workers.click(u, voting, "vote", item=str((i + k) % 6 + 1))) for i, u in enumerate(PEOPLE) for k in (0, 1)]
        answered = len(workers.ephemerals())
        await workers.post_all(first)
        await workers.until(lambda: len(workers.ephemerals()) >= answered + len(first), "the first votes answered")
        targets = [(u, (i + k) % 6 + 1) for i, u in enumerate(PEOPLE) for k in (2, 2, 3)]
        burst = [(0, workers.click(u, voting, "vote", item=str(n))) for u, n in targets]
        answered = len(workers.ephemerals())
        await workers.post_all(burst)  # each gets its HTTP 200 at once; the work follows
        await workers.until(lambda: len(workers.ephemerals()) > answered, "the first answer to the burst")
        await workers.bots[0].kill()
        held = acknowledged(workers.ephemerals())  # all the answers anyone saw before the crash
        items_seen = {u for u in PEOPLE if workers.thread_posts(thread, f"Item {u}")}

        await workers.restart(0)
        # Buttons posted before the crash: join on the intro, vote on the voting message.
        await workers.post(0, workers.click(LATECOMER, intro, "join", level="veteran"))
        await workers.until(lambda: workers.ephemerals(LATECOMER), "the latecomer's join answered")
        await workers.post(0, workers.click(LATECOMER, voting, "vote", item="1"))
        await workers.until(lambda: any(c.params["text"].startswith("Voted for #1") for c in workers.ephemerals(LATECOMER)),
                            "the latecomer's vote answered")
        held[(LATECOMER, 1)] += 1
        await workers.close()

        document = await export_json_here(database_url)
        assert {i["text"] for i in document["items"]} == {f"Item {u}" for u in items_seen} == {f"Item {u}" for u in PEOPLE}
        votes = {i["number"]: i["votes"] for i in document["items"]}
        might_have_landed = Counter(n for _, n in set(targets))  # a double click lands once at most
        for number in range(1, 7):
            acked = sum(v for (_, n), v in held.items() if n == number)
            assert acked <= votes[number] <= acked + might_have_landed[number], (number, held)
        cast = {p["name"]: p["votes_cast"] for p in document["participants"]}
        for user in PEOPLE:
            acked = sum(v for (u, _), v in held.items() if u == user)
            assert 2 <= acked <= cast[f"Person {user}"] <= BUDGET, (user, held)
        assert cast[f"Person {LATECOMER}"] == 1
        assert sum(votes.values()) == sum(cast.values())  # no vote without its spent budget, nor the reverse
        assert secrets_in_logs(workers.bots, SECRETS) == []
        assert workers.bots[0].starts == 2 and workers.bots[0].stderr().count("Slack app listening") == 2
    finally:
        await workers.close()
        await fake.stop()


# -- Discord ----------------------------------------------------------------------------

MEMBERS = [("ada", True), ("bo", False), ("cy", False), ("di", False), ("ed", False), ("fay", False), ("gus", False)]


async def discord_ready(fake: FakeDiscord, bot: BotProcess) -> None:
    """Until the bot's shard has identified (its commands are synced and its button class
    registered before it connects)."""
    async def identified() -> bool:
        return bool(fake.shards)

    await poll(identified, f"{bot.name} to connect", START_TIMEOUT, alive=[bot])


def voted_for(run: Running, who: str) -> Counter[int]:
    """The items `who` was told they voted for, from the bot's follow-ups to their interactions."""
    tokens = {p["token"] for p in run.fake.interactions if p["member"]["user"]["username"] == who}
    held: Counter[int] = Counter()
    for call in run.fake.calls:
        if call.method == "POST" and call.path.startswith("/webhooks/") and call.path.split("/")[3] in tokens:
            text = content_of(call)
            if text.startswith("Voted for #"):
                held[int(text.removeprefix("Voted for #").split(".")[0])] += 1
    return held


async def test_discord_bot_killed_mid_workshop(database_url: str, tmp_path: Path) -> None:
    fake = FakeDiscord(shard_count=1)
    await fake.start()
    guild = fake.add_guild("learning circle", MEMBERS)
    bot = discord_bot("discord", tmp_path, database_url, fake.api_base)
    run = Running(fake, bot=None, app=None)  # type: ignore[arg-type]  # only its fake-side helpers are used
    try:
        await bot.start()
        await discord_ready(fake, bot)
        await run.slash(guild, "bo", "start", title="Crash course")
        thread = run.thread_of_intro(guild)
        for who, level in (("cy", "newcomer"), ("di", "practitioner"), ("ed", "veteran")):
            custom_id, message_id = run.button(guild.channel_id, f"pln:j:1:{level}")
            joined = await run.click(guild, who, custom_id, message_id)
            assert f"joined as {level}" in content_of(joined[-1])
        await run.slash(guild, "bo", "do", text="Share what you learn")
        await run.slash(guild, "cy", "dont", text="Only lurk", channel_id=thread)
        modal = await run.open_modal(guild, "di", *run.button(guild.channel_id, "pln:a:1:do"))
        await run.submit_modal(guild, "di", modal["custom_id"], "Ask one question a week", channel_id=guild.channel_id)
        await run.slash(guild, "ed", "do", text="Thank people", channel_id=thread)
        await run.slash(guild, "bo", "next")

        async def vote(who: str, number: int) -> str:
            return content_of((await run.click(guild, who, *run.button(thread, f"pln:v:1:{number}")))[-1])

        for who, numbers in (("cy", (1, 2)), ("di", (2, 3)), ("ed", (4, 1))):
            for number in numbers:
                assert (await vote(who, number)).startswith(f"Voted for #{number}")
        # bo's three votes and a double click, all at once; the bot dies after the first answer.
        hooks = len([c for c in fake.calls if c.path.startswith("/webhooks/")])
        for number in (1, 2, 3, 1):
            await fake.click(guild, "bo", *run.button(thread, f"pln:v:1:{number}"))
        await poll(_async(lambda: len([c for c in fake.calls if c.path.startswith("/webhooks/")]) > hooks),
                   "an answer to bo", alive=[bot])
        await bot.kill()
        fake.shards.clear()  # its gateway connection died with it
        acked = {who: voted_for(run, who) for who in ("bo", "cy", "di", "ed")}

        await bot.start()
        await discord_ready(fake, bot)
        # Buttons posted before the crash: vote in the thread, join on the intro.
        assert (await vote("fay", 3)).startswith("Voted for #3")
        joined = await run.click(guild, "gus", *run.button(guild.channel_id, "pln:j:1:practitioner"))
        assert "joined as practitioner" in content_of(joined[-1])
        assert (await vote("gus", 4)).startswith("Voted for #4")
        await bot.stop()

        document = await export_json_here(database_url)
        items = {i["number"]: (i["text"], i["votes"]) for i in document["items"]}
        assert {n: text for n, (text, _) in items.items()} == {
            1: "Share what you learn", 2: "Only lurk", 3: "Ask one question a week", 4: "Thank people"}
        cast = {p["name"]: p["votes_cast"] for p in document["participants"]}
        assert {who: cast[who] for who in ("cy", "di", "ed", "fay", "gus")} == {"cy": 2, "di": 2, "ed": 2, "fay": 1, "gus": 1}
        assert sum(acked["bo"].values()) <= cast.get("bo", 0) <= BUDGET
        for number, (_, votes) in items.items():
            sure = sum(a[number] for a in acked.values()) + {3: 1, 4: 1}.get(number, 0)
            assert sure <= votes <= sure + (number in (1, 2, 3) and not acked["bo"][number]), (number, votes, acked)
        assert sum(v for _, v in items.values()) == sum(cast.values())
        assert secrets_in_logs([bot], SECRETS) == []
        assert bot.starts == 2
    finally:
        await bot.stop()
        await fake.stop()


def _async(predicate: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return predicate()

    return check


def test_the_log_scan_sees_a_leak(tmp_path: Path) -> None:
    """The scans above can fail: a secret, or a token-shaped string, in any run's output is found."""
    bot = discord_bot("leaky", tmp_path, "sqlite:///unused.db", "http://127.0.0.1:9")
    tmp_path.mkdir(exist_ok=True)
    bot.stdout_path.write_text("starting\n")
    bot.stderr_path.write_text(f"first run\nlogging in with {SECRETS[2]}\nsecond run: token xoxb-999-abc\n")
    assert [line for _, line in secrets_in_logs([bot], SECRETS)] == [
        f"logging in with {SECRETS[2]}", "second run: token xoxb-999-abc"]
