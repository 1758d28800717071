"""Ratings end to end in the browser, with axe on every page: Margaret (a budget
holder, without JavaScript, choosing her stars by keyboard) rates her morning help
after three delivered visits; the text appears only after a council officer
publishes it; the provider replies; then a review from someone worried about safety
goes to the safeguarding queue and is never shown to the public."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from playwright.sync_api import expect
from sqlalchemy import create_engine, insert, text

from marketplace.ordering.deliveries.models import DeliveryRecord
from tests.e2e.conftest import follow, sign_in, sign_out, visit

HOLDER = "holder@ashdown.example"
PROVIDER = "provider@ashdown.example"
OFFICER = "officer@ashdown.example"
REVIEW = "The carers are patient and always ask before they help."
WORRY = "Last week she was left alone all evening without her tablets."


def _sql(live_server, statement: str, **params):
    engine = create_engine(live_server.database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.fetchall() if result.returns_rows else []
    finally:
        engine.dispose()


def _margarets(live_server, status: str):
    """(service id, order id, order line id) of Margaret's demo order in ``status``."""
    return _sql(live_server, """
        SELECT l.service_id, o.id, l.id FROM orders o
        JOIN order_lines l ON l.order_id = o.id JOIN users u ON u.id = o.buyer_id
        WHERE u.email = :email AND o.status = :status ORDER BY o.id""",
                email=HOLDER, status=status)[0]


def _deliver_three_visits(live_server, order_id: int, line_id: int) -> None:
    """Three visits the provider recorded and Margaret confirmed (as the deliveries
    pages would record them; done in the database to keep this test about ratings)."""
    provider_id, price = _sql(live_server, """
        SELECT o.provider_id, l.unit_price_pence FROM orders o
        JOIN order_lines l ON l.order_id = o.id WHERE l.id = :line""", line=line_id)[0]
    # The demo records visits of its own: add three on days that have none yet.
    taken = {row[0] if isinstance(row[0], date) else date.fromisoformat(str(row[0])[:10])
             for row in _sql(live_server, "SELECT occurred_on FROM delivery_records "
                                          "WHERE order_line_id = :line", line=line_id)}
    free = [d for d in range(2, 120)
            if date.today() - timedelta(days=d) not in taken][:3]
    engine = create_engine(live_server.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(DeliveryRecord.__table__), [
                {"order_id": order_id, "order_line_id": line_id, "provider_id": provider_id,
                 "occurred_on": date.today() - timedelta(days=days_ago),
                 "starts_at": time(8, 30), "ends_at": time(9, 30), "units_hundredths": 100,
                 "unit_price_pence": price, "status": "confirmed",
                 "recorded_at": datetime.now(UTC)} for days_ago in free])
    finally:
        engine.dispose()


