"""shift reminders: per association reminder settings, occurrence confirmations and roster notices (claims)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_hours', sa.JSON(), nullable=False, server_default='[24, 1]'))
        batch_op.add_column(sa.Column('confirm_by_minutes', sa.Integer(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('invite_turn_minutes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), nullable=False, server_default='8'))
        batch_op.add_column(sa.Column('no_show_minutes', sa.Integer(), nullable=False, server_default='10'))
    op.create_table(
        'shift_confirmations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=False),
        sa.Column('listener_id', sa.Integer(), nullable=False),
        sa.Column('starts_at_epoch', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'confirmed', 'declined', 'unanswered', name='confirmationstatus',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('open_shift_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['listener_id'], ['listeners.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['open_shift_id'], ['open_shifts.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('shift_id', 'starts_at_epoch'),
    )
    op.create_index('ix_shift_confirmations_association_id', 'shift_confirmations', ['association_id'])
    op.create_index('ix_shift_confirmations_listener_id', 'shift_confirmations', ['listener_id'])
    op.create_table(
        'roster_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('listener_id', sa.Integer(), nullable=True),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('shift_id', sa.Integer(), nullable=True),
        sa.Column('starts_at_epoch', sa.Integer(), nullable=True),
        sa.Column('open_shift_id', sa.Integer(), nullable=True),
        sa.Column('answer', sa.String(length=10), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['listener_id'], ['listeners.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['open_shift_id'], ['open_shifts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_index('ix_roster_notices_association_id', 'roster_notices', ['association_id'])
    op.create_index('ix_roster_notices_listener_id', 'roster_notices', ['listener_id'])


def downgrade() -> None:
    op.drop_index('ix_roster_notices_listener_id', table_name='roster_notices')
    op.drop_index('ix_roster_notices_association_id', table_name='roster_notices')
    op.drop_table('roster_notices')
    op.drop_index('ix_shift_confirmations_listener_id', table_name='shift_confirmations')
    op.drop_index('ix_shift_confirmations_association_id', table_name='shift_confirmations')
    op.drop_table('shift_confirmations')
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.drop_column('no_show_minutes')
        batch_op.drop_column('digest_hour')
        batch_op.drop_column('invite_turn_minutes')
        batch_op.drop_column('confirm_by_minutes')
        batch_op.drop_column('reminder_hours')
