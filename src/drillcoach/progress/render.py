"""A rep's progress summary (progress/model.py) as a report in one of five formats:
text for the terminal and Markdown for chat (report_text.py), CSV for spreadsheets and
versioned JSON, laid out as docs/report.md says, and a page of HTML to mail or print
(report_html.py). Each renders only what the summary holds; CSV is made from the JSON
values, so every format holds the same numbers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from drillcoach.progress.model import Ahead, Habit, RepSummary, Week
from drillcoach.progress.report_text import markdown_report, text_report

Format = Literal["text", "md", "csv", "json", "html"]
FORMATS: tuple[Format, ...] = ("text", "md", "csv", "json", "html")
SCHEMA = "drillcoach.report"


def render(summary: RepSummary, form: Format, since: date | None = None) -> str:
    """The report in one format, ending with a newline: the weeks, calendar days and
    calibration weeks from ``since`` (all the summary holds without it)."""
    from drillcoach.progress.report_html import html_report  # it reads this module's SCHEMA

    renderers: dict[Format, Callable[[RepSummary, date | None], str]] = {
        "text": text_report,
        "md": markdown_report,
        "csv": csv_report,
        "json": json_report,
        "html": html_report,
    }
    return renderers[form](limited(summary, since), since)


def limited(summary: RepSummary, since: date | None) -> RepSummary:
    """The summary with only the weeks (any that reach ``since``), calendar days and
    calibration weeks from ``since``; streaks, retention, skills and the rest stand."""
    if since is None:
        return summary

    def reaches(monday: date) -> bool:
        return monday + timedelta(days=6) >= since

    def weeks(kept: tuple[Week, ...]) -> tuple[Week, ...]:
        return tuple(week for week in kept if reaches(week.start))

    habit = replace(
        summary.habit,
        weeks=weeks(summary.habit.weeks),
        calendar=tuple((day, n) for day, n in summary.habit.calendar if day >= since),
    )
    calibration = tuple(
        replace(item, points=tuple(point for point in item.points if reaches(point.week)))
        for item in summary.calibration
    )
    return replace(summary, habit=habit, volume=weeks(summary.volume), calibration=calibration)


# --- JSON and CSV, for programs and spreadsheets (docs/report.md)

# pairs in the model, named in JSON: a tuple of pairs becomes a list of objects
_ROWS: dict[tuple[type, str], tuple[str, str]] = {
    (Habit, "calendar"): ("day", "drills"),
    (Ahead, "due"): ("day", "drills"),
}
_PAIRS: dict[tuple[type, str], tuple[str, str]] = {(Habit, "commitments_kept"): ("kept", "judged")}


def report_dict(summary: RepSummary, since: date | None = None) -> dict[str, Any]:
    """The summary as JSON values: the envelope (schema, version, since), then each
    dataclass as an object of its fields; dates and times in ISO 8601."""
    body = plain_value(summary)
    version = body.pop("version")
    since_text = since.isoformat() if since else None
    return {"schema": SCHEMA, "version": version, "since": since_text, **body}


def plain_value(value: Any) -> Any:
    """A value of the model as JSON values: a dataclass an object of its fields, a tuple
    an array, a date or time ISO 8601 (the team report's JSON is made the same way)."""
    if is_dataclass(value) and not isinstance(value, type):
        owner = type(value)
        return {
            field.name: _field(owner, field.name, getattr(value, field.name))
            for field in fields(value)
        }
    if isinstance(value, tuple):
        return [plain_value(item) for item in value]
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return value


def _field(owner: type, name: str, value: Any) -> Any:
    pair, rows = _PAIRS.get((owner, name)), _ROWS.get((owner, name))
    if pair is not None and value is not None:
        return dict(zip(pair, map(plain_value, value), strict=True))
    if rows is not None:
        return [dict(zip(rows, map(plain_value, row), strict=True)) for row in value]
    return plain_value(value)


def json_report(summary: RepSummary, since: date | None = None) -> str:
    """``report_dict`` as indented JSON, UTF-8 text as it is."""
    return (
        json.dumps(report_dict(summary, since), indent=2, ensure_ascii=False, allow_nan=False)
        + "\n"
    )


CSV_COLUMNS = ("section", "key", "date", "field", "value")
_KEYS = ("skill", "pack")  # a row's key, when it has one of these
_DATES = ("start", "day", "week")  # a row's date
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # how a spreadsheet formula starts


def csv_report(summary: RepSummary, since: date | None = None) -> str:
    """One figure a row under ``CSV_COLUMNS``, made from the JSON values (so the two hold
    the same): the section is where the figure is in the JSON, the key and date say which
    skill, pack, week or day it belongs to."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows("report", report_dict(summary, since)))
    return out.getvalue()


def _csv_rows(
    section: str, table: Mapping[str, Any], key: str = "", day: str = ""
) -> Iterator[tuple[str, str, str, str, str]]:
    for name, value in table.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = name if section == "report" else f"{section}.{name}"
            for row in value:
                rest = dict(row)
                row_key = next((str(rest.pop(k)) for k in _KEYS if k in rest), key)
                row_day = next((str(rest.pop(d)) for d in _DATES if d in rest), day)
                yield from _csv_rows(rows, rest, row_key, row_day)
        elif isinstance(value, dict) and section == "report":
            yield from _csv_rows(name, value)
        elif isinstance(value, dict):
            for part, inner in value.items():
                yield section, key, day, f"{name}.{part}", csv_cell(inner)
        elif isinstance(value, list):
            for item in value:
                yield section, key, day, name, csv_cell(item)
        else:
            yield section, key, day, name, csv_cell(value)


def csv_cell(value: Any) -> str:
    """A JSON value as a cell: '' for null, true/false, numbers exact; text that a
    spreadsheet would run as a formula starts with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}" if value.startswith(_FORMULA) else value
    return repr(value)
