"""Words both the CLI and the TUI say: Today's lines, rating intervals, clock times, the
last attempt and the session summary. One function per sentence, so they cannot drift."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as Set
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from drillcoach.content import Library, Skill
from drillcoach.dates import written
from drillcoach.events import ManagerRating, SelfRating
from drillcoach.progress.habit import Consistency
from drillcoach.progress.session import SessionSummary
from drillcoach.scheduling.cardstate import CardState, Phase
from drillcoach.scheduling.queue import AssignedPack, Queue, QueueItem
from drillcoach.scheduling.rules import RATING_NAMES, scores_mean

if TYPE_CHECKING:
    from drillcoach.scheduling import personal
    from drillcoach.scheduling.workload import Outcome, Workload
    from drillcoach.team.sync import SyncReport
    from drillcoach.today import Today


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def clip(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut at a word with '...'."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = line[: max(width - 3, 1)].rstrip()
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "..."


def cell(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters for a column, its end cut to '…'."""
    if len(text) <= width:
        return text
    return text[: max(0, width - 1)].rstrip() + "…"


def first_name(name: str) -> str:
    """'Priya' of 'Priya Shah'; an id stays as it is."""
    return name.split()[0] if name.strip() else name


def share_command(setting: str) -> str:
    """The command that shares one kind of coaching record with the rep's manager."""
    return f"drillcoach config set {setting} true"


def format_interval(delta: timedelta) -> str:
    """A short interval for a rating button: '10m', '5h', '3d', '2.5mo', '1.2y'."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4
        return f"{months:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def clock_text(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def words_text(words: int, limit: int | None) -> str:
    """A written answer's length against its word limit: '83 / 150 words'."""
    return f"{words} / {limit} words" if limit else plural(words, "word")


# --- Today


def greeting(hour: int) -> str:
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


def date_text(moment: datetime) -> str:
    return written(moment, "%A %d %B")


def habit_line(habit: Consistency) -> str:
    if not habit.streak:
        return "No streak yet - one session today starts it."
    today = "done today" if habit.practised_today else "keep it going today"
    return (
        f"Streak {plural(habit.streak, 'day')} ({today}) · "
        f"{habit.days_this_week} of 7 days this week"
    )


def headline(queue: Queue) -> str:
    if queue.is_empty:
        if queue.done_today:
            return f"All done for today: {queue.done_today} rating(s). See you tomorrow."
        return "Nothing due today."
    text = (
        f"Today: {queue.due_count} due · {queue.new_count} new · "
        f"about {plural(queue.minutes, 'minute')}"
    )
    if queue.more_due:
        text += f" ({queue.more_due} more due beyond today's limit)"
    return text


def assigned_line(
    assigned: AssignedPack, names: Mapping[str, str] | None = None, *, note: bool = True
) -> str:
    """'Assigned by Maria: Objections, due 15 Dec - 3 of 12 started, 1 mastered'."""
    a = assigned.assignment
    who = (names or {}).get(a.by, a.by)
    due = written(a.due, "%d %b")
    when = f"overdue since {due}" if assigned.overdue else f"due {due}"
    text = (
        f"Assigned by {who}: {assigned.title}, {when} - {assigned.started} of "
        f"{assigned.total} started, {assigned.mastered} mastered"
    )
    return text + (f' - "{a.note}"' if note and a.note else "")


def assigned_lines(
    queue: Queue, names: Mapping[str, str] | None = None, notes: Set[str] | None = None
) -> list[str]:
    """One line per assigned pack; a note only where ``notes`` says it shows (all when
    ``notes`` is None)."""
    return [
        assigned_line(a, names, note=notes is None or a.assignment.id in notes)
        for a in queue.assigned
    ]


def score_text(rating: ManagerRating) -> str:
    """'Good, 4.2': the rating and the mean of its rubric scores."""
    return f"{RATING_NAMES[rating.rating]}, {scores_mean(rating.scores):.1f}"


