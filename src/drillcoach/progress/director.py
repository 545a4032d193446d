"""A director's summary (issue 12): a row a manager directly below them, pooled from the
rows of that manager's own team summary (progress/team_summary.py, every rep below the
manager), so a manager's row is the same whether the director or the manager reads it;
and a manager-by-skill grid of mastery pooled per skill."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.progress.model import (
    SUMMARY_VERSION,
    CalibrationLabel,
    ChecklistHonesty,
    SkillMastery,
    TeamRow,
    TeamSkill,
    TeamSummary,
)
from drillcoach.progress.skills import skill_order
from drillcoach.progress.team_facts import TeamReader
from drillcoach.progress.team_summary import team_summary
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.team.workspace import Member, Membership


@dataclass(frozen=True)
class RepGap:
    """The widest calibration gap among a manager's reps, and whose it is."""

    rep: str
    name: str
    skill: str
    title: str
    gap: float  # self minus manager, on the 1 to 4 scale
    label: CalibrationLabel


@dataclass(frozen=True)
class ManagerRow:
    """A manager's team pooled: sums of counts, the pooled shares, the median streak."""

    manager: str
    name: str
    reps: int
    last_drilled: date | None  # the latest of their reps'
    streak: float | None  # the median of the reps' current streaks; None: no rep
    days_drilled: float | None  # the mean of the reps' days drilled of the last 30
    packs_assigned: int
    packs_done: int
    packs_overdue: int
    retention: float | None  # true retention of all their reps' reviews together
    retention_reviews: int
    weakest: TeamSkill | None  # the skill weakest for most of their reps
    weakest_reps: int  # how many reps have it weakest
    calibration: RepGap | None  # the widest gap of any of their reps
    honesty: ChecklistHonesty  # every rep's self-ratings together
    leeches: int
    inbox: int
    visions: int  # reps sharing a vision
    mastery: tuple[SkillMastery, ...]  # one a skill of DirectorSummary.skills, pooled


@dataclass(frozen=True)
class DirectorSummary:
    name: str  # the team's name
    director: str
    director_name: str
    as_of: datetime
    reps: int  # reps below the managers of ``managers``
    skills: tuple[TeamSkill, ...]  # the grid's columns: skills of any manager's grid
    managers: tuple[ManagerRow, ...]  # in team.toml's order
    teams: tuple[TeamSummary, ...]  # each manager's own team summary, in that order
    version: int = SUMMARY_VERSION


def managers_below(mine: Membership) -> list[Member]:
    """The managers reporting to me directly, in team.toml's order: I am a director when
    there is one."""
    return [member for member in mine.team.direct(mine.me.id) if member.role == "manager"]


def manager_team(
    store: Store,
    library: Library,
    config: Config,
    mine: Membership,
    manager: Member,
    days: Days,
    now: datetime,
    reader: TeamReader | None = None,
) -> TeamSummary:
    """The team summary of a manager below me, as they see it (every rep below them), from
    what my syncs brought into my ``store`` (``reader``: as team_summary's)."""
    theirs = Membership(mine.team, manager)
    return team_summary(store, library, config, theirs, days, now, everyone=True, reader=reader)


def director_summary(
    store: Store,
    library: Library,
    config: Config,
    mine: Membership,
    days: Days,
    now: datetime,
    reader: TeamReader | None = None,
) -> DirectorSummary:
    """A row a manager directly below me, each from that manager's own team summary
    (``reader``: as team_summary's; every rep below me is read first, all at once)."""
    managers = managers_below(mine)
    reader = reader or TeamReader(store, library, config, days, now)
    reader.facts_of(mine.my_reps(everyone=True))
    teams = tuple(
        manager_team(store, library, config, mine, manager, days, now, reader)
        for manager in managers
    )
    titles = {skill.skill: skill.title for team in teams for skill in team.skills}
    skills = tuple(TeamSkill(skill, titles[skill]) for skill in skill_order(library, titles))
    return DirectorSummary(
        name=mine.team.name,
        director=mine.me.id,
        director_name=mine.me.name,
        as_of=days.local(now),
        reps=sum(len(team.reps) for team in teams),
        skills=skills,
        managers=tuple(manager_row(team, skills) for team in teams),
        teams=teams,
    )


def manager_row(team: TeamSummary, skills: Sequence[TeamSkill]) -> ManagerRow:
    """A manager's row pooled from the rows of their team summary."""
    rows = team.reps
    drilled = [row.last_drilled for row in rows if row.last_drilled is not None]
    reviews = sum(row.retention_reviews for row in rows)
    kept = sum(round((row.retention or 0.0) * row.retention_reviews) for row in rows)
    above = sum(row.honesty.above for row in rows)
    rated = sum(row.honesty.rated for row in rows)
    weakest, weakest_reps = most_often_weakest(rows, skills)
    return ManagerRow(
        manager=team.manager,
        name=team.manager_name,
        reps=len(rows),
        last_drilled=max(drilled) if drilled else None,
        streak=statistics.median(row.streak for row in rows) if rows else None,
        days_drilled=statistics.mean(row.days_drilled for row in rows) if rows else None,
        packs_assigned=sum(row.packs_assigned for row in rows),
        packs_done=sum(row.packs_done for row in rows),
        packs_overdue=sum(row.packs_overdue for row in rows),
        retention=kept / reviews if reviews else None,
        retention_reviews=reviews,
        weakest=weakest,
        weakest_reps=weakest_reps,
        calibration=widest_gap(rows),
        honesty=ChecklistHonesty(above, rated, above / rated if rated else None),
        leeches=sum(row.leeches for row in rows),
        inbox=sum(row.inbox for row in rows),
        visions=sum(row.vision_shared for row in rows),
        mastery=pooled_mastery(rows, skills),
    )


def most_often_weakest(
    rows: Sequence[TeamRow], skills: Sequence[TeamSkill]
) -> tuple[TeamSkill | None, int]:
    """The skill weakest for most reps and for how many; of two alike, the first in the
    skill map (the grid's order)."""
    counts = Counter(row.weakest for row in rows if row.weakest is not None)
    if not counts:
        return None, 0
    order = {skill.skill: n for n, skill in enumerate(skills)}
    found = min(counts, key=lambda skill: (-counts[skill], order.get(skill.skill, len(order))))
    return found, counts[found]


def widest_gap(rows: Sequence[TeamRow]) -> RepGap | None:
    """The rep's widest gap that is widest of all (either way); the first rep of two alike."""
    gaps = [row for row in rows if row.calibration is not None]
    if not gaps:
        return None
    row = max(gaps, key=lambda row: abs(row.calibration.gap) if row.calibration else 0.0)
    gap = row.calibration
    assert gap is not None
    return RepGap(row.rep, row.name, gap.skill, gap.title, gap.gap, gap.label)


def pooled_mastery(
    rows: Sequence[TeamRow], skills: Sequence[TeamSkill]
) -> tuple[SkillMastery, ...]:
    """Per skill, drills mastered of the skill's drills over every rep together."""
    cells = []
    for skill in skills:
        found = [cell for row in rows for cell in row.mastery if cell.skill == skill.skill]
        mastered = sum(cell.mastered for cell in found)
        total = sum(cell.total for cell in found)
        cells.append(
            SkillMastery(skill.skill, mastered, total, mastered / total if total else None)
        )
    return tuple(cells)
