"""Per skill: drills started and mastered, recall today, how the ratings moved, how the
rep's self-ratings stand against their own checklist, and calibration against their
manager; with the words a summary says of them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from drillcoach.content import Drill, Library
from drillcoach.events import ManagerRating, SelfRating
from drillcoach.progress.calibration import calibration
from drillcoach.progress.history import Counted, Curve, Own
from drillcoach.progress.model import (
    CALIBRATION_DAYS,
    CALIBRATION_GAP,
    CHANGE_WEEKS,
    HONESTY_DAYS,
    Calibration,
    CalibrationLabel,
    CalibrationPoint,
    Honesty,
    SkillProgress,
)
from drillcoach.progress.practice import monday_of
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.rules import suggest_rating
from drillcoach.text import plural


def skill_order(library: Library, skills: Iterable[str]) -> list[str]:
    """``skills`` in the order of the library's skill map, any it does not know last."""
    wanted = set(skills)
    known = [skill for skill in library.skills if skill in wanted]
    return known + sorted(wanted - set(known))


def skill_title(library: Library, skill: str) -> str:
    found = library.skills.get(skill)
    return found.title if found else skill


def skill_progress(
    library: Library,
    scope: Sequence[Drill],
    cards: Mapping[str, CardState],
    by_drill: Mapping[str, Sequence[Counted]],
    curve: Curve,
    now: datetime,
    today: date,
) -> tuple[SkillProgress, ...]:
    """Per skill with drills in ``scope`` (the packs feeding the queue): started, total,
    mastered, the mean recall today of the drills started, the mean of each drill's first
    and latest counting rating, and the change of its mean counting rating over the last
    CHANGE_WEEKS weeks (of drilling days) against the CHANGE_WEEKS weeks before, in
    percent (None when either holds no rating)."""
    by_skill: dict[str, list[Drill]] = {}
    for drill in scope:
        by_skill.setdefault(drill.skill, []).append(drill)
    last = today.toordinal()
    recent_from = last - 7 * CHANGE_WEEKS + 1
    before_from = recent_from - 7 * CHANGE_WEEKS
    found = []
    for skill in skill_order(library, by_skill):
        drills = by_skill[skill]
        states = [cards[drill.uid] for drill in drills if drill.uid in cards]
        recalls = [r for state in states if (r := curve.recall(state, now)) is not None]
        rated = [by_drill[drill.uid] for drill in drills if by_drill.get(drill.uid)]
        recent: list[int] = []
        before: list[int] = []
        for ratings in rated:
            for counted in ratings:
                if recent_from <= counted.day <= last:
                    recent.append(counted.rating)
                elif before_from <= counted.day < recent_from:
                    before.append(counted.rating)
        found.append(
            SkillProgress(
                skill=skill,
                title=skill_title(library, skill),
                started=len(states),
                total=len(drills),
                mastered=sum(state.is_mastered for state in states),
                recall=_mean(recalls),
                first_mean=_mean([ratings[0].rating for ratings in rated]),
                latest_mean=_mean([ratings[-1].rating for ratings in rated]),
                change=percent_change(_mean(before), _mean(recent)),
            )
        )
    return tuple(found)


def percent_change(before: float | None, after: float | None) -> float | None:
    """How much ``after`` is above ``before``, in percent of ``before``."""
    if before is None or after is None or before == 0:
        return None
    return (after - before) / before * 100


def change_words(skill: SkillProgress) -> str | None:
    """The skill's change in a few words: "20% better at objection handling"; None when
    there is nothing to compare."""
    if skill.change is None:
        return None
    percent = round(skill.change)
    title = skill.title
    what = title[:1].lower() + title[1:] if title[1:2].islower() else title  # not "sPIN"
    if percent > 0:
        return f"{percent}% better at {what}"
    if percent < 0:
        return f"{-percent}% down on {what}"
    return f"holding steady at {what}"


