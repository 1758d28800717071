"""Who the take-up and outcomes reports count, in one place.

A person "has a budget" in a period when a budget of theirs with the council was
agreed (it has an agreed amount, whether it is still running or now closed) and
its period overlaps the report's. People are budget holders' user ids, so someone
with two budgets (say a personal budget and a personal health budget) is one
person. The area filter is where the person lives: the postcode district of their
address (the part of the postcode before the space, as the filter's list is made).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.budgets.enums import AGE_BANDS, ClientGroup
from marketplace.budgets.models import Budget
from marketplace.reports.filters import ReportFilters


def in_district(postcode_column, district: str):
    """SQL: the postcode is in the district ('HA3 5QX' and 'HA3' are in HA3)."""
    code = func.upper(func.trim(postcode_column))
    return or_(code == district, code.like(district + " %"))


def lives_in(user_id_column, district: str):
    """SQL: the user lives in the postcode district."""
    return user_id_column.in_(select(User.id).where(in_district(User.postcode, district)))


def agreed_with(filters: ReportFilters):
    """SQL: a budget with the council that has been agreed (and, with an area
    filter, whose holder lives there)."""
    clauses = [Budget.council_id == filters.council_id, Budget.agreed_pence.is_not(None)]
    if filters.district:
        clauses.append(lives_in(Budget.holder_id, filters.district))
    return and_(*clauses)


def held_in(filters: ReportFilters):
    """SQL: an agreed budget whose period overlaps the report's period."""
    return and_(agreed_with(filters), Budget.period_starts_on <= filters.ends_on,
                Budget.period_ends_on >= filters.starts_on)


@dataclass
class Person:
    """What the reports know of one person: their primary support reason and year
    of birth, from the latest of their budgets in the period that records each."""

    client_group: ClientGroup | None = None
    birth_year: int | None = None


def people_with_budgets(session: Session, filters: ReportFilters) -> dict[int, Person]:
    """{holder id: Person} for everyone with a budget in the period."""
    people: dict[int, Person] = {}
    rows = session.execute(
        select(Budget.holder_id, Budget.client_group, Budget.birth_year)
        .where(held_in(filters)).order_by(Budget.period_starts_on, Budget.id))
    for holder_id, group, born in rows:
        person = people.setdefault(holder_id, Person())
        if group is not None:
            person.client_group = group
        if born is not None:
            person.birth_year = born
    return people


def age_at(birth_year: int, on: date) -> int:
    """Age in the year of ``on`` (only the year of birth is known): the age the
    person reaches on their birthday that year, never below 0."""
    return max(0, on.year - birth_year)


def age_band(birth_year: int | None, on: date) -> int | None:
    """Index into AGE_BANDS, or None when the year of birth is not recorded."""
    if birth_year is None:
        return None
    age = age_at(birth_year, on)
    return next(i for i, (low, high, _label) in enumerate(AGE_BANDS)
                if low <= age <= high or i == len(AGE_BANDS) - 1)


def quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_of(day: date) -> date:
    return day.replace(day=1)


def share(part: int, whole: int) -> float:
    """A percentage, 0 when there is nothing to share."""
    return 100.0 * part / whole if whole else 0.0
