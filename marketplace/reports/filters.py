"""The filters every report takes: council, period, area (postcode district) and
category, read from the query string and checked, with one clear message for each
thing wrong. Builders receive a checked ``ReportFilters`` and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from catalogue.models import SearchEvent
from catalogue.taxonomy import CATEGORIES, TOP_LEVEL, children_of
from marketplace.accounts.models import Council, RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.forms import RealDateField

MAX_PERIOD_DAYS = 5 * 366 + 1   # five years at most
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class ReportFilters:
    council_id: int
    council_name: str
    starts_on: date
    ends_on: date              # inclusive
    district: str | None = None
    category: str | None = None  # a taxonomy slug, top level or not

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.starts_on, time.min, tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (compare with <)."""
        return datetime.combine(self.ends_on + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def category_slugs(self) -> set[str] | None:
        """Every category slug the filter covers (a top level covers its children)."""
        if self.category is None:
            return None
        return {self.category} | {c.slug for c in children_of(self.category)}

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        out, day = [], self.starts_on.replace(day=1)
        while day <= self.ends_on:
            out.append(day)
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out

    def query_args(self) -> dict:
        """The filters as query-string arguments (for links and downloads)."""
        args = {"council": str(self.council_id),
                "start": [str(self.starts_on.day), str(self.starts_on.month),
                          str(self.starts_on.year)],
                "end": [str(self.ends_on.day), str(self.ends_on.month), str(self.ends_on.year)]}
        if self.district:
            args["area"] = self.district
        if self.category:
            args["category"] = self.category
        return args


def council_districts(session: Session, council_id: int) -> list[str]:
    """The postcode districts where the council's people live or search from."""
    searched = select(SearchEvent.district).where(
        SearchEvent.council_id == council_id, SearchEvent.district.is_not(None)).distinct()
    lived = (select(User.postcode).join(RoleGrant, RoleGrant.user_id == User.id)
             .where(RoleGrant.council_id == council_id, RoleGrant.role == Role.BUDGET_HOLDER,
                    User.postcode.is_not(None)).distinct())
    found = set(session.scalars(searched))
    found |= {p.strip().upper().split(" ")[0] for p in session.scalars(lived) if p.strip()}
    return sorted(found, key=lambda d: (d.rstrip("0123456789"), len(d), d))


def category_label(slug: str) -> str:
    category = CATEGORIES.get(slug)
    return str(category.name) if category else slug


def category_choices() -> list[SelectChoice]:
    choices = [SelectChoice("", _l("All categories"))]
    for top in TOP_LEVEL:
        choices.append(SelectChoice(top.slug, top.name))
        choices += [SelectChoice(c.slug, _l("%(top)s: %(name)s", top=top.name, name=c.name))
                    for c in children_of(top.slug)]
    return choices


class FilterForm(FlaskForm):
    """GET form: bookmarkable, no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    council = SelectField(_l("Council"), widget=GovSelect(), validate_choice=False)
    start = RealDateField(_l("From"))
    end = RealDateField(_l("To"))
    area = SelectField(_l("Area (postcode district)"), widget=GovSelect(),
                       validate_choice=False)
    category = SelectField(_l("Category"), widget=GovSelect(), choices=category_choices,
                           validate_choice=False)
    submit = SubmitField(_l("Show the report"), widget=GovSubmitInput())

    def validate_category(self, field):
        if field.data and field.data not in CATEGORIES:
            raise ValidationError(_l("Choose a category from the list"))

    def validate_end(self, field):
        start, end = self.start.data, field.data
        if start is None or end is None:
            return
        if end < start:
            raise ValidationError(_l("The end of the period must be the same as or after "
                                     "its start"))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError(_l("Choose a period of 5 years or less"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field, message in ((self.start, _l("Enter the first day of the period")),
                               (self.end, _l("Enter the last day of the period"))):
            if field.data is None and not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def validate_start(self, field):
        if field.data is not None and field.data < EARLIEST:
            raise ValidationError(_l("The period cannot start before 1 January 2000"))


def default_period(today: date) -> tuple[date, date]:
    """The last twelve whole months and this month so far."""
    start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return start, today


def read_filters(session: Session, args, councils: list[Council], today: date):
    """(form, ReportFilters or None). ``councils`` are those the person may report
    on (never empty). A bad or missing value leaves errors on the form."""
    form = FilterForm(args)
    form.council.choices = [SelectChoice(str(c.id), c.name) for c in councils]
    chosen = next((c for c in councils if str(c.id) == (args.get("council") or "")), None)
    council = chosen or councils[0]
    form.council.data = str(council.id)
    districts = council_districts(session, council.id)
    form.area.choices = [SelectChoice("", _l("All areas"))] + [
        SelectChoice(d, d) for d in districts]
    if "start" not in args and "end" not in args:
        form.start.data, form.end.data = default_period(today)
        form.start.raw_data = form.end.raw_data = None
    valid = form.validate()
    area = (args.get("area") or "").strip().upper()
    if area and area not in districts:
        form.area.errors = [_l("Choose an area from the list: %(area)s is not one of this "
                               "council's postcode districts", area=area[:10])]
        valid = False
    if args.get("council") and chosen is None:
        form.council.errors = [_l("Choose a council from the list")]
        valid = False
    if not valid:
        return form, None
    return form, ReportFilters(
        council_id=council.id, council_name=council.name, starts_on=form.start.data,
        ends_on=form.end.data, district=area or None, category=form.category.data or None)


def count_distinct(column):
    """COUNT(DISTINCT column), spelt once for builders."""
    return func.count(func.distinct(column))
