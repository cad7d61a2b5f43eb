"""DISCORD_SHARD_COUNT fixed, and DISCORD_SHARD_IDS splitting the shards between processes.

With a fixed count discord.py skips `GET /gateway/bot` and connects to its built-in gateway URL;
tests/fakes/discord_gateway_host.py sends that URL to the fake through the documented
`connector=` option, with certificate checks on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord.conftest import Running, content_of, register_as_deployed, running_bot
from tests.fakes.discord_gateway_host import GATEWAY_HOST, connector_to, make_certificate, server_context
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("gateway-tls"))


@pytest.fixture
async def two_shards(certificate: tuple[Path, Path]) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(shard_count=2)
    fake.add_guild("zero", [("ada", True), ("bo", False)], shard=0)
    fake.add_guild("one", [("cy", True), ("di", False)], shard=1)
    await fake.start()
    await fake.serve_default_gateway(server_context(*certificate))
    yield fake
    await fake.stop()


def on_shard(fake: FakeDiscord, shard: int) -> FakeGuild:
    return next(g for g in fake.guilds.values() if fake.shard_for(g.guild_id) == shard)


def options(fake: FakeDiscord, certificate: tuple[Path, Path]) -> dict[str, Any]:
    return {"connector": connector_to(fake.tls_port, certificate[0])}


async def answers_help(run: Running, guild: FakeGuild) -> bool:
    payload = await run.fake.slash(guild, guild.members[-1].name, "help")
    (answer,) = await run.finished(payload)
    return "/pln start" in content_of(answer)


async def test_a_fixed_shard_count_connects_every_shard_through_the_built_in_gateway(
    two_shards: FakeDiscord, certificate: tuple[Path, Path], database_url: str
) -> None:
    fake = two_shards
    async with running_bot(fake, database_url, bot_options=options(fake, certificate), shard_count=2) as run:
        assert ("GET", "/gateway/bot") not in [(c.method, c.path) for c in fake.calls]  # the count was given
        assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
        assert fake.gateway_connections == [f"https://{GATEWAY_HOST}/"] * 2  # TLS, the default URL, verified
        assert sorted(run.bot.shards) == [0, 1]
        assert {g.id: g.shard_id for g in run.bot.guilds} == {g.guild_id: fake.shard_for(g.guild_id)
                                                              for g in fake.guilds.values()}
        for shard in (0, 1):
            assert await answers_help(run, on_shard(fake, shard))
        syncs = [c.path for c in fake.calls if c.method == "PUT"]
        assert syncs == [f"/applications/{fake.application_id}/commands"]


async def test_two_processes_share_the_shards_and_only_shard_zeros_syncs(
    two_shards: FakeDiscord, certificate: tuple[Path, Path], database_url: str
) -> None:
    fake = two_shards
    one, zero = on_shard(fake, 1), on_shard(fake, 0)
    async with running_bot(fake, database_url, bot_options=options(fake, certificate),
                           shard_count=2, shard_ids=(1,)) as second:
        assert [i["shard"] for i in fake.identifies] == [[1, 2]]  # shard 1 only
        assert [c for c in fake.calls if c.method == "PUT"] == []  # it doesn't hold shard 0: no sync
        register_as_deployed(second)  # so /pln exists on Discord, synced by an earlier deployment
        assert [g.id for g in second.bot.guilds] == [one.guild_id]
        assert await answers_help(second, one)

        async with running_bot(fake, database_url, bot_options=options(fake, certificate),
                               shard_count=2, shard_ids=(0,)) as first:
            assert [i["shard"] for i in fake.identifies] == [[1, 2], [0, 2]]
            assert [g.id for g in first.bot.guilds] == [zero.guild_id]
            assert await answers_help(first, zero)
            syncs = [c.path for c in fake.calls if c.method == "PUT"]
            assert syncs == [f"/applications/{fake.application_id}/commands"]  # once, by the shard-0 process
        assert ("GET", "/gateway/bot") not in [(c.method, c.path) for c in fake.calls]
