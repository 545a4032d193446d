"""What a rep's summary is computed from, as plain values: the live self-ratings and the
manager's ratings, each with its drilling day and renames followed, the cards, and what
feeds the queue; and the ratings that count for scheduling, per drill."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol

from drillcoach.events import Assignment, ManagerRating
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.days import Days
from drillcoach.store.encoding import micros, moment
from drillcoach.store.history import SelfRatingRows


class Own(NamedTuple):
    """One live self-rating, lean: a summary reads years of them (calibration takes it
    as it takes a SelfRating)."""

    id: int  # the rating's row number: tells two ratings apart
    drill_uid: str  # the drill's current uid (renames followed)
    skill: str
    at: int  # whole microseconds since 1970 UTC
    day: int  # the drilling day, as date.toordinal()
    rating: int
    duration_ms: int
    hits: int  # key points ticked
    total: int | None  # key points the drill had (None: not recorded)


class Counted(Protocol):
    """A rating that counts for scheduling (DESIGN.md §3), of one drill: the rep's own
    (an ``Own``), or the manager's (a ``ManagerCounted``)."""

    @property
    def at(self) -> int: ...

    @property
    def day(self) -> int: ...

    @property
    def rating(self) -> int: ...


class ManagerCounted(NamedTuple):
    at: int
    day: int
    rating: int


@dataclass(frozen=True)
class Curve:
    """FSRS's forgetting curve, R = (1 + factor * days / stability) ** decay, with the
    constants of the rep's scheduler: fsrs's, read through scheduling/memory.py."""

    factor: float
    decay: float

    def recall(self, state: CardState, now: datetime) -> float | None:
        """The probability of recalling a started drill at ``now``, as fsrs reckons it
        (whole days since the last review); None for a drill never rated."""
        if state.stability is None or state.last_review is None:
            return None
        elapsed = max(0, (now - state.last_review).days)
        return float((1 + self.factor * elapsed / state.stability) ** self.decay)


@dataclass(frozen=True)
class History:
    """Everything the rep's summary is computed from, read from the store once."""

    now: datetime
    today: date  # the rep's drilling day at ``now``
    own: Sequence[Own]  # live self-ratings up to now, oldest first
    managers: Sequence[ManagerRating]  # the manager's ratings up to now (renames followed)
    cards: Mapping[str, CardState]  # uid -> card, for every drill started
    pack_ids: Sequence[str]  # the packs feeding the queue, in the library's order
    assigned: Mapping[str, Assignment]  # pack -> its earliest assignment to the rep
    suspended: frozenset[str]
    buried: Mapping[str, datetime]  # uid -> when its burial ends (still buried at now)
    kept: tuple[int, int] | None  # commitments (kept, judged); None: none judged yet
    curve: Curve
    desired_retention: float  # the rep's own (their synced choice, on a manager's machine)


def day_numbers(moments: Sequence[int], days: Days) -> list[int]:
    """The drilling day (as date.toordinal()) of each moment of ``moments`` (whole
    microseconds, in ascending order): a walk along the days' starts, one time zone
    conversion per day rather than per moment."""
    if not moments:
        return []
    day = days.day_of(moment(moments[0]))
    following = micros(days.start_of(day + timedelta(days=1)))
    number = day.toordinal()
    found = []
    for at in moments:
        while at >= following:
            day += timedelta(days=1)
            number += 1
            following = micros(days.start_of(day + timedelta(days=1)))
        found.append(number)
    return found


def counting_by_drill(
    own: Sequence[Own], managers: Sequence[ManagerRating], manager_days: Sequence[int]
) -> dict[str, list[Counted]]:
    """Per drill, its ratings that count for scheduling, in time order: as
    ``scheduling.rules.counting`` decides (the manager's rating of a drill on a drilling
    day, not the rep's own of that day), over lean values. ``manager_days``: the drilling
    day of each of ``managers``."""
    rated_days = {
        (rating.drill_uid, day)
        for rating, day in zip(managers, manager_days, strict=True)
        if rating.drill_uid is not None
    }
    by_drill: dict[str, list[Counted]] = {}
    for line in own:
        if not rated_days or (line.drill_uid, line.day) not in rated_days:
            found = by_drill.get(line.drill_uid)
            if found is None:
                found = by_drill[line.drill_uid] = []
            found.append(line)
    touched = set()
    for rating, day in zip(managers, manager_days, strict=True):
        if rating.drill_uid is not None:
            by_drill.setdefault(rating.drill_uid, []).append(
                ManagerCounted(micros(rating.at), day, rating.rating)
            )
            touched.add(rating.drill_uid)
    for uid in touched:
        by_drill[uid].sort(key=lambda counted: counted.at)  # stable: ties keep their order
    return by_drill


def own_ratings(rows: SelfRatingRows, aliases: Mapping[str, str], days: Days) -> list[Own]:
    """The self-ratings read (store/history.py) as values, with their drilling days and
    each drill under its current uid (``aliases``: old uid -> current)."""
    names = rows.names
    drill_uids = {key: aliases.get(name, name) for key, name in names.items()}
    day_of = day_numbers([row[3] for row in rows.rows], days)
    return [
        Own(row_id, drill_uids[drill], names[skill], at, day, rating, duration or 0,
            (hits or 0).bit_count(), total)
        for (row_id, drill, skill, at, rating, duration, hits, total), day
        in zip(rows.rows, day_of, strict=True)
    ]  # fmt: skip
