"""Provider bank details: checking them, saving them, and who may see them in full.

Full details are shown only to the provider's owners and to finance officers of a
council the provider has invoiced; everyone else (provider staff, say) sees them
masked (``****5678``). Every change is audited by the flush hook and e-mailed to the
provider's owners (``save`` queues the e-mail in the same transaction).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from catalogue.models import MemberRole, ProviderMember, ProviderOrganisation
from marketplace.accounts.roles import Role
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.payments.models import BankDetails
from marketplace.mail import email_user

_SEPARATORS = re.compile(r"[\s-]+")
# What BACS allows in a payee name.
_NAME = re.compile(r"^[A-Za-z0-9 .&/'-]+$")


class BankDetailsError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def clean_sort_code(text: str | None) -> str:
    """'12-34-56', '12 34 56' or '123456' -> '123456'."""
    raw = (text or "").strip()
    if not raw:
        raise BankDetailsError("sort_code", _l("Enter the sort code"))
    digits = _SEPARATORS.sub("", raw)
    if not re.fullmatch(r"\d{6}", digits):
        raise BankDetailsError("sort_code", _l(
            "Enter a valid sort code: 6 digits, like 12-34-56"))
    return digits


def clean_account_number(text: str | None) -> str:
    raw = (text or "").strip()
    if not raw:
        raise BankDetailsError("account_number", _l("Enter the account number"))
    digits = _SEPARATORS.sub("", raw)
    if not re.fullmatch(r"\d{8}", digits):
        raise BankDetailsError("account_number", _l(
            "Enter a valid account number: 8 digits, like 12345678"))
    return digits


def clean_account_name(text: str | None) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise BankDetailsError("account_name", _l("Enter the name on the account"))
    if len(name) > 140:
        raise BankDetailsError("account_name", _l(
            "The name on the account must be 140 characters or fewer"))
    if not _NAME.match(name):
        raise BankDetailsError("account_name", _l(
            "The name on the account can only include letters, numbers, spaces and "
            ". & / ' -"))
    return name


def details_for(session: Session, provider_id: int) -> BankDetails | None:
    return session.scalar(select(BankDetails).where(BankDetails.provider_id == provider_id))


def _owner_users(session: Session, provider: ProviderOrganisation) -> list:
    from marketplace.accounts.models import User

    return list(session.scalars(
        select(User).join(ProviderMember, ProviderMember.user_id == User.id)
        .where(ProviderMember.provider_id == provider.id,
               ProviderMember.member_role == MemberRole.OWNER).order_by(User.id)))


def save(session: Session, provider: ProviderOrganisation, actor, *, account_name: str,
         sort_code: str, account_number: str) -> tuple[BankDetails, bool]:
    """Check and save the details; (row, changed). Raises ``BankDetailsError``."""
    name = clean_account_name(account_name)
    sort = clean_sort_code(sort_code)
    number = clean_account_number(account_number)
    row = details_for(session, provider.id)
    if row is not None and (row.account_name, row.sort_code, row.account_number) == (
            name, sort, number):
        return row, False
    if row is None:
        row = BankDetails(provider_id=provider.id, account_name=name, sort_code=sort,
                          account_number=number, updated_by_id=actor.id)
        session.add(row)
    else:
        row.account_name, row.sort_code, row.account_number = name, sort, number
        row.updated_by_id = actor.id
    session.flush()
    for owner in _owner_users(session, provider):
        email_user(session, owner, _l("The bank details of %(name)s were changed",
                                      name=provider.name),
                   "invoicing/payments/email/bank_details_changed.txt", provider=provider,
                   details=row, changed_by=actor)
    return row, True


def invoices_council(session: Session, provider_id: int, council_ids: set[int]) -> bool:
    if not council_ids:
        return False
    return bool(session.scalar(select(exists().where(
        Invoice.provider_id == provider_id, Invoice.council_id.in_(council_ids)))))


def is_owner(session: Session, provider_id: int, user) -> bool:
    return bool(session.scalar(select(exists().where(
        ProviderMember.provider_id == provider_id, ProviderMember.user_id == user.id,
        ProviderMember.member_role == MemberRole.OWNER))))


def may_see_in_full(session: Session, provider_id: int, user) -> bool:
    """The provider's owners, and finance officers of a council it has invoiced."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_owner(session, provider_id, user):
        return True
    return invoices_council(session, provider_id, user.council_ids_for(Role.FINANCE_OFFICER))
