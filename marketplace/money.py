"""Money is integer pence. One parser, one formatter, one rounding rule."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_AMOUNT = re.compile(r"^£?\s*(\d{1,9}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$")


class MoneyError(ValueError):
    pass


def parse_pounds(text: str) -> int:
    """'£1,234.5' -> 123450. Raises MoneyError with a message a person can act on."""
    cleaned = (text or "").strip()
    match = _AMOUNT.match(cleaned)
    if not match:
        raise MoneyError("Enter an amount in pounds and pence, like 12.50")
    pounds = int(match.group(1).replace(",", ""))
    pence = int((match.group(2) or "0").ljust(2, "0"))
    return pounds * 100 + pence


def round_pence(value: Decimal) -> int:
    """Round a Decimal amount of pence to a whole penny, halves away from zero."""
    try:
        return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    except InvalidOperation as exc:
        raise MoneyError("not a number") from exc


def format_pence(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}£{pence // 100:,}.{pence % 100:02d}"
