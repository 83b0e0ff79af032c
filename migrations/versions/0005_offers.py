"""seat offers with a deadline (issue 18): course_seat_offers

Revision ID: 0005_offers
Revises: 0004_needs_messages
Create Date: 2026-11-30 03:50:00

"""
from alembic import op
import sqlalchemy as sa

import remote_groups.db_types


# revision identifiers, used by Alembic.
revision = '0005_offers'
down_revision = '0004_needs_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_seat_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'accepted', 'declined', 'expired', 'withdrawn', name='offerstatus', native_enum=False, length=20), nullable=False),
    sa.Column('offered_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('answered_at', remote_groups.db_types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['course_applications.id'], name=op.f('fk_course_seat_offers_application_id_course_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_course_seat_offers_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_seat_offers'))
    )
    with op.batch_alter_table('course_seat_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_seat_offers_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_seat_offers_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_course_seat_offers_status_expires', ['status', 'expires_at'], unique=False)
        batch_op.create_index('uq_course_seat_offers_open', ['application_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))


def downgrade():
    with op.batch_alter_table('course_seat_offers', schema=None) as batch_op:
        batch_op.drop_index('uq_course_seat_offers_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_course_seat_offers_status_expires')
        batch_op.drop_index(batch_op.f('ix_course_seat_offers_group_id'))
        batch_op.drop_index(batch_op.f('ix_course_seat_offers_application_id'))

    op.drop_table('course_seat_offers')
