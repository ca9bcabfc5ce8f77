"""web app: staff accounts (coordinators and admins who sign in with a code), a listener's app language

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'staff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.Enum('platform', 'admin', 'coordinator', name='role', native_enum=False, length=20), nullable=False),
        sa.Column('phone_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('phone_hash', sa.String(length=64), nullable=False),
        sa.Column('phone_last4', sa.String(length=4), nullable=False),
        sa.Column('code_channel', sa.Enum('voice', 'sms', 'whatsapp', name='channel', native_enum=False, length=20), nullable=False),
        sa.Column('app_language', sa.String(length=16), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_staff_association_id', 'staff', ['association_id'])
    op.create_index('ix_staff_phone_hash', 'staff', ['phone_hash'])
    with op.batch_alter_table('listeners') as batch:
        batch.add_column(sa.Column('app_language', sa.String(length=16), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('listeners') as batch:
        batch.drop_column('app_language')
    op.drop_index('ix_staff_phone_hash', table_name='staff')
    op.drop_index('ix_staff_association_id', table_name='staff')
    op.drop_table('staff')
