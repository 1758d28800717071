"""The Community Catalogue in the browser, with axe on every page: an organiser adds a
weekly group; an officer approves it; it then shows in "what's on" on the right
days, and in search with the "free" filter. And every community page, for each
role, passes axe (including forms showing their errors)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in_directly, visit

NAME = "Quillon Board Games Club"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _href(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


def test_an_organiser_adds_a_weekly_group_which_after_approval_is_on_and_found(
        browser, live_server):
    from tests.e2e.conftest import _new_page

    group_day = date.today() + timedelta(days=2)
    other_day = date.today() + timedelta(days=1)

    # 1. The demo organiser adds the group and when it meets.
    context, page = _new_page(browser, live_server)
    sign_in_directly(page, "organiser@ashdown.example")
    visit(page, "/community")
    expect(page.locator("h1")).to_have_text("My community groups")
    follow(page, page.get_by_role("button", name="Add a listing for Pinner Knit and Natter")
           .click)
    page.locator("#name").fill(NAME)
    page.locator("#summary").fill("Chess, draughts and board games for all ages, with tea.")
    page.locator("input[name=kind][value=club_or_group]").check()
    page.locator("#category").select_option("clubs-and-groups")
    page.locator("input[name=cost][value=free]").check()
    page.locator("#place_name").fill("Pinner Library")
    page.locator("#place_address_1").fill("Marsh Road")
    page.locator("#place_city").fill("Pinner")
    page.locator("#place_postcode").fill("HA5 5NQ")
    follow(page, page.get_by_role("button", name="Save").click)
    expect(page.locator("h1")).to_have_text("When it happens")
    page.locator("input[name=freq][value=weekly]").check()
    page.locator("#dtstart-day").fill(str(date.today().day))
    page.locator("#dtstart-month").fill(str(date.today().month))
    page.locator("#dtstart-year").fill(str(date.today().year))
    page.locator("#opens_at").fill("10:00")
    page.locator("#closes_at").fill("12:00")
    page.locator(f"input[name=days][value={DAY_CODES[group_day.weekday()]}]").check()
    page.locator("input[name=every_weeks][value='1']").check()
    follow(page, page.get_by_role("button", name="Save the dates and times").click)
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.get_by_text("The council is checking this listing")).to_be_visible()
    context.close()

    # Not public yet.
    context, page = _new_page(browser, live_server)
    visit(page, f"/search?q={NAME.split()[0]}&free=yes")
    expect(page.locator("#community-results")).to_contain_text("0 free community")
    context.close()

    # 2. A council officer approves it.
    context, page = _new_page(browser, live_server)
    sign_in_directly(page, "officer@ashdown.example")
    visit(page, "/council/community")
    follow(page, page.get_by_role("link", name=f"New listing: {NAME}").click)
    page.locator("input[name=decision][value=approved]").check()
    follow(page, page.get_by_role("button", name="Save the decision").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("decision is saved")
    context.close()

    # 3. The public finds it in what's on, on its day only, and in search as free.
    context, page = _new_page(browser, live_server)
    visit(page, "/whats-on")
    page.locator("#postcode").fill("HA5 1AA")
    follow(page, page.get_by_role("button", name="Show what's on").click)
    on_the_day = page.locator(f"#day-{group_day.isoformat()} + ul")
    expect(on_the_day.get_by_role("link", name=NAME)).to_be_visible()
    expect(page.locator(f"#day-{other_day.isoformat()} + *")).not_to_contain_text(NAME)
    follow(page, on_the_day.get_by_role("link", name=NAME).click)
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.get_by_role("heading", name="Next dates")).to_be_visible()

    visit(page, "/search")
    page.locator("#q").fill("board games")
    page.locator("#free").check()
    follow(page, page.get_by_role("button", name="Search").click)
    expect(page.locator("#community-results")).to_contain_text("free community")
    result = page.locator("#results li").filter(has=page.get_by_role("link", name=NAME))
    expect(result).to_contain_text("Community")
    expect(result).to_contain_text("Free")
    context.close()


def test_every_public_community_page_is_accessible(page):
    visit(page, "/community-groups")
    expect(page.locator("h1")).to_have_text("Community groups and activities")
    category = _href(page, "main a[href*='/community-groups/categories/']")
    visit(page, category)
    visit(page, f"{category}?free=yes")
    listing = _href(page, "main li h3 a[href*='/community-groups/']")
    visit(page, listing)
    visit(page, f"{listing}/report")
    follow(page, page.get_by_role("button", name="Send report").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the problem is")
    visit(page, "/whats-on?postcode=HA1&within=2&free=yes")
    visit(page, "/whats-on?postcode=ZZ99&within=9", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("We do not recognise")
    visit(page, "/search?q=lunch")
    visit(page, "/search?q=lunch&free=yes")


def test_every_organiser_page_is_accessible(page):
    sign_in_directly(page, "organiser@ashdown.example")
    visit(page, "/community")
    listing = _href(page, "main table a[href*='/community/listings/']")
    visit(page, listing)
    for path in (f"{listing}/edit", f"{listing}/confirm", f"{listing}/schedules/new"):
        visit(page, path)
    visit(page, listing)
    visit(page, _href(page, "main a[href*='/community/schedules/']"))
    visit(page, listing)
    visit(page, _href(page, "main a[href*='/community/places/']"))
    visit(page, "/community")
    visit(page, _href(page, "main a[href*='/community/organisations/'][href$='/new']"))
    follow(page, page.get_by_role("button", name="Save").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name")
    visit(page, f"{listing}/schedules/new")
    page.locator("input[name=freq][value=weekly]").check()
    follow(page, page.get_by_role("button", name="Save the dates and times").click,
           status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the days it happens")


def test_every_moderation_page_is_accessible(page):
    sign_in_directly(page, "officer@ashdown.example")
    visit(page, "/council/community")
    expect(page.locator("h1")).to_have_text("Community groups to check")
    visit(page, "/council/community?status=closed")
    visit(page, "/council/community")
    reviews = {kind: _href(page, f"main table tr:has-text('{kind}') a")
               for kind in ("New organisation", "New listing", "Changed listing")}
    for path in reviews.values():
        visit(page, path)
    visit(page, reviews["New listing"])
    follow(page, page.get_by_role("button", name="Save the decision").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select your decision")
    visit(page, "/council/community/reports")
    visit(page, "/council/community/reports?status=closed")
    visit(page, "/council/community/reports")
    visit(page, _href(page, "main table a[href*='/council/community/reports/']"))


def test_whats_on_and_the_free_filter_work_without_javascript(page_without_javascript):
    page = page_without_javascript
    visit(page, "/whats-on")
    page.locator("#postcode").fill("HA5")
    page.locator("#free").check()
    follow(page, page.get_by_role("button", name="Show what's on").click)
    assert "postcode=HA5" in page.url and "free=yes" in page.url
    visit(page, "/search?q=knitting")
    page.locator("#free").check()
    follow(page, page.get_by_role("button", name="Search").click)
    expect(page.locator("#community-results")).to_contain_text("free community")
