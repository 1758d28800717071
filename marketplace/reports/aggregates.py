"""Small-number suppression for figures shown to commissioners (pure)."""

from __future__ import annotations

SUPPRESSION_THRESHOLD = 5


def suppress(rows: list[tuple[object, int]], threshold: int = SUPPRESSION_THRESHOLD):
    """Return rows as (label, count or None); None means 'fewer than 5'.

    A zero is a true zero and is shown. When exactly one cell is suppressed and the
    total is shown elsewhere, the next-smallest cell is hidden too, so the hidden
    figure cannot be worked out by subtraction (secondary suppression).
    """
    out = [(label, None if 0 < count < threshold else count) for label, count in rows]
    hidden = [i for i, (_l, v) in enumerate(out) if v is None]
    if len(hidden) == 1 and len(out) > 1:
        candidates = [(count, i) for i, (_l, count) in enumerate(rows)
                      if i not in hidden and count > 0]
        if candidates:
            _count, index = min(candidates)
            out[index] = (out[index][0], None)
    return out
