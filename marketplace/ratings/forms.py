"""Rating, reply, report, moderation and safeguarding forms. Every message is
specific and translated; stars are GOV.UK radios (keyboard and screen reader
friendly, no JavaScript needed)."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from catalogue.fields import Checkboxes, ChoiceRadios
from marketplace.ratings.models import ASPECTS, Helped, ReportReason
from marketplace.ratings.moderation import Decision, Rule
from marketplace.ratings.rules import MAX_TEXT

MAX_REPLY = 2000
MAX_DETAILS = 2000

STAR_WORDS = {
    5: _l("5 stars: excellent"), 4: _l("4 stars: good"), 3: _l("3 stars: all right"),
    2: _l("2 stars: poor"), 1: _l("1 star: very poor"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _stars(label, message, required=True):
    choices = [SelectChoice(str(n), STAR_WORDS[n]) for n in (5, 4, 3, 2, 1)]
    validators = [InputRequired(message=message)] if required else [Optional()]
    return ChoiceRadios(label, validators=validators, message=message, choices=choices)


def _text(label, max_length, too_long, required=None, description=None):
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=too_long))
    return TextAreaField(label, widget=GovTextArea(), description=description,
                         filters=[_strip], validators=validators)


class OneTimeKey:
    """A hidden one-time key: a form sent twice is stored once, and a form that was
    not loaded from the site is refused with a clear message."""

    def _fresh_key(self):
        if not self.is_submitted():
            self.form_key.data = secrets.token_urlsafe(24)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.form_key.errors:
            self.form_key.data = secrets.token_urlsafe(24)
        return valid


def _key_field():
    message = _l("The form has expired. Copy what you wrote, reload the page and send it again")
    return HiddenField(validators=[InputRequired(message=message),
                                   Regexp(r"^[A-Za-z0-9_-]{20,64}$", message=message)])


class RatingForm(FlaskForm):
    stars = _stars(_l("Overall, how many stars do you give this service?"),
                   _l("Choose from 1 to 5 stars"))
    on_time = _stars(ASPECTS[0][1], _l("Choose from 1 to 5 stars for turning up on time"),
                     required=False)
    kindness = _stars(ASPECTS[1][1], _l("Choose from 1 to 5 stars for kindness and respect"),
                      required=False)
    communication = _stars(ASPECTS[2][1], _l("Choose from 1 to 5 stars for communication"),
                           required=False)
    value = _stars(ASPECTS[3][1], _l("Choose from 1 to 5 stars for value for money"),
                   required=False)
    helped = ChoiceRadios(
        _l("Did this help you achieve what you wanted?"), validators=[Optional()],
        message=_l("Choose yes, partly or no"),
        choices=[SelectChoice(h.value, h.label) for h in Helped])
    outcomes = Checkboxes(_l("Which things in your support plan did it help with?"),
                          validators=[Optional()], choices=[])
    text = _text(_l("Your review (optional)"), MAX_TEXT,
                 _l("Your review must be %(max)s characters or fewer", max="2,000"),
                 description=_l("Say what went well and what did not. Do not name workers "
                                "or anyone else. Reviews are checked before they are "
                                "published."))
    worried = BooleanField(_l("I am worried about someone's safety"), widget=GovCheckboxInput(),
                           description=_l("Tick this if anything you describe could mean "
                                          "someone is being harmed or neglected. Your review "
                                          "will not be published: it goes to the council's "
                                          "safeguarding team, who may contact you."))

    def set_outcomes(self, outcomes):
        self.outcomes.choices = [SelectChoice(o.domain.value, o.label) for o in outcomes]


class ReplyForm(OneTimeKey, FlaskForm):
    text = _text(_l("Your public reply"), MAX_REPLY,
                 _l("Your reply must be %(max)s characters or fewer", max="2,000"),
                 required=_l("Enter your reply"),
                 description=_l("Everyone who reads the review will see your reply. Do not "
                                "name the person or give any personal details."))
    form_key = _key_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fresh_key()


class ReportForm(FlaskForm):
    reason = ChoiceRadios(
        _l("What is wrong with this review?"),
        validators=[InputRequired(message=_l("Choose what is wrong with the review"))],
        message=_l("Choose what is wrong with the review"),
        choices=[SelectChoice(r.value, r.label) for r in ReportReason])
    details = _text(_l("Tell us more (optional)"), MAX_DETAILS,
                    _l("What you tell us must be %(max)s characters or fewer", max="2,000"))


class ModerationForm(FlaskForm):
    decision = ChoiceRadios(
        _l("Your decision"),
        validators=[InputRequired(message=_l("Choose whether to publish the review"))],
        message=_l("Choose whether to publish the review"),
        choices=[SelectChoice(d.value, d.label) for d in Decision])
    rule = ChoiceRadios(
        _l("Which rule does it break?"), validators=[Optional()],
        message=_l("Choose the rule the review breaks"),
        choices=[SelectChoice(r.value, r.label) for r in Rule])
    note = _text(_l("Note for the safeguarding team (optional)"), MAX_DETAILS,
                 _l("The note must be %(max)s characters or fewer", max="2,000"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.decision.data == Decision.REJECT.value and not self.rule.data:
            self.rule.errors = [*self.rule.errors, _l("Choose the rule the review breaks")]
            return False
        return valid


class CloseConcernForm(FlaskForm):
    resolution = _text(_l("What has been done?"), 5000,
                       _l("What has been done must be %(max)s characters or fewer",
                          max="5,000"),
                       required=_l("Say what has been done about the concern"))
