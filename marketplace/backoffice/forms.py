"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.forms import RealDateField, email_field


class AuthorityForm(FlaskForm):
    representative_email = email_field(_l("Representative's email address"))
    representative_name = StringField(
        _l("Representative's full name"),
        widget=GovTextInput(),
        description=_l("Needed only if they do not have an account yet: we will create one "
                       "and email them a link to set a password."),
        validators=[Optional(), Length(max=120, message=_l(
            "Full name must be 120 characters or fewer"))],
    )
    authority_type = RadioField(
        _l("Type of authority"),
        widget=GovRadioInput(),
        choices=[SelectChoice(t.value, t.label) for t in AuthorityType],
        validators=[InputRequired(message=_l("Select the type of authority"))],
    )
    scope = RadioField(
        _l("What they may do"),
        widget=GovRadioInput(),
        choices=[SelectChoice(s.value, s.label) for s in Scope],
        validators=[InputRequired(message=_l("Select what they may do"))],
    )
    starts_on = RealDateField(
        _l("Start date"),
        description=_l("For example, 27 3 2026"),
        validators=[InputRequired(message=_l("Enter the start date"))],
    )
    ends_on = RealDateField(
        _l("End date (optional)"),
        description=_l("Leave empty if it has no end date"),
        validators=[Optional()],
    )
    evidence_reference = StringField(
        _l("Evidence reference"),
        widget=GovTextInput(),
        description=_l("For example, the LPA registration number or the case file reference"),
        validators=[InputRequired(message=_l("Enter the evidence reference")),
                    Length(max=120, message=_l(
                        "Evidence reference must be 120 characters or fewer"))],
    )
    submit = SubmitField(_l("Record authority"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [_l("The end date must be the same as or after the start date")]
            ok = False
        return ok


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this authority being withdrawn?"),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Enter the reason")),
                    Length(max=500, message=_l("Reason must be 500 characters or fewer"))],
    )
    submit = SubmitField(_l("Withdraw authority"), widget=GovSubmitInput())


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), widget=GovSelect(),
                       choices=[SelectChoice(r.value, r.label) for r in Role],
                       validators=[InputRequired(message=_l("Select a role"))])
    council = SelectField(_l("Council"), widget=GovSelect(), choices=[],
                          validate_choice=True,
                          description=_l("Needed for council roles and budget holders"))
    submit = SubmitField(_l("Give role"), widget=GovSubmitInput())
