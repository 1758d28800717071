"""`flask demo seed`: a believable, fictional council, deterministic and idempotent.

Everything is made from a fixed random seed, in one transaction, so running it
twice changes nothing and a half-run never exists. ``--scale N`` adds N more
providers (with services) and N/10 budget holders by bulk insert, for benchmarks.
"""

from __future__ import annotations

import random
import secrets
import time
from datetime import date, timedelta

import click
from sqlalchemy import func, insert, select, text

from catalogue.models import (
    CommunityOrganisation,
    CommunityOrganiser,
    MemberRole,
    ProviderKind,
    ProviderMember,
    ProviderOrganisation,
    Service,
    ServiceStatus,
    Unit,
    VettingStatus,
)
from catalogue.taxonomy import CATEGORIES
from marketplace.accounts import services
from marketplace.accounts.models import Council, RoleGrant, User
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.db import db, utcnow

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose
COUNCIL_SLUG = "ashdown"
DISTRICTS = ["HA0", "HA1", "HA2", "HA3", "HA4", "HA5", "HA6", "HA7", "HA8", "HA9"]
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# (email, name, roles) — every role has a login; printed by `flask demo logins`.
STAFF = [
    ("admin@ashdown.example", "Priya Raman", [Role.ADMINISTRATOR]),
    ("officer@ashdown.example", "Daniel Okoro", [Role.COUNCIL_OFFICER]),
    ("finance@ashdown.example", "Helen Marsh", [Role.FINANCE_OFFICER]),
    ("commissioner@ashdown.example", "Tom Whitfield", [Role.COMMISSIONER]),
]

FIRST = ["Margaret", "Arthur", "Joan", "Kwame", "Aisha", "Stanley", "Irene", "Ravi", "Eileen",
         "Bernard", "Grace", "Tariq", "Dorothy", "Patrick", "Mei", "Leonard", "Hannah", "Owen",
         "Fatima", "Cyril", "Rosa", "Gareth", "Nia", "Samuel", "Brenda", "Imran", "Olive",
         "Desmond", "Sunita", "Frank"]
LAST = ["Okafor", "Hughes", "Patel", "Davies", "Mensah", "Fletcher", "Khan", "O'Brien", "Lewis",
        "Nowak", "Begum", "Clarke", "Ahmed", "Robinson", "Chen", "Evans", "Shah", "Murphy",
        "Williams", "Adeyemi", "Jones", "Kowalski", "Hussain", "Price", "Singh", "Walsh",
        "Morgan", "Ali", "Bennett", "Thomas"]

