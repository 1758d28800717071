"""Bar charts for report tables, computed here and drawn as SVG by
templates/reports/_chart.html (no JavaScript). A chart only ever shows what its
table shows: hidden figures have no bar, and the table follows the chart."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.reports.tables import Column, Kind, Table

MAX_BARS = 24
BAR, GAP, LABEL_W, VALUE_W, WIDTH = 22, 8, 260, 110, 720


@dataclass(frozen=True)
class Bar:
    label: str
    value: object      # None when hidden
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    title: str
    column: Column
    bars: list[Bar]
    width: int
    height: int
    left: int
    truncated: int     # rows left out (the table has them all)


def _label(cells) -> str:
    return " – ".join(str(v) for c, v, _gone in cells if c.kind is Kind.TEXT and v is not None)


def chart_for(table: Table) -> BarChart | None:
    column = next((c for c in table.columns
                   if (table.chart_column and c.key == table.chart_column)
                   or (not table.chart_column and c.numeric)), None)
    if column is None:
        return None
    index = table.columns.index(column)
    lines = table.shown()[:MAX_BARS]
    values = [cells[index][1] for _row, cells in lines]
    top = max([abs(v) for v in values if v is not None] or [0]) or 1
    room = WIDTH - LABEL_W - VALUE_W
    bars = [Bar(_label(cells), cells[index][1], 10 + i * (BAR + GAP),
                0 if cells[index][1] is None else max(1.0, room * abs(cells[index][1]) / top))
            for i, (_row, cells) in enumerate(lines)]
    return BarChart(title=table.caption, column=column, bars=bars, width=WIDTH,
                    height=20 + len(bars) * (BAR + GAP), left=LABEL_W,
                    truncated=max(0, len(table.rows) - MAX_BARS))
