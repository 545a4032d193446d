"""Time for the rep: the injected clock, and drilling days that start at a local hour."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Days:
    """Drilling days: a day starts at ``start_hour`` local time, not at midnight."""

    def __init__(self, start_hour: int, tz: tzinfo | None = None) -> None:
        self.start_hour = start_hour
        self.tz = tz  # None: the machine's local time zone

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the rep's time zone: the one every date drillcoach shows uses."""
        return moment.astimezone(self.tz) if self.tz else moment.astimezone()

    def day_of(self, moment: datetime) -> date:
        return (self.local(moment) - timedelta(hours=self.start_hour)).date()

    def start_of(self, day: date) -> datetime:
        naive = datetime.combine(day, time(self.start_hour))
        local = naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
        return local.astimezone(UTC)

    def next_start(self, moment: datetime) -> datetime:
        return self.start_of(self.day_of(moment) + timedelta(days=1))
