"""Council operations on providers, rates and listing reports. They take the session
(or loaded objects), apply the rules and flush at most; the view commits once."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CouncilRate,
    ListingReport,
    ProviderOrganisation,
    ReportStatus,
    Service,
    VettingStatus,
)
from marketplace.audit import record
from marketplace.db import utcnow
from marketplace.money import format_pence

CHECKS = (
    ("check_identity", _l("Identity and address of the organisation")),
    ("check_insurance", _l("Insurance")),
    ("check_dbs", _l("DBS checks")),
    ("check_references", _l("References")),
    ("check_cqc", _l("CQC registration (or that it is not needed)")),
)


class Refused(Exception):
    """A rule was broken; ``message`` (a lazy string) says what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class VettingRefused(Refused):
    pass


class RateRefused(Refused):
    pass


class ReportRefused(Refused):
    pass


# --- vetting ------------------------------------------------------------------

def missing_checks(provider: ProviderOrganisation) -> list:
    return [label for attr, label in CHECKS if not getattr(provider, attr)]


def record_checks(provider: ProviderOrganisation, values: dict[str, bool]) -> None:
    for attr, _label in CHECKS:
        setattr(provider, attr, bool(values[attr]))


def _expired_words(provider: ProviderOrganisation, today: date) -> list:
    words = {"insurance": _l("insurance"), "dbs": _l("DBS checks")}
    return [words[name] for name in provider.expired_evidence(today)]


def _make_approved(session: Session, provider: ProviderOrganisation, officer, today: date,
                   action: str) -> None:
    missing = missing_checks(provider)
    if missing:
        raise VettingRefused(_l(
            "You can approve a provider only when every check is done. Still to check: "
            "%(checks)s.", checks=", ".join(str(m) for m in missing)))
    expired = _expired_words(provider, today)
    if expired:
        raise VettingRefused(_l(
            "The provider's %(evidence)s has expired. Ask them for current evidence, and "
            "approve once they have updated it.", evidence=" and ".join(str(e) for e in expired)))
    provider.status = VettingStatus.APPROVED
    provider.status_reason = None
    provider.vetted_by_id = officer.id
    provider.vetted_at = utcnow()
    record(session, action, "provider_organisations", provider.id)


def approve(session: Session, provider: ProviderOrganisation, officer, today: date) -> None:
    if provider.status is not VettingStatus.PENDING:
        raise VettingRefused(_l("Only a provider waiting for checks can be approved."))
    _make_approved(session, provider, officer, today, "provider_approved")


def reinstate(session: Session, provider: ProviderOrganisation, officer, today: date) -> None:
    if provider.status is not VettingStatus.SUSPENDED:
        raise VettingRefused(_l("Only a suspended provider can be reinstated."))
    _make_approved(session, provider, officer, today, "provider_reinstated")


def suspend(session: Session, provider: ProviderOrganisation, officer, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise VettingRefused(_l("Enter the reason for suspending the provider"))
    if provider.status is VettingStatus.SUSPENDED:
        raise VettingRefused(_l("This provider is already suspended."))
    provider.status = VettingStatus.SUSPENDED
    provider.status_reason = reason[:500]
    provider.vetted_by_id = officer.id
    provider.vetted_at = utcnow()
    record(session, "provider_suspended", "provider_organisations", provider.id,
           {"reason": reason[:500]})


# --- rate cards ---------------------------------------------------------------

def _day(value: date) -> str:
    return format_date(value, "d MMMM yyyy")


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def _describe(rate: CouncilRate):
    if rate.ends_on:
        return _l("%(amount)s from %(start)s to %(end)s", amount=format_pence(rate.rate_pence),
                  start=_day(rate.starts_on),
                  end=_day(rate.ends_on))
    return _l("%(amount)s from %(start)s with no end date",
              amount=format_pence(rate.rate_pence), start=_day(rate.starts_on))


def overlapping_rate(session: Session, service: Service, council_id: int, starts_on: date,
                     ends_on: date | None, ignore: CouncilRate | None = None
                     ) -> CouncilRate | None:
    rates = session.scalars(select(CouncilRate).where(
        CouncilRate.service_id == service.id, CouncilRate.council_id == council_id)
        .order_by(CouncilRate.starts_on)).all()
    for rate in rates:
        if rate is not ignore and _overlaps(starts_on, ends_on, rate.starts_on, rate.ends_on):
            return rate
    return None


def add_rate(session: Session, service: Service, *, council_id: int, rate_pence: int,
             starts_on: date, ends_on: date | None, officer) -> CouncilRate:
    if ends_on is not None and ends_on < starts_on:
        raise RateRefused(_l("The end date must be the same as or after the start date"))
    clash = overlapping_rate(session, service, council_id, starts_on, ends_on)
    if clash is not None:
        raise RateRefused(_l(
            "These dates overlap the rate already agreed (%(rate)s). End that rate first, or "
            "choose dates that do not overlap it.", rate=_describe(clash)))
    rate = CouncilRate(service_id=service.id, council_id=council_id, rate_pence=rate_pence,
                       starts_on=starts_on, ends_on=ends_on, agreed_by_id=officer.id)
    session.add(rate)
    session.flush()
    return rate


def end_rate(rate: CouncilRate, ends_on: date, today: date) -> None:
    """End a rate early. Never in the past (people may have been charged it), never
    before it starts, never later than it was already due to end."""
    if ends_on < today:
        raise RateRefused(_l("The end date cannot be in the past: people may already have "
                             "paid this rate"))
    if ends_on < rate.starts_on:
        raise RateRefused(_l("The rate cannot end before it starts (%(start)s)",
                             start=_day(rate.starts_on)))
    if rate.ends_on is not None and ends_on > rate.ends_on:
        raise RateRefused(_l("The rate already ends on %(end)s: choose that date or an "
                             "earlier one", end=_day(rate.ends_on)))
    rate.ends_on = ends_on


# --- listing reports ----------------------------------------------------------

def close_report(session: Session, report: ListingReport, by, resolution: str,
                 at: datetime | None = None) -> None:
    resolution = (resolution or "").strip()
    if not resolution:
        raise ReportRefused(_l("Say what was done about the report"))
    if report.status is ReportStatus.CLOSED:
        raise ReportRefused(_l("This report has already been closed."))
    report.status = ReportStatus.CLOSED
    report.closed_at = at or utcnow()
    report.closed_by_id = by.id
    report.resolution = resolution[:1000]
    session.flush()
