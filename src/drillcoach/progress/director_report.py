"""A director's summary (progress/director.py) as a report: the managers' rows and their
grid first, then each manager's team as progress/team_report.py writes it; CSV and
versioned JSON laid out as docs/report.md says, CSV made from the JSON values."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from drillcoach.coaching.vision import day_words
from drillcoach.progress.charts import figure
from drillcoach.progress.director import DirectorSummary, ManagerRow
from drillcoach.progress.model import TEAM_DAYS
from drillcoach.progress.render import SCHEMA, Format, csv_cell, plain_value
from drillcoach.progress.report_text import WIDTH
from drillcoach.progress.team_report import (
    GRID_WHAT,
    WINDOWS,
    as_of_line,
    markdown_bullet,
    markdown_grid,
    markdown_head,
    mastery_grid,
    rep_csv_rows,
    team_dict,
    team_markdown,
    team_text,
    wrap_lines,
)
from drillcoach.text import clip, plural

MANAGERS_TITLE = "By manager"
GRID_TITLE = "Mastery by skill, by manager"
NO_MANAGERS = "No managers report to you in team.toml."


def render_director(summary: DirectorSummary, form: Format) -> str:
    """The director's report in one format, ending with a newline."""
    if form == "text":
        return director_text(summary)
    if form == "md":
        return director_markdown(summary)
    if form == "csv":
        return director_csv(summary)
    if form == "html":
        from drillcoach.progress.report_html import director_html  # it reads this module's words

        return director_html(summary)
    return director_json(summary)


# --- the words of a manager's row, for the reports and the Team screen


def manager_packs_words(row: ManagerRow) -> str:
    """'4 assigned, 1 done, 2 overdue'; 'none assigned'."""
    if not row.packs_assigned:
        return "none assigned"
    words = f"{figure(row.packs_assigned)} assigned, {figure(row.packs_done)} done"
    return words + (f", {figure(row.packs_overdue)} overdue" if row.packs_overdue else "")


def manager_gap_words(row: ManagerRow) -> str:
    """'Alice Ng, Objection handling +1.7, over-confident'; 'no manager rating yet'."""
    gap = row.calibration
    if gap is None:
        return "no manager rating yet"
    return f"{gap.name}, {gap.title} {figure(gap.gap, 'gap')}, {gap.label}"


def manager_weakest_words(row: ManagerRow) -> str:
    """'Discovery (2 reps)'; '-' when nothing is rated."""
    if row.weakest is None:
        return "-"
    return f"{row.weakest.title} ({plural(row.weakest_reps, 'rep')})"


def manager_honesty_words(row: ManagerRow) -> str:
    honesty = row.honesty
    if not honesty.rated:
        return "none rated"
    return f"{figure(honesty.above)} of {figure(honesty.rated)} ({figure(honesty.share, 'share')})"


def manager_sentences(row: ManagerRow) -> list[str]:
    """A manager's pooled figures in a few sentences, phrases between ' · '."""
    last = day_words(row.last_drilled) if row.last_drilled else "never"
    leeches = f"{figure(row.leeches)} leech" + ("" if row.leeches == 1 else "es")
    retention = figure(row.retention, "share")
    if row.retention_reviews:
        retention += f" of {plural(row.retention_reviews, 'review')}"
    return [
        f"{plural(row.reps, 'rep')} · last drilled {last} · median streak "
        f"{figure(row.streak, 'mean')} · drilled {figure(row.days_drilled, 'mean')} of the "
        f"last {TEAM_DAYS} days on average",
        f"True retention {retention} · above the checklist "
        f"{manager_honesty_words(row)} · {leeches}",
        f"Weakest skill: {manager_weakest_words(row)} · widest gap: {manager_gap_words(row)}",
        f"Packs: {manager_packs_words(row)} · {plural(row.inbox, 'answer')} waiting for "
        f"review · {plural(row.visions, 'rep')} sharing a vision",
    ]


def director_heading(summary: DirectorSummary) -> str:
    """'Team West sales: everyone below Dana Diaz (3)'."""
    return f"Team {summary.name}: everyone below {summary.director_name} ({summary.reps})"


# --- text


