"""A joint call seen twice: the manager's skill ratings from the call (``rate --skill S
--context joint-call``) beside the rep's own 1-5 ratings in their debrief of it, with the
gap per skill, and the words that say it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from drillcoach.content import Library
from drillcoach.events import Debrief
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.rules import scores_mean
from drillcoach.store import Store
from drillcoach.text import skill_title

IN_STEP = 0.5  # a smaller gap between the rep's and the manager's rating reads as the same


@dataclass(frozen=True)
class SkillGap:
    """One skill of a joint call: the rep's own rating (1 to 5), the mean of the
    manager's rubric scores, and how far above the manager the rep rated it."""

    skill: str
    self_rating: int | None
    manager: float | None
    by: str | None = None  # the manager who rated it
    note: str = ""  # the manager's note with that rating

    @property
    def gap(self) -> float | None:
        if self.self_rating is None or self.manager is None:
            return None
        return round(self.self_rating - self.manager, 1)


def joint_call_view(store: Store, debrief: Debrief, days: Days) -> list[SkillGap]:
    """The skills the rep rated in the debrief and those a manager rated on a joint call
    the same local day (``rate --skill S --context joint-call``): the rep's first, then
    the manager's others. Where the manager rated a skill twice that day, the last
    rating counts. Empty when no manager rated a joint call that day."""
    since = days.start_of(debrief.call_date - timedelta(days=1))
    ratings = [
        rating
        for rating in store.manager_ratings(debrief.rep, since=since)
        if rating.drill_uid is None
        and rating.context == "joint-call"
        and days.date_of(rating.at) == debrief.call_date
    ]
    if not ratings:
        return []
    latest = {rating.skill: rating for rating in ratings}  # oldest first: the last stays
    skills = [*debrief.skills, *(skill for skill in latest if skill not in debrief.skills)]
    return [
        SkillGap(
            skill=skill,
            self_rating=debrief.skills.get(skill),
            manager=round(scores_mean(latest[skill].scores), 1) if skill in latest else None,
            by=latest[skill].by if skill in latest else None,
            note=latest[skill].note if skill in latest else "",
        )
        for skill in skills
    ]


def gap_words(gap: SkillGap, rep: str = "you", manager: str = "your manager") -> str:
    """How the two ratings of one skill compare, in a few words."""
    if gap.self_rating is None:
        return f"{manager} rated it; {rep} did not"
    if gap.manager is None:
        return f"{manager} did not rate it on the call"
    difference = gap.gap or 0.0
    if abs(difference) < IN_STEP:
        return "in step"
    if difference > 0:
        return f"{rep} rated it {difference:.1f} higher"
    return f"{manager} rated it {-difference:.1f} higher"


def joint_call_lines(
    gaps: Sequence[SkillGap],
    library: Library,
    names: Mapping[str, str] | None = None,
    rep: str = "you",
) -> list[str]:
    """The joint-call view as lines: a heading, then one line per skill."""
    if not gaps:
        return []
    names = names or {}
    managers = sorted({gap.by for gap in gaps if gap.by})
    manager = " and ".join(names.get(by, by) for by in managers) or "your manager"
    lines = [f"On the joint call, {rep} and {manager} (1 to 5):"]
    width = max(len(skill_title(library.skills, gap.skill)) for gap in gaps)
    for gap in gaps:
        own = str(gap.self_rating) if gap.self_rating is not None else "-"
        theirs = f"{gap.manager:.1f}" if gap.manager is not None else "-"
        who = names.get(gap.by, gap.by) if gap.by else manager
        lines.append(f"  {skill_title(library.skills, gap.skill):<{width}}  {rep} {own}  {who} "
                     f"{theirs}  {gap_words(gap, rep, who)}")  # fmt: skip
        if gap.note:
            lines.append(f"  {'':<{width}}  {who}: {gap.note}")
    return lines
