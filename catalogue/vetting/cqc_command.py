"""`flask catalogue import-cqc FILE`: update providers' CQC registration from a file
in the CQC public API's location shape (see ``catalogue.cqc``)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from catalogue.cqc import CqcFileError, apply_locations, parse_locations
from marketplace.db import db

LABELS = {"cqc_status": "status", "cqc_rating": "rating", "cqc_rating_date": "report date"}


def _shown(value) -> str:
    if value is None:
        return "(none)"
    return getattr(value, "value", None) or str(value)


@click.command("import-cqc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_cqc(file: Path):
    """Update providers' CQC status and rating from a CQC API JSON file."""
    try:
        locations = parse_locations(file.read_bytes())
    except CqcFileError as exc:
        raise click.ClickException(f"{file.name} was not imported, nothing changed: {exc}"
                                   ) from exc
    result = apply_locations(db.session, locations)
    db.session.commit()
    for change in result.changed:
        parts = [f"{LABELS[attr]} {_shown(old)} -> {_shown(new)}"
                 for attr, old, new in change.changes]
        if change.check_cleared:
            parts.append("no longer registered: the council's CQC check was cleared")
        click.echo(f"Updated {change.provider_name} ({change.location_id}): "
                   + "; ".join(parts))
    for name in result.unchanged:
        click.echo(f"Unchanged: {name}")
    for location_id in result.unmatched:
        click.echo(f"No provider has CQC location {location_id}: skipped")
    click.echo(f"{len(locations)} location(s) read, {len(result.changed)} provider(s) updated, "
               f"{len(result.unmatched)} location(s) matched no provider.")


def register_cli(app) -> None:
    """Add the command to the app's `catalogue` command group (made if not there yet)."""
    group = app.cli.commands.get("catalogue")
    if not isinstance(group, click.Group):
        group = AppGroup("catalogue", help="Catalogue commands.")
        app.cli.add_command(group)
    group.add_command(import_cqc)
