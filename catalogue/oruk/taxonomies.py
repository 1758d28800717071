"""Our vocabularies as Open Referral UK taxonomies and taxonomy terms.

Everything here is defined in code (``catalogue.taxonomy`` and
``catalogue.community.vocabulary``), so the taxonomies are built in memory, with
ids that never change: ``uuid5`` of the taxonomy key and the slug. A term's
``term`` is its slug, which is what the import reads back.

- ``catalogue``: the paid catalogue's two-level categories (sub-categories have a
  ``parent_id``); community listings in a shared category use these terms too;
- ``community-categories``: the categories only the Community Catalogue has;
- ``community-kinds``: club or group, drop-in, event and so on;
- ``needs``, ``circumstances`` and ``accessibility``: who a community listing is
  for and how accessible it is (published as the listing's attributes).

Names are English: the API is a data feed and does not follow the site's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from catalogue.community import vocabulary
from catalogue.models.community_enums import COMMUNITY_KIND_LABELS
from catalogue.oruk.ids import stable
from catalogue.taxonomy import CATEGORIES

CATALOGUE = "catalogue"
COMMUNITY_CATEGORIES = "community-categories"
KINDS = "community-kinds"
NEEDS = "needs"
CIRCUMSTANCES = "circumstances"
ACCESSIBILITY = "accessibility"

# key -> (name, description)
_TAXONOMIES = {
    CATALOGUE: ("Categories of support",
                "The two-level categories of the council's support catalogue, used by paid "
                "services and by community listings that run the same kind of activity."),
    COMMUNITY_CATEGORIES: ("Community categories",
                           "Categories of free and low-cost community groups, activities and "
                           "services that the paid catalogue does not have."),
    KINDS: ("Kinds of community listing",
            "What a community listing is: a club or group, a drop-in, an event and so on."),
    NEEDS: ("Needs", "The needs a community listing is for."),
    CIRCUMSTANCES: ("Circumstances", "The people and circumstances a community listing is for."),
    ACCESSIBILITY: ("Accessibility", "How accessible a community listing is."),
}
VERSION = "1"

# What each taxonomy's terms describe, as the attribute's link_type.
LINK_TYPES = {CATALOGUE: "category", COMMUNITY_CATEGORIES: "category", KINDS: "kind",
              NEEDS: "need", CIRCUMSTANCES: "circumstance", ACCESSIBILITY: "accessibility"}


@dataclass(frozen=True)
class Term:
    taxonomy_key: str
    slug: str
    name: str
    parent_slug: str | None = None

    @property
    def id(self) -> str:
        return term_id(self.taxonomy_key, self.slug)

    @property
    def taxonomy_id(self) -> str:
        return taxonomy_id(self.taxonomy_key)

    def as_oruk(self) -> dict:
        data = {"id": self.id, "name": self.name, "description": self.name,
                "taxonomy": _TAXONOMIES[self.taxonomy_key][0],
                "taxonomy_id": self.taxonomy_id, "term": self.slug}
        if self.parent_slug:
            data["parent_id"] = term_id(self.taxonomy_key, self.parent_slug)
        return data


def taxonomy_id(key: str) -> str:
    return stable("taxonomy", key)


def term_id(key: str, slug: str) -> str:
    return stable(f"term:{key}", slug)


@cache
def _terms() -> tuple[Term, ...]:
    terms = [Term(CATALOGUE, c.slug, str(c.name), c.parent) for c in CATEGORIES.values()]
    terms += [Term(COMMUNITY_CATEGORIES, slug, str(name))
              for slug, name in vocabulary.COMMUNITY_CATEGORIES.items()]
    terms += [Term(KINDS, kind.value, str(label)) for kind, label in COMMUNITY_KIND_LABELS.items()]
    for key, words in ((NEEDS, vocabulary.NEEDS), (CIRCUMSTANCES, vocabulary.CIRCUMSTANCES),
                       (ACCESSIBILITY, vocabulary.ACCESSIBILITY)):
        terms += [Term(key, slug, str(name)) for slug, name in words.items()]
    return tuple(terms)


def all_terms() -> tuple[Term, ...]:
    """Every term, in a fixed order. Call with the English locale (the API does)."""
    return _terms()


@cache
def _by_id() -> dict[str, Term]:
    return {term.id: term for term in _terms()}


def term_by_id(value: str) -> Term | None:
    return _by_id().get(value)


def term_for(key: str, slug: str) -> Term | None:
    return _by_id().get(term_id(key, slug))


def category_term(slug: str) -> Term | None:
    """The term of a category slug, whichever taxonomy it belongs to."""
    return term_for(CATALOGUE, slug) or term_for(COMMUNITY_CATEGORIES, slug)


def taxonomy_keys() -> list[str]:
    return list(_TAXONOMIES)


def taxonomy_key_of(value: str) -> str | None:
    return next((key for key in _TAXONOMIES if taxonomy_id(key) == value), None)


def taxonomy_as_oruk(key: str, with_terms: bool = False) -> dict:
    name, description = _TAXONOMIES[key]
    data = {"id": taxonomy_id(key), "name": name, "description": description,
            "version": VERSION}
    if with_terms:
        data["taxonomy_terms"] = [t.as_oruk() for t in _terms() if t.taxonomy_key == key]
    return data


def category_slugs_under(term: Term) -> list[str]:
    """The category slugs a category term stands for: itself and its sub-categories."""
    return [term.slug] + [t.slug for t in _terms()
                          if t.taxonomy_key == term.taxonomy_key and t.parent_slug == term.slug]
