"""Shared fixtures: a real database (a SQLite file, and PostgreSQL when the environment names
one), the app opened on it with a fake clock, and the actor/place helpers.

On PostgreSQL every database is created for this run (from the `postgres` maintenance
database) and dropped afterwards, so runs never see each other's data: store tests get a
brand-new empty database each, app tests share one migrated database whose tables are
emptied before every test."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.store.models import Base
from tests.secret_scan import LogVault, find_secrets
from tests.app.room import Room
from tests.app.support import FakeClock
from tests.app.support import actor as make_actor
from tests.app.support import place as make_place

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"
T = TypeVar("T")
NO_POSTGRES = f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"


def _asyncpg_dsn(url: str, database: str) -> str:
    """The same server and credentials, another database, in the form asyncpg accepts."""
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


async def _create_postgres_database(base_url: str) -> str:
    name = f"fac_{uuid.uuid4().hex[:16]}"
    connection = await asyncpg.connect(_asyncpg_dsn(base_url, "postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def _drop_postgres_database(base_url: str, name: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(base_url, "postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def _postgres_url(base_url: str, name: str) -> str:
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _postgres_base_url() -> str:
    base_url = os.environ.get(POSTGRES_ENV, "").strip()
    if not base_url:
        pytest.skip(NO_POSTGRES)
    return base_url


def _in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a session fixture's async setup on a thread with its own event loop: such fixtures
    are first asked for from inside a test's running loop."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each app test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "facilitator.db"

    async def migrate() -> None:
        migrated = await open_app(f"sqlite:///{path}")
        await migrated.close()  # the last connection to close checkpoints the WAL into the file

    _in_own_loop(migrate())
    return path


@pytest.fixture(scope="session")
def postgres_app_database() -> Iterator[str]:
    """One PostgreSQL database for this run's app tests, migrated once and dropped at the end.
    Each test empties its tables first (see app_db_url), which costs milliseconds where a
    new database costs a second on a busy machine."""
    base_url = _postgres_base_url()

    async def create() -> str:
        name = await _create_postgres_database(base_url)
        connection = await asyncpg.connect(_asyncpg_dsn(base_url, "postgres"))
        try:
            # Tests need PostgreSQL's locking and isolation, not durability: don't wait for
            # every commit to reach the disk.
            await connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        finally:
            await connection.close()
        migrated = await open_app(_postgres_url(base_url, name))
        await migrated.close()
        return name

    name = _in_own_loop(create())
    yield name
    _in_own_loop(_drop_postgres_database(base_url, name))


async def _empty_tables(url: str) -> None:
    statements = []
    for table in reversed(Base.metadata.sorted_tables):
        statements.append(f'DELETE FROM "{table.name}"')
        if "id" in table.columns:
            # Ids start at 1 again, as they do in a new SQLite file.
            statements.append(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)")
    connection = await asyncpg.connect(_asyncpg_dsn(url, make_url(url).database or ""))
    try:
        # One round trip: without arguments, asyncpg sends the statements as one simple query,
        # which PostgreSQL runs as a single transaction.
        await connection.execute(";\n".join(statements))
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file in tmp_path, or a brand-new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    base_url = _postgres_base_url()
    name = await _create_postgres_database(base_url)
    try:
        yield _postgres_url(base_url, name)
    finally:
        await _drop_postgres_database(base_url, name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def app_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database for the app: a copy of the migrated SQLite file, or this
    run's PostgreSQL database with every table emptied and the id sequences reset."""
    if request.param == "sqlite":
        path = tmp_path / "facilitator.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = _postgres_url(_postgres_base_url(), request.getfixturevalue("postgres_app_database"))
    await _empty_tables(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that doesn't exist yet."""
    return f"sqlite:///{tmp_path / 'facilitator.db'}"


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A brand-new, empty PostgreSQL database, dropped afterwards."""
    base_url = _postgres_base_url()
    name = await _create_postgres_database(base_url)
    try:
        yield _postgres_url(base_url, name)
    finally:
        await _drop_postgres_database(base_url, name)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(app_db_url: str, clock: FakeClock) -> AsyncIterator[FacilitatorApp]:
    # The database is migrated already (a copy of the template, or this run's PostgreSQL
    # database); tests/store covers open_app's migrations themselves.
    opened = await open_app(app_db_url, clock=clock, migrate=False)
    try:
        yield opened
    finally:
        await opened.close()


@asynccontextmanager
async def _room_on(url: str, clock: FakeClock) -> AsyncIterator[Room]:
    app = await open_app(url, clock=clock)
    try:
        yield Room(app, clock)
    finally:
        await app.close()


@pytest.fixture
async def room(sqlite_url: str, clock: FakeClock) -> AsyncIterator[Room]:
    """A room (tests/app/room.py) on a SQLite file."""
    async with _room_on(sqlite_url, clock) as opened:
        yield opened


@pytest.fixture
async def any_room(db_url: str, clock: FakeClock) -> AsyncIterator[Room]:
    """A room on each database: a SQLite file, and a brand-new PostgreSQL database."""
    async with _room_on(db_url, clock) as opened:
        yield opened


@pytest.fixture
def actor() -> Callable[..., Actor]:
    """`actor("Ana")`, `actor("Bo", tenant="t2", admin=True)`."""
    return make_actor


@pytest.fixture
def place() -> Callable[..., Place]:
    """`place()`, `place(channel="c2", thread="T1", session_id=3)`."""
    return make_place


def pytest_sessionstart(session: pytest.Session) -> None:
    """CI sets FACILITATOR_REQUIRE_POSTGRES: there a missing database is a failure, not a skip."""
    if os.environ.get("FACILITATOR_REQUIRE_POSTGRES") and not os.environ.get(POSTGRES_ENV):
        pytest.exit(f"FACILITATOR_REQUIRE_POSTGRES is set but {POSTGRES_ENV} is not", returncode=3)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not report.skipped:
        return
    reason = str(report.longrepr)
    if os.environ.get("FACILITATOR_REQUIRE_POSTGRES") and (POSTGRES_ENV in reason or "PostgreSQL" in reason):
        report.outcome = "failed"
        report.longrepr = f"PostgreSQL test skipped in a run that requires PostgreSQL: {reason}"
    # CI (.ci/run) installs the exports' validators (tests/reports/export/validators.py): there a
    # missing one is a failure, not a skip.
    elif os.environ.get("FACILITATOR_REQUIRE_VALIDATORS") and "validator missing:" in reason:
        report.outcome = "failed"
        report.longrepr = f"validator test skipped in a run that requires the validators: {reason}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Why tests were skipped, one line per reason (pytest's -rs writes one line per test, and
    without it a run says only "150 skipped")."""
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    for reason, count in reasons.most_common():
        terminalreporter.write_line(f"{count} skipped: {reason}")


_VAULT = LogVault()


def pytest_configure(config: pytest.Config) -> None:
    """Watch every log record of the whole run for secrets (checked in pytest_sessionfinish)."""
    root = logging.getLogger()
    root.addHandler(_VAULT)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = find_secrets(_VAULT.lines)
    if leaks:
        print(f"\n{len(leaks)} log line(s) carry a secret or token, for example:\n  " + "\n  ".join(leaks[:5]))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif _VAULT.lines:
        print(f"\nsecret scan: {len(_VAULT.lines)} log lines captured, none carries a secret or token")
