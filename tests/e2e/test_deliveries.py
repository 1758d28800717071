"""Delivery records and messages end to end in the browser, with axe on every page:
Margaret (a budget holder, without JavaScript) orders weekly help; the provider
accepts it, writes to her, records a visit (which makes the order active) and sees its
week; Margaret disputes the visit and answers the message; the provider closes the
dispute; a council officer reads the closed dispute and the conversation."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import follow, sign_in, sign_out, visit
from tests.e2e.test_ordering import _check_out, _fill_date, _service_id

HOLDER = "holder@ashdown.example"
PROVIDER = "provider@ashdown.example"
OFFICER = "officer@ashdown.example"


def _sql(live_server, statement: str, **params):
    engine = create_engine(live_server.database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.fetchall() if result.returns_rows else []
    finally:
        engine.dispose()


def test_a_provider_records_a_visit_and_the_buyer_disputes_it(
        page_without_javascript, page, live_server):
    today = date.today()
    morning = _service_id(live_server, "Morning help to get up, wash and dress",
                          "Harrow Home Care Ltd")
    holder = page_without_javascript
    sign_in(holder, HOLDER)
    visit(holder, f"/services/{morning}")
    follow(holder, holder.get_by_role("button", name="Add to basket").click)
    holder.locator("input[name=kind][value=recurring]").check()
    _fill_date(holder, "starts_on", today + timedelta(days=7))
    _fill_date(holder, "ends_on", today + timedelta(days=70))
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        holder.get_by_label(day).check()
    holder.locator("#start_time").fill("08:00")
    holder.locator("#end_time").fill("09:00")
    holder.locator("#quantity").fill("1")
    follow(holder, holder.get_by_role("button", name="Add to basket").click)
    reference = _check_out(holder)[0]

    # The provider accepts the order.
    sign_in(page, PROVIDER)
    visit(page, "/provider/orders/")
    follow(page, page.get_by_role("link", name=reference).click)
    page.locator("input[name=decision][value=accept]").check()
    follow(page, page.get_by_role("button", name="Send your answer").click)
    # The support started two weeks ago (moved in the database: the site refuses
    # orders that start in the past, and visits that are in the future).
    order_id = _sql(live_server, "SELECT id FROM orders WHERE reference = :r", r=reference)[0][0]
    _sql(live_server, "UPDATE order_lines SET starts_on = :d WHERE order_id = :o",
         d=today - timedelta(days=14), o=order_id)

    # The provider writes to Margaret, records yesterday's visit and sees the week.
    visit(page, f"/provider/orders/{order_id}/visits")
    expect(page.locator("main")).to_contain_text("Visits to record")
    follow(page, page.get_by_role("link", name="Messages about this order").click)
    page.get_by_label(re.compile("Your message to")).fill("Our carer Ade will come at 8.")
    follow(page, page.get_by_role("button", name="Send the message").click)
    visit(page, f"/provider/orders/{order_id}/visits")
    yesterday = today - timedelta(days=1)
    follow(page, page.locator(
        f"a[href*='/visits/new'][href*='on={yesterday.isoformat()}']").click)
    expect(page.locator("#starts_at")).to_have_value("08:00")
    page.get_by_label("Worker's first name").fill("Ade")
    page.get_by_label("Notes (optional)").fill("Breakfast and a wash.")
    follow(page, page.get_by_role("button", name="Record the visit").click)
    expect(page.locator("main")).to_contain_text("Recorded by the provider")
    follow(page, page.get_by_role("link", name="Schedule").click)
    expect(page.locator("main")).to_contain_text("08:00 to 09:00")
    follow(page, page.get_by_role("link", name=re.compile("Next week")).click)
    follow(page, page.get_by_role("link", name=re.compile("Previous week")).click)
    visit(page, f"/provider/orders/{order_id}/visits/missed")
    sign_out(page)

    # Margaret sees what's new, disputes the visit and answers the message.
    visit(holder, "/my/")
    expect(holder.locator("main")).to_contain_text("What's new")
    expect(holder.locator("main")).to_contain_text("Check it.")
    follow(holder, holder.get_by_role("link", name="Visits: check and confirm them").click)
    expect(holder.locator("main")).to_contain_text("Ade")
    follow(holder, holder.locator("a[href^='/orders/visits/']").first.click)
    holder.locator("input[name=response][value=dispute]").check()
    holder.locator("#reason").fill("The carer left after twenty minutes.")
    follow(holder, holder.get_by_role("button", name="Send your answer").click)
    expect(holder.locator("main")).to_contain_text("Disputed")
    visit(holder, "/messages/")
    follow(holder, holder.get_by_role("link", name=reference).click)
    expect(holder.locator("main")).to_contain_text("Our carer Ade will come at 8.")
    holder.get_by_label("Write a message").fill("Thank you.")
    follow(holder, holder.get_by_role("button", name="Send the message").click)
    expect(holder.locator("main")).to_contain_text("Thank you.")

    # The provider closes the dispute from its queue.
    sign_in(page, PROVIDER)
    expect(page.locator("main")).to_contain_text("was disputed")
    visit(page, "/provider/orders/disputes")
    follow(page, page.get_by_role("link", name=re.compile(r"\d{4}")).first.click)
    page.locator("input[name=outcome][value=withdrawn]").check()
    page.get_by_label("What was found or done").fill("Ade was called away; not billed.")
    follow(page, page.get_by_role("button", name="Close the dispute").click)
    expect(page.locator("main")).to_contain_text("Ade was called away; not billed.")
    visit(page, "/provider/messages/")
    sign_out(page)

    # A council officer of Margaret's council reads the closed dispute and the messages.
    sign_in(page, OFFICER)
    visit(page, "/council/orders/disputes?state=closed")
    expect(page.locator("main")).to_contain_text("The carer left after twenty minutes.")
    holder_id = _sql(live_server, "SELECT buyer_id FROM orders WHERE id = :o", o=order_id)[0][0]
    visit(page, f"/council/messages/people/{holder_id}")
    follow(page, page.get_by_role("link", name=reference).click)
    expect(page.locator("main")).to_contain_text("Thank you.")
    expect(page.locator("textarea")).to_have_count(0)
