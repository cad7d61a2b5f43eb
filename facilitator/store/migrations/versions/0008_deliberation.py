"""Deliberation: the agenda, a second round of votes, predictions, discussion notes.

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-05

Adds columns with a server default or nullable ones, and new tables, so every existing session
reads as round 1 with predictions off and no agenda. Columns are added with plain ALTER TABLE,
never batch mode (see 0002: batch mode rebuilds a table, and on SQLite with foreign keys on,
dropping `sessions` would cascade-delete everything).
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sessions', sa.Column('round', sa.Integer(), server_default=sa.text('1'), nullable=False))
    op.add_column('sessions', sa.Column('predict', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('sessions', sa.Column('agenda', sa.String(length=16), nullable=True))
    op.add_column('sessions', sa.Column('current_item', sa.Integer(), nullable=True))
    op.add_column('sessions', sa.Column('item_deadline', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_sessions_item_deadline', 'sessions', ['item_deadline'], unique=False)

    op.create_table('round_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_round_votes_session', 'round_votes', ['session_id', 'round'], unique=False)

    op.create_table('predictions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('numbers', sa.String(length=400), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'round', 'participant_id', name='uq_predictions_person')
    )

    op.create_table('discussions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'number', name='uq_discussions_item')
    )

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_notes_session_id', 'notes', ['session_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notes_session_id', table_name='notes')
    op.drop_table('notes')
    op.drop_table('discussions')
    op.drop_table('predictions')
    op.drop_index('ix_round_votes_session', table_name='round_votes')
    op.drop_table('round_votes')
    # DROP COLUMN directly (SQLite 3.35+), for the same reason as above.
    op.drop_index('ix_sessions_item_deadline', table_name='sessions')
    op.drop_column('sessions', 'item_deadline')
    op.drop_column('sessions', 'current_item')
    op.drop_column('sessions', 'agenda')
    op.drop_column('sessions', 'predict')
    op.drop_column('sessions', 'round')
