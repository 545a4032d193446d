"""Charts as inline SVG for the HTML report (report_html.py): the calendar heatmap, weekly
bars, the days ahead, calibration lines and mastery bars. Each draws values a summary
holds, writes every number with ``charts.figure`` and shades the calendar by
``charts.heat``, so a chart says what the text report says; any text from data is
escaped. Sizes are in CSS pixels at the width of an A4 page, which the page scales to."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

from drillcoach.dates import written
from drillcoach.progress.charts import HEAT, WEEKDAYS, figure, heat, heat_legend, month_starts
from drillcoach.progress.model import CalibrationPoint, Week
from drillcoach.text import plural

PAGE = 700  # a chart as wide as the page: the width of an A4 page's text, in CSS pixels
INK, MUTED, GRID = "#1f2328", "#57606a", "#d0d7de"
HEAT_COLOURS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")  # by HEAT's shades
BAR_COLOUR = "#3b76c4"
MASTERED, STARTED, NOT_STARTED = "#216e39", "#8fcf9f", "#e6ebe8"
SELF, MANAGER = "#0969da", "#bc4c00"  # blue and orange: apart for colour-blind eyes too
SCALE = ((1, "1 Again"), (2, "2 Hard"), (3, "3 Good"), (4, "4 Easy"))


def esc(text: str) -> str:
    """Text from data (a name, a title) as it may stand in HTML or SVG."""
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing '.0'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(width: float, height: float, label: str, body: Sequence[str], kind: str = "chart") -> str:
    """An ``<svg>`` of ``width`` by ``height`` that scales with the page (``kind`` chart)
    or keeps its size (``bar``), named ``label`` for a screen reader and on hover."""
    size = f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}"'
    return (
        f'<svg class="{kind}" {size} role="img" aria-label="{esc(label)}">'
        f"<title>{esc(label)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, words: str, cls: str = "", anchor: str = "start") -> str:
    style = f' class="{cls}"' if cls else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{style}>{esc(words)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> str:
    title = f"<title>{esc(tip)}</title>" if tip else ""
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}">'
        f"{title}</rect>"
        if title
        else f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"/>'
    )


def short_day(day: date) -> str:
    """'8 Dec': a week's or a day's label under a bar."""
    return written(day, "%~d %b")


# --- the calendar


CELL, GAP = 19, 4  # a day's square and the space between
DAY_LABEL = 40  # the weekday names' column


def heatmap_svg(calendar: Sequence[tuple[date, int]]) -> str:
    """The calendar a column a week, Monday on top, each day shaded by the drills rated
    (as ``charts.heatmap`` shades it), month names above, a legend below; '' for none."""
    if not calendar:
        return ""
    drills = dict(calendar)
    most = max(drills.values())
    first, last = calendar[0][0], calendar[-1][0]
    monday = first - timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    pitch = CELL + GAP
    top = 18
    body = [
        _text(DAY_LABEL + column * pitch, 12, month, "axis")
        for column, month in month_starts(
            [monday + timedelta(weeks=week) for week in range(weeks)], first
        )
    ]
    for weekday, name in enumerate(WEEKDAYS):
        body.append(_text(0, top + weekday * pitch + CELL - 5, name, "axis"))
        for week in range(weeks):
            day = monday + timedelta(days=7 * week + weekday)
            if day in drills:
                colour = HEAT_COLOURS[HEAT.index(heat(drills[day], most))]
                tip = f"{written(day, '%~d %b %Y')}: {plural(drills[day], 'drill')}"
                left, high = DAY_LABEL + week * pitch, top + weekday * pitch
                body.append(_rect(left, high, CELL, CELL, colour, tip))
    legend_y = top + 7 * pitch + 8
    x = float(DAY_LABEL)
    for part in heat_legend(most).split("  "):  # '· 0', '░ 1-3', ...: the text's legend
        shade, _, span = part.partition(" ")
        body.append(_rect(x, legend_y, 12, 12, HEAT_COLOURS[HEAT.index(shade)]))
        body.append(_text(x + 16, legend_y + 10.5, span, "axis"))
        x += 22 + 7 * len(span)
    body.append(_text(x + 4, legend_y + 10.5, "drills a day", "axis"))
    label = f"Calendar of the {plural(len(calendar), 'day')} to {last.day} {last:%b %Y}"
    return svg(max(PAGE, DAY_LABEL + weeks * pitch, x + 100), legend_y + 16, label, body)


# --- bars a week and a day


STRIP = 66  # a strip of the weekly chart: a value over a bar of at most BAR_HIGH
BAR_HIGH = 44
STRIP_LABEL = 112


def weeks_svg(weeks: Sequence[Week]) -> str:
    """Three strips over the same weeks, oldest first: days drilled (of 7), drills rated
    and minutes spent, each bar with its figure; the weeks' Mondays below; '' for none."""
    if not weeks:
        return ""
    slot = (PAGE - STRIP_LABEL) / len(weeks)
    strips = (
        ("Days drilled", "of 7", [week.days for week in weeks], 7),
        ("Drills", "rated", [week.drills for week in weeks], 0),
        ("Minutes", "answering", [week.minutes for week in weeks], 0),
    )
    body = []
    for row, (name, unit, values, top) in enumerate(strips):
        base = row * STRIP + STRIP - 8
        body.append(_text(0, base - 14, name, "name"))
        body.append(_text(0, base, unit, "axis"))
        body += _bars(values, top or max(values), STRIP_LABEL, base, slot, BAR_COLOUR)
    for column, week in enumerate(weeks):
        x = STRIP_LABEL + column * slot + slot / 2
        body.append(_text(x, 3 * STRIP + 8, short_day(week.start), "axis", "middle"))
    body.append(_text(0, 3 * STRIP + 8, "week of", "axis"))
    label = f"Days drilled, drills and minutes in each of the {plural(len(weeks), 'week')}"
    return svg(PAGE, 3 * STRIP + 14, label, body)