def director_text(summary: DirectorSummary) -> str:
    """A heading, a few lines a manager, their grid, then each manager's team report."""
    lines = [
        clip(director_heading(summary), WIDTH),
        as_of_line(summary.as_of),
        *wrap_lines(WINDOWS, "", ""),
    ]
    if not summary.managers:
        return "\n".join([*lines, "", NO_MANAGERS]) + "\n"
    lines += ["", f"{MANAGERS_TITLE} ({len(summary.managers)})"]
    for row in summary.managers:
        lines += ["", clip(f"{row.name} ({row.manager})", WIDTH)]
        for sentence in manager_sentences(row):
            lines += wrap_lines(sentence, "  ", "    ", whole=" · ")
    lines += ["", *wrap_lines(f"{GRID_TITLE}: {GRID_WHAT}", "", "  "), *manager_grid(summary)]
    for team in summary.teams:
        lines += ["", "", team_text(team).rstrip("\n")]
    return "\n".join(lines) + "\n"


def manager_grid(summary: DirectorSummary) -> list[str]:
    """The skills numbered in a legend, then a row a manager, as the team grid is laid."""
    return mastery_grid(summary.skills, [(row.name, row.mastery) for row in summary.managers])


# --- Markdown


def director_markdown(summary: DirectorSummary) -> str:
    """A bullet a manager with their figures under it, their grid in a code block, then
    each manager's team as its own Markdown report."""
    lines = markdown_head(director_heading(summary), summary.as_of)
    if not summary.managers:
        return "\n".join([*lines, NO_MANAGERS]) + "\n"
    lines += [f"### {MANAGERS_TITLE}", ""]
    for row in summary.managers:
        lines += markdown_bullet(row.name, row.manager, manager_sentences(row))
    lines += markdown_grid(manager_grid(summary))
    for team in summary.teams:
        lines += ["", team_markdown(team).rstrip("\n")]
    return "\n".join(lines) + "\n"


# --- JSON and CSV (docs/report.md)


def director_dict(summary: DirectorSummary) -> dict[str, Any]:
    """The envelope, then the summary under "director"; each manager's team laid out as
    the team report's "team"."""
    body = plain_value(summary)
    version = body.pop("version")
    body["teams"] = [team_dict(team)["team"] for team in summary.teams]
    return {"schema": SCHEMA, "version": version, "director": body}


def director_json(summary: DirectorSummary) -> str:
    data = director_dict(summary)
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


DIRECTOR_CSV_COLUMNS = ("section", "manager", "rep", "skill", "field", "value")


def director_csv(summary: DirectorSummary) -> str:
    """One figure a row under DIRECTOR_CSV_COLUMNS, made from the JSON values: report,
    director, skills, managers (a manager's figures), manager_mastery (their grid's
    cells), then each manager's team in the team CSV's sections (team, skills, reps,
    mastery) with the manager's id in ``manager``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DIRECTOR_CSV_COLUMNS)
    writer.writerows(
        (section, manager, rep, skill, field, csv_cell(value))
        for section, manager, rep, skill, field, value in _director_rows(director_dict(summary))
    )
    return out.getvalue()


Row = tuple[str, str, str, str, str, Any]


def _director_rows(data: dict[str, Any]) -> Iterator[Row]:
    body = data["director"]
    for name in ("schema", "version"):
        yield "report", "", "", "", name, data[name]
    for name, value in body.items():
        if name == "skills":
            for skill in value:
                yield "skills", "", "", skill["skill"], "title", skill["title"]
        elif name == "managers":
            for row in value:
                yield from _manager_rows(row)
        elif name == "teams":
            for team in value:
                yield from _team_section(team)
        else:
            yield "director", "", "", "", name, value


def _manager_rows(row: dict[str, Any]) -> Iterator[Row]:
    manager = row["manager"]
    for name, value in row.items():
        if name == "manager":
            continue
        if name == "mastery":
            for found in value:
                for part in ("mastered", "total", "share"):
                    yield "manager_mastery", manager, "", found["skill"], part, found[part]
        elif isinstance(value, dict):
            for part, inner in value.items():
                yield "managers", manager, "", "", f"{name}.{part}", inner
        else:
            yield "managers", manager, "", "", name, value


def _team_section(team: dict[str, Any]) -> Iterator[Row]:
    manager = team["manager"]
    for name, value in team.items():
        if name == "skills":
            for skill in value:
                yield "skills", manager, "", skill["skill"], "title", skill["title"]
        elif name == "reps":
            for row in value:
                for section, rep, skill, field, inner in rep_csv_rows(row):
                    yield section, manager, rep, skill, field, inner
        else:
            yield "team", manager, "", "", name, value
