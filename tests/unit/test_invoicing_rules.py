"""Pure invoicing rules: billing periods, VAT on VAT-inclusive prices, who pays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing.enums import BillingPeriod, PayerKind, PayerShare, VatRate
from marketplace.invoicing.payers import budget_payer, contribution_part
from marketplace.invoicing.periods import last_closed_day, period_of
from marketplace.invoicing.vat import default_rate, split_gross


def test_billing_periods_are_weeks_four_week_blocks_or_calendar_months():
    day = date(2026, 6, 3)  # a Wednesday
    assert period_of(day, BillingPeriod.WEEKLY) == (date(2026, 6, 1), date(2026, 6, 7))
    assert period_of(day, BillingPeriod.FOUR_WEEKLY) == (date(2026, 5, 18), date(2026, 6, 14))
    assert period_of(day, BillingPeriod.MONTHLY) == (date(2026, 6, 1), date(2026, 6, 30))
    assert period_of(date(2026, 2, 10), BillingPeriod.MONTHLY)[1] == date(2026, 2, 28)
    assert last_closed_day(date(2026, 6, 30), BillingPeriod.MONTHLY) == date(2026, 6, 30)
    assert last_closed_day(date(2026, 6, 29), BillingPeriod.MONTHLY) == date(2026, 5, 31)


def test_vat_is_the_vat_fraction_of_the_gross_and_always_adds_up():
    assert split_gross(1200, VatRate.STANDARD) == (1000, 200)
    assert split_gross(1000, VatRate.EXEMPT) == (1000, 0)
    assert split_gross(999, VatRate.ZERO) == (999, 0)
    for gross in range(0, 500):
        net, vat = split_gross(gross, VatRate.STANDARD)
        assert net + vat == gross and vat >= 0
    assert default_rate("personal-care") is VatRate.EXEMPT
    assert default_rate("telecare") is VatRate.STANDARD
    assert default_rate("meals-delivered") is VatRate.ZERO


@dataclass
class Holding:
    method: HoldingMethod
    amount_pence: int = 100
    organisation_name: str | None = None
    provider_id: int | None = None


@dataclass
class Budget:
    council_id: int = 7
    holdings: list = field(default_factory=list)


def test_who_is_invoiced_follows_how_the_money_is_held():
    def payer(*holdings, provider_id=3):
        return budget_payer(Budget(holdings=list(holdings)), provider_id, person_id=42)

    assert payer(Holding(HoldingMethod.COUNCIL_MANAGED)).kind is PayerKind.COUNCIL
    assert payer().kind is PayerKind.COUNCIL  # no holding recorded
    managed = payer(Holding(HoldingMethod.MANAGED_ACCOUNT, organisation_name="Minders"))
    assert (managed.kind, managed.organisation) == (PayerKind.MANAGED_ACCOUNT, "Minders")
    direct = payer(Holding(HoldingMethod.DIRECT_PAYMENT))
    assert (direct.kind, direct.user_id, direct.isf) == (PayerKind.PERSON, 42, False)
    isf = Holding(HoldingMethod.INDIVIDUAL_SERVICE_FUND, provider_id=3)
    assert payer(isf).isf
    # A mixed budget: the ISF pays only for the provider that holds it.
    mixed = (isf, Holding(HoldingMethod.DIRECT_PAYMENT))
    assert payer(*mixed).isf and not payer(*mixed, provider_id=4).isf
    assert payer(*mixed).share is PayerShare.BUDGET


def test_the_contribution_is_the_persons_share_of_each_delivery():
    assert contribution_part(4000, 8000, 32000) == 1000
    assert contribution_part(4000, 0, 32000) == 0
    assert contribution_part(4000, 40000, 32000) == 4000
    assert contribution_part(3333, 1, 3) == 1111