def _bars(
    values: Sequence[int], top: float, left: float, base: float, slot: float, fill: str
) -> list[str]:
    """A bar a value standing on ``base``, its figure above it, in slots from ``left``."""
    top = top or 1
    width = min(slot * 0.62, 34)
    body = [f'<line x1="{_n(left)}" x2="{_n(left + slot * len(values))}" y1="{_n(base)}" '
            f'y2="{_n(base)}" stroke="{GRID}"/>']  # fmt: skip
    for column, value in enumerate(values):
        middle = left + column * slot + slot / 2
        high = BAR_HIGH * min(value, top) / top
        if value:
            body.append(_rect(middle - width / 2, base - high, width, high, fill))
        body.append(_text(middle, base - high - 3, figure(value), "value", "middle"))
    return body


def ahead_svg(due: Sequence[tuple[date, int]]) -> str:
    """A bar for the drills due on each day ahead, today first, the figure above each;
    the weekday and the day below ('' for no days)."""
    if not due:
        return ""
    slot = (PAGE - 8) / len(due)
    counts = [n for _, n in due]
    base = BAR_HIGH + 22
    body = _bars(counts, max(counts), 4, base, slot, BAR_COLOUR)
    for column, (day, _) in enumerate(due):
        x = 4 + column * slot + slot / 2
        named = short_day(day) if column == 0 or day.day == 1 else str(day.day)
        body.append(_text(x, base + 15, f"{day:%a}", "axis", "middle"))
        body.append(_text(x, base + 29, named, "axis", "middle"))
    label = f"Drills due on each of the next {plural(len(due), 'day')}"
    return svg(PAGE, base + 34, label, body)


# --- a skill's or a pack's progress; a share against its aim


def progress_svg(mastered: int, started: int, total: int, width: float = 150) -> str:
    """A bar of ``total`` drills: mastered, started but not mastered, not started (as
    ``charts.bar`` draws it in text), a sliver for any count that is not none."""
    label = f"{figure(mastered)} mastered, {figure(started)} started of {figure(total)}"

    def part(count: int) -> float:
        return 0.0 if count <= 0 or total <= 0 else max(3.0, width * min(count, total) / total)

    body = [_rect(0, 0, width, 12, NOT_STARTED)]
    if part(started):
        body.append(_rect(0, 0, part(started), 12, STARTED))
    if part(mastered):
        body.append(_rect(0, 0, part(mastered), 12, MASTERED))
    return svg(width, 12, label, body, "bar")