# --- honesty: self-ratings against the rep's own checklist


def above_checklist(rating: int, hits: int, total: int | None) -> bool:
    """Whether a self-rating is above what its ticked key points alone suggest (a Good
    with 1 of 5 ticked: the checklist says Again). Time is left out: the checklist is what
    the rep sees they missed. A rating without a checklist is never above it."""
    return bool(total) and rating > suggest_rating(hits, total or 0)


def ratings_above_checklist(ratings: Iterable[SelfRating]) -> int:
    """How many of ``ratings`` (a session's) are above their checklist."""
    return sum(
        above_checklist(r.rating, len(r.key_points_hit), r.key_points_total) for r in ratings
    )


def honesty_line(count: int) -> str | None:
    """What the session summary says of ratings above the checklist, gently; None when
    there are none (the summary says its usual words)."""
    if count <= 0:
        return None
    return f"{plural(count, 'rating')} above your checklist today"


def honesty(library: Library, own: Sequence[Own], today: date) -> tuple[Honesty, ...]:
    """Per skill, of the self-ratings with a checklist over the last HONESTY_DAYS
    drilling days, how many were above what the ticked key points suggested."""
    since = today.toordinal() - HONESTY_DAYS + 1
    rated: dict[str, int] = {}
    above: dict[str, int] = {}
    for line in own[bisect_left(own, since, key=lambda line: line.day) :]:
        if line.total:
            rated[line.skill] = rated.get(line.skill, 0) + 1
            if above_checklist(line.rating, line.hits, line.total):
                above[line.skill] = above.get(line.skill, 0) + 1
    return tuple(
        Honesty(skill=skill, above=above.get(skill, 0), rated=rated[skill])
        for skill in skill_order(library, rated)
    )


# --- calibration: the rep's own ratings against the manager's


def calibration_label(gap: float) -> CalibrationLabel:
    """Self minus manager on the 1 to 4 scale: half a rating or more either way is
    over- or under-confident, anything closer calibrated."""
    if gap >= CALIBRATION_GAP:
        return "over-confident"
    if gap <= -CALIBRATION_GAP:
        return "under-confident"
    return "calibrated"


def calibrations(
    own: Sequence[Own],
    managers: Sequence[ManagerRating],
    manager_days: Sequence[int],
    today: date,
) -> tuple[Calibration, ...]:
    """Per skill the manager rated over the last CALIBRATION_DAYS drilling days, the
    rep's self-ratings of the same work over those days beside the manager's
    (progress/calibration.py), labelled, widest gap first; with a point for each week
    the manager rated the skill: their mean that week, and the rep's mean over the same
    work in the CHANGE_WEEKS weeks up to that week's end."""
    since = today.toordinal() - CALIBRATION_DAYS + 1
    recent = [(rating, day) for rating, day in zip(managers, manager_days, strict=True)
              if day >= since]  # fmt: skip
    mine = own[bisect_left(own, since, key=lambda line: line.day) :]
    by_week: dict[int, list[ManagerRating]] = {}
    for rating, day in recent:
        by_week.setdefault(monday_of(day), []).append(rating)
    points: dict[str, list[CalibrationPoint]] = {}
    for week in sorted(by_week):
        end = week + 6
        window = own[
            bisect_left(own, end - 7 * CHANGE_WEEKS + 1, key=lambda line: line.day) : bisect_right(
                own, end, key=lambda line: line.day
            )
        ]
        for found in calibration(window, by_week[week]):
            points.setdefault(found.skill, []).append(
                CalibrationPoint(date.fromordinal(week), found.self_mean, found.manager_mean)
            )
    return tuple(
        Calibration(
            skill=found.skill,
            self_mean=found.self_mean,
            manager_mean=found.manager_mean,
            gap=found.gap,
            label=calibration_label(found.gap),
            points=tuple(points.get(found.skill, ())),
        )
        for found in calibration(mine, [rating for rating, _ in recent])
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
