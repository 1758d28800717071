"""Roles and representative authority, as pure data (no Flask, no session)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    BUDGET_HOLDER = "budget_holder"
    SELF_FUNDER = "self_funder"
    REPRESENTATIVE = "representative"
    PROVIDER_STAFF = "provider_staff"
    COMMUNITY_ORGANISER = "community_organiser"
    COUNCIL_OFFICER = "council_officer"
    FINANCE_OFFICER = "finance_officer"
    COMMISSIONER = "commissioner"
    ADMINISTRATOR = "administrator"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.BUDGET_HOLDER: _l("Budget holder"),
    Role.SELF_FUNDER: _l("Self-funder"),
    Role.REPRESENTATIVE: _l("Representative"),
    Role.PROVIDER_STAFF: _l("Provider staff"),
    Role.COMMUNITY_ORGANISER: _l("Community organiser"),
    Role.COUNCIL_OFFICER: _l("Council officer"),
    Role.FINANCE_OFFICER: _l("Finance officer"),
    Role.COMMISSIONER: _l("Commissioner"),
    Role.ADMINISTRATOR: _l("Administrator"),
}

# Roles that belong to a council (the tenant for budgets, rates and reports).
COUNCIL_ROLES = frozenset(
    {Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER, Role.COMMISSIONER, Role.BUDGET_HOLDER}
)
# Roles a person may give themselves when registering.
SELF_REGISTER_ROLES = (Role.SELF_FUNDER, Role.PROVIDER_STAFF, Role.COMMUNITY_ORGANISER)


class AuthorityType(StrEnum):
    FAMILY_CARER = "family_carer"
    APPOINTEE = "appointee"
    LASTING_POWER_OF_ATTORNEY = "lasting_power_of_attorney"
    DEPUTY = "deputy"
    SUITABLE_PERSON = "suitable_person"
    BROKER = "broker"

    @property
    def label(self):
        return AUTHORITY_TYPE_LABELS[self]


AUTHORITY_TYPE_LABELS = {
    AuthorityType.FAMILY_CARER: _l("Family carer"),
    AuthorityType.APPOINTEE: _l("Appointee"),
    AuthorityType.LASTING_POWER_OF_ATTORNEY: _l("Lasting power of attorney"),
    AuthorityType.DEPUTY: _l("Deputy (Court of Protection)"),
    AuthorityType.SUITABLE_PERSON: _l("Suitable person for direct payments"),
    AuthorityType.BROKER: _l("Broker or budget-minder organisation"),
}


class Scope(StrEnum):
    """What a representative may do, each level including the ones before it."""

    VIEW = "view"
    ORDER = "order"
    MONEY = "money"

    @property
    def rank(self) -> int:
        return _SCOPE_ORDER.index(self)

    def covers(self, needed: Scope) -> bool:
        return self.rank >= needed.rank

    @property
    def label(self):
        return SCOPE_LABELS[self]


_SCOPE_ORDER = [Scope.VIEW, Scope.ORDER, Scope.MONEY]

SCOPE_LABELS = {
    Scope.VIEW: _l("View only"),
    Scope.ORDER: _l("View and order"),
    Scope.MONEY: _l("Manage money"),
}
