"""The message form: the text, and a one-time key so sending twice stores it once."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"), widget=GovTextArea(), filters=[
        lambda value: value.strip() if isinstance(value, str) else value], validators=[
        DataRequired(message=_l("Enter your message")),
        Length(max=5000, message=_l("The message must be 5,000 characters or fewer"))])
    message_key = HiddenField(validators=[
        InputRequired(message=_l("The form has expired. Copy your message, reload the page "
                                 "and send it again")),
        Regexp(r"^[A-Za-z0-9_-]{20,64}$",
               message=_l("The form has expired. Copy your message, reload the page and "
                          "send it again"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.message_key.data = secrets.token_urlsafe(24)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.message_key.errors:
            self.message_key.data = secrets.token_urlsafe(24)  # the page offers a good one
        return valid
