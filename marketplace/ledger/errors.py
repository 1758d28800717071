"""Domain errors of the ledger. ``message`` is a (lazy, translatable) sentence that says
what went wrong and what to do; views show it as it is."""

from __future__ import annotations


class LedgerError(Exception):
    """A movement was refused; nothing was posted."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class InsufficientFunds(LedgerError):
    """There is not enough money available for the movement."""


class PostedEntryError(LedgerError):
    """Something tried to change or delete a posted ledger row."""