CONTEXT_WORDS = {
    "roleplay": "a role-play",
    "joint-call": "a joint call",
    "call-review": "a call review",
    "answer": "the answer you sent",
}
CONTEXT_OF = {
    "roleplay": "your role-play of",
    "joint-call": "your joint call on",
    "call-review": "your call on",
    "answer": "the answer you sent on",
}


def feedback_line(rating: ManagerRating, title: str, names: Mapping[str, str] | None = None) -> str:
    """'Maria rated your role-play of "Price too high": Good, 4.2 - "Slow down"'; of a
    skill, 'Maria rated your Discovery (a joint call): ...'."""
    who = (names or {}).get(rating.by, rating.by)
    if rating.drill_uid is None:
        text = f"{who} rated your {title} ({CONTEXT_WORDS[rating.context]})"
    else:
        text = f'{who} rated {CONTEXT_OF[rating.context]} "{title}"'
    text += f": {score_text(rating)}"
    return text + (f' - "{rating.note}"' if rating.note else "")


def manager_beside_line(rating: ManagerRating, names: Mapping[str, str] | None = None) -> str:
    """'Your manager: Good, 4.2 - "note"', shown beside a drill's own last attempt."""
    who = (names or {}).get(rating.by)
    text = f"{'Your manager' if who is None else who}: {score_text(rating)}"
    return text + (f' - "{rating.note}"' if rating.note else "")


def sharing_line(share_answers: bool, manager: str | None) -> str:
    """What my manager sees of my practice, in one line (of 80 columns, for a name of up
    to 14 characters): a typed answer only when the rep asks for a review."""
    whom = manager or "your team"
    if share_answers:
        return f"Shared with {whom}: ratings, timings, key points and typed answers"
    return f"Shared with {whom}: ratings, timings, key points; answers when you ask"


def sync_line(last: datetime | None, now: datetime) -> str:
    if last is None:
        return "Not synced with the team yet"
    local = last.astimezone(now.tzinfo)
    day = "today" if local.date() == now.date() else written(local, "%d %b")
    return f"Last sync {local:%H:%M} {day}"


def sync_report_line(team: str, report: SyncReport) -> str:
    """'Synced with West sales: wrote 12 events, brought in 3 new and 1 new assignment;
    pulled and pushed.'"""
    brought = f"{report.added} new"
    if report.new_assignments:
        brought += f" and {plural(report.new_assignments, 'new assignment')}"
    return (
        f"Synced with {team}: wrote {plural(report.exported, 'event')}, brought in "
        f"{brought}; {report.git}."
    )


def waiting_line(waiting: int) -> str:
    return f"{plural(waiting, 'answer')} waiting for your review"


def team_lines(today: Today, library: Library) -> list[str]:
    """Today's lines from the team: the workspace's state, assignments, new feedback."""
    team = today.team
    names = team.names if team else None
    lines = []
    if team is not None:
        if team.problem:
            lines.append(f"Team workspace: {team.problem}")
        else:
            lines.append(sync_line(team.last_sync, today.now))
            if team.waiting:
                lines.append(waiting_line(team.waiting))
    lines.extend(assigned_lines(today.queue, names, today.notes))
    for rating in reversed(today.feedback):  # newest first
        lines.append(feedback_line(rating, rated_title(rating, library), names))
    return lines


def rated_title(rating: ManagerRating, library: Library) -> str:
    """What a manager rating is of: the drill's title, or the skill's."""
    if rating.drill_uid is not None:
        drill = library.drill(rating.drill_uid)
        return drill.title if drill else rating.drill_uid
    return skill_title(library.skills, rating.skill)


def skill_title(skills: Mapping[str, Skill], skill: str) -> str:
    """A skill's title, or its id when the skill map has no such skill."""
    found = skills.get(skill)
    return found.title if found is not None else skill


# --- a manager's view of the team


