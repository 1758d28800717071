"""search: indexes for "covers my area", and search documents built once after a bulk load

Three indexes on ``search_documents`` let PostgreSQL find the documents that
cover a district without reading every document: ``areas`` (GIN, for "this
district is listed"), ``base_district`` and ``coverage_radius_km`` (btree, for
"the base is within the provider's radius"; the largest radius bounds the
districts to look at). On SQLite they are ordinary indexes (the tables stay
empty there).

On PostgreSQL the trigger function ``search_documents_touch`` is replaced by
one that does nothing while the transaction-local setting
``search.defer_refresh`` is ``on``: a bulk load (``flask demo seed --scale``)
sets it, inserts everything, switches it off and calls
``search_documents_refresh`` once for the services it added, instead of
refreshing every document once per inserted batch of services, availability
and funding streams. The documents are the same either way: they are a
function of the rows, built by the same function.

Revision ID: 2f6d8a4c1e97
Revises: 3c5e9a1f7b20
Create Date: 2026-11-23 03:00:00.000000
"""

from alembic import op

revision = '2f6d8a4c1e97'
down_revision = '3c5e9a1f7b20'
branch_labels = None
depends_on = None

REFRESHES = """
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
  RETURN NULL;"""

DEFERRABLE_TOUCH = f"""
CREATE OR REPLACE FUNCTION search_documents_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('search.defer_refresh', true), '') = 'on' THEN
    RETURN NULL;  -- a bulk load: it refreshes the documents itself when done
  END IF;{REFRESHES}
END
$$
"""

ORIGINAL_TOUCH = f"""
CREATE OR REPLACE FUNCTION search_documents_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN{REFRESHES}
END
$$
"""


def upgrade() -> None:
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_areas', ['areas'], unique=False,
                              postgresql_using='gin')
        batch_op.create_index('ix_search_documents_base_district', ['base_district'],
                              unique=False)
        batch_op.create_index('ix_search_documents_coverage_radius_km',
                              ['coverage_radius_km'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(DEFERRABLE_TOUCH)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(ORIGINAL_TOUCH)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_coverage_radius_km')
        batch_op.drop_index('ix_search_documents_base_district')
        batch_op.drop_index('ix_search_documents_areas', postgresql_using='gin')
