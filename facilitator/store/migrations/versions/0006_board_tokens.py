"""Live board links: one row per link, the token kept only as its SHA-256.

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-01

Only adds a table, so every existing row is kept.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('board_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_board_tokens_session_id'), 'board_tokens', ['session_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_board_tokens_session_id'), table_name='board_tokens')
    op.drop_table('board_tokens')
