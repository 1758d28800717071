"""The order lifecycle as data: states, the transitions between them, who may make
each one, which are timed, and which release the money an order committed.

Pure: no Flask, no session. ``check`` is the only judge of a transition; the one
service that changes an order's status (``ordering.services.set_status``) asks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class OrderStatus(StrEnum):
    SUBMITTED = "submitted"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    AWAITING_PROVIDER = "awaiting_provider"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL

    @property
    def tag_colour(self) -> str:
        return TAG_COLOURS.get(self, "grey")


STATUS_LABELS = {
    OrderStatus.SUBMITTED: _l("Sent"),
    OrderStatus.AWAITING_APPROVAL: _l("Waiting for council approval"),
    OrderStatus.APPROVED: _l("Approved by the council"),
    OrderStatus.REJECTED: _l("Not approved by the council"),
    OrderStatus.AWAITING_PROVIDER: _l("Waiting for the provider"),
    OrderStatus.ACCEPTED: _l("Accepted by the provider"),
    OrderStatus.DECLINED: _l("Declined by the provider"),
    OrderStatus.EXPIRED: _l("Expired: the provider did not answer"),
    OrderStatus.ACTIVE: _l("Active"),
    OrderStatus.PAUSED: _l("Paused"),
    OrderStatus.COMPLETED: _l("Completed"),
    OrderStatus.CANCELLED: _l("Cancelled"),
}

TAG_COLOURS = {
    OrderStatus.AWAITING_APPROVAL: "yellow", OrderStatus.AWAITING_PROVIDER: "yellow",
    OrderStatus.APPROVED: "blue", OrderStatus.ACCEPTED: "blue", OrderStatus.ACTIVE: "green",
    OrderStatus.COMPLETED: "green", OrderStatus.REJECTED: "red", OrderStatus.DECLINED: "red",
    OrderStatus.EXPIRED: "red", OrderStatus.CANCELLED: "grey", OrderStatus.PAUSED: "orange",
}

FINAL = frozenset({OrderStatus.REJECTED, OrderStatus.DECLINED, OrderStatus.EXPIRED,
                   OrderStatus.COMPLETED, OrderStatus.CANCELLED})
# States in which the provider has (or may still) take the work on: an order in one of
# these holds its commitment on the budget.
OPEN = frozenset(OrderStatus) - FINAL


class Actor(StrEnum):
    BUYER = "buyer"        # the person, or a representative with ORDER scope
    PROVIDER = "provider"  # staff of the order's provider
    OFFICER = "officer"    # a council officer of the budget's council
    SYSTEM = "system"      # checkout and the timed `flask orders tick`

    @property
    def label(self):
        return ACTOR_LABELS[self]


ACTOR_LABELS = {
    Actor.BUYER: _l("The buyer"), Actor.PROVIDER: _l("The provider"),
    Actor.OFFICER: _l("The council"), Actor.SYSTEM: _l("Automatically"),
}


class Timer(StrEnum):
    """What a timed transition waits for (``flask orders tick`` checks them)."""

    PROVIDER_REPLY_DUE = "provider_reply_due"  # no answer within ORDER_PROVIDER_REPLY_DAYS
    START_DATE_REACHED = "start_date_reached"
    END_DATE_PASSED = "end_date_passed"
    PAUSE_ENDED = "pause_ended"    # a pause with a resume date reaches it
    NOTICE_ENDED = "notice_ended"  # the buyer's notice of cancellation has run out


@dataclass(frozen=True)
class Transition:
    source: OrderStatus
    target: OrderStatus
    actors: frozenset[Actor]
    releases_money: bool = False
    needs_reason: bool = False
    timer: Timer | None = None


class InvalidTransition(Exception):
    """No such transition in the table: the order is not in a state that allows it."""


class NotAllowed(Exception):
    """The transition exists, but this actor may not make it."""


class ReasonRequired(Exception):
    """The transition must say why (a rejection, a decline, a cancellation)."""


S = OrderStatus
B, P, OFF, SYS = Actor.BUYER, Actor.PROVIDER, Actor.OFFICER, Actor.SYSTEM


def _t(source, target, *actors, releases_money=False, needs_reason=False, timer=None):
    return Transition(source, target, frozenset(actors), releases_money, needs_reason, timer)


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.SUBMITTED, S.AWAITING_APPROVAL, SYS),
    _t(S.SUBMITTED, S.AWAITING_PROVIDER, SYS),
    _t(S.AWAITING_APPROVAL, S.APPROVED, OFF),
    _t(S.AWAITING_APPROVAL, S.REJECTED, OFF, releases_money=True, needs_reason=True),
    _t(S.AWAITING_APPROVAL, S.CANCELLED, B, releases_money=True),
    _t(S.APPROVED, S.AWAITING_PROVIDER, SYS),
    _t(S.AWAITING_PROVIDER, S.ACCEPTED, P),
    _t(S.AWAITING_PROVIDER, S.DECLINED, P, releases_money=True, needs_reason=True),
    _t(S.AWAITING_PROVIDER, S.EXPIRED, SYS, releases_money=True,
       timer=Timer.PROVIDER_REPLY_DUE),
    _t(S.AWAITING_PROVIDER, S.CANCELLED, B, releases_money=True),
    _t(S.ACCEPTED, S.ACTIVE, SYS, P, timer=Timer.START_DATE_REACHED),
    # Cancelling an accepted order: the provider at once; the buyer gives notice
    # (ordering.changes.give_notice) and the system cancels when it has run out.
    _t(S.ACCEPTED, S.CANCELLED, B, P, SYS, releases_money=True, needs_reason=True,
       timer=Timer.NOTICE_ENDED),
    _t(S.ACTIVE, S.PAUSED, B, P, needs_reason=True),
    _t(S.PAUSED, S.ACTIVE, B, P, SYS, timer=Timer.PAUSE_ENDED),
    _t(S.ACTIVE, S.COMPLETED, SYS, P, releases_money=True, timer=Timer.END_DATE_PASSED),
    _t(S.ACTIVE, S.CANCELLED, B, P, SYS, releases_money=True, needs_reason=True,
       timer=Timer.NOTICE_ENDED),
    _t(S.PAUSED, S.CANCELLED, B, P, SYS, releases_money=True, needs_reason=True,
       timer=Timer.NOTICE_ENDED),
)

TABLE: dict[tuple[OrderStatus, OrderStatus], Transition] = {
    (t.source, t.target): t for t in TRANSITIONS}


def check(source: OrderStatus, target: OrderStatus, actor: Actor,
          reason: str | None = None) -> Transition:
    """The transition from ``source`` to ``target`` if ``actor`` may make it now."""
    transition = TABLE.get((OrderStatus(source), OrderStatus(target)))
    if transition is None:
        raise InvalidTransition(f"{source} -> {target}")
    if actor not in transition.actors:
        raise NotAllowed(f"{actor} may not move an order from {source} to {target}")
    if transition.needs_reason and actor is not Actor.SYSTEM and not (reason or "").strip():
        raise ReasonRequired(f"{source} -> {target} needs a reason")
    return transition


def allowed_targets(source: OrderStatus, actor: Actor) -> list[OrderStatus]:
    """Where ``actor`` may move an order in ``source`` (for the buttons a page shows)."""
    return [t.target for t in TRANSITIONS if t.source is source and actor in t.actors]


def timed(timer: Timer) -> Transition:
    return next(t for t in TRANSITIONS if t.timer is timer)


def timed_all(timer: Timer) -> list[Transition]:
    """Every transition ``timer`` makes (a notice ends an accepted, active or paused
    order alike)."""
    return [t for t in TRANSITIONS if t.timer is timer]