def share_svg(share: float | None, aim: float, label: str) -> str:
    """A bar from 0 to 100% filled to ``share``, a mark at ``aim`` (retention: the true
    one against the one asked for)."""
    left, width = 4, PAGE - 8
    body = [_rect(left, 16, width, 14, NOT_STARTED)]
    if share is not None:
        body.append(_rect(left, 16, width * share, 14, MASTERED))
    x = left + width * aim
    body.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="10" y2="36" stroke="{INK}" '
                'stroke-width="2"/>')  # fmt: skip
    body.append(_text(x, 8, f"desired {figure(aim, 'share')}", "axis", "middle"))
    body.append(_text(left, 48, "0%", "axis"))
    body.append(_text(left + width, 48, "100%", "axis", "end"))
    return svg(PAGE, 52, label, body)


# --- calibration


CAL_WIDTH, CAL_HEIGHT = 320, 168
CAL_LEFT, CAL_TOP, CAL_BOTTOM = 58, 26, 134  # the plot: from 4 at the top to 1 at the bottom


def calibration_svg(points: Sequence[CalibrationPoint], title: str) -> str:
    """The rep's weekly mean beside the manager's, on the 1 to 4 scale, oldest week first:
    a line each (the manager's dashed), a mark on every week."""
    slot = (CAL_WIDTH - CAL_LEFT - 8) / max(len(points), 1)

    def y(mean: float) -> float:
        return CAL_BOTTOM - (min(max(mean, 1), 4) - 1) / 3 * (CAL_BOTTOM - CAL_TOP)

    body = []
    for value, name in SCALE:
        body.append(f'<line x1="{CAL_LEFT}" x2="{CAL_WIDTH - 4}" y1="{_n(y(value))}" '
                    f'y2="{_n(y(value))}" stroke="{GRID}"/>')  # fmt: skip
        body.append(_text(CAL_LEFT - 6, y(value) + 4, name, "axis", "end"))
    xs = [CAL_LEFT + slot * column + slot / 2 for column in range(len(points))]
    for means, colour, dash in (
        ([point.self_mean for point in points], SELF, ""),
        ([point.manager_mean for point in points], MANAGER, ' stroke-dasharray="5 3"'),
    ):
        line = " ".join(f"{_n(x)},{_n(y(mean))}" for x, mean in zip(xs, means, strict=True))
        if len(points) > 1:
            body.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                        f'stroke-width="2"{dash}/>')  # fmt: skip
        for x, mean in zip(xs, means, strict=True):
            body.append(f'<circle cx="{_n(x)}" cy="{_n(y(mean))}" r="4" fill="{colour}">'
                        f"<title>{figure(mean, 'mean')}</title></circle>")  # fmt: skip
    step = max(1, -(-len(points) // 6))  # at most six weeks named under the axis
    for column, point in enumerate(points):
        if column % step == 0:
            body.append(_text(xs[column], CAL_BOTTOM + 16, short_day(point.week), "axis", "middle"))
    legend = CAL_HEIGHT - 6
    body.append(f'<circle cx="{CAL_LEFT + 4}" cy="{legend - 4}" r="4" fill="{SELF}"/>')
    body.append(_text(CAL_LEFT + 12, legend, "self", "axis"))
    body.append(f'<line x1="{CAL_LEFT + 50}" x2="{CAL_LEFT + 68}" y1="{legend - 4}" '
                f'y2="{legend - 4}" stroke="{MANAGER}" stroke-width="2" '
                'stroke-dasharray="5 3"/>')  # fmt: skip
    body.append(_text(CAL_LEFT + 72, legend, "manager", "axis"))
    label = f"{title}: self vs manager by week, 1 Again to 4 Easy"
    return svg(CAL_WIDTH, CAL_HEIGHT, label, body)
