"""What a report is made of: headline figures and tables, each table with the
number of people behind every row (or cell), so small numbers can be hidden the
same way everywhere before anything is shown, charted, exported or printed.

A builder fills a ``Table`` with true figures and calls nothing else: ``Report``
applies the small-number rules (``marketplace.reports.aggregates``) once, when it
is made, and from then on only the suppressed figures exist outside the builder.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from enum import StrEnum

from marketplace.reports.aggregates import suppress_table


class Kind(StrEnum):
    """How a column's values are shown (and charted, and exported)."""

    TEXT = "text"        # a label: never hidden
    COUNT = "count"      # a whole number
    PENCE = "pence"      # money, shown in pounds
    PERCENT = "percent"  # a share, 0–100, one decimal place
    NUMBER = "number"    # any other figure (days, stars), one decimal place


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.COUNT

    @property
    def numeric(self) -> bool:
        return self.kind is not Kind.TEXT


@dataclass
class Row:
    """One row: its values in column order (labels included), and how many people
    its figures are about: ``people`` for the whole row, or ``cell_people`` for
    each cell (a grid of counts, where every cell is about different people).
    ``None`` means the row is not about people (e.g. published services)."""

    values: list
    people: int | None = None
    cell_people: list[int | None] | None = None
    shade: list[int | None] | None = None  # 0–4 per cell, for shaded grids


@dataclass
class Table:
    key: str                      # stable, used in the CSV download's address
    caption: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None      # shown below the rows; its figures are true totals
    row_total_column: bool = False  # the last column is each row's total (grids)
    description: str = ""
    chart: str | None = None      # "bar" (first numeric column) or "months"
    chart_column: str | None = None  # which column to chart, when not the first
    hidden: list[list[bool]] = field(default_factory=list)
    total_hidden: list[bool] = field(default_factory=list)

    def apply_suppression(self) -> None:
        self.hidden, self.total_hidden = suppress_table(self)

    def shown(self) -> list[tuple[Row, list[tuple[Column, object, bool]]]]:
        """Each row as (row, [(column, value or None, hidden)])."""
        return [(row, self._cells(row.values, self.hidden[i] if self.hidden else None))
                for i, row in enumerate(self.rows)]

    def shown_total(self) -> list[tuple[Column, object, bool]] | None:
        if self.total is None:
            return None
        return self._cells(self.total.values, self.total_hidden or None)

    def _cells(self, values: list, hidden: list[bool] | None):
        out = []
        for index, column in enumerate(self.columns):
            gone = bool(hidden and hidden[index])
            out.append((column, None if gone else values[index], gone))
        return out

    @property
    def any_hidden(self) -> bool:
        return any(any(r) for r in self.hidden) or any(self.total_hidden)


@dataclass(frozen=True)
class Headline:
    label: str
    value: object            # None when hidden
    kind: Kind = Kind.COUNT
    hint: str = ""


@dataclass
class Report:
    slug: str
    title: str
    intro: str
    tables: list[Table]
    headlines: list[Headline] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for table in self.tables:
            table.apply_suppression()

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


HIDDEN_TEXT = "fewer than 5"  # the CSV's word for a hidden figure (English, as columns are)


def _plain(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind is Kind.PENCE:
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"
    if column.kind in (Kind.PERCENT, Kind.NUMBER):
        return f"{value:.1f}"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_csv(table: Table) -> str:
    """The table as CSV with the same (suppressed) figures as the page."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label + (" (£)" if c.kind is Kind.PENCE else "") for c in table.columns])
    lines = [cells for _row, cells in table.shown()]
    total = table.shown_total()
    if total is not None:
        lines.append(total)
    for cells in lines:
        writer.writerow([HIDDEN_TEXT if gone else _plain(column, value)
                         for column, value, gone in cells])
    return out.getvalue()
