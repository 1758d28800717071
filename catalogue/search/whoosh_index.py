"""The whoosh index: its schema, the document for a service, and writing.

One document per service that can be listed (approved provider, published
service). Staleness changes with the clock, not with a commit, so it is checked
when searching, from the confirmation time stored with the document. The text
is English with stemming (``StemmingAnalyzer``) and keeps the unstemmed words in
a spelling field for "did you mean". Everything a search filters, counts or
sorts on is kept in one compact column per document (``facets``, JSON).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from whoosh import fields, index, writing
from whoosh.analysis import StemmingAnalyzer
from whoosh.index import LockError

from catalogue.models import ProviderOrganisation, Service, ServiceStatus, VettingStatus
from catalogue.search.text import base_district, category_words, is_cqc_registered

log = logging.getLogger(__name__)

# How long a write waits for another process's lock: briefly after a commit (the
# services are then queued and written at the next chance), longer for a rebuild.
WRITE_TIMEOUT_SECONDS = 2.0
REBUILD_TIMEOUT_SECONDS = 60.0
CHUNK = 1000


def schema() -> fields.Schema:
    return fields.Schema(
        id=fields.NUMERIC(int, bits=64, stored=True, unique=True, signed=False),
        content=fields.TEXT(analyzer=StemmingAnalyzer(), spelling=True),
        facets=fields.COLUMN(),
    )


def open_or_create(directory: str) -> index.Index:
    os.makedirs(directory, exist_ok=True)
    if index.exists_in(directory):
        found = index.open_dir(directory)
        if "facets" in found.schema and found.schema.names() == schema().names():
            return found
        log.warning("search index in %s has an old layout: starting it afresh", directory)
    return index.create_in(directory, schema())


def _load(session: Session, ids: list[int]) -> list[Service]:
    return list(session.scalars(
        select(Service).where(Service.id.in_(ids)).options(
            joinedload(Service.provider).selectinload(ProviderOrganisation.languages),
            joinedload(Service.provider).selectinload(ProviderOrganisation.areas),
            selectinload(Service.availability), selectinload(Service.funding_streams),
            selectinload(Service.council_rates))).unique())


def listable(service: Service) -> bool:
    return (service.status is ServiceStatus.PUBLISHED
            and service.provider.status is VettingStatus.APPROVED)


def document(service: Service) -> dict:
    """The index document of a service (whose provider is loaded)."""
    provider = service.provider
    text = " ".join([service.name, service.name, provider.name, category_words(service.category),
                     service.summary or "", service.description or ""])
    rates = sorted(service.council_rates, key=lambda rate: rate.id)
    facets = {
        "s": service.id, "c": service.category, "p": service.price_pence,
        "k": provider.kind.value, "q": is_cqc_registered(provider.cqc_location_id,
                                                        provider.cqc_status),
        "d": sorted({slot.weekday for slot in service.availability}),
        "l": sorted(provider.language_codes), "f": sorted(s.value for s in service.stream_codes),
        "b": base_district(provider.postcode), "r": provider.coverage_radius_km,
        "a": sorted(provider.districts), "t": service.last_confirmed_at.timestamp(),
        "rt": [[r.council_id, r.rate_pence, r.starts_on.toordinal(),
                r.ends_on.toordinal() if r.ends_on else None] for r in rates],
    }
    return {"id": service.id, "content": text,
            "facets": json.dumps(facets, separators=(",", ":")).encode()}


def reading_session(bind) -> Session:
    """A session of its own for reading what to index: on an engine it gets a fresh
    connection, so it sees only committed data; on a connection (the tests' one
    transaction) it works inside a savepoint that it rolls back."""
    return Session(bind=bind, join_transaction_mode="create_savepoint")


def update(ix: index.Index, bind, service_ids: Iterable[int]) -> None:
    """Bring these services' documents up to date with the committed database.
    Raises LockError if another process keeps the index locked too long."""
    ids = sorted(set(service_ids))
    if not ids:
        return
    writer = ix.writer(timeout=WRITE_TIMEOUT_SECONDS)
    try:
        with reading_session(bind) as session:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                found = {service.id: service for service in _load(session, chunk)}
                for service_id in chunk:
                    service = found.get(service_id)
                    if service is not None and listable(service):
                        writer.update_document(**document(service))
                    else:
                        writer.delete_by_term("id", service_id)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def rebuild(ix: index.Index, bind) -> int:
    """Index every listable service afresh; searches see the old index until the
    new one is committed. Returns the number of documents."""
    writer = ix.writer(timeout=REBUILD_TIMEOUT_SECONDS, limitmb=128)
    count = 0
    try:
        with reading_session(bind) as session:
            ids = list(session.scalars(
                select(Service.id).join(Service.provider)
                .where(Service.status == ServiceStatus.PUBLISHED,
                       ProviderOrganisation.status == VettingStatus.APPROVED)
                .order_by(Service.id)))
            for start in range(0, len(ids), CHUNK):
                for service in _load(session, ids[start:start + CHUNK]):
                    writer.add_document(**document(service))
                    count += 1
                session.expunge_all()  # keep memory flat on large catalogues
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=writing.CLEAR)
    return count


__all__ = ["LockError", "document", "open_or_create", "rebuild", "update"]
