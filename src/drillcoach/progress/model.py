"""A rep's progress summary as plain values (issue 12): what the Progress screen, the
manager's team view and every format of ``drillcoach report`` show, computed once
(progress/summary.py) from the rep's events and cards; and a manager's team summary, a
row a rep made from that same summary (progress/team_summary.py). Nothing here reads a
store or knows a screen; ``SUMMARY_VERSION`` versions the JSON these values become."""

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
# the team summary's windows
TEAM_DAYS = 30  # days drilled in the last 30
TREND_DAYS = 14  # a trend: the last 14 drilling days against the 14 before
TREND_DAYS_DRILLED = 2  # days drilled: this many more (or fewer) is a rise (or a fall)
TREND_RATING = 0.25  # the mean rating, 1 to 4: this much higher (or lower) is a rise (a fall)
Direction: TypeAlias = Literal["up", "down", "steady"]


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


# --- a manager's team summary: a row a rep, made from each rep's RepSummary


@dataclass(frozen=True)
class Trend:
    """A figure over the last TREND_DAYS drilling days against the TREND_DAYS before."""

    recent: float | None  # None: nothing to measure (no rating those days)
    before: float | None
    direction: Direction | None  # None: one of the two is missing


@dataclass(frozen=True)
class TeamSkill:
    skill: str
    title: str


@dataclass(frozen=True)
class WidestGap:
    """The rep's calibration with the widest gap (the first of RepSummary.calibration)."""

    skill: str
    title: str
    gap: float  # self minus manager, on the 1 to 4 scale
    label: CalibrationLabel


@dataclass(frozen=True)
class ChecklistHonesty:
    """Self-ratings above the ticked key points over the last HONESTY_DAYS, every skill."""

    above: int
    rated: int
    share: float | None  # above / rated; None: no self-rating with a checklist


@dataclass(frozen=True)
class SkillMastery:
    """One cell of the team-by-skill grid: drills of the skill mastered of its total."""

    skill: str
    mastered: int
    total: int  # 0: no drill of the skill feeds the rep's queue
    share: float | None  # mastered / total; None when total is 0


@dataclass(frozen=True)
class TeamRow:
    rep: str
    name: str
    last_drilled: date | None  # the rep's last drilling day
    streak: int
    days_drilled: int  # drilling days of the last TEAM_DAYS
    days_trend: Trend  # days drilled
    rating_trend: Trend  # the mean of the ratings that count for scheduling
    packs_assigned: int
    packs_done: int  # assigned packs with every drill mastered
    packs_overdue: int
    retention: float | None  # true retention, as the rep's summary has it
    retention_reviews: int  # the reviews true retention is of (RepSummary.retention.reviews)
    weakest: TeamSkill | None  # the lowest mean latest rating; None: nothing rated
    calibration: WidestGap | None  # None: no manager rating to compare with
    honesty: ChecklistHonesty
    leeches: int
    inbox: int  # answers the rep sent for review that wait for a manager
    vision_shared: bool
    vision: str | None  # the vision's headline, when shared and written
    mastery: tuple[SkillMastery, ...]  # one a skill of TeamSummary.skills, in that order


@dataclass(frozen=True)
class TeamSummary:
    name: str  # the team's name
    manager: str  # the manager's member id
    manager_name: str
    as_of: datetime
    everyone: bool  # every rep below the manager; False: the reps reporting to them
    skills: tuple[TeamSkill, ...]  # the grid's columns: skills any rep has drills of
    reps: tuple[TeamRow, ...]  # in team.toml's order
    version: int = SUMMARY_VERSION
