"""Alembic environment: the URL comes from the app's configuration."""

from __future__ import annotations

import os

from alembic import context

from marketplace.db import make_engine
from marketplace.models import metadata

config = context.config


def _url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
    if not url:
        from marketplace import create_app

        url = create_app().config["DATABASE_URL"]
    return url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations copy and drop tables; with foreign keys on, dropping a
        # parent table would cascade-delete its children's rows. Switch them off
        # (only possible outside a transaction) and check integrity afterwards.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    _migrate(connection)
    if sqlite:
        broken = connection.connection.dbapi_connection.execute(
            "PRAGMA foreign_key_check").fetchall()
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
