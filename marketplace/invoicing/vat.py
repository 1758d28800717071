"""VAT on a line: pure functions.

Prices on the marketplace are what the buyer pays, VAT included (consumer prices in
the UK must show VAT), so a line's VAT is the VAT fraction of its gross amount and
the net is the rest; an exempt or zero-rated line has no VAT. Most care and support
is exempt (welfare services by regulated or charitable providers). A service's own
rate (``ServiceVatRate``) wins; without one, the category decides: equipment and
technology, gardening and handyperson work are standard-rated, meals zero-rated,
everything else exempt.
"""

from __future__ import annotations

from decimal import Decimal

from catalogue.taxonomy import CATEGORIES
from marketplace.invoicing.enums import VatRate
from marketplace.money import round_pence

STANDARD_CATEGORIES = frozenset({"equipment-and-technology", "gardening-and-handyperson"})
ZERO_CATEGORIES = frozenset({"meals"})


def default_rate(category: str | None) -> VatRate:
    if not category:
        return VatRate.EXEMPT
    top = category
    entry = CATEGORIES.get(category)
    if entry is not None and entry.parent:
        top = entry.parent
    if top in STANDARD_CATEGORIES:
        return VatRate.STANDARD
    if top in ZERO_CATEGORIES:
        return VatRate.ZERO
    return VatRate.EXEMPT


def split_gross(gross_pence: int, rate: VatRate) -> tuple[int, int]:
    """(net, vat) of a VAT-inclusive amount, to the penny, net + vat == gross."""
    if rate is not VatRate.STANDARD or gross_pence == 0:
        return gross_pence, 0
    vat = round_pence(Decimal(gross_pence) * rate.percent / (100 + rate.percent))
    return gross_pence - vat, vat
