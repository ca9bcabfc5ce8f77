"""providers: the provider of each helpline number, and associations' provider accounts (Exotel)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 17:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROVIDER = sa.Enum('twilio', 'exotel', name='provider', native_enum=False, length=20)


def upgrade() -> None:
    with op.batch_alter_table('helpline_numbers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider', PROVIDER, nullable=False, server_default='twilio'))
    op.create_table(
        'provider_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('provider', PROVIDER, nullable=False),
        sa.Column('account_sid', sa.String(length=100), nullable=False),
        sa.Column('subdomain', sa.String(length=200), nullable=False),
        sa.Column('credentials_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('webhook_key', sa.String(length=64), nullable=False),
        sa.Column('sms_sender', sa.String(length=32), nullable=False),
        sa.Column('dlt_entity_id', sa.String(length=32), nullable=False),
        sa.Column('dlt_template_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('association_id', 'provider', name='uq_provider_accounts_association'),
        sa.UniqueConstraint('webhook_key'),
    )
    with op.batch_alter_table('provider_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_accounts_association_id'), ['association_id'], unique=False)


def downgrade() -> None:
    op.drop_table('provider_accounts')
    with op.batch_alter_table('helpline_numbers', schema=None) as batch_op:
        batch_op.drop_column('provider')
