"""Small numbers in the outcomes report, hidden across its tables at once.

The outcomes report shows each outcome domain's results twice: for the whole
period (one row of the period grid) and broken down by the quarter (or month) of
each person's latest review (that domain's rows in the table over time). Each
person is in exactly one quarter, so a domain's quarters add up to its period row,
column by column, and in every row better + same + worse = people reviewed. Taken
together a domain is one grid with a row-total column and a total row: its
quarters are the rows and the period row is the total row.

Suppressing the two tables one at a time would miss those sums (a figure hidden in
one quarter could be had as the period's figure minus the other quarters). So each
domain's grid is suppressed as one table by ``aggregates.suppress_table`` (figures
about 1-4 people, then enough others that none can be worked out from the rows,
the columns and the totals), and both report tables then show exactly that
pattern (``PresetTable``) instead of suppressing themselves separately. Different
domains share no sums (no figure adds domains up), so they are independent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.reports.aggregates import suppress_table
from marketplace.reports.tables import Column, Kind, Row, Table

FIGURES = 4  # better, same, worse, people reviewed (the row total)


def suppress_domain(period: list[int], quarters: list[list[int]]):
    """(hidden flags of the period's figures, hidden flags of each quarter's), for
    one domain: ``period`` and each quarter are [better, same, worse, people]."""
    grid = Table("domain", "", _columns(), [_row(figures) for figures in quarters],
                 total=_row(period), row_total_column=True)
    hidden, total_hidden = suppress_table(grid)
    return total_hidden[1:], [flags[1:] for flags in hidden]


def _columns() -> list[Column]:
    return [Column("label", "", Kind.TEXT)] + [Column(f"f{i}", "") for i in range(FIGURES)]


def _row(figures: list[int]) -> Row:
    return Row(["", *figures], cell_people=[None, *figures])


@dataclass
class PresetTable(Table):
    """A table whose hidden cells were worked out with other tables (``preset``:
    one list of booleans per row, as ``Table.hidden``), not on its own."""

    preset: list[list[bool]] = field(default_factory=list)

    def apply_suppression(self) -> None:
        self.hidden = [list(flags) for flags in self.preset]
        self.total_hidden = []
