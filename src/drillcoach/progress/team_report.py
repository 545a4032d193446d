"""A manager's team summary (progress/model.py TeamSummary) as a report: text for the
terminal and Markdown to paste into chat (a few lines a rep, the skill grid after), CSV
and versioned JSON laid out as docs/report.md says. The words a rep's row says are here
once, for the reports and the Team screen; CSV is made from the JSON values, so every
format holds the same numbers."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from drillcoach.coaching.vision import day_words
from drillcoach.progress.charts import Kind, arrow, figure
from drillcoach.progress.model import (
    TEAM_DAYS,
    TREND_DAYS,
    SkillMastery,
    TeamRow,
    TeamSkill,
    TeamSummary,
    Trend,
)
from drillcoach.progress.render import SCHEMA, Format, csv_cell, plain_value
from drillcoach.progress.report_text import WIDTH, md_escape
from drillcoach.text import cell, clip, plural

NAME = 14  # a rep's name before the grid's cells
GRID_CELL = 5  # ' 100%'
NO_REPS = "No reps to summarise: none reports to you in team.toml yet."
GRID_TITLE = "Mastery by skill"
GRID_WHAT = "share of each skill's drills mastered ('-': no such drills)"
WINDOWS = (
    f"Trends ↑ ↓ →: the last {TREND_DAYS} days against the {TREND_DAYS} before; retention "
    f"and self-ratings above the checklist: the last {TEAM_DAYS} days"
)
NO_BREAK = "\0"  # a space the text's wrapping does not break at


def render_team(summary: TeamSummary, form: Format) -> str:
    """The team report in one format, ending with a newline."""
    if form == "text":
        return team_text(summary)
    if form == "md":
        return team_markdown(summary)
    if form == "csv":
        return team_csv(summary)
    if form == "html":
        from drillcoach.progress.report_html import team_html  # it reads this module's words

        return team_html(summary)
    return team_json(summary)


# --- the words of a row, for the reports and the Team screen


def whom(summary: TeamSummary) -> str:
    """'the reps of Maria Lopez' or 'everyone below Dana Diaz'."""
    if summary.everyone:
        return f"everyone below {summary.manager_name}"
    return f"the reps of {summary.manager_name}"


def trend_words(trend: Trend, kind: Kind = "count") -> str:
    """'8 ↑ (3 before)'; '-' for a figure not measured."""
    now = f"{figure(trend.recent, kind)} {arrow(trend.direction)}".rstrip()
    return f"{now} ({figure(trend.before, kind)} before)"


def packs_words(row: TeamRow) -> str:
    """'2 assigned, 0 done, 1 overdue'; 'none assigned'."""
    if not row.packs_assigned:
        return "none assigned"
    words = f"{figure(row.packs_assigned)} assigned, {figure(row.packs_done)} done"
    return words + (f", {figure(row.packs_overdue)} overdue" if row.packs_overdue else "")


def gap_words(row: TeamRow) -> str:
    """'Objection handling +1.7, over-confident'; 'no manager rating yet'."""
    gap = row.calibration
    if gap is None:
        return "no manager rating yet"
    return f"{gap.title} {figure(gap.gap, 'gap')}, {gap.label}"


def honesty_words(row: TeamRow) -> str:
    """'19 of 22 (86%)'; 'none rated' without a self-rating with a checklist."""
    honesty = row.honesty
    if not honesty.rated:
        return "none rated"
    return f"{figure(honesty.above)} of {figure(honesty.rated)} ({figure(honesty.share, 'share')})"


def vision_words(row: TeamRow) -> str:
    """The vision's headline, 'not shared' or 'none written yet'."""
    if not row.vision_shared:
        return "not shared"
    return row.vision or "none written yet"


