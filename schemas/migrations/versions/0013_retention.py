"""retention: per association, how long callers' records and audit entries are kept

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_retention_days', sa.Integer(), nullable=False, server_default='90'))
        batch_op.add_column(sa.Column('audit_retention_days', sa.Integer(), nullable=False, server_default='365'))


def downgrade() -> None:
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.drop_column('audit_retention_days')
        batch_op.drop_column('contact_retention_days')
