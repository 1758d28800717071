"""Who may rate a service, and the figures shown: pure rules, every kind of user and
every order state."""

from __future__ import annotations

import pytest

from marketplace.accounts.roles import Scope
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ratings.rules import (
    MIN_DELIVERED_VISITS,
    OrderFacts,
    Reason,
    Viewer,
    bayesian_average,
    eligibility,
    one_decimal,
    summarise,
)

BUYER, OTHER, REP, STAFF = 1, 2, 3, 4
SERVICE, ELSEWHERE = 10, 11


def order(status, visits=0, buyer=BUYER, service=SERVICE, order_id=100):
    return OrderFacts(order_id, buyer, service, OrderStatus(status), visits)


# The answer for the buyer's own order of the service, in every state, with no visits
# delivered and with exactly enough.
EXPECTED = {
    OrderStatus.SUBMITTED: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.AWAITING_APPROVAL: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.APPROVED: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.REJECTED: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.AWAITING_PROVIDER: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.ACCEPTED: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.DECLINED: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.EXPIRED: (Reason.TOO_FEW_VISITS, Reason.TOO_FEW_VISITS),
    OrderStatus.ACTIVE: (Reason.TOO_FEW_VISITS, Reason.DELIVERED),
    OrderStatus.PAUSED: (Reason.TOO_FEW_VISITS, Reason.DELIVERED),
    OrderStatus.COMPLETED: (Reason.COMPLETED, Reason.COMPLETED),
    OrderStatus.CANCELLED: (Reason.TOO_FEW_VISITS, Reason.DELIVERED),
}


def test_every_order_state_is_covered():
    assert set(EXPECTED) == set(OrderStatus)


@pytest.mark.parametrize("status", list(OrderStatus), ids=lambda s: s.value)
def test_the_buyer_may_rate_only_a_completed_order_or_one_with_enough_visits(status):
    none, enough = EXPECTED[status]
    assert eligibility(Viewer(BUYER), SERVICE, [order(status, 0)]).reason is none
    found = eligibility(Viewer(BUYER), SERVICE, [order(status, MIN_DELIVERED_VISITS)])
    assert found.reason is enough
    assert found.allowed is enough.allowed
    if found.allowed:
        assert (found.buyer_id, found.order_id, found.by_representative) == (BUYER, 100, False)


@pytest.mark.parametrize("status", [OrderStatus.ACTIVE, OrderStatus.PAUSED,
                                    OrderStatus.CANCELLED])
def test_two_delivered_visits_are_not_enough(status):
    found = eligibility(Viewer(BUYER), SERVICE, [order(status, MIN_DELIVERED_VISITS - 1)])
    assert found.reason is Reason.TOO_FEW_VISITS
    assert found.delivered_visits == MIN_DELIVERED_VISITS - 1


@pytest.mark.parametrize("status", list(OrderStatus), ids=lambda s: s.value)
def test_no_one_may_rate_through_someone_elses_order(status):
    theirs = [order(status, 10, buyer=OTHER)]
    for user in (BUYER, REP, STAFF):  # another buyer, a representative, provider staff
        found = eligibility(Viewer(user), SERVICE, theirs)
        assert found.reason is Reason.NO_ORDER and not found.allowed


def test_an_order_of_another_service_does_not_count():
    found = eligibility(Viewer(BUYER), SERVICE,
                        [order(OrderStatus.COMPLETED, 10, service=ELSEWHERE)])
    assert found.reason is Reason.NO_ORDER


def test_someone_not_signed_in_may_not_rate():
    assert eligibility(Viewer(None), SERVICE, [order("completed")]).reason is \
        Reason.NOT_SIGNED_IN


def test_users_with_no_orders_may_not_rate():
    # Officers, finance officers, commissioners, administrators, provider staff,
    # organisers and representatives acting for no one hold no orders of their own.
    for user in (STAFF, REP, 99):
        assert eligibility(Viewer(user), SERVICE, []).reason is Reason.NO_ORDER


@pytest.mark.parametrize("scope", [Scope.ORDER, Scope.MONEY])
def test_a_representative_with_authority_to_order_rates_for_the_buyer(scope):
    found = eligibility(Viewer(REP, acting_for_id=BUYER, acting_scope=scope), SERVICE,
                        [order("completed")])
    assert found.allowed and found.by_representative and found.buyer_id == BUYER


def test_a_representative_who_may_only_view_cannot_rate():
    found = eligibility(Viewer(REP, acting_for_id=BUYER, acting_scope=Scope.VIEW), SERVICE,
                        [order("completed")])
    assert found.reason is Reason.SCOPE_TOO_NARROW and not found.allowed


def test_a_representative_cannot_rate_for_someone_they_do_not_act_for():
    found = eligibility(Viewer(REP, acting_for_id=OTHER, acting_scope=Scope.ORDER), SERVICE,
                        [order("completed", buyer=BUYER)])
    assert found.reason is Reason.NO_ORDER


def test_the_best_order_decides_when_there_are_several():
    orders = [order("cancelled", 0, order_id=1), order("active", 5, order_id=2),
              order("awaiting_provider", 0, order_id=3)]
    found = eligibility(Viewer(BUYER), SERVICE, orders)
    assert found.reason is Reason.DELIVERED and found.order_id == 2


# --- figures ---------------------------------------------------------------------


def test_the_bayesian_average_starts_at_the_prior_and_moves_towards_the_ratings():
    assert bayesian_average(0, 0, 3.8) is None
    assert bayesian_average(5, 1, 3.0, prior_weight=5) == pytest.approx(20 / 6)
    many = bayesian_average(5 * 1000, 1000, 3.0, prior_weight=5)
    assert 4.98 < many < 5
    # A small provider with two 5s does not beat a big one with a hundred 4.8s.
    assert bayesian_average(10, 2, 3.5) < bayesian_average(480, 100, 3.5)


def test_one_low_rating_cannot_sink_a_service_below_the_category_mean_by_much():
    assert bayesian_average(1, 1, 4.0, prior_weight=5) == pytest.approx(21 / 6)


def test_the_summary_counts_each_star_and_averages():
    summary = summarise([5, 4, 4, 1], prior_mean=4.0, prior_weight=5)
    assert summary.count == 4
    assert summary.distribution == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}
    assert summary.average == pytest.approx(3.5)
    assert summary.fair_average == pytest.approx((5 * 4.0 + 14) / 9)
    assert summary.share(4) == 50 and summary.share(2) == 0
    assert summary.enough


def test_fewer_than_three_ratings_are_not_enough_to_show_a_figure():
    assert not summarise([5, 5]).enough
    assert summarise([5, 5, 5]).enough
    assert summarise([]).average is None and summarise([]).share(5) == 0


def test_figures_round_halves_up_to_one_decimal():
    assert one_decimal(3.25) == "3.3"
    assert one_decimal(4.0) == "4.0"
    assert one_decimal(None) == ""
