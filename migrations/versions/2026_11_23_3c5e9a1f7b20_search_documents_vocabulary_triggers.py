"""search: PostgreSQL full-text search documents, vocabulary and their triggers

The PostgreSQL search back end reads ``search_documents`` (one row per service,
a weighted English tsvector with a GIN index, and the facts search filters and
counts on; weekdays, languages and funding streams as bit masks) and ``search_words`` (the vocabulary of
listed services, with a pg_trgm trigram index for "did you mean").

On PostgreSQL this also creates the pg_trgm extension (trusted since PostgreSQL
13: the database owner may create it; older servers need a superuser), the
functions that build the rows, and statement-level triggers (with transition
tables, so bulk changes cost one statement each) on services, providers and
their languages, areas, availability and funding streams, which keep both tables
in step within the same transaction; then it fills them. Category names are
frozen here as English text (``search_category_words``), and so are the bits of
languages and funding streams (``search_language_bit``, ``search_stream_bit``,
mirrored in catalogue.search.postgres_backend; a test checks they agree): a
migration that changes the taxonomy must replace those functions and refresh
the documents.

On SQLite the two tables are created (one schema everywhere) but nothing else:
they stay empty, because SQLite sites use the whoosh back end. Downgrading drops
everything this created except the pg_trgm extension, which other objects may
use.

Revision ID: 3c5e9a1f7b20
Revises: 7d07ebf7ec7d
Create Date: 2026-11-23 00:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import marketplace.db


revision = '3c5e9a1f7b20'
down_revision = '7d07ebf7ec7d'
branch_labels = None
depends_on = None

CATEGORY_WORDS = [
        ('personal-care', 'Personal care at home'),
        ('getting-up-and-dressed', 'Getting up, washing and dressing Personal care at home'),
        ('medication-support', 'Help with medicines Personal care at home'),
        ('live-in-care', 'Live-in care Personal care at home'),
        ('night-care', 'Night care Personal care at home'),
        ('reablement', 'Reablement after hospital Personal care at home'),
        ('domestic-help', 'Domestic help'),
        ('cleaning-and-laundry', 'Cleaning and laundry Domestic help'),
        ('shopping', 'Shopping Domestic help'),
        ('meal-preparation', 'Cooking and meal preparation Domestic help'),
        ('personal-assistant', 'Personal assistants'),
        ('pa-everyday-support', 'Everyday support from a PA Personal assistants'),
        ('pa-going-out', 'A PA for going out and activities Personal assistants'),
        ('pa-work-and-study', 'A PA for work or study Personal assistants'),
        ('day-opportunities', 'Day opportunities'),
        ('day-centres', 'Day centres Day opportunities'),
        ('creative-and-skills', 'Creative and skills activities Day opportunities'),
        ('community-based-day-support', 'Community-based day support Day opportunities'),
        ('short-breaks', 'Short breaks and respite'),
        ('overnight-breaks', 'Overnight short breaks Short breaks and respite'),
        ('day-breaks', 'Day breaks Short breaks and respite'),
        ('sitting-for-carers', 'Sitting so a carer can have a break Short breaks and respite'),
        ('transport', 'Transport'),
        ('door-to-door', 'Door-to-door transport Transport'),
        ('travel-training', 'Travel training Transport'),
        ('equipment-and-technology', 'Equipment and technology'),
        ('daily-living-equipment', 'Daily living equipment Equipment and technology'),
        ('telecare', 'Telecare and alarms Equipment and technology'),
        ('assistive-technology', 'Assistive technology and IT help Equipment and technology'),
        ('leisure-and-social', 'Leisure and social activities'),
        ('clubs-and-groups', 'Clubs and groups Leisure and social activities'),
        ('sport-and-fitness', 'Sport and fitness Leisure and social activities'),
        ('arts-and-culture', 'Arts and culture Leisure and social activities'),
        ('learning-and-employment', 'Learning and employment'),
        ('courses', 'Courses and learning Learning and employment'),
        ('job-coaching', 'Job coaching and supported employment Learning and employment'),
        ('volunteering', 'Supported volunteering Learning and employment'),
        ('housing-support', 'Housing-related support'),
        ('tenancy-support', 'Help to keep a home Housing-related support'),
        ('floating-support', 'Floating support Housing-related support'),
        ('independent-living-skills', 'Independent living skills Housing-related support'),
        ('meals', 'Meals'),
        ('meals-delivered', 'Meals delivered Meals'),
        ('lunch-clubs', 'Lunch clubs Meals'),
        ('sitting-and-befriending', 'Sitting and befriending'),
        ('befriending', 'Befriending Sitting and befriending'),
        ('dementia-support', 'Dementia support Sitting and befriending'),
        ('gardening-and-handyperson', 'Gardening and handyperson'),
        ('gardening', 'Gardening Gardening and handyperson'),
        ('small-repairs', 'Small repairs and adaptations Gardening and handyperson'),
        ('advocacy', 'Advocacy'),
        ('independent-advocacy', 'Independent advocacy Advocacy'),
        ('peer-advocacy', 'Peer advocacy and support Advocacy'),
        ('support-planning', 'Support planning and brokerage'),
        ('support-planning-help', 'Help to make a support plan Support planning and brokerage'),
        ('brokerage', 'Brokerage Support planning and brokerage'),
        ('budget-management', 'Budget management and managed accounts'),
        ('managed-accounts', 'Managed accounts Budget management and managed accounts'),
        ('payroll-for-pas', 'Payroll for personal assistants Budget management and managed accounts'),
]

LANGUAGE_CODES = ['en', 'cy', 'bsl', 'ar', 'bn', 'gu', 'hi', 'pa', 'ur', 'pl', 'ro', 'so',
                  'ta', 'tr', 'pt', 'es', 'fr', 'zh', 'yo', 'tw', 'ti', 'fa', 'ku']
STREAM_CODES = ['adult_social_care', 'childrens_services', 'nhs_phb', 'ilf',
                'supporting_people', 'dfg', 'access_to_work', 'other']

WATCHED = [
    # (table, events)
    ('services', ('INSERT', 'UPDATE')),
    ('provider_organisations', ('UPDATE',)),
    ('service_availability', ('INSERT', 'UPDATE', 'DELETE')),
    ('service_funding_streams', ('INSERT', 'UPDATE', 'DELETE')),
    ('provider_languages', ('INSERT', 'UPDATE', 'DELETE')),
    ('provider_areas', ('INSERT', 'UPDATE', 'DELETE')),
]

DOCUMENT_TEXT = (
    "s.name || ' ' || p.name || ' ' || search_category_words(s.category) || ' ' "
    "|| coalesce(s.summary, '') || ' ' || coalesce(s.description, '')"
)

REFRESH = f"""
CREATE FUNCTION search_documents_refresh(ids integer[]) RETURNS void
LANGUAGE sql AS $$
DELETE FROM search_documents d
 WHERE d.service_id = ANY(ids)
   AND NOT EXISTS (SELECT 1 FROM services s WHERE s.id = d.service_id);
