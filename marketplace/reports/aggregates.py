"""Small-number suppression for figures shown to commissioners (pure).

Primary suppression hides any figure about 1–4 people ("fewer than 5"); a true zero
is shown. Secondary suppression then hides more figures wherever a shown total
would let a hidden one be worked out by subtraction: in any line (a column with a
total row, or a grid row with a row-total column) where exactly one figure is
hidden, the smallest other non-zero figure is hidden too, or, when there is none,
the total itself. This repeats until no line gives a hidden figure away.
"""

from __future__ import annotations

SUPPRESSION_THRESHOLD = 5


def small(people: int | None, threshold: int = SUPPRESSION_THRESHOLD) -> bool:
    """True for a figure about 1 to threshold-1 people."""
    return people is not None and 0 < people < threshold


def suppress(rows: list[tuple[object, int]], threshold: int = SUPPRESSION_THRESHOLD):
    """Return rows as (label, count or None); None means 'fewer than 5'.

    For a simple list of counts of people whose total is shown elsewhere: when
    exactly one cell is suppressed, the next-smallest cell is hidden too."""
    out = [(label, None if small(count, threshold) else count) for label, count in rows]
    hidden = [i for i, (_l, v) in enumerate(out) if v is None]
    if len(hidden) == 1 and len(out) > 1:
        candidates = [(count, i) for i, (_l, count) in enumerate(rows)
                      if i not in hidden and count > 0]
        if candidates:
            _count, index = min(candidates)
            out[index] = (out[index][0], None)
    return out


def suppress_table(table, threshold: int = SUPPRESSION_THRESHOLD):
    """(hidden per row, hidden per total cell) for a ``tables.Table``.

    Text columns are never hidden. A row with ``people`` hides all its figures
    together; a row with ``cell_people`` is judged cell by cell. The table is seen
    as a grid whose last row is the total row (when there is one) and whose last
    numeric column is the row total (when ``row_total_column``); each column and
    each row then adds up to its total, and those sums are what an attacker uses."""
    numeric = [i for i, c in enumerate(table.columns) if c.numeric]
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    n_body = len(table.rows)
    hidden = [[False] * len(table.columns) for _ in rows]

    def weight(r: int, c: int) -> int:
        row = rows[r]
        return (row.cell_people[c] if row.cell_people is not None else row.people) or 0

    def hide(r: int, c: int) -> None:
        if rows[r].cell_people is None:  # a row's figures go together
            for i in numeric:
                hidden[r][i] = True
        else:
            hidden[r][c] = True

    for r in range(len(rows)):
        for c in numeric:
            if small(weight(r, c), threshold):
                hide(r, c)

    equations = []  # (parts, total): each a list of (row, column)
    if table.total is not None:
        equations += [([(r, c) for r in range(n_body)], (n_body, c)) for c in numeric]
    if table.row_total_column and len(numeric) > 1:
        equations += [([(r, c) for c in numeric[:-1]], (r, numeric[-1]))
                      for r in range(len(rows))]

    def protect(cells) -> bool:
        """Hide the smallest shown non-zero figure among ``cells``."""
        shown = [(weight(r, c), r, c) for r, c in cells
                 if not hidden[r][c] and weight(r, c) > 0]
        if not shown:
            return False
        _w, r, c = min(shown)
        hide(r, c)
        return True

    while True:
        lone = next((parts + [total] for parts, total in equations
                     if sum(hidden[r][c] for r, c in parts + [total]) == 1), None)
        if lone is not None and protect(lone):
            continue
        pinned = _pinned(equations, hidden, weight,
                         n_body if table.total is not None else None,
                         numeric[-1] if table.row_total_column and len(numeric) > 1 else None)
        if pinned is None:
            break
        touching = [cell for parts, total in equations if pinned in parts + [total]
                    for cell in parts + [total]]
        if not (protect(touching) or protect([(r, c) for r in range(len(rows))
                                              for c in numeric])):
            break  # everything is hidden already
    body = hidden[:n_body]
    total_hidden = hidden[n_body] if table.total is not None else [False] * len(table.columns)
    return body, total_hidden


def _pinned(equations, hidden, weight, total_r, total_c):
    """A hidden figure that can be worked out exactly from the shown ones, or None.

    The attacker knows every shown figure, that hidden ones are whole numbers of at
    least 1 (zeros are always shown), and that rows and columns add up to their
    totals. Those sums form a network: write each total with a minus sign and every
    row and column adds up to zero, so another table that fits the shown figures
    differs from the true one by moving 1 around a cycle of hidden cells (rows and
    columns as nodes, hidden cells as edges), up on one cell, down on the next. A
    hidden figure can be worked out exactly when no such cycle through it can move
    without taking some figure below 1: the search below looks for one in each
    direction. (Equivalent to linear programming on this network; the tests check
    it against scipy's.)"""
    cells = sorted({cell for parts, total in equations for cell in parts + [total]
                    if hidden[cell[0]][cell[1]]})
    if not cells:
        return None

    def nodes(cell):
        r, c = cell
        return (("r", r) if total_c is not None else "free"), (
            ("c", c) if total_r is not None else "free")

    def is_margin(cell) -> bool:
        return (cell[0] == total_r) != (cell[1] == total_c)

    def arcs(skip):
        """Directed arcs: a cell may go up (+1 in the signed table) row→column, or
        down column→row, when that keeps its figure at 1 or more."""
        out: dict = {}
        for cell in cells:
            if cell == skip:
                continue
            row, col = nodes(cell)
            margin, room = is_margin(cell), weight(*cell) >= 2
            if not margin or room:   # +1 in signed terms
                out.setdefault(row, []).append(col)
            if margin or room:       # -1 in signed terms
                out.setdefault(col, []).append(row)
        return out

    def reaches(graph, start, goal) -> bool:
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            for nxt in graph.get(node, []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    for cell in cells:
        row, col = nodes(cell)
        if row == col:  # on no sum at all (or only through a free node on both sides)
            continue
        graph = arcs(cell)
        margin, room = is_margin(cell), weight(*cell) >= 2
        up = (not margin or room) and reaches(graph, col, row)
        down = (margin or room) and reaches(graph, row, col)
        if not (up or down):
            return cell
    return None
