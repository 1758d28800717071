"""Conversations between a person (the buyer) and a provider, and what's new.

A conversation is about one order, or about a service before ordering (a question);
its messages are written by the person, a representative acting for them, or the
provider's staff. Council officers of a council that funds the person may read it.

A notification is one line of a "what's new" list: for a person (shown on their home
page, to them and to whoever acts for them) or for a provider (shown on the provider's
dashboard to every member). It is written in the same transaction as the change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class Side(StrEnum):
    BUYER = "buyer"        # the person, or a representative acting for them
    PROVIDER = "provider"  # a member of the provider's staff


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        # One conversation per order; questions before ordering have no order.
        UniqueConstraint("order_id", name="uq_conversations_order_id"),
        Index("ix_conversations_provider_updated", "provider_id", "updated_at"),
        Index("ix_conversations_person_updated", "person_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("User")
    provider = relationship("ProviderOrganisation")
    order = relationship("Order")
    service = relationship("Service")
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id")


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(str_enum(Side, "message_side"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acting_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # The form's one-time key: the same message sent twice is stored once.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author = relationship("User", foreign_keys=[author_id])


class NoticeKind(StrEnum):
    ORDER_STATUS = "order_status"
    MESSAGE = "message"
    DELIVERY_DISPUTED = "delivery_disputed"
    DISPUTE_CLOSED = "dispute_closed"
    DELIVERY_RECORDED = "delivery_recorded"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (provider_id IS NULL)",
                        name="one_recipient"),
        Index("ix_notifications_person_unread", "person_id", "read_at"),
        Index("ix_notifications_provider_unread", "provider_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "notice_kind"))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_records.id", ondelete="CASCADE"), index=True)
    # What the line says: an order status value, or a service name; shown translated.
    detail: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order = relationship("Order")
    conversation = relationship("Conversation")
    delivery = relationship("DeliveryRecord")
