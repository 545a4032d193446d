"""Time for the rep: the injected clock, and drilling days that start at a local hour,
right across daylight-saving changes."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def machine_zone() -> tzinfo | None:
    """The machine's time zone with its daylight-saving rules (TZ, else /etc/localtime),
    or None where neither names one (a POSIX TZ string: the C library's own rules)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    key = os.environ.get("TZ", "").lstrip(":")
    try:
        if key:
            return ZoneInfo(key)
        with open("/etc/localtime", "rb") as zone_file:
            return ZoneInfo.from_file(zone_file, key="localtime")
    except (ZoneInfoNotFoundError, OSError, ValueError):
        return None


class Days:
    """Drilling days: a day starts at ``start_hour`` local time, not at midnight. When the
    clocks jump over that hour, the day starts when they land; when they repeat it, at
    its first pass."""

    def __init__(self, start_hour: int, tz: tzinfo | None = None) -> None:
        self.start_hour = start_hour
        self.tz = tz  # None: the machine's local time zone
        self.zone = tz or machine_zone()

    def __reduce__(self) -> tuple[type[Days], tuple[int, tzinfo | None]]:
        """Pickled as what it is made from: a process it is sent to finds the machine's
        zone itself (read from /etc/localtime, that zone cannot be pickled)."""
        return Days, (self.start_hour, self.tz)

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the rep's time zone: the one every date drillcoach shows uses."""
        return moment.astimezone(self.zone) if self.zone else moment.astimezone()

    def date_of(self, moment: datetime) -> date:
        """The calendar date of ``moment`` in the rep's time zone: the date a record shows
        (its drilling day, ``day_of``, is the day before until the day starts)."""
        return self.local(moment).date()

    def day_of(self, moment: datetime) -> date:
        return (self.local(moment) - timedelta(hours=self.start_hour)).date()

    def start_of(self, day: date) -> datetime:
        naive = datetime.combine(day, time(self.start_hour))
        if self.zone is None:
            return naive.astimezone().astimezone(UTC)
        # fold=0: in a repeated hour, its first pass; in a skipped one, the zone's offset
        # before the jump, which puts the instant exactly where the clocks land
        return naive.replace(tzinfo=self.zone, fold=0).astimezone(UTC)

    def next_start(self, moment: datetime) -> datetime:
        return self.start_of(self.day_of(moment) + timedelta(days=1))
