"""One module per report; importing this package registers them all."""

from marketplace.reports.builders import gaps, spend  # noqa: F401