def row_sentences(row: TeamRow) -> list[str]:
    """A rep's figures in a few sentences, the same in the text and the Markdown: phrases
    between ' · ', the vision last."""
    last = day_words(row.last_drilled) if row.last_drilled else "never"
    streak = f"streak {plural(row.streak, 'day')}" if row.streak else "no streak"
    leeches = f"{figure(row.leeches)} leech" + ("" if row.leeches == 1 else "es")
    weakest = row.weakest.title if row.weakest else "-"
    return [
        f"Last drilled {last} · {streak} · drilled {figure(row.days_drilled)} of the last "
        f"{TEAM_DAYS} days",
        f"Last 2 weeks: days drilled {trend_words(row.days_trend)} · mean rating "
        f"{trend_words(row.rating_trend, 'mean')}",
        f"True retention {figure(row.retention, 'share')} · above the checklist "
        f"{honesty_words(row)} · {leeches}",
        f"Weakest skill: {weakest} · widest gap: {gap_words(row)}",
        f"Packs: {packs_words(row)} · {plural(row.inbox, 'answer')} waiting for review",
        f"Vision: {vision_words(row)}",
    ]


def team_heading(summary: TeamSummary) -> str:
    """'Team West sales: the reps of Maria Lopez (2)'."""
    return f"Team {summary.name}: {whom(summary)} ({len(summary.reps)})"


def as_of_line(moment: datetime) -> str:
    """'As of 2 Mar 2026 10:00 UTC': when a team's or a director's figures were read."""
    return f"As of {day_words(moment.date())} {moment:%H:%M %Z}".rstrip()


# --- text, for the terminal


def team_text(summary: TeamSummary) -> str:
    """A heading, a few lines a rep of at most 80 columns, the skill grid after."""
    lines = [
        clip(team_heading(summary), WIDTH),
        as_of_line(summary.as_of),
        *wrap_lines(WINDOWS, "", ""),
    ]
    if not summary.reps:
        return "\n".join([*lines, "", NO_REPS]) + "\n"
    for row in summary.reps:
        lines += ["", clip(f"{row.name} ({row.rep})", WIDTH)]
        *figures, vision = row_sentences(row)
        for sentence in figures:
            lines += wrap_lines(sentence, "  ", "    ", whole=" · ")
        lines += wrap_lines(vision, "  ", "    ")
    lines += ["", *grid_lines(summary)]
    return "\n".join(lines) + "\n"


def wrap_lines(text: str, first: str, rest: str, whole: str = "") -> list[str]:
    """``text`` in lines of at most WIDTH; ``whole``: broken only where it says (between
    phrases), each phrase kept on one line."""
    if whole:
        glue = whole.rstrip().replace(" ", NO_BREAK) + " "  # a line ends with the '·'
        text = glue.join(part.replace(" ", NO_BREAK) for part in text.split(whole))
    lines = textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                          break_on_hyphens=False)  # fmt: skip
    return [line.replace(NO_BREAK, " ") for line in lines]


def grid_lines(summary: TeamSummary) -> list[str]:
    """The grid under its title, in lines of at most 80."""
    return [*wrap_lines(f"{GRID_TITLE}: {GRID_WHAT}", "", "  "), *grid_table(summary)]


def grid_table(summary: TeamSummary) -> list[str]:
    """The team's grid: a row a rep (mastery_grid)."""
    return mastery_grid(summary.skills, [(row.name, row.mastery) for row in summary.reps])


def mastery_grid(
    skills: Sequence[TeamSkill], rows: Sequence[tuple[str, Sequence[SkillMastery]]]
) -> list[str]:
    """A legend numbering the skills, then a row a (name, mastery): the share of each
    skill's drills mastered, as many columns as fit in 80, the rest in a block below."""
    if not skills:
        return ["  No drills in the reps' packs yet."]
    legend = " · ".join(f"{n} {skill.title}" for n, skill in enumerate(skills, 1))
    lines = wrap_lines(legend, "  ", "  ", whole=" · ")
    across = (WIDTH - NAME) // GRID_CELL
    for start in range(0, len(skills), across):
        numbers = range(start, min(start + across, len(skills)))
        lines.append("")
        lines.append(" " * NAME + "".join(f"{n + 1:>{GRID_CELL}}" for n in numbers))
        for name, mastery in rows:
            cells = "".join(f"{figure(mastery[n].share, 'share'):>{GRID_CELL}}" for n in numbers)
            lines.append(f"{cell(name, NAME - 1):<{NAME}}" + cells)
    return lines


