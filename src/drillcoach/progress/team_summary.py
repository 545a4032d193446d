"""A manager's team summary (issue 12): a row a rep they manage, whose every figure is
one of that rep's summary (progress/summary.py) over the events their syncs brought into
the manager's store, read lean (progress/team_facts.py); the trends of the last two
weeks against the two before; and a team-by-skill grid of mastery."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.progress.model import (
    TEAM_DAYS,
    SkillMastery,
    TeamRow,
    TeamSkill,
    TeamSummary,
    WidestGap,
)
from drillcoach.progress.skills import calibration_label, skill_order, skill_title
from drillcoach.progress.summary import counting_of, read_history, summarise
from drillcoach.progress.team_facts import (
    RowFacts,
    SkillStanding,
    TeamReader,
    days_trend,
    rating_trend,
    row_facts,
    trend,
    vision_of,
)
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.team.feedback import open_requests
from drillcoach.team.workspace import Member, Membership

__all__ = ["RowFacts", "days_trend", "rating_trend", "rep_facts", "team_row", "team_summary",
           "trend", "weakest_skill"]  # fmt: skip


def team_summary(
    store: Store,
    library: Library,
    config: Config,
    mine: Membership,
    days: Days,
    now: datetime,
    *,
    everyone: bool = False,
    reader: TeamReader | None = None,
) -> TeamSummary:
    """The reps I manage directly (``everyone``: every rep below me), in team.toml's
    order, each from the history their syncs brought into my ``store``: a row of the
    figures their summary has as ``rep_summary`` computes it with the same ``days`` (give
    the scheduler's), read lean (progress/team_facts.py), with the answers they sent that
    wait for review. ``reader``: one made with the same values, which keeps the reps read
    (a director's teams share one, so each rep is read once for all)."""
    if now.tzinfo is None:
        raise ValueError("now: expected a timezone-aware datetime")
    waiting = Counter(request.rep for request in open_requests(store, mine, everyone))
    reader = reader or TeamReader(store, library, config, days, now)
    members = mine.my_reps(everyone=everyone)
    found = reader.facts_of(members)
    reps = [replace(found[member.id], inbox=waiting[member.id]) for member in members]
    skills = grid_skills(library, reps)
    return TeamSummary(
        name=mine.team.name,
        manager=mine.me.id,
        manager_name=mine.me.name,
        as_of=days.local(now),
        everyone=everyone,
        skills=skills,
        reps=tuple(team_row(facts, library, skills) for facts in reps),
    )


def rep_facts(
    store: Store, library: Library, config: Config, member: Member, days: Days, now: datetime
) -> RowFacts:
    """One rep's row facts read off their whole summary (the one computation the lean
    read equals; the tests compare the two), their inbox left at 0."""
    history = read_history(store, library, config, member.id, days, now)
    counting = counting_of(history, days)
    summary = summarise(history, library, config, days, rep=member.id, name=member.name,
                        counting=counting)  # fmt: skip
    shares, vision = vision_of(store, member.id)
    return row_facts(
        summary,
        last_drilled=date.fromordinal(history.own[-1].day) if history.own else None,
        rating_trend=rating_trend(counting.by_drill, history.today),
        inbox=0,
        vision_shared=shares,
        vision=vision,
    )


def grid_skills(library: Library, reps: Iterable[RowFacts]) -> tuple[TeamSkill, ...]:
    """The skills any rep has drills of in their queue's packs, in the skill map's order."""
    titles: dict[str, str] = {}
    for facts in reps:
        for skill in facts.skills:
            titles.setdefault(skill.skill, skill.title)
    return tuple(TeamSkill(skill, titles[skill]) for skill in skill_order(library, titles))


def team_row(facts: RowFacts, library: Library, skills: Sequence[TeamSkill]) -> TeamRow:
    """A rep's row: every figure read off their facts, none worked out again."""
    assigned = [pack for pack in facts.packs if pack.due is not None]
    widest = facts.calibration
    return TeamRow(
        rep=facts.rep,
        name=facts.name,
        last_drilled=facts.last_drilled,
        streak=facts.streak,
        days_drilled=sum(1 for drills in facts.recent[-TEAM_DAYS:] if drills),
        days_trend=days_trend(facts.recent),
        rating_trend=facts.rating_trend,
        packs_assigned=len(assigned),
        packs_done=sum(pack.mastered >= pack.total for pack in assigned),
        packs_overdue=sum(pack.overdue for pack in assigned),
        retention=facts.retention.true_retention,
        retention_reviews=facts.retention.reviews,
        weakest=weakest_skill(facts.skills),
        calibration=WidestGap(
            widest.skill, skill_title(library, widest.skill), widest.gap,
            calibration_label(widest.gap),
        )
        if widest is not None
        else None,
        honesty=facts.honesty,
        leeches=facts.leeches,
        inbox=facts.inbox,
        vision_shared=facts.vision_shared,
        vision=facts.vision,
        mastery=mastery(facts.skills, skills),
    )  # fmt: skip


def weakest_skill(skills: Sequence[SkillStanding]) -> TeamSkill | None:
    """The skill whose drills' latest ratings are lowest on average; of two alike, the one
    with less of it mastered, then the first in the skill map. None: nothing rated."""
    rated = [skill for skill in skills if skill.latest_mean is not None]
    if not rated:
        return None
    weakest = min(
        enumerate(rated),
        key=lambda found: (found[1].latest_mean, found[1].mastered / found[1].total, found[0]),
    )[1]
    return TeamSkill(weakest.skill, weakest.title)


def mastery(
    standings: Sequence[SkillStanding], skills: Sequence[TeamSkill]
) -> tuple[SkillMastery, ...]:
    """The rep's cells of the grid: each skill's drills mastered of its total."""
    mine = {skill.skill: skill for skill in standings}
    cells = []
    for skill in skills:
        found = mine.get(skill.skill)
        mastered, total = (found.mastered, found.total) if found else (0, 0)
        share = mastered / total if total else None
        cells.append(SkillMastery(skill.skill, mastered, total, share))
    return tuple(cells)
