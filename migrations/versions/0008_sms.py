"""text messages: the outbox's channel, provider id and delivery report; reminder choices,
open-group text reminders and stop links

Revision ID: 0008_sms
Revises: 0007_exchange
Create Date: 2026-11-30 03:40:00

"""
from alembic import op
import sqlalchemy as sa

import remote_groups.db_types


# revision identifiers, used by Alembic.
revision = '0008_sms'
down_revision = '0007_exchange'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=8), server_default='mail', nullable=False))
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.String(length=20), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_outbox_messages_provider_ref'), ['provider_ref'], unique=False)

    op.create_table('sms_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('texts', sa.Boolean(), nullable=False),
    sa.Column('chosen_way', sa.Enum('email', 'sms', 'both', 'none', name='reminderway', native_enum=False, length=20), nullable=False),
    sa.Column('chosen_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['course_applications.id'], name=op.f('fk_sms_choices_application_id_course_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_choices')),
    sa.UniqueConstraint('application_id', name=op.f('uq_sms_choices_application_id'))
    )
    op.create_table('sms_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('last_starts_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('created_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_sms_subscriptions_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_sms_subscriptions_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_subscriptions'))
    )
    with op.batch_alter_table('sms_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_subscriptions_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_subscriptions_session_id'), ['session_id'], unique=False)

    op.create_table('sms_stop_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=True),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('created_at', remote_groups.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['choice_id'], ['sms_choices.id'], name=op.f('fk_sms_stop_links_choice_id_sms_choices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['sms_subscriptions.id'], name=op.f('fk_sms_stop_links_subscription_id_sms_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_stop_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sms_stop_links_token_hash'))
    )
    with op.batch_alter_table('sms_stop_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_stop_links_choice_id'), ['choice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_stop_links_subscription_id'), ['subscription_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sms_stop_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_stop_links_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_sms_stop_links_choice_id'))
    op.drop_table('sms_stop_links')
    with op.batch_alter_table('sms_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_subscriptions_session_id'))
        batch_op.drop_index(batch_op.f('ix_sms_subscriptions_group_id'))
    op.drop_table('sms_subscriptions')
    op.drop_table('sms_choices')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_provider_ref'))
        batch_op.drop_column('delivery')
        batch_op.drop_column('provider_ref')
        batch_op.drop_column('channel')
