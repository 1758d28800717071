""""What works for me" and questions on service pages, end to end in the browser, with
axe on every page: a budget holder (without JavaScript) shares a tip, which only she
sees until a council officer publishes it; then someone else says it helped them.
Someone asks the provider a question on a service page; the officer publishes it and
the provider answers in public. The officer also works a safeguarding concern from
the board, sets a council quality score, and search filters by rating."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import follow, sign_in, sign_out, visit

HOLDER = "holder@ashdown.example"
SELF_FUNDER = "selffunder@ashdown.example"
PROVIDER = "provider@ashdown.example"
OFFICER = "officer@ashdown.example"
TITLE = "Travel training worked for my son"
TIP = "Ask the council for travel training: after six sessions he takes the bus alone."
QUESTION = "Do your carers help with cooking a hot lunch?"
ANSWER = "Yes: lunch visits can include cooking a hot meal of your choice."


def _sql(live_server, statement: str, **params):
    engine = create_engine(live_server.database_url)
    try:
        with engine.begin() as conn:
            return conn.execute(text(statement), params).fetchall()
    finally:
        engine.dispose()


def test_a_holder_shares_a_tip_an_officer_publishes_it_and_it_helps_someone(
        page_without_javascript, page, live_server):
    holder = page_without_javascript
    visit(holder, "/what-works-for-me")
    visit(holder, "/what-works-for-me/topics/finding-a-pa")
    sign_in(holder, HOLDER)
    visit(holder, "/what-works-for-me")
    follow(holder, holder.get_by_role("link", name="Share something or ask a question").click)
    holder.get_by_label("Transport and getting about").check()
    holder.get_by_label("Title").fill(TITLE)
    holder.get_by_label("What would you like to share or ask?").fill(TIP)
    follow(holder, holder.get_by_role("button", name="Send your post").click)
    expect(holder.locator("main")).to_contain_text("Waiting to be checked")
    expect(holder.locator("main")).to_contain_text(TIP)
    visit(holder, "/what-works-for-me/mine")
    expect(holder.locator("main")).to_contain_text(TITLE)
    sign_out(holder)
    visit(holder, "/what-works-for-me/topics/transport")
    expect(holder.locator("main")).not_to_contain_text(TITLE)

    post_id = _sql(live_server, "SELECT id FROM board_posts WHERE title = :t", t=TITLE)[0][0]
    sign_in(page, OFFICER)
    visit(page, "/council/posts")
    follow(page, page.locator(f"main a[href='/council/posts/board/{post_id}']").click)
    expect(page.locator("main")).to_contain_text(TIP)
    page.locator("input[name=decision][value=publish]").check()
    follow(page, page.get_by_role("button", name="Save the decision").click)
    sign_out(page)

    visit(holder, "/what-works-for-me/topics/transport")
    follow(holder, holder.get_by_role("link", name=TITLE).click)
    expect(holder.locator("main")).to_contain_text(TIP)
    expect(holder.locator("main")).to_contain_text("Shared by someone who uses support")

    sign_in(holder, SELF_FUNDER)
    visit(holder, f"/what-works-for-me/posts/{post_id}")
    follow(holder, holder.get_by_role("button", name="This helped me").first.click)
    expect(holder.locator("main")).to_contain_text("1 person said this helped them")
    # A reply waits for a moderator too; its author sees it meanwhile.
    holder.get_by_label("Your reply").fill("Thank you, we will ask about it.")
    follow(holder, holder.get_by_role("button", name="Send your reply").click)
    expect(holder.locator("main")).to_contain_text("Thank you, we will ask about it.")
    follow(holder, holder.get_by_role("link", name="Report this post").first.click)
    sign_out(holder)


def test_someone_asks_a_question_and_the_provider_answers_in_public(
        page_without_javascript, page, live_server):
    service_id = _sql(live_server, """
        SELECT s.id FROM services s JOIN provider_members m ON m.provider_id = s.provider_id
        JOIN users u ON u.id = m.user_id
        WHERE u.email = :e AND s.status = 'published' ORDER BY s.id""", e=PROVIDER)[0][0]
    asker = page_without_javascript
    sign_in(asker, HOLDER)
    visit(asker, f"/services/{service_id}")
    expect(asker.locator("#questions")).to_be_visible()
    follow(asker, asker.get_by_role("link", name="Ask a public question about this service")
           .click)
    asker.get_by_label("Your question").fill(QUESTION)
    follow(asker, asker.get_by_role("button", name="Send your question").click)
    expect(asker.locator("main")).to_contain_text(QUESTION)
    expect(asker.locator("main")).to_contain_text("Only you can see your question")
    sign_out(asker)

    question_id = _sql(live_server, "SELECT id FROM service_questions WHERE text = :t",
                       t=QUESTION)[0][0]
    sign_in(page, OFFICER)
    visit(page, "/council/posts")
    follow(page, page.locator(f"main a[href='/council/posts/questions/{question_id}']").click)
    page.locator("input[name=decision][value=publish]").check()
    follow(page, page.get_by_role("button", name="Save the decision").click)
    sign_out(page)

    sign_in(page, PROVIDER)
    visit(page, "/provider/questions")
    follow(page, page.locator(f"main a[href='/questions/{question_id}/answer']").click)
    page.get_by_label("Your public answer").fill(ANSWER)
    follow(page, page.get_by_role("button", name="Publish your answer").click)
    sign_out(page)

    visit(asker, f"/services/{service_id}")
    expect(asker.locator(f"#question-{question_id}")).to_contain_text(ANSWER)
    visit(asker, f"/services/{service_id}/questions")
    expect(asker.locator("main")).to_contain_text(QUESTION)


def test_the_officer_works_a_board_concern_sets_a_quality_score_and_search_filters(
        page, live_server):
    concern_id = _sql(live_server, "SELECT id FROM safeguarding_concerns "
                                   "WHERE board_post_id IS NOT NULL ORDER BY id")[0][0]
    sign_in(page, OFFICER)
    visit(page, "/council/safeguarding")
    follow(page, page.locator(f"main a[href='/council/safeguarding/{concern_id}']").click)
    expect(page.locator("main")).to_contain_text("scared to say anything")
    visit(page, "/council/quality-scores?q=care")
    follow(page, page.locator("main a[href^='/council/quality-scores/']").first.click)
    page.get_by_label("Quality score, from 0 to 100").fill("77")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    follow(page, page.get_by_role("button", name="Save the score").click)
    expect(page.locator("main")).to_contain_text("77 out of 100")
    sign_out(page)
    visit(page, "/search?rating=3")
    expect(page.locator("input[name=rating][value='3']")).to_be_checked()
    visit(page, "/search?rating=4&sort=rating")
