"""Messages between the person and a provider (on an order, or a question before
ordering), who may read them, and the "what's new" lists fed by order changes,
messages and disputes."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.ordering.messages.models import (
    Conversation,
    Message,
    NoticeKind,
    Notification,
    Side,
)
from marketplace.ordering.models import Order
from tests.conftest import csrf_token, sign_in
from tests.functional.deliveries_helpers import accepted_order
from tests.functional.ordering_helpers import (
    agree_plan,
    form_post,
    hidden,
    make_budget,
    make_shop,
)


@pytest.fixture()
def world(app, db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner = make_user(Role.PROVIDER_STAFF, name="Priya Owner")
    shop, service = make_shop(db_session, owner)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer)
    order = accepted_order(app, db_session, holder, owner, service, budget)
    return {"officer": officer, "holder": holder, "owner": owner, "shop": shop,
            "service": service, "order": order}


def _as(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def _send(client, url, body):
    page = client.get(url)
    if page.status_code == 302:
        url = page.headers["Location"]
        page = client.get(url)
    text = page.get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)"[^>]*>(?:(?!</form>).)*'
                       r'name="message_key"', text, re.S).group(1)
    return client.post(action, data={"body": body, "message_key": hidden(text, "message_key"),
                                     "csrf_token": hidden(text, "csrf_token")})


def _conversation(db_session):
    return db_session.scalar(select(Conversation))


def test_the_person_writes_about_an_order_and_the_provider_replies(app, db_session, world,
                                                                   outbox):
    holder = _as(app, world["holder"])
    outbox.clear()
    response = _send(holder, f"/messages/orders/{world['order'].id}", "Can you come at 10?")
    assert response.status_code == 302
    conversation = _conversation(db_session)
    assert conversation.order_id == world["order"].id
    assert [m.body for m in conversation.messages] == ["Can you come at 10?"]
    mails = [m for m in outbox if "new message" in m["Subject"]]
    assert [m["To"] for m in mails] == [world["owner"].email]
    assert "Can you come at 10?" not in mails[0].get_content()  # only a link by e-mail
    provider = _as(app, world["owner"])
    assert "New message" in provider.get("/provider").get_data(as_text=True)
    inbox = provider.get("/provider/messages/").get_data(as_text=True)
    assert "Margaret Okafor" in inbox
    outbox.clear()
    _send(provider, f"/provider/messages/{conversation.id}", "Yes, 10 is fine.")
    assert [m["To"] for m in outbox if "new message" in m["Subject"]] == [world["holder"].email]
    thread = holder.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Can you come at 10?" in thread and "Yes, 10 is fine." in thread
    assert "Priya" in thread
    home = holder.get("/my/").get_data(as_text=True)
    assert "New message: Order" in home


def test_the_provider_can_start_the_conversation_on_an_order(app, db_session, world):
    provider = _as(app, world["owner"])
    _send(provider, f"/provider/messages/orders/{world['order'].id}", "Who has the key safe code?")
    conversation = _conversation(db_session)
    assert conversation.messages[0].side is Side.PROVIDER
    notices = db_session.scalars(select(Notification).where(
        Notification.person_id == world["holder"].id,
        Notification.kind == NoticeKind.MESSAGE)).all()
    assert len(notices) == 1


def test_a_message_sent_twice_is_stored_once(app, db_session, world):
    client = _as(app, world["holder"])
    page = client.get(f"/messages/orders/{world['order'].id}/new").get_data(as_text=True)
    data = {"body": "Hello", "message_key": hidden(page, "message_key"),
            "csrf_token": hidden(page, "csrf_token")}
    url = f"/messages/orders/{world['order'].id}/new"
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert db_session.scalar(select(func.count(Message.id))) == 1
    assert db_session.scalar(select(func.count(Conversation.id))) == 1


def test_an_empty_message_is_refused(app, db_session, world):
    client = _as(app, world["holder"])
    url = f"/messages/orders/{world['order'].id}/new"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"body": "   ", "message_key": hidden(page, "message_key"),
                                      "csrf_token": hidden(page, "csrf_token")})
    assert response.status_code == 400
    assert "Enter your message" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Message.id))) == 0


def test_a_person_asks_a_provider_a_question_before_ordering(app, db_session, world,
                                                             make_user):
    asker = make_user(Role.SELF_FUNDER, name="Sam Selfridge")
    client = _as(app, asker)
    response = _send(client, f"/messages/services/{world['service'].id}/ask",
                     "Do your carers speak Gujarati?")
    assert response.status_code == 302
    conversation = db_session.scalar(select(Conversation).where(
        Conversation.person_id == asker.id))
    assert conversation.order_id is None and conversation.service_id == world["service"].id
    provider = _as(app, world["owner"])
    inbox = provider.get("/provider/messages/").get_data(as_text=True)
    assert "Sam Selfridge" in inbox and "A question before ordering" in inbox
    assert client.get("/messages/services/999999/ask").status_code == 404


def test_who_may_read_a_conversation(app, db_session, world, make_user, council,
                                     other_council):
    holder = _as(app, world["holder"])
    _send(holder, f"/messages/orders/{world['order'].id}", "A private matter")
    conversation = _conversation(db_session)
    cid, holder_id = conversation.id, world["holder"].id
    # A council officer of the council that funds the person reads, but cannot write.
    officer = _as(app, world["officer"])
    page = officer.get(f"/council/messages/{cid}").get_data(as_text=True)
    assert "A private matter" in page and 'name="body"' not in page
    assert "A private matter" not in officer.get(f"/council/messages/people/{holder_id}").get_data(
        as_text=True)
    assert "Order " in officer.get(f"/council/messages/people/{holder_id}").get_data(as_text=True)
    # Nobody else.
    elsewhere = _as(app, make_user(Role.COUNCIL_OFFICER, council_for=other_council))
    assert elsewhere.get(f"/council/messages/{cid}").status_code == 403
    assert elsewhere.get(f"/council/messages/people/{holder_id}").status_code == 403
    for role in (Role.COMMISSIONER, Role.FINANCE_OFFICER, Role.ADMINISTRATOR):
        client = _as(app, make_user(role))
        assert client.get(f"/council/messages/{cid}").status_code == 403, role
        assert client.get(f"/council/messages/people/{holder_id}").status_code == 403, role
    other_owner = make_user(Role.PROVIDER_STAFF)
    make_shop(db_session, other_owner, name="Other Care")
    other_provider = _as(app, other_owner)
    assert other_provider.get(f"/provider/messages/{cid}").status_code == 403
    assert other_provider.get(
        f"/provider/messages/orders/{world['order'].id}").status_code == 403
    assert "Margaret" not in other_provider.get("/provider/messages/").get_data(as_text=True)
    other_person = _as(app, make_user(Role.BUDGET_HOLDER))
    assert other_person.get(f"/messages/{cid}").status_code == 404
    assert other_person.get(f"/messages/{cid}/reply").status_code == 404
    assert other_person.get(f"/messages/orders/{world['order'].id}").status_code == 404
    assert "A private matter" not in other_person.get("/messages/").get_data(as_text=True)
    before = db_session.scalar(select(func.count(Message.id)))
    response = form_post(other_person, f"/messages/{cid}/reply",
                         {"body": "x", "message_key": "k" * 24}, token_from="/messages/")
    assert response.status_code == 404
    assert db_session.scalar(select(func.count(Message.id))) == before


def test_a_representative_writes_for_the_person_only_with_order_scope(
        app, db_session, world, make_user, council):
    clients = {}
    for scope in (Scope.VIEW, Scope.ORDER):
        rep = make_user(name=f"Rep {scope.value}")
        authority = accounts.create_authority(
            db_session, created_by=world["officer"], representative=rep,
            holder=world["holder"], council=council, authority_type=AuthorityType.DEPUTY,
            scope=scope, starts_on=date.today() - timedelta(days=1), ends_on=None,
            evidence_reference="E")
        db_session.commit()
        client = _as(app, rep)
        client.post(f"/acting/start/{authority.id}",
                    data={"csrf_token": csrf_token(client, "/acting/")})
        clients[scope] = client
    _send(clients[Scope.ORDER], f"/messages/orders/{world['order'].id}", "Written for her")
    conversation = _conversation(db_session)
    message = conversation.messages[0]
    assert message.acting_for_id == world["holder"].id
    viewer = clients[Scope.VIEW]
    page = viewer.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Written for her" in page and "Rep order, for Margaret Okafor" in page
    assert 'name="body"' not in page
    assert viewer.get(f"/messages/{conversation.id}/reply").status_code == 403


def test_every_order_change_shows_on_the_person_s_home_page_and_can_be_marked_seen(
        app, db_session, world):
    kinds = db_session.scalars(select(Notification.detail).where(
        Notification.person_id == world["holder"].id,
        Notification.kind == NoticeKind.ORDER_STATUS).order_by(Notification.id)).all()
    assert kinds == ["submitted", "awaiting_provider", "accepted"]
    # The provider hears of the order reaching it, not of its own acceptance.
    provider_kinds = db_session.scalars(select(Notification.detail).where(
        Notification.provider_id == world["shop"].id)).all()
    assert provider_kinds == ["awaiting_provider"]
    client = _as(app, world["holder"])
    reference = db_session.get(Order, world["order"].id).reference
    home = client.get("/my/").get_data(as_text=True)
    assert f"Order {reference}: Accepted by the provider" in home
    form_post(client, "/messages/whats-new/read", {}, token_from="/my/")
    assert "Nothing new since you last looked." in client.get("/my/").get_data(as_text=True)
    provider = _as(app, world["owner"])
    assert f"Order {reference}: Waiting for the provider" in provider.get(
        "/provider").get_data(as_text=True)
    form_post(provider, "/provider/messages/whats-new/read", {}, token_from="/provider")
    assert "Nothing new since you last looked." in provider.get("/provider").get_data(
        as_text=True)
    # Marking seen for one person leaves everyone else's list alone.
    assert db_session.scalar(select(func.count(Notification.id)).where(
        Notification.read_at.is_(None))) == 0
