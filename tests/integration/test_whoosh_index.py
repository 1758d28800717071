"""The whoosh index's own machinery: what is read again after a commit, and what
happens when another process holds the index's write lock."""

from __future__ import annotations

import pytest

from catalogue.models import ServiceStatus
from catalogue.search import SearchQuery, get_search_backend
from tests.search_helpers import add_service, build_catalogue


@pytest.fixture()
def whoosh(app, db_session, council, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", "whoosh")
    with app.app_context():
        world = build_catalogue(db_session, council)
        backend = get_search_backend(app)
        yield backend, world


def test_after_a_commit_only_the_new_segment_is_read_again(whoosh, db_session):
    backend, world = whoosh
    backend.search(db_session, SearchQuery())
    before = dict(backend._segments)
    assert before
    add_service(db_session, world.fingers, "Topiary", category="gardening", price_pence=900)
    results = backend.search(db_session, SearchQuery(words="topiary"))
    assert results.total == 1
    kept = {key: facts for key, facts in backend._segments.items() if key in before}
    assert all(before[key] is facts for key, facts in kept.items())
    assert set(backend._segments) - set(before)  # the new segment


def test_a_locked_index_keeps_the_changes_and_writes_them_at_the_next_chance(
        whoosh, db_session, monkeypatch):
    import catalogue.search.whoosh_index as whoosh_index

    backend, world = whoosh
    backend.search(db_session, SearchQuery())
    monkeypatch.setattr(whoosh_index, "WRITE_TIMEOUT_SECONDS", 0.05)
    lock = backend.ix.lock("WRITELOCK")
    assert lock.acquire()
    try:
        world.gardening.status = ServiceStatus.PAUSED
        db_session.commit()
        assert backend._waiting == {world.gardening.id}
        assert backend.search(db_session, SearchQuery(words="gardening")).total == 1  # not yet
    finally:
        lock.release()
    assert backend.search(db_session, SearchQuery(words="gardening")).total == 0
    assert backend._waiting == set()
