"""The order lifecycle table: every (from, to) pair, for every actor, is either
allowed exactly as the table says or refused."""

from __future__ import annotations

import itertools

import pytest

from marketplace.ordering.lifecycle import (
    FINAL,
    TABLE,
    Actor,
    InvalidTransition,
    NotAllowed,
    OrderStatus,
    ReasonRequired,
    Timer,
    allowed_targets,
    check,
    timed,
    timed_all,
)

S = OrderStatus

# The table as the issue states it, written out independently of the code.
EXPECTED = {
    (S.SUBMITTED, S.AWAITING_APPROVAL): {Actor.SYSTEM},
    (S.SUBMITTED, S.AWAITING_PROVIDER): {Actor.SYSTEM},
    (S.AWAITING_APPROVAL, S.APPROVED): {Actor.OFFICER},
    (S.AWAITING_APPROVAL, S.REJECTED): {Actor.OFFICER},
    (S.AWAITING_APPROVAL, S.CANCELLED): {Actor.BUYER},
    (S.APPROVED, S.AWAITING_PROVIDER): {Actor.SYSTEM},
    (S.AWAITING_PROVIDER, S.ACCEPTED): {Actor.PROVIDER},
    (S.AWAITING_PROVIDER, S.DECLINED): {Actor.PROVIDER},
    (S.AWAITING_PROVIDER, S.EXPIRED): {Actor.SYSTEM},
    (S.AWAITING_PROVIDER, S.CANCELLED): {Actor.BUYER},
    (S.ACCEPTED, S.ACTIVE): {Actor.SYSTEM, Actor.PROVIDER},
    # Changes (point 5): the system ends a notice period and a pause with an end date.
    (S.ACCEPTED, S.CANCELLED): {Actor.BUYER, Actor.PROVIDER, Actor.SYSTEM},
    (S.ACTIVE, S.PAUSED): {Actor.BUYER, Actor.PROVIDER},
    (S.PAUSED, S.ACTIVE): {Actor.BUYER, Actor.PROVIDER, Actor.SYSTEM},
    (S.ACTIVE, S.COMPLETED): {Actor.SYSTEM, Actor.PROVIDER},
    (S.ACTIVE, S.CANCELLED): {Actor.BUYER, Actor.PROVIDER, Actor.SYSTEM},
    (S.PAUSED, S.CANCELLED): {Actor.BUYER, Actor.PROVIDER, Actor.SYSTEM},
}

CASES = list(itertools.product(OrderStatus, OrderStatus, Actor))


@pytest.mark.parametrize(("source", "target", "actor"), CASES,
                         ids=lambda v: v.value)
def test_each_transition_is_allowed_or_refused_for_each_actor(source, target, actor):
    allowed = EXPECTED.get((source, target))
    if allowed is None:
        with pytest.raises(InvalidTransition):
            check(source, target, actor, reason="because")
    elif actor not in allowed:
        with pytest.raises(NotAllowed):
            check(source, target, actor, reason="because")
    else:
        assert check(source, target, actor, reason="because").target is target


def test_the_code_table_has_exactly_the_expected_transitions():
    assert set(TABLE) == set(EXPECTED)


def test_final_states_lead_nowhere():
    for state in FINAL:
        assert all(allowed_targets(state, actor) == [] for actor in Actor)


def test_refusals_declines_and_cancellations_need_a_reason_from_a_person():
    with pytest.raises(ReasonRequired):
        check(S.AWAITING_PROVIDER, S.DECLINED, Actor.PROVIDER, reason="  ")
    with pytest.raises(ReasonRequired):
        check(S.AWAITING_APPROVAL, S.REJECTED, Actor.OFFICER)
    # The buyer may withdraw an order nobody has accepted without saying why.
    assert check(S.AWAITING_PROVIDER, S.CANCELLED, Actor.BUYER).releases_money


def test_every_way_out_of_an_open_order_that_ends_it_releases_the_money():
    for (source, target), transition in TABLE.items():
        if target in FINAL:
            assert transition.releases_money, (source, target)
        else:
            assert not transition.releases_money, (source, target)


def test_timed_transitions_are_made_by_the_system():
    expiry = timed(Timer.PROVIDER_REPLY_DUE)
    assert (expiry.source, expiry.target) == (S.AWAITING_PROVIDER, S.EXPIRED)
    for timer in Timer:
        assert Actor.SYSTEM in timed(timer).actors


def test_buttons_offered_to_a_provider_for_a_new_order():
    assert allowed_targets(S.AWAITING_PROVIDER, Actor.PROVIDER) == [S.ACCEPTED, S.DECLINED]


def test_a_notice_running_out_cancels_accepted_active_and_paused_orders():
    assert {(t.source, t.target) for t in timed_all(Timer.NOTICE_ENDED)} == {
        (S.ACCEPTED, S.CANCELLED), (S.ACTIVE, S.CANCELLED), (S.PAUSED, S.CANCELLED)}
    assert all(t.releases_money for t in timed_all(Timer.NOTICE_ENDED))


def test_a_pause_with_an_end_date_restarts_by_itself_and_keeps_the_money():
    restart = timed(Timer.PAUSE_ENDED)
    assert (restart.source, restart.target) == (S.PAUSED, S.ACTIVE)
    assert not restart.releases_money
    # Pausing itself needs a reason and never moves money by the table: the pause
    # releases only the paused days (ordering.changes).
    with pytest.raises(ReasonRequired):
        check(S.ACTIVE, S.PAUSED, Actor.BUYER)
    assert not check(S.ACTIVE, S.PAUSED, Actor.BUYER, reason="In hospital").releases_money
    with pytest.raises(NotAllowed):
        check(S.ACTIVE, S.PAUSED, Actor.SYSTEM, reason="x")
    with pytest.raises(NotAllowed):
        check(S.ACTIVE, S.PAUSED, Actor.OFFICER, reason="x")
