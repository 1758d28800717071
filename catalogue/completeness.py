"""How complete a storefront is: a score and, in plain words, what is missing.

Pure functions over a provider and its services (no Flask request, no session:
they only read attributes), so the storefront dashboard, the council's review page
and tests all agree. Each thing a buyer looks for counts the same; the score is the
share of them that is done, as a whole percentage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

DESCRIPTION_MIN = 80  # characters: a few sentences, not a one-liner
SERVICE_DESCRIPTION_MIN = 100


@dataclass(frozen=True)
class Completeness:
    score: int  # 0-100
    missing: tuple  # lazy strings, each one thing to do, most important first

    @property
    def complete(self) -> bool:
        return not self.missing


def _score(checks: Iterable[tuple[bool, object]]) -> Completeness:
    checks = list(checks)
    done = sum(1 for ok, _message in checks if ok)
    score = round(100 * done / len(checks)) if checks else 100
    return Completeness(score, tuple(message for ok, message in checks if not ok))


def _filled(text: str | None, minimum: int = 1) -> bool:
    return len((text or "").strip()) >= minimum


def _evidence(declared: bool, expires_on: date | None, today: date, missing, expired):
    if not declared or expires_on is None:
        return False, missing
    if expires_on < today:
        return False, expired
    return True, missing


def profile_completeness(provider, today: date, offers_regulated: bool | None = None
                         ) -> Completeness:
    """Score a provider's profile. ``offers_regulated`` says whether any of its services
    is a CQC regulated activity (then CQC registration counts); by default it is read
    from ``provider.services``."""
    if offers_regulated is None:
        offers_regulated = any(s.regulated for s in provider.services)
    checks = [
        (_filled(provider.description, DESCRIPTION_MIN),
         _l("Describe your organisation in a few sentences (at least %(n)d characters)",
            n=DESCRIPTION_MIN)),
        (_filled(provider.email) or _filled(provider.phone),
         _l("Add a contact email address or telephone number")),
        (_filled(provider.postcode), _l("Add your address and postcode")),
        (bool(provider.areas) or provider.coverage_radius_km is not None,
         _l("Say which areas you cover")),
        (bool(provider.languages), _l("Say which languages your workers speak")),
        (provider.female_workers or provider.male_workers,
         _l("Say whether you have female workers, male workers or both")),
        (_filled(provider.premises_accessibility),
         _l("Describe how accessible your premises are, or say that you visit people at "
            "home")),
        (bool(provider.logo_filename), _l("Add a logo or a photo of your organisation")),
        _evidence(provider.insurance_declared, provider.insurance_expires_on, today,
                  _l("Declare your insurance and when it expires"),
                  _l("Your insurance has expired: add the date your new cover ends")),
        _evidence(provider.dbs_declared, provider.dbs_expires_on, today,
                  _l("Declare your workers' DBS checks and when they are due again"),
                  _l("Your DBS checks have expired: add the date the new checks are due "
                     "again")),
    ]
    if offers_regulated:
        checks.append((_filled(provider.cqc_location_id),
                       _l("Add your CQC registration, because you offer a regulated "
                          "activity")))
    return _score(checks)


def service_completeness(service) -> Completeness:
    """Score one service (listing)."""
    photos = list(service.photos)
    return _score([
        (_filled(service.summary), _l("Add a one-line summary")),
        (_filled(service.description, SERVICE_DESCRIPTION_MIN),
         _l("Describe the service in more detail (at least %(n)d characters)",
            n=SERVICE_DESCRIPTION_MIN)),
        (bool(service.outcomes), _l("Choose the outcomes the service helps with")),
        (bool(service.availability), _l("Say on which days and at what times it is "
                                        "available")),
        (service.capacity_per_week is not None,
         _l("Say how much you can take on each week")),
        (service.min_age is not None or service.max_age is not None,
         _l("Say which ages you support")),
        (bool(service.funding_streams), _l("Choose the funding it may be bought with")),
        (bool(photos) and all(_filled(p.alt_text) for p in photos),
         _l("Add a photo, with a description for people who cannot see it")),
    ])
