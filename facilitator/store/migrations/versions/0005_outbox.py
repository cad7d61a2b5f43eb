"""The outbox of replies waiting for the platform's rate limits; the level prompt sent once.

Revision ID: 0005
Revises: 0007 (the head of main when this branch merged it; revision ids are per issue)
Create Date: 2026-12-06

outbox: one row per message the bot still owes a platform (a private notice today), kept
until it is delivered or no longer useful (expires_at). A process claims rows by setting
lease_until, so two processes never send the same row, and a process killed mid-send
leaves its rows to be claimed again once the lease has passed (docs/RELIABILITY.md).

participants.level_prompted: set the first time a person is asked to pick a level in a
session, so a burst of votes from someone who never joined costs one prompt, not one each.

Only adds a table and a column with a server default, so every existing row is kept.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('participants',
                  sa.Column('level_prompted', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=True),
    sa.Column('thread', sa.String(length=64), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('fallback_url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_outbox_due', 'outbox', ['platform', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_due', table_name='outbox')
    op.drop_table('outbox')
    op.drop_column('participants', 'level_prompted')
