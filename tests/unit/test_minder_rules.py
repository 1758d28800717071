"""Budget Minder arithmetic and alerts, and support plan rules: pure functions."""

from __future__ import annotations

from datetime import date

from catalogue.pricing import RateTerm
from marketplace.budgets.minder import alerts
from marketplace.budgets.minder.alerts import AlertKind
from marketplace.budgets.minder.chart import build_chart
from marketplace.budgets.minder.projections import (
    monthly_series,
    project_year_end,
    weekly_amount,
)
from marketplace.budgets.minder.statement import Movement, build_statement
from marketplace.budgets.plans import rules
from marketplace.budgets.plans.models import PlanStatus
from marketplace.ledger.models import TransferKind

START, END = date(2026, 4, 1), date(2027, 3, 31)


def test_the_weekly_amount_is_what_is_left_over_the_weeks_remaining():
    assert weekly_amount(70_000, date(2027, 3, 4), END) == 17_500  # 28 days: 4 weeks
    assert weekly_amount(10_000, date(2027, 3, 29), END) == 10_000  # under a week: all of it
    assert weekly_amount(10_000, date(2027, 4, 1), END) is None  # the period is over
    assert weekly_amount(-700, date(2027, 3, 25), END) == -700


def test_the_projection_carries_the_rate_so_far_to_the_end_of_the_period():
    # 91 days of 365 gone, £3,000 spent: about £12,033 by the end
    p = project_year_end(spent_pence=300_000, committed_pence=0, allocation_pence=1_200_000,
                         period_start=START, period_end=END, today=date(2026, 6, 30))
    assert p.days_elapsed == 91
    assert p.projected_pence == 300_000 + round(300_000 * 274 / 91)
    assert p.difference_pence > 0
    # never less than what is spent and set aside
    early = project_year_end(spent_pence=0, committed_pence=50_000, allocation_pence=100_000,
                             period_start=START, period_end=END, today=date(2026, 3, 1))
    assert early.projected_pence == 50_000 and early.days_elapsed == 0


def _projection(spent, allocation, today):
    return project_year_end(spent_pence=spent, committed_pence=0,
                            allocation_pence=allocation, period_start=START,
                            period_end=END, today=today)


def test_overspend_and_large_underspend_alerts():
    over = alerts.spending_alerts(_projection(400_000, 1_200_000, date(2026, 6, 30)),
                                  period_end=END)
    assert [a.kind for a in over] == [AlertKind.OVERSPEND]
    under = alerts.spending_alerts(_projection(100_000, 1_200_000, date(2026, 7, 31)),
                                   period_end=END)
    assert [a.kind for a in under] == [AlertKind.UNDERSPEND]
    too_early = alerts.spending_alerts(_projection(10_000, 1_200_000, date(2026, 5, 1)),
                                       period_end=END)
    on_track = alerts.spending_alerts(_projection(300_000, 1_200_000, date(2026, 7, 1)),
                                      period_end=END)
    assert too_early == [] and on_track == []


def test_a_payment_due_in_the_next_week_is_announced_with_the_contribution():
    schedule = [(date(2026, 4, 1), 92_308), (date(2026, 4, 29), 92_308)]
    found = alerts.payment_due_alerts(schedule, today=date(2026, 4, 24),
                                      contribution_pence=8_000)
    assert [(a.data["who"], a.data["amount"], a.data["on"]) for a in found] == [
        ("council", 92_308, date(2026, 4, 29)), ("person", 8_000, date(2026, 4, 29))]
    assert not found[0].warning
    assert alerts.payment_due_alerts(schedule, today=date(2026, 4, 10)) == []


def test_a_price_rise_on_a_service_bought_from_is_found_from_council_rates():
    service = alerts.PricedService("Bright Care", "Morning calls", 2_500, (
        RateTerm(1, 1_800, date(2026, 4, 1), date(2026, 8, 31)),
        RateTerm(1, 1_950, date(2026, 9, 1)),
        RateTerm(2, 1_000, date(2026, 8, 1)),  # another council's rate: not ours
    ))
    found = alerts.price_rise_alerts([service], council_id=1, today=date(2026, 8, 15))
    assert [(a.data["before"], a.data["after"], a.data["on"], a.data["started"])
            for a in found] == [(1_800, 1_950, date(2026, 9, 1), False)]
    # a rate that ends falls back to the higher public price
    ending = alerts.PricedService("PA Co", "PA hours", 2_000,
                                  (RateTerm(1, 1_500, date(2026, 4, 1), date(2026, 8, 10)),))
    found = alerts.price_rise_alerts([ending], council_id=1, today=date(2026, 8, 15))
    assert [(a.data["after"], a.data["started"]) for a in found] == [(2_000, True)]
    assert alerts.price_rise_alerts([service], council_id=1, today=date(2026, 5, 1)) == []


