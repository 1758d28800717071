"""ordering: a reason code on order events (why a provider declined or a person
cancelled), so commissioners' reports can count reasons without free text

Revision ID: 5e1f0a9c3b72
Revises: 9a4c7e2b5d18
Create Date: 2026-11-24 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5e1f0a9c3b72'
down_revision = '9a4c7e2b5d18'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_column('reason_code')
