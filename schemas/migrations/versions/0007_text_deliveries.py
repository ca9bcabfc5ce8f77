"""text deliveries: every handled text webhook by MessageSid with its replies, so a redelivered keyword or
menu answer is a no-op that answers the same

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'text_deliveries',
        sa.Column('message_sid', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('replies', sa.JSON(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['association_id'], ['associations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('message_sid'),
    )
    op.create_index(op.f('ix_text_deliveries_association_id'), 'text_deliveries', ['association_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_text_deliveries_association_id'), table_name='text_deliveries')
    op.drop_table('text_deliveries')
