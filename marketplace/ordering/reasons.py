"""Why an order ended without its support: a reason CODE the provider (declining) or
the person (cancelling) may choose, kept on the order's event next to their own
words. Commissioners' reports show only the codes: free text may name the person.

When no code was chosen, the code says what happened (declined, not answered,
cancelled by whom, moved), as ``ordering.signals`` works it out."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from catalogue.fields import ChoiceRadios
from marketplace.ordering.forms import CancelForm, DecisionForm
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.signals import Why, _why


class EndReason(StrEnum):
    # A provider declining.
    NO_CAPACITY = "no_capacity"
    AREA_NOT_COVERED = "area_not_covered"
    CANNOT_MEET_NEEDS = "cannot_meet_needs"
    TIMES_NOT_AVAILABLE = "times_not_available"
    PRICE_TOO_LOW = "price_too_low"
    # A person cancelling before the support started.
    FOUND_OTHER_SUPPORT = "found_other_support"
    NO_LONGER_NEEDED = "no_longer_needed"
    TOOK_TOO_LONG = "took_too_long"
    NOT_WHAT_I_NEED = "not_what_i_need"
    # Either.
    OTHER = "other"
    # What happened, when no reason was chosen (ordering.signals.Why).
    DECLINED = Why.DECLINED
    NO_ANSWER = Why.NO_ANSWER
    NOT_APPROVED = Why.NOT_APPROVED
    CANCELLED_BY_BUYER = Why.CANCELLED_BY_BUYER
    CANCELLED_BY_PROVIDER = Why.CANCELLED_BY_PROVIDER
    NOTICE_RAN_OUT = Why.NOTICE_RAN_OUT
    MOVED = Why.MOVED

    @property
    def label(self):
        return END_REASON_LABELS[self]


END_REASON_LABELS = {
    EndReason.NO_CAPACITY: _l("No one free to provide it"),
    EndReason.AREA_NOT_COVERED: _l("The provider does not cover the area"),
    EndReason.CANNOT_MEET_NEEDS: _l("The provider cannot meet the needs (skills, language "
                                    "or culture)"),
    EndReason.TIMES_NOT_AVAILABLE: _l("Not available on the days or at the times asked for"),
    EndReason.PRICE_TOO_LOW: _l("The price or rate does not cover the cost"),
    EndReason.FOUND_OTHER_SUPPORT: _l("Found other support"),
    EndReason.NO_LONGER_NEEDED: _l("No longer needed"),
    EndReason.TOOK_TOO_LONG: _l("It was taking too long to start"),
    EndReason.NOT_WHAT_I_NEED: _l("The provider could not offer what was needed"),
    EndReason.OTHER: _l("Another reason"),
    EndReason.DECLINED: _l("Declined, no reason chosen"),
    EndReason.NO_ANSWER: _l("The provider did not answer in time"),
    EndReason.NOT_APPROVED: _l("Not approved by the council"),
    EndReason.CANCELLED_BY_BUYER: _l("Cancelled by the person, no reason chosen"),
    EndReason.CANCELLED_BY_PROVIDER: _l("Cancelled by the provider"),
    EndReason.NOTICE_RAN_OUT: _l("The person gave notice"),
    EndReason.MOVED: _l("Moved to another provider"),
}

DECLINE_REASONS = (EndReason.NO_CAPACITY, EndReason.AREA_NOT_COVERED,
                   EndReason.CANNOT_MEET_NEEDS, EndReason.TIMES_NOT_AVAILABLE,
                   EndReason.PRICE_TOO_LOW, EndReason.OTHER)
CANCEL_REASONS = (EndReason.TOOK_TOO_LONG, EndReason.NOT_WHAT_I_NEED,
                  EndReason.FOUND_OTHER_SUPPORT, EndReason.NO_LONGER_NEEDED, EndReason.OTHER)
# Reasons that say the market did not provide (a gap), not that the person changed
# their mind.
MARKET_REASONS = frozenset({*DECLINE_REASONS, EndReason.DECLINED, EndReason.NO_ANSWER,
                            EndReason.CANCELLED_BY_PROVIDER, EndReason.TOOK_TOO_LONG,
                            EndReason.NOT_WHAT_I_NEED}) - {EndReason.OTHER}


def end_reason(status: OrderStatus, actor: Actor, moved: bool, code: str | None) -> EndReason:
    """The chosen code if there is a valid one, else what happened."""
    if code in EndReason._value2member_map_:
        return EndReason(code)
    return EndReason(_why(OrderStatus(status), Actor(actor), moved))


def _reason_radios(label, reasons):
    return ChoiceRadios(label, validators=[Optional()],
                        choices=[SelectChoice(r.value, r.label) for r in reasons],
                        message=_l("Select a reason from the list"))


class ProviderDecisionForm(DecisionForm):
    """The provider's accept or decline, with an optional reason code when declining."""

    reason_code = _reason_radios(_l("If you decline, why? (optional: this helps the council "
                                    "see where support is missing)"), DECLINE_REASONS)


class CancelWithReasonForm(CancelForm):
    reason_code = _reason_radios(_l("What is the main reason? (optional)"), CANCEL_REASONS)
