"""data_versions: a counter raised with every change to what session cards show; indexes
for the staff session lists

Pages remember rendered session cards per worker under this counter
(remote_groups/groups/versions.py). The staff lists read an area's sessions in time order
and the sessions a person facilitates: two indexes instead of reading every row.

Revision ID: 0009_perf
Revises: 0008_sms
Create Date: 2026-11-30 03:50:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0009_perf'
down_revision = '0008_sms'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions')),
    )
    # Any start will do; a random one never meets pieces remembered from another database.
    op.bulk_insert(table, [{'name': 'cards', 'version': secrets.randbits(52)}])
    op.create_index('ix_sessions_host_area_start', 'sessions', ['host_area_id', 'starts_at'])
    op.create_index('ix_session_facilitators_user', 'session_facilitators',
                    ['user_id', 'session_id'])


def downgrade():
    op.drop_index('ix_session_facilitators_user', table_name='session_facilitators')
    op.drop_index('ix_sessions_host_area_start', table_name='sessions')
    op.drop_table('data_versions')
