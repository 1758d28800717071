"""`flask community import-oruk FILE`: load an Open Referral UK 3.0 feed (a JSON list
of full service objects, or a paged list) into the Community Catalogue.

Everything is checked first; a file with any problem is reported item by item
(which item, which field, what is wrong) and nothing is imported. Otherwise the
whole feed is written in one transaction. Re-importing updates what the uuids
match. ``--approve`` creates new organisations approved and new listings
published; without it they wait for a moderator.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from catalogue.community.vocabulary import is_category
from catalogue.models import CommunityKind
from catalogue.oruk.feed import FeedError
from catalogue.oruk.importer import ImportRefused, import_feed
from catalogue.oruk.reading import parse_feed
from marketplace.db import db, utcnow


def _council_id(slug: str | None) -> int | None:
    from marketplace.accounts.models import Council

    if slug:
        council = db.session.scalar(select(Council).where(Council.slug == slug))
        if council is None:
            raise click.ClickException(f"There is no council {slug!r}. Nothing was imported.")
        return council.id
    councils = db.session.scalars(select(Council.id).limit(2)).all()
    return councils[0] if len(councils) == 1 else None


def _refuse(problems, file: Path) -> None:
    for item, field, message in problems:
        click.echo(f"{item}: {field + ': ' if field else ''}{message}", err=True)
    raise click.ClickException(f"{file.name} has {len(problems)} problem(s). "
                               f"Nothing was imported.")


@click.command("import-oruk")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--approve", is_flag=True,
              help="Create new organisations approved and new listings published "
                   "(otherwise they wait for a moderator).")
@click.option("--council", "council_slug", help="The council (slug) new organisations belong "
                                                "to; the only council if there is one.")
@click.option("--kind", "default_kind", default=CommunityKind.ADVICE_SERVICE.value,
              type=click.Choice([kind.value for kind in CommunityKind]), show_default=True,
              help="The kind of listing for services that name none of ours.")
@click.option("--category", "default_category", default="advice-and-information",
              show_default=True, help="The category for services that name none of ours.")
@click.option("--dry-run", is_flag=True, help="Check and report, but change nothing.")
@with_appcontext
def import_oruk(file: Path, approve: bool, council_slug: str | None, default_kind: str,
                default_category: str, dry_run: bool):
    """Import an Open Referral UK 3.0 feed (JSON) into the Community Catalogue."""
    if not is_category(default_category):
        raise click.ClickException(f"{default_category!r} is not a community category.")
    try:
        feed = parse_feed(file.read_bytes(), CommunityKind(default_kind), default_category)
    except FeedError as exc:
        _refuse(exc.problems, file)
    council_id = _council_id(council_slug)
    try:
        result = import_feed(db.session, feed, approve=approve, council_id=council_id,
                             now=utcnow())
    except ImportRefused as exc:
        db.session.rollback()
        _refuse(exc.problems, file)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for name in result.organisations_created:
        click.echo(f"New organisation: {name}"
                   + ("" if approve else " (waiting for a moderator)"))
    for name in result.created:
        click.echo(f"Created: {name}")
    for name in result.updated:
        click.echo(f"Updated: {name}")
    for item, why in result.skipped:
        click.echo(f"Skipped {item}: {why}")
    for item, note in result.notes:
        click.echo(f"Note on {item}: {note}")
    click.echo(f"{len(result.created)} listing(s) created, {len(result.updated)} updated, "
               f"{len(result.skipped)} skipped"
               + (" (dry run: nothing was changed)." if dry_run else "."))


def register_cli(app) -> None:
    """Add the command to the app's `community` command group (made if not there yet)."""
    group = app.cli.commands.get("community")
    if not isinstance(group, click.Group):
        group = AppGroup("community", help="Community Catalogue commands.")
        app.cli.add_command(group)
    group.add_command(import_oruk)
