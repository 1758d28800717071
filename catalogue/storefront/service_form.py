"""The service (listing) form and the photo form.

Weekly availability is seven pairs of plain text boxes, one row a weekday, so it
works without JavaScript: leave a day empty when the service is not offered then.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from catalogue.fields import (
    Checkboxes,
    ChoiceRadios,
    ChoiceSelect,
    PoundsField,
    TimeOfDayField,
    WholeNumberField,
)
from catalogue.models import Unit
from catalogue.taxonomy import (
    TOP_LEVEL,
    WEEKDAYS,
    FundingStream,
    Outcome,
    children_of,
)

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def category_choices() -> dict:
    """Sub-categories grouped by their top-level category (rendered as optgroups)."""
    return {top.name: [SelectChoice(child.slug, child.name) for child in children_of(top.slug)]
            for top in TOP_LEVEL}


def _number(label, low, high, required=None, description=None):
    validators = [InputRequired(message=required)] if required else [Optional()]
    validators.append(NumberRange(min=low, max=high, message=_l(
        "%(label)s must be between %(low)d and %(high)d", label=label, low=low, high=high)))
    return WholeNumberField(label, validators=validators, description=description,
                            invalid_message=_l("%(label)s must be a whole number, like 3",
                                               label=label))


class ServiceForm(FlaskForm):
    name = StringField(
        _l("Name of the service"), widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the name of the service")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    summary = StringField(
        _l("Summary"), widget=GovTextInput(),
        description=_l("One sentence, shown in search results"),
        validators=[InputRequired(message=_l("Enter a one-sentence summary")),
                    Length(max=500, message=_l("The summary must be 500 characters or "
                                               "fewer"))])
    description = TextAreaField(
        _l("Description"), widget=GovTextArea(),
        description=_l("What happens, who it suits, what is included, and what it costs "
                       "beyond the price (for example travel)"),
        validators=[Optional(), Length(max=5000, message=_l(
            "The description must be 5,000 characters or fewer"))])
    category = ChoiceSelect(_l("Category"), choices=category_choices,
                            message=_l("Select the category that fits the service best"))
    outcomes = Checkboxes(_l("Outcomes it helps with"),
                          choices=[SelectChoice(o.value, o.label) for o in Outcome])
    unit = ChoiceRadios(_l("The price is"),
                        choices=[SelectChoice(u.value, u.label) for u in Unit],
                        message=_l("Select what the price is for"))
    price = PoundsField(
        _l("Price to the public, in pounds"),
        description=_l("For example, 24.50. People a council funds may pay a rate the "
                       "council agreed with you instead."),
        validators=[InputRequired(message=_l("Enter the price"))])
    min_booking_units = _number(_l("Minimum booking"), 1, 1000,
                                required=_l("Enter the minimum booking"),
                                description=_l("The fewest units a person can book, like 1"))
    lead_time_days = _number(_l("Days' notice needed to start"), 0, 365,
                             required=_l("Enter the days' notice needed, or 0"))
    capacity_per_week = _number(_l("How many units you can take on each week (optional)"),
                                0, 100_000)
    min_age = _number(_l("Youngest age you support (optional)"), 0, 120)
    max_age = _number(_l("Oldest age you support (optional)"), 0, 120)
    funding_streams = Checkboxes(
        _l("Funding it may be bought with"),
        description=_l("For example, housing-related support may be bought with Supporting "
                       "People money"),
        choices=[SelectChoice(f.value, f.label) for f in FundingStream])
    regulated = BooleanField(
        _l("This is a regulated activity (registered with the Care Quality Commission)"),
        widget=GovCheckboxInput())
    submit = SubmitField(_l("Save service"), widget=GovSubmitInput())

    def day_rows(self):
        """(weekday name, [(from field, until field) for each period]) for the template."""
        return [(WEEKDAYS[i], [(self[f"{key}_from{n}"], self[f"{key}_until{n}"])
                               for n in PERIOD_SUFFIXES])
                for i, key in enumerate(DAY_KEYS)]

    def availability(self) -> list[tuple[int, object, object]]:
        """(weekday, start, end) for each period filled in, in order (after validate)."""
        slots = []
        for i, key in enumerate(DAY_KEYS):
            periods = sorted((self[f"{key}_from{n}"].data, self[f"{key}_until{n}"].data)
                             for n in PERIOD_SUFFIXES if self[f"{key}_from{n}"].data)
            slots.extend((i, start, end) for start, end in periods)
        return slots

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for i, key in enumerate(DAY_KEYS):
            day = WEEKDAYS[i]
            periods = []
            for n in PERIOD_SUFFIXES:
                start, end = self[f"{key}_from{n}"], self[f"{key}_until{n}"]
                if start.errors or end.errors:
                    continue
                if (start.data is None) != (end.data is None):
                    missing = end if end.data is None else start
                    missing.errors = [_l("Enter both times for %(day)s, or leave both empty",
                                         day=day)]
                    ok = False
                elif start.data is not None and end.data <= start.data:
                    end.errors = [_l("The end time on %(day)s must be after the start time",
                                     day=day)]
                    ok = False
                elif start.data is not None:
                    periods.append((start.data, end.data, end))
            periods.sort(key=lambda period: period[0])
            for (_s1, end1, _f), (start2, _e2, field) in zip(periods, periods[1:], strict=False):
                if start2 < end1:
                    field.errors = [_l("The two times on %(day)s overlap: the second must "
                                       "start after the first ends", day=day)]
                    ok = False
        if (self.min_age.data is not None and self.max_age.data is not None
                and not self.min_age.errors and not self.max_age.errors
                and self.min_age.data > self.max_age.data):
            self.max_age.errors = [_l("The oldest age must be the same as or more than the "
                                      "youngest")]
            ok = False
        return ok


# One or two periods a day (for example mornings and evenings), as plain text boxes.
PERIOD_SUFFIXES = ("", "_2")
for _index, _key in enumerate(DAY_KEYS):
    _day = WEEKDAYS[_index]
    for _n in PERIOD_SUFFIXES:
        setattr(ServiceForm, f"{_key}_from{_n}", TimeOfDayField(
            _l("%(day)s from", day=_day),
            invalid_message=_l("Enter the start time on %(day)s like 09:00", day=_day)))
        setattr(ServiceForm, f"{_key}_until{_n}", TimeOfDayField(
            _l("%(day)s until", day=_day),
            invalid_message=_l("Enter the end time on %(day)s like 17:30", day=_day)))


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), widget=GovFileInput())
    alt_text = StringField(
        _l("Describe the photo for people who cannot see it"), widget=GovTextInput(),
        description=_l("For example: 'Two people laughing while planting tomatoes'"),
        validators=[InputRequired(message=_l("Describe the photo")),
                    Length(max=200, message=_l("The description must be 200 characters or "
                                               "fewer"))])
    submit = SubmitField(_l("Upload photo"), widget=GovSubmitInput())
