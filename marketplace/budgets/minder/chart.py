"""The spending chart's geometry, computed here and drawn as SVG by a template
(templates/minder/_chart.html), so the page needs no JavaScript. The same figures
are shown in a table next to it."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.budgets.minder.projections import Month

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 20, 50
TICKS = 5


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    actual: list[Point]
    projected: list[Point]
    allocation_y: float
    y_ticks: list[tuple[float, int]]  # (y, pence)
    x_labels: list[tuple[float, object]]  # (x, first day of the month)
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int

    @staticmethod
    def path(points: list[Point]) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}"
                        for i, p in enumerate(points))


def _nice_step(top: int) -> int:
    """A round step in pence (£1, £2, £5 × a power of ten) giving about TICKS ticks."""
    raw = max(top // TICKS, 100)
    step = 100
    while True:
        for factor in (1, 2, 5):
            if step * factor >= raw:
                return step * factor
        step *= 10


def build_chart(months: list[Month], allocation_pence: int, today) -> Chart:
    values = [allocation_pence] + [m.cumulative_pence or 0 for m in months] + [
        m.projected_cumulative_pence or 0 for m in months]
    step = _nice_step(max(max(values), 100))
    top = step * (max(values) // step + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(months), 1)

    def x(i: int) -> float:  # the end of month i
        return LEFT + plot_w * (i + 1) / count

    def y(pence: int) -> float:
        return TOP + plot_h * (1 - pence / top)

    def x_on(i: int, m: Month) -> float:  # today's place within the current month
        if m.ends_on <= today:
            return x(i)
        share = ((today - m.starts_on).days + 1) / ((m.ends_on - m.starts_on).days + 1)
        return LEFT + plot_w * (i + share) / count

    actual = [Point(LEFT, y(0))] + [Point(x_on(i, m), y(m.cumulative_pence))
                                    for i, m in enumerate(months)
                                    if m.cumulative_pence is not None]
    projected = []
    for i, m in enumerate(months):
        if m.projected_cumulative_pence is not None:
            if not projected and actual:
                projected.append(actual[-1])
            projected.append(Point(x(i), y(m.projected_cumulative_pence)))
    ticks = [(y(v), v) for v in range(0, top + 1, step)]
    labels = [(LEFT + plot_w * (i + 0.5) / count, m.starts_on) for i, m in enumerate(months)]
    return Chart(WIDTH, HEIGHT, actual, projected, y(allocation_pence), ticks, labels,
                 LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM)
