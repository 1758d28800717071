"""The schema comes only from the migrations: they must agree with the models,
and every migration must downgrade cleanly, on whichever database the suite runs."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from marketplace.cli import alembic_config
from marketplace.db import make_engine
from marketplace.models import metadata
from tests.conftest import _database_url, recreate_database


@pytest.fixture()
def scratch_url(tmp_root):
    url = _database_url(tmp_root, "migrations")
    recreate_database(url)
    return url


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_models_and_migrations_agree(scratch_url):
    command.upgrade(alembic_config(scratch_url), "heads")
    assert _differences(scratch_url) == []
    assert _tables(scratch_url) == set(metadata.tables)


def test_every_migration_downgrades_and_upgrades_again(scratch_url):
    config = alembic_config(scratch_url)
    script = ScriptDirectory.from_config(config)
    revisions = list(script.walk_revisions())
    assert revisions, "there must be at least one migration"
    command.upgrade(config, "heads")
    # Step down one revision at a time, newest first; feature branches may run in
    # parallel (several heads), so each step names the revision it undoes.
    for revision in revisions:
        command.downgrade(config, f"{revision.revision}@{revision.revision}-1")
    assert _tables(scratch_url) == set()
    command.upgrade(config, "heads")
    assert _differences(scratch_url) == []


def test_no_table_is_created_outside_the_migrations():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(  # noqa: S603
        ["grep", "-rn", "create_all", str(root / "marketplace"), str(root / "catalogue"),  # noqa: S607
         str(root / "app.py")], capture_output=True, text=True, check=False)
    assert found.stdout == ""


def test_upgrading_keeps_the_rows_already_there(scratch_url):
    """Batch migrations on SQLite rebuild tables; no row may be lost on the way."""
    from sqlalchemy import text

    config = alembic_config(scratch_url)
    first = list(ScriptDirectory.from_config(config).walk_revisions())[-1].revision
    command.upgrade(config, first)
    engine = make_engine(scratch_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO provider_organisations (id, name, kind, description, status, "
                "created_at) VALUES (1, 'Kept Ltd', 'agency', '', 'approved', "
                "CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO services (id, provider_id, name, summary, category, unit, "
                "price_pence, status, created_at) VALUES (1, 1, 'Kept care', '', "
                "'personal-care', 'hour', 2000, 'published', CURRENT_TIMESTAMP)"))
        command.upgrade(config, "heads")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM services")).scalars().all() == [
                "Kept care"]
            assert conn.execute(text(
                "SELECT min_booking_units FROM services")).scalar() == 1
    finally:
        engine.dispose()
