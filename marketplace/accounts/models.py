"""Users, role grants, councils, representative authority and sign-in records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class Council(Base):
    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    # Orders taking more than this from a budget wait for an officer's approval (pence;
    # 0 = no limit; None = the site's ORDER_APPROVAL_THRESHOLD_PENCE). Set by ordering.
    order_approval_threshold_pence: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_email_lower", "email_normalised", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Rotated when the password changes: every other session of this user ends.
    session_nonce: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_contact: Mapped[str | None] = mapped_column(String(20))
    communication_needs: Mapped[str | None] = mapped_column(Text)
    preferred_language: Mapped[str | None] = mapped_column(String(5))
    postcode: Mapped[str | None] = mapped_column(String(10))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    # roles
    def has_role(self, *roles: Role) -> bool:
        return any(grant.role in roles for grant in self.roles)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.roles)

    def council_ids_for(self, *roles: Role) -> set[int]:
        return {g.council_id for g in self.roles if g.role in roles and g.council_id}

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else self.full_name


class RoleGrant(Base):
    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "council_id", name="uq_role_grants_user_role_council"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
    council: Mapped[Council | None] = relationship(lazy="joined")


class Authority(Base):
    """A recorded authority for a representative to act for a budget holder."""

    __tablename__ = "authorities"
    __table_args__ = (
        CheckConstraint("representative_id <> holder_id", name="not_self"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    authority_type: Mapped[AuthorityType] = mapped_column(str_enum(AuthorityType, "authority_type"))
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, "authority_scope"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    evidence_reference: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_reason: Mapped[str | None] = mapped_column(String(500))

    representative: Mapped[User] = relationship(foreign_keys=[representative_id])
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    def is_current(self, today: date) -> bool:
        return (
            self.revoked_at is None
            and self.starts_on <= today
            and (self.ends_on is None or today <= self.ends_on)
        )


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignInAttempt(Base):
    """Failed sign-ins, for throttling by e-mail address and by client address."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_email_at", "email_normalised", "attempted_at"),
        Index("ix_sign_in_attempts_ip_at", "ip_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_normalised: Mapped[str] = mapped_column(String(254))
    ip_address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
