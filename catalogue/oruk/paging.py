"""One page of services from both catalogues, paged in the database.

Each catalogue gives a query of (source, id, name, tie) rows; their UNION ALL is
counted and ordered by name in the database, and only the page's rows are loaded
and serialised, so a paid catalogue of 100,000 services costs one count and one
small page, not a walk through Python."""

from __future__ import annotations

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from catalogue.oruk.params import Filters


def page_keys(session: Session, queries: list, filters: Filters) -> tuple[int, list]:
    """(total, [(source, id), ...] of the page)."""
    # Each part is counted on its own: databases count a plain query faster than a
    # UNION they would first have to build.
    total = sum(session.scalar(select(func.count()).select_from(query.subquery())) or 0
                for query in queries)
    if filters.offset >= total:
        return total, []
    union = union_all(*queries).subquery()
    rows = session.execute(
        select(union.c.source, union.c.id)
        .order_by(union.c.name, union.c.source, union.c.tie)
        .limit(filters.per_page).offset(filters.offset)).all()
    return total, [(row.source, row.id) for row in rows]


def envelope(total: int, filters: Filters, contents: list) -> dict:
    """The profile's paging envelope (``components.schemas.Page``) around ``contents``."""
    pages = -(-total // filters.per_page)
    return {"total_items": total, "total_pages": pages, "page_number": filters.page,
            "size": len(contents), "first_page": filters.page == 1,
            "last_page": filters.page >= pages, "empty": not contents, "contents": contents}
