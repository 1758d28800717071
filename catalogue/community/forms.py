"""Community Catalogue forms: the listing, a schedule, a place, the organisation,
"report a problem", and the moderators' decisions."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from catalogue.community.vocabulary import ACCESSIBILITY, CIRCUMSTANCES, NEEDS, all_categories
from catalogue.fields import (
    Checkboxes,
    ChoiceRadios,
    ChoiceSelect,
    PoundsField,
    TimeOfDayField,
    WholeNumberField,
)
from catalogue.models import CommunityKind, CommunityReportReason, ScheduleFreq
from catalogue.storefront.forms import normalise_postcode
from catalogue.taxonomy import LANGUAGES, WEEKDAYS
from marketplace.forms import RealDateField, email_field

MAX_CHARGE_PENCE = 5000  # £50: the Community Catalogue is for free and low-cost things
PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _text(label, max_length, required=None, description=None, area=False):
    validators = [InputRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=_l(
        "%(label)s must be %(max)d characters or fewer", label=label, max=max_length)))
    field = TextAreaField if area else StringField
    return field(label, widget=GovTextArea() if area else GovTextInput(),
                 description=description, validators=validators)


def _age(label):
    return WholeNumberField(label, validators=[Optional(), NumberRange(min=0, max=120, message=_l(
        "%(label)s must be between 0 and 120", label=label))],
        invalid_message=_l("%(label)s must be a whole number, like 18", label=label))


def _postcode_or_error(field):
    try:
        field.data = normalise_postcode(field.data)
    except ValueError as exc:
        field.errors = [*field.errors, exc.args[0]]
        return False
    return True


class ContactMixin:
    email = StringField(_l("Email address (optional)"), widget=GovTextInput(), validators=[
        Optional(), Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(message=_l("Enter an email address in the correct format, like name@example.com"),
              check_deliverability=False)])
    phone = _text(_l("Phone number (optional)"), 40)
    website = _text(_l("Website (optional)"), 500,
                    description=_l("The full address, starting https://"))

    def contact_ok(self) -> bool:
        ok = True
        if self.phone.data and not PHONE.match(self.phone.data.strip()):
            self.phone.errors = [*self.phone.errors, _l(
                "Enter a phone number, like 020 8123 4567 or +44 20 8123 4567")]
            ok = False
        website = (self.website.data or "").strip()
        if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
            self.website.errors = [*self.website.errors, _l(
                "Enter the full website address, starting https://")]
            ok = False
        return ok


class ListingForm(ContactMixin, FlaskForm):
    name = _text(_l("Name of the group, activity or service"), 200,
                 required=_l("Enter the name"))
    summary = _text(_l("Summary"), 500, required=_l("Enter a one-sentence summary"),
                    description=_l("One sentence, shown in search results and what's on"))
    description = _text(_l("Description"), 5000, area=True,
                        description=_l("What happens, what to bring, and anything people should "
                                       "know before they come"))
    kind = ChoiceRadios(_l("What kind of thing is it?"),
                        choices=[SelectChoice(k.value, k.label) for k in CommunityKind],
                        message=_l("Select what kind of thing it is"))
    category = ChoiceSelect(_l("Category"), widget=GovSelect(), choices=lambda: [
        SelectChoice("", _l("Choose a category")),
        *(SelectChoice(slug, name) for slug, name in all_categories())],
        message=_l("Select the category that fits best"),
        validators=[InputRequired(message=_l("Select the category that fits best"))])
    cost = ChoiceRadios(_l("Does it cost anything?"), choices=[
        SelectChoice("free", _l("It is free")),
        SelectChoice("charge", _l("There is a small charge"))],
        message=_l("Select whether it is free or has a small charge"))
    charge = PoundsField(_l("How much, in pounds"), description=_l("For example, 2.50"))
    cost_description = _text(_l("What the charge covers"), 300,
                             description=_l("For example: tea and biscuits, or materials. "
                                            "Leave empty if it is free"))
    min_age = _age(_l("Youngest age (optional)"))
    max_age = _age(_l("Oldest age (optional)"))
    needs = Checkboxes(_l("Especially for people with (optional)"),
                       choices=[SelectChoice(k, v) for k, v in NEEDS.items()])
    circumstances = Checkboxes(_l("Especially for (optional)"),
                               choices=[SelectChoice(k, v) for k, v in CIRCUMSTANCES.items()])
    accessibility = Checkboxes(_l("Accessibility"),
                               choices=[SelectChoice(k, v) for k, v in ACCESSIBILITY.items()])
    accessibility_notes = _text(_l("More about access (optional)"), 2000, area=True)
    languages = Checkboxes(_l("Languages spoken"),
                           choices=[SelectChoice(k, v) for k, v in LANGUAGES.items()])
    places = Checkboxes(_l("Where it happens"), choices=[])
    place_name = _text(_l("Name of the place"), 200,
                       description=_l("For example: St Mary's Church Hall"))
    place_address_1 = _text(_l("Address line 1"), 200)
    place_address_2 = _text(_l("Address line 2 (optional)"), 200)
    place_city = _text(_l("Town or city"), 100)
    place_postcode = _text(_l("Postcode"), 10)
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def new_place_given(self) -> bool:
        return any((self[f].data or "").strip() for f in (
            "place_name", "place_address_1", "place_address_2", "place_city", "place_postcode"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = self.contact_ok() and ok
        if self.cost.data == "charge" and not self.charge.errors:
            if self.charge.pence is None or self.charge.pence == 0:
                self.charge.errors = [_l("Enter how much it costs, or choose “It is free”")]
                ok = False
            elif self.charge.pence > MAX_CHARGE_PENCE:
                self.charge.errors = [_l("The Community Catalogue is for free and low-cost "
                                         "things: the charge must be £50 or less")]
                ok = False
            if not (self.cost_description.data or "").strip():
                self.cost_description.errors = [*self.cost_description.errors,
                                                _l("Say what the charge covers")]
                ok = False
        if (self.min_age.data is not None and self.max_age.data is not None
                and not self.max_age.errors and self.min_age.data > self.max_age.data):
            self.max_age.errors = [_l("The oldest age must be the same as or more than the "
                                      "youngest")]
            ok = False
        if self.new_place_given():
            if not (self.place_name.data or "").strip():
                self.place_name.errors = [*self.place_name.errors,
                                          _l("Enter the name of the place")]
                ok = False
            if not (self.place_postcode.data or "").strip():
                self.place_postcode.errors = [*self.place_postcode.errors,
                                              _l("Enter the postcode of the place")]
                ok = False
            elif not self.place_postcode.errors:
                ok = _postcode_or_error(self.place_postcode) and ok
        elif not self.places.data and not self.places.errors:
            self.places.errors = [_l("Choose where it happens, or add a place")]
            ok = False
        return ok

    @property
    def cost_pence(self) -> int | None:
        return self.charge.pence if self.cost.data == "charge" else None


class ScheduleForm(FlaskForm):
    freq = ChoiceRadios(_l("How often does it happen?"), choices=[
        SelectChoice("once", _l("Once: a one-off event")),
        SelectChoice("weekly", _l("Every week, or every few weeks")),
        SelectChoice("monthly", _l("Once a month, on a set weekday"))],
        message=_l("Select how often it happens"))
    dtstart = RealDateField(
        _l("Date, or the first date"),
        description=_l("For a one-off event, its date. For a repeating one, the first date it "
                       "happens from. For example, 27 3 2026"),
        validators=[InputRequired(message=_l("Enter the date"))],
        invalid_message=_l("Enter a real date, like 27 3 2026"))
    opens_at = TimeOfDayField(_l("Starts at"), description=_l("For example, 10:00"),
                              validators=[InputRequired(message=_l("Enter the start time"))],
                              invalid_message=_l("Enter the start time like 10:00"))
    closes_at = TimeOfDayField(_l("Ends at"), description=_l("For example, 12:30"),
                               validators=[InputRequired(message=_l("Enter the end time"))],
                               invalid_message=_l("Enter the end time like 12:30"))
    days = Checkboxes(_l("Which days (weekly)"),
                      choices=[SelectChoice(code, WEEKDAYS[i])
                               for i, code in enumerate(DAY_CODES)])
    every_weeks = ChoiceRadios(_l("How many weeks apart (weekly)"), choices=[
        SelectChoice("1", _l("Every week")), SelectChoice("2", _l("Every 2 weeks")),
        SelectChoice("3", _l("Every 3 weeks")), SelectChoice("4", _l("Every 4 weeks"))],
        message=_l("Select how many weeks apart"), validators=[Optional()])
    week_of_month = ChoiceRadios(_l("Which one in the month (monthly)"), choices=[
        SelectChoice("1", _l("First")), SelectChoice("2", _l("Second")),
        SelectChoice("3", _l("Third")), SelectChoice("4", _l("Fourth")),
        SelectChoice("-1", _l("Last"))],
        message=_l("Select which one in the month"), validators=[Optional()])
    month_day = ChoiceRadios(_l("Which day (monthly)"),
                             choices=[SelectChoice(code, WEEKDAYS[i])
                                      for i, code in enumerate(DAY_CODES)],
                             message=_l("Select the day of the week"), validators=[Optional()])
    until = RealDateField(_l("Last date (optional)"),
                          description=_l("Leave empty if it carries on"),
                          validators=[Optional()],
                          invalid_message=_l("Enter a real last date, like 27 3 2026"))
    description = _text(_l("Anything else about when (optional)"), 300,
                        description=_l("For example: not in August, or term time only"))
    submit = SubmitField(_l("Save the dates and times"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (self.opens_at.data and self.closes_at.data and not self.closes_at.errors
                and self.closes_at.data <= self.opens_at.data):
            self.closes_at.errors = [_l("The end time must be after the start time")]
            ok = False
        if (self.until.data and self.dtstart.data and not self.until.errors
                and self.until.data < self.dtstart.data):
            self.until.errors = [_l("The last date must be the same as or after the first")]
            ok = False
        if self.freq.data == "weekly":
            if not self.days.data and not self.days.errors:
                self.days.errors = [_l("Select the days it happens")]
                ok = False
            if not self.every_weeks.data and not self.every_weeks.errors:
                self.every_weeks.errors = [_l("Select how many weeks apart")]
                ok = False
        if self.freq.data == "monthly":
            for field, message in ((self.week_of_month, _l("Select which one in the month")),
                                   (self.month_day, _l("Select the day of the week"))):
                if not field.data and not field.errors:
                    field.errors = [message]
                    ok = False
        return ok

    def values(self) -> dict:
        freq = ScheduleFreq(self.freq.data)
        values = {"freq": freq, "dtstart": self.dtstart.data, "opens_at": self.opens_at.data,
                  "closes_at": self.closes_at.data, "description": self.description.data or "",
                  "interval": 1, "byday": "", "bymonthday": "",
                  "until": None if freq is ScheduleFreq.ONCE else self.until.data}
        if freq is ScheduleFreq.WEEKLY:
            values["interval"] = int(self.every_weeks.data)
            values["byday"] = ",".join(c for c in DAY_CODES if c in self.days.data)
        elif freq is ScheduleFreq.MONTHLY:
            values["byday"] = f"{self.week_of_month.data}{self.month_day.data}"
        return values

    def fill(self, schedule) -> None:
        from catalogue.community.schedules import ScheduleError, parse_byday

        self.freq.data = schedule.freq.value
        self.dtstart.data, self.until.data = schedule.dtstart, schedule.until
        self.opens_at.data, self.closes_at.data = schedule.opens_at, schedule.closes_at
        self.description.data = schedule.description
        try:
            days = parse_byday(schedule.byday)
        except ScheduleError:
            days = []
        if schedule.freq is ScheduleFreq.WEEKLY:
            self.days.data = [DAY_CODES[d] for _n, d in days]
            self.every_weeks.data = str(min(schedule.interval, 4))
        elif schedule.freq is ScheduleFreq.MONTHLY and days and days[0][0] is not None:
            self.week_of_month.data = str(days[0][0] if days[0][0] in (1, 2, 3, 4) else -1)
            self.month_day.data = DAY_CODES[days[0][1]]


class PlaceForm(FlaskForm):
    name = _text(_l("Name of the place"), 200, required=_l("Enter the name of the place"))
    address_1 = _text(_l("Address line 1"), 200)
    address_2 = _text(_l("Address line 2 (optional)"), 200)
    city = _text(_l("Town or city"), 100)
    postcode = _text(_l("Postcode"), 10, required=_l("Enter the postcode of the place"))
    submit = SubmitField(_l("Save the place"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.postcode.data and not self.postcode.errors:
            ok = _postcode_or_error(self.postcode) and ok
        return ok


class OrganisationForm(ContactMixin, FlaskForm):
    email = email_field(_l("Email address"), description=_l(
        "The council and people interested in your groups use this to contact you"))
    description = _text(_l("About your organisation"), 5000, area=True)
    postcode = _text(_l("Postcode (optional)"), 10)
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = self.contact_ok() and ok
        if (self.postcode.data or "").strip() and not self.postcode.errors:
            ok = _postcode_or_error(self.postcode) and ok
        return ok


class CommunityReportForm(FlaskForm):
    reason = ChoiceRadios(
        _l("What is the problem?"),
        choices=[SelectChoice(r.value, r.label) for r in CommunityReportReason],
        description=_l("If you choose “I am worried about this group”, only the council sees "
                       "your report."),
        message=_l("Select what the problem is"))
    details = _text(_l("Tell us more"), 2000, area=True,
                    description=_l("Say what is wrong and, if you know, what is right. Do not "
                                   "include anyone's medical or financial details."))
    contact_email = StringField(
        _l("Your email address (optional)"), widget=GovTextInput(),
        description=_l("Only if you are happy for the council to contact you about this. We do "
                       "not give it to the organiser."),
        validators=[Optional(), Length(max=254, message=_l(
            "Email address must be 254 characters or fewer")), Email(message=_l(
                "Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False)])
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.reason.data == "other" and not (self.details.data or "").strip():
            self.details.errors = [*self.details.errors, _l("Tell us what the problem is")]
            ok = False
        return ok


class DecisionForm(FlaskForm):
    decision = ChoiceRadios(_l("Your decision"), choices=[],
                            message=_l("Select your decision"))
    note = _text(_l("Note to the organiser"), 1000, area=True,
                 description=_l("Needed if you do not approve: say what to change"))
    submit = SubmitField(_l("Save the decision"), widget=GovSubmitInput())


class CloseCommunityReportForm(FlaskForm):
    resolution = _text(_l("What was done"), 1000, area=True,
                       required=_l("Say what was done about the report"))
    take_down = ChoiceRadios(_l("Take the listing down?"), choices=[
        SelectChoice("no", _l("No, leave it as it is")),
        SelectChoice("yes", _l("Yes, take it down (the organiser sees what was done)"))],
        message=_l("Select whether to take the listing down"))
    submit = SubmitField(_l("Close the report"), widget=GovSubmitInput())
