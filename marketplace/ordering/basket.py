"""Each person's basket: services with a schedule and a quantity, at the price the
person saw when they added them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.listing import ListingState
from catalogue.models import Service
from catalogue.pricing import PriceQuote, RateTerm, funding_councils, price_for
from marketplace.ordering.models import Basket, BasketLine
from marketplace.ordering.schedule import (
    Schedule,
    commitment_pence,
    visit_cost_pence,
    weekly_cost_pence,
)


def quote_for(service: Service, person, on: date) -> PriceQuote:
    """The price that applies to ``person`` (catalogue.pricing.price_for)."""
    rates = [RateTerm(r.council_id, r.rate_pence, r.starts_on, r.ends_on)
             for r in service.council_rates]
    return price_for(service.price_pence, rates, funding_councils(person), on)


def basket_of(session: Session, person, *, create: bool = False) -> Basket | None:
    basket = session.scalar(select(Basket).where(Basket.person_id == person.id))
    if basket is None and create:
        basket = Basket(person_id=person.id)
        session.add(basket)
        session.flush()
    return basket


def line_of(session: Session, person, line_id: int) -> BasketLine | None:
    """A line of this person's basket (None if it is someone else's or missing)."""
    line = session.get(BasketLine, line_id)
    if line is None or line.basket.person_id != person.id:
        return None
    return line


def add_line(session: Session, person, service: Service, schedule: Schedule,
             price_seen_pence: int) -> BasketLine:
    basket = basket_of(session, person, create=True)
    line = BasketLine(service_id=service.id, price_seen_pence=price_seen_pence)
    set_schedule(line, schedule)
    basket.lines.append(line)
    session.flush()
    return line


def set_schedule(line: BasketLine, schedule: Schedule) -> None:
    line.kind = schedule.kind
    line.starts_on = schedule.starts_on
    line.ends_on = schedule.ends_on if schedule.recurring else None
    line.weekdays = sorted(schedule.weekdays) if schedule.recurring else []
    line.start_time = schedule.start_time
    line.end_time = schedule.end_time
    line.quantity_hundredths = schedule.quantity_hundredths


@dataclass(frozen=True)
class LineView:
    """A basket line as the person sees it now: price, costs and anything to fix."""

    line: BasketLine
    quote: PriceQuote
    visit_pence: int
    weekly_pence: int | None
    total_pence: int | None  # to the end of the order or of the horizon; None if open
    available: bool
    price_changed: bool

    @property
    def service(self) -> Service:
        return self.line.service

    @property
    def orderable(self) -> bool:
        return self.available and not self.price_changed


def view_line(line: BasketLine, person, on: date, state: ListingState) -> LineView:
    quote = quote_for(line.service, person, on)
    schedule = line.schedule
    total = None
    if schedule.last_day is not None:
        total = commitment_pence(schedule, quote.pence, schedule.last_day)
    return LineView(line=line, quote=quote,
                    visit_pence=visit_cost_pence(quote.pence, schedule.quantity_hundredths),
                    weekly_pence=weekly_cost_pence(schedule, quote.pence), total_pence=total,
                    available=state.public, price_changed=quote.pence != line.price_seen_pence)


def confirm_prices(lines: list[LineView]) -> int:
    """The person has seen the new prices: remember them. Returns how many changed."""
    changed = 0
    for view in lines:
        if view.price_changed:
            view.line.price_seen_pence = view.quote.pence
            changed += 1
    return changed