INSERT INTO search_documents AS d (service_id, listed, confirmed_at, document, category,
    price_pence, kind, cqc_registered, weekdays, languages, streams, base_district,
    coverage_radius_km, areas)
SELECT s.id,
       p.status = 'approved' AND s.status = 'published',
       s.last_confirmed_at,
       setweight(to_tsvector('english', s.name), 'A')
       || setweight(to_tsvector('english', p.name || ' ' || search_category_words(s.category)), 'B')
       || setweight(to_tsvector('english', coalesce(s.summary, '')), 'C')
       || setweight(to_tsvector('english', coalesce(s.description, '')), 'D'),
       s.category,
       s.price_pence,
       p.kind,
       coalesce(p.cqc_location_id, '') <> ''
         AND lower(trim(coalesce(p.cqc_status, 'Registered'))) = 'registered',
       (SELECT coalesce(bit_or(1 << a.weekday), 0) FROM service_availability a
         WHERE a.service_id = s.id)::smallint,
       (SELECT coalesce(bit_or(search_language_bit(l.language)), 0) FROM provider_languages l
         WHERE l.provider_id = p.id),
       (SELECT coalesce(bit_or(search_stream_bit(f.stream)), 0) FROM service_funding_streams f
         WHERE f.service_id = s.id),
       nullif(regexp_replace(upper(replace(coalesce(p.postcode, ''), ' ', '')),
                             '[0-9][A-Z]{{2}}$', ''), ''),
       p.coverage_radius_km,
       ARRAY(SELECT a.district FROM provider_areas a
              WHERE a.provider_id = p.id ORDER BY 1)::varchar(8)[]
  FROM services s JOIN provider_organisations p ON p.id = s.provider_id
 WHERE s.id = ANY(ids)
ON CONFLICT (service_id) DO UPDATE SET
    listed = EXCLUDED.listed, confirmed_at = EXCLUDED.confirmed_at,
    document = EXCLUDED.document, category = EXCLUDED.category,
    price_pence = EXCLUDED.price_pence, kind = EXCLUDED.kind,
    cqc_registered = EXCLUDED.cqc_registered, weekdays = EXCLUDED.weekdays,
    languages = EXCLUDED.languages, streams = EXCLUDED.streams,
    base_district = EXCLUDED.base_district,
    coverage_radius_km = EXCLUDED.coverage_radius_km, areas = EXCLUDED.areas
