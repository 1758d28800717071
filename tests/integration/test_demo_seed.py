"""`flask demo seed`: every role, believable data, deterministic and idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from catalogue.browse import category_counts, public_services
from catalogue.models import (
    CouncilRate,
    ProviderKind,
    ProviderOrganisation,
    Service,
    ServiceStatus,
    VettingStatus,
)
from catalogue.taxonomy import CATEGORIES, TOP_LEVEL
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
    assert holders == 33  # 30, and the Okafor family (marketplace.budgets.demo)
    with_reps = db_session.scalar(select(func.count(func.distinct(Authority.holder_id))))
    assert 5 <= with_reps < 30
    kinds = set(db_session.scalars(select(ProviderOrganisation.kind)))
    assert kinds == set(ProviderKind)
    # The 40 original providers and 36 more from Harrow and its neighbours.
    assert db_session.scalar(select(func.count(ProviderOrganisation.id))) == 76
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
        counts = seed(db_session)
        assert seed_scale(db_session, 500) == 500
        assert seed_scale(db_session, 500) == 0
        db_session.commit()
    assert db_session.scalar(select(func.count(ProviderOrganisation.id))) == \
        counts["providers"] + 500
    assert db_session.scalar(select(func.count(Service.id))) == counts["services"] + 1500
    assert db_session.scalar(select(func.count(User.id)).where(
        User.email_normalised.like("scale-holder-%"))) == 50


def test_the_demo_catalogue_is_large_varied_and_shows_every_state(app, db_session):
    """Hundreds of public services in every category, council rates in force, expired
    and future, and the listings that must not be public (drafts, paused, stale, a
    suspended provider) so every page and rule has something to show."""
    today = date.today()
    with app.test_request_context():
        seed(db_session, today=today)
        db_session.commit()
        public = db_session.scalars(public_services()).all()
        counts = category_counts(db_session)
    assert len(public) >= 300
    assert all(counts[top.slug] >= 10 for top in TOP_LEVEL), counts
    subcategories = [slug for slug, c in CATEGORIES.items() if c.parent]
    assert sum(1 for slug in subcategories if counts[slug]) >= 0.9 * len(subcategories)

    statuses = db_session.scalars(select(Service.status)).all()
    assert statuses.count(ServiceStatus.DRAFT) >= 3
    assert statuses.count(ServiceStatus.PAUSED) >= 3
    providers = db_session.scalars(select(ProviderOrganisation)).all()
    assert [p.status for p in providers].count(VettingStatus.SUSPENDED) == 1
    assert [p.status for p in providers].count(VettingStatus.PENDING) == 3
    assert sum(1 for p in providers if p.expired_evidence(today)) == 1
    assert sum(1 for p in providers if p.insurance_expires_on
               and today <= p.insurance_expires_on <= today + timedelta(days=30)) >= 4
    regulated_sellers = {s.provider for s in public if s.regulated}
    assert regulated_sellers and all(p.cqc_location_id and p.cqc_rating
                                     for p in regulated_sellers)
    languages = {code for p in providers for code in p.language_codes}
    assert {"ur", "gu", "pl", "ar", "bsl"} <= languages
    districts = {d for p in providers for d in p.districts}
    assert {"HA1", "NW9", "UB5", "WD6"} <= districts

    rates = db_session.scalars(select(CouncilRate)).all()
    assert len(rates) >= 40
    assert any(r.ends_on and r.ends_on < today for r in rates)  # an expired rate
    assert any(r.starts_on > today for r in rates)  # a rate agreed for the future
    flagship = next(s for s in public if s.provider.name == "Harrow Home Care Ltd"
                    and s.price_pence == 2450)
    assert [r.rate_pence for r in flagship.council_rates] == [1800]
    assert all(r.rate_pence < r.service.price_pence for r in rates)

    now = max(s.last_confirmed_at for s in public)
    ages = [(now - s.last_confirmed_at).days for s in db_session.scalars(select(Service))]
    assert sum(1 for days in ages if 90 <= days < 120) >= 10  # flagged to the provider
    assert sum(1 for days in ages if days >= 120) >= 2  # hidden until confirmed
