"""The fields of one feed item, read into our model's terms (see ``feed``)."""

from __future__ import annotations

import math

from catalogue.community.vocabulary import ACCESSIBILITY, is_category
from catalogue.models import CommunityKind, LocationType
from catalogue.oruk import ids, taxonomies
from catalogue.oruk.feed import (
    Feed,
    FeedError,
    Listing,
    Organisation,
    Place,
    Schedule,
    _Item,
    items_of,
    postcode_of,
    schedule_rule,
)
from catalogue.taxonomy import LANGUAGES

MAX_AMOUNT = 100_000  # pounds


def parse_feed(raw: bytes, default_kind: CommunityKind, default_category: str) -> Feed:
    """Every listing of the feed, or FeedError listing every problem in it."""
    problems: list[tuple[str, str, str]] = []
    listings, skipped, seen = [], [], {}
    for n, obj in enumerate(items_of(raw), start=1):
        label = f"item {n}"
        if not isinstance(obj, dict):
            problems.append((label, "", "must be a service object"))
            continue
        if isinstance(obj.get("id"), str):
            label += f" (id {obj['id'][:40]})"
        reader = _Item(label, problems)
        uuid = reader.uuid(obj, "id", "id")
        status = obj.get("status")
        if status not in ("active", "inactive", "defunct", "temporarily closed"):
            reader.bad("status", "must be one of active, inactive, defunct, temporarily "
                                 f"closed, not {status!r:.40}")
        if uuid and uuid in seen:
            reader.bad("id", f"is also the id of {seen[uuid]}")
        seen.setdefault(uuid, label)
        if uuid and ids.embedded_id(ids.PAID_SERVICE, uuid) is not None:
            skipped.append((label, "it is a paid service of this site's own catalogue"))
            continue
        if isinstance(status, str) and status != "active":
            skipped.append((label, f"its status is {status!r}, not 'active'"))
            continue
        listing = read_listing(reader, obj, uuid, default_kind, default_category)
        if isinstance(listing, str):
            skipped.append((label, listing))
        elif listing is not None:
            listings.append(listing)
    if problems:
        raise FeedError(problems)
    return Feed(listings, skipped)


def _email(reader: _Item, obj: dict, key: str, path: str) -> str | None:
    value = reader.text(obj, key, path, 254)
    if value and ("@" not in value or " " in value):
        reader.bad(path, f"must be an e-mail address, not {value!r:.60}")
    return value or None


def _organisation(reader: _Item, obj: dict) -> Organisation | None:
    org = obj.get("organization")
    if not isinstance(org, dict):
        reader.bad("organization", "is required: every community listing belongs to an "
                                   "organisation")
        return None
    phones = [p for _path, p in reader.objects(org, "phones", "organization.phones")]
    return Organisation(
        uuid=reader.uuid(org, "id", "organization.id"),
        name=reader.text(org, "name", "organization.name", 200, required=True),
        description=reader.text(org, "description", "organization.description", 20_000),
        email=_email(reader, org, "email", "organization.email"),
        website=reader.text(org, "website", "organization.website", 500) or None,
        phone=(reader.text(phones[0], "number", "organization.phones[0].number", 40) or None)
        if phones else None)


def _cost(reader: _Item, obj: dict) -> tuple[int | None, str] | str:
    options = reader.objects(obj, "cost_options", "cost_options")
    if len(options) > 1:
        reader.notes.append("only the first cost option is kept")
    if not options:
        fees = obj.get("fees")
        if isinstance(fees, str) and fees.strip() and not fees.strip().lower().startswith("free"):
            return "its fees say there is a charge but no cost option gives the amount"
        return None, ""
    path, option = options[0]
    amount = option.get("amount", 0)
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not (
            math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT):
        reader.bad(f"{path}.amount", f"must be an amount in pounds from 0 to {MAX_AMOUNT}, "
                                     f"not {amount!r:.40}")
        return None, ""
    described = reader.text(option, "amount_description", f"{path}.amount_description", 300)
    pence = round(amount * 100)
    return (pence or None), described