# name, kind, category, unit, public price in pence, summary
PROVIDERS = [
    ("Harrow Home Care Ltd", ProviderKind.AGENCY, "getting-up-and-dressed", Unit.HOUR, 2450,
     "Help with washing, dressing and medicines at home, seven days a week."),
    ("Bluebell Care Services", ProviderKind.AGENCY, "getting-up-and-dressed", Unit.HOUR, 2295,
     "Regular home care visits from a small, consistent team."),
    ("Allied Homecare (Harrow branch)", ProviderKind.AGENCY, "getting-up-and-dressed",
     Unit.HOUR, 2600, "National home care agency with live-in care and night sitting."),
    ("Carewatch North West London", ProviderKind.AGENCY, "getting-up-and-dressed", Unit.HOUR,
     2380, "Home care, reablement and companionship visits."),
    ("Caremark Pinner", ProviderKind.AGENCY, "getting-up-and-dressed", Unit.HOUR, 2520,
     "Visits from 30 minutes, including evenings and weekends."),
    ("Home Instead Stanmore", ProviderKind.AGENCY, "befriending", Unit.HOUR, 2800,
     "Companionship and dementia care with visits of at least one hour."),
    ("Kenton Domiciliary Care", ProviderKind.AGENCY, "cleaning-and-laundry", Unit.HOUR, 1950,
     "Cleaning, laundry, shopping and meal preparation."),
    ("Age UK Harrow", ProviderKind.CHARITY, "befriending", Unit.VISIT, 1500,
     "Befriending visits, help with forms and a weekly lunch club."),
    ("Harrow Carers", ProviderKind.CHARITY, "sitting-for-carers", Unit.SESSION, 4500,
     "Sitting service so family carers can take a break."),
    ("Mind in Harrow", ProviderKind.CHARITY, "clubs-and-groups", Unit.SESSION, 1200,
     "Peer support groups and wellbeing courses."),
    ("Harrow Association of Disabled People", ProviderKind.USER_LED,
     "independent-advocacy", Unit.HOUR, 3000,
     "Advocacy and support planning run by disabled people."),
    ("Choices Together", ProviderKind.USER_LED, "support-planning-help", Unit.HOUR,
     3500, "Independent support planning and brokerage for personal budgets."),
    ("Wealdstone Community Kitchen CIC", ProviderKind.SOCIAL_ENTERPRISE, "meals-delivered",
     Unit.ITEM, 650, "Hot, freshly cooked meals delivered to your door."),
    ("Green Fingers Harrow CIC", ProviderKind.SOCIAL_ENTERPRISE, "gardening",
     Unit.HOUR, 1800, "Garden tidying and small repairs by a supported-employment team."),
    ("Ride Together Community Transport", ProviderKind.SOCIAL_ENTERPRISE, "door-to-door",
     Unit.ITEM, 900, "Door-to-door accessible minibus for appointments and outings."),
    ("Sunrise Day Opportunities", ProviderKind.SOCIAL_ENTERPRISE, "creative-and-skills",
     Unit.DAY, 5500, "Creative arts, cooking and trips for adults with learning disabilities."),
    ("Headstone Lane Micro Care", ProviderKind.MICRO_PROVIDER, "getting-up-and-dressed",
     Unit.HOUR, 1900, "Three local carers offering flexible visits in HA2 and HA5."),
    ("Little Acorns Short Breaks", ProviderKind.MICRO_PROVIDER, "sitting-for-carers",
     Unit.NIGHT, 12000, "Overnight short breaks in a family home."),
    ("Rayners Lane Walking Buddies", ProviderKind.MICRO_PROVIDER, "clubs-and-groups",
     Unit.SESSION, 1500, "Walking and social outings with a friendly companion."),
    ("Edgware Tech Helpers", ProviderKind.MICRO_PROVIDER, "assistive-technology",
     Unit.HOUR, 2000, "Setting up tablets, video calls and smart home equipment."),
    ("Pinner Budget Support", ProviderKind.MICRO_PROVIDER,
     "managed-accounts", Unit.WEEK, 1500,
     "A managed account service that pays your carers and keeps your records."),
    ("Amira Hassan PA", ProviderKind.PERSONAL_ASSISTANT, "pa-everyday-support", Unit.HOUR, 1450,
     "Personal assistant speaking Arabic and English; female."),
    ("Joseph Mensah PA", ProviderKind.PERSONAL_ASSISTANT, "pa-everyday-support", Unit.HOUR,
     1400, "Personal assistant with experience of autism and travel training."),
    ("Kasia Nowicka PA", ProviderKind.PERSONAL_ASSISTANT, "pa-everyday-support", Unit.HOUR,
     1350, "Personal assistant speaking Polish and English; evenings and weekends."),
    ("Deepa Shah PA", ProviderKind.PERSONAL_ASSISTANT, "pa-everyday-support", Unit.HOUR, 1500,
     "Personal assistant speaking Gujarati and Hindi; personal care and cooking."),
    ("Michael Byrne PA", ProviderKind.PERSONAL_ASSISTANT, "pa-everyday-support", Unit.HOUR,
     1380, "Male personal assistant for sport, gym and social activities."),
    ("Grace Adeyemi PA", ProviderKind.PERSONAL_ASSISTANT, "pa-everyday-support", Unit.HOUR,
     1420, "Personal assistant with a nursing background; morning routines."),
    ("Ashdown Council Reablement Team", ProviderKind.COUNCIL_IN_HOUSE,
     "getting-up-and-dressed", Unit.HOUR, 3281,
     "Short-term reablement after hospital, up to six weeks."),
    ("Ashdown Shared Lives", ProviderKind.COUNCIL_IN_HOUSE, "sitting-for-carers",
     Unit.DAY, 8500, "Day and overnight support with an approved Shared Lives carer."),
    ("Ashdown Community Equipment Service", ProviderKind.COUNCIL_IN_HOUSE,
     "assistive-technology", Unit.ITEM, 4500,
     "Loan of grab rails, bath seats and telecare alarms."),
    ("Bridges Housing Support", ProviderKind.CHARITY, "tenancy-support", Unit.HOUR,
     1100, "Help to manage a tenancy, bills and benefits."),
    ("Stanmore Floating Support", ProviderKind.CHARITY, "tenancy-support", Unit.HOUR,
     950, "Floating support for people moving into their own home."),
    ("Roxeth Learning Together", ProviderKind.CHARITY, "job-coaching",
     Unit.SESSION, 2500, "Supported employment and job coaching."),
    ("Harrow Deaf Club", ProviderKind.USER_LED, "clubs-and-groups", Unit.SESSION, 500,
     "Social evenings in British Sign Language."),
    ("Belmont Swim and Gym Buddies", ProviderKind.MICRO_PROVIDER, "clubs-and-groups",
     Unit.SESSION, 1800, "A buddy for swimming and the gym."),
    ("Northwick Night Sitting", ProviderKind.AGENCY, "sitting-for-carers", Unit.NIGHT,
     15500, "Waking and sleeping nights at home."),
    ("Hatch End Handy Help", ProviderKind.MICRO_PROVIDER, "gardening",
     Unit.HOUR, 2200, "Small repairs, key safes and fitting grab rails."),
    ("Queensbury Cultural Day Centre", ProviderKind.CHARITY, "creative-and-skills", Unit.DAY,
     4800, "Day centre for South Asian elders with hot vegetarian lunch."),
    ("Canons Park Dementia Café", ProviderKind.CHARITY, "befriending",
     Unit.SESSION, 800, "Weekly café for people living with dementia and their carers."),
    ("Harrow Weald Live-in Care", ProviderKind.AGENCY, "getting-up-and-dressed", Unit.WEEK,
     115000, "Live-in carers matched to you, with two-hour daily breaks."),
]

