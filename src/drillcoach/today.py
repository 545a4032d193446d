"""What Today shows, gathered once so the CLI and the TUI show the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.progress.habit import Consistency, consistency
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
    """The rep's habit as of now, reading only the recent self-ratings a streak needs: a
    window of days, widened only while the streak reaches back to its start."""
    now = scheduler.clock()
    days = scheduler.days
    window = 64
    while True:
        since = days.start_of(days.day_of(now) - timedelta(days=window))
        times = scheduler.store.self_rating_times(scheduler.rep, since=since)
        habit = consistency(times, days, now)
        if habit.streak < window:
            return habit
        window *= 4


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
