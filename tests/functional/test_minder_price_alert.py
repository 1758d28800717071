"""The Budget Minder warns when a service the person has ordered now costs more than
it did when they ordered it (the catalogue keeps no history of public prices, so the
order line's price is the record of what was agreed)."""

from __future__ import annotations

from sqlalchemy import update

from catalogue.models import Service
from marketplace.accounts.roles import Role
from tests.conftest import sign_in
from tests.functional.ordering_helpers import make_budget, make_shop, place


def test_a_price_rise_since_ordering_is_announced(app, client, db_session, make_user,
                                                   council):
    holder = make_user(Role.BUDGET_HOLDER, name="Rose Ordered")
    owner = make_user(Role.PROVIDER_STAFF, name="Owner Willow")
    budget = make_budget(db_session, holder, council, paid_in_pence=1_000_000)
    _provider, service = make_shop(db_session, owner, name="Willow Care", price_pence=2000)
    with app.test_request_context("/"):
        place(db_session, holder, service, budget)
    sign_in(client, holder)
    before = client.get(f"/my/money/{budget.id}").get_data(as_text=True)
    assert "£23.50" not in before

    db_session.execute(update(Service).where(Service.id == service.id).values(price_pence=2350))
    db_session.commit()
    page = client.get(f"/my/money/{budget.id}").get_data(as_text=True)
    assert ("Willow Care now charges £23.50 for Help at home: you ordered it at £20.00"
            in " ".join(page.split()))


def test_an_unchanged_or_lower_price_says_nothing():
    from datetime import date

    from marketplace.budgets.minder import alerts

    lines = [alerts.OrderedPrice("Willow Care", "Help at home", 2000, 2000),
             alerts.OrderedPrice("Oak Care", "Sitting", 1800, 1700),
             alerts.OrderedPrice("Ash Care", "Meals", 500, 650),
             alerts.OrderedPrice("Ash Care", "Meals", 500, 650)]
    found = alerts.ordered_price_alerts(lines, today=date(2026, 11, 23))
    assert [(a.data["provider"], a.data["before"], a.data["after"]) for a in found] == [
        ("Ash Care", 500, 650)]
    already = alerts.ordered_price_alerts(lines, today=date(2026, 11, 23), already=found)
    assert already == []
