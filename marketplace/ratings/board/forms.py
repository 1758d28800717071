"""Forms of the board, of questions and answers, and of reporting any of them. The
hidden one-time key (``OneTimeKey``) is stored with a new post or question, so a
form sent twice makes one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextInput
from wtforms import BooleanField, HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from catalogue.fields import ChoiceRadios
from marketplace.ratings.board.models import BoardTopic
from marketplace.ratings.forms import MAX_DETAILS, OneTimeKey, _key_field, _strip, _text
from marketplace.ratings.models import ReportReason

MAX_TITLE = 120
MAX_POST = 4000
MAX_QUESTION = 1000
MAX_ANSWER = 2000

WORRIED_HINT = _l("Tick this if anything you describe could mean someone is being harmed "
                  "or neglected. What you wrote will not be published: it goes to the "
                  "council's safeguarding team, who may contact you.")
NO_DETAILS_HINT = _l("Do not name workers or anyone else, or give anyone's address, phone "
                     "number or health details. Everything is checked before it is "
                     "published.")


def _worried():
    return BooleanField(_l("I am worried about someone's safety"), widget=GovCheckboxInput(),
                        description=WORRIED_HINT)


class _Keyed(OneTimeKey, FlaskForm):
    form_key = _key_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fresh_key()


class ThreadForm(_Keyed):
    topic = ChoiceRadios(
        _l("Topic"), validators=[InputRequired(message=_l("Choose a topic"))],
        message=_l("Choose a topic"),
        choices=[SelectChoice(t.value, t.label) for t in BoardTopic])
    title = StringField(
        _l("Title"), widget=GovTextInput(), filters=[_strip],
        description=_l("A few words that say what it is about, like \"Finding a PA who "
                       "speaks Gujarati\""),
        validators=[DataRequired(message=_l("Enter a title")),
                    Length(max=MAX_TITLE, message=_l("The title must be %(max)s characters "
                                                     "or fewer", max=MAX_TITLE))])
    text = _text(_l("What would you like to share or ask?"), MAX_POST,
                 _l("Your post must be %(max)s characters or fewer", max="4,000"),
                 required=_l("Enter your post"), description=NO_DETAILS_HINT)
    worried = _worried()


class ReplyForm(_Keyed):
    text = _text(_l("Your reply"), MAX_POST,
                 _l("Your reply must be %(max)s characters or fewer", max="4,000"),
                 required=_l("Enter your reply"), description=NO_DETAILS_HINT)
    worried = _worried()


class HelpedForm(FlaskForm):
    helped = HiddenField(validators=[AnyOf(["yes", "no"], message=_l(
        "Choose whether this helped you"))])


class QuestionForm(_Keyed):
    text = _text(_l("Your question"), MAX_QUESTION,
                 _l("Your question must be %(max)s characters or fewer", max="1,000"),
                 required=_l("Enter your question"),
                 description=_l("Ask about the service: what it includes, when, where, "
                                "who does it. The provider answers in public. Do not "
                                "give personal details: questions are checked before "
                                "they are published."))


class AnswerForm(_Keyed):
    text = _text(_l("Your public answer"), MAX_ANSWER,
                 _l("Your answer must be %(max)s characters or fewer", max="2,000"),
                 required=_l("Enter your answer"),
                 description=_l("Everyone can read your answer. Do not name the person "
                                "who asked or give anyone's personal details."))


REASONS = {
    ReportReason.UNTRUE: _l("It is off the subject, or is untrue"),
}


class ContributionReportForm(FlaskForm):
    reason = ChoiceRadios(
        _l("What is wrong with it?"),
        validators=[InputRequired(message=_l("Choose what is wrong with it"))],
        message=_l("Choose what is wrong with it"),
        choices=[SelectChoice(r.value, REASONS.get(r, r.label)) for r in ReportReason])
    details = _text(_l("Tell us more (optional)"), MAX_DETAILS,
                    _l("What you tell us must be %(max)s characters or fewer", max="2,000"))
