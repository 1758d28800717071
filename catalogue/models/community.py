"""Community organisations (the Community Catalogue issue builds their listings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.enums import VettingStatus
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class CommunityOrganisation(Base):
    __tablename__ = "community_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    postcode: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[VettingStatus] = mapped_column(
        str_enum(VettingStatus, "community_vetting_status"), default=VettingStatus.PENDING
    )
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisers: Mapped[list[CommunityOrganiser]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class CommunityOrganiser(Base):
    __tablename__ = "community_organisers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id", name="uq_community_organisers_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("community_organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[CommunityOrganisation] = relationship(back_populates="organisers")