COMMUNITY = [
    ("Wealdstone Lunch Club", "A hot lunch and good company every Wednesday."),
    ("Pinner Knit and Natter", "Knitting, crochet and conversation at the library."),
    ("Harrow Time Bank", "Swap an hour of help for an hour of someone else's."),
    ("South Harrow Walking Football", "Gentle football for over-50s, all abilities."),
    ("Kenton Carers' Coffee Morning", "A drop-in for family carers to meet and share tips."),
    ("Edgware Memory Singers", "Singing for the brain, for people with memory loss."),
]


def _postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"


def _user(session, email, name, pw_hash, roles, rng):
    user = services.find_user_by_email(session, email)
    if user is None:
        user = services.create_user(session, email=email, full_name=name, password="",
                                    password_hash=pw_hash, roles=roles)
        user.postcode = _postcode(rng, rng.choice(DISTRICTS))
    return user


def seed(session, *, today: date | None = None) -> dict:
    """Create the demo council and its people. Returns counts of what exists."""
    today = today or date.today()
    rng = random.Random(20260401)  # noqa: S311 - deterministic demo data
    council = session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    if council is None:
        _seed_base(session, rng, today)
        from marketplace.budgets.demo import seed_budgets

        seed_budgets(session, today)
        from marketplace.budgets.minder.demo import seed_plans_and_pools

        seed_plans_and_pools(session, today)
        from marketplace.ordering.demo import seed_orders

        seed_orders(session, today)
        from marketplace.ordering.deliveries.demo import seed_deliveries  # visits, messages

        seed_deliveries(session, today)
        from marketplace.ratings.demo import seed_ratings  # after the ordering demo

        seed_ratings(session, today)
        from marketplace.invoicing.demo import seed_invoicing  # after the ordering demo

        seed_invoicing(session, today)
        from marketplace.invoicing.payments.demo import seed_payments

        seed_payments(session, today)
        from marketplace.reports.demo import seed_history  # 18 months, for the reports

        seed_history(session, today)
        from catalogue.community.usage_demo import seed_views  # community listing views

        seed_views(session, today)
    return {
        "users": session.scalar(select(func.count(User.id))),
        "providers": session.scalar(select(func.count(ProviderOrganisation.id))),
        "services": session.scalar(select(func.count(Service.id))),
    }


