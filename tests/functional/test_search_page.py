"""The public search page, through HTTP, on every back end the database can run."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from catalogue.models import SearchEvent, ServiceStatus
from catalogue.search import record_opened
from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from tests.conftest import sign_in
from tests.search_helpers import add_service, available_backends, build_catalogue


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", available_backends())


@pytest.fixture()
def site(app, db_session, council, backend_name, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", backend_name)
    return build_catalogue(db_session, council)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def heading(body: str) -> str:
    return re.search(r'id="results-heading">\s*(.*?)\s*</h2>', body, re.S).group(1)


def result_names(body: str) -> list[str]:
    return re.findall(r'<h3 class="govuk-heading-s[^"]*">\s*<a class="govuk-link" '
                      r'href="[^"]+">([^<]+)</a>', body)


def test_the_search_page_is_a_plain_get_form_with_labelled_fields(client, site):
    body = page(client, "/search")
    form = re.search(r'<form method="get" action="/search"[^>]*>', body)
    assert form and "<script" not in body[form.start():body.index("</form>")]
    for name in ("q", "postcode", "category", "price_min", "price_max", "language", "funding",
                 "sort"):
        assert re.search(rf'<label class="govuk-label[^"]*" for="{name}">', body), name
    for legend in ("Price for you", "Day of the week", "Kind of provider",
                   "Care Quality Commission (CQC)"):
        assert legend in body
    assert heading(body) == "3 services found"
    assert sorted(result_names(body)) == ["Cleaning and laundry", "Gardening",
                                          "Personal care at home"]


def test_a_search_with_filters_is_just_a_query_string(client, site):
    body = page(client, "/search?q=garden&day=6&kind=social_enterprise&postcode=HA1")
    assert heading(body) == "1 service found" and result_names(body) == ["Gardening"]
    assert "Provided by Green Fingers CIC" in body
    assert "£18.00" in body and "per hour" in body and "miles away" in body
    assert '<option value="gardening" selected>' not in body  # no category was chosen
    assert re.search(r'value="6" checked', body) and re.search(r'value="HA1"', body)


def test_facet_choices_say_how_many_services_each_would_give(client, site):
    body = page(client, "/search?category=gardening")
    assert "Gardening (1)" in body and "Personal care at home (1)" in body
    assert "Only providers registered with CQC (0)" in body
    assert re.search(r'<option value="gardening" selected>', body)


def test_funded_people_see_the_council_rate_and_self_funders_the_public_price(
        app, site, make_user):
    holder, self_funder = make_user(Role.BUDGET_HOLDER), make_user(Role.SELF_FUNDER)
    funded = app.test_client()
    sign_in(funded, holder)
    body = page(funded, "/search?q=personal&price_max=20")
    assert result_names(body) == ["Personal care at home"]
    assert "£19.90" in body and "agreed for people it funds" in body
    paying = app.test_client()
    sign_in(paying, self_funder)
    assert result_names(page(paying, "/search?q=personal&price_max=20")) == []
    body = page(paying, "/search?q=personal")
    assert "£24.50" in body and "the public price" in body


def test_results_link_to_the_service_page_carrying_the_search(client, site, db_session):
    body = page(client, "/search?q=gardening")
    event_id = db_session.scalar(select(func.max(SearchEvent.id)))
    assert f'href="/services/{site.gardening.id}?from_search={event_id}"' in body


def test_each_search_is_recorded_with_the_district_and_no_personal_details(
        app, site, db_session, make_user, council):
    holder = make_user(Role.BUDGET_HOLDER)
    client = app.test_client()
    sign_in(client, holder)
    page(client, "/search?q=gardening&postcode=HA1+2AB&kind=social_enterprise")
    event = db_session.scalars(select(SearchEvent).order_by(SearchEvent.id.desc())).first()
    assert (event.words, event.district, event.result_count) == ("gardening", "HA1", 1)
    assert event.council_id == council.id
    assert event.filters == {"provider_kind": "social_enterprise", "sort": "relevance"}
    assert "2AB" not in repr(event.filters) + event.words
    assert not db_session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.object_type == "search_events"))


def test_opening_a_service_from_the_results_is_recorded_once(client, site, db_session):
    page(client, "/search?q=gardening")
    event_id = db_session.scalar(select(func.max(SearchEvent.id)))
    assert client.get(f"/services/{site.gardening.id}?from_search={event_id}").status_code == 200
    assert not record_opened(db_session, event_id, site.personal.id)  # the first one counts
    db_session.expire_all()
    assert db_session.get(SearchEvent, event_id).opened_service_id == site.gardening.id


def test_results_change_within_one_request_after_publishing_editing_or_pausing(
        client, site, db_session):
    new = add_service(db_session, site.fingers, "Topiary", category="gardening",
                      price_pence=2500, status=ServiceStatus.DRAFT)
    assert heading(page(client, "/search?q=topiary")) == "0 services found"
    db_session.add(new)
    new.status = ServiceStatus.PUBLISHED
    db_session.commit()
    assert result_names(page(client, "/search?q=topiary")) == ["Topiary"]
    db_session.add(new)
    new.name, new.summary = "Tree surgery", "Careful pruning of big trees."
    db_session.commit()
    assert result_names(page(client, "/search?q=pruning")) == ["Tree surgery"]
    assert heading(page(client, "/search?q=topiary")) == "0 services found"
    db_session.add(new)
    new.status = ServiceStatus.PAUSED
    db_session.commit()
    assert heading(page(client, "/search?q=pruning")) == "0 services found"


def test_a_misspelt_search_shows_results_for_what_was_meant(client, site):
    body = page(client, "/search?q=persnal+care")
    assert "We found nothing for ‘persnal care’, so these are the results for ‘personal care’" in \
        body.replace("&#39;", "'")
    assert result_names(body) == ["Personal care at home"]


def test_did_you_mean_is_a_link_to_the_corrected_search(client, site):
    body = page(client, "/search?q=gardning+persnal&postcode=HA1")
    link = re.search(r'Did you mean\s*<a class="govuk-link" href="([^"]+)">([^<]+)</a>', body)
    assert link and link.group(2) == "gardening personal"
    assert "q=gardening+personal" in link.group(1) and "postcode=HA1" in link.group(1)
    assert "No service matched all of your words" in body


JUNK = [
    "/search?q=" + "x" * 10_000, "/search?q=a%3Ab*%20OR%20(", "/search?postcode=ZZ99",
    "/search?price_min=-5&price_max=abc", "/search?page=999999", "/search?page=-1",
    "/search?category=%3Cscript%3E&day=9&language=xx&kind=x&funding=y&sort=z&covers=yes",
    "/search?q=%22%27%3C%3E%5C%25_&price=nonsense", "/search?price_min=50&price_max=10",
]


@pytest.mark.parametrize("url", JUNK)
def test_junk_in_the_query_string_gets_a_clear_answer_never_a_500(client, site, url):
    body = page(client, url)
    assert "<script>" not in body[body.index("<main"):]
    if "q=a%3A" not in url and "q=%22" not in url:
        assert "govuk-error-summary" in body, url
        assert body.startswith("<!DOCTYPE html>") and "<title>Error: " in body
    if "q=a%3A" in url:
        assert "did not include any words we could look for" in body


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client, site):
    body = page(client, "/search?page=7")
    assert "There is only 1 page of results" in body
    assert len(result_names(body)) == 3


def test_many_results_are_paged_and_the_links_keep_the_search(client, site, db_session):
    for n in range(20):
        add_service(db_session, site.fingers, f"Lawn care {n}", category="gardening",
                    price_pence=1000 + n)
    body = page(client, "/search?q=lawn&sort=price")
    assert heading(body) == "21 services found" and len(result_names(body)) == 20
    assert 'href="/search?q=lawn&amp;sort=price&amp;page=2"' in body
    second = page(client, "/search?q=lawn&sort=price&page=2")
    assert len(result_names(second)) == 1 and 'aria-current="page"' in second


def test_the_reindex_command_rebuilds_the_search_from_the_database(app, site, db_session):
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ listings indexed", result.output)
