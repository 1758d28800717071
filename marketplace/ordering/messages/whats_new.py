"""The "what's new" lists, as template globals for the person's home page and the
provider's dashboard: each notification as a line of text and a link."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from marketplace.db import db
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.messages import notifications
from marketplace.ordering.messages.models import NoticeKind, Notification


@dataclass(frozen=True)
class Item:
    text: str
    href: str
    at: object


def _status_label(value: str | None) -> str:
    try:
        return str(OrderStatus(value).label)
    except ValueError:
        return value or ""


def _describe(notice: Notification, *, provider: bool) -> Item:
    order = notice.order
    reference = order.reference if order is not None else ""
    kind = notice.kind
    if kind is NoticeKind.ORDER_STATUS:
        text = _("Order %(reference)s: %(status)s", reference=reference,
                 status=_status_label(notice.detail))
        href = url_for("provider_orders.order" if provider else "ordering.order",
                       order_id=notice.order_id)
    elif kind is NoticeKind.MESSAGE:
        text = _("New message: %(subject)s", subject=notice.detail or "")
        href = url_for("provider_messages.thread" if provider else "messages.thread",
                       conversation_id=notice.conversation_id)
    elif kind is NoticeKind.DELIVERY_RECORDED:
        text = _("A visit on %(date)s was recorded (%(service)s). Check it.",
                 date=format_date(notice.delivery.occurred_on, "d MMMM yyyy"),
                 service=notice.detail or "")
        href = url_for("deliveries.answer", delivery_id=notice.delivery_id)
    elif kind is NoticeKind.DELIVERY_DISPUTED:
        text = _("The visit on %(date)s for order %(reference)s was disputed",
                 date=format_date(notice.delivery.occurred_on, "d MMMM yyyy"),
                 reference=reference)
        href = url_for("provider_deliveries.resolve_dispute", delivery_id=notice.delivery_id)
    else:
        text = _("The dispute about the visit on %(date)s has been closed",
                 date=format_date(notice.delivery.occurred_on, "d MMMM yyyy"))
        href = url_for("deliveries.answer", delivery_id=notice.delivery_id)
    return Item(text, href, notice.created_at)


def whats_new_for_person(person) -> list[Item]:
    return [_describe(n, provider=False)
            for n in notifications.unread_for_person(db.session, person.id)]


def whats_new_for_provider() -> list[Item]:
    from marketplace.ordering.access import member_provider_ids

    return [_describe(n, provider=True) for n in notifications.unread_for_providers(
        db.session, member_provider_ids())]
