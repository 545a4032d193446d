"""A rep's progress summary in words: text for an 80-column terminal and Markdown to
paste into chat or email. Both say only what the summary holds, every number written by
``charts.figure``; ``render.render`` picks the weeks shown before they see it."""

from __future__ import annotations

import textwrap
from datetime import date, datetime

from drillcoach.coaching.vision import day_words
from drillcoach.progress.charts import bar, figure, heatmap, sparkline
from drillcoach.progress.model import (
    CALIBRATION_DAYS,
    CHANGE_WEEKS,
    HONESTY_DAYS,
    RETENTION_DAYS,
    Calibration,
    PackProgress,
    RepSummary,
    SkillProgress,
)
from drillcoach.scheduling.rules import LEECH_LAPSES
from drillcoach.text import cell, clip, plural

WIDTH = 80
LABEL = 24  # a skill's or pack's title, before its bar
BAR = 16
NO_BREAK = "\0"  # a space textwrap does not break at, for the while it wraps
CALIBRATION_HEADING = (
    f"Calibration: self vs manager, 1 Again to 4 Easy, last {CALIBRATION_DAYS} days"
)
LEECHES = f"Leeches (lapsed {LEECH_LAPSES} times: a coaching topic)"


def text_report(summary: RepSummary, since: date | None = None) -> str:
    """Sections under plain headings, lines of at most 80 columns; ``since`` (the weeks
    already chosen) is said under the title."""
    head = f"Progress of {summary.name} ({summary.rep})"
    lines = [f"{clip(head, WIDTH - 30)} · as of {_moment(summary.as_of)}"]
    if since is not None:
        lines.append(f"Weeks and calendar from {day_words(since)}")
    for section in (
        _text_habit,
        _text_retention,
        _text_skills,
        _text_honesty,
        _text_calibration,
        _text_packs,
        _text_ahead,
    ):
        lines += ["", *section(summary)]
    return "\n".join(lines) + "\n"


def _moment(moment: datetime) -> str:
    return f"{day_words(moment.date())} {moment:%H:%M %Z}".rstrip()


def _commitments(summary: RepSummary) -> str:
    kept = summary.habit.commitments_kept
    if kept is None:
        return "no commitment judged yet"
    return f"{figure(kept[0])} of {figure(kept[1])} kept"


def _streaks(summary: RepSummary) -> str:
    habit = summary.habit
    return (
        f"streak {plural(habit.current_streak, 'day')} · "
        f"longest {plural(habit.longest_streak, 'day')}"
    )


def _days_sparkline(summary: RepSummary) -> str:
    return sparkline([week.days for week in summary.habit.weeks], top=7)


def _text_habit(summary: RepSummary) -> list[str]:
    habit = summary.habit
    lines = [
        "Consistency",
        f"  {_streaks(summary).capitalize()} · commitments: {_commitments(summary)}",
    ]
    if habit.weeks:
        lines.append(
            f"  Days drilled a week  {_days_sparkline(summary)}  "
            f"(▁ none to █ all 7, from {day_words(habit.weeks[0].start)})"
        )
    if summary.volume:
        lines += ["", f"  {'Week of':<12}  {'Days':>4}  {'Drills':>6}  {'Minutes':>7}"]
        lines += [
            f"  {day_words(week.start):<12}  {figure(week.days):>4}  {figure(week.drills):>6}  "
            f"{figure(week.minutes):>7}"
            for week in summary.volume
        ]
    if habit.calendar:
        lines += ["", "  Calendar, a column a week, Monday on top:"]
        lines += [f"  {line}" for line in heatmap(habit.calendar)]
    return lines


def retention_words(summary: RepSummary) -> str:
    """True retention beside the desired retention: the report's line and the screen's."""
    retention = summary.retention
    desired = f"desired {figure(retention.desired, 'share')}"
    if retention.true_retention is None:
        return f"No reviews of learnt drills in the last {RETENTION_DAYS} days · {desired}"
    return (
        f"True retention {figure(retention.true_retention, 'share')} over the last "
        f"{RETENTION_DAYS} days ({plural(retention.reviews, 'review')}) · {desired}"
    )


def _text_retention(summary: RepSummary) -> list[str]:
    return ["Retention", f"  {retention_words(summary)}"]


def _legend(title: str) -> str:
    return f"{title:<{LABEL + 3}}█ mastered  ▒ started  ░ not started"


def _bar_line(title: str, mastered: int, started: int, total: int) -> str:
    """A skill's or a pack's line: its name, its bar and the counts the bar draws."""
    counts = _progress(started, total, mastered)
    return f"{_label(title)}{bar(mastered, started, total, BAR)}  {counts}"


def _progress(started: int, total: int, mastered: int) -> str:
    return f"{figure(started)}/{figure(total)} started · {figure(mastered)} mastered"


