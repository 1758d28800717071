"""'Report a problem with this listing': the form, and the service that records the
report and tells the provider and the council (through the outbox, in the same
transaction as the report)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from catalogue.models import ListingReport, MemberRole, ProviderMember, ReportReason, Service
from marketplace.mail import email_user, queue_email

DETAILS_MAX = 2000


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is the problem?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(reason.value, reason.label) for reason in ReportReason],
        description=_l("If you choose “I am worried about this provider”, only the council "
                       "sees your report."),
        validators=[InputRequired(message=_l("Select what the problem is"))],
    )
    details = TextAreaField(
        _l("Tell us more"),
        widget=GovTextArea(),
        description=_l("Say what is wrong and, if you know, what is right. Do not include "
                       "anyone's medical or financial details. Up to 2,000 characters."),
        validators=[Length(max=DETAILS_MAX,
                           message=_l("Details must be 2,000 characters or fewer"))],
    )
    contact_email = StringField(
        _l("Your email address (optional)"),
        widget=GovTextInput(),
        description=_l("Only if you are happy for the council to contact you about this. "
                       "We do not give it to the provider."),
        validators=[
            Optional(),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(message=_l("Enter an email address in the correct format, like "
                             "name@example.com"), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())

    def validate_details(self, field):
        if self.reason.data == ReportReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_l("Tell us what the problem is"))


def report_problem(session: Session, service: Service, reason: ReportReason, details: str,
                   contact_email: str | None) -> ListingReport:
    """Record the report and queue e-mails to the provider's owners and the council.

    A concern about the provider itself goes to the council only: it may be a
    safeguarding matter, which the provider must not hear of first. The reporter's
    e-mail address goes to the council only."""
    report = ListingReport(service_id=service.id, provider_id=service.provider_id,
                           reason=reason, details=details.strip(),
                           contact_email=(contact_email or "").strip() or None)
    session.add(report)
    session.flush()
    provider = service.provider
    if reason is not ReportReason.CONCERN:
        owners = session.scalars(
            select(ProviderMember).where(ProviderMember.provider_id == provider.id,
                                         ProviderMember.member_role == MemberRole.OWNER)
        ).all()
        subject = _l("Someone reported a problem with your listing: %(service)s",
                     service=service.name)
        for member in owners:
            user = _user(session, member.user_id)
            if user is not None and user.is_active:
                email_user(session, user, subject, "catalogue/email/report_provider.txt",
                           report=report, service=service, provider=provider)
        if not owners and provider.email:
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                queue_email(session, provider.email, str(subject), render_template(
                    "catalogue/email/report_provider.txt", user=None, report=report,
                    service=service, provider=provider))
    council_address = current_app.config.get("CONTACT_EMAIL")
    if council_address:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = str(_l("Listing report %(id)d: %(reason)s – %(service)s",
                             id=report.id, reason=reason.label, service=service.name))
            queue_email(session, council_address, subject, render_template(
                "catalogue/email/report_council.txt", report=report, service=service,
                provider=provider))
    return report


def _user(session: Session, user_id: int):
    from marketplace.accounts.models import User

    return session.get(User, user_id)
