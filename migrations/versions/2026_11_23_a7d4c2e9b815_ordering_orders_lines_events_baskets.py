"""ordering: orders, their lines and events, and baskets

One order per provider at checkout, for one person (``buyer_id``), placed by that
person or a representative (``placed_by_id``), paid from a budget (``budget_id``,
``funding_stream``), by card, or split with the person's contribution; the money it
holds on the budget's ledger is ``committed_pence``; ``idempotency_key`` is unique
so a checkout submitted twice creates each order once. Order lines keep the price
that applied and why, and the schedule (one-off, or recurring on days of the week).
Every status change is an ``order_events`` row. Basket lines keep the price seen.

Revision ID: a7d4c2e9b815
Revises: b4d2e6f81c39
Create Date: 2026-11-23 02:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import marketplace.db


revision = 'a7d4c2e9b815'
down_revision = 'b4d2e6f81c39'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('baskets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_baskets_person_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_baskets')),
    sa.UniqueConstraint('person_id', name=op.f('uq_baskets_person_id'))
    )
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('checkout_key', sa.String(length=64), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('placed_by_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'awaiting_approval', 'approved', 'rejected', 'awaiting_provider', 'accepted', 'declined', 'expired', 'active', 'paused', 'completed', 'cancelled', name='order_status', native_enum=False, length=40), nullable=False),
    sa.Column('payment_method', sa.Enum('budget', 'card', 'split', name='payment_method', native_enum=False, length=40), nullable=False),
    sa.Column('card_payment', sa.Enum('awaiting_card_payment', 'paid', name='card_payment', native_enum=False, length=40), nullable=True),
    sa.Column('budget_id', sa.Integer(), nullable=True),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('funding_stream', sa.String(length=40), nullable=True),
    sa.Column('total_pence', sa.Integer(), nullable=False),
    sa.Column('weekly_pence', sa.Integer(), nullable=True),
    sa.Column('contribution_pence', sa.Integer(), nullable=False),
    sa.Column('committed_pence', sa.Integer(), nullable=False),
    sa.Column('approval_reasons', sa.JSON(), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('provider_reply_due_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("payment_method = 'card' OR budget_id IS NOT NULL", name=op.f('ck_orders_budget_when_paid_from_one')),
    sa.CheckConstraint('committed_pence >= 0', name=op.f('ck_orders_committed_not_negative')),
    sa.CheckConstraint('contribution_pence >= 0', name=op.f('ck_orders_contribution_not_negative')),
    sa.CheckConstraint('total_pence >= 0', name=op.f('ck_orders_total_not_negative')),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_orders_budget_id_budgets')),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_orders_buyer_id_users')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_orders_council_id_councils')),
    sa.ForeignKeyConstraint(['placed_by_id'], ['users.id'], name=op.f('fk_orders_placed_by_id_users')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider_organisations.id'], name=op.f('fk_orders_provider_id_provider_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_orders_idempotency_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_orders_reference'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_checkout_key'), ['checkout_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_council_id'), ['council_id'], unique=False)
        batch_op.create_index('ix_orders_provider_status', ['provider_id', 'status'], unique=False)
        batch_op.create_index('ix_orders_status_reply_due', ['status', 'provider_reply_due_at'], unique=False)

    op.create_table('basket_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('basket_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('price_seen_pence', sa.Integer(), nullable=False),
    sa.Column('added_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('one_off', 'recurring', name='schedule_kind', native_enum=False, length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('quantity_hundredths', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_basket_lines_dates_in_order')),
    sa.CheckConstraint('quantity_hundredths > 0', name=op.f('ck_basket_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['basket_id'], ['baskets.id'], name=op.f('fk_basket_lines_basket_id_baskets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_basket_lines_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_basket_lines'))
    )
    with op.batch_alter_table('basket_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_basket_lines_basket_id'), ['basket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_basket_lines_service_id'), ['service_id'], unique=False)

    op.create_table('order_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('submitted', 'awaiting_approval', 'approved', 'rejected', 'awaiting_provider', 'accepted', 'declined', 'expired', 'active', 'paused', 'completed', 'cancelled', name='order_event_from', native_enum=False, length=40), nullable=True),
    sa.Column('to_status', sa.Enum('submitted', 'awaiting_approval', 'approved', 'rejected', 'awaiting_provider', 'accepted', 'declined', 'expired', 'active', 'paused', 'completed', 'cancelled', name='order_event_to', native_enum=False, length=40), nullable=False),
    sa.Column('actor', sa.Enum('buyer', 'provider', 'officer', 'system', name='order_actor', native_enum=False, length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('acting_for_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['acting_for_id'], ['users.id'], name=op.f('fk_order_events_acting_for_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_order_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_events_order_id'), ['order_id'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('service_name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('unit', sa.Enum('hour', 'session', 'visit', 'day', 'night', 'week', 'item', name='order_line_unit', native_enum=False, length=40), nullable=False),
    sa.Column('unit_price_pence', sa.Integer(), nullable=False),
    sa.Column('price_basis', sa.Enum('public', 'council_rate', name='price_basis', native_enum=False, length=40), nullable=False),
    sa.Column('rate_council_id', sa.Integer(), nullable=True),
    sa.Column('public_price_pence', sa.Integer(), nullable=False),
    sa.Column('weekly_pence', sa.Integer(), nullable=True),
    sa.Column('total_pence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('one_off', 'recurring', name='schedule_kind', native_enum=False, length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('quantity_hundredths', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_order_lines_dates_in_order')),
    sa.CheckConstraint('quantity_hundredths > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.CheckConstraint('unit_price_pence >= 0', name=op.f('ck_order_lines_price_not_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rate_council_id'], ['councils.id'], name=op.f('fk_order_lines_rate_council_id_councils')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_order_lines_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_service_id'), ['service_id'], unique=False)


def downgrade():
    for table, indexes in (
        ('order_lines', ['ix_order_lines_service_id', 'ix_order_lines_order_id']),
        ('order_events', ['ix_order_events_order_id']),
        ('basket_lines', ['ix_basket_lines_service_id', 'ix_basket_lines_basket_id']),
        ('orders', ['ix_orders_status_reply_due', 'ix_orders_provider_status',
                    'ix_orders_council_id', 'ix_orders_checkout_key', 'ix_orders_buyer_id',
                    'ix_orders_budget_id']),
        ('baskets', []),
    ):
        if indexes:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for name in indexes:
                    batch_op.drop_index(name)
        op.drop_table(table)
