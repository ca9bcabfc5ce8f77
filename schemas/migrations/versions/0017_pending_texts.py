"""pending texts: messages the webhook could not take in, kept encrypted for the sweep

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'pending_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_sid', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.Enum('voice', 'sms', 'whatsapp', name='channel', native_enum=False, length=20),
                  nullable=False),
        sa.Column('recipient', sa.String(length=32), nullable=False),
        sa.Column('sender_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('body_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('num_media', sa.Integer(), nullable=False),
        sa.Column('button_payload', sa.String(length=64), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('message_sid'),
    )


def downgrade() -> None:
    op.drop_table('pending_texts')
