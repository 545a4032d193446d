"""A progress summary as one self-contained HTML page for a manager to mail or print: a
rep's (RepSummary), a team's (TeamSummary) and a director's (DirectorSummary). Inline CSS
that prints on A4 and inline SVG charts (svg.py); no script, font, image or link that
needs the network. It says only what the summary holds, in the words of the text and
Markdown reports (report_text.py, team_report.py, director_report.py) and every number
by ``charts.figure``; every text from data is escaped. JSON is what a program reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from drillcoach.coaching.vision import day_words
from drillcoach.progress.charts import arrow, figure
from drillcoach.progress.director import DirectorSummary, ManagerRow
from drillcoach.progress.director_report import (
    GRID_TITLE as MANAGERS_GRID_TITLE,
)
from drillcoach.progress.director_report import (
    MANAGERS_TITLE,
    NO_MANAGERS,
    director_heading,
    manager_honesty_words,
    manager_sentences,
)
from drillcoach.progress.model import (
    CHANGE_WEEKS,
    HONESTY_DAYS,
    RETENTION_DAYS,
    TEAM_DAYS,
    TREND_DAYS,
    PackProgress,
    RepSummary,
    SkillMastery,
    TeamRow,
    TeamSkill,
    TeamSummary,
    Trend,
)
from drillcoach.progress.render import SCHEMA
from drillcoach.progress.report_text import (
    CALIBRATION_HEADING,
    LEECHES,
    calibration_words,
    pack_status,
    retention_words,
    within_checklist,
)
from drillcoach.progress.svg import (
    HEAT_COLOURS,
    MASTERED,
    NOT_STARTED,
    STARTED,
    ahead_svg,
    calibration_svg,
    esc,
    heatmap_svg,
    progress_svg,
    share_svg,
    weeks_svg,
)
from drillcoach.progress.team_report import (
    GRID_TITLE,
    GRID_WHAT,
    NO_REPS,
    WINDOWS,
    as_of_line,
    honesty_words,
    row_sentences,
    team_heading,
    trend_words,
)
from drillcoach.text import plural

CSS = """
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
  --good: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 820px; margin: 0 auto; padding: 24px 20px 32px; }
h1 { font-size: 24px; line-height: 1.25; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(136px, 1fr));
  gap: 10px; margin: 18px 0 8px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  background: var(--soft); }
