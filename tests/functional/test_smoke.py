from tests.conftest import sign_in


def test_home_page_is_branded_for_the_council_not_gov_uk(client):
    page = client.get("/").get_data(as_text=True)
    assert "Ashdown Borough Council" in page
    assert "govuk-logo" not in page  # the crown and logotype component
    assert "GOV.UK" not in page
    assert "council-logo.svg" in page


def test_budget_holder_lands_on_my_support(client, make_user):
    from marketplace.accounts.roles import Role

    holder = make_user(Role.BUDGET_HOLDER)
    response = sign_in(client, holder)
    assert response.headers["Location"].endswith("/home")
    assert client.get("/home").headers["Location"].endswith("/my/")