def _seed_base(session, rng: random.Random, today: date) -> None:
    pw_hash = services.hash_password(DEMO_PASSWORD)
    council = Council(name="Ashdown Borough Council", short_name="Ashdown", slug=COUNCIL_SLUG)
    session.add(council)
    session.flush()
    cid = council.id
    for email, name, roles in STAFF:
        _user(session, email, name, pw_hash, [(r, cid) for r in roles], rng)
    officer = services.find_user_by_email(session, "officer@ashdown.example")

    holders = []
    for i in range(30):
        email = "holder@ashdown.example" if i == 0 else f"holder{i + 1:02d}@ashdown.example"
        name = f"{FIRST[i]} {LAST[(i * 7) % len(LAST)]}"
        holders.append(_user(session, email, name, pw_hash, [(Role.BUDGET_HOLDER, cid)], rng))
    _user(session, "selffunder@ashdown.example", "Colin Ashworth", pw_hash,
          [(Role.SELF_FUNDER, None)], rng)

    reps = [
        ("rep@ashdown.example", "Sarah Okafor", AuthorityType.FAMILY_CARER, Scope.MONEY),
        ("rep2@ashdown.example", "David Hughes", AuthorityType.LASTING_POWER_OF_ATTORNEY,
         Scope.MONEY),
        ("rep3@ashdown.example", "Anil Patel", AuthorityType.APPOINTEE, Scope.ORDER),
        ("broker@ashdown.example", "Ruth Ellis (Choices Together)", AuthorityType.BROKER,
         Scope.ORDER),
        ("rep5@ashdown.example", "Kofi Mensah", AuthorityType.FAMILY_CARER, Scope.VIEW),
    ]
    for index, (email, name, kind, scope) in enumerate(reps):
        rep = _user(session, email, name, pw_hash, [(Role.REPRESENTATIVE, None)], rng)
        clients = [holders[index]] + ([holders[10], holders[11], holders[12]]
                                      if kind is AuthorityType.BROKER else [])
        for holder in clients:
            services.create_authority(
                session, created_by=officer, representative=rep, holder=holder, council=council,
                authority_type=kind, scope=scope, starts_on=today - timedelta(days=200),
                ends_on=None, evidence_reference=f"CASE-{holder.id:05d}-{index}",
            )
    # The main demo representative also acts for a second person, and history
    # shows an authority that ended and one that was withdrawn.
    sarah = services.find_user_by_email(session, "rep@ashdown.example")
    services.create_authority(
        session, created_by=officer, representative=sarah, holder=holders[5], council=council,
        authority_type=AuthorityType.SUITABLE_PERSON, scope=Scope.VIEW,
        starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=335),
        evidence_reference="DP-SP-2026-118")
    services.create_authority(
        session, created_by=officer, representative=sarah, holder=holders[6], council=council,
        authority_type=AuthorityType.FAMILY_CARER, scope=Scope.ORDER,
        starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=35),
        evidence_reference="CASE-ENDED-2025")
    withdrawn = services.create_authority(
        session, created_by=officer, representative=services.find_user_by_email(
            session, "rep3@ashdown.example"), holder=holders[7], council=council,
        authority_type=AuthorityType.FAMILY_CARER, scope=Scope.ORDER,
        starts_on=today - timedelta(days=90), ends_on=None, evidence_reference="CASE-W-0007")
    services.revoke_authority(session, withdrawn, officer,
                              "The person asked for their son to stop acting for them.")

    from marketplace.demo_data import seed_catalogue

    seed_catalogue(session, council, today, officer=officer,
                   commissioner=services.find_user_by_email(session,
                                                            "commissioner@ashdown.example"),
                   originals=PROVIDERS)

    owner = _user(session, "provider@ashdown.example", "Linda Carter", pw_hash,
                  [(Role.PROVIDER_STAFF, None)], rng)
    first = session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.name == PROVIDERS[0][0]))
    first.members.append(ProviderMember(user_id=owner.id, member_role=MemberRole.OWNER))
    staff = _user(session, "carer@ashdown.example", "Jamal Reid", pw_hash,
                  [(Role.PROVIDER_STAFF, None)], rng)
    first.members.append(ProviderMember(user_id=staff.id, member_role=MemberRole.STAFF))

    organiser = _user(session, "organiser@ashdown.example", "Bethan Rhys", pw_hash,
                      [(Role.COMMUNITY_ORGANISER, None)], rng)
    for index, (name, description) in enumerate(COMMUNITY):
        group = CommunityOrganisation(
            name=name, description=description,
            postcode=_postcode(rng, DISTRICTS[index]), council_id=council.id,
            status=VettingStatus.APPROVED if index else VettingStatus.PENDING)
        if index < 2:
            group.organisers.append(CommunityOrganiser(user_id=organiser.id))
        session.add(group)
    session.flush()

    from marketplace.demo_data.community import seed_community

    seed_community(session, council, today, officer=officer)


