"""Rating operations: who may rate (facts for ``rules.eligibility``), saving a rating
(a new version each time), replies, reports, and the figures shown and searched.

They take the session, flush and never commit (the view commits once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.geo import UnknownPostcode, district_of
from catalogue.models import Service
from catalogue.taxonomy import CATEGORIES
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.models import Order, OrderLine
from marketplace.ratings import rules
from marketplace.ratings.models import (
    ConcernSource,
    Helped,
    Rating,
    RatingVersion,
    ReportReason,
    ReviewReply,
    ReviewReport,
    ReviewStatus,
    SafeguardingConcern,
)

CONTENT = ("stars", "on_time", "kindness", "communication", "value", "helped", "outcomes",
           "text", "worried", "by_representative")


class NotEligible(Exception):
    def __init__(self, eligibility: rules.Eligibility):
        super().__init__(eligibility.reason.value)
        self.eligibility = eligibility


class AlreadyReplied(Exception):
    """The provider has replied to this review already: edit that reply instead."""


# --- who may rate ----------------------------------------------------------------


def order_facts(session: Session, buyer_id: int,
                service_id: int | None = None) -> list[rules.OrderFacts]:
    """The buyer's orders (of one service, or of every service), with the number of
    visits or sessions delivered on each (records that are billable: recorded,
    confirmed, or a dispute closed as 'happened as recorded')."""
    delivered = (
        select(DeliveryRecord.order_line_id, func.count().label("n"))
        .where((DeliveryRecord.status.in_([DeliveryStatus.RECORDED, DeliveryStatus.CONFIRMED]))
               | ((DeliveryRecord.status == DeliveryStatus.RESOLVED)
                  & (DeliveryRecord.outcome == DisputeOutcome.STANDS)))
        .group_by(DeliveryRecord.order_line_id).subquery())
    query = (select(Order.id, Order.buyer_id, OrderLine.service_id, Order.status,
                    func.coalesce(delivered.c.n, 0))
             .join(OrderLine, OrderLine.order_id == Order.id)
             .outerjoin(delivered, delivered.c.order_line_id == OrderLine.id)
             .where(Order.buyer_id == buyer_id).order_by(Order.id))
    if service_id is not None:
        query = query.where(OrderLine.service_id == service_id)
    facts: dict[tuple[int, int], rules.OrderFacts] = {}
    for order_id, buyer, service, status, n in session.execute(query):
        key = (order_id, service)
        before = facts.get(key)
        facts[key] = rules.OrderFacts(order_id, buyer, service, status,
                                      n + (before.delivered_visits if before else 0))
    return list(facts.values())


def eligibility_for(session: Session, viewer: rules.Viewer,
                    service_id: int) -> rules.Eligibility:
    if viewer.user_id is None:
        return rules.eligibility(viewer, service_id, [])
    buyer_id = viewer.acting_for_id or viewer.user_id
    return rules.eligibility(viewer, service_id, order_facts(session, buyer_id, service_id))


def rateable_services(session: Session, viewer: rules.Viewer) -> list[tuple[Service,
                                                                             rules.Eligibility]]:
    """Every service the buyer has ordered, with whether they may rate it yet."""
    buyer_id = viewer.acting_for_id or viewer.user_id
    facts = order_facts(session, buyer_id)
    out = []
    for service_id in sorted({f.service_id for f in facts}):
        service = session.get(Service, service_id)
        out.append((service, rules.eligibility(viewer, service_id, facts)))
    return out


def rating_of(session: Session, buyer_id: int, service_id: int) -> Rating | None:
    return session.scalar(select(Rating).where(Rating.buyer_id == buyer_id,
                                               Rating.service_id == service_id))


# --- saving ----------------------------------------------------------------------


@dataclass
class RatingInput:
    stars: int
    on_time: int | None = None
    kindness: int | None = None
    communication: int | None = None
    value: int | None = None
    helped: Helped | None = None
    outcomes: tuple[str, ...] = ()
    text: str | None = None
    worried: bool = False


def _council_of(buyer: User, order: Order) -> int | None:
    if order.council_id:
        return order.council_id
    ids = buyer.council_ids_for(Role.BUDGET_HOLDER, Role.SELF_FUNDER)
    return min(ids) if ids else None


def _area_of(buyer: User) -> str | None:
    try:
        return district_of(buyer.postcode) if buyer.postcode else None
    except UnknownPostcode:
        return None


def rate(session: Session, *, viewer: rules.Viewer, service: Service, given: RatingInput,
         rated_by: User) -> Rating:
    """Save the buyer's rating of ``service`` (a new one, or a new version of theirs).

    Stars count at once. New or changed text waits for a moderator; text from someone
    worried about safety is never published and goes to the safeguarding queue."""
    allowed = eligibility_for(session, viewer, service.id)
    if not allowed.allowed:
        raise NotEligible(allowed)
    if given.stars not in rules.STARS:
        raise ValueError("stars")
    buyer = session.get(User, allowed.buyer_id)
    order = session.get(Order, allowed.order_id)
    text = (given.text or "").strip() or None
    values = dict(stars=given.stars, on_time=given.on_time, kindness=given.kindness,
                  communication=given.communication, value=given.value, helped=given.helped,
                  outcomes=list(given.outcomes), text=text, worried=given.worried,
                  by_representative=allowed.by_representative)
    rating = rating_of(session, buyer.id, service.id)
    now = utcnow()
    if rating is None:
        rating = Rating(service_id=service.id, provider_id=service.provider_id,
                        buyer_id=buyer.id, version=0, created_at=now,
                        review_status=ReviewStatus.NONE)
        session.add(rating)
        text_changed = text is not None
    else:
        text_changed = text != rating.text
    was = rating.review_status
    for key, value in values.items():
        setattr(rating, key, value)
    rating.order_id = order.id
    rating.rated_by_id = rated_by.id
    rating.council_id = _council_of(buyer, order)
    rating.category = service.category
    rating.area = _area_of(buyer)
    rating.version += 1
    rating.updated_at = now
    if was is ReviewStatus.SAFEGUARDING:
        pass  # once raised as a concern, this review is never published
    elif text is None:
        rating.review_status = ReviewStatus.NONE
    elif given.worried:
        rating.review_status = ReviewStatus.SAFEGUARDING
    elif text_changed or was is ReviewStatus.NONE:
        rating.review_status = ReviewStatus.PENDING
    if text_changed or given.worried:
        rating.moderated_by_id = rating.moderated_at = rating.moderation_reason = None
    rating.versions.append(RatingVersion(number=rating.version, rated_by_id=rated_by.id,
                                         created_at=now, **values))
    session.flush()
    if given.worried and (text_changed or was is not ReviewStatus.SAFEGUARDING):
        raise_concern(session, rating, ConcernSource.REVIEWER, raised_by=rated_by)
    return rating


def raise_concern(session: Session, rating: Rating, source: ConcernSource, *,
                  raised_by: User | None, note: str | None = None) -> SafeguardingConcern:
    """Take the review off the site (if it was shown) and put it in the buyer's
    council's safeguarding queue."""
    rating.review_status = ReviewStatus.SAFEGUARDING
    words = rating.text or ""
    if note:
        words = f"{words}\n\n{note}".strip()
    concern = SafeguardingConcern(
        rating_id=rating.id, council_id=rating.council_id, source=source,
        text=words or "(no text)", raised_by_id=raised_by.id if raised_by else None)
    session.add(concern)
    session.flush()
    return concern


