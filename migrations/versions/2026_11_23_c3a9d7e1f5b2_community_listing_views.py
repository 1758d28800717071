"""community: a daily count of views of each community listing, for the
commissioners' take-up report (no person, session or time of day is kept)

Revision ID: c3a9d7e1f5b2
Revises: f90e83f720cc
Create Date: 2026-11-23 09:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'c3a9d7e1f5b2'
down_revision = 'f90e83f720cc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('community_listing_views',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.CheckConstraint('views > 0', name=op.f('ck_community_listing_views_views_positive')),
    sa.ForeignKeyConstraint(['listing_id'], ['community_listings.id'],
                            name=op.f('fk_community_listing_views_listing_id_community_listings'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', 'day', name=op.f('pk_community_listing_views'))
    )
    with op.batch_alter_table('community_listing_views', schema=None) as batch_op:
        batch_op.create_index('ix_community_listing_views_day', ['day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('community_listing_views', schema=None) as batch_op:
        batch_op.drop_index('ix_community_listing_views_day')
    op.drop_table('community_listing_views')
