"""One module per report; importing this package registers them all."""

from marketplace.reports.builders import gaps, outcomes, spend, uptake  # noqa: F401
