"""A rep's progress summary as plain values (issue 12): what the Progress screen, the
manager's team view and every format of ``drillcoach report`` show, computed once
(progress/summary.py) from the rep's events and cards. Nothing here reads a store or
knows a screen; ``SUMMARY_VERSION`` versions the JSON these values become."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeAlias

SUMMARY_VERSION = 1

# The windows the summary looks through (drilling days, counted back from today, today
# included), so every format says the same span.
WEEKS = 12  # habit and volume: weeks, Monday to Sunday, this one last
CALENDAR_DAYS = 182  # the calendar: six months
RETENTION_DAYS = 30
HONESTY_DAYS = 30
CHANGE_WEEKS = 4  # a skill's change: its mean rating these weeks against the ones before
CALIBRATION_DAYS = 90
READY_DAYS = 90  # how recent a role-play's manager rating must be for a pack to be ready
AHEAD_DAYS = 14
CALIBRATION_GAP = 0.5  # self minus manager: at least this over-confident, at most minus it under
CalibrationLabel: TypeAlias = Literal["over-confident", "under-confident", "calibrated"]


@dataclass(frozen=True)
class Week:
    """One week (Monday to Sunday, in drilling days): days drilled, drills rated (each
    drill once a day), minutes answering."""

    start: date
    days: int
    drills: int
    minutes: int


@dataclass(frozen=True)
class Habit:
    current_streak: int
    longest_streak: int
    weeks: tuple[Week, ...]  # the last 12, oldest first (this one last)
    calendar: tuple[tuple[date, int], ...]  # the last 182 days, oldest first: drills rated
    commitments_kept: tuple[int, int] | None  # (kept, judged); None: no commitment judged


@dataclass(frozen=True)
class Retention:
    """True retention over the last 30 days: of the first review each day of drills in
    review state, the share rated Hard or better (the manager's rating where it counts)."""

    true_retention: float | None  # None: no such review
    reviews: int
    desired: float


@dataclass(frozen=True)
class SkillProgress:
    skill: str
    title: str
    started: int
    total: int  # drills of the skill in the packs feeding the rep's queue
    mastered: int  # stability of 21 days or more
    recall: float | None  # mean probability of recall today over started drills
    first_mean: float | None  # mean of the first rating of each drill (1 to 4)
    latest_mean: float | None  # mean of the latest rating of each drill
    change: float | None  # percent change of the 4 weeks' mean against the 4 before


@dataclass(frozen=True)
class Honesty:
    """Self-ratings above what the rep's own ticked key points suggested."""

    skill: str
    above: int
    rated: int


@dataclass(frozen=True)
class CalibrationPoint:
    week: date
    self_mean: float
    manager_mean: float


@dataclass(frozen=True)
class Calibration:
    skill: str
    self_mean: float
    manager_mean: float
    gap: float  # self minus manager, on the 1 to 4 scale
    label: CalibrationLabel
    points: tuple[CalibrationPoint, ...]  # by week, oldest first


@dataclass(frozen=True)
class PackProgress:
    pack: str
    title: str
    total: int
    started: int
    mastered: int
    due: date | None  # an assignment's due date, the earliest
    overdue: bool
    ready: bool  # every drill mastered, every role-play rated 4+ by a manager lately


@dataclass(frozen=True)
class Ahead:
    due: tuple[tuple[date, int], ...]  # drills due on each of the next 14 days
    leeches: tuple[str, ...]  # drill uids
    minutes_per_day: int  # estimated, over those 14 days


@dataclass(frozen=True)
class RepSummary:
    rep: str
    name: str
    as_of: datetime
    habit: Habit
    volume: tuple[Week, ...]  # the same weeks as habit.weeks
    retention: Retention
    skills: tuple[SkillProgress, ...]
    honesty: tuple[Honesty, ...]
    calibration: tuple[Calibration, ...]
    packs: tuple[PackProgress, ...]
    ahead: Ahead
    version: int = SUMMARY_VERSION
