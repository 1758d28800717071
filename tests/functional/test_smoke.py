import re

from marketplace.accounts.roles import Role
from tests.conftest import sign_in


def test_home_page_is_branded_for_the_council_not_gov_uk(client):
    page = client.get("/").get_data(as_text=True)
    assert "Ashdown Borough Council" in page
    assert "govuk-logo" not in page  # the crown and logotype component
    assert "GOV.UK" not in page
    assert "council-logo.svg" in page


def test_budget_holder_lands_on_my_support(client, make_user):
    holder = make_user(Role.BUDGET_HOLDER)
    response = sign_in(client, holder)
    assert response.headers["Location"].endswith("/home")
    assert client.get("/home").headers["Location"].endswith("/my/")


def _legends(page: str) -> set[str]:
    return {" ".join(text.split()) for text in re.findall(r"<legend[^>]*>(.*?)</legend>", page,
                                                           re.S)}


def test_radio_and_date_groups_have_their_legend(client, make_user):
    assert "What will you use the marketplace for?" in _legends(
        client.get("/register").get_data(as_text=True))
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER)
    sign_in(client, officer)
    page = client.get(f"/council/people/{holder.id}/authorities/new").get_data(as_text=True)
    assert {"Type of authority", "What they may do", "Start date",
            "End date (optional)"} <= _legends(page)
