"""Numbers and small charts in text, for reports and anything else that prints a
progress summary: one way to write a figure, sparklines, the calendar heatmap, bars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

BAR = 20
SPARKS = "▁▂▃▄▅▆▇█"
HEAT = "·░▒▓█"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Kind = Literal["count", "share", "mean", "gap", "change"]
ARROWS = {"up": "↑", "down": "↓", "steady": "→"}  # a trend's direction (progress/model.py)


def figure(value: float | None, kind: Kind = "count") -> str:
    """Every number the text and Markdown show: '12' (a count), '87%' (a share of 1),
    '3.2' (a mean rating), '+0.8' (a gap), '+20%' (a change in percent); '-' for none."""
    if value is None:
        return "-"
    if kind == "share":
        return f"{value:.0%}"
    if kind == "mean":
        return f"{value:.1f}"
    if kind == "gap":
        return f"{value:+.1f}"
    if kind == "change":
        return f"{value:+.0f}%"
    return f"{value:.0f}"


def arrow(direction: str | None) -> str:
    """'↑', '↓' or '→' for a trend's direction; '' when there is nothing to compare."""
    return ARROWS[direction] if direction is not None else ""


def sparkline(values: Sequence[float], top: float, bottom: float = 0) -> str:
    """One block a value, from ▁ at ``bottom`` (or below) to █ at ``top`` (or above)."""
    span = (top - bottom) or 1
    last = len(SPARKS) - 1
    return "".join(SPARKS[min(max(round((v - bottom) / span * last), 0), last)] for v in values)


def heat(drills: int, most: int) -> str:
    """The shade of a day in the calendar: · for none, then ░ ▒ ▓ █ by quarters of the
    busiest day shown (as the Progress screen's heatmap shades them)."""
    levels = len(HEAT) - 1
    if drills <= 0 or most <= 0:
        return HEAT[0]
    return HEAT[min(levels, -(-drills * levels // most))]


def heat_legend(most: int) -> str:
    """'· 0  ░ 1-3  ▒ 4-6  ▓ 7-9  █ 10-12' for a busiest day of 12."""
    levels = len(HEAT) - 1
    parts = [f"{HEAT[0]} 0"]
    for shade in range(1, levels + 1):
        low, high = most * (shade - 1) // levels + 1, most * shade // levels
        if low <= high:
            parts.append(f"{HEAT[shade]} {low}" + (f"-{high}" if high > low else ""))
    return "  ".join(parts)


def month_starts(mondays: Sequence[date], first: date | None = None) -> list[tuple[int, str]]:
    """(column, short month name) over each week column whose Monday starts a month, and
    over the first column (the month of ``first``, its first day, when given) unless the
    next name starts right after it: then the later, a whole month, wins."""
    starts = [
        (column, f"{max(monday, first) if first and not column else monday:%b}")
        for column, monday in enumerate(mondays)
        if not column or monday.day <= 7
    ]
    if len(starts) > 1 and starts[1][0] - starts[0][0] < 2:
        del starts[0]
    return starts


def heatmap(calendar: Sequence[tuple[date, int]]) -> list[str]:
    """The calendar a column a week, Monday on top, each day shaded by the drills rated
    (``heat``), under a row of month names and above a legend: 9 lines, none for an
    empty calendar."""
    if not calendar:
        return []
    drills = dict(calendar)
    most = max(drills.values())
    first, last = calendar[0][0], calendar[-1][0]
    monday = first - timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    mondays = [monday + timedelta(weeks=week) for week in range(weeks)]
    months = [" "] * (2 * weeks + 2)
    for column, month in month_starts(mondays, first):
        months[2 * column : 2 * column + 3] = month
    lines = ["     " + "".join(months).rstrip()]
    for weekday, name in enumerate(WEEKDAYS):
        cells = []
        for week in range(weeks):
            day = monday + timedelta(days=7 * week + weekday)
            cells.append(heat(drills[day], most) if day in drills else " ")
        lines.append(f"{name}  {' '.join(cells)}".rstrip())
    lines.append(f"     {heat_legend(most)} drills a day")
    return lines


def bar(mastered: int, started: int, total: int, width: int = BAR) -> str:
    """'████▒▒▒▒░░░░': mastered, started but not mastered, not started, of ``total``; a
    cell for any, every cell only for all (as the Progress screen draws its bars)."""
    if total <= 0:
        return "·" * width
    done = _cells(mastered, total, width)
    begun = max(done, _cells(started, total, width))
    return "█" * done + "▒" * (begun - done) + "░" * (width - begun)


def _cells(count: int, total: int, width: int) -> int:
    if count <= 0:
        return 0
    if count >= total:
        return width
    return min(width - 1, max(1, round(width * count / total)))
