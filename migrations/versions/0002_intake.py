"""intake calls: slots, bookings, and a course's intake_required

Revision ID: 0002_intake
Revises: 0001_initial
Create Date: 2026-11-30 03:22:54.574014

"""
from alembic import op
import sqlalchemy as sa

import remote_groups.db_types


# revision identifiers, used by Alembic.
revision = '0002_intake'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('intake_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('ends_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('room_name', sa.String(length=64), nullable=False),
    sa.Column('created_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_intake_slots_intake_slot_ends_after_start')),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_intake_slots_facilitator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_intake_slots_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_slots')),
    sa.UniqueConstraint('room_name', name=op.f('uq_intake_slots_room_name'))
    )
    with op.batch_alter_table('intake_slots', schema=None) as batch_op:
        batch_op.create_index('ix_intake_slots_facilitator_start', ['facilitator_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_intake_slots_group_start', ['group_id', 'starts_at'], unique=False)

    op.create_table('intake_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('booked_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', remote_groups.db_types.UTCDateTime(), nullable=True),
    sa.Column('updated_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['course_applications.id'], name=op.f('fk_intake_bookings_application_id_course_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_intake_bookings_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['intake_slots.id'], name=op.f('fk_intake_bookings_slot_id_intake_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_bookings')),
    sa.UniqueConstraint('application_id', name=op.f('uq_intake_bookings_application_id')),
    sa.UniqueConstraint('slot_id', name=op.f('uq_intake_bookings_slot_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_intake_bookings_uid'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_required', sa.Boolean(), server_default=sa.false(), nullable=False))




def downgrade():
    
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('intake_required')

    op.drop_table('intake_bookings')
    with op.batch_alter_table('intake_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_slots_group_start')
        batch_op.drop_index('ix_intake_slots_facilitator_start')

    op.drop_table('intake_slots')

