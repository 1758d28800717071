"""Registering, signing in and out, throttling, password reset, sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from catalogue.models import CommunityOrganisation, ProviderOrganisation
from marketplace.accounts.models import PasswordResetToken, SignInAttempt, User
from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from marketplace.mail import OutboxMessage
from tests.conftest import TEST_PASSWORD, csrf_token, sign_in


def _register(client, **fields):
    data = {"account_kind": "self_funder", "full_name": "Ada Lovelace",
            "organisation_name": "", "email": "ada@example.org",
            "password": "a long enough password", "confirm": "a long enough password"}
    data.update(fields)
    data["csrf_token"] = csrf_token(client, "/register")
    return client.post("/register", data=data)


def test_a_self_funder_registers_and_is_signed_in(client, db_session, outbox):
    response = _register(client)
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.email_normalised == "ada@example.org"))
    assert user.role_set == {Role.SELF_FUNDER}
    assert user.password_hash.startswith("$argon2")
    assert client.get("/home").headers["Location"].endswith("/my/")
    assert [m["To"] for m in outbox] == ["ada@example.org"]


@pytest.mark.parametrize(("kind", "model"), [("provider_staff", ProviderOrganisation),
                                             ("community_organiser", CommunityOrganisation)])
def test_providers_and_organisers_register_with_their_organisation(
        client, db_session, kind, model):
    response = _register(client, account_kind=kind, organisation_name="Sunny Days CIC")
    assert response.status_code == 302
    organisation = db_session.scalar(select(model).where(model.name == "Sunny Days CIC"))
    assert organisation is not None
    assert organisation.status.value == "pending"  # the council checks it first


def test_an_organisation_name_is_needed_for_provider_accounts(client, db_session):
    response = _register(client, account_kind="provider_staff", organisation_name="  ")
    assert response.status_code == 400
    assert "Enter the name of your organisation or group" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(User.id))) == 0


def test_an_email_address_can_only_have_one_account(client, db_session, make_user):
    make_user(Role.BUDGET_HOLDER, email="Ada@Example.org")
    response = _register(client)
    assert response.status_code == 400
    assert "There is already an account with this email address" in response.get_data(
        as_text=True)


def test_nobody_can_register_themselves_as_council_staff(client, db_session):
    response = _register(client, account_kind="administrator")
    assert response.status_code == 400
    assert db_session.scalar(select(func.count(User.id))) == 0


def test_a_wrong_password_gives_one_clear_message_that_reveals_nothing(client, make_user):
    user = make_user(Role.BUDGET_HOLDER)
    for email in (user.email, "nobody@example.org"):
        response = client.post("/sign-in", data={"email": email, "password": "wrong password",
                                                  "csrf_token": csrf_token(client, "/sign-in")})
        assert response.status_code == 400
        assert "The email address or password is not right" in response.get_data(as_text=True)


def test_sign_in_is_throttled_after_five_failures_with_a_clear_message(
        client, make_user, db_session):
    user = make_user(Role.BUDGET_HOLDER)
    for _attempt in range(5):
        client.post("/sign-in", data={"email": user.email, "password": "nope nope nope",
                                      "csrf_token": csrf_token(client, "/sign-in")})
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD,
                                              "csrf_token": csrf_token(client, "/sign-in")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Too many failed attempts to sign in" in page
    assert re.search(r"wait \d+ minutes", page)
    assert client.get("/home").status_code == 302  # still not signed in


def test_throttling_ends_when_the_window_has_passed(client, make_user, db_session):
    user = make_user(Role.BUDGET_HOLDER)
    long_ago = utcnow() - timedelta(hours=1)
    for _attempt in range(5):
        db_session.add(SignInAttempt(email_normalised=user.email_normalised,
                                     ip_address="127.0.0.1", attempted_at=long_ago))
    db_session.commit()
    assert sign_in(client, user).status_code == 302


def test_signing_in_renews_the_session(client, make_user):
    user = make_user(Role.BUDGET_HOLDER)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["lang"] = "cy"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "cy"  # the language choice survives
        assert session["_user_id"] == user.get_id()


def test_sign_out_needs_a_post_with_a_valid_token(client, make_user):
    user = make_user(Role.BUDGET_HOLDER)
    sign_in(client, user)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out", data={}).status_code == 400
    assert client.get("/my/").status_code == 200
    token = csrf_token(client, "/my/")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/my/").status_code == 302


def test_safe_redirects_after_sign_in_stay_on_this_site(client, make_user):
    user = make_user(Role.BUDGET_HOLDER)
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in?next=//evil.example/x",
                           data={"email": user.email, "password": TEST_PASSWORD,
                                 "csrf_token": token})
    assert response.headers["Location"] in ("/", "http://marketplace.test/")


def _reset_link(outbox) -> str:
    body = outbox[-1].get_content()
    match = re.search(r"http://marketplace\.test(/password/reset/\S+)", body)
    assert match, body
    return match.group(1)


def test_password_reset_by_emailed_single_use_link(client, make_user, db_session, outbox):
    user = make_user(Role.BUDGET_HOLDER)
    old_nonce = user.session_nonce
    client.post("/password/forgotten", data={"email": user.email,
                                             "csrf_token": csrf_token(client)})
    link = _reset_link(outbox)
    assert db_session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.sent_at.is_not(None))) == 1
    new = "a brand new passphrase"
    response = client.post(link, data={"password": new, "confirm": new,
                                       "csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    assert db_session.get(User, user.id).session_nonce != old_nonce  # other sessions end
    assert sign_in(client, user, new).status_code == 302
    # The link works once.
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/my/")})
    assert client.get(link).status_code == 400


def test_an_expired_reset_link_is_refused(client, make_user, db_session, outbox):
    user = make_user(Role.BUDGET_HOLDER)
    client.post("/password/forgotten", data={"email": user.email,
                                             "csrf_token": csrf_token(client)})
    link = _reset_link(outbox)
    token_row = db_session.scalar(select(PasswordResetToken))
    token_row.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    response = client.get(link)
    assert response.status_code == 400
    assert "This link does not work" in response.get_data(as_text=True)


def test_asking_for_a_reset_does_not_reveal_whether_an_account_exists(client, outbox):
    response = client.post("/password/forgotten", data={"email": "ghost@example.org",
                                                        "csrf_token": csrf_token(client)})
    assert response.status_code == 200
    assert "If there is an account for ghost@example.org" in response.get_data(as_text=True)
    assert outbox == []


def test_a_changed_password_ends_every_other_session(app, client, make_user, db_session):
    user = make_user(Role.BUDGET_HOLDER)
    sign_in(client, user)
    other = app.test_client()
    sign_in(other, user)
    db_session.get(User, user.id).session_nonce = "rotated"
    db_session.commit()
    assert client.get("/my/").status_code == 302
    assert other.get("/my/").status_code == 302


def test_mail_is_not_sent_when_the_change_is_rolled_back(client, make_user, outbox, db_session):
    from marketplace.mail import queue_email

    queue_email(db_session, "x@example.org", "never", "never")
    db_session.rollback()
    client.get("/")
    assert outbox == []


def _welsh(msgid: str) -> str:
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    path = root / "marketplace/translations/cy/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        return read_po(handle)[msgid].string


def test_emails_are_written_in_the_recipients_language(client, make_user, db_session, outbox):
    user = make_user(Role.BUDGET_HOLDER)
    db_session.get(User, user.id).preferred_language = "cy"
    db_session.commit()
    # The request itself is in English: the e-mail still goes out in Welsh.
    client.post("/password/forgotten", data={"email": user.email,
                                             "csrf_token": csrf_token(client)})
    assert outbox[-1]["Subject"] == _welsh("Reset your password")
    assert _welsh("If you did not ask for this, you can ignore this email: your password "
                  "has not changed.") in outbox[-1].get_content()


def test_choosing_a_language_while_signed_in_is_remembered(client, make_user, db_session):
    user = make_user(Role.BUDGET_HOLDER)
    sign_in(client, user)
    client.get("/language/cy?next=/my/")
    assert db_session.get(User, user.id).preferred_language == "cy"
