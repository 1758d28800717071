"""Which funding streams may buy which kinds of support: one pure function, used
wherever something is bought with a budget.

A budget can pool money from several funding streams, and each stream has rules
of its own (domain notes, "Funding streams"; seed 004:370 for Supporting People).
The rules below are stated over the catalogue's two-level taxonomy
(catalogue.taxonomy.CATEGORIES). A stream allows a list of categories; naming a
top-level category allows all of its sub-categories.

- **Adult social care** and **Other funding**: anything in the catalogue. (What
  may not be bought at all, such as long-term residential care with a direct
  payment, is a legal prohibition checked when ordering, not a stream rule;
  unusual purchases are warned about, not blocked.)
- **Children's services**: anything except housing-related support, which is
  for adults holding a tenancy.
- **NHS personal health budget**: health-related support: personal care at home,
  personal assistants, short breaks and respite, equipment and technology,
  transport (to appointments and treatment), sitting and befriending (including
  dementia support), and support planning and budget management (so the budget
  can be planned and held), plus sport and fitness, which health budgets commonly
  fund for physical and mental health. Not domestic help, meals, day centres,
  leisure in general, housing support or employment support.
- **Independent Living Fund**: support to live independently in the community:
  personal care, personal assistants, domestic help, day opportunities, leisure
  and social activities, transport, short breaks, meals, sitting and befriending,
  support planning and budget management. Not equipment or adaptations (the DFG
  and community equipment pay for those), housing support or employment support.
- **Supporting People**: housing-related support only (help to keep a home,
  floating support, independent living skills such as budgeting; 004:370).
- **Disabled Facilities Grant**: equipment and adaptations only: equipment and
  technology, and small repairs and adaptations.
- **Access to Work**: work-related support only: job coaching and supported
  employment, a PA for work or study, transport, and assistive technology. Not
  courses or volunteering, which are not paid work.

A category the catalogue does not know is bought by no stream. A top-level
category is allowed only where the whole of it is (Access to Work may buy
"assistive-technology" but not "equipment-and-technology" as a whole).
"""

from __future__ import annotations

from collections.abc import Iterable

from catalogue.taxonomy import CATEGORIES, FundingStream

_EVERYTHING = frozenset(c.slug for c in CATEGORIES.values() if c.parent is None)


def _everything_except(*slugs: str) -> frozenset[str]:
    return _EVERYTHING - set(slugs)


STREAM_RULES: dict[FundingStream, frozenset[str]] = {
    FundingStream.ADULT_SOCIAL_CARE: _EVERYTHING,
    FundingStream.OTHER: _EVERYTHING,
    FundingStream.CHILDRENS_SERVICES: _everything_except("housing-support"),
    FundingStream.NHS_PERSONAL_HEALTH_BUDGET: frozenset({
        "personal-care", "personal-assistant", "short-breaks", "equipment-and-technology",
        "transport", "sitting-and-befriending", "support-planning", "budget-management",
        "sport-and-fitness",
    }),
    FundingStream.INDEPENDENT_LIVING_FUND: frozenset({
        "personal-care", "personal-assistant", "domestic-help", "day-opportunities",
        "leisure-and-social", "transport", "short-breaks", "meals", "sitting-and-befriending",
        "support-planning", "budget-management",
    }),
    FundingStream.SUPPORTING_PEOPLE: frozenset({"housing-support"}),
    FundingStream.DISABLED_FACILITIES_GRANT: frozenset({
        "equipment-and-technology", "small-repairs",
    }),
    FundingStream.ACCESS_TO_WORK: frozenset({
        "job-coaching", "pa-work-and-study", "transport", "assistive-technology",
    }),
}


def may_buy(stream: FundingStream | str, category_slug: str) -> bool:
    """True if money from ``stream`` may buy support in ``category_slug`` (a top-level
    category or a sub-category of the catalogue)."""
    try:
        stream = FundingStream(stream)
    except ValueError:
        return False
    category = CATEGORIES.get(category_slug)
    if category is None:
        return False
    allowed = STREAM_RULES[stream]
    return category.slug in allowed or (category.parent is not None
                                        and category.parent in allowed)


def streams_that_may_buy(category_slug: str,
                         streams: Iterable[FundingStream | str]) -> list[FundingStream]:
    """The streams, from ``streams`` and in their order, that may buy the category."""
    return [FundingStream(s) for s in streams if may_buy(s, category_slug)]


def categories_for(stream: FundingStream | str) -> list[str]:
    """Every category slug (top-level and sub-category) the stream may buy."""
    return [slug for slug in CATEGORIES if may_buy(stream, slug)]
