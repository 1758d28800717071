"""Keeping the whoosh index true: after every commit that changed a service, its
provider (profile, vetting, languages, areas) or its rates, availability or
funding streams, those services are written to the index again from the
committed database. Nothing uncommitted is ever indexed: ids are collected while
the session flushes and used only once the commit has happened, and the rows are
read again by a session of their own.

With the PostgreSQL back end there is nothing to do here: database triggers keep
its search documents in step within the same transaction.

A commit made outside an application context (a test's set-up, a script) cannot
reach the app's index at once; its ids wait on the session and are written at
the next search, or when the app context ends. Ids from a transaction that was
rolled back may be written too: harmless, as what is written is read afresh.
Bulk statements (``insert(Service)`` with many rows, as ``flask demo seed
--scale`` uses) bypass the flush; after one, run ``flask search reindex``.
"""

from __future__ import annotations

import logging

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from catalogue.models import (
    CouncilRate,
    ProviderArea,
    ProviderLanguage,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
)

log = logging.getLogger(__name__)

CHANGED = "search_changed"  # ids seen in flushes of the current transaction
COMMITTED = "search_committed"  # ids committed but not yet written to the index
BULK = "search_bulk"

_SERVICE_ROWS = (CouncilRate, ServiceAvailability, ServiceFundingStream)
_PROVIDER_ROWS = (ProviderLanguage, ProviderArea)


def _note(target, kind: str, value) -> None:
    session = object_session(target)
    if session is not None and value is not None:
        session.info.setdefault(CHANGED, set()).add((kind, value))


def _row_changed(_mapper, _connection, target) -> None:
    if isinstance(target, Service):
        _note(target, "service", target.id)
    elif isinstance(target, ProviderOrganisation):
        _note(target, "provider", target.id)
    elif isinstance(target, _SERVICE_ROWS):
        _note(target, "service", target.service_id)
    elif isinstance(target, _PROVIDER_ROWS):
        _note(target, "provider", target.provider_id)


for _model in (Service, ProviderOrganisation, *_SERVICE_ROWS, *_PROVIDER_ROWS):
    for _name in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _name, _row_changed)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ in (Service, ProviderOrganisation, *_SERVICE_ROWS,
                                             *_PROVIDER_ROWS):
        state.session.info[BULK] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        # A savepoint was released (``begin_nested``): nothing is committed yet, and
        # another connection could not read the rows; wait for the real commit.
        return
    changed = session.info.pop(CHANGED, None)
    if session.info.pop(BULK, False):
        log.warning("services were changed by a bulk statement: run `flask search reindex`")
    if changed:
        session.info.setdefault(COMMITTED, set()).update(changed)
    if session.info.get(COMMITTED) and has_app_context():
        try:
            write_committed(session)
        except Exception:  # noqa: BLE001 - the commit stands; the next chance retries
            log.exception("could not update the search index; will retry")


def write_committed(session: Session) -> None:
    """Write the services committed through ``session`` to the index (whoosh only)."""
    pending = session.info.get(COMMITTED)
    if not pending or current_app.config.get("SEARCH_BACKEND", "whoosh") != "whoosh":
        session.info.pop(COMMITTED, None)
        return
    from catalogue.search import get_search_backend
    from catalogue.search.whoosh_index import reading_session

    bind = session.get_bind()
    service_ids = {value for kind, value in pending if kind == "service"}
    providers = {value for kind, value in pending if kind == "provider"}
    if providers:
        with reading_session(bind) as reader:
            service_ids.update(reader.scalars(
                select(Service.id).where(Service.provider_id.in_(providers))))
    get_search_backend(current_app).update(bind, service_ids)
    session.info.pop(COMMITTED, None)  # only once written (or queued behind a lock)


def init_app(app) -> None:
    @app.teardown_appcontext
    def _write_left_over(_exc) -> None:
        from marketplace.db import db

        if not db.session.registry.has():
            return
        session = db.session()
        if session.info.get(COMMITTED):
            try:
                write_committed(session)
            except Exception:  # noqa: BLE001 - never break the end of a request
                log.exception("could not update the search index")