def _skill_detail(skill: SkillProgress) -> str:
    """Recall, how the ratings moved and the change, as far as there is any."""
    words = []
    if skill.recall is not None:
        words.append(f"recall {figure(skill.recall, 'share')}")
    if skill.first_mean is not None or skill.latest_mean is not None:
        first, latest = figure(skill.first_mean, "mean"), figure(skill.latest_mean, "mean")
        words.append(f"rating {first} → {latest}")
    if skill.change is not None:
        words.append(f"{figure(skill.change, 'change')} over {CHANGE_WEEKS} weeks")
    return " · ".join(words)


def _label(title: str) -> str:
    return f"  {cell(title, LABEL):<{LABEL}} "


def _text_skills(summary: RepSummary) -> list[str]:
    lines = [_legend("Skills")]
    for skill in summary.skills:
        lines.append(_bar_line(skill.title, skill.mastered, skill.started, skill.total))
        detail = _skill_detail(skill)
        if detail:
            lines.append(" " * (LABEL + 3) + detail)
    return lines if summary.skills else [*lines, "  None yet."]


def _titles(summary: RepSummary) -> dict[str, str]:
    return {skill.skill: skill.title for skill in summary.skills}


def _text_honesty(summary: RepSummary) -> list[str]:
    titles = _titles(summary)
    lines = [f"Self-ratings above the ticked key points, last {HONESTY_DAYS} days"]
    lines += [
        _label(titles.get(item.skill, item.skill))
        + f"{figure(item.above)} of {plural(item.rated, 'self-rating')}"
        for item in summary.honesty
        if item.above
    ]
    within = within_checklist(summary)
    if within:
        lines += _wrapped("None above in", within)
    return lines if summary.honesty else [*lines, "  None yet."]


def within_checklist(summary: RepSummary) -> list[str]:
    """The skills with no self-rating above the checklist, to say in one sentence (a row
    each would be a column of zeros)."""
    titles = _titles(summary)
    return [
        f"{titles.get(item.skill, item.skill)} (of {figure(item.rated)})"
        for item in summary.honesty
        if not item.above
    ]


def _wrapped(head: str, items: list[str]) -> list[str]:
    """'  head: a, b, c' in lines of at most WIDTH, never breaking inside an item."""
    glued = ", ".join(item.replace(" ", NO_BREAK) for item in items)
    lines = textwrap.wrap(
        f"{head}: {glued}", WIDTH, initial_indent="  ", subsequent_indent="    ",
        break_on_hyphens=False,
    )  # fmt: skip
    return [line.replace(NO_BREAK, " ") for line in lines]


def calibration_words(item: Calibration) -> str:
    return (
        f"self {figure(item.self_mean, 'mean')} · manager {figure(item.manager_mean, 'mean')}"
        f" · gap {figure(item.gap, 'gap')} · {item.label}"
    )


def _calibration_lines(item: Calibration) -> tuple[str, str]:
    """The weekly self and manager means as sparklines on the 1 to 4 scale."""
    own = sparkline([point.self_mean for point in item.points], top=4, bottom=1)
    manager = sparkline([point.manager_mean for point in item.points], top=4, bottom=1)
    return own, manager


def _text_calibration(summary: RepSummary) -> list[str]:
    titles = _titles(summary)
    lines = [CALIBRATION_HEADING]
    for item in summary.calibration:
        lines.append(_label(titles.get(item.skill, item.skill)) + calibration_words(item))
        if len(item.points) > 1:
            own, manager = _calibration_lines(item)
            lines.append(" " * (LABEL + 3) + f"weekly: self {own}  manager {manager}")
    return lines if summary.calibration else [*lines, "  No manager ratings to compare yet."]


def pack_status(pack: PackProgress) -> str:
    """'due 20 Mar, overdue · ready', as far as either holds ('' for neither)."""
    words = []
    if pack.due is not None:
        words.append(f"due {day_words(pack.due)}" + (", overdue" if pack.overdue else ""))
    if pack.ready:
        words.append("ready")
    return " · ".join(words)


def _text_packs(summary: RepSummary) -> list[str]:
    lines = [_legend("Packs")]
    for pack in summary.packs:
        lines.append(_bar_line(pack.title, pack.mastered, pack.started, pack.total))
        if pack_status(pack):
            lines.append(" " * (LABEL + 3) + pack_status(pack))
    return lines if summary.packs else [*lines, "  None yet."]


def _text_ahead(summary: RepSummary) -> list[str]:
    ahead = summary.ahead
    lines = [f"Ahead: the next {plural(len(ahead.due), 'day')}"]
    if ahead.due:
        counts = [n for _, n in ahead.due]
        spark = sparkline(counts, top=max(counts))
        lines.append("  Day   " + "".join(f"{day.day:>3}" for day, _ in ahead.due))
        lines.append("        " + "".join(f"{shade:>3}" for shade in spark))
        lines.append("  Due   " + "".join(f"{figure(n):>3}" for n in counts))
    lines.append(f"  About {plural(ahead.minutes_per_day, 'minute')} a day")
    lines += _wrapped(LEECHES, list(summary.ahead.leeches) or ["none"])
    return lines


