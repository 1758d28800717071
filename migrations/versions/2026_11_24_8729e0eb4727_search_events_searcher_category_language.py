"""search log: who searched (a keyed hash, never the person), category and language
as indexed columns, for the commissioners' market-gap report

``searcher_key`` tells searches by different people apart (an HMAC of the person's
id, or of a random id kept in a visitor's session) so that only words searched by
at least five different people are ever shown. ``category`` and ``language`` copy
those filters out of the ``filters`` JSON (existing rows are filled in here) so the
report groups on indexed columns instead of reading JSON.

Revision ID: 8729e0eb4727
Revises: 2f6d8a4c1e97
Create Date: 2026-11-24 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '8729e0eb4727'
down_revision = '2f6d8a4c1e97'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('search_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('searcher_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE search_events SET category = left(filters->>'category', 80), "
                   "language = left(filters->>'language', 8) "
                   "WHERE filters->>'category' IS NOT NULL OR filters->>'language' IS NOT NULL")
    else:
        op.execute("UPDATE search_events SET "
                   "category = substr(json_extract(filters, '$.category'), 1, 80), "
                   "language = substr(json_extract(filters, '$.language'), 1, 8) "
                   "WHERE json_extract(filters, '$.category') IS NOT NULL "
                   "OR json_extract(filters, '$.language') IS NOT NULL")
    with op.batch_alter_table('search_events', schema=None) as batch_op:
        batch_op.create_index('ix_search_events_council_category_at',
                              ['council_id', 'category', 'at'], unique=False)
        batch_op.create_index('ix_search_events_searcher_at', ['searcher_key', 'at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('search_events', schema=None) as batch_op:
        batch_op.drop_index('ix_search_events_searcher_at')
        batch_op.drop_index('ix_search_events_council_category_at')
        batch_op.drop_column('language')
        batch_op.drop_column('category')
        batch_op.drop_column('searcher_key')
