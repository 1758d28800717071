"""Ordering end to end in the browser, with axe on every page: Margaret (a budget
holder) orders weekly morning help and a one-off day break from two providers in one
checkout, without JavaScript; her representative orders a one-off for her, which her
Budget Minder shows set aside; the provider accepts one order and declines the other,
which releases its money (the Budget Minder shows that too). And a checkout made with
the keyboard alone: Tab, Enter and Space, never the mouse."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import follow, sign_in, sign_in_directly, sign_out, visit

HOLDER = "holder@ashdown.example"
REP = "rep@ashdown.example"
PROVIDER = "provider@ashdown.example"


def _service_id(live_server, service: str, provider: str) -> int:
    engine = create_engine(live_server.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT s.id FROM services s JOIN provider_organisations p "
                "ON p.id = s.provider_id WHERE s.name = :s AND p.name = :p"),
                {"s": service, "p": provider}).scalar_one()
    finally:
        engine.dispose()


def _fill_date(page, field: str, day: date) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def _add_weekly(page, service_id: int, starts_on: date, ends_on: date) -> None:
    visit(page, f"/services/{service_id}")
    follow(page, page.get_by_role("button", name="Add to basket").click)
    page.locator("input[name=kind][value=recurring]").check()
    _fill_date(page, "starts_on", starts_on)
    _fill_date(page, "ends_on", ends_on)
    page.get_by_label("Tuesday").check()
    page.get_by_label("Thursday").check()
    page.locator("#start_time").fill("09:00")
    page.locator("#end_time").fill("11:00")
    page.locator("#quantity").fill("2")
    follow(page, page.get_by_role("button", name="Add to basket").click)


def _add_once(page, service_id: int, on: date, quantity: str = "1") -> None:
    visit(page, f"/services/{service_id}")
    follow(page, page.get_by_role("button", name="Add to basket").click)
    page.locator("input[name=kind][value=one_off]").check()
    _fill_date(page, "starts_on", on)
    page.locator("#quantity").fill(quantity)
    follow(page, page.get_by_role("button", name="Add to basket").click)


def _check_out(page) -> list[str]:
    follow(page, page.get_by_role("button", name="Continue to checkout").click)
    for radio in page.locator("input[type=radio][value^=budget-]").all():
        group = radio.get_attribute("name")
        chosen = page.locator(f"input[name={group}][value^=budget-]:checked")
        if not chosen.count():
            radio.check()
    follow(page, page.get_by_role("button", name="Continue").click)
    expect(page.locator("h1")).to_contain_text("Check your order")
    follow(page, page.get_by_role("button", name="Send the order").click)
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("ORD-")
    return re.findall(r"ORD-[A-Z0-9]{4}-[A-Z0-9]{4}", panel.inner_text())


def test_a_holder_orders_from_two_providers_and_the_provider_answers(
        page_without_javascript, page, live_server):
    today = date.today()
    morning = _service_id(live_server, "Morning help to get up, wash and dress",
                          "Harrow Home Care Ltd")
    day_break = _service_id(live_server, "Day breaks", "Harrow Carers")
    medicines = _service_id(live_server, "Medication prompt visits", "Harrow Home Care Ltd")

    # Margaret, with JavaScript off: two providers, one checkout.
    holder = page_without_javascript
    sign_in(holder, HOLDER)
    _add_weekly(holder, morning, today + timedelta(days=14), today + timedelta(days=42))
    _add_once(holder, day_break, today + timedelta(days=21))
    expect(holder.locator("main")).to_contain_text("Harrow Home Care Ltd")
    expect(holder.locator("main")).to_contain_text("Harrow Carers")
    references = _check_out(holder)
    assert len(references) == 2
    visit(holder, "/orders/")
    for reference in references:
        expect(holder.locator("main")).to_contain_text(reference)
    follow(holder, holder.get_by_role("link", name=references[0]).click)
    expect(holder.locator("main")).to_contain_text("History")

    # Her representative orders a one-off for her: the Budget Minder shows it set aside.
    before = _set_aside(holder)
    sign_in(page, REP)
    follow(page, page.get_by_role("button", name=re.compile("Act for Margaret")).first.click)
    _add_once(page, medicines, today + timedelta(days=10), quantity="2")
    rep_refs = _check_out(page)
    assert len(rep_refs) == 1
    sign_out(page)
    with_rep_order = _set_aside(holder)
    assert with_rep_order > before

    # The provider accepts Margaret's weekly order and declines the representative's.
    sign_in(page, PROVIDER)
    visit(page, "/provider/orders/")
    for reference, answer in ((references, "accept"), (rep_refs, "decline")):
        visit(page, "/provider/orders/")
        links = page.get_by_role("link", name=re.compile("|".join(reference)))
        follow(page, links.first.click)
        page.locator(f"input[name=decision][value={answer}]").check()
        if answer == "decline":
            page.locator("#reason").fill("We cannot visit on that day.")
        follow(page, page.get_by_role("button", name="Send your answer").click)
    visit(page, "/provider/orders/?status=declined")
    expect(page.locator("main")).to_contain_text(rep_refs[0])
    sign_out(page)

    # Margaret sees why it was declined; its money went back to the budget.
    visit(holder, "/orders/")
    follow(holder, holder.get_by_role("link", name=rep_refs[0]).click)
    expect(holder.locator("main")).to_contain_text("We cannot visit on that day.")
    expect(holder.locator("main")).to_contain_text("£0.00")
    # The Budget Minder shows the money released.
    assert _set_aside(holder) == before


def _set_aside(page) -> int:
    """Pence set aside for orders on all the person's budgets, read from the Budget
    Minder's pages."""
    visit(page, "/my/money/")
    links = [link.get_attribute("href") for link in
             page.locator("main table a.govuk-link").all()]
    total = 0
    for href in links:
        visit(page, href)
        text = page.locator("[data-figure=committed]").first.inner_text()
        total += int(round(float(text.replace("£", "").replace(",", "")) * 100))
    return total