# --- Markdown, to paste into chat or email


def markdown_report(summary: RepSummary, since: date | None = None) -> str:
    """Headings, short bullets and tables of at most four columns, which read pasted
    into Slack, Teams, an email or GitHub; the calendar in a code block."""
    lines = [
        f"## Progress of {md_escape(summary.name)} ({md_escape(summary.rep)})",
        "",
        f"As of {_moment(summary.as_of)}",
    ]
    if since is not None:
        lines[-1] += f" · weeks and calendar from {day_words(since)}"
    for section in (
        _md_habit,
        _md_retention,
        _md_skills,
        _md_honesty,
        _md_calibration,
        _md_packs,
        _md_ahead,
    ):
        lines += ["", *section(summary)]
    return "\n".join(lines) + "\n"


MD_SPECIAL = "\\`*_[]<>|#"


def md_escape(text: str) -> str:
    """Someone's own words, with the characters Markdown would act on escaped."""
    return "".join(f"\\{char}" if char in MD_SPECIAL else char for char in " ".join(text.split()))


def _md_habit(summary: RepSummary) -> list[str]:
    habit = summary.habit
    lines = [
        "### Consistency",
        "",
        f"- {_streaks(summary).capitalize()}",
        f"- Commitments: {_commitments(summary)}",
    ]
    if habit.weeks:
        lines.append(
            f"- Days drilled a week: `{_days_sparkline(summary)}` "
            f"(from {day_words(habit.weeks[0].start)})"
        )
    if summary.volume:
        lines += ["", "| Week of | Days | Drills | Minutes |", "|---|--:|--:|--:|"]
        lines += [
            f"| {day_words(week.start)} | {figure(week.days)} | {figure(week.drills)} | "
            f"{figure(week.minutes)} |"
            for week in summary.volume
        ]
    if habit.calendar:
        lines += ["", "Calendar, a column a week, Monday on top:", ""]
        lines += ["```", *heatmap(habit.calendar), "```"]
    return lines


def _md_retention(summary: RepSummary) -> list[str]:
    return ["### Retention", "", f"- {retention_words(summary)}"]


def _md_skills(summary: RepSummary) -> list[str]:
    lines = ["### Skills", ""]
    for skill in summary.skills:
        words = [_progress(skill.started, skill.total, skill.mastered), _skill_detail(skill)]
        lines.append(f"- **{md_escape(skill.title)}**: " + " · ".join(filter(None, words)))
    return lines if summary.skills else [*lines, "- None yet."]


def _md_honesty(summary: RepSummary) -> list[str]:
    titles = _titles(summary)
    lines = [f"### Self-ratings above the ticked key points, last {HONESTY_DAYS} days", ""]
    lines += [
        f"- {md_escape(titles.get(item.skill, item.skill))}: {figure(item.above)} of "
        f"{plural(item.rated, 'self-rating')}"
        for item in summary.honesty
        if item.above
    ]
    within = within_checklist(summary)
    if within:
        lines.append(f"- None above in: {md_escape(', '.join(within))}")
    return lines if summary.honesty else [*lines, "- None yet."]


def _md_calibration(summary: RepSummary) -> list[str]:
    titles = _titles(summary)
    lines = [f"### {CALIBRATION_HEADING}", ""]
    for item in summary.calibration:
        line = f"- {md_escape(titles.get(item.skill, item.skill))}: {calibration_words(item)}"
        if len(item.points) > 1:
            own, manager = _calibration_lines(item)
            line += f" · weekly: self `{own}` manager `{manager}`"
        lines.append(line)
    return lines if summary.calibration else [*lines, "- No manager ratings to compare yet."]


def _md_packs(summary: RepSummary) -> list[str]:
    if not summary.packs:
        return ["### Packs", "", "- None yet."]
    lines = ["### Packs", "", "| Pack | Started | Mastered | Status |", "|---|--:|--:|---|"]
    lines += [
        f"| {md_escape(pack.title)} | {figure(pack.started)}/{figure(pack.total)} | "
        f"{figure(pack.mastered)} | {pack_status(pack) or '-'} |"
        for pack in summary.packs
    ]
    return lines


def _md_ahead(summary: RepSummary) -> list[str]:
    ahead = summary.ahead
    lines = [f"### Ahead: the next {plural(len(ahead.due), 'day')}", ""]
    if ahead.due:
        counts = [n for _, n in ahead.due]
        due = " ".join(figure(n) for n in counts)
        lines.append(
            f"- Due from {day_words(ahead.due[0][0])}: `{sparkline(counts, top=max(counts))}` {due}"
        )
    lines.append(f"- About {plural(ahead.minutes_per_day, 'minute')} a day")
    leeches = ", ".join(f"`{uid}`" for uid in ahead.leeches) or "none"
    lines.append(f"- {LEECHES}: {leeches}")
    return lines
