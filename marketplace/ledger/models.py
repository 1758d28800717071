"""The budget ledger: a transfer header and its balanced legs, never changed once posted.

Two things are kept apart: spending power (what the budget may still commit) and cash
(money actually paid into the budget's account). Commitments are made against the
agreed allocation for the period, never against the cash received so far, so a
council-managed budget, into which nobody pays anything, can buy too.

Accounts (``LedgerAccount``), kept apart by funding stream (the transfer's ``stream``).
The budget's spending power:

- ``available``: allocation not yet set aside or spent: free to commit;
- ``committed``: money set aside for orders not yet invoiced;
- ``spent``: money paid out for invoices (less refunds);

the budget's cash:

- ``received``: money paid into the budget's account (instalments and contributions);

and the external accounts the money comes from, or goes back to:

- ``funder``: the council or NHS body, which allocates the budget and pays the
  instalments;
- ``person``: the budget holder, for their own contribution paid in.

Legs are signed (money into an account is positive) and the legs of one transfer
sum to zero. So for any budget and stream, at any date:

    contributions = -person
    instalments   = received - contributions
    allocated     = -(funder + person + received)      (= -funder - instalments)
    available + committed + spent = allocated          (money is moved, never made)
    cash held     = received - spent                   (what a statement shows)

Movements, as legs:

==============  ==============================================================
allocation      available +x, funder -x   (a reduction: available -x, funder +x)
instalment      received +x, funder -x    (cash: no change to available)
contribution    received +x, person -x    (cash: no change to available)
commitment      committed +x, available -x
release         available +x, committed -x
settlement      spent +x, committed -y, available y-x (a difference, shown)
refund          available +x, spent -x
correction      the legs of the transfer it reverses, negated
==============  ==============================================================

The allocation is posted only by agreeing or changing the agreed amount or the
stream shares (marketplace.budgets.services), as the difference from what is already
allocated; it is never corrected by a reversing entry.

Available, committed, spent and received may never be negative for a budget and
stream. Nothing is updated or deleted: the ORM refuses it (``guards``) and on
PostgreSQL so do triggers, with a deferred constraint trigger that checks each
transfer balances and leaves no account negative (see the migration).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.taxonomy import FundingStream
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class TransferKind(StrEnum):
    ALLOCATION = "allocation"
    INSTALMENT = "instalment"
    CONTRIBUTION = "contribution"
    COMMITMENT = "commitment"
    RELEASE = "release"
    SETTLEMENT = "settlement"
    REFUND = "refund"
    CORRECTION = "correction"

    @property
    def label(self):
        return TRANSFER_KIND_LABELS[self]


TRANSFER_KIND_LABELS = {
    TransferKind.ALLOCATION: _l("Allocation agreed or changed"),
    TransferKind.INSTALMENT: _l("Payment received"),
    TransferKind.CONTRIBUTION: _l("Own contribution received"),
    TransferKind.COMMITMENT: _l("Money set aside for an order"),
    TransferKind.RELEASE: _l("Money set aside released"),
    TransferKind.SETTLEMENT: _l("Invoice paid"),
    TransferKind.REFUND: _l("Refund"),
    TransferKind.CORRECTION: _l("Correction"),
}


class LedgerAccount(StrEnum):
    AVAILABLE = "available"
    COMMITTED = "committed"
    SPENT = "spent"
    RECEIVED = "received"
    FUNDER = "funder"
    PERSON = "person"


BUDGET_ACCOUNTS = (LedgerAccount.AVAILABLE, LedgerAccount.COMMITTED, LedgerAccount.SPENT)
CASH_ACCOUNTS = (LedgerAccount.RECEIVED,)
EXTERNAL_ACCOUNTS = (LedgerAccount.FUNDER, LedgerAccount.PERSON)
# Accounts that may never be negative for a budget and stream (the database checks
# the same list: see the migration).
NON_NEGATIVE_ACCOUNTS = BUDGET_ACCOUNTS + CASH_ACCOUNTS


class LedgerTransfer(Base):
    __tablename__ = "ledger_transfers"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("(kind = 'correction') = (reverses_id IS NOT NULL)",
                        name="corrections_reverse"),
        Index("ix_ledger_transfers_budget_effective", "budget_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"))
    kind: Mapped[TransferKind] = mapped_column(str_enum(TransferKind, "transfer_kind"))
    amount_pence: Mapped[int] = mapped_column(Integer)
    effective_on: Mapped[date] = mapped_column(Date)
    stream: Mapped[FundingStream] = mapped_column(str_enum(FundingStream, "funding_stream"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organisations.id"),
                                                    index=True)
    category: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(500), default="")
    # What the movement is for, e.g. "order:12" or "invoice:7" (commitments,
    # releases and settlements of one order share it).
    reference: Mapped[str | None] = mapped_column(String(120), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transfers.id"),
                                                    unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    legs: Mapped[list[LedgerLeg]] = relationship(
        back_populates="transfer", lazy="selectin", order_by="LedgerLeg.id")
    reverses: Mapped[LedgerTransfer | None] = relationship(remote_side=[id])
    budget = relationship("Budget")
    provider = relationship("ProviderOrganisation")
    created_by = relationship("User")

    def leg(self, account: LedgerAccount) -> int:
        return sum(leg.amount_pence for leg in self.legs if leg.account == account)

    @property
    def signed_available_pence(self) -> int:
        """What this transfer did to the money available to commit."""
        return self.leg(LedgerAccount.AVAILABLE)

    @property
    def signed_received_pence(self) -> int:
        """What this transfer did to the cash received (instalments, contributions)."""
        return self.leg(LedgerAccount.RECEIVED)


class LedgerLeg(Base):
    __tablename__ = "ledger_legs"
    __table_args__ = (CheckConstraint("amount_pence <> 0", name="amount_not_zero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("ledger_transfers.id"), index=True)
    account: Mapped[LedgerAccount] = mapped_column(str_enum(LedgerAccount, "ledger_account"))
    amount_pence: Mapped[int] = mapped_column(Integer)

    transfer: Mapped[LedgerTransfer] = relationship(back_populates="legs")


# The append-only guards are part of the model: importing it arms them.
from marketplace.ledger import guards as _guards  # noqa: E402, F401
