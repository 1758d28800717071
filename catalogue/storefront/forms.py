"""Storefront forms: the profile, the organisation and its evidence, the logo, the
team, and answering reports. (The service form is in ``service_form``.)"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from catalogue.fields import Checkboxes, ChoiceRadios, ChoiceSelect, WholeNumberField
from catalogue.geo import UnknownPostcode, district_of
from catalogue.models import CqcRating, MemberRole, ProviderKind
from catalogue.taxonomy import LANGUAGES, WorkerGender
from catalogue.wording import CQC_STATUSES
from marketplace.forms import RealDateField, email_field
from marketplace.security import today

FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$")
CQC_LOCATION_ID = re.compile(r"^1-\d{1,18}$")
MAX_DISTRICTS = 100


def _text(label, max_length, required=None, description=None, area=False):
    validators = [InputRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=_l(
        "%(label)s must be %(max)d characters or fewer", label=label, max=max_length)))
    field = TextAreaField if area else StringField
    return field(label, widget=GovTextArea() if area else GovTextInput(),
                 description=description, validators=validators)


def normalise_postcode(text: str) -> str:
    """'ha1  2ab' -> 'HA1 2AB'. Raises ValueError with a message for a person."""
    cleaned = re.sub(r"\s+", " ", (text or "").strip().upper())
    match = FULL_POSTCODE.match(cleaned)
    if not match:
        raise ValueError(_l("Enter a full postcode, like HA1 2AB"))
    try:
        district_of(cleaned)
    except UnknownPostcode as exc:
        raise ValueError(_l("We do not recognise the postcode %(postcode)s. Check it and "
                            "try again", postcode=cleaned)) from exc
    return f"{match.group(1)} {match.group(2)}"


def parse_districts(text: str) -> list[str]:
    """'HA1, ha2 HA3' -> ['HA1', 'HA2', 'HA3']. Raises ValueError naming what is wrong."""
    tokens = [t for t in re.split(r"[\s,;]+", (text or "").upper()) if t]
    if len(tokens) > MAX_DISTRICTS:
        raise ValueError(_l("Enter %(max)d postcode districts or fewer", max=MAX_DISTRICTS))
    districts = []
    for token in tokens:
        try:
            district = district_of(token)
        except UnknownPostcode as exc:
            raise ValueError(_l("We do not recognise the postcode district %(district)s. "
                                "Enter districts like HA1, separated by commas",
                                district=token[:10])) from exc
        if district != token:  # a full postcode or something else, not a district
            raise ValueError(_l("Enter postcode districts like HA1, not full postcodes"))
        if district not in districts:
            districts.append(district)
    return districts


class ProfileForm(FlaskForm):
    description = _text(_l("About your organisation"), 5000,
                        required=_l("Enter a description of your organisation"),
                        description=_l("What you do, who you support and what makes you "
                                       "different. People read this before they choose."),
                        area=True)
    email = StringField(
        _l("Contact email address"), widget=GovTextInput(),
        validators=[Optional(), Length(max=254, message=_l(
            "Email address must be 254 characters or fewer")),
            Email(message=_l("Enter an email address in the correct format, like "
                             "name@example.com"), check_deliverability=False)])
    phone = _text(_l("Contact telephone number"), 40)
    website = _text(_l("Website"), 300, description=_l("For example, https://example.org"))
    address = _text(_l("Address"), 300, description=_l("The building and street"))
    town = _text(_l("Town or city"), 100)
    postcode = _text(_l("Postcode"), 10, required=_l("Enter your postcode"))
    areas = _text(_l("Postcode districts you cover"), 1000,
                  description=_l("For example, HA1, HA2, HA3. Leave empty if you give a "
                                 "distance instead."), area=True)
    radius_km = WholeNumberField(
        _l("Or: how far from your base you travel, in kilometres"),
        description=_l("A number from 1 to 200. You can give districts, a distance or both."),
        invalid_message=_l("Enter the distance as a whole number of kilometres, like 10"),
        validators=[Optional(), NumberRange(min=1, max=200, message=_l(
            "The distance must be between 1 and 200 kilometres"))])
    languages = Checkboxes(_l("Languages your workers speak"),
                           choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()])
    genders = Checkboxes(_l("Workers you can offer"),
                         description=_l("Some people need a worker of the same gender."),
                         choices=[SelectChoice(g.value, g.label) for g in WorkerGender])
    specialisms = _text(_l("Cultural or faith specialisms (optional)"), 1000,
                        description=_l("For example, halal or kosher food, or support from "
                                       "workers who share a faith or culture"), area=True)
    premises_accessibility = _text(
        _l("Accessibility of your premises"), 1000, area=True,
        description=_l("Step-free access, accessible toilets, hearing loops, parking. If you "
                       "only visit people at home, say so."))
    submit = SubmitField(_l("Save profile"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        self.district_list: list[str] = []
        self.postcode_clean: str | None = None
        if self.postcode.data and not self.postcode.errors:
            try:
                self.postcode_clean = normalise_postcode(self.postcode.data)
            except ValueError as exc:
                self.postcode.errors = [exc.args[0]]
                ok = False
        if self.areas.data and not self.areas.errors:
            try:
                self.district_list = parse_districts(self.areas.data)
            except ValueError as exc:
                self.areas.errors = [exc.args[0]]
                ok = False
        if (ok and not self.district_list and self.radius_km.data is None):
            self.areas.errors = [_l("Enter the postcode districts you cover, or how far "
                                    "from your base you travel")]
            ok = False
        website = (self.website.data or "").strip()
        if website and not self.website.errors and not re.match(
                r"^https?://[^\s/$.?#][^\s<>\"']*$", website, re.IGNORECASE):
            self.website.errors = [_l("Enter the website address in full, starting with "
                                      "https://")]
            ok = False
        phone = (self.phone.data or "").strip()
        if phone and not self.phone.errors and not re.fullmatch(r"[0-9 +()\-]{6,40}", phone):
            self.phone.errors = [_l("Enter a telephone number, like 020 7946 0000")]
            ok = False
        return ok


class OrganisationForm(FlaskForm):
    """The facts the council checks: name, kind, evidence and CQC registration."""

    name = _text(_l("Name of your organisation"), 200,
                 required=_l("Enter the name of your organisation"))
    kind = ChoiceRadios(_l("What kind of provider are you?"),
                        choices=[SelectChoice(k.value, k.label) for k in ProviderKind],
                        message=_l("Select what kind of provider you are"))
    insurance_declared = BooleanField(
        _l("We hold public liability and employer's liability insurance"),
        widget=GovCheckboxInput())
    insurance_expires_on = RealDateField(_l("Date the insurance ends"),
                                         description=_l("For example, 31 3 2027"),
                                         validators=[Optional()])
    dbs_declared = BooleanField(
        _l("Everyone who works with people has an enhanced DBS check"),
        widget=GovCheckboxInput())
    dbs_expires_on = RealDateField(_l("Date the DBS checks are due to be renewed"),
                                   description=_l("For example, 31 3 2027"),
                                   validators=[Optional()])
    cqc_location_id = _text(_l("CQC location ID (if you are registered with the CQC)"), 20,
                            description=_l("For example, 1-000210669. You can find it on "
                                           "your CQC inspection report."))
    cqc_status = ChoiceSelect(_l("CQC registration status"), widget=GovSelect(),
                              choices=[SelectChoice("", _l("Not registered"))] + [
                                  SelectChoice(k, v) for k, v in CQC_STATUSES.items()],
                              message=_l("Select the CQC registration status"))
    cqc_rating = ChoiceSelect(_l("CQC overall rating"), widget=GovSelect(),
                              choices=[SelectChoice("", _l("No rating"))] + [
                                  SelectChoice(r.value, r.label) for r in CqcRating],
                              message=_l("Select the CQC rating"))
    cqc_rating_date = RealDateField(_l("Date of the CQC report"), validators=[Optional()])
    submit = SubmitField(_l("Save organisation details"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for declared, expires, message in (
                (self.insurance_declared, self.insurance_expires_on,
                 _l("Enter the date your insurance ends")),
                (self.dbs_declared, self.dbs_expires_on,
                 _l("Enter the date the DBS checks are due to be renewed"))):
            if declared.data and expires.data is None and not expires.errors:
                expires.errors = [message]
                ok = False
        location = (self.cqc_location_id.data or "").strip()
        if location and not self.cqc_location_id.errors and not CQC_LOCATION_ID.match(location):
            self.cqc_location_id.errors = [_l("Enter the CQC location ID as it appears on "
                                              "the CQC website, like 1-000210669")]
            ok = False
        if not location and (self.cqc_status.data or self.cqc_rating.data):
            self.cqc_location_id.errors = [_l("Enter the CQC location ID, or choose "
                                              "'Not registered' and 'No rating'")]
            ok = False
        if self.cqc_rating_date.data and not self.cqc_rating.data:
            self.cqc_rating.errors = [_l("Select the CQC rating the report gave")]
            ok = False
        if self.cqc_rating_date.data and self.cqc_rating_date.data > today():
            self.cqc_rating_date.errors = [_l("The date of the CQC report must be today or "
                                              "in the past")]
            ok = False
        return ok


class LogoForm(FlaskForm):
    logo = FileField(_l("Upload a logo"), widget=GovFileInput())
    submit = SubmitField(_l("Upload logo"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    full_name = _text(_l("Full name"), 120, required=_l("Enter their full name"))
    email = email_field(_l("Email address"))
    member_role = ChoiceRadios(
        _l("What may they do?"),
        choices=[SelectChoice(MemberRole.STAFF.value,
                              _l("Staff: edit the profile and services")),
                 SelectChoice(MemberRole.OWNER.value,
                              _l("Owner: also manage the team and the organisation's "
                                 "details"))],
        message=_l("Select what they may do"))
    submit = SubmitField(_l("Add to the team"), widget=GovSubmitInput())


class ResolveReportForm(FlaskForm):
    resolution = _text(_l("What did you do about it?"), 1000, area=True,
                       required=_l("Say what you did about the report"),
                       description=_l("The council sees this note."))
    submit = SubmitField(_l("Mark as resolved"), widget=GovSubmitInput())
