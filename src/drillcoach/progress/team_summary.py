"""A manager's team summary (issue 12): a row a rep they manage, made from that rep's own
summary (progress/summary.py) over the events their syncs brought into the manager's
store, so every figure of a row is one of the rep's summary; the trends of the last two
weeks against the two before; and a team-by-skill grid of mastery."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from drillcoach.coaching.view import shared_view
from drillcoach.coaching.vision import vision_headline
from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.events import Vision
from drillcoach.progress.history import Counted
from drillcoach.progress.model import (
    TEAM_DAYS,
    TREND_DAYS,
    TREND_DAYS_DRILLED,
    TREND_RATING,
    ChecklistHonesty,
    RepSummary,
    SkillMastery,
    TeamRow,
    TeamSkill,
    TeamSummary,
    Trend,
    WidestGap,
)
from drillcoach.progress.skills import skill_order, skill_title
from drillcoach.progress.summary import counting_of, read_history, summarise
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.team.feedback import open_requests
from drillcoach.team.workspace import Member, Membership


def team_summary(
    store: Store,
    library: Library,
    config: Config,
    mine: Membership,
    days: Days,
    now: datetime,
    *,
    everyone: bool = False,
    known: dict[str, RepFacts] | None = None,
) -> TeamSummary:
    """The reps I manage directly (``everyone``: every rep below me), in team.toml's
    order, each from the history their syncs brought into my ``store``: a row of figures
    of their summary as ``rep_summary`` computes it with the same ``days`` (give the
    scheduler's), the answers they sent that wait for review, and their vision's
    headline when they share it. ``known``: the facts of reps read already with the same
    ``days`` and ``now`` (a director's screen reads each rep once for all its teams)."""
    if now.tzinfo is None:
        raise ValueError("now: expected a timezone-aware datetime")
    waiting = Counter(request.rep for request in open_requests(store, mine, everyone))
    known = {} if known is None else known
    reps = []
    for member in mine.my_reps(everyone=everyone):
        facts = known.get(member.id)
        if facts is None:
            facts = known[member.id] = rep_facts(store, library, config, member, days, now)
        reps.append(replace(facts, inbox=waiting[member.id]))
    skills = grid_skills(library, [facts.summary for facts in reps])
    return TeamSummary(
        name=mine.team.name,
        manager=mine.me.id,
        manager_name=mine.me.name,
        as_of=days.local(now),
        everyone=everyone,
        skills=skills,
        reps=tuple(team_row(facts, library, skills) for facts in reps),
    )


@dataclass(frozen=True)
class RepFacts:
    """What a rep's row is made of: their summary, and what it does not hold."""

    summary: RepSummary
    last_drilled: date | None
    rating_trend: Trend
    inbox: int
    vision_shared: bool
    vision: str | None


def rep_facts(
    store: Store, library: Library, config: Config, member: Member, days: Days, now: datetime
) -> RepFacts:
    """One rep's facts from my store, their inbox left at 0 (it depends on who looks)."""
    history = read_history(store, library, config, member.id, days, now)
    counting = counting_of(history, days)
    summary = summarise(history, library, config, days, rep=member.id, name=member.name,
                        counting=counting)  # fmt: skip
    shares = shared_view(store, member.id).vision
    vision = store.latest_coaching(member.id, Vision) if shares else None
    return RepFacts(
        summary=summary,
        last_drilled=date.fromordinal(history.own[-1].day) if history.own else None,
        rating_trend=rating_trend(counting.by_drill, history.today),
        inbox=0,
        vision_shared=shares,
        vision=vision_headline(vision, whose="") if vision is not None else None,
    )


def grid_skills(library: Library, summaries: Iterable[RepSummary]) -> tuple[TeamSkill, ...]:
    """The skills any rep has drills of in their queue's packs, in the skill map's order."""
    titles: dict[str, str] = {}
    for summary in summaries:
        for skill in summary.skills:
            titles.setdefault(skill.skill, skill.title)
    return tuple(TeamSkill(skill, titles[skill]) for skill in skill_order(library, titles))


def team_row(facts: RepFacts, library: Library, skills: Sequence[TeamSkill]) -> TeamRow:
    """A rep's row: every figure read off their summary (the one computation), none
    worked out again."""
    summary = facts.summary
    calendar = [drills for _, drills in summary.habit.calendar]  # today last
    assigned = [pack for pack in summary.packs if pack.due is not None]
    above = sum(item.above for item in summary.honesty)
    rated = sum(item.rated for item in summary.honesty)
    widest = summary.calibration[0] if summary.calibration else None  # widest gap first
    return TeamRow(
        rep=summary.rep,
        name=summary.name,
        last_drilled=facts.last_drilled,
        streak=summary.habit.current_streak,
        days_drilled=sum(1 for drills in calendar[-TEAM_DAYS:] if drills),
        days_trend=days_trend(calendar),
        rating_trend=facts.rating_trend,
        packs_assigned=len(assigned),
        packs_done=sum(pack.mastered >= pack.total for pack in assigned),
        packs_overdue=sum(pack.overdue for pack in assigned),
        retention=summary.retention.true_retention,
        retention_reviews=summary.retention.reviews,
        weakest=weakest_skill(summary),
        calibration=WidestGap(
            widest.skill, skill_title(library, widest.skill), widest.gap, widest.label
        )
        if widest is not None
        else None,
        honesty=ChecklistHonesty(above, rated, above / rated if rated else None),
        leeches=len(summary.ahead.leeches),
        inbox=facts.inbox,
        vision_shared=facts.vision_shared,
        vision=facts.vision,
        mastery=mastery(summary, skills),
    )


def weakest_skill(summary: RepSummary) -> TeamSkill | None:
    """The skill whose drills' latest ratings are lowest on average; of two alike, the one
    with less of it mastered, then the first in the skill map. None: nothing rated."""
    rated = [skill for skill in summary.skills if skill.latest_mean is not None]
    if not rated:
        return None
    weakest = min(
        enumerate(rated),
        key=lambda found: (found[1].latest_mean, found[1].mastered / found[1].total, found[0]),
    )[1]
    return TeamSkill(weakest.skill, weakest.title)


def mastery(summary: RepSummary, skills: Sequence[TeamSkill]) -> tuple[SkillMastery, ...]:
    """The rep's cells of the grid: each skill's drills mastered of its total."""
    mine = {skill.skill: skill for skill in summary.skills}
    cells = []
    for skill in skills:
        found = mine.get(skill.skill)
        mastered, total = (found.mastered, found.total) if found else (0, 0)
        share = mastered / total if total else None
        cells.append(SkillMastery(skill.skill, mastered, total, share))
    return tuple(cells)


# --- trends: the last TREND_DAYS drilling days against the TREND_DAYS before


def trend(recent: float | None, before: float | None, step: float) -> Trend:
    """Up when ``recent`` is ``step`` or more above ``before``, down when as far below,
    steady between; no direction when either is missing."""
    if recent is None or before is None:
        return Trend(recent, before, None)
    if recent - before >= step:
        return Trend(recent, before, "up")
    if before - recent >= step:
        return Trend(recent, before, "down")
    return Trend(recent, before, "steady")


def days_trend(calendar: Sequence[int]) -> Trend:
    """Days drilled, from the summary's calendar (drills a day, today last)."""
    recent = sum(1 for drills in calendar[-TREND_DAYS:] if drills)
    before = sum(1 for drills in calendar[-2 * TREND_DAYS : -TREND_DAYS] if drills)
    return trend(recent, before, TREND_DAYS_DRILLED)


def rating_trend(by_drill: Mapping[str, Sequence[Counted]], today: date) -> Trend:
    """The mean of the ratings that count for scheduling (the rep's own, the manager's on
    a day they rated the drill), 1 Again to 4 Easy."""
    last = today.toordinal()
    recent_from = last - TREND_DAYS + 1
    before_from = recent_from - TREND_DAYS
    recent: list[int] = []
    before: list[int] = []
    for ratings in by_drill.values():
        for counted in ratings:
            if recent_from <= counted.day <= last:
                recent.append(counted.rating)
            elif before_from <= counted.day < recent_from:
                before.append(counted.rating)
    return trend(_mean(recent), _mean(before), TREND_RATING)


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None
