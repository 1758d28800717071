"""Which price applies to whom: one pure function, used wherever a price is shown
or charged.

People a council funds see and pay that council's agreed rate while it is in
force; everyone else (self-funders, people funded by another council, visitors)
sees the public price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PriceBasis(StrEnum):
    PUBLIC = "public"
    COUNCIL_RATE = "council_rate"


@dataclass(frozen=True)
class RateTerm:
    council_id: int
    rate_pence: int
    starts_on: date
    ends_on: date | None = None

    def in_force(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


@dataclass(frozen=True)
class PriceQuote:
    pence: int
    basis: PriceBasis
    council_id: int | None = None
    public_pence: int | None = None
    rate_ends_on: date | None = None

    @property
    def is_council_rate(self) -> bool:
        return self.basis is PriceBasis.COUNCIL_RATE


def price_for(
    public_pence: int, rates: Iterable[RateTerm], funded_by: Iterable[int], on: date
) -> PriceQuote:
    """The price for a viewer funded by the councils ``funded_by`` on day ``on``.

    Among the rates in force for those councils, the latest agreed (latest start)
    rate of each council counts; if the person is funded by more than one council,
    the lowest of those applies.
    """
    if public_pence < 0:
        raise ValueError("a price cannot be negative")
    councils = set(funded_by)
    latest: dict[int, RateTerm] = {}
    for rate in rates:
        if rate.council_id in councils and rate.in_force(on):
            current = latest.get(rate.council_id)
            if current is None or rate.starts_on > current.starts_on:
                latest[rate.council_id] = rate
    if not latest:
        return PriceQuote(public_pence, PriceBasis.PUBLIC, public_pence=public_pence)
    best = min(latest.values(), key=lambda r: (r.rate_pence, r.council_id))
    return PriceQuote(best.rate_pence, PriceBasis.COUNCIL_RATE, best.council_id,
                      public_pence=public_pence, rate_ends_on=best.ends_on)


def funding_councils(person) -> frozenset[int]:
    """The councils that fund this person's support (their budget-holder grants).
    Anonymous visitors, self-funders and staff are funded by none."""
    if person is None or not getattr(person, "is_authenticated", False):
        return frozenset()
    from marketplace.accounts.roles import Role

    return frozenset(person.council_ids_for(Role.BUDGET_HOLDER))
