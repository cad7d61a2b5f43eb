"""The SQLite statement counter sees everything SQLite runs for a unit of work, BEGIN and COMMIT
included, also on connections the pool opened before the counter existed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bench.sql_count import StatementCounter
from bench.workload import open_bench_app


async def test_a_write_is_begin_immediate_its_statement_and_commit(tmp_path: Path) -> None:
    app = await open_bench_app(f"sqlite:///{tmp_path / 'count.db'}")
    try:
        async with app.db.write(datetime.now(UTC)) as repo:  # the pool's connection exists before the counter
            await repo.db.execute(text("SELECT 1"))
        counter = StatementCounter(app.db.engine)
        with counter.counting() as counts:
            async with app.db.write(datetime.now(UTC)) as repo:
                await repo.db.execute(text("SELECT count(*) FROM sessions"))
        async with app.db.write(datetime.now(UTC)) as repo:  # not counted: outside `counting`
            await repo.db.execute(text("SELECT 2"))
    finally:
        await app.close()
    assert counts.statements == ["BEGIN IMMEDIATE", "SELECT count(*) FROM sessions", "COMMIT"]
    assert (counts.count, counts.transactions, counts.without_transaction_control) == (3, 1, 1)


async def test_a_rolled_back_write_counts_its_rollback(tmp_path: Path) -> None:
    app = await open_bench_app(f"sqlite:///{tmp_path / 'count.db'}")
    counter = StatementCounter(app.db.engine)
    try:
        with counter.counting() as counts:
            try:
                async with app.db.write(datetime.now(UTC)) as repo:
                    await repo.db.execute(text("SELECT 1"))
                    raise LookupError("refused")
            except LookupError:
                pass
    finally:
        await app.close()
    assert counts.statements == ["BEGIN IMMEDIATE", "SELECT 1", "ROLLBACK"]
