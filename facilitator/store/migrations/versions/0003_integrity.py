"""The template a session runs on, stored with it; who has spent all their votes.

Revision ID: 0003
Revises: 0008 (the head of main when this branch merged it; revision ids are per issue)
Create Date: 2026-12-01

sessions.template_snapshot: the template file's text when the session started, so a session
keeps working when its template file is renamed, edited or removed. Sessions started before
this revision get theirs from the templates loaded when a bot next starts
(store.sessions.adopt_templates).

participants.used_all_votes: set once a person's votes reach the budget during voting, kept
when a hide, a merge or a take-back gives one back. Blind voting shows progress as this count
(docs/ANONYMITY.md). Existing rows are filled from votes_used.

Nullable columns and a column with a server default, added with plain ALTER TABLE (see 0002).
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sessions', sa.Column('template_snapshot', sa.Text(), nullable=True))
    op.add_column('participants',
                  sa.Column('used_all_votes', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE participants SET used_all_votes = true WHERE votes_used >= "
        "(SELECT vote_budget FROM sessions WHERE sessions.id = participants.session_id)"
    )


def downgrade() -> None:
    op.drop_column('participants', 'used_all_votes')
    op.drop_column('sessions', 'template_snapshot')
