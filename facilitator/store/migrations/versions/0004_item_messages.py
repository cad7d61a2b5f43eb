"""Items remember the message they came from and the bot's post announcing them; claims of
platform deliveries are indexed by age, to be pruned.

Revision ID: 0004
Revises: 0006
Create Date: 2026-12-06

Two nullable columns and a unique index, added with plain ALTER TABLE / CREATE INDEX (never
batch mode, which on SQLite rebuilds a table by dropping it: see 0002), so every existing row
stays. Items from before have neither: editing or deleting their message leaves them as they are.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('items', sa.Column('source', sa.String(length=64), nullable=True))
    op.add_column('items', sa.Column('post', sa.String(length=64), nullable=True))
    op.create_index('uq_items_source', 'items', ['session_id', 'source'], unique=True)
    op.create_index('ix_processed_events_seen_at', 'processed_events', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_processed_events_seen_at', table_name='processed_events')
    op.drop_index('uq_items_source', table_name='items')
    op.drop_column('items', 'post')
    op.drop_column('items', 'source')