def _terms(reader: _Item, obj: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path, attribute in reader.objects(obj, "attributes", "attributes"):
        term_obj = attribute.get("taxonomy_term") if isinstance(
            attribute.get("taxonomy_term"), dict) else {}
        term = taxonomies.term_by_id(str(attribute.get("taxonomy_term_id") or "").lower()) \
            or taxonomies.term_by_id(str(term_obj.get("id") or "").lower())
        key = taxonomies.taxonomy_key_of(str(term_obj.get("taxonomy_id") or "").lower())
        if term is None and key and isinstance(term_obj.get("term"), str):
            term = taxonomies.term_for(key, term_obj["term"])
        if term is None:
            name = term_obj.get("name") or attribute.get("taxonomy_term_id") or "?"
            reader.notes.append(f"{path}: the taxonomy term {str(name)[:60]!r} is not one of "
                                f"ours, left out")
            continue
        group = "category" if term.taxonomy_key in (
            taxonomies.CATALOGUE, taxonomies.COMMUNITY_CATEGORIES) else term.taxonomy_key
        if group == "category" and not is_category(term.slug):
            reader.notes.append(f"{path}: {term.slug!r} is not a community category, left out")
            continue
        if term.slug not in found.setdefault(group, []):
            found[group].append(term.slug)
    return found


def _languages(reader: _Item, obj: dict) -> list[str]:
    by_name = {str(name).lower(): code for code, name in LANGUAGES.items()}
    codes = []
    for path, language in reader.objects(obj, "languages", "languages"):
        code = language.get("code")
        name = language.get("name")
        code = code if code in LANGUAGES else by_name.get(str(name or "").lower())
        if code is None:
            if code or name:
                reader.notes.append(f"{path}: language {str(name or code)[:40]!r} is not one "
                                    f"we list, left out")
            continue
        if code not in codes:
            codes.append(code)
    return codes


def _place(reader: _Item, path: str, link: dict, fallback: str, access: dict) -> Place | None:
    link_uuid = reader.uuid(link, "id", f"{path}.id")
    loc = link.get("location")
    if not isinstance(loc, dict):
        reader.bad(f"{path}.location", "is required")
        return None
    kind = loc.get("location_type")
    if kind not in ("physical", "postal", "virtual"):
        reader.bad(f"{path}.location.location_type",
                   f"must be physical, postal or virtual, not {kind!r:.40}")
    addresses = reader.objects(loc, "addresses", f"{path}.location.addresses")
    address = addresses[0][1] if addresses else {}
    apath = f"{path}.location.addresses[0]"
    postcode = reader.text(address, "postal_code", f"{apath}.postal_code", 12)
    place = Place(
        uuid=reader.uuid(loc, "id", f"{path}.location.id"), link_uuid=link_uuid,
        location_type=LocationType.VIRTUAL if kind == "virtual" else LocationType.PHYSICAL,
        name=reader.text(loc, "name", f"{path}.location.name", 200),
        description=reader.text(loc, "description", f"{path}.location.description", 20_000),
        address_1=reader.text(address, "address_1", f"{apath}.address_1", 200),
        address_2=reader.text(address, "address_2", f"{apath}.address_2", 200),
        city=reader.text(address, "city", f"{apath}.city", 100),
        postcode=postcode_of(postcode) if postcode else None)
    if place.postcode and len(place.postcode) > 10:
        reader.bad(f"{apath}.postal_code", "is longer than a postcode can be")
    place.name = place.name or place.address_1 or fallback
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if lat is not None or lon is not None:
        if (isinstance(lat, int | float) and isinstance(lon, int | float)
                and not isinstance(lat, bool) and -90 <= lat <= 90 and -180 <= lon <= 180):
            place.latitude, place.longitude = float(lat), float(lon)
        else:
            reader.notes.append(f"{path}.location: latitude/longitude {lat!r:.20}, {lon!r:.20} "
                                f"are not a place on Earth, left out")
    labels = {str(label).lower(): slug for slug, label in ACCESSIBILITY.items()}
    for apath2, item in reader.objects(loc, "accessibility", f"{path}.location.accessibility"):
        text = reader.text(item, "description", f"{apath2}.description", 2000)
        slug = labels.get(text.lower()) or (text if text in ACCESSIBILITY else None)
        if slug:
            access["slugs"].append(slug)
        elif text:
            access["notes"].append(text)
        details = reader.text(item, "details", f"{apath2}.details", 20_000)
        if details:
            access["notes"].append(details)
    return place


def read_listing(reader: _Item, obj: dict, uuid: str, default_kind: CommunityKind,
                 default_category: str) -> Listing | str | None:
    """The listing of one item; a string says why the item is skipped."""
    name = reader.text(obj, "name", "name", 200, required=True)
    text = reader.text(obj, "description", "description", 100_000)
    summary, _, rest = text.partition("\n\n")
    if not rest or len(summary) > 500:
        summary, rest = "", text
    organisation = _organisation(reader, obj)
    cost = _cost(reader, obj)
    if isinstance(cost, str):
        return cost
    minimum = reader.whole(obj, "minimum_age", "minimum_age", 0, 150)
    maximum = reader.whole(obj, "maximum_age", "maximum_age", 0, 150)
    if minimum is not None and maximum is not None and minimum > maximum:
        reader.bad("maximum_age", f"is less than minimum_age ({maximum} < {minimum})")
    terms = _terms(reader, obj)
    access = {"slugs": list(terms.get(taxonomies.ACCESSIBILITY, [])), "notes": []}
    places, place_ids = [], {}
    for path, link in reader.objects(obj, "service_at_locations", "service_at_locations"):
        place = _place(reader, path, link, name, access)
        if place is None:
            continue
        if place.link_uuid in place_ids or place.uuid in {p.uuid for p in places}:
            reader.bad(f"{path}.id", "repeats another service_at_location of this item")
        place_ids[place.link_uuid] = path
        places.append(place)
    schedules = []
    for path, item in reader.objects(obj, "schedules", "schedules"):
        link_uuid = item.get("service_at_location_id")
        if link_uuid is not None and str(link_uuid).lower() not in place_ids:
            reader.bad(f"{path}.service_at_location_id",
                       "is not the id of one of this item's service_at_locations")
        rule = schedule_rule(reader, item, path)
        schedule = Schedule(uuid=reader.uuid(item, "id", f"{path}.id"), rule=rule,
                            description=reader.text(item, "description", f"{path}.description",
                                                    20_000),
                            notes=reader.text(item, "notes", f"{path}.notes", 20_000),
                            link_uuid=str(link_uuid).lower() if link_uuid else None)
        if rule is not None:
            schedules.append(schedule)
    categories = terms.get("category", [])
    kinds = terms.get(taxonomies.KINDS, [])
    if len(categories) > 1 or len(kinds) > 1:
        reader.notes.append("only the first category and kind are kept")
    if not categories:
        reader.notes.append(f"no category of ours: filed under {default_category!r}")
    if not kinds:
        reader.notes.append(f"no kind of ours: filed as {default_kind.value!r}")
    phones = [phone for _p, contact in reader.objects(obj, "contacts", "contacts")
              for _q, phone in reader.objects(contact, "phones", "contacts[].phones")]
    phone = reader.text(phones[0], "number", "contacts[0].phones[0].number", 40) if phones else ""
    if organisation is None:
        return None
    values = dict(
        name=name, summary=summary, description=rest,
        kind=CommunityKind(kinds[0]) if kinds else default_kind,
        category=categories[0] if categories else default_category,
        cost_pence=cost[0], cost_description=cost[1], min_age=minimum, max_age=maximum,
        needs=terms.get(taxonomies.NEEDS, []),
        circumstances=terms.get(taxonomies.CIRCUMSTANCES, []),
        accessibility=list(dict.fromkeys(access["slugs"])),
        accessibility_notes="\n\n".join(dict.fromkeys(access["notes"])),
        languages=_languages(reader, obj), email=_email(reader, obj, "email", "email"),
        phone=phone or None, website=reader.text(obj, "url", "url", 500) or None)
    return Listing(reader.label, uuid, organisation, values, places, schedules, reader.notes)
