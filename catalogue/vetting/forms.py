"""Council forms: the evidence checklist, suspending, rate cards, closing reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from catalogue.fields import ChoiceRadios, ChoiceSelect, PoundsField
from catalogue.vetting.operations import CHECKS
from marketplace.forms import RealDateField

YES_NO = [SelectChoice("yes", _l("Yes, checked")), SelectChoice("no", _l("Not yet"))]


class ChecklistForm(FlaskForm):
    """One yes/no question a check, so that sending nothing is never read as 'no'."""

    submit = SubmitField(_l("Save the checks"), widget=GovSubmitInput())

    def values(self) -> dict[str, bool]:
        return {attr: self[attr].data == "yes" for attr, _label in CHECKS}

    def check_fields(self):
        return [self[attr] for attr, _label in CHECKS]


for _attr, _label in CHECKS:
    setattr(ChecklistForm, _attr, ChoiceRadios(
        _label, choices=YES_NO,
        message=_l("Select yes or not yet for: %(check)s", check=_label)))


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the provider being suspended?"), widget=GovTextArea(),
        description=_l("The provider's owners are e-mailed this reason, and see it on their "
                       "dashboard."),
        validators=[InputRequired(message=_l("Enter the reason for suspending the provider")),
                    Length(max=500, message=_l("The reason must be 500 characters or fewer"))])
    submit = SubmitField(_l("Suspend provider"), widget=GovSubmitInput())


class RateForm(FlaskForm):
    council = ChoiceSelect(_l("Council"), widget=GovSelect(), choices=[],
                           message=_l("Select the council that agreed the rate"),
                           validators=[InputRequired(message=_l(
                               "Select the council that agreed the rate"))])
    rate = PoundsField(_l("Rate agreed, in pounds"),
                       description=_l("For each unit of the service, for example 21.50"),
                       validators=[InputRequired(message=_l("Enter the rate"))])
    starts_on = RealDateField(_l("Start date"), description=_l("For example, 1 4 2026"),
                              validators=[InputRequired(message=_l("Enter the start date"))])
    ends_on = RealDateField(_l("End date (optional)"),
                            description=_l("Leave empty if the rate has no end date"),
                            validators=[Optional()])
    submit = SubmitField(_l("Add rate"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (ok and self.ends_on.data and self.starts_on.data
                and self.ends_on.data < self.starts_on.data):
            self.ends_on.errors = [_l("The end date must be the same as or after the start "
                                      "date")]
            ok = False
        return ok


class EndRateForm(FlaskForm):
    ends_on = RealDateField(_l("Last day of the rate"),
                            description=_l("The rate applies up to and including this day"),
                            validators=[InputRequired(message=_l("Enter the last day"))])
    submit = SubmitField(_l("End the rate"), widget=GovSubmitInput())


class CloseReportForm(FlaskForm):
    resolution = TextAreaField(
        _l("What was done about it?"), widget=GovTextArea(),
        validators=[InputRequired(message=_l("Say what was done about the report")),
                    Length(max=1000, message=_l("The note must be 1,000 characters or "
                                                "fewer"))])
    submit = SubmitField(_l("Close the report"), widget=GovSubmitInput())
