"""Small-number suppression: no figure about 1–4 people is shown, and no hidden
figure can be worked out from the figures and totals that are shown.

The attacker here is independent of the suppression code: it enumerates every
assignment of whole numbers (at least 1, as zeros are always shown) to the hidden
cells that agrees with every shown total, and reports a hidden cell that has the
same value in all of them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from marketplace.reports.aggregates import suppress, suppress_table
from marketplace.reports.tables import Column, Kind, Report, Row, Table, table_csv

SMALL = range(1, 5)


def grid_table(grid: list[list[int]]) -> Table:
    """A grid of counts of people with row totals and a total row."""
    width = len(grid[0])
    columns = [Column("label", "Label", Kind.TEXT)] + [
        Column(f"c{i}", f"C{i}") for i in range(width)] + [Column("total", "Total")]
    rows = [Row([f"r{r}", *cells, sum(cells)], cell_people=[None, *cells, sum(cells)])
            for r, cells in enumerate(grid)]
    sums = [sum(row[c] for row in grid) for c in range(width)]
    total = Row(["Total", *sums, sum(sums)], cell_people=[None, *sums, sum(sums)])
    return Table("grid", "Grid", columns, rows, total=total, row_total_column=True)


def recovered(grid, hidden, total_hidden):
    """(cell, value) of a hidden figure that every consistent grid agrees on.

    For each hidden cell, the smallest and largest value it can take given every
    shown figure and total, by linear programming. The constraints (row and column
    sums) form a network matrix, which is totally unimodular, so these bounds are
    the exact bounds over whole numbers too: equal bounds mean a figure given away."""
    height, width = len(grid), len(grid[0])
    full = [row + [sum(row)] for row in grid] + [
        [sum(row[c] for row in grid) for c in range(width)] + [sum(map(sum, grid))]]
    is_hidden = [[hidden[r][c + 1] for c in range(width + 1)] for r in range(height)]
    is_hidden.append([total_hidden[c + 1] for c in range(width + 1)])
    unknown = [(r, c) for r in range(height + 1) for c in range(width + 1) if is_hidden[r][c]]
    if not unknown:
        return None
    index = {cell: i for i, cell in enumerate(unknown)}
    equations, targets = [], []

    def add(cells, total_cell):
        """sum(cells) - total_cell = 0, moving known figures to the right-hand side."""
        coefficients, rhs = [0.0] * len(unknown), 0.0
        for cell, sign in [(cell, 1) for cell in cells] + [(total_cell, -1)]:
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                rhs -= sign * full[cell[0]][cell[1]]
        if any(coefficients):
            equations.append(coefficients)
            targets.append(rhs)

    for r in range(height + 1):
        add([(r, c) for c in range(width)], (r, width))
    for c in range(width + 1):
        add([(r, c) for r in range(height)], (height, c))
    bounds = [(1, None)] * len(unknown)
    for cell, i in index.items():
        objective = [0.0] * len(unknown)
        objective[i] = 1.0
        low = linprog(objective, A_eq=equations or None, b_eq=targets or None, bounds=bounds)
        objective[i] = -1.0
        high = linprog(objective, A_eq=equations or None, b_eq=targets or None, bounds=bounds)
        assert low.status == 0, "the shown figures must be consistent"
        if high.status == 0 and abs(low.fun + high.fun) < 1e-6:
            return cell, round(low.fun)
    return None


def check(grid):
    table = grid_table(grid)
    Report("t", "T", "", [table])
    for r, (_row, cells) in enumerate(table.shown()):
        for column, value, gone in cells:
            if column.numeric and not gone:
                assert value not in SMALL, (grid, r, column.key)
    for column, value, gone in table.shown_total():
        if column.numeric and not gone:
            assert value not in SMALL
    assert recovered(grid, table.hidden, table.total_hidden) is None, (
        grid, table.hidden, table.total_hidden)
    return table


def test_a_lone_small_cell_takes_a_second_cell_with_it():
    table = check([[3, 10], [8, 12]])
    assert table.hidden[0][1] and table.hidden[0][2]  # 3 and its row partner 10
    assert table.hidden[1][1] or table.total_hidden[1]  # and its column is protected


def test_two_small_cells_that_add_up_to_two_are_not_left_as_ones():
    # Row 0: 1 and 1 hidden, total 2 shown would pin both to 1.
    table = check([[1, 1, 9], [6, 7, 8], [5, 9, 7]])
    assert table.any_hidden


def test_zero_is_shown_and_never_hidden_to_protect_another():
    table = check([[0, 2, 11], [9, 0, 6], [7, 8, 5]])
    assert table.shown()[0][1][1] == (table.columns[1], 0, False)


def test_a_table_with_no_small_figures_hides_nothing():
    table = check([[6, 7], [8, 9]])
    assert not table.any_hidden


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5).flatmap(lambda h: st.integers(2, 4).flatmap(
    lambda w: st.lists(st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8]), min_size=w,
                                max_size=w), min_size=h, max_size=h))))
def test_no_hidden_figure_can_be_worked_out_from_any_grid(grid):
    check(grid)


def test_row_level_money_is_hidden_with_its_people_and_protected_by_the_total():
    columns = [Column("provider", "Provider", Kind.TEXT), Column("people", "People"),
               Column("spend", "Spend", Kind.PENCE)]
    rows = [Row(["A", 3, 90_000], people=3), Row(["B", 12, 400_000], people=12),
            Row(["C", 7, 150_000], people=7)]
    table = Table("spend", "Spend", columns, rows,
                  total=Row(["Total", 22, 640_000], people=22))
    Report("t", "T", "", [table])
    shown = {cells[0][1]: [v for _c, v, _g in cells[1:]] for _r, cells in table.shown()}
    assert shown["A"] == [None, None]
    assert shown["C"] == [None, None]  # the smallest other row, so A cannot be subtracted
    assert shown["B"] == [12, 400_000]
    csv_text = table_csv(table)
    assert "90.00" not in csv_text and "1500.00" not in csv_text
    assert "fewer than 5" in csv_text and "4000.00" in csv_text


def test_the_simple_list_rule_still_hides_a_second_count():
    assert suppress([("a", 3), ("b", 9), ("c", 20)]) == [("a", None), ("b", None), ("c", 20)]
    assert suppress_table(grid_table([[6, 6], [6, 6]]))[1] == [False] * 4
