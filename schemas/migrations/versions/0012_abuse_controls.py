"""abuse controls: per-association call and text limits, blocked callers (by keyed hash) and listeners' flags

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calls_per_hour', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('texts_per_minute', sa.Integer(), nullable=True))
    op.create_table(
        'blocked_callers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('caller_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('contact_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('blocked_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('texter_notified', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_blocked_callers_association_id', 'blocked_callers', ['association_id'])
    op.create_index('ix_blocked_callers_caller_hash', 'blocked_callers', ['caller_hash'])
    op.create_table(
        'contact_flags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('caller_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('listener_id', sa.Integer(), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('status', sa.Enum('open', 'blocked', 'dismissed', name='flagstatus', native_enum=False, length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['listener_id'], ['listeners.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_contact_flags_association_id', 'contact_flags', ['association_id'])
    op.create_index('ix_contact_flags_contact_id', 'contact_flags', ['contact_id'])
    op.create_index('ix_contact_flags_caller_hash', 'contact_flags', ['caller_hash'])
    op.create_index('ix_contact_flags_status', 'contact_flags', ['status'])


def downgrade() -> None:
    op.drop_table('contact_flags')
    op.drop_table('blocked_callers')
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.drop_column('texts_per_minute')
        batch_op.drop_column('calls_per_hour')
