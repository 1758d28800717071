"""Building providers and services for storefront and vetting tests (committed, as
each request closes the session)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from catalogue.models import (
    MemberRole,
    ProviderKind,
    ProviderMember,
    ProviderOrganisation,
    Service,
    ServiceStatus,
    Unit,
    VettingStatus,
)
from tests.conftest import csrf_token

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
       b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

ALL_CHECKS = {"check_identity": "yes", "check_insurance": "yes", "check_dbs": "yes",
              "check_references": "yes", "check_cqc": "yes"}


def make_provider(session, owner=None, *, name="Willow Care", status=VettingStatus.PENDING,
                  council=None, staff=(), **values) -> ProviderOrganisation:
    provider = ProviderOrganisation(name=name, kind=values.pop("kind", ProviderKind.AGENCY),
                                    status=status, council_id=council.id if council else None,
                                    postcode=values.pop("postcode", "HA1 2AB"), **values)
    if owner is not None:
        provider.members.append(ProviderMember(user_id=owner.id, member_role=MemberRole.OWNER))
    for person in staff:
        provider.members.append(ProviderMember(user_id=person.id, member_role=MemberRole.STAFF))
    session.add(provider)
    session.commit()
    return provider


def make_service(session, provider, *, name="Help at home", price_pence=2000,
                 status=ServiceStatus.PUBLISHED, confirmed_days_ago=0, **values) -> Service:
    service = Service(provider=provider, name=name, summary=values.pop("summary", "Help."),
                      category=values.pop("category", "getting-up-and-dressed"),
                      unit=values.pop("unit", Unit.HOUR), price_pence=price_pence,
                      status=status,
                      last_confirmed_at=datetime.now(UTC) - timedelta(days=confirmed_days_ago),
                      **values)
    session.add(service)
    session.commit()
    return service


def post(client, url, data=None, **kwargs):
    """POST a form with a fresh CSRF token taken from ``url`` (or ``token_from``)."""
    token_from = kwargs.pop("token_from", None) or url
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, token_from)},
                       **kwargs)


def action(client, url, token_from="/accessibility", **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from)})


def errors(response) -> list[str]:
    page = response.get_data(as_text=True)
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", item).strip()
            for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)] if block else []


def service_form(**overrides) -> dict:
    data = {
        "name": "Morning help", "summary": "Help to get up and dressed.",
        "description": "A carer visits each morning.", "category": "getting-up-and-dressed",
        "outcomes": ["daily_living"], "unit": "hour", "price": "24.50",
        "min_booking_units": "1", "lead_time_days": "2", "capacity_per_week": "20",
        "min_age": "18", "max_age": "", "funding_streams": ["adult_social_care"],
        "mon_from": "08:00", "mon_until": "12:00", "wed_from": "9.30", "wed_until": "5pm",
    }
    data.update(overrides)
    return data


def profile_form(**overrides) -> dict:
    data = {
        "description": "We are a small team of carers in Harrow, supporting older people "
                       "at home since 2012.",
        "email": "hello@willow.example", "phone": "020 7946 0000",
        "website": "https://willow.example", "address": "1 High Street", "town": "Harrow",
        "postcode": "ha1 2ab", "areas": "HA1, ha2 HA3", "radius_km": "",
        "languages": ["en", "pl"], "genders": ["female"],
        "specialisms": "Polish-speaking carers", "premises_accessibility": "We visit at home.",
    }
    data.update(overrides)
    return data


def organisation_form(**overrides) -> dict:
    data = {
        "name": "Willow Care", "kind": "agency", "insurance_declared": "y",
        "insurance_expires_on": ["1", "1", str(date.today().year + 1)],
        "dbs_declared": "y", "dbs_expires_on": ["1", "6", str(date.today().year + 2)],
        "cqc_location_id": "", "cqc_status": "", "cqc_rating": "",
        "cqc_rating_date": ["", "", ""],
    }
    data.update(overrides)
    return data


def form_values(page: str) -> dict:
    """What a browser would send from the first POST form with fields on ``page``."""
    import html

    form = max(re.findall(r'<form method="post"[^>]*>(.*?)</form>', page, re.S), key=len)
    values: dict[str, list[str]] = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'\bname="([^"]+)"', tag)
        kind = (re.search(r'\btype="([^"]+)"', tag) or [None, "text"])[1]
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if not name or kind in ("file", "submit"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in tag:
            continue
        values.setdefault(name.group(1), []).append(html.unescape(value.group(1) if value
                                                                  else "on"))
    for name, body in re.findall(r'<textarea[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', form,
                                 re.S):
        values[name] = [html.unescape(body.strip("\n"))]
    for name, body in re.findall(r'<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', form,
                                 re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected', body)
        values[name] = [html.unescape(chosen[0])] if chosen else [""]
    values.pop("csrf_token", None)
    return values
