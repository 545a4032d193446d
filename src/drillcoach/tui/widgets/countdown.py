"""A timer against a drill's time limit that keeps going past zero in a warning colour
(or, for a drill with no time limit, a clock that only counts up)."""

from __future__ import annotations

from datetime import datetime

from textual.timer import Timer
from textual.widgets import Static

from drillcoach.scheduling.days import Clock
from drillcoach.text import clock_text


class Countdown(Static):
    """Shows time used against the limit; the clock is the scheduler's, so tests can fix it."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        padding: 0 1;
    }
    Countdown.-over {
        color: $text-warning;
        background: $warning-muted;
        text-style: bold;
    }
    """

    def __init__(self, clock: Clock, limit: int | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.limit = limit
        self.started: datetime = clock()
        self.stopped: datetime | None = None
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.5, self.refresh_time)
        self.refresh_time()

    @property
    def elapsed(self) -> float:
        end = self.stopped or self.clock()
        return max(0.0, (end - self.started).total_seconds())

    def stop(self) -> float:
        """Freeze the timer (on reveal) and return the seconds used."""
        if self.stopped is None:
            self.stopped = self.clock()
            if self._timer is not None:
                self._timer.stop()
            self.refresh_time()
        return self.elapsed

    def refresh_time(self) -> None:
        used = self.elapsed
        if self.limit is None:
            self.update(clock_text(used))
            return
        over = used > self.limit
        text = f"{clock_text(used)} / {clock_text(self.limit)}"
        if over:
            text += f"  +{clock_text(used - self.limit)} over"
        self.set_class(over, "-over")
        self.update(text)
