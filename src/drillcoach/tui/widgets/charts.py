"""Small charts: the report's bar of mastered and started drills in colour, and data that
makes Textual's Sparkline draw on a fixed scale."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from textual.content import Content

from drillcoach.progress.charts import bar

# the glyphs of progress/charts.py's bar, each in a colour of its own
BAR_COLOURS = {"█": "$success", "▒": "$primary", "░": "$foreground 30%", "·": "$foreground 30%"}
BAR_LEGEND = Content.assemble(
    ("█", BAR_COLOURS["█"]),
    " mastered  ",
    ("▒", BAR_COLOURS["▒"]),
    " started  ",
    ("░", BAR_COLOURS["░"]),
    " not started",
)


def coloured(text: str, colours: dict[str, str]) -> Content:
    """``text`` with each character in its colour from ``colours`` (others plain): the
    report's text charts, in colour on the screen, their glyphs kept for a terminal
    without colour."""
    runs = ("".join(run) for _, run in groupby(text))
    return Content.assemble(*((run, colours.get(run[0], "")) for run in runs))


def progress_bar(mastered: int, started: int, total: int, width: int) -> Content:
    """The report's bar of mastered, started and not started drills, in colour."""
    return coloured(bar(mastered, started, total, width), BAR_COLOURS)


def last(values: Sequence[float]) -> float:
    """A Sparkline summary function: the last sample of a column."""
    return values[-1]


def fixed_scale(values: Sequence[float], low: float, high: float, columns: int = 1) -> list[float]:
    """Sparkline data drawing each value over ``columns`` columns on a scale from ``low``
    to ``high``, for a Sparkline ``len(values) * columns`` wide summarised with ``last``.

    Textual's Sparkline scales between the least and the greatest of its data, so a week
    of 3 days would show as empty when 3 is the least. Here every column is two samples,
    its value last (the one ``last`` draws); the first samples of the first two columns
    carry ``low`` and ``high``, fixing the scale without being drawn."""
    data: list[float] = []
    for value in values:
        for _ in range(columns):
            data += [value, value]
    if data:
        data[0] = low
    if len(data) >= 4:
        data[2] = high
    return data
