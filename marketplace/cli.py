"""Command-line tools: `flask db ...` (Alembic) and `flask demo ...`."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url or current_app.config["DATABASE_URL"]
    return cfg


def init_cli(app) -> None:
    @app.cli.group("db")
    def db_cli():
        """Database schema (Alembic migrations)."""

    @db_cli.command("upgrade")
    @click.argument("revision", default="heads")
    def upgrade(revision):
        """Upgrade the schema to a revision (default: the newest)."""
        command.upgrade(alembic_config(), revision)

    @db_cli.command("downgrade")
    @click.argument("revision", default="-1")
    def downgrade(revision):
        """Downgrade the schema (default: one step)."""
        command.downgrade(alembic_config(), revision)

    @db_cli.command("current")
    def current():
        """Show the schema's current revision."""
        command.current(alembic_config(), verbose=True)

    @db_cli.command("revision")
    @click.option("-m", "--message", required=True)
    def revision(message):
        """Write a new migration from the difference between models and schema."""
        command.revision(alembic_config(), message=message, autogenerate=True)

    from marketplace.demo import register_demo_cli

    register_demo_cli(app)
