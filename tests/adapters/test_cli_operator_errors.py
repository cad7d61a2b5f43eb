"""Every configuration, connection, permission and file error the `facilitator` command can meet
is one or two lines (what is wrong, what to do), exit status 1, no traceback, no secret.

Errors found before anything starts are checked by calling the command's `main` here (the same
code, without a second interpreter's start-up); those met while talking to a platform run the
real command in a child process, against the fake platform on this test's event loop."""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import socket
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.adapters.cli_process import (
    Cli, assert_operator_error, facilitator, facilitator_async, shell_database, unused_port,
)
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi
from tests.pg import POSTGRES_ENV

FIRST_SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schema-0001.db"
def postgres_url(database: str, password: str | None = None) -> str:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    return make_url(base).set(database=database, password=password).render_as_string(hide_password=False)


def on_postgres(admin_url: str, statement: str) -> None:
    base = make_url(admin_url)

    async def run() -> None:
        admin = await asyncpg.connect(host=base.host, port=base.port or 5432, user=base.username,
                                      password=base.password, database="postgres")
        try:
            await admin.execute(statement)
        finally:
            await admin.close()

    asyncio.run(run())


def test_postgresql_that_refuses_connections(cli: Cli) -> None:
    port = unused_port()
    url = f"postgresql://postgres@127.0.0.1:{port}/nope"
    done = cli(["export", "latest"], {"FACILITATOR_DATABASE_URL": url})
    assert_operator_error(done, f"Can't connect to the database at {url}: connection refused.",
                          "Is PostgreSQL running there? Check FACILITATOR_DATABASE_URL.")


def test_run_against_a_postgresql_database_that_does_not_exist_hides_the_password(cli: Cli) -> None:
    missing = f"fac_missing_{uuid.uuid4().hex[:8]}"
    url = postgres_url(missing, password="s3cret-pw")
    done = cli(["run", "--platform", "shell"], {"FACILITATOR_DATABASE_URL": url})
    text = assert_operator_error(done, f"The PostgreSQL server has no database `{missing}`", f"createdb {missing}")
    assert "s3cret-pw" not in text and "***" in text


@pytest.mark.parametrize(
    "url, says",
    [
        ("mysql://root@localhost/workshops", "FACILITATOR_DATABASE_URL names a mysql database; facilitator works "
                                             "with SQLite or PostgreSQL."),
        ("notaurl", "FACILITATOR_DATABASE_URL is not a database URL."),
        ("sqlite:////nonexistent/dir/x.db", "Can't create the database /nonexistent/dir/x.db: the folder "
                                            "/nonexistent/dir doesn't exist."),
        ("sqlite://", "names an in-memory SQLite database"),
    ],
)
def test_a_database_url_that_cannot_work(cli: Cli, url: str, says: str) -> None:
    done = cli(["run", "--platform", "shell"], {"FACILITATOR_DATABASE_URL": url})
    assert_operator_error(done, says)


