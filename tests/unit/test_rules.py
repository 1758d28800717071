from decimal import Decimal

import pytest

from marketplace.accounts.roles import Scope
from marketplace.money import MoneyError, format_pence, parse_pounds, round_pence
from marketplace.reports.aggregates import suppress


@pytest.mark.parametrize(
    ("held", "needed", "allowed"),
    [
        (Scope.VIEW, Scope.VIEW, True), (Scope.VIEW, Scope.ORDER, False),
        (Scope.VIEW, Scope.MONEY, False), (Scope.ORDER, Scope.VIEW, True),
        (Scope.ORDER, Scope.ORDER, True), (Scope.ORDER, Scope.MONEY, False),
        (Scope.MONEY, Scope.VIEW, True), (Scope.MONEY, Scope.ORDER, True),
        (Scope.MONEY, Scope.MONEY, True),
    ],
)
def test_a_scope_covers_only_itself_and_narrower_scopes(held, needed, allowed):
    assert held.covers(needed) is allowed


def test_figures_under_five_are_suppressed_but_zero_is_shown():
    assert suppress([("a", 0), ("b", 4), ("c", 5), ("d", 12), ("e", 30)]) == [
        ("a", 0), ("b", None), ("c", None), ("d", 12), ("e", 30)]


def test_a_lone_suppressed_cell_takes_the_next_smallest_with_it():
    shown = suppress([("a", 3), ("b", 40), ("c", 9)])
    assert shown == [("a", None), ("b", 40), ("c", None)]
    # With the total (52) published, neither hidden figure can be recovered alone.
    visible_total = sum(v for _l, v in shown if v is not None)
    assert 52 - visible_total == 12  # only their sum is known


def test_two_suppressed_cells_need_no_extra_suppression():
    assert suppress([("a", 1), ("b", 2), ("c", 50)]) == [("a", None), ("b", None), ("c", 50)]


@pytest.mark.parametrize(("text", "pence"), [
    ("12.50", 1250), ("£1,234.5", 123450), ("0.01", 1), ("7", 700), (" £ 3.99 ", 399)])
def test_amounts_in_pounds_are_parsed_to_whole_pence(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.234", "12,34", "1e5", "£"])
def test_amounts_that_are_not_money_are_refused_with_a_message(text):
    with pytest.raises(MoneyError, match="pounds and pence"):
        parse_pounds(text)


def test_pence_are_formatted_and_rounded_one_way():
    assert format_pence(123456) == "£1,234.56"
    assert format_pence(-5) == "-£0.05"
    assert round_pence(Decimal("2.5")) == 3
    assert round_pence(Decimal("-2.5")) == -3


def test_lists_join_the_welsh_way(app):
    from catalogue.wording import listed

    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "cy"
        assert listed(["Pwyleg", "Urdu", "Saesneg"]) == "Pwyleg, Urdu a Saesneg"
        assert listed(["Pwyleg", "Arabeg"]) == "Pwyleg ac Arabeg"
    with app.test_request_context("/"):
        assert listed(["Polish", "Urdu", "English"]) == "Polish, Urdu and English"
