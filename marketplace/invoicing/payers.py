"""Who is invoiced for a delivery: pure functions on the order and its budget.

How the money is held decides (marketplace.budgets: ``Budget.holdings``):

- council-managed: the council;
- a third-party managed account: the organisation that holds it;
- a direct payment: the person (who may pay through a representative);
- an Individual Service Fund held by this provider: nobody is invoiced; the provider
  draws the money from the fund and the person and council get a statement;
- no budget (a card order by a self-funder): the person.

The person's own contribution (an order split between the budget and their own
money, the net model) is billed to the person separately, in proportion.

A mixed budget (several holdings): an ISF held by the order's provider pays for
that provider's support; otherwise the first holding that is not an ISF (council-
managed when the budget records no holding at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing.enums import PayerKind, PayerShare
from marketplace.money import round_pence


@dataclass(frozen=True)
class Payer:
    kind: PayerKind
    share: PayerShare
    council_id: int | None = None
    organisation: str | None = None
    user_id: int | None = None
    isf: bool = False  # an ISF draw: a statement, not an invoice


def holding_for(budget, provider_id: int):
    holdings = list(budget.holdings)
    for holding in holdings:
        if (holding.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND
                and holding.provider_id == provider_id):
            return holding
    return next((h for h in holdings if h.method is not HoldingMethod.INDIVIDUAL_SERVICE_FUND),
                None)


def budget_payer(budget, provider_id: int, person_id: int) -> Payer:
    holding = holding_for(budget, provider_id)
    method = holding.method if holding is not None else HoldingMethod.COUNCIL_MANAGED
    if method is HoldingMethod.INDIVIDUAL_SERVICE_FUND:
        return Payer(PayerKind.PERSON, PayerShare.BUDGET, council_id=budget.council_id,
                     user_id=person_id, isf=True)
    if method is HoldingMethod.MANAGED_ACCOUNT:
        return Payer(PayerKind.MANAGED_ACCOUNT, PayerShare.BUDGET,
                     council_id=budget.council_id, organisation=holding.organisation_name)
    if method is HoldingMethod.DIRECT_PAYMENT:
        return Payer(PayerKind.PERSON, PayerShare.BUDGET, council_id=budget.council_id,
                     user_id=person_id)
    return Payer(PayerKind.COUNCIL, PayerShare.BUDGET, council_id=budget.council_id)


def contribution_payer(person_id: int, council_id: int | None) -> Payer:
    return Payer(PayerKind.PERSON, PayerShare.CONTRIBUTION, council_id=council_id,
                 user_id=person_id)


def self_funded_payer(person_id: int) -> Payer:
    return Payer(PayerKind.PERSON, PayerShare.SELF_FUNDED, user_id=person_id)


def contribution_part(amount_pence: int, contribution_pence: int, total_pence: int) -> int:
    """The person's share of a delivery of ``amount_pence`` on an order of
    ``total_pence`` of which they pay ``contribution_pence`` (one rounding rule)."""
    if contribution_pence <= 0 or total_pence <= 0:
        return 0
    if contribution_pence >= total_pence:
        return amount_pence
    return round_pence(Decimal(amount_pence) * contribution_pence / total_pence)
