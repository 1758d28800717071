"""E-mail through an outbox.

``queue_email`` writes an ``OutboxMessage`` in the caller's transaction, so a
message exists exactly when the change it announces was committed. After the
request's commit, ``deliver_outbox`` sends what is pending; ``flask mail send``
retries anything left (e.g. after the SMTP server was down). Nothing is lost.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import click
from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.db import Base, UTCDateTime, db, utcnow

log = logging.getLogger(__name__)

# Messages "sent" by the memory backend (tests read them here).
sent_messages: list[EmailMessage] = []


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


def queue_email(session: Session, to: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(to_address=to, subject=subject, body=body)
    session.add(message)
    session.info["outbox_queued"] = True
    return message


def email_user(session: Session, user, subject, template: str, **context) -> OutboxMessage:
    """Queue an e-mail to ``user`` written in their own language (not the sender's).

    ``subject`` must be a lazy string (``lazy_gettext``) so it is translated here.
    """
    language = user.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        subject_text = str(subject)
        body = render_template(template, user=user, **context)
    return queue_email(session, user.email, subject_text, body)


def _build(row: OutboxMessage) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg["Message-ID"] = f"<outbox-{row.id}@marketplace>"
    msg.set_content(row.body)
    return msg


def _send(msg: EmailMessage, row_id: int) -> None:
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        sent_messages.append(msg)
    elif backend == "file":
        folder = Path(config["MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{row_id:06d}.eml"
        path.write_bytes(bytes(msg))
        log.info("mail to %s: %s (saved in %s)\n%s", msg["To"], msg["Subject"], path,
                 msg.get_content())
    elif backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(msg)
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")


def deliver_outbox(limit: int = 100) -> int:
    """Send pending messages, each marked sent in its own small transaction."""
    session = db.session
    sent = 0
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    for row in rows:
        try:
            _send(_build(row), row.id)
        except (OSError, smtplib.SMTPException) as exc:
            row.attempts += 1
            row.last_error = str(exc)[:500]
            log.warning("mail %s not sent yet: %s", row.id, exc)
        else:
            row.attempts += 1
            row.sent_at = utcnow()
            sent += 1
        session.commit()
    return sent


@event.listens_for(Session, "after_commit")
def _mark_committed_mail(session: Session) -> None:
    if session.info.pop("outbox_queued", False) and has_request_context():
        g.outbox_dirty = True


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_mail(session: Session) -> None:
    session.info.pop("outbox_queued", None)


def init_app(app) -> None:
    @app.after_request
    def _deliver_after_commit(response):
        if g.get("outbox_dirty"):
            g.outbox_dirty = False
            # Anything the view left uncommitted must not ride on our commits.
            db.session.rollback()
            try:
                deliver_outbox()
            except Exception:  # noqa: BLE001 - mail must never break the response
                db.session.rollback()
                log.exception("outbox delivery failed; `flask mail send` will retry")
        return response

    @app.cli.group("mail")
    def mail_cli():
        """E-mail outbox commands."""

    @mail_cli.command("send")
    def send_command():
        """Send every message still waiting in the outbox."""
        count = deliver_outbox(limit=10_000)
        click.echo(f"Sent {count} message(s).")