WHERE (d.listed, d.confirmed_at, d.document, d.category, d.price_pence, d.kind,
       d.cqc_registered, d.weekdays, d.languages, d.streams, d.base_district,
       d.coverage_radius_km, d.areas)
      IS DISTINCT FROM
      (EXCLUDED.listed, EXCLUDED.confirmed_at, EXCLUDED.document, EXCLUDED.category,
       EXCLUDED.price_pence, EXCLUDED.kind, EXCLUDED.cqc_registered, EXCLUDED.weekdays,
       EXCLUDED.languages, EXCLUDED.streams, EXCLUDED.base_district,
       EXCLUDED.coverage_radius_km, EXCLUDED.areas);
INSERT INTO search_words (word)
SELECT DISTINCT w.word
  FROM services s JOIN provider_organisations p ON p.id = s.provider_id,
       regexp_split_to_table(lower({DOCUMENT_TEXT}), '[^[:alnum:]]+') AS w(word)
 WHERE s.id = ANY(ids) AND p.status = 'approved' AND s.status = 'published'
   AND length(w.word) BETWEEN 3 AND 40
ON CONFLICT (word) DO NOTHING;
$$
"""

TOUCH = """
CREATE FUNCTION search_documents_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'services' THEN
    PERFORM search_documents_refresh(ARRAY(SELECT id FROM changed));
  ELSIF TG_TABLE_NAME IN ('service_availability', 'service_funding_streams') THEN
    PERFORM search_documents_refresh(ARRAY(SELECT DISTINCT service_id FROM changed));
  ELSIF TG_TABLE_NAME = 'provider_organisations' THEN
    PERFORM search_documents_refresh(ARRAY(
      SELECT s.id FROM services s WHERE s.provider_id IN (SELECT id FROM changed)));
  ELSE
    PERFORM search_documents_refresh(ARRAY(
      SELECT s.id FROM services s WHERE s.provider_id IN (SELECT provider_id FROM changed)));
  END IF;
  RETURN NULL;
END
$$
"""


def _category_function() -> str:
    cases = "\n".join(
        f"    WHEN '{slug}' THEN '{words}'" for slug, words in CATEGORY_WORDS)
    return ("CREATE FUNCTION search_category_words(slug text) RETURNS text\n"
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n"
            f"  SELECT CASE slug\n{cases}\n    ELSE replace(slug, '-', ' ') END\n$$")


def _bit_function(name: str, codes: list, sql_type: str) -> str:
    cases = " ".join(f"WHEN '{code}' THEN {1 << bit}" for bit, code in enumerate(codes))
    return (f"CREATE FUNCTION {name}(code text) RETURNS {sql_type}\n"
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n"
            f"  SELECT CAST(CASE code {cases} ELSE 0 END AS {sql_type})\n$$")


def _trigger_name(table: str, event: str) -> str:
    return f"search_documents_{table}_{event.lower()}"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('search_documents',
    sa.Column('service_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('document', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=True),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('price_pence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('cqc_registered', sa.Boolean(), nullable=False),
    sa.Column('weekdays', sa.SmallInteger(), nullable=False),
    sa.Column('languages', sa.BigInteger(), nullable=False),
    sa.Column('streams', sa.Integer(), nullable=False),
    sa.Column('base_district', sa.String(length=8), nullable=True),
    sa.Column('coverage_radius_km', sa.Integer(), nullable=True),
    sa.Column('areas', sa.JSON().with_variant(postgresql.ARRAY(sa.String(length=8)), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_search_documents_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_document', ['document'], unique=False, postgresql_using='gin')

    op.create_table('search_words',
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.create_index('ix_search_words_trigram', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})

    if not postgres:
        return
    op.execute(_category_function())
    op.execute(_bit_function('search_language_bit', LANGUAGE_CODES, 'bigint'))
    op.execute(_bit_function('search_stream_bit', STREAM_CODES, 'integer'))
    op.execute(REFRESH)
    op.execute(TOUCH)
    for table, events in WATCHED:
        for event in events:
            changed = 'OLD' if event == 'DELETE' else 'NEW'
            op.execute(
                f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
                f"REFERENCING {changed} TABLE AS changed FOR EACH STATEMENT "
                f"EXECUTE FUNCTION search_documents_touch()")
    op.execute("SELECT search_documents_refresh(ARRAY(SELECT id FROM services))")
    op.execute("ANALYZE search_documents")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, events in WATCHED:
            for event in events:
                op.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS search_documents_touch()")
        op.execute("DROP FUNCTION IF EXISTS search_documents_refresh(integer[])")
        op.execute("DROP FUNCTION IF EXISTS search_category_words(text)")
        op.execute("DROP FUNCTION IF EXISTS search_language_bit(text)")
        op.execute("DROP FUNCTION IF EXISTS search_stream_bit(text)")
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.drop_index('ix_search_words_trigram', postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})

    op.drop_table('search_words')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_document', postgresql_using='gin')

    op.drop_table('search_documents')