# --- replies and reports -----------------------------------------------------------


def reply(session: Session, rating: Rating, *, text: str, author: User,
          editing: bool) -> ReviewReply:
    """The provider's one public reply: made once, then only edited."""
    now = utcnow()
    existing = rating.reply
    if existing is not None and not editing:
        raise AlreadyReplied(rating.id)
    if existing is None:
        existing = ReviewReply(rating_id=rating.id, provider_id=rating.provider_id,
                               author_id=author.id, text=text.strip(), created_at=now,
                               updated_at=now)
        session.add(existing)
    else:
        existing.text = text.strip()
        existing.author_id = author.id
        existing.updated_at = now
    session.flush()
    return existing


def report(session: Session, rating: Rating, *, reason: ReportReason, details: str | None,
           reporter: User | None, from_provider: bool) -> ReviewReport:
    """Anyone may report a published review; it stays up until a moderator decides,
    except that a report of a safety worry takes it down and raises a concern."""
    found = ReviewReport(rating_id=rating.id, reason=reason,
                         details=(details or "").strip() or None,
                         reporter_id=reporter.id if reporter else None,
                         from_provider=from_provider)
    session.add(found)
    session.flush()
    if reason is ReportReason.SAFETY:
        raise_concern(session, rating, ConcernSource.REPORT, raised_by=reporter,
                      note=found.details)
    return found


# --- figures ---------------------------------------------------------------------


def category_means(session: Session) -> dict[str, float]:
    return {category: float(mean) for category, mean in session.execute(
        select(Rating.category, func.avg(Rating.stars)).group_by(Rating.category))}


def prior_for(means: dict[str, float], category: str | None) -> float | None:
    """The category's mean, else its parent's, else None (the site's prior)."""
    if category in means:
        return means[category]
    chosen = CATEGORIES.get(category) if category else None
    if chosen is not None and chosen.parent:
        children = [mean for slug, mean in means.items()
                    if slug in CATEGORIES and CATEGORIES[slug].parent == chosen.parent]
        if children:
            return sum(children) / len(children)
    return None


def _stars_by(session: Session, column, ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for key, stars in session.execute(select(column, Rating.stars)
                                          .where(column.in_(list(ids)))):
            found[key].append(stars)
    return found


def service_summaries(session: Session, services: Sequence[Service]) -> dict[int, rules.Summary]:
    means = category_means(session)
    stars = _stars_by(session, Rating.service_id, [s.id for s in services])
    return {s.id: rules.summarise(stars[s.id], prior_for(means, s.category)) for s in services}


def provider_summary(session: Session, provider_id: int) -> rules.Summary:
    """Every rating of the provider's services, pulled towards the mean of the
    categories it was rated in."""
    means = category_means(session)
    rows = session.execute(select(Rating.stars, Rating.category)
                           .where(Rating.provider_id == provider_id)).all()
    priors = [p for p in (prior_for(means, c) for _s, c in rows) if p is not None]
    prior = sum(priors) / len(priors) if priors else None
    return rules.summarise([s for s, _c in rows], prior)


def search_ratings(session, service_ids: Sequence[int]) -> dict[int, float]:
    """The search's rating source: the fair average of each service with enough
    ratings to show a figure (the others sort as unrated, after every rated one)."""
    services = list(session.scalars(select(Service).where(Service.id.in_(list(service_ids)))))
    return {service_id: summary.fair_average
            for service_id, summary in service_summaries(session, services).items()
            if summary.enough}


def published_reviews(session: Session, *, service_id: int | None = None,
                      provider_id: int | None = None, limit: int | None = None) -> list[Rating]:
    query = select(Rating).where(Rating.review_status == ReviewStatus.PUBLISHED)
    if service_id is not None:
        query = query.where(Rating.service_id == service_id)
    if provider_id is not None:
        query = query.where(Rating.provider_id == provider_id)
    query = query.order_by(Rating.updated_at.desc(), Rating.id.desc())
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))
