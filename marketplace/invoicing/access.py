"""Who may see an invoice (or credit note, or statement).

- provider staff: their own provider's documents;
- finance officers: documents of their council (council-managed, managed account,
  direct payment and contribution invoices of budgets it funds, ISF statements);
- the person (or a representative with MONEY scope): documents addressed to them.

404 when there is no such document or it is someone else's (never confirm that
someone else's invoice exists); commissioners see nothing personal.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import MemberRole, ProviderMember
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.invoicing.models import Invoice


def invoice_or_404(invoice_id: int) -> Invoice:
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None:
        abort(404)
    return invoice


def member_provider_ids() -> set[int]:
    return set(db.session.scalars(select(ProviderMember.provider_id)
                                  .where(ProviderMember.user_id == current_user.id)))


def owned_provider_ids() -> set[int]:
    return set(db.session.scalars(select(ProviderMember.provider_id).where(
        ProviderMember.user_id == current_user.id,
        ProviderMember.member_role == MemberRole.OWNER)))


def finance_council_ids() -> set[int]:
    return current_user.council_ids_for(Role.FINANCE_OFFICER)


def providers_invoice(invoice_id: int) -> Invoice:
    invoice = invoice_or_404(invoice_id)
    if invoice.provider_id not in member_provider_ids():
        abort(404)
    return invoice


def councils_invoice(invoice_id: int) -> Invoice:
    invoice = invoice_or_404(invoice_id)
    if invoice.council_id is None or invoice.council_id not in finance_council_ids():
        abort(404)
    return invoice


def persons_invoice(invoice_id: int) -> Invoice:
    invoice = invoice_or_404(invoice_id)
    if invoice.payer_user_id is None or invoice.payer_user_id != g.person.id:
        abort(404)
    return invoice
