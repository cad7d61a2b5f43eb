"""Alembic environment. Migrations always run on a connection handed over by
facilitator.store.migrate, so the same code path serves start-up and `facilitator db upgrade`."""

from alembic import context

from facilitator.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite can't ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