def day_text(day: date | None, today: date) -> str:
    """'today', 'yesterday', '12 Nov', or 'never' (a rep's last drilling day)."""
    if day is None:
        return "never"
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return written(day, "%d %b")


def assigned_progress(assigned: Sequence[AssignedPack]) -> str:
    """'3 of 15 started' over every pack assigned to a rep, with ', 1 overdue' when their
    due dates passed with drills left to master; '-' when nothing is assigned."""
    if not assigned:
        return "-"
    started = sum(a.started for a in assigned)
    total = sum(a.total for a in assigned)
    overdue = sum(a.overdue for a in assigned)
    return f"{started} of {total} started" + (f", {overdue} overdue" if overdue else "")


def phase_word(state: CardState) -> str:
    """Where a card stands: 'not started', 'learning', 'relearning', 'review', 'mastered'."""
    if state.is_new:
        return "not started"
    if state.is_mastered:
        return "mastered"
    return {Phase.LEARNING: "learning", Phase.RELEARNING: "relearning"}.get(state.phase, "review")


def rating_saved_line(name: str, title: str, rating: ManagerRating) -> str:
    """'Saved: Alice Ng on "Price too high": Good, 4.2 - it reaches Alice Ng at your next
    sync.'"""
    return (
        f'Saved: {name} on "{title}": {score_text(rating)} - it reaches {name} at your next sync.'
    )


def request_when(at: datetime, tz: tzinfo | None = None) -> str:
    """'Fri 27 Nov 14:02': when a rep asked for a review."""
    return written(at.astimezone(tz), "%a %d %b %H:%M")


def leech_lines(queue: Queue) -> list[str]:
    lines = [
        f"Leech: {item.drill.title} - lapsed {item.state.lapses} times; "
        "worth a talk with your coach"
        for item in queue.leeches
    ]
    if queue.leech_count > len(queue.leeches):
        lines.append(f"... and {queue.leech_count - len(queue.leeches)} more leeches")
    return lines


def queue_tag(item: QueueItem) -> str:
    """'new', 'due', 'leech' or 'heard' (brought forward: a debrief heard its objection on
    a call): how a drill is marked in the queue."""
    if item.state.is_leech:
        return "leech"
    if item.forward:
        return "heard"
    return "new" if item.reason == "new" else "due"


def tomorrow_line(due_tomorrow: int, new_per_day: int) -> str:
    return f"Tomorrow: {due_tomorrow} drill(s) to review, plus up to {new_per_day} new."


def skipped_line(files: Sequence[Path]) -> str:
    return (
        f"{len(files)} pack file(s) skipped with problems: {', '.join(map(str, files))} "
        "(run 'drillcoach packs validate')"
    )


# --- a drill


