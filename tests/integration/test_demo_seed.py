"""`flask demo seed`: every role, believable data, deterministic and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from catalogue.models import ProviderKind, ProviderOrganisation, Service
from marketplace.accounts.models import Authority, RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.accounts.services import find_user_by_email, password_matches
from marketplace.demo import DEMO_PASSWORD, demo_logins, seed, seed_scale


def _snapshot(session):
    return (
        session.scalars(select(User.email).order_by(User.email)).all(),
        session.scalars(select(ProviderOrganisation.name).order_by(ProviderOrganisation.name))
        .all(),
        session.execute(select(Service.name, Service.price_pence).order_by(Service.id)).all(),
    )


def test_the_seed_covers_every_role_and_is_idempotent(app, db_session):
    with app.app_context():
        seed(db_session)
        db_session.commit()
        first = _snapshot(db_session)
        seed(db_session)
        db_session.commit()
        assert _snapshot(db_session) == first
    roles = set(db_session.scalars(select(RoleGrant.role)))
    assert roles == set(Role)
    holders = db_session.scalar(select(func.count(func.distinct(RoleGrant.user_id))).where(
        RoleGrant.role == Role.BUDGET_HOLDER))
    assert holders == 30
    with_reps = db_session.scalar(select(func.count(func.distinct(Authority.holder_id))))
    assert 5 <= with_reps < 30
    kinds = set(db_session.scalars(select(ProviderOrganisation.kind)))
    assert kinds == set(ProviderKind)
    assert db_session.scalar(select(func.count(ProviderOrganisation.id))) == 40
    prices = db_session.scalars(select(Service.price_pence)).all()
    assert all(100 <= p <= 200_000 for p in prices)


def test_every_printed_demo_login_works(app, db_session):
    with app.app_context():
        seed(db_session)
        db_session.commit()
    for _label, email in demo_logins():
        user = find_user_by_email(db_session, email)
        assert user is not None, email
        assert password_matches(user.password_hash, DEMO_PASSWORD), email


def test_the_scale_option_adds_providers_quickly_and_only_once(app, db_session):
    with app.app_context():
        seed(db_session)
        assert seed_scale(db_session, 500) == 500
        assert seed_scale(db_session, 500) == 0
        db_session.commit()
    assert db_session.scalar(select(func.count(ProviderOrganisation.id))) == 540
    assert db_session.scalar(select(func.count(Service.id))) == 40 + 1500
    assert db_session.scalar(select(func.count(User.id)).where(
        User.email_normalised.like("scale-holder-%"))) == 50
