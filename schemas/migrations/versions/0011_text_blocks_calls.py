"""routing settings: whether an open text conversation keeps a listener from calls (default: it does not)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('routing_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_blocks_calls', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('routing_settings', schema=None) as batch_op:
        batch_op.drop_column('text_blocks_calls')
