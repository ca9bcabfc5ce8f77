"""number channels: one number may take calls and texts (unique per number and channel); conversation
notices: each closing notice recorded per recipient, attempts counted, a waiting caller's fallback notice

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite reflects the old constraint without a name; batch mode names it by this convention so it can be dropped.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
NEW = "uq_helpline_numbers_number_channel"


def _unique_on_number_alone() -> str:
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("helpline_numbers"):
        if constraint["column_names"] == ["number"]:
            return constraint["name"] or "uq_helpline_numbers_number"
    raise RuntimeError("helpline_numbers has no unique constraint on number")


def upgrade() -> None:
    old = _unique_on_number_alone()
    with op.batch_alter_table('helpline_numbers', schema=None, naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(old, type_='unique')
        batch_op.create_unique_constraint(NEW, ['number', 'channel'])
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listener_notified', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('caller_notified', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('notice_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(
            sa.Column('waiting_notice', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('waiting_notice')
        batch_op.drop_column('notice_attempts')
        batch_op.drop_column('caller_notified')
        batch_op.drop_column('listener_notified')
    with op.batch_alter_table('helpline_numbers', schema=None) as batch_op:
        batch_op.drop_constraint(NEW, type_='unique')
        batch_op.create_unique_constraint('helpline_numbers_number_key', ['number'])
