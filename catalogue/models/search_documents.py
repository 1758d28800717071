"""The PostgreSQL search back end's tables (``catalogue.search.postgres_backend``).

``search_documents`` holds one row per service: its weighted English text as a
``tsvector`` (GIN-indexed) and everything search filters, counts and sorts on,
so that a search reads one narrow table. Weekdays, languages and funding streams
are bit masks (bit n of ``weekdays`` is day n; the bits of languages and streams
are fixed by the migration's ``search_language_bit``/``search_stream_bit`` and
mirrored in ``catalogue.search.postgres_backend``), so counting them is
arithmetic rather than unnesting arrays; the districts covered are an array. ``search_words`` is the
vocabulary of listed services, trigram-indexed (pg_trgm) for "did you mean".

On PostgreSQL, triggers created by the migration keep both tables in step with
services, providers and their rows in the same transaction as every change, so
several web servers always agree (a bulk load may defer them for its transaction
and build its documents once: ``search.defer_refresh``, see ``seed_scale``).
The tables exist on SQLite too, to keep one schema, but stay empty there: the
whoosh back end is the one for SQLite.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime

TEXT_SEARCH = Text().with_variant(TSVECTOR(), "postgresql")


def _array(item):
    return JSON().with_variant(ARRAY(item), "postgresql")


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin"),
        # "Covers my area": a listed district, or a base within the radius.
        Index("ix_search_documents_areas", "areas", postgresql_using="gin"),
        Index("ix_search_documents_base_district", "base_district"),
        Index("ix_search_documents_coverage_radius_km", "coverage_radius_km"),
    )

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    listed: Mapped[bool]  # approved provider and published service (staleness: confirmed_at)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    document = mapped_column(TEXT_SEARCH, nullable=True)
    category: Mapped[str] = mapped_column(String(80))
    price_pence: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))
    cqc_registered: Mapped[bool]
    weekdays: Mapped[int] = mapped_column(SmallInteger)  # bit masks, see above
    languages: Mapped[int] = mapped_column(BigInteger)
    streams: Mapped[int]
    base_district: Mapped[str | None] = mapped_column(String(8))
    coverage_radius_km: Mapped[int | None]
    areas = mapped_column(_array(String(8)), nullable=False)


class SearchWord(Base):
    __tablename__ = "search_words"
    __table_args__ = (
        Index("ix_search_words_trigram", "word", postgresql_using="gin",
              postgresql_ops={"word": "gin_trgm_ops"}),
    )

    word: Mapped[str] = mapped_column(String(40), primary_key=True)
