"""The reports there are: each a title, an introduction and a builder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from marketplace.reports.filters import ReportFilters
from marketplace.reports.tables import Report


@dataclass(frozen=True)
class ReportSpec:
    slug: str
    title: object          # lazy strings
    summary: object
    build: Callable[[Session, ReportFilters], Report]
    order: int = 100
    in_pack: bool = True   # part of the published "market position" pack


REPORTS: dict[str, ReportSpec] = {}


def register(slug: str, title, summary, *, order: int = 100, in_pack: bool = True):
    """Decorator for a builder: ``@register("gaps", _l("Market gaps"), _l("..."))``."""
    def decorate(build):
        REPORTS[slug] = ReportSpec(slug, title, summary, build, order, in_pack)
        return build
    return decorate


def ordered() -> list[ReportSpec]:
    return sorted(REPORTS.values(), key=lambda spec: (spec.order, spec.slug))