def test_a_holder_rates_the_text_is_moderated_and_the_provider_replies(
        page_without_javascript, page, live_server):
    service_id, order_id, line_id = _margarets(live_server, "active")
    _deliver_three_visits(live_server, order_id, line_id)
    holder = page_without_javascript
    sign_in(holder, HOLDER)
    visit(holder, f"/services/{service_id}")
    follow(holder, holder.get_by_role("link", name="Rate this service").click)
    # The stars by keyboard alone: focus the first radio, arrow to "4 stars".
    holder.get_by_label("5 stars: excellent").first.focus()
    holder.keyboard.press("ArrowDown")
    expect(holder.locator("input[name=stars][value='4']")).to_be_checked()
    holder.locator("input[name=kindness][value='5']").check()
    holder.get_by_label("Your review (optional)").fill(REVIEW)
    follow(holder, holder.get_by_role("button", name="Save my rating").click)
    expect(holder.locator("main")).to_contain_text("Waiting to be checked")
    follow(holder, holder.get_by_role("link", name="History").first.click)
    visit(holder, "/reviews/rules")

    # Not public until it is checked.
    visit(holder, f"/services/{service_id}")
    expect(holder.locator("main")).not_to_contain_text(REVIEW)
    sign_out(holder)

    # The demo has reviews of its own waiting: open Margaret's new one.
    rating_id = _sql(live_server, "SELECT r.id FROM ratings r JOIN users u ON u.id = "
                                  "r.buyer_id WHERE r.service_id = :s AND u.email = :e",
                     s=service_id, e=HOLDER)[0][0]
    sign_in(page, OFFICER)
    visit(page, "/council/reviews")
    follow(page, page.locator(f"main a[href='/council/reviews/{rating_id}']").click)
    expect(page.locator("main")).to_contain_text(REVIEW)
    page.locator("input[name=decision][value=publish]").check()
    follow(page, page.get_by_role("button", name="Save the decision").click)
    sign_out(page)

    visit(holder, f"/services/{service_id}")
    expect(holder.locator("main")).to_contain_text(REVIEW)
    expect(holder.locator("main")).to_contain_text("Rated by the person who bought it")
    visit(holder, f"/services/{service_id}/reviews")

    sign_in(page, PROVIDER)
    visit(page, "/provider/reviews")
    # The demo may have replied to an earlier version of her review already: then
    # the provider changes that reply (one reply per review).
    follow(page, page.locator(f"a[href*='/{rating_id}/reply']").click)
    page.get_by_label("Your public reply").fill("Thank you, we will tell the team.")
    follow(page, page.get_by_role("button", name=re.compile(r"^(Publish|Save) your reply$")).click)
    visit(page, f"/services/{service_id}")
    expect(page.locator("main")).to_contain_text("Thank you, we will tell the team.")
    # The provider's public pages, and reporting the review (the provider may report,
    # never remove).
    provider_id = _sql(live_server, "SELECT provider_id FROM services WHERE id = :s",
                       s=service_id)[0][0]
    visit(page, f"/providers/{provider_id}")
    expect(page.locator("main")).to_contain_text("Ratings by people who bought from")
    visit(page, f"/providers/{provider_id}/reviews")
    follow(page, page.get_by_role("link", name="Report this review").first.click)
    page.locator("input[name=reason][value=untrue]").check()
    follow(page, page.get_by_role("button", name="Send the report").click)
    expect(page.locator("main")).to_contain_text("Report sent")


def test_a_review_about_safety_goes_to_the_safeguarding_queue_and_is_never_public(
        page_without_javascript, page, live_server):
    service_id, _order_id, _line_id = _margarets(live_server, "completed")
    holder = page_without_javascript
    sign_in(holder, HOLDER)
    visit(holder, "/my/ratings")
    visit(holder, f"/services/{service_id}/rate")
    holder.locator("input[name=stars][value='1']").check()
    holder.get_by_label("Your review (optional)").fill(WORRY)
    holder.get_by_label("I am worried about someone's safety").check()
    follow(holder, holder.get_by_role("button", name="Save my rating").click)
    expect(holder.locator("main")).to_contain_text("safeguarding team")
    sign_out(holder)

    for path in (f"/services/{service_id}", f"/services/{service_id}/reviews"):
        visit(holder, path)
        expect(holder.locator("main")).not_to_contain_text(WORRY)

    sign_in(page, OFFICER)
    visit(page, "/council/reviews")
    expect(page.locator("main")).not_to_contain_text(WORRY)
    visit(page, "/council/safeguarding")
    # The demo has a concern of its own: open the one this review raised.
    newest = _sql(live_server, "SELECT id FROM safeguarding_concerns ORDER BY id DESC")[0][0]
    follow(page, page.locator(f"main a[href='/council/safeguarding/{newest}']").click)
    expect(page.locator("main")).to_contain_text(WORRY)
    page.get_by_label("What has been done?").fill("Called her daughter; visit booked.")
    follow(page, page.get_by_role("button", name="Close the concern").click)
    expect(page.locator("main")).to_contain_text("Closed")
    rating_id = _sql(live_server, "SELECT rating_id FROM safeguarding_concerns "
                                  "ORDER BY id DESC")[0][0]
    visit(page, f"/council/reviews/{rating_id}")
    expect(page.locator("main")).to_contain_text("will never be published")
