"""open shifts: an occurrence a listener gave up, until another listener takes it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'open_shifts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=False),
        sa.Column('starts_at_epoch', sa.Integer(), nullable=False),
        sa.Column('duration_minutes', sa.Integer(), nullable=False),
        sa.Column('given_up_by', sa.Integer(), nullable=False),
        sa.Column('taken_by', sa.Integer(), nullable=True),
        sa.Column('taken_shift_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['given_up_by'], ['listeners.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['taken_by'], ['listeners.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['taken_shift_id'], ['shifts.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('shift_id', 'starts_at_epoch'),
    )
    op.create_index('ix_open_shifts_association_id', 'open_shifts', ['association_id'])
    op.create_index('ix_open_shifts_shift_id', 'open_shifts', ['shift_id'])


def downgrade() -> None:
    op.drop_index('ix_open_shifts_shift_id', table_name='open_shifts')
    op.drop_index('ix_open_shifts_association_id', table_name='open_shifts')
    op.drop_table('open_shifts')