# --- Markdown, to paste into chat or email


def team_markdown(summary: TeamSummary) -> str:
    """A bullet a rep with their figures under it, the grid in a code block after: reads
    pasted into Slack, Teams, an email or GitHub."""
    lines = markdown_head(team_heading(summary), summary.as_of)
    if not summary.reps:
        return "\n".join([*lines, NO_REPS]) + "\n"
    for row in summary.reps:
        lines += markdown_bullet(row.name, row.rep, row_sentences(row))
    lines += markdown_grid(grid_table(summary))
    return "\n".join(lines) + "\n"


def markdown_head(heading: str, as_of: datetime) -> list[str]:
    """A team or a director's report's heading and when its figures were read."""
    return [f"## {md_escape(heading)}", "", f"{as_of_line(as_of)}. {WINDOWS}.", ""]


def markdown_bullet(name: str, ident: str, sentences: Sequence[str]) -> list[str]:
    """A person in bold with their first sentence, the others nested under it."""
    first, *rest = sentences
    return [f"- **{md_escape(name)}** ({md_escape(ident)}): {md_escape(first)}",
            *(f"  - {md_escape(sentence)}" for sentence in rest)]  # fmt: skip


def markdown_grid(grid: Sequence[str]) -> list[str]:
    """The mastery grid under its heading, in a code block so it keeps its columns."""
    return ["", f"### {GRID_TITLE}", "", f"{GRID_WHAT[:1].upper()}{GRID_WHAT[1:]}:", "",
            "```", *(line.replace("`", "'") for line in grid), "```"]  # fmt: skip


# --- JSON and CSV (docs/report.md)


def team_dict(summary: TeamSummary) -> dict[str, Any]:
    """The envelope of every report (schema, version), then the team summary under
    "team": each dataclass an object of its fields, dates and times ISO 8601."""
    body = plain_value(summary)
    version = body.pop("version")
    return {"schema": SCHEMA, "version": version, "team": body}


def team_json(summary: TeamSummary) -> str:
    return json.dumps(team_dict(summary), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


TEAM_CSV_COLUMNS = ("section", "rep", "skill", "field", "value")


def team_csv(summary: TeamSummary) -> str:
    """One figure a row under TEAM_CSV_COLUMNS, made from the JSON values: sections
    report (the envelope), team, skills (the grid's columns), reps (a rep's figures, an
    object's parts as field.part) and mastery (the grid's cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEAM_CSV_COLUMNS)
    writer.writerows(
        (section, rep, skill, field, csv_cell(value))
        for section, rep, skill, field, value in _team_rows(team_dict(summary))
    )
    return out.getvalue()


def _team_rows(data: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any]]:
    team = data["team"]
    for name in ("schema", "version"):
        yield "report", "", "", name, data[name]
    for name, value in team.items():
        if name == "skills":
            for skill in value:
                yield "skills", "", skill["skill"], "title", skill["title"]
        elif name == "reps":
            for row in value:
                yield from rep_csv_rows(row)
        else:
            yield "team", "", "", name, value


def rep_csv_rows(row: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any]]:
    rep = row["rep"]
    for name, value in row.items():
        if name == "rep":
            continue
        if name == "mastery":
            for found in value:
                for part in ("mastered", "total", "share"):
                    yield "mastery", rep, found["skill"], part, found[part]
        elif isinstance(value, dict):
            for part, inner in value.items():
                yield "reps", rep, "", f"{name}.{part}", inner
        else:
            yield "reps", rep, "", name, value
