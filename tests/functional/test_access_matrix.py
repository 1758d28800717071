"""Every route, for every role: forbidden pages answer 403 or send to sign-in, and
never show someone else's data. Driven by the URL map, so new routes are covered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalogue.models import (
    CouncilRate,
    ListingReport,
    ProviderKind,
    ReportReason,
    ServicePhoto,
    VettingStatus,
)
from marketplace.accounts import services
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.security import AccessRule
from tests.budget_helpers import matrix_args as budget_matrix_args
from tests.conftest import csrf_token, sign_in
from tests.functional.catalogue_factories import add_provider, add_service
from tests.functional.community_helpers import community_args
from tests.functional.deliveries_helpers import matrix_args as deliveries_args
from tests.functional.minder_helpers import another_councils_objects
from tests.functional.ordering_helpers import matrix_objects
from tests.functional.oruk_helpers import oruk_args
from tests.functional.ratings_helpers import matrix_args as ratings_args
from tests.functional.storefront_helpers import make_provider, make_service
from tests.invoicing_helpers import matrix_args as invoicing_args
from tests.payments_helpers import matrix_args as payments_args

SECRET_NAME = "Zebedee Confidential"


@pytest.fixture()
def world(db_session, make_user, council, other_council):
    users = {role: make_user(role, name=f"Only {role.value}") for role in Role
             if role is not Role.REPRESENTATIVE}
    users[Role.REPRESENTATIVE] = make_user(name="Only representative")
    officer = users[Role.COUNCIL_OFFICER]
    stranger = make_user(Role.BUDGET_HOLDER, council_for=other_council, name=SECRET_NAME)
    stranger.phone = "07700 900 111"
    # The representative acts for the holder in our council, not for the stranger.
    services.create_authority(
        db_session, created_by=officer, representative=users[Role.REPRESENTATIVE],
        holder=users[Role.BUDGET_HOLDER], council=council,
        authority_type=AuthorityType.FAMILY_CARER, scope=Scope.ORDER,
        starts_on=date.today() - timedelta(days=1), ends_on=None, evidence_reference="E")
    other_rep = make_user(name="Stranger's Rep")
    stranger_authority = services.create_authority(
        db_session, created_by=officer, representative=other_rep, holder=stranger,
        council=other_council, authority_type=AuthorityType.DEPUTY, scope=Scope.MONEY,
        starts_on=date.today() - timedelta(days=1), ends_on=None, evidence_reference="S")
    db_session.commit()
    args = {"user_id": stranger.id, "authority_id": stranger_authority.id,
            "grant_id": stranger.roles[0].id, "token": "not-a-real-token", "lang": "cy"}
    # The storefront and council screens: another council's in-house provider (the
    # stranger is its owner), with a service, a photo, a rate and a report of its own.
    theirs = make_provider(db_session, stranger, name="Elsewhere In-house Care",
                           council=other_council, status=VettingStatus.APPROVED,
                           kind=ProviderKind.COUNCIL_IN_HOUSE, logo_filename="c" * 32 + ".png")
    their_service = make_service(db_session, theirs, name="Elsewhere day centre")
    their_service.photos.append(ServicePhoto(filename="d" * 32 + ".jpg", alt_text="A room"))
    their_rate = CouncilRate(service_id=their_service.id, council_id=other_council.id,
                             rate_pence=1234, starts_on=date.today())
    their_report = ListingReport(service_id=their_service.id, provider_id=theirs.id,
                                 reason=ReportReason.CONCERN, details=SECRET_NAME,
                                 contact_email="stranger@example.org")
    db_session.add_all([their_rate, their_report])
    db_session.commit()
    args.update({"provider_id": theirs.id, "service_id": their_service.id,
                 "photo_id": their_service.photos[0].id, "rate_id": their_rate.id,
                 "report_id": their_report.id, "member_id": theirs.members[0].id,
                 "filename": their_service.photos[0].filename})
    args.update(matrix_objects(db_session, stranger, other_council, theirs, their_service))
    args.update(deliveries_args(db_session, stranger, other_council, theirs, their_service))
    args.update(oruk_args(their_service))
    args.update(community_args(db_session, stranger, other_council))
    args.update({k: v for k, v in another_councils_objects(
        db_session, stranger, other_council, officer).items() if k not in args})
    args.update({k: v for k, v in budget_matrix_args(db_session, stranger, other_council)
                 .items() if k not in args})
    args.update({k: v for k, v in invoicing_args(db_session, stranger, other_council, theirs,
                                                 their_service).items() if k not in args})
    args.update({k: v for k, v in payments_args(db_session, stranger, other_council).items()
                 if k not in args})
    args.update(ratings_args(db_session, stranger, other_council, theirs, their_service))
    # The public catalogue: a published service of an approved provider.
    listed = add_service(db_session, add_provider(db_session, name="Matrix Home Care"))
    for key, value in (("slug", "personal-care"), ("provider_id", listed.provider_id),
                       ("service_id", listed.id)):
        args.setdefault(key, value)
    return {"users": users, "stranger": stranger, "args": args}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def test_every_view_declares_who_may_use_it(app):
    missing = [rule.endpoint for rule in _routes(app)
               if not isinstance(getattr(app.view_functions[rule.endpoint], "access_rule",
                                         None), AccessRule)]
    assert missing == []


def _url(rule, args):
    return rule.build({k: args[k] for k in rule.arguments}, append_unknown=False)[1]


def _allowed(rule: AccessRule, user) -> bool:
    if rule.public:
        return True
    if rule.roles is not None:
        return user.has_role(*rule.roles)
    if rule.person_scope is not None:
        return user.has_role(Role.BUDGET_HOLDER, Role.SELF_FUNDER, Role.REPRESENTATIVE)
    return True


def test_anonymous_visitors_are_sent_to_sign_in_for_every_private_page(app, client, world):
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access_rule
        if access.public or "GET" not in rule.methods:
            continue
        response = client.get(_url(rule, world["args"]))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/sign-in"), rule.rule


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_only_what_its_rules_allow(app, world, role):
    user = world["users"][role]
    client = app.test_client()
    sign_in(client, user)
    for rule in _routes(app):
        if "GET" not in rule.methods:
            continue
        access = app.view_functions[rule.endpoint].access_rule
        url = _url(rule, world["args"])
        response = client.get(url)
        page = response.get_data().decode("utf-8", "replace")  # PDFs are bytes
        assert response.status_code < 500, url
        if not _allowed(access, user):
            assert response.status_code == 403, (role, url, response.status_code)
        # Whatever the answer, the stranger's data never shows, except to the
        # administrator whose job it is.
        if role is not Role.ADMINISTRATOR:
            assert SECRET_NAME not in page, (role, url)
            assert "07700 900 111" not in page, (role, url)


def test_post_only_actions_are_refused_to_roles_without_them(app, world):
    for role in Role:
        client = app.test_client()
        sign_in(client, world["users"][role])

        token = csrf_token(client, "/accessibility")
        # Signing out ends the session (and its token), so it goes last.
        for rule in sorted(_routes(app), key=lambda r: r.endpoint == "auth.sign_out"):
            if "POST" not in rule.methods:
                continue
            access = app.view_functions[rule.endpoint].access_rule
            response = client.post(_url(rule, world["args"]), data={"csrf_token": token})
            assert response.status_code < 500, (role, rule.rule)
            if not _allowed(access, world["users"][role]):
                assert response.status_code == 403, (role, rule.rule)
