"""What Today shows, gathered once so the CLI and the TUI show the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.progress.habit import Consistency, consistency_of
from drillcoach.scheduling.queue import Queue
from drillcoach.scheduling.scheduler import DrillScheduler


@dataclass(frozen=True)
class Today:
    name: str
    now: datetime  # in the rep's time zone
    habit: Consistency
    queue: Queue
    due_tomorrow: int | None  # counted only once today's queue is empty
    new_per_day: int
    skipped: tuple[Path, ...]  # pack files with problems, not loaded


def habit_of(scheduler: DrillScheduler) -> Consistency:
    """The rep's habit as of now, asking the store one indexed question per day that
    matters (this week's, and the streak's back to its first gap), whatever the history."""
    days = scheduler.days
    today = days.day_of(scheduler.clock())

    def practised(day: date) -> bool:
        start = days.start_of(day)
        end = days.start_of(day + timedelta(days=1))
        return scheduler.store.self_rated_between(scheduler.rep, start, end)

    found = {day for offset in range(today.weekday() + 1)
             if practised(day := today - timedelta(days=offset))}  # fmt: skip
    day = today - timedelta(days=1)
    while day in found or (day < today - timedelta(days=today.weekday()) and practised(day)):
        found.add(day)
        day -= timedelta(days=1)
    return consistency_of(found, today)


def gather_today(scheduler: DrillScheduler, library: Library, config: Config) -> Today:
    now = scheduler.clock()
    queue = scheduler.queue()
    return Today(
        name=config.name,
        now=scheduler.days.local(now),
        habit=habit_of(scheduler),
        queue=queue,
        due_tomorrow=scheduler.due_tomorrow() if queue.is_empty else None,
        new_per_day=config.new_per_day,
        skipped=tuple(sorted({problem.file for problem in library.problems})),
    )
