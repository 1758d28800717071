"""A known data set for the market-gaps report: thirty budget holders in three
postcode districts, their searches, plans, orders, visits and ratings, and five
providers, with small groups (1 to 4 people) next to large ones. Rows are written
directly (the report reads rows, not how they were made); everything is committed.

The gaps it is built to show: no Urdu-speaking personal assistant in HA1 or HA2,
and short breaks planned by many people in HA3 with the only provider full."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from catalogue.models import (
    ProviderArea,
    ProviderKind,
    ProviderLanguage,
    ProviderOrganisation,
    SearchEvent,
    ServiceStatus,
    Unit,
    VettingStatus,
)
from catalogue.pricing import PriceBasis
from catalogue.search.events import person_key
from catalogue.taxonomy import Outcome
from marketplace.accounts import services
from marketplace.accounts.roles import Role
from marketplace.budgets.plans.models import (
    Decision,
    PlanDecision,
    PlanOutcome,
    PlanSpendLine,
    PlanStatus,
    SupportPlan,
    SupportPlanVersion,
)
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import EventKind, Order, OrderEvent, OrderLine, PaymentMethod
from marketplace.ordering.schedule import ScheduleKind
from marketplace.ratings.models import Rating
from tests.functional.catalogue_factories import add_rate, add_service

PA = "pa-everyday-support"
CARE = "getting-up-and-dressed"
BREAKS = "overnight-breaks"
GARDEN = "gardening"
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"


@dataclass
class GapsData:
    council: object
    other: object
    officer: object
    secret: str
    holders: list = field(default_factory=list)
    providers: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)
    start: date | None = None
    end: date | None = None

    def key(self, n: int) -> str:
        return person_key(self.holders[n].id, self.secret)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _holders(session, council, count: int) -> list:
    out = []
    for n in range(count):
        district = ("HA1", "HA2", "HA3")[n // 10]
        user = services.create_user(session, email=f"gap{n}@example.org",
                                    full_name=f"Gap Holder {n}", password="",
                                    password_hash=HASH,
                                    roles=[(Role.BUDGET_HOLDER, council.id)])
        user.postcode = f"{district} {n % 9 + 1}AB"
        out.append(user)
    session.flush()
    return out


def search(session, council, *, key, category=None, district=None, language=None,
           results=0, ordered=False, words="", days_ago=10, count=1) -> None:
    for _ in range(count):
        session.add(SearchEvent(
            at=_now() - timedelta(days=days_ago), council_id=council.id if council else None,
            words=words, filters={"category": category, "language": language},
            district=district, result_count=results, ordered=ordered, searcher_key=key,
            category=category, language=language))


def plan(session, data: GapsData, holder, spend: list[tuple[str, int]], *,
         decided_on: date | None = None, status=PlanStatus.AGREED, domain=Outcome.DAILY_LIVING):
    plan = SupportPlan(holder_id=holder.id, council_id=data.council.id, title="My plan",
                       status=status)
    version = SupportPlanVersion(number=1, status=status)
    outcome = PlanOutcome(domain=domain, what_i_want="A break", what_i_will_do="Plan it")
    outcome.spend_lines = [PlanSpendLine(category=c, amount_pence=p) for c, p in spend]
    version.outcomes = [outcome]
    if status is PlanStatus.AGREED:
        version.decisions = [PlanDecision(decision=Decision.AGREED, reason="",
                                          decided_by_id=data.officer.id,
                                          decided_on=decided_on or date.today())]
    plan.versions = [version]
    session.add(plan)


_orders = {"n": 0}


def order(session, data: GapsData, holder, service, status: OrderStatus, *, days_ago=10,
          actor=Actor.PROVIDER, code=None, reason="Free text about Mrs Example") -> Order:
    _orders["n"] += 1
    placed = _now() - timedelta(days=days_ago + 5)
    made = Order(reference=f"GAP-{_orders['n']:05d}", idempotency_key=f"gap:{_orders['n']}",
                 checkout_key=f"gapcheckout{_orders['n']:05d}", buyer_id=holder.id,
                 placed_by_id=holder.id, provider_id=service.provider_id,
                 status=status, payment_method=PaymentMethod.CARD,
                 council_id=data.council.id, total_pence=1000, created_at=placed)
    made.lines.append(OrderLine(
        service_id=service.id, service_name=service.name, category=service.category,
        unit=service.unit, unit_price_pence=service.price_pence,
        price_basis=PriceBasis.PUBLIC, public_price_pence=service.price_pence,
        total_pence=1000, kind=ScheduleKind.ONE_OFF, starts_on=placed.date(),
        quantity_hundredths=100))
    made.events.append(OrderEvent(from_status=None, to_status=OrderStatus.SUBMITTED,
                                  actor=Actor.BUYER, at=placed, kind=EventKind.STATUS))
    if status is not OrderStatus.ACTIVE:
        made.events.append(OrderEvent(
            from_status=OrderStatus.AWAITING_PROVIDER, to_status=status, actor=actor,
            reason=reason, reason_code=code, at=_now() - timedelta(days=days_ago),
            kind=EventKind.STATUS))
    session.add(made)
    session.flush()
    return made


def visits(session, made: Order, days_after: list[int], status=DeliveryStatus.CONFIRMED):
    line = made.lines[0]
    for days in days_after:
        session.add(DeliveryRecord(
            order_id=made.id, order_line_id=line.id, provider_id=made.provider_id,
            occurred_on=made.created_at.date() + timedelta(days=days),
            starts_at=None if status is DeliveryStatus.MISSED else time(9),
            ends_at=None if status is DeliveryStatus.MISSED else time(10),
            missed_reason="Not in" if status is DeliveryStatus.MISSED else None,
            units_hundredths=100, unit_price_pence=line.unit_price_pence, status=status))


def rate(session, data: GapsData, holder, made: Order, stars: int, area: str) -> None:
    line = made.lines[0]
    session.add(Rating(service_id=line.service_id, provider_id=made.provider_id,
                       buyer_id=holder.id, order_id=made.id, rated_by_id=holder.id,
                       council_id=data.council.id, category=line.category, area=area,
                       stars=stars, created_at=_now() - timedelta(days=5)))


def _supply(session, data: GapsData) -> None:
    def provider(name, areas, languages, status=VettingStatus.APPROVED, **fields):
        made = ProviderOrganisation(name=name, kind=ProviderKind.AGENCY, status=status,
                                    postcode=fields.pop("postcode", "HA1 2AB"), **fields)
        made.areas = [ProviderArea(district=d) for d in areas]
        made.languages = [ProviderLanguage(language=code) for code in languages]
        session.add(made)
        session.commit()
        data.providers[name] = made
        return made

    alder = provider("Alder", ["HA1", "HA2"], ["en", "gu"])
    data.services["alder_pa"] = add_service(session, alder, name="PA support", category=PA,
                                            price_pence=1800, capacity_per_week=10)
    data.services["alder_care"] = add_service(session, alder, name="Morning care",
                                              category=CARE, price_pence=2400,
                                              capacity_per_week=40)
    add_rate(session, data.services["alder_care"], data.council, 2200,
             date.today() - timedelta(days=30))
    birch = provider("Birch", ["HA3"], ["en"])
    data.services["birch_breaks"] = add_service(session, birch, name="Overnight breaks",
                                                category=BREAKS, unit=Unit.NIGHT,
                                                price_pence=15000, capacity_per_week=0)
    cedar = provider("Cedar", [], ["en", "ur"], postcode="HA3 5AA", coverage_radius_km=3)
    data.services["cedar_care"] = add_service(session, cedar, name="Care at home",
                                              category=CARE, price_pence=2600,
                                              capacity_per_week=None)
    add_rate(session, data.services["cedar_care"], data.council, 2300,
             date.today() - timedelta(days=90), date.today() - timedelta(days=1))
    pending = provider("Damson", ["HA1"], ["ur"], status=VettingStatus.PENDING)
    add_service(session, pending, name="Urdu PA", category=PA)
    elder = provider("Elder", ["HA1"], ["ur"])
    add_service(session, elder, name="Urdu PA draft", category=PA, status=ServiceStatus.DRAFT)


def build(app, session, council, other) -> GapsData:
    officer = services.create_user(session, email="gapofficer@example.org",
                                   full_name="Gap Officer", password="", password_hash=HASH,
                                   roles=[(Role.COUNCIL_OFFICER, council.id)])
    data = GapsData(council=council, other=other, officer=officer,
                    secret=app.config["SECRET_KEY"],
                    start=date.today() - timedelta(days=60), end=date.today())
    data.holders = _holders(session, council, 30)
    session.commit()
    _supply(session, data)
    h = data.holders
    for n in range(6):  # Urdu-speaking PAs, HA1: 6 people, nothing found
        search(session, council, key=data.key(n), category=PA, district="HA1", language="ur",
               words="urdu speaking assistant")
    for n in range(4):  # "hoist": 4 people only
        search(session, council, key=data.key(n), category=PA, district="HA1", results=1,
               words="hoist help")
    for n in range(10, 15):  # Urdu-speaking PAs, HA2: 5 people, one searching twice
        search(session, council, key=data.key(n), category=PA, district="HA2", language="ur",
               words="urdu assistant", count=2 if n == 10 else 1)
    for n in range(20, 28):  # personal care in HA3: plenty found, two ordered
        search(session, council, key=data.key(n), category=CARE, district="HA3", results=12,
               ordered=n < 22, words="morning help")
    for n in (6, 7):  # gardening in HA1: 2 people
        search(session, council, key=data.key(n), category=GARDEN, district="HA1",
               words="xylophone gardening")
    for key in [data.key(8), data.key(9), "browser1", "browser2", "browser3", "browser4"]:
        search(session, council, key=key, district=None, words="befriending welsh")
    search(session, council, key=None, category=BREAKS, district="HA3", count=2)
    for n in range(6):  # another council's people, and searches before the period
        search(session, other, key=f"other{n}", category=PA, district="HA1", language="ur")
        search(session, council, key=data.key(n), category=PA, district="HA1",
               language="ur", days_ago=100)
    for n in range(20, 27):  # short breaks planned in HA3, no order
        plan(session, data, h[n], [(BREAKS, 100_000)], domain=Outcome.RELATIONSHIPS)
    plan(session, data, h[10], [(CARE, 200_000)])  # served by an active order
    plan(session, data, h[11], [(BREAKS, 50_000)], decided_on=data.end + timedelta(days=1))
    plan(session, data, h[12], [(BREAKS, 50_000)], status=PlanStatus.SUBMITTED)
    plan(session, data, h[1], [("short-breaks", 50_000)])  # its order was declined
    session.commit()
    s = data.services
    order(session, data, h[10], s["alder_care"], OrderStatus.ACTIVE)
    for n in range(22, 27):
        order(session, data, h[n], s["cedar_care"], OrderStatus.DECLINED,
              code="no_capacity" if n < 26 else None)
    order(session, data, h[27], s["alder_pa"], OrderStatus.EXPIRED, actor=Actor.SYSTEM)
    for n in (28, 29):
        order(session, data, h[n], s["cedar_care"], OrderStatus.CANCELLED, actor=Actor.BUYER,
              code="found_other_support")
    order(session, data, h[1], s["birch_breaks"], OrderStatus.DECLINED, code="price_too_low")
    order(session, data, h[2], s["cedar_care"], OrderStatus.DECLINED, days_ago=100)
    for n, days in zip((0, 10, 11, 12, 13, 14), (1, 2, 3, 5, 8, 13), strict=True):
        made = order(session, data, h[n], s["alder_care"], OrderStatus.ACTIVE, days_ago=0)
        visits(session, made, [days - 1], status=DeliveryStatus.MISSED)
        visits(session, made, [days, days + 7])
        if n == 0:
            rate(session, data, h[n], made, 5, "HA1")
    missed_only = order(session, data, h[15], s["alder_care"], OrderStatus.ACTIVE, days_ago=0)
    visits(session, missed_only, [1], status=DeliveryStatus.MISSED)
    for n, stars in zip(range(1, 6), (4, 3, 4, 5, 2), strict=True):
        rate(session, data, h[n], order(session, data, h[n], s["alder_pa"],
                                        OrderStatus.ACTIVE), stars, "HA1")
    session.commit()
    return data
