"""Domain errors of invoicing. ``message`` is a (lazy, translatable) sentence to show."""

from __future__ import annotations


class InvoicingError(Exception):
    """The action was refused; nothing was changed."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
