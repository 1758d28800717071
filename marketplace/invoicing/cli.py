"""Commands: ``flask invoices run`` (safe to run twice, or again after a crash) and
``flask finance reconcile``."""

from __future__ import annotations

from datetime import date

import click

from marketplace.db import db
from marketplace.invoicing.reconcile import reconcile
from marketplace.invoicing.runs import run_due
from marketplace.money import format_pence
from marketplace.security import today


def _date(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use a date like 2026-06-30") from exc


def init_cli(app) -> None:
    @app.cli.group("invoices")
    def invoices_cli():
        """Invoice commands."""

    @invoices_cli.command("run")
    @click.option("--provider", "provider_id", type=int, help="Only this provider (its id).")
    @click.option("--until", callback=_date, help="Bill periods ended by this date "
                  "(YYYY-MM-DD; default today).")
    def run(provider_id, until):
        """Invoice delivered, undisputed support for every billing period that has ended."""
        result = run_due(db.session, until=until or today(), provider_id=provider_id)
        click.echo(f"invoices and statements created: {result.count} "
                   f"(provider-periods: {result.periods})")
        for provider, start, message in result.failures:
            click.echo(f"not invoiced: provider {provider}, period from {start}: {message}",
                       err=True)

    @app.cli.group("finance")
    def finance_cli():
        """Finance commands."""

    @finance_cli.command("reconcile")
    @click.option("--from", "start", callback=_date, help="Invoices issued from (YYYY-MM-DD).")
    @click.option("--to", "end", callback=_date, help="Invoices issued to (YYYY-MM-DD).")
    def reconcile_cmd(start, end):
        """Check that the ledger, invoices, credit notes and payments agree."""
        result = reconcile(db.session, start, end)
        click.echo("provider\tpayer\tbudget\tinvoiced\tcredited\tpaid\tsettled\tledger spent")
        for row in result.rows:
            click.echo("\t".join([
                row.provider_name, row.payer_name, str(row.budget_id or "-"),
                format_pence(row.invoiced_pence), format_pence(row.credited_pence),
                format_pence(row.paid_pence), format_pence(row.settled_pence),
                format_pence(row.ledger_spent_pence)]))
        if result.agrees:
            click.echo("Everything agrees.")
            return
        for difference in result.differences:
            click.echo(f"DIFFERENCE {difference.document} (budget {difference.budget_id}, "
                       f"provider {difference.provider_id}): {difference.what}", err=True)
        raise SystemExit(1)
