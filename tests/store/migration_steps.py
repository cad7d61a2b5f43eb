"""Steps the migration tests share: going back to a revision, and the tables a database holds.

Each `test_migration_NNNN.py` fills a database at the revision before NNNN with rows written in
that revision's own columns (which is why those INSERTs differ and stay in each test), upgrades,
checks, and downgrades again."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from facilitator.store.migrate import alembic_config


def previous_revision(revision: str) -> str:
    """The revision `revision` upgrades from (the chain is re-pointed when branches merge)."""
    return str(ScriptDirectory.from_config(alembic_config()).get_revision(revision).down_revision)


def downgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())
