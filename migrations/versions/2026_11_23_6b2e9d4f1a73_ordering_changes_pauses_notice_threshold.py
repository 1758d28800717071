"""ordering: changes to orders, pauses, notice, moves, per-council approval threshold

``order_changes``: a new weekly pattern for a recurring order line from a date, with
the provider's answer and the money it moved. ``order_pauses``: days with no visits.
``orders.ends_on`` (support ends early: notice or a move), ``orders.notice_given_on``
and ``orders.replaces_order_id`` (the order this one continues, after a move to
another provider). ``order_events.kind``: events that change something other than
the status. ``services.notice_days``: the notice a buyer gives to cancel (empty: the
site's ORDER_NOTICE_DAYS). ``councils.order_approval_threshold_pence``: above it an
order waits for an officer (empty: the site's ORDER_APPROVAL_THRESHOLD_PENCE).

Revision ID: 6b2e9d4f1a73
Revises: d3e8b5a1c6f4
Create Date: 2026-11-23 03:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import marketplace.db


revision = '6b2e9d4f1a73'
down_revision = 'd3e8b5a1c6f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'withdrawn', name='order_change_status', native_enum=False, length=40), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('quantity_hundredths', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('acting_for_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('applied_from', sa.Date(), nullable=True),
    sa.Column('money_pence', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity_hundredths > 0', name=op.f('ck_order_changes_quantity_positive')),
    sa.ForeignKeyConstraint(['acting_for_id'], ['users.id'], name=op.f('fk_order_changes_acting_for_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_order_changes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_changes_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_order_changes_order_line_id_order_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_order_changes_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_changes'))
    )
    with op.batch_alter_table('order_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_changes_order_id'), ['order_id'], unique=False)

    op.create_table('order_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('resumes_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('released_pence', sa.Integer(), nullable=False),
    sa.Column('recommitted_pence', sa.Integer(), nullable=False),
    sa.CheckConstraint('resumes_on IS NULL OR resumes_on > starts_on', name=op.f('ck_order_pauses_resumes_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_order_pauses_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_pauses_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_pauses'))
    )
    with op.batch_alter_table('order_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_pauses_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_given_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('replaces_order_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_replaces_order_id'), ['replaces_order_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_replaces_order_id_orders'), 'orders', ['replaces_order_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('status', 'change_requested', 'change_accepted', 'change_declined', 'notice_given', 'moved', 'continues', name='order_event_kind', native_enum=False, length=40), server_default='status', nullable=False))

    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_days', sa.Integer(), nullable=True))

    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_approval_threshold_pence', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('order_approval_threshold_pence')

    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('notice_days')

    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_replaces_order_id_orders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_replaces_order_id'))
        batch_op.drop_column('replaces_order_id')
        batch_op.drop_column('notice_given_on')
        batch_op.drop_column('ends_on')

    with op.batch_alter_table('order_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_pauses_order_id'))
    op.drop_table('order_pauses')

    with op.batch_alter_table('order_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_changes_order_id'))
    op.drop_table('order_changes')
