"""Account operations. They take the session, change state and flush; never commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import (
    Authority,
    Council,
    PasswordResetToken,
    RoleGrant,
    SignInAttempt,
    User,
)
from marketplace.accounts.roles import COUNCIL_ROLES, AuthorityType, Role, Scope
from marketplace.audit import record
from marketplace.db import utcnow

_hasher = PasswordHasher()
# Verified against when no such user exists, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password-ever")


class AccountError(Exception):
    """A rule about accounts was broken; the message is safe to show."""


class EmailTaken(AccountError):
    pass


class BadCredentials(AccountError):
    pass


class TooManyAttempts(AccountError):
    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


class InvalidResetToken(AccountError):
    pass


class AuthorityRefused(AccountError):
    pass


def use_cheap_hashing() -> None:
    """For the test suite only (TestingConfig): argon2's cheapest profile, so tests
    that create many accounts stay fast. Production keeps the library's default."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email_normalised == normalise_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    roles: list[tuple[Role, int | None]] = (),
    password_hash: str | None = None,
) -> User:
    if find_user_by_email(session, email) is not None:
        raise EmailTaken(email)
    user = User(
        email=email.strip(),
        email_normalised=normalise_email(email),
        full_name=full_name.strip(),
        password_hash=password_hash or hash_password(password),
        session_nonce=secrets.token_hex(16),
    )
    for role, council_id in roles:
        grant_role(user, role, council_id)
    session.add(user)
    session.flush()
    return user


def grant_role(user: User, role: Role, council_id: int | None = None) -> RoleGrant:
    if role in COUNCIL_ROLES and council_id is None:
        raise AccountError(f"the {role.value} role needs a council")
    if role not in COUNCIL_ROLES:
        council_id = None
    for grant in user.roles:
        if grant.role == role and grant.council_id == council_id:
            return grant
    grant = RoleGrant(role=role, council_id=council_id)
    user.roles.append(grant)
    return grant


def revoke_role(user: User, role: Role, council_id: int | None = None) -> bool:
    for grant in list(user.roles):
        if grant.role == role and (council_id is None or grant.council_id == council_id):
            user.roles.remove(grant)
            return True
    return False


# --- signing in -----------------------------------------------------------------

@dataclass(frozen=True)
class Throttle:
    max_failures: int
    window_seconds: int


def _recent_failures(session: Session, column, value: str, since: datetime) -> list[datetime]:
    return list(
        session.scalars(
            select(SignInAttempt.attempted_at)
            .where(column == value, SignInAttempt.attempted_at >= since)
            .order_by(SignInAttempt.attempted_at)
        )
    )


def authenticate(
    session: Session, email: str, password: str, ip_address: str, throttle: Throttle,
    now: datetime | None = None,
) -> User:
    """Return the user, or raise BadCredentials / TooManyAttempts.

    Throttling counts failures for the e-mail address and, separately, from the
    client address (ten times the allowance, for shared networks).
    """
    now = now or utcnow()
    since = now - timedelta(seconds=throttle.window_seconds)
    key = normalise_email(email)
    for column, value, allowance in (
        (SignInAttempt.email_normalised, key, throttle.max_failures),
        (SignInAttempt.ip_address, ip_address, throttle.max_failures * 10),
    ):
        failures = _recent_failures(session, column, value, since)
        if len(failures) >= allowance:
            oldest_counted = failures[-allowance]
            wait = oldest_counted + timedelta(seconds=throttle.window_seconds) - now
            raise TooManyAttempts(max(1, int(wait.total_seconds() // 60) + 1))
    user = find_user_by_email(session, email)
    if user is None or not user.is_active_account:
        password_matches(_DUMMY_HASH, password)
        ok = False
    else:
        ok = password_matches(user.password_hash, password)
    if not ok:
        session.add(SignInAttempt(email_normalised=key[:254], ip_address=ip_address[:64],
                                  attempted_at=now))
        session.flush()
        raise BadCredentials()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = now
    return user


# --- password reset -------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(session: Session, user: User, ttl_seconds: int) -> str:
    """Create a single-use token; return the raw token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
    )
    session.flush()
    return token


def _usable_token(session: Session, token: str) -> PasswordResetToken:
    if not token or len(token) > 200:
        raise InvalidResetToken()
    row = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise InvalidResetToken()
    return row


def check_reset_token(session: Session, token: str) -> User:
    return _usable_token(session, token).user


def reset_password(session: Session, token: str, new_password: str) -> User:
    row = _usable_token(session, token)
    now = utcnow()
    row.used_at = now
    # Every other outstanding link for this user dies with this one.
    for other in session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == row.user_id, PasswordResetToken.used_at.is_(None)
        )
    ):
        other.used_at = now
    user = row.user
    user.password_hash = hash_password(new_password)
    user.session_nonce = secrets.token_hex(16)
    record(session, "password_reset", "users", user.id, actor_id=user.id)
    session.flush()
    return user


# --- representatives ------------------------------------------------------------

def current_authorities_of(session: Session, representative: User, on: date) -> list[Authority]:
    rows = session.scalars(
        select(Authority)
        .where(Authority.representative_id == representative.id, Authority.revoked_at.is_(None))
        .order_by(Authority.starts_on)
    )
    return [a for a in rows if a.is_current(on)]


def authorities_for_holder(session: Session, holder: User) -> list[Authority]:
    return list(
        session.scalars(
            select(Authority).where(Authority.holder_id == holder.id)
            .order_by(Authority.revoked_at.is_not(None), Authority.starts_on.desc())
        )
    )


def create_authority(
    session: Session,
    *,
    created_by: User,
    representative: User,
    holder: User,
    council: Council | None,
    authority_type: AuthorityType,
    scope: Scope,
    starts_on: date,
    ends_on: date | None,
    evidence_reference: str,
) -> Authority:
    if representative.id == holder.id:
        raise AuthorityRefused(_l("A person cannot be their own representative."))
    if not holder.has_role(Role.BUDGET_HOLDER, Role.SELF_FUNDER):
        raise AuthorityRefused(
            _l("Only a budget holder or self-funder can have a representative."))
    if ends_on is not None and ends_on < starts_on:
        raise AuthorityRefused(_l("The end date must be on or after the start date."))
    authority = Authority(
        representative_id=representative.id,
        holder_id=holder.id,
        council_id=council.id if council else None,
        authority_type=authority_type,
        scope=scope,
        starts_on=starts_on,
        ends_on=ends_on,
        evidence_reference=evidence_reference.strip(),
        created_by_id=created_by.id,
    )
    session.add(authority)
    grant_role(representative, Role.REPRESENTATIVE)
    session.flush()
    return authority


def revoke_authority(session: Session, authority: Authority, by: User, reason: str) -> None:
    if authority.revoked_at is not None:
        raise AuthorityRefused(_l("This authority was already withdrawn."))
    authority.revoked_at = utcnow()
    authority.revoked_by_id = by.id
    authority.revoked_reason = reason.strip()
    session.flush()
