"""What Today shows, gathered once so the CLI and the TUI show the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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


def gather_today(scheduler: DrillScheduler, library: Library, config: Config) -> Today:
    now = scheduler.clock()
    queue = scheduler.queue()
    times = scheduler.store.self_rating_times(scheduler.rep)
    return Today(
        name=config.name,
        now=scheduler.days.local(now),
        habit=consistency(times, scheduler.days, now),
        queue=queue,
        due_tomorrow=scheduler.due_tomorrow() if queue.is_empty else None,
        new_per_day=config.new_per_day,
        skipped=tuple(sorted({problem.file for problem in library.problems})),
    )
