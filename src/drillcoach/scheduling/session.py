"""One sitting: the queue worked through in order; a drill rated Again (or still in
learning) comes back before the session ends; undo, suspend and bury within it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from drillcoach.scheduling.days import system_clock
from drillcoach.scheduling.queue import Queue, QueueItem
from drillcoach.scheduling.recording import Attempt, Rated
from drillcoach.scheduling.scheduler import DrillScheduler


@dataclass
class Session:
    scheduler: DrillScheduler
    pending: list[QueueItem]
    started_at: datetime = field(default_factory=system_clock)
    rated: list[Rated] = field(default_factory=list)

    @classmethod
    def start(cls, scheduler: DrillScheduler, queue: Queue | None = None) -> Session:
        queue = queue or scheduler.queue()
        return cls(scheduler, list(queue.items), scheduler.clock())

    @property
    def current(self) -> QueueItem | None:
        return self.pending[0] if self.pending else None

    @property
    def remaining(self) -> int:
        return len(self.pending)

    def record(self, rating: int, attempt: Attempt | None = None) -> Rated:
        """Rate the current drill (stored before this returns) and move to the next."""
        item = self.pending[0]
        rated = self.scheduler.record_self(item.drill, rating, attempt or Attempt())
        self.pending.pop(0)
        self.rated.append(rated)
        day_end = self.scheduler.days.next_start(self.scheduler.clock())
        if rated.state.in_learning and rated.state.due < day_end:
            self.pending.append(replace(item, state=rated.state, reason="due"))
        return rated

    def undo(self) -> QueueItem | None:
        """Take back this session's last rating and put that drill first again."""
        if not self.rated:
            return None
        last = self.rated[-1]
        self.scheduler.recorder.undo(last.event)  # False: already taken back elsewhere
        self.rated.pop()
        drill = self.scheduler.library.drill(last.event.drill_uid)
        if drill is None:
            return None
        self.pending = [item for item in self.pending if item.drill.uid != drill.uid]
        state = self.scheduler.state(drill)
        item = QueueItem(drill, state, "new" if state.is_new else "due")
        self.pending.insert(0, item)
        return item

    def skip_current(self, action: Literal["suspend", "bury"]) -> QueueItem | None:
        """Suspend or bury the current drill and move on."""
        if not self.pending:
            return None
        item = self.pending[0]
        self.scheduler.set_aside(item.drill, action)  # stored first: a refusal changes nothing
        self.pending = [other for other in self.pending if other.drill.uid != item.drill.uid]
        return item