def seed_scale(session, count: int) -> int:
    """Add providers (3 services each) up to ``count`` scale providers, and a tenth as
    many budget holders, by bulk insert. Idempotent: counts what exists first.

    The scale catalogue is varied enough to exercise search: bases in the ~250
    postcode districts within 25 km of Harrow, coverage by listed districts or a
    radius, languages, CQC registration for regulated kinds, weekly availability,
    funding streams, council rates for about one service in five (some expired),
    and a few listings left unconfirmed long enough to be hidden."""
    from datetime import time as clock

    from catalogue.geo import distance_km
    from catalogue.geo import districts as all_districts
    from catalogue.models import (
        CouncilRate,
        CqcRating,
        ProviderArea,
        ProviderLanguage,
        ServiceAvailability,
        ServiceFundingStream,
    )
    from catalogue.taxonomy import LANGUAGES, FundingStream, top_level_of

    rng = random.Random(count)  # noqa: S311
    existing = session.scalar(select(func.count(ProviderOrganisation.id)).where(
        ProviderOrganisation.name.like("Scale provider %")))
    council = session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    places = all_districts()
    nearby = sorted(d for d, p in places.items() if distance_km(places["HA1"], p) <= 25)
    languages = [code for code in LANGUAGES if code != "en"]
    kinds = list(ProviderKind)
    regulated = {ProviderKind.AGENCY, ProviderKind.COUNCIL_IN_HOUSE}
    ratings = [CqcRating.GOOD] * 6 + [CqcRating.OUTSTANDING, CqcRating.REQUIRES_IMPROVEMENT]
    streams_by_top = {
        "housing-support": [FundingStream.SUPPORTING_PEOPLE],
        "equipment-and-technology": [FundingStream.DISABLED_FACILITIES_GRANT],
        "learning-and-employment": [FundingStream.ACCESS_TO_WORK],
    }
    extras = ["Evening and weekend visits available.", "Experienced with dementia and memory loss.",
              "Female and male workers available.", "Friendly, reliable and fully insured.",
              "Wheelchair accessible.", "Culturally appropriate support and food.",
              "Short notice starts are possible.", "Support for autistic adults."]
    today = date.today()
    now = utcnow()
    rows, bases = [], []
    for i in range(existing, count):
        kind = kinds[i % len(kinds)]
        base = rng.choice(nearby)
        bases.append(base)
        row = {"name": f"Scale provider {i:06d}", "kind": kind, "description": "",
               "postcode": _postcode(rng, base), "town": places[base].town,
               "coverage_radius_km": rng.choice([None, None, 3, 5, 10]),
               "status": VettingStatus.APPROVED, "created_at": now,
               "cqc_location_id": None, "cqc_status": None, "cqc_rating": None}
        if kind in regulated:
            row.update(cqc_location_id=f"1-{rng.randint(100000000, 999999999)}",
                       cqc_status="Registered", cqc_rating=rng.choice(ratings))
        rows.append(row)
    postgres = session.get_bind().dialect.name == "postgresql"
    if rows and postgres:  # the search triggers wait: the documents are built once, below
        session.execute(text("SELECT set_config('search.defer_refresh', 'on', true)"))
    if rows:
        ids = list(session.scalars(
            insert(ProviderOrganisation).returning(ProviderOrganisation.id,
                                                   sort_by_parameter_order=True), rows))
        def insert_rows(model, batch):
            # With RETURNING, SQLAlchemy sends multi-row INSERTs ("insertmanyvalues",
            # about a thousand rows each) where a plain executemany would send one
            # statement per row.
            for start in range(0, len(batch), 20000):
                session.execute(insert(model).returning(model.id), batch[start:start + 20000])

        insert_rows(ProviderLanguage, [
            {"provider_id": pid, "language": code} for pid in ids
            for code in ["en", *rng.sample(languages, rng.choice([0, 0, 1, 1, 2]))]])
        neighbours = {base: [d for d in nearby if distance_km(places[base], places[d]) <= 6]
                      for base in set(bases)}
        area_rows = []
        for pid, base in zip(ids, bases, strict=True):
            near = neighbours[base]
            area_rows += [{"provider_id": pid, "district": d}
                          for d in rng.sample(near, min(len(near), rng.choice([0, 1, 3, 5])))]
        if area_rows:
            insert_rows(ProviderArea, area_rows)
        service_rows = []
        for pid in ids:
            for t in rng.sample(PROVIDERS, 3):
                confirmed_days = rng.choice([1, 5, 20, 40, 70]) if rng.random() > 0.03 else 150
                service_rows.append({
                    "provider_id": pid, "name": str(CATEGORIES[t[2]].name), "summary": t[5],
                    "description": " ".join(rng.sample(extras, 2)), "category": t[2],
                    "unit": t[3], "price_pence": int(t[4] * rng.uniform(0.8, 1.25)),
                    "status": ServiceStatus.PUBLISHED if rng.random() > 0.02
                    else ServiceStatus.PAUSED,
                    "last_confirmed_at": now - timedelta(days=confirmed_days),
                    "created_at": now})
        service_ids = []
        for start in range(0, len(service_rows), 10000):
            service_ids += session.scalars(
                insert(Service).returning(Service.id, sort_by_parameter_order=True),
                service_rows[start:start + 10000]).all()
        slots, streams, rates = [], [], []
        for sid, srow in zip(service_ids, service_rows, strict=True):
            for day in sorted(rng.sample(range(7), rng.choice([3, 5, 5, 6, 7]))):
                start_hour = rng.choice([7, 8, 9, 10])
                slots.append({"service_id": sid, "weekday": day,
                              "starts_at": clock(start_hour), "ends_at": clock(start_hour + 8)})
            top = top_level_of(srow["category"])
            for stream in streams_by_top.get(top, [FundingStream.ADULT_SOCIAL_CARE]) + (
                    [FundingStream.NHS_PERSONAL_HEALTH_BUDGET] if rng.random() < 0.2 else []):
                streams.append({"service_id": sid, "stream": stream})
            if council is not None and rng.random() < 0.2:
                expired = rng.random() < 0.25
                rates.append({
                    "council_id": council.id, "service_id": sid,
                    "rate_pence": int(srow["price_pence"] * rng.uniform(0.8, 0.95)),
                    "starts_on": today - timedelta(days=400 if expired else 60),
                    "ends_on": today - timedelta(days=35) if expired else None,
                    "created_at": now})
        for table, batch in ((ServiceAvailability, slots), (ServiceFundingStream, streams),
                             (CouncilRate, rates)):
            insert_rows(table, batch)
        if postgres:  # build the new services' search documents once, now all rows are in
            session.execute(text("SELECT set_config('search.defer_refresh', 'off', true)"))
            session.execute(text("SELECT search_documents_refresh(CAST(:ids AS integer[]))"),
                            {"ids": service_ids})
    holders_wanted = count // 10
    holders_existing = session.scalar(select(func.count(User.id)).where(
        User.email_normalised.like("scale-holder-%")))
    pw_hash = services.hash_password(DEMO_PASSWORD)
    user_rows = [{"email": f"scale-holder-{i:06d}@scale.example.org",
                  "email_normalised": f"scale-holder-{i:06d}@scale.example.org",
                  "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                  "password_hash": pw_hash, "session_nonce": secrets.token_hex(16),
                  "is_active_account": True, "created_at": utcnow()}
                 for i in range(holders_existing, holders_wanted)]
    if user_rows and council is not None:
        session.execute(insert(User), user_rows)
        new_ids = session.scalars(select(User.id).where(
            User.email_normalised.like("scale-holder-%")).order_by(User.id)
            .offset(holders_existing)).all()
        session.execute(insert(RoleGrant), [
            {"user_id": uid, "role": Role.BUDGET_HOLDER, "council_id": council.id,
             "granted_at": utcnow()} for uid in new_ids])
    session.flush()
    return len(rows)