.tile .label { color: var(--muted); font-size: 13px; }
.tile .value { font-size: 20px; font-weight: 600; }
.tile .note { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: break-word; }
th { color: var(--muted); font-size: 12px; font-weight: 600; vertical-align: bottom; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
td.barcell { width: 160px; padding-top: 9px; }
table.skills td:first-child, table.packs td:first-child { min-width: 11em; }
table.honesty { width: auto; }
table.reps td.who { min-width: 8em; overflow-wrap: anywhere; }
svg.chart { display: block; width: 100%; height: auto; margin: 6px 0 10px; }
svg.bar { display: block; }
svg text { font-size: 11px; fill: var(--muted); }
svg text.value { fill: var(--ink); }
svg text.name { font-size: 12px; font-weight: 600; fill: var(--ink); }
.legend { font-size: 12px; color: var(--muted); margin: 4px 0 8px; }
.swatch { display: inline-block; width: 11px; height: 11px; margin: 0 4px 0 10px;
  vertical-align: -1px; border: 1px solid rgba(0,0,0,.08); }
.legend .swatch:first-child { margin-left: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
  gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card h3 { margin: 2px 0 4px; }
.card svg.chart { max-width: 360px; }
.label-over-confident, .label-under-confident { color: var(--bad); font-weight: 600; }
.label-calibrated { color: var(--good); font-weight: 600; }
.up { color: var(--good); font-weight: 700; }
.down { color: var(--bad); font-weight: 700; }
.steady { color: var(--muted); font-weight: 700; }
tr.overdue .status { color: var(--bad); font-weight: 600; }
tr.ready .status { color: var(--good); font-weight: 600; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table.reps { font-size: 13px; }
table.reps th, table.reps td { padding: 4px 6px; }
table.reps tr.figures td { border-bottom: 0; }
table.reps tr.words td { font-size: 12.5px; color: var(--muted); padding-bottom: 8px;
  overflow-wrap: anywhere; }
table.reps tr.words span { display: block; }
.who { font-weight: 600; }
table.grid { width: auto; font-size: 12px; margin-bottom: 10px; }
table.grid td.who { width: 9em; min-width: 9em; max-width: 11em; overflow-wrap: anywhere; }
table.grid th.skill { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; text-align: left; padding: 6px 2px; font-weight: 500; }
table.grid td.cell { text-align: center; width: 46px; min-width: 46px; border: 2px solid #fff;
  font-variant-numeric: tabular-nums; }
table.grid td.dark { color: #fff; }
table.grid td.none { color: var(--muted); background: #fff; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--line);
  font-size: 12px; color: var(--muted); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0 2px; }
  h2, h3, .legend { break-after: avoid; }
  .tile, .card, tr, svg { break-inside: avoid; }
  section.team { break-before: page; }
  .tiles { grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; }
  .tile { padding: 6px 8px; }
  .tile .value { font-size: 13pt; white-space: nowrap; }
}
"""


def page(title: str, as_of: datetime, body: Sequence[str], version: int) -> str:
    """The whole page: its title says whose report and the day; the summary's schema and
    version in meta tags."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="drillcoach report --format html">',
        f'<meta name="drillcoach-schema" content="{SCHEMA}">',
        f'<meta name="drillcoach-version" content="{version}">',
        f"<title>{esc(title)} · {esc(day_words(as_of.date()))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    footer = (
        f"<footer>drillcoach report · {esc(as_of_line(as_of))} · the same figures as "
        f"<code>--format json</code> (schema {SCHEMA}, version {version}).</footer>"
    )
    return "\n".join([*head, *body, footer, "</main>", "</body>", "</html>"]) + "\n"


def _header(title: str, *lines: str) -> str:
    paragraphs = "".join(f'<p class="muted">{esc(line)}</p>' for line in lines)
    return f"<header><h1>{esc(title)}</h1>{paragraphs}</header>"


def _section(ident: str, heading: str, *parts: str) -> str:
    return f'<section id="{ident}"><h2>{esc(heading)}</h2>{"".join(parts)}</section>'


def _p(words: str, cls: str = "") -> str:
    return f'<p class="{cls}">{esc(words)}</p>' if cls else f"<p>{esc(words)}</p>"


def _cells(*cells: tuple[str, str]) -> str:
    """Table cells of (class, already escaped content)."""
    return "".join(f'<td class="{cls}">{content}</td>' if cls else f"<td>{content}</td>"
                   for cls, content in cells)  # fmt: skip


def _head(*columns: tuple[str, str]) -> str:
    """A table's head of (class, column name)."""
    cells = "".join(f'<th class="{cls}">{esc(name)}</th>' if cls else f"<th>{esc(name)}</th>"
                    for cls, name in columns)  # fmt: skip
    return f"<thead><tr>{cells}</tr></thead>"


# --- a rep's report


def html_report(summary: RepSummary, since: date | None = None) -> str:
    """The rep's report as one page: headline figures, then a section each as the text
    report has them, with charts; ``since`` (the weeks already chosen) said under the
    title."""
    head = f"Progress of {summary.name} ({summary.rep})"
    lines = [as_of_line(summary.as_of)]
    if since is not None:
        lines.append(f"Weeks and calendar from {day_words(since)}")
    body = [
        _header(head, *lines),
        _tiles(summary),
        _habit(summary),
        _retention(summary),
        _skills(summary),
        _honesty(summary),
        _calibration(summary),
        _packs(summary),
        _ahead(summary),
    ]
    return page(head, summary.as_of, body, summary.version)


def _tile(ident: str, label: str, value: str, note: str = "") -> str:
    extra = f'<div class="note">{esc(note)}</div>' if note else ""
    return (
        f'<div class="tile" id="{ident}"><div class="label">{esc(label)}</div>'
        f'<div class="value">{esc(value)}</div>{extra}</div>'
    )


def _tiles(summary: RepSummary) -> str:
    habit, retention = summary.habit, summary.retention
    kept = habit.commitments_kept
    return '<div class="tiles">' + "".join([
        _tile("streak", "Streak", plural(habit.current_streak, "day")),
        _tile("longest", "Longest streak", plural(habit.longest_streak, "day")),
        _tile("retention-figure", "True retention", figure(retention.true_retention, "share"),
              f"last {RETENTION_DAYS} days · desired {figure(retention.desired, 'share')}"),
        _tile("commitments", "Commitments kept",
              f"{figure(kept[0])} of {figure(kept[1])}" if kept else "-",
              "" if kept else "none judged yet"),
        _tile("minutes", "Ahead, a day", plural(summary.ahead.minutes_per_day, "minute")),
    ]) + "</div>"  # fmt: skip


def _habit(summary: RepSummary) -> str:
    parts = []
    if summary.habit.calendar:
        parts += [_p("Calendar, a column a week, Monday on top:", "muted small"),
                  heatmap_svg(summary.habit.calendar)]  # fmt: skip
    if summary.volume:
        parts += [_p("Each week, oldest first:", "muted small"), weeks_svg(summary.volume)]
    return _section("consistency", "Consistency", *parts)


def _retention(summary: RepSummary) -> str:
    words, retention = retention_words(summary), summary.retention
    bar = share_svg(retention.true_retention, retention.desired, words)
    return _section("retention", "Retention", _p(words), bar)


def _bar_legend() -> str:
    return (
        '<p class="legend">'
        f'<span class="swatch" style="background:{MASTERED}"></span>mastered'
        f'<span class="swatch" style="background:{STARTED}"></span>started'
        f'<span class="swatch" style="background:{NOT_STARTED}"></span>not started</p>'
    )


def _skills(summary: RepSummary) -> str:
    if not summary.skills:
        return _section("skills", "Skills", _p("None yet."))
    rows = []
    for skill in summary.skills:
        first, latest = figure(skill.first_mean, "mean"), figure(skill.latest_mean, "mean")
        rated = "-" if skill.first_mean is None and skill.latest_mean is None else None
        rows.append(
            f'<tr data-skill="{esc(skill.skill)}">'
            + _cells(
                ("", esc(skill.title)),
                ("barcell", progress_svg(skill.mastered, skill.started, skill.total)),
                ("num started", f"{figure(skill.started)}/{figure(skill.total)}"),
                ("num mastered", figure(skill.mastered)),
                ("num", figure(skill.recall, "share")),
                ("num", rated or f"{first} → {latest}"),
                ("num", figure(skill.change, "change")),
            )
            + "</tr>"
        )
    head = _head(("", "Skill"), ("", ""), ("num", "Started"), ("num", "Mastered"),
                 ("num", "Recall today"), ("num", "Rating, first → latest"),
                 ("num", f"Over {CHANGE_WEEKS} weeks"))  # fmt: skip
    table = f'<table class="skills">{head}<tbody>{"".join(rows)}</tbody></table>'
    return _section("skills", "Skills", _bar_legend(), table)


def _titles(summary: RepSummary) -> dict[str, str]:
    return {skill.skill: skill.title for skill in summary.skills}


def _honesty(summary: RepSummary) -> str:
    heading = f"Self-ratings above the ticked key points, last {HONESTY_DAYS} days"
    if not summary.honesty:
        return _section("honesty", heading, _p("None yet."))
    titles = _titles(summary)
    rows = [
        f'<tr data-skill="{esc(item.skill)}">'
        + _cells(
            ("", esc(titles.get(item.skill, item.skill))),
            ("num above", figure(item.above)),
            ("", f"of {esc(plural(item.rated, 'self-rating'))}"),
        )
        + "</tr>"
        for item in summary.honesty
        if item.above
    ]
    parts = []
    if rows:
        head = _head(("", "Skill"), ("num", "Above"), ("", ""))
        parts.append(f'<table class="honesty">{head}<tbody>{"".join(rows)}</tbody></table>')
    within = within_checklist(summary)
    if within:
        parts.append(_p(f"None above in: {', '.join(within)}", "small"))
    return _section("honesty", heading, *parts)


def _calibration(summary: RepSummary) -> str:
    if not summary.calibration:
        return _section("calibration", CALIBRATION_HEADING,
                        _p("No manager ratings to compare yet."))  # fmt: skip
    titles = _titles(summary)
    cards = []
    for item in summary.calibration:
        title = titles.get(item.skill, item.skill)
        chart = calibration_svg(item.points, title) if item.points else ""
        cards.append(
            f'<div class="card" data-skill="{esc(item.skill)}"><h3>{esc(title)} '
            f'<span class="label-{item.label}">· {esc(item.label)}</span></h3>'
            f"{_p(calibration_words(item), 'small')}{chart}</div>"
        )
    return _section(
        "calibration", CALIBRATION_HEADING, f'<div class="cards">{"".join(cards)}</div>'
    )


def _pack_row(pack: PackProgress) -> str:
    classes = " ".join(
        word for word, on in (("overdue", pack.overdue), ("ready", pack.ready)) if on
    )
    return (
        f'<tr data-pack="{esc(pack.pack)}" class="{classes}">'
        + _cells(
            ("", esc(pack.title)),
            ("barcell", progress_svg(pack.mastered, pack.started, pack.total)),
            ("num", f"{figure(pack.started)}/{figure(pack.total)}"),
            ("num", figure(pack.mastered)),
            ("status", esc(pack_status(pack) or "-")),
        )
        + "</tr>"
    )


def _packs(summary: RepSummary) -> str:
    if not summary.packs:
        return _section("packs", "Packs", _p("None yet."))
    head = _head(("", "Pack"), ("", ""), ("num", "Started"), ("num", "Mastered"), ("", "Status"))
    rows = "".join(_pack_row(pack) for pack in summary.packs)
    return _section("packs", "Packs", _bar_legend(),
                    f'<table class="packs">{head}<tbody>{rows}</tbody></table>')  # fmt: skip


def _ahead(summary: RepSummary) -> str:
    ahead = summary.ahead
    leeches = ", ".join(f"<code>{esc(uid)}</code>" for uid in ahead.leeches) or "none"
    return _section(
        "ahead",
        f"Ahead: the next {plural(len(ahead.due), 'day')}",
        ahead_svg(ahead.due),
        _p(f"About {plural(ahead.minutes_per_day, 'minute')} a day"),
        f"<p>{esc(LEECHES)}: {leeches}</p>",
    )


# --- a manager's team report


def team_html(summary: TeamSummary) -> str:
    """The team report as one page: the reps' table (a rep's figures, then the words of
    the text report's last lines), then the mastery grid coloured by share."""
    heading = team_heading(summary)
    body = [_header(heading, as_of_line(summary.as_of), WINDOWS), *_team_body(summary, "h2")]
    return page(heading, summary.as_of, body, summary.version)


def _team_body(summary: TeamSummary, level: str) -> list[str]:
    if not summary.reps:
        return [_p(NO_REPS)]
    head = _head(
        ("", "Rep"), ("", "Last drilled"), ("num", "Streak"),
        ("num", f"Days drilled, last {TEAM_DAYS}"),
        ("", f"Days drilled, last {TREND_DAYS} days"), ("", f"Mean rating, last {TREND_DAYS} days"),
        ("num", "True retention"), ("", "Above the checklist"), ("num", "Leeches"),
    )  # fmt: skip
    rows = "".join(_rep_rows(row) for row in summary.reps)
    grid = mastery_table(summary.skills, [(row.rep, row.name, row.mastery) for row in summary.reps])
    return [
        f'<table class="reps">{head}<tbody>{rows}</tbody></table>',
        f"<{level}>{esc(GRID_TITLE)}</{level}>",
        _p(f"{GRID_WHAT[:1].upper()}{GRID_WHAT[1:]}.", "muted small"),
        grid,
    ]


def _trend(trend: Trend, words: str) -> str:
    """The trend's words with its arrow coloured by direction."""
    if trend.direction is None:
        return esc(words)
    mark = arrow(trend.direction)
    return esc(words).replace(mark, f'<span class="{trend.direction}">{mark}</span>', 1)


def _rep_rows(row: TeamRow) -> str:
    last = day_words(row.last_drilled) if row.last_drilled else "never"
    *_, weakest, packs, vision = row_sentences(row)
    words = "".join(f"<span>{esc(sentence)}</span>" for sentence in (weakest, packs, vision))
    figures = _cells(
        ("who", f'{esc(row.name)} <span class="muted">({esc(row.rep)})</span>'),
        ("", esc(last)),
        ("num streak", figure(row.streak)),
        ("num days", figure(row.days_drilled)),
        ("", _trend(row.days_trend, trend_words(row.days_trend))),
        ("", _trend(row.rating_trend, trend_words(row.rating_trend, "mean"))),
        ("num retention", figure(row.retention, "share")),
        ("", esc(honesty_words(row))),
        ("num leeches", figure(row.leeches)),
    )
    return (
        f'<tr class="figures" data-rep="{esc(row.rep)}">{figures}</tr>'
        f'<tr class="words" data-rep="{esc(row.rep)}"><td></td><td colspan="8">{words}</td></tr>'
    )


GRID_ACROSS = 12  # skills in one table of the grid; more go in a table below


def mastery_table(
    skills: Sequence[TeamSkill], rows: Sequence[tuple[str, str, Sequence[SkillMastery]]]
) -> str:
    """A row a (id, name, mastery), a column a skill: each cell the share of the skill's
    drills mastered, shaded by the nearest quarter, '-' where there are none."""
    if not skills:
        return _p("No drills in the reps' packs yet.")
    tables = []
    for start in range(0, len(skills), GRID_ACROSS):  # as many as an A4 page has room for
        shown = range(start, min(start + GRID_ACROSS, len(skills)))
        head = "".join(f'<th class="skill">{esc(skills[n].title)}</th>' for n in shown)
        body = "".join(
            f'<tr data-row="{esc(ident)}"><td class="who">{esc(name)}</td>'
            + "".join(_grid_cell(skills[n], mastery[n]) for n in shown)
            + "</tr>"
            for ident, name, mastery in rows
        )
        tables.append(f'<table class="grid"><thead><tr><th></th>{head}</tr></thead>'
                      f"<tbody>{body}</tbody></table>")  # fmt: skip
    legend = "".join(
        f'<span class="swatch" style="background:{colour}"></span>{quarter * 25}%'
        for quarter, colour in enumerate(HEAT_COLOURS)
    )
    return "".join(tables) + (
        f'<p class="legend">{legend}<span class="swatch"></span>- no such drills</p>'
    )


def _grid_cell(skill: TeamSkill, cell: SkillMastery) -> str:
    tip = esc(f"{skill.title}: {figure(cell.mastered)} of {figure(cell.total)} mastered")
    if cell.share is None:
        return f'<td class="cell none" title="{tip}">-</td>'
    quarter = round(cell.share * 4)
    dark = " dark" if quarter >= 3 else ""
    return (
        f'<td class="cell{dark}" title="{tip}" style="background:{HEAT_COLOURS[quarter]}">'
        f"{figure(cell.share, 'share')}</td>"
    )


# --- a director's report


def director_html(summary: DirectorSummary) -> str:
    """The director's report as one page: the managers' table and their grid, then each
    manager's team as ``team_html`` lays it (each on a new page in print)."""
    heading = director_heading(summary)
    body = [_header(heading, as_of_line(summary.as_of), WINDOWS)]
    if not summary.managers:
        body.append(_p(NO_MANAGERS))
        return page(heading, summary.as_of, body, summary.version)
    head = _head(
        ("", "Manager"), ("num", "Reps"), ("", "Last drilled"), ("num", "Median streak"),
        ("num", f"Days drilled, mean of last {TEAM_DAYS}"), ("num", "True retention"),
        ("num", "Reviews"), ("", "Above the checklist"), ("num", "Leeches"),
    )  # fmt: skip
    rows = "".join(_manager_rows(row) for row in summary.managers)
    managers = [(row.manager, row.name, row.mastery) for row in summary.managers]
    grid = mastery_table(summary.skills, managers)
    body += [
        f"<h2>{esc(f'{MANAGERS_TITLE} ({len(summary.managers)})')}</h2>",
        f'<table class="reps managers">{head}<tbody>{rows}</tbody></table>',
        f"<h2>{esc(MANAGERS_GRID_TITLE)}</h2>",
        _p(f"{GRID_WHAT[:1].upper()}{GRID_WHAT[1:]}.", "muted small"),
        grid,
    ]
    for team in summary.teams:
        body.append(f'<section class="team" data-manager="{esc(team.manager)}">'
                    f"<h2>{esc(team_heading(team))}</h2>{''.join(_team_body(team, 'h3'))}"
                    "</section>")  # fmt: skip
    return page(heading, summary.as_of, body, summary.version)


def _manager_rows(row: ManagerRow) -> str:
    last = day_words(row.last_drilled) if row.last_drilled else "never"
    *_, weakest, packs = manager_sentences(row)
    words = "".join(f"<span>{esc(sentence)}</span>" for sentence in (weakest, packs))
    figures = _cells(
        ("who", f'{esc(row.name)} <span class="muted">({esc(row.manager)})</span>'),
        ("num reps", figure(row.reps)),
        ("", esc(last)),
        ("num streak", figure(row.streak, "mean")),
        ("num days", figure(row.days_drilled, "mean")),
        ("num retention", figure(row.retention, "share")),
        ("num", figure(row.retention_reviews)),
        ("", esc(manager_honesty_words(row))),
        ("num leeches", figure(row.leeches)),
    )
    return (
        f'<tr class="figures" data-manager="{esc(row.manager)}">{figures}</tr>'
        f'<tr class="words" data-manager="{esc(row.manager)}"><td></td>'
        f'<td colspan="8">{words}</td></tr>'
    )
