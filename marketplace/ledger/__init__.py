"""The budget ledger: append-only double entry in integer pence (see models and services)."""