def demo_logins() -> list[tuple[str, str]]:
    return [
        ("Administrator", "admin@ashdown.example"),
        ("Council officer", "officer@ashdown.example"),
        ("Finance officer", "finance@ashdown.example"),
        ("Commissioner", "commissioner@ashdown.example"),
        ("Budget holder", "holder@ashdown.example"),
        ("Representative (acts for 5 people, a family of three among them)", "rep@ashdown.example"),
        ("Self-funder", "selffunder@ashdown.example"),
        ("Provider owner", "provider@ashdown.example"),
        ("Provider staff", "carer@ashdown.example"),
        ("Community organiser", "organiser@ashdown.example"),
    ]


def register_demo_cli(app) -> None:
    @app.cli.group("demo")
    def demo_cli():
        """Demo data."""

    @demo_cli.command("seed")
    @click.option("--scale", type=click.IntRange(0, 1_000_000), default=0,
                  help="Also add this many providers (3 services each) for benchmarks.")
    def seed_command(scale):
        """Load the demo council (safe to run again: it changes nothing the second time)."""
        started = time.perf_counter()
        counts = seed(db.session)
        added = seed_scale(db.session, scale) if scale else 0
        db.session.commit()
        if not added:
            # The feature demos commit through savepoints and services of their own:
            # build both search indexes once from what is now committed.
            from flask import current_app

            from catalogue.search import get_search_backend
            from catalogue.search.community import community_search

            get_search_backend(current_app).rebuild(db.session)
            community_search(current_app).rebuild(db.session)
            db.session.commit()
        click.echo(f"Demo data ready: {counts['users']} users, {counts['providers']} providers"
                   f" (+{added} scale providers) in {time.perf_counter() - started:.1f}s")

    @demo_cli.command("logins")
    def logins_command():
        """Print the demo sign-in details."""
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for label, email in demo_logins():
            click.echo(f"  {label:<38} {email}")