def test_several_large_purchases_in_one_day_are_unusual():
    day = date(2026, 6, 1)
    big = [(day, 30_000)] * 3 + [(date(2026, 6, 2), 30_000)]
    found = alerts.unusual_day_alerts(big, allocation_pence=1_200_000, today=date(2026, 6, 5))
    assert [(a.data["on"], a.data["count"], a.data["total"]) for a in found] == [
        (day, 3, 90_000)]
    small = [(day, 5_000)] * 5
    assert alerts.unusual_day_alerts(small, allocation_pence=1_200_000,
                                     today=date(2026, 6, 5)) == []
    assert alerts.unusual_day_alerts(big, allocation_pence=1_200_000,
                                     today=date(2026, 9, 5)) == []


def test_a_new_representative_spending_at_once_is_flagged():
    quick = alerts.NewRepresentative("Sam", date(2026, 6, 1), ((date(2026, 6, 2), 40_000),))
    slow = alerts.NewRepresentative("Lee", date(2026, 6, 1), ((date(2026, 6, 20), 40_000),))
    old = alerts.NewRepresentative("Kim", date(2025, 6, 1), ((date(2025, 6, 2), 40_000),))
    found = alerts.new_representative_alerts([quick, slow, old], today=date(2026, 6, 21))
    assert [(a.data["name"], a.data["total"]) for a in found] == [("Sam", 40_000)]


def test_the_monthly_series_and_chart_cover_the_period_with_a_projection():
    spending = [(date(2026, 4, 10), 10_000), (date(2026, 5, 10), 20_000),
                (date(2026, 5, 20), -5_000)]
    today = date(2026, 5, 31)
    p = _projection(25_000, 100_000, today)
    months = monthly_series(spending, period_start=START, period_end=END, today=today,
                            projection=p)
    assert len(months) == 12
    assert (months[0].spent_pence, months[1].spent_pence, months[1].cumulative_pence) == (
        10_000, 15_000, 25_000)
    assert months[2].is_future and months[-1].projected_cumulative_pence == p.projected_pence
    chart = build_chart(months, 100_000, today)
    assert len(chart.actual) == 3 and chart.projected[0] == chart.actual[-1]
    assert chart.path(chart.actual).startswith("M")


def _move(kind, day, held, committed=0, provider=None, correction=False):
    return Movement(kind, day, held, committed, provider, "", None, correction)


def test_statements_reconcile_and_chain():
    moves = [
        _move(TransferKind.INSTALMENT, date(2026, 4, 1), 100_000),
        _move(TransferKind.COMMITMENT, date(2026, 4, 2), 0, 30_000),
        _move(TransferKind.SETTLEMENT, date(2026, 4, 30), -30_000, -30_000, "Bright Care"),
        _move(TransferKind.CONTRIBUTION, date(2026, 5, 3), 5_000),
        _move(TransferKind.REFUND, date(2026, 5, 4), 1_000, 0, "Bright Care"),
        _move(TransferKind.INSTALMENT, date(2026, 5, 5), -100_000, correction=True),
    ]
    april = build_statement(moves, date(2026, 4, 1), date(2026, 4, 30))
    may = build_statement(moves, date(2026, 5, 1), date(2026, 5, 31))
    assert (april.opening_pence, april.spent_pence, april.closing_pence) == (0, 30_000, 70_000)
    assert april.spend_by_provider == [("Bright Care", 30_000)]
    assert may.opening_pence == april.closing_pence
    assert (may.instalments_pence, may.contributions_pence, may.spent_pence) == (
        -100_000, 5_000, -1_000)
    assert may.closing_pence == -24_000


def test_plan_review_dates():
    agreed = date(2026, 5, 1)
    assert rules.first_review_window(agreed) == (date(2026, 6, 12), date(2026, 6, 26))
    assert rules.first_review_ok(agreed, date(2026, 6, 20))
    assert not rules.first_review_ok(agreed, date(2026, 6, 1))
    assert rules.next_yearly_review(date(2028, 2, 29)) == date(2029, 2, 28)


def test_plan_steps_in_plain_words():
    fresh = rules.plan_steps(has_budget=True, outcome_count=0, risk_count=0,
                             status=PlanStatus.DRAFT, ever_agreed=False,
                             money_held_known=True, has_purchases=False)
    assert (fresh.my_money, fresh.making_my_plan, fresh.getting_agreed) == (
        rules.StepState.DONE, rules.StepState.TO_DO, rules.StepState.CANNOT_START)
    assert fresh.organising_support is rules.StepState.CANNOT_START
    agreed = rules.plan_steps(has_budget=True, outcome_count=2, risk_count=1,
                              status=PlanStatus.AGREED, ever_agreed=True,
                              money_held_known=True, has_purchases=True)
    assert agreed.organising_support is rules.StepState.IN_PROGRESS
    assert rules.submission_problems(0, 0, 0) == ["no_outcomes", "no_risks"]
