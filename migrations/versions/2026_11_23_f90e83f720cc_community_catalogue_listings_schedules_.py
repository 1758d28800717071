"""community: listings, locations, schedules, moderation queue and reports

The Community Catalogue's listings (ORUK "service"), the places they happen at
(ORUK "location" and "service_at_location"), their schedules (ORUK "schedule":
one-off, weekly or monthly), the moderators' queue and problems reported with
listings. Community organisations gain a ``uuid`` (filled for existing rows, then
made NOT NULL and unique), a website and the reason for a decision about them.

Revision ID: f90e83f720cc
Revises: 3c5e9a1f7b20
Create Date: 2026-11-23 01:44:49.884233
"""

from uuid import uuid4

from alembic import op
import sqlalchemy as sa
import marketplace.db


revision = 'f90e83f720cc'
down_revision = '3c5e9a1f7b20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('community_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('club_or_group', 'drop_in', 'event', 'class', 'place_of_worship', 'time_bank', 'volunteering', 'advice_service', 'public_service', name='community_kind', native_enum=False, length=40), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('cost_pence', sa.Integer(), nullable=True),
    sa.Column('cost_description', sa.String(length=300), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('circumstances', sa.JSON(), nullable=False),
    sa.Column('accessibility', sa.JSON(), nullable=False),
    sa.Column('accessibility_notes', sa.Text(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'rejected', 'withdrawn', name='community_listing_status', native_enum=False, length=40), nullable=False),
    sa.Column('moderation_note', sa.String(length=1000), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('last_confirmed_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminder_sent_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cost_pence IS NULL OR cost_pence > 0', name=op.f('ck_community_listings_cost_positive_or_free')),
    sa.CheckConstraint('min_age IS NULL OR max_age IS NULL OR min_age <= max_age', name=op.f('ck_community_listings_ages_in_order')),
    sa.CheckConstraint('min_age IS NULL OR min_age >= 0', name=op.f('ck_community_listings_min_age_not_negative')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_community_listings_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['community_organisations.id'], name=op.f('fk_community_listings_organisation_id_community_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_listings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_community_listings_uuid'))
    )
    with op.batch_alter_table('community_listings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_listings_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_listings_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_listings_status'), ['status'], unique=False)
        batch_op.create_index('ix_community_listings_status_confirmed', ['status', 'last_confirmed_at'], unique=False)

    op.create_table('community_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('location_type', sa.Enum('physical', 'virtual', name='community_location_type', native_enum=False, length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('address_1', sa.String(length=200), nullable=False),
    sa.Column('address_2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['community_organisations.id'], name=op.f('fk_community_locations_organisation_id_community_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_locations')),
    sa.UniqueConstraint('uuid', name=op.f('uq_community_locations_uuid'))
    )
    with op.batch_alter_table('community_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_locations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_locations_postcode'), ['postcode'], unique=False)

    op.create_table('community_listing_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['community_listings.id'], name=op.f('fk_community_listing_locations_listing_id_community_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['community_locations.id'], name=op.f('fk_community_listing_locations_location_id_community_locations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_listing_locations')),
    sa.UniqueConstraint('listing_id', 'location_id', name='uq_community_listing_locations_pair'),
    sa.UniqueConstraint('uuid', name=op.f('uq_community_listing_locations_uuid'))
    )
    with op.batch_alter_table('community_listing_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_listing_locations_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_listing_locations_location_id'), ['location_id'], unique=False)

    op.create_table('community_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('wrong_details', 'wrong_times', 'no_longer_running', 'cost_wrong', 'concern', 'other', name='community_report_reason', native_enum=False, length=40), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('status', sa.Enum('open', 'closed', name='report_status', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_community_reports_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['community_listings.id'], name=op.f('fk_community_reports_listing_id_community_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_reports'))
    )
    with op.batch_alter_table('community_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_reports_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_reports_status'), ['status'], unique=False)

    op.create_table('community_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('new_organisation', 'new_listing', 'changed_listing', name='community_review_kind', native_enum=False, length=40), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='report_status', native_enum=False, length=40), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'rejected', 'accepted', 'superseded', name='community_review_outcome', native_enum=False, length=40), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_community_reviews_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_community_reviews_council_id_councils')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_community_reviews_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['community_listings.id'], name=op.f('fk_community_reviews_listing_id_community_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['community_organisations.id'], name=op.f('fk_community_reviews_organisation_id_community_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_reviews'))
    )
    with op.batch_alter_table('community_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_community_reviews_council_status', ['council_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_reviews_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_reviews_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('community_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('listing_location_id', sa.Integer(), nullable=True),
    sa.Column('freq', sa.Enum('once', 'weekly', 'monthly', name='schedule_freq', native_enum=False, length=40), nullable=False),
    sa.Column('interval', sa.Integer(), nullable=False),
    sa.Column('byday', sa.String(length=60), nullable=False),
    sa.Column('bymonthday', sa.String(length=60), nullable=False),
    sa.Column('dtstart', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('opens_at', sa.Time(), nullable=True),
    sa.Column('closes_at', sa.Time(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.CheckConstraint("freq <> 'once' OR dtstart IS NOT NULL", name=op.f('ck_community_schedules_one_off_has_date')),
    sa.CheckConstraint('dtstart IS NULL OR until IS NULL OR dtstart <= until', name=op.f('ck_community_schedules_dates_in_order')),
    sa.CheckConstraint('interval >= 1', name=op.f('ck_community_schedules_interval_positive')),
    sa.CheckConstraint('opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at', name=op.f('ck_community_schedules_times_in_order')),
    sa.CheckConstraint('valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to', name=op.f('ck_community_schedules_validity_in_order')),
    sa.ForeignKeyConstraint(['listing_id'], ['community_listings.id'], name=op.f('fk_community_schedules_listing_id_community_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_location_id'], ['community_listing_locations.id'], name=op.f('fk_community_schedules_listing_location_id_community_listing_locations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_schedules')),
    sa.UniqueConstraint('uuid', name=op.f('uq_community_schedules_uuid'))
    )
    with op.batch_alter_table('community_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_schedules_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_schedules_listing_location_id'), ['listing_location_id'], unique=False)

    with op.batch_alter_table('community_organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uuid', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('website', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('status_reason', sa.String(length=1000), nullable=True))

    bind = op.get_bind()
    organisations = sa.table('community_organisations', sa.column('id', sa.Integer),
                             sa.column('uuid', sa.String))
    for (row_id,) in bind.execute(sa.select(organisations.c.id)).all():
        bind.execute(organisations.update().where(organisations.c.id == row_id)
                     .values(uuid=str(uuid4())))

    with op.batch_alter_table('community_organisations', schema=None) as batch_op:
        batch_op.alter_column('uuid', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_community_organisations_uuid'), ['uuid'])



def downgrade() -> None:
    with op.batch_alter_table('community_organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_community_organisations_uuid'), type_='unique')
        batch_op.drop_column('status_reason')
        batch_op.drop_column('website')
        batch_op.drop_column('uuid')

    with op.batch_alter_table('community_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_schedules_listing_location_id'))
        batch_op.drop_index(batch_op.f('ix_community_schedules_listing_id'))

    op.drop_table('community_schedules')
    with op.batch_alter_table('community_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_reviews_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_community_reviews_listing_id'))
        batch_op.drop_index('ix_community_reviews_council_status')

    op.drop_table('community_reviews')
    with op.batch_alter_table('community_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_reports_status'))
        batch_op.drop_index(batch_op.f('ix_community_reports_listing_id'))

    op.drop_table('community_reports')
    with op.batch_alter_table('community_listing_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_listing_locations_location_id'))
        batch_op.drop_index(batch_op.f('ix_community_listing_locations_listing_id'))

    op.drop_table('community_listing_locations')
    with op.batch_alter_table('community_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_locations_postcode'))
        batch_op.drop_index(batch_op.f('ix_community_locations_organisation_id'))

    op.drop_table('community_locations')
    with op.batch_alter_table('community_listings', schema=None) as batch_op:
        batch_op.drop_index('ix_community_listings_status_confirmed')
        batch_op.drop_index(batch_op.f('ix_community_listings_status'))
        batch_op.drop_index(batch_op.f('ix_community_listings_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_community_listings_category'))

    op.drop_table('community_listings')
