"""Calibration: how a rep's own ratings compare with their manager's on the same work, per
skill. Both are on the scheduling scale (1 Again to 4 Easy): a manager rating carries its
rubric scores mapped to that scale, so the two means compare directly."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Protocol

from drillcoach.events import ManagerRating


class OwnRating(Protocol):
    """What calibration reads of a rep's self-rating: a SelfRating, or a leaner value
    with the same fields (a summary over a long history builds no events)."""

    @property
    def id(self) -> Hashable: ...

    @property
    def drill_uid(self) -> str: ...

    @property
    def skill(self) -> str: ...

    @property
    def rating(self) -> int: ...


@dataclass(frozen=True)
class SkillCalibration:
    """One skill: the mean of the rep's self-ratings and of the manager's ratings it is
    compared with, and how many of each."""

    skill: str
    self_mean: float
    manager_mean: float
    self_count: int
    manager_count: int

    @property
    def gap(self) -> float:
        """Above 0: the rep rates themselves higher than their manager does."""
        return self.self_mean - self.manager_mean


def calibration(
    own: Iterable[OwnRating], managers: Iterable[ManagerRating]
) -> list[SkillCalibration]:
    """Per skill a manager rated, the rep's self-ratings of the same work beside the
    manager's: of the same drill for a rating of a drill, of any drill of the skill for a
    rating of the skill (a joint call). Skills with nothing to compare are left out; the
    widest gap comes first."""
    by_drill: dict[str, list[OwnRating]] = {}
    by_skill: dict[str, list[OwnRating]] = {}
    for mine in own:
        by_drill.setdefault(mine.drill_uid, []).append(mine)
        by_skill.setdefault(mine.skill, []).append(mine)
    compared: dict[str, dict[Hashable, OwnRating]] = {}
    rated: dict[str, list[ManagerRating]] = {}
    for rating in managers:
        if rating.drill_uid is not None:
            same = by_drill.get(rating.drill_uid, [])
        else:
            same = by_skill.get(rating.skill, [])
        if not same:
            continue
        rated.setdefault(rating.skill, []).append(rating)
        compared.setdefault(rating.skill, {}).update((r.id, r) for r in same)
    found = [
        SkillCalibration(
            skill=skill,
            self_mean=_mean(r.rating for r in compared[skill].values()),
            manager_mean=_mean(r.rating for r in ratings),
            self_count=len(compared[skill]),
            manager_count=len(ratings),
        )
        for skill, ratings in rated.items()
    ]
    return widest_first(found)


def widest_first(found: Iterable[SkillCalibration]) -> list[SkillCalibration]:
    """Skills by their gap, widest first (of two alike, in the alphabet's order)."""
    return sorted(found, key=lambda item: (-abs(item.gap), item.skill))


def _mean(values: Iterable[int]) -> float:
    found = list(values)
    return sum(found) / len(found) if found else 0.0
