"""Enumerations for personal budgets, stored as strings (see marketplace.db.str_enum)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class BudgetKind(StrEnum):
    PERSONAL_BUDGET = "personal_budget"
    PERSONAL_HEALTH_BUDGET = "personal_health_budget"
    INDIVIDUAL_BUDGET = "individual_budget"
    CHILDRENS_BUDGET = "childrens_budget"

    @property
    def label(self):
        return BUDGET_KIND_LABELS[self]


BUDGET_KIND_LABELS = {
    BudgetKind.PERSONAL_BUDGET: _l("Personal budget"),
    BudgetKind.PERSONAL_HEALTH_BUDGET: _l("Personal health budget"),
    BudgetKind.INDIVIDUAL_BUDGET: _l("Individual budget (several funding streams)"),
    BudgetKind.CHILDRENS_BUDGET: _l("Children's personal budget"),
}


class ClientGroup(StrEnum):
    """The person's primary support reason, as councils report it (SALT), plus carers
    and disabled children: how commissioners see take-up by group."""

    PHYSICAL_SUPPORT = "physical_support"
    SENSORY_SUPPORT = "sensory_support"
    MEMORY_AND_COGNITION = "memory_and_cognition"
    LEARNING_DISABILITY = "learning_disability"
    MENTAL_HEALTH = "mental_health"
    SOCIAL_SUPPORT = "social_support"
    CARER = "carer"
    DISABLED_CHILD = "disabled_child"

    @property
    def label(self):
        return CLIENT_GROUP_LABELS[self]


CLIENT_GROUP_LABELS = {
    ClientGroup.PHYSICAL_SUPPORT: _l("Physical support"),
    ClientGroup.SENSORY_SUPPORT: _l("Sensory support"),
    ClientGroup.MEMORY_AND_COGNITION: _l("Support with memory and cognition"),
    ClientGroup.LEARNING_DISABILITY: _l("Learning disability support"),
    ClientGroup.MENTAL_HEALTH: _l("Mental health support"),
    ClientGroup.SOCIAL_SUPPORT: _l("Social support"),
    ClientGroup.CARER: _l("Support for a carer"),
    ClientGroup.DISABLED_CHILD: _l("Support for a disabled child"),
}

AGE_BANDS = ((0, 17, _l("Under 18")), (18, 24, _l("18 to 24")), (25, 64, _l("25 to 64")),
             (65, 74, _l("65 to 74")), (75, 84, _l("75 to 84")), (85, 200, _l("85 and over")))


class BudgetStatus(StrEnum):
    """Indicative: a figure to plan with, which may still be challenged. Agreed: the
    allocation is signed off and money can be paid in and spent. Closed: the period
    is over or the budget was replaced; nothing new can be committed."""

    INDICATIVE = "indicative"
    AGREED = "agreed"
    CLOSED = "closed"

    @property
    def label(self):
        return BUDGET_STATUS_LABELS[self]


BUDGET_STATUS_LABELS = {
    BudgetStatus.INDICATIVE: _l("Indicative"),
    BudgetStatus.AGREED: _l("Agreed"),
    BudgetStatus.CLOSED: _l("Closed"),
}


class HoldingMethod(StrEnum):
    """How the money is held ("deployment"): it decides who orders, who is invoiced
    and who pays."""

    DIRECT_PAYMENT = "direct_payment"
    COUNCIL_MANAGED = "council_managed"
    MANAGED_ACCOUNT = "managed_account"
    INDIVIDUAL_SERVICE_FUND = "individual_service_fund"

    @property
    def label(self):
        return HOLDING_METHOD_LABELS[self]


HOLDING_METHOD_LABELS = {
    HoldingMethod.DIRECT_PAYMENT: _l("Direct payment"),
    HoldingMethod.COUNCIL_MANAGED: _l("Council-managed budget"),
    HoldingMethod.MANAGED_ACCOUNT: _l("Managed account held by an organisation"),
    HoldingMethod.INDIVIDUAL_SERVICE_FUND: _l("Individual Service Fund held by a provider"),
}


class PaymentFrequency(StrEnum):
    WEEKLY = "weekly"
    TWO_WEEKLY = "two_weekly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ONE_PAYMENT = "one_payment"

    @property
    def label(self):
        return PAYMENT_FREQUENCY_LABELS[self]

    @property
    def weeks(self) -> int | None:
        """The interval in weeks, or None for calendar months (or a single payment)."""
        return {"weekly": 1, "two_weekly": 2, "four_weekly": 4}.get(self.value)

    @property
    def months(self) -> int | None:
        return {"monthly": 1, "quarterly": 3}.get(self.value)


PAYMENT_FREQUENCY_LABELS = {
    PaymentFrequency.WEEKLY: _l("Every week"),
    PaymentFrequency.TWO_WEEKLY: _l("Every 2 weeks"),
    PaymentFrequency.FOUR_WEEKLY: _l("Every 4 weeks"),
    PaymentFrequency.MONTHLY: _l("Every month"),
    PaymentFrequency.QUARTERLY: _l("Every 3 months"),
    PaymentFrequency.ONE_PAYMENT: _l("One payment"),
}


class ContributionBasis(StrEnum):
    """The person's assessed contribution after a financial assessment."""

    NONE = "none"
    WEEKLY_AMOUNT = "weekly_amount"
    PERCENTAGE = "percentage"

    @property
    def label(self):
        return CONTRIBUTION_BASIS_LABELS[self]


CONTRIBUTION_BASIS_LABELS = {
    ContributionBasis.NONE: _l("No contribution"),
    ContributionBasis.WEEKLY_AMOUNT: _l("An amount each week"),
    ContributionBasis.PERCENTAGE: _l("A percentage of the cost of support"),
}


class ContributionMethod(StrEnum):
    """How the contribution is paid. Only money paid into the budget appears in its
    ledger (as a contribution); money paid straight to providers (the net model)
    or kept back from instalments does not pass through it."""

    PAID_INTO_BUDGET = "paid_into_budget"
    PAID_TO_PROVIDER = "paid_to_provider"
    DEDUCTED_FROM_PAYMENTS = "deducted_from_payments"

    @property
    def label(self):
        return CONTRIBUTION_METHOD_LABELS[self]


CONTRIBUTION_METHOD_LABELS = {
    ContributionMethod.PAID_INTO_BUDGET: _l("Paid into the budget account by the person"),
    ContributionMethod.PAID_TO_PROVIDER: _l("Paid straight to the provider by the person"),
    ContributionMethod.DEDUCTED_FROM_PAYMENTS: _l("Kept back from the council's payments"),
}


class ChallengeDecision(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"

    @property
    def label(self):
        return CHALLENGE_DECISION_LABELS[self]

    @property
    def changes_amount(self) -> bool:
        return self in (ChallengeDecision.UPHELD, ChallengeDecision.PARTLY_UPHELD)


CHALLENGE_DECISION_LABELS = {
    ChallengeDecision.PENDING: _l("Waiting for a decision"),
    ChallengeDecision.UPHELD: _l("Upheld: the amount was changed"),
    ChallengeDecision.PARTLY_UPHELD: _l("Partly upheld: the amount was changed"),
    ChallengeDecision.NOT_UPHELD: _l("Not upheld: the amount stays the same"),
}
