"""calendar copies (one recurring entry per person per group) and sessions.recurrence_at

Revision ID: 0010_calendar_copies
Revises: 0009_hardening
Create Date: 2026-11-30 00:50:00

"""
from alembic import op
import sqlalchemy as sa

import remote_groups.db_types

revision = '0010_calendar_copies'
down_revision = '0009_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('since', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_calendar_copies_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_copies')),
    sa.UniqueConstraint('group_id', 'address_hash', name='uq_calendar_copies_group_address')
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurrence_at', remote_groups.db_types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('recurrence_at')
    op.drop_table('calendar_copies')
