"""crisis path: per-association crisis policy (queue first or straight to the crisis line, the wait limit,
how many listeners ring together) and the offers rung alongside a contact's first

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 17:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('crisis_policy', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                      server_default='queue_first')
        )
        batch_op.add_column(sa.Column('crisis_max_wait_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('crisis_ring_together', sa.Integer(), nullable=False, server_default='3'))
    op.create_table(
        'ring_offers',
        sa.Column('offer_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('contact_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('listener_id', sa.Integer(), nullable=False),
        sa.Column('deadline_us', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['listener_id'], ['listeners.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('offer_id'),
    )
    op.create_index('ix_ring_offers_contact_id', 'ring_offers', ['contact_id'])


def downgrade() -> None:
    op.drop_index('ix_ring_offers_contact_id', table_name='ring_offers')
    op.drop_table('ring_offers')
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.drop_column('crisis_ring_together')
        batch_op.drop_column('crisis_max_wait_seconds')
        batch_op.drop_column('crisis_policy')