def _tab_to(page, test: str, limit: int = 200) -> None:
    """Press Tab until the focused element passes ``test`` (a JavaScript expression
    about ``el``, the focused element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"() => {{ const el = document.activeElement; return !!(el && ({test})); }}"
        if page.evaluate(script):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def _button(text: str) -> str:
    return f"el.textContent.trim() === {text!r}"


def _type_into(page, element_id: str, value: str) -> None:
    _tab_to(page, f"el.id === {element_id!r}")
    page.keyboard.type(value)


def test_checkout_works_with_the_keyboard_alone(page, live_server):
    today = date.today()
    morning = _service_id(live_server, "Morning help to get up, wash and dress",
                          "Harrow Home Care Ltd")
    sign_in_directly(page, HOLDER)
    visit(page, f"/services/{morning}")
    _tab_to(page, _button("Add to basket"))
    follow(page, lambda: page.keyboard.press("Enter"))
    # The form opens on weekly support (the first choice): dates, days, times, hours.
    starts = today + timedelta(days=15)
    for part, value in (("day", starts.day), ("month", starts.month), ("year", starts.year)):
        _type_into(page, f"starts_on-{part}", str(value))
    for day in ("Monday", "Wednesday"):
        _tab_to(page, f"el.type === 'checkbox' && el.labels[0].textContent.trim() === {day!r}")
        page.keyboard.press("Space")
    _type_into(page, "start_time", "09:00")
    _type_into(page, "end_time", "10:00")
    _type_into(page, "quantity", "1")
    _tab_to(page, _button("Add to basket"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("main")).to_contain_text("Morning help")
    _tab_to(page, _button("Continue to checkout"))
    follow(page, lambda: page.keyboard.press("Enter"))
    # The first way to pay is a budget: Tab reaches it, Space chooses it.
    _tab_to(page, "el.type === 'radio' && el.value.startsWith('budget-')")
    page.keyboard.press("Space")
    _tab_to(page, _button("Continue"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("h1")).to_contain_text("Check your order")
    _tab_to(page, _button("Send the order"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator(".govuk-panel")).to_contain_text("ORD-")