def previous_line(event: SelfRating, tz: tzinfo | None = None) -> str:
    """'12 Nov 2026 · rated Good · 3 of 5 key points · 0:41' for the last attempt."""
    parts = [written(event.at.astimezone(tz), "%d %b %Y"), f"rated {RATING_NAMES[event.rating]}"]
    if event.key_points_total:
        parts.append(f"{len(event.key_points_hit)} of {event.key_points_total} key points")
    if event.duration_ms is not None:
        parts.append(clock_text(event.duration_ms // 1000))
    return " · ".join(parts)


# --- after a session


def summary_lines(summary: SessionSummary) -> list[str]:
    ratings = ", ".join(f"{count} {name}" for name, count in summary.ratings.items() if count)
    lines = [
        f"Drills done      {summary.drills}",
        f"Ratings          {sum(summary.ratings.values())}: {ratings}",
        f"Time             {clock_text(summary.seconds)} in the session, "
        f"{clock_text(summary.answer_seconds)} answering",
    ]
    if summary.key_points_total:
        share = round(100 * summary.key_points_hit / summary.key_points_total)
        lines.append(
            f"Key points hit   {summary.key_points_hit} of {summary.key_points_total} ({share}%)"
        )
    lines.append(f"Streak           {plural(summary.streak, 'day')}")
    tomorrow = "drill" if summary.due_tomorrow == 1 else "drills"
    lines.append(f"Due tomorrow     {summary.due_tomorrow} {tomorrow} to review, plus new ones")
    return lines


def summary_closing(summary: SessionSummary) -> str:
    from drillcoach.progress.skills import honesty_line

    said = []
    again = summary.ratings.get("Again", 0)
    if again:
        said.append(
            f"{again} drill(s) you rated Again will come back soon - that is the practice working."
        )
    above = honesty_line(summary.above_checklist)
    if above:
        said.append(f"{above}: rating what you hit brings a drill back when you need it.")
    return " ".join(said) or "Clean session. The drills you know well will stay away longer now."


# --- personal scheduling (drillcoach optimize, the Progress screen's offer)


def short_history_line(history: personal.History) -> str:
    from drillcoach.scheduling.personal import MIN_REVIEWS

    return (
        f"Not enough history to fit your own parameters yet: {history.reviews} of the "
        f"{MIN_REVIEWS} reviews needed (ratings of a drill on a later drilling day than its "
        f"previous one), so about {history.missing} more ratings to go."
    )


def fit_lines(found: personal.Fit) -> list[str]:
    """The fit in a few lines: what it was fitted and scored on, then a small table."""
    from drillcoach.scheduling.personal import change

    held_from = found.held_out_from.date().isoformat()
    rows = [("default", found.default)]
    if found.current is not None:
        rows.append(("in use", found.current))
    rows.append(("fitted", found.fitted))
    base = found.baseline
    lines = [
        f"Fitted on {found.train} of your {found.reviews} reviews of {found.drills} drills; "
        f"scored on the {found.held_out} held out, from {held_from} on.",
        f"{'':10}{'log loss':>10}{'RMSE (bins)':>14}",
        *(f"{name:10}{scores.log_loss:>10.4f}{scores.rmse_bins:>14.4f}" for name, scores in rows),
        f"{'change':10}{change(base.log_loss, found.fitted.log_loss):>+9.1f}%"
        f"{change(base.rmse_bins, found.fitted.rmse_bins):>+13.1f}%",
    ]
    if not found.moved:
        lines.append(
            "The fit stayed at the defaults: fsrs-rs sets aside drills whose first intervals "
            f"are too rare to trust, and your {found.drills} drills leave too few. "
            "Starting more drills helps."
        )
    return lines


# --- desired retention, simulated (drillcoach retention, the TUI's Retention screen)

RETENTION_BAR = 40  # the chart's longest bar, in blocks


def workload_line(workload: Workload, days: int) -> str:
    return (
        f"Next {days} days: {len(workload.started)} drills started, "
        f"{len(workload.new)} new waiting ({workload.new_per_day} a day)"
    )


def retention_chart(
    outcomes: Sequence[Outcome], best: Outcome | None, *, block: str = "█",
    width: int = RETENTION_BAR, current: float | None = None,
) -> list[str]:  # fmt: skip
    """Minutes per day against retention, a bar of ``block`` per retention; the suggested
    one says so, and with ``current`` the one in use too."""
    most = max((o.minutes_per_day for o in outcomes), default=0.0) or 1.0
    lines = ["minutes per day"]
    for outcome in outcomes:
        bar = block * max(1, round(outcome.minutes_per_day / most * width))
        marks = ["suggested"] if outcome is best else []
        if current is not None and outcome.is_at(current):
            marks.append("now")
        line = f"{outcome.retention:.2f} {bar} {outcome.minutes_per_day:.1f}"
        lines.append(f"{line}  {', '.join(marks)}" if marks else line)
    return lines


def retention_suggestion(best: Outcome, current: float) -> str:
    return (
        f"Suggested: desired_retention {best.retention:.2f}, "
        f"{best.minutes_per_remembered:.2f} minutes per drill remembered "
        f"(now {current:.2f})."
    )