def test_a_sqlite_folder_without_write_permission(cli: Cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere: no permission error to provoke")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    done = cli(["db", "upgrade"], {"FACILITATOR_DATABASE_URL": f"sqlite:///{locked}/x.db"})
    assert_operator_error(done, "permission denied")


def test_slack_with_a_token_but_no_signing_secret(cli: Cli, tmp_path: Path) -> None:
    done = cli(["run"], {"SLACK_BOT_TOKEN": "xoxb-123"})
    assert_operator_error(done, "Slack needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode).")
    assert not (tmp_path / "facilitator.db").exists()  # checked before anything started


def test_slack_with_nothing_set_names_everything_missing(cli: Cli) -> None:
    done = cli(["run", "--platform", "slack"])
    assert_operator_error(done, "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)",
                          "SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")


async def test_a_token_slack_refuses(tmp_path: Path) -> None:
    fake = FakeSlackApi()
    fake.install("xoxb-T1", "T1")
    await fake.start()
    try:
        done = await facilitator_async(["run", "--platform", "slack"], tmp_path, {
            "SLACK_BOT_TOKEN": "xoxb-revoked-or-mistyped", "SLACK_SIGNING_SECRET": "test-signing-secret",
            "SLACK_API_URL": fake.base_url, "FACILITATOR_HOST": "127.0.0.1", "FACILITATOR_PORT": str(unused_port()),
        })
    finally:
        await fake.stop()
    text = assert_operator_error(done, "Slack refused SLACK_BOT_TOKEN (invalid_auth).", "Install App")
    assert "xoxb-revoked-or-mistyped" not in text


async def test_slack_cannot_listen_on_a_port_in_use(tmp_path: Path) -> None:
    fake = FakeSlackApi()
    fake.install("xoxb-T1", "T1")
    await fake.start()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            done = await facilitator_async(["run", "--platform", "slack"], tmp_path, {
                "SLACK_BOT_TOKEN": "xoxb-T1", "SLACK_SIGNING_SECRET": "test-signing-secret",
                "SLACK_API_URL": fake.base_url, "FACILITATOR_HOST": "127.0.0.1", "FACILITATOR_PORT": str(port),
            })
        finally:
            await fake.stop()
    # The bot logs who it is before it binds the port; the error itself is still two lines.
    assert_operator_error(done, f"facilitator: Can't listen on 127.0.0.1:{port}: the port is already in use.",
                          "FACILITATOR_PORT", started=True)


@pytest.mark.parametrize("command", [["discord-invite"], ["run", "--platform", "discord"]])
def test_a_discord_token_of_the_wrong_shape(cli: Cli, command: list[str]) -> None:
    done = cli(command, {"DISCORD_TOKEN": "garbage"})
    text = assert_operator_error(done, "DISCORD_TOKEN doesn't look like a bot token.", "Reset Token")
    assert "garbage" not in text


def test_discord_without_a_token_is_no_signal(tmp_path: Path) -> None:
    # A child process: the stray "stopping on signal" was a log line, which only a real start prints.
    done = facilitator(["run", "--platform", "discord"], tmp_path, {"DISCORD_TOKEN": "  "})
    assert_operator_error(done, "Discord needs DISCORD_TOKEN")
    assert "stopping on signal" not in done.stderr


async def test_a_token_discord_refuses(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    # The right shape (the base64 of an application id, then two parts), but reset in the portal.
    wrong = base64.b64encode(str(fake.application_id).encode()).decode().rstrip("=") + ".GAbcde.reset-in-the-portal"
    fake.revoked_tokens.add(wrong)
    try:
        done = await facilitator_async(["run", "--platform", "discord"], tmp_path, {
            "DISCORD_TOKEN": wrong, "DISCORD_API_BASE": fake.api_base,
        })
    finally:
        await fake.stop()
    text = assert_operator_error(done, "Discord refused DISCORD_TOKEN (401 Unauthorized).", "Reset Token", started=True)
    assert "WARNING" not in text  # nothing about voice libraries the bot never uses
    assert wrong not in text


def test_a_malformed_number_setting(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("FACILITATOR_PORT=three thousand\n")
    done = cli(["run", "--platform", "shell"])
    assert_operator_error(done, "FACILITATOR_PORT must be a whole number from 0 to 65535")
    guild = cli(["run", "--platform", "discord"],
                {"DISCORD_TOKEN": "MTIz.GAbcde.x", "DISCORD_GUILD_ID": "my server", "FACILITATOR_PORT": "3000"})
    assert_operator_error(guild, "DISCORD_GUILD_ID must be a whole number")


def test_export_to_a_folder_that_does_not_exist(cli: Cli, tmp_path: Path) -> None:
    shell_database(tmp_path)
    done = cli(["export", "latest", "--format", "csv", "--output", "/nonexistent/dir/x.csv"])
    assert_operator_error(done, "Can't write /nonexistent/dir/x.csv: the folder /nonexistent/dir doesn't exist.")


def test_export_onto_a_folder(cli: Cli, tmp_path: Path) -> None:
    shell_database(tmp_path)
    (tmp_path / "out").mkdir()
    assert_operator_error(cli(["export", "1", "--output", "out"]), "Can't write out: it is a folder.")


def test_export_in_an_empty_folder_creates_no_database(cli: Cli, tmp_path: Path) -> None:
    done = cli(["export", "latest"])
    assert_operator_error(done, f"There is no database at {tmp_path.resolve() / 'facilitator.db'}")
    assert list(tmp_path.iterdir()) == []


def test_export_never_upgrades_an_old_database(cli: Cli, tmp_path: Path) -> None:
    old = tmp_path / "facilitator.db"
    shutil.copy(FIRST_SCHEMA, old)
    before = old.read_bytes()
    done = cli(["export", "1", "--format", "json"])
    assert_operator_error(done, "This database is at schema revision 0001", "facilitator db upgrade")
    assert old.read_bytes()[:100] == before[:100]  # the header: no migration ran


def test_export_of_an_empty_postgresql_database_creates_nothing(cli: Cli) -> None:
    name = f"fac_cli_empty_{uuid.uuid4().hex[:8]}"
    url, admin = postgres_url(name), postgres_url("postgres")  # skips without PostgreSQL
    on_postgres(admin, f'CREATE DATABASE "{name}"')
    try:
        done = cli(["export", "latest"], {"FACILITATOR_DATABASE_URL": url})
        assert_operator_error(done, "This database has no facilitator tables")
        again = cli(["export", "latest"], {"FACILITATOR_DATABASE_URL": url})
        assert "no facilitator tables" in again.stderr  # still none: nothing was created
    finally:
        on_postgres(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("how", [["--debug"], ["FACILITATOR_DEBUG=1"]])
def test_debug_adds_the_traceback(cli: Cli, how: list[str]) -> None:
    settings = {"FACILITATOR_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{unused_port()}/nope"}
    flags = [h for h in how if h.startswith("--")]
    settings.update(h.split("=", 1) for h in how if "=" in h)  # type: ignore[arg-type]
    done = cli(["export", *flags, "latest"], settings)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ConnectionRefusedError" in done.stderr
    assert done.stderr.rstrip().splitlines()[-2].startswith("facilitator: Can't connect to the database")


def test_an_unexpected_error_is_one_line_and_asks_for_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    from adapters.cli import _report

    assert _report(RuntimeError("something broke\nsecond line"), "", debug=False) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["facilitator: unexpected error: RuntimeError: something broke",
                   "  This looks like a bug: run again with --debug for the details, and report it."]
