"""The outbox: written in the caller's transaction, sent after commit over real
SMTP, kept and retried when the server is down."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from marketplace.mail import OutboxMessage, deliver_outbox, queue_email


class _Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp_server():
    handler = _Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture()
def smtp_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    return app


def test_queued_mail_is_sent_over_smtp_and_marked_sent(smtp_app, db_session, smtp_server):
    controller, handler = smtp_server
    smtp_app.config["MAIL_PORT"] = controller.port
    with smtp_app.app_context():
        queue_email(db_session, "person@example.org", "Your order", "It is confirmed.")
        db_session.commit()
        assert deliver_outbox() == 1
    assert len(handler.messages) == 1
    assert handler.messages[0]["To"] == "person@example.org"
    assert handler.messages[0].get_payload().strip() == "It is confirmed."
    row = db_session.scalar(select(OutboxMessage))
    assert row.sent_at is not None and row.attempts == 1


def test_mail_waits_in_the_outbox_while_the_server_is_down_and_goes_later(
        smtp_app, db_session, smtp_server):
    controller, handler = smtp_server
    with smtp_app.app_context():
        smtp_app.config["MAIL_PORT"] = _free_port()  # nothing listens there
        queue_email(db_session, "person@example.org", "Reset", "Link")
        db_session.commit()
        assert deliver_outbox() == 0
        row = db_session.scalar(select(OutboxMessage))
        assert row.sent_at is None and row.attempts == 1 and row.last_error
        smtp_app.config["MAIL_PORT"] = controller.port
        assert deliver_outbox() == 1
    assert len(handler.messages) == 1


def test_the_send_command_retries_everything_pending(smtp_app, db_session, smtp_server):
    controller, handler = smtp_server
    smtp_app.config["MAIL_PORT"] = controller.port
    with smtp_app.app_context():
        for n in range(3):
            queue_email(db_session, f"p{n}@example.org", "Hello", "Body")
        db_session.commit()
    result = smtp_app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 3 message(s)." in result.output
    assert sorted(m["To"] for m in handler.messages) == [f"p{n}@example.org" for n in range(3)]


def test_development_mail_is_written_to_files_not_lost(app, db_session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path))
    with app.app_context():
        queue_email(db_session, "person@example.org", "Hello", "Readable locally")
        db_session.commit()
        assert deliver_outbox() == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert "Readable locally" in files[0].read_text()
