"""The provider's week: every scheduled visit of its accepted and active orders, as a
table (one row per order line, one column per day), with what was recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import render_template, request
from flask_babel import format_date
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalogue.models import ProviderOrganisation
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering.access import member_provider_ids
from marketplace.ordering.deliveries import provider_bp, rules
from marketplace.ordering.deliveries.models import DeliveryRecord
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.models import Order
from marketplace.security import roles, today

SHOWN = (OrderStatus.ACCEPTED, OrderStatus.ACTIVE)


@dataclass
class Row:
    order: Order
    line: object
    cells: list[list] = field(default_factory=list)  # per day: [(occurrence, record)]

    @property
    def visits(self) -> int:
        return sum(len(cell) for cell in self.cells)


def chosen_week() -> date:
    raw = request.args.get("week", "")[:10]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = today()
    if not date(2000, 1, 3) <= day <= date(2099, 12, 28):
        day = today()
    return rules.week_of(day)


def week_rows(provider_ids, monday: date) -> list[Row]:
    sunday = monday + timedelta(days=6)
    orders = db.session.scalars(select(Order).where(
        Order.provider_id.in_(list(provider_ids) or [-1]), Order.status.in_(SHOWN))
        .options(selectinload(Order.lines)).order_by(Order.id)).all()
    records = {(r.order_line_id, r.occurred_on): r for r in db.session.scalars(
        select(DeliveryRecord).where(
            DeliveryRecord.provider_id.in_(list(provider_ids) or [-1]),
            DeliveryRecord.occurred_on.between(monday, sunday)))}
    rows = []
    for order in orders:
        for line in order.lines:
            found = rules.occurrences(line.id, line.schedule, monday, sunday)
            if not found:
                continue
            row = Row(order, line, [[] for _ in range(7)])
            for occurrence in found:
                row.cells[occurrence.on.weekday()].append(
                    (occurrence, records.get((line.id, occurrence.on))))
            rows.append(row)
    return sorted(rows, key=lambda r: (r.line.start_time is None, r.line.start_time or 0,
                                       r.order.buyer.full_name))


@provider_bp.get("/schedule")
@roles(Role.PROVIDER_STAFF)
def schedule():
    provider_ids = member_provider_ids()
    monday = chosen_week()
    providers = db.session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.id.in_(list(provider_ids) or [-1]))
        .order_by(ProviderOrganisation.name)).all()
    rows = week_rows(provider_ids, monday)
    days = [(day, format_date(day, "EEEE d MMMM"))
            for day in (monday + timedelta(days=n) for n in range(7))]
    return render_template("ordering/deliveries/schedule.html", rows=rows, days=days,
                           monday=monday, previous=monday - timedelta(days=7),
                           following=monday + timedelta(days=7), today=today(),
                           providers=providers,
                           total=sum(row.visits for row in rows))
