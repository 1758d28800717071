"""Demo ratings, consistent with the demo orders: every buyer the rules allow to rate
(``rules.eligibility`` over the orders and delivery records the demo made) rates
the service: most reviews published (with a reply where the provider has staff on
the site), two waiting for a moderator and one passed to safeguarding. A few
council quality scores are added for the demo council, then "what works for me"
posts and questions about services (``ratings.board.demo``). Deterministic (a fixed seed)
and idempotent (nothing is added once any rating exists).

Called by ``marketplace.demo.seed`` after the ordering demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from catalogue.models import ProviderKind, ProviderOrganisation, Service, VettingStatus
from marketplace.accounts.models import Council, User
from marketplace.ordering.models import Order
from marketplace.ratings import rules
from marketplace.ratings.models import CouncilQualityScore, Rating, ReviewReply, ReviewStatus
from marketplace.ratings.services import RatingInput, order_facts, rate

REVIEWS = [
    (5, "The same two carers come every time and they always ask what I want first."),
    (4, "Kind and reliable. Once they were half an hour late but they phoned ahead."),
    (5, "My mum looks forward to the visits. They chat with her in Gujarati."),
    (3, "The care is fine but the office is hard to get hold of at weekends."),
    (4, "Good value. They sorted out a change of days within a week."),
]
# The third and sixth reviews wait for a moderator; the fifth is from someone
# worried about safety (it goes to the council's safeguarding queue, never published).
PENDING_AT = {3, 6}
WORRIED_AT = 4
WORRIED = (2, "One of the carers shouted at my dad when he was slow getting dressed and "
              "he is now frightened of the morning visits.")
REPLIES = [
    "Thank you for taking the time to tell us. We will pass this on to the team.",
    "Thank you. We are sorry about the weekend calls and have added an out-of-hours number.",
]


def seed_ratings(session, today: date) -> int:
    """Rate what the demo buyers may rate; returns how many ratings were made."""
    if session.scalar(select(func.count(Rating.id))):
        return 0
    rng = random.Random(8)
    made = 0
    buyers = list(session.scalars(select(Order.buyer_id).distinct().order_by(Order.buyer_id)))
    for buyer_id in buyers:
        buyer = session.get(User, buyer_id)
        facts = order_facts(session, buyer_id)
        for service_id in sorted({f.service_id for f in facts}):
            viewer = rules.Viewer(buyer_id)
            if not rules.eligibility(viewer, service_id, facts).allowed:
                continue
            service = session.get(Service, service_id)
            stars, text = REVIEWS[rng.randrange(len(REVIEWS))]
            worried = made == WORRIED_AT
            if worried:
                stars, text = WORRIED
            rating = rate(session, viewer=viewer, service=service, rated_by=buyer,
                          given=RatingInput(stars=stars, kindness=min(5, stars + 1),
                                            on_time=stars, communication=max(1, stars - 1),
                                            text=text, worried=worried))
            made += 1
            if worried or made in PENDING_AT:
                continue  # in the safeguarding queue, or waiting for a moderator
            rating.review_status = ReviewStatus.PUBLISHED
            members = service.provider.members
            if members:
                session.add(ReviewReply(rating_id=rating.id, provider_id=service.provider_id,
                                        author_id=members[0].user_id,
                                        text=REPLIES[rng.randrange(len(REPLIES))]))
    _quality_scores(session, today, rng)
    session.flush()
    from marketplace.ratings.board.demo import seed_conversations  # posts and questions

    seed_conversations(session, today)
    return made


def _quality_scores(session, today: date, rng: random.Random) -> None:
    council = session.scalar(select(Council).where(Council.slug == "ashdown"))
    if council is None:
        return
    providers = session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.status == VettingStatus.APPROVED,
        ProviderOrganisation.kind.in_([ProviderKind.AGENCY, ProviderKind.CHARITY])).order_by(
        ProviderOrganisation.id).limit(6))
    for provider in providers:
        session.add(CouncilQualityScore(
            council_id=council.id, provider_id=provider.id, score=rng.randrange(62, 96),
            assessed_on=today - timedelta(days=rng.randrange(30, 300))))
