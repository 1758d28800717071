"""The two gap tables: the category × area grid of people with unmet need, shaded
by gap score, and the ranked list of the largest gaps with their evidence."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.reports.gaps.common import MAX_GAPS
from marketplace.reports.gaps.evidence import evidence, language_name
from marketplace.reports.gaps.score import OTHER, SHADE_STEPS, Cell, Gaps
from marketplace.reports.tables import Column, Kind, Row, Table


def grid(found: Gaps, other_column: bool) -> Table:
    """Rows: categories with any need or supply; columns: the areas, people whose
    area is not known (or not one of the council's), then all areas. Each person
    counts once in a row, so each row adds up to its "all areas"; a person with
    unmet need in several categories counts in each. Cells are shaded 0–4."""
    groups = sorted({g for g, _d, language in found.cells if language is None},
                    key=found.grouping.name)
    places = [*found.districts, *([OTHER] if other_column else []), None]
    columns = [Column("category", str(_l("Category")), Kind.TEXT)]
    columns += [Column(f"area_{d}", d or str(_l("Other or not known"))) for d in places[:-1]]
    columns.append(Column("all", str(_l("All areas"))))
    rows = []
    for group in groups:
        cells = [found.get(group, d) for d in places]
        counts = [len(c.people) for c in cells]
        rows.append(Row([found.grouping.name(group), *counts], cell_people=[None, *counts],
                        shade=[None, *(None if c.district == OTHER else c.shade
                                       for c in cells)]))
    low, middle, high = SHADE_STEPS
    return Table(
        "grid", str(_l("People with unmet need, by category and area")), columns, rows,
        row_total_column=True,
        description=str(_l(
            "Each figure is the number of different people with unmet need, each counted "
            "once in a category, in the area where most of their unmet need was. The "
            "shading shows the gap score: none (no unmet need), light (below %(low)s), "
            "then up to %(middle)s, up to %(high)s, and darkest (%(high)s or more).",
            low=f"{low:g}", middle=f"{middle:g}", high=f"{high:g}")))


def _grid_check(grid_table: Table, grouping):
    """A function telling whether a cell's figure is shown in the grid."""
    shown = {}
    keys = [c.key for c in grid_table.columns]
    for row, cells in grid_table.shown():
        for (_column, _value, gone), key in zip(cells, keys, strict=True):
            shown[(row.values[0], key)] = not gone

    def check(cell: Cell) -> bool:
        key = "all" if cell.district is None else f"area_{cell.district}"
        return shown.get((grouping.name(cell.group), key), False)

    return check


def ranked(found: Gaps, all_areas: bool, grid_table: Table, tables: dict[str, Table]
           ) -> Table:
    """The largest gaps (about 5 or more people each), largest score first. A gap
    whose figure the grid hides (to protect a small number) is left out."""
    in_grid = _grid_check(grid_table, found.grouping)
    rows = []
    for cell in found.ranked(all_areas):
        if cell.language is None and not in_grid(cell):
            continue
        if len(rows) == MAX_GAPS:
            break
        people = len(cell.people)
        rows.append(Row([
            str(len(rows) + 1), found.grouping.name(cell.group),
            cell.district or str(_l("All areas")), language_name(cell.language) or None,
            people, len(cell.providers), round(cell.score, 1),
            evidence(cell, found, tables, in_grid)], people=people))
    return Table(
        "ranked", str(_l("The largest gaps")),
        [Column("rank", str(_l("Rank")), Kind.TEXT),
         Column("category", str(_l("Category")), Kind.TEXT),
         Column("area", str(_l("Area")), Kind.TEXT),
         Column("language", str(_l("Language asked for")), Kind.TEXT),
         Column("people", str(_l("People with unmet need"))),
         Column("providers", str(_l("Providers with room"))),
         Column("score", str(_l("Gap score")), Kind.NUMBER),
         Column("evidence", str(_l("Evidence")), Kind.TEXT)],
        rows)
