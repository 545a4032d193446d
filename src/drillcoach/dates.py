"""Dates as the rep reads them: the day and the month in the order of their locale
(LC_ALL, LC_TIME or LANG, as POSIX ranks them), "Saturday, November 28" in the United
States and "Saturday 28 November" elsewhere; the words stay English, as every other word
drillcoach shows, and what is stored stays UTC. Machine-readable dates (CSV, JSON, the
listings' 2026-11-28) are ISO 8601 everywhere."""

from __future__ import annotations

import os
import re
from datetime import date
from functools import cache

# territories whose people write the month before the day
MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"})
_TERRITORY = re.compile(r"\A[a-zA-Z]{2,3}_([A-Z]{2})\b")
# a day-first pattern: an optional weekday, the day (%d, or %~d for the day unpadded),
# the month, an optional year
_DAY_FIRST = re.compile(r"(?:(%[aA]) )?(%~?d) (%[bB])( %Y)?")


@cache
def month_first() -> bool:
    """Whether this process's locale writes the month first (read once)."""
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(name)
        if value:
            found = _TERRITORY.match(value)
            return found is not None and found[1] in MONTH_FIRST
    return False


def written(day: date, pattern: str) -> str:
    """``day`` by a day-first strftime ``pattern`` ("%a %d %b %Y", "%~d %b": %~d is the
    day without a leading zero), with its day and month swapped where the locale puts
    the month first ("%a, %b %d, %Y")."""
    if month_first():
        pattern = _DAY_FIRST.sub(_swapped, pattern)
    return day.strftime(pattern.replace("%~d", str(day.day)))


def _swapped(found: re.Match[str]) -> str:
    weekday, _, month, year = found.groups()
    text = f"{weekday}, " if weekday else ""
    text += f"{month} %~d"  # "Mar 5", as month-first writers write it, never "Mar 05"
    return text + (f",{year}" if year else "")
