"""The market-gaps report (issue 9, item 1): demand against supply by category of
support and postcode district, for one council and period.

Demand: searches (and which found nothing, or led to no order), the words of
searches that found little, languages asked for, outcomes in agreed support plans
that no order serves, and orders that were declined, not answered or cancelled.
Supply: published services, the providers covering each district, their stated
capacity and languages, prices against the council's rates, and ratings.

``data`` reads the raw rows (a few grouped queries, no per-row queries), ``score``
turns them into gap cells and a ranked list (pure), ``demand_tables`` and
``supply_tables`` make the report's tables and ``evidence`` the words for each gap.
The builder registered as "market-gaps" is ``marketplace.reports.builders.gaps``.
"""
