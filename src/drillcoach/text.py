"""Words both the CLI and the TUI say: Today's lines, rating intervals, clock times, the
last attempt and the session summary. One function per sentence, so they cannot drift."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from drillcoach.events import SelfRating
from drillcoach.progress.habit import Consistency
from drillcoach.progress.session import SessionSummary
from drillcoach.scheduling.queue import Queue, QueueItem
from drillcoach.scheduling.rules import RATING_NAMES


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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


# --- Today


def greeting(hour: int) -> str:
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


def date_text(moment: datetime) -> str:
    return f"{moment:%A %d %B}"


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


def assigned_lines(queue: Queue) -> list[str]:
    return [
        f"Assigned by {a.assignment.by}: {a.title}, due {a.assignment.due:%d %b} "
        f"({a.new_left} of {a.total} not started)"
        + (f" - {a.assignment.note}" if a.assignment.note else "")
        for a in queue.assigned
    ]


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
    """'new', 'due' or 'leech': how a drill is marked in the queue."""
    if item.state.is_leech:
        return "leech"
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
    parts = [f"{event.at.astimezone(tz):%d %b %Y}", f"rated {RATING_NAMES[event.rating]}"]
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
    again = summary.ratings.get("Again", 0)
    if again:
        return (
            f"{again} drill(s) you rated Again will come back soon - that is the practice working."
        )
    return "Clean session. The drills you know well will stay away longer now."
