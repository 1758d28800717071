"""Provider bank details: the owners keep them; staff see them masked; finance officers
of a council the provider has invoiced see them in full."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import ProviderMember, ProviderOrganisation
from catalogue.storefront.access import provider_for_member
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.invoicing.payments import bank, bank_bp, runs_bp
from marketplace.invoicing.payments.forms import BankDetailsForm
from marketplace.security import roles


@bank_bp.get("/bank-details")
@roles(Role.PROVIDER_STAFF)
def my_bank_details():
    member = db.session.scalar(select(ProviderMember).where(
        ProviderMember.user_id == current_user.id).order_by(ProviderMember.id).limit(1))
    if member is None:
        abort(404)
    return redirect(url_for("provider_bank.bank_details", provider_id=member.provider_id))


@bank_bp.route("/<int:provider_id>/bank-details", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def bank_details(provider_id: int):
    provider, member = provider_for_member(provider_id)
    owner = bank.is_owner(db.session, provider.id, current_user)
    details = bank.details_for(db.session, provider.id)
    if request.method == "POST" and not owner:
        g.forbidden_reason = _("Only the owners of %(name)s can change its bank details.",
                               name=provider.name)
        abort(403)
    form = BankDetailsForm(obj=details) if owner else None
    if owner and request.method == "GET" and details is not None:
        form.sort_code.data = details.sort_code_display
    if form is not None and form.validate_on_submit():
        _row, changed = bank.save(db.session, provider, current_user,
                                  account_name=form.account_name.data,
                                  sort_code=form.sort_code.data,
                                  account_number=form.account_number.data)
        db.session.commit()
        if changed:
            flash(_("Your bank details have been saved. We have emailed the owners of "
                    "%(name)s to say they changed.", name=provider.name), "success")
        else:
            flash(_("Nothing changed: these are the bank details we already had."), "info")
        return redirect(url_for("provider_bank.bank_details", provider_id=provider.id))
    status = 400 if form is not None and form.errors else 200
    return render_template("invoicing/payments/bank_details.html", provider=provider,
                           details=details, form=form, owner=owner), status


@runs_bp.get("/providers/<int:provider_id>/bank-details")
@roles(Role.FINANCE_OFFICER)
def provider_bank_details(provider_id: int):
    """A finance officer checks where a provider is paid (their own council's only)."""
    provider = db.session.get(ProviderOrganisation, provider_id)
    if provider is None:
        abort(404)
    if not bank.may_see_in_full(db.session, provider.id, current_user):
        g.forbidden_reason = _("You can see the bank details of providers that have "
                               "invoiced your council only.")
        abort(403)
    return render_template("invoicing/payments/finance_bank_details.html", provider=provider,
                           details=bank.details_for(db.session, provider.id))
