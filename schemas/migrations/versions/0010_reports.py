"""reports: contacts' connect and end moments as integer microseconds (one SQL text on both databases), a
covering index for reports over long ranges, the association's report targets and each
language's minimum of listeners on shift

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-03 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EPOCH_US = {
    # Backfill of rows written before this revision; new rows are written with both columns.
    'sqlite': "CAST(ROUND((julianday({column}) - 2440587.5) * 86400000000) AS INTEGER)",
    'postgresql': "CAST(ROUND(EXTRACT(EPOCH FROM {column}) * 1000000) AS BIGINT)",
}


def upgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('connected_us', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('ended_us', sa.BigInteger(), nullable=True))
    expression = EPOCH_US[op.get_bind().dialect.name]
    for moment, column in (('connected_at', 'connected_us'), ('ended_at', 'ended_us')):
        op.execute(
            f"UPDATE contacts SET {column} = {expression.format(column=moment)} WHERE {moment} IS NOT NULL"
        )
    # Covers the reports' query (association and arrival first), so a year is read from the index alone.
    op.create_index('ix_contacts_reports', 'contacts', ['association_id', 'arrival_us', 'language', 'channel', 'priority',
                    'callback_requested', 'connected_us', 'ended_us', 'id'])
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_abandon_seconds', sa.Integer(), nullable=False, server_default='10'))
        batch_op.add_column(sa.Column('answer_target_seconds', sa.Integer(), nullable=False, server_default='60'))
        batch_op.add_column(sa.Column('service_level_percent', sa.Integer(), nullable=False, server_default='80'))
    with op.batch_alter_table('association_languages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_listeners', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('association_languages', schema=None) as batch_op:
        batch_op.drop_column('min_listeners')
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.drop_column('service_level_percent')
        batch_op.drop_column('answer_target_seconds')
        batch_op.drop_column('short_abandon_seconds')
    op.drop_index('ix_contacts_reports', table_name='contacts')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('ended_us')
        batch_op.drop_column('connected_us')
