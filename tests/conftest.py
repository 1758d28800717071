"""Fixtures shared by every test layer.

The database comes from TEST_DATABASE_URL: ``sqlite`` (a file in a temporary
folder) or a PostgreSQL URL. On PostgreSQL the test database is created afresh;
if the server cannot be reached the run fails, it never skips. The schema is
built by the Alembic migrations, as in production. Each test runs inside a
transaction (views' commits become savepoints) that is rolled back afterwards.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.accounts import services
from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.db import db

ROOT = Path(__file__).resolve().parent.parent
TEST_PASSWORD = "correct horse battery"


# Each pytest run gets databases of its own (the server may be shared by several
# runs at once); they are dropped when the run ends.
_RUN = f"{os.getpid()}"
_CREATED: list[str] = []


def _database_url(tmp_root: Path, name: str) -> str:
    raw = os.environ.get("TEST_DATABASE_URL", "sqlite")
    if raw == "sqlite":
        return f"sqlite:///{tmp_root / (name + '.sqlite')}"
    url = make_url(raw)
    suffix = f"_{_RUN}" + ("" if name == "main" else f"_{name}")
    return url.set(database=f"{url.database}{suffix}").render_as_string(hide_password=False)


def pytest_sessionfinish(session, exitstatus):
    for url in _CREATED:
        parsed = make_url(url)
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        except Exception:  # noqa: BLE001, S110 - best effort; a later run drops it anyway
            pass
        finally:
            admin.dispose()


def recreate_database(url: str) -> None:
    """Drop and create a PostgreSQL database; fail loudly if the server is not there."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        Path(parsed.database).unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        _CREATED.append(url)
    except Exception as exc:  # noqa: BLE001
        pytest.exit(f"PostgreSQL is not reachable at {parsed.render_as_string()}: {exc}",
                    returncode=3)
    finally:
        admin.dispose()


def migrate(url: str) -> None:
    from alembic import command

    from marketplace.cli import alembic_config

    command.upgrade(alembic_config(url), "heads")


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("marketplace")


@pytest.fixture(scope="session")
def database_url(tmp_root) -> str:
    url = _database_url(tmp_root, "main")
    recreate_database(url)
    migrate(url)
    return url


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture(scope="session")
def app(database_url, tmp_root):
    from marketplace.i18n import compile_catalogues

    compile_catalogues()
    app = create_app({
        "MARKETPLACE_ENV": "testing",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp_root / "search-index"),
        "MAIL_DIR": str(tmp_root / "mail"),
        "SERVER_NAME": "marketplace.test",
    })
    yield app
    db.session.remove()
    app.extensions["db_engine"].dispose()


@pytest.fixture()
def db_session(app, tmp_path):
    """One transaction per test, rolled back at the end.

    Commits in the test and in views release savepoints inside that transaction.
    Set-up data must be committed (not just flushed), because each request ends
    by closing the session, which rolls back anything uncommitted. Each test also
    gets an empty search index of its own, as its data is rolled back too."""
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search-index")
    db.session.remove()
    connection = app.extensions["db_engine"].connect()
    outer = connection.begin()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    # No app context is held open here: each request must get its own (and its
    # own `g`), exactly as in production.
    yield db.session
    db.session.remove()
    outer.rollback()
    connection.close()
    db.session.configure(bind=None, join_transaction_mode="conditional_savepoint")


@pytest.fixture()
def client(app, db_session):
    return app.test_client()


@pytest.fixture()
def outbox():
    from marketplace.mail import sent_messages

    sent_messages.clear()
    yield sent_messages
    sent_messages.clear()


@pytest.fixture()
def council(db_session) -> Council:
    council = Council(name="Testshire County Council", short_name="Testshire", slug="testshire")
    db_session.add(council)
    db_session.commit()
    return council


@pytest.fixture()
def other_council(db_session) -> Council:
    council = Council(name="Elsewhere District Council", short_name="Elsewhere",
                      slug="elsewhere")
    db_session.add(council)
    db_session.commit()
    return council


@pytest.fixture()
def make_user(db_session, council):
    counter = {"n": 0}

    def _make(*roles: Role, council_for=None, name: str | None = None, email=None):
        counter["n"] += 1
        n = counter["n"]
        target = council_for or council
        grants = [(role, target.id) for role in roles]
        user = services.create_user(
            db_session,
            email=email or f"person{n}@example.org",
            full_name=name or f"Test Person {n}",
            password=TEST_PASSWORD,
            roles=grants,
        )
        db_session.commit()  # a savepoint release: the outer transaction still rolls back
        return user

    return _make


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/password/forgotten") -> str:
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def sign_in(client, user, password: str = TEST_PASSWORD):
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"email": user.email, "password": password,
                                              "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 302, re.findall(r"error-summary__list.*?</ul>", page, re.S)
    return response


@pytest.fixture()
def signed_in(client):
    def _sign_in(user):
        sign_in(client, user)
        return client

    return _sign_in


@pytest.fixture()
def freeze_today(app, monkeypatch):
    def _freeze(day: date):
        monkeypatch.setitem(app.config, "TODAY_OVERRIDE", day)

    return _freeze
