"""Queue policy (DESIGN.md §3): which packs feed a rep's queue, which drills are set
aside, focus skills, and today's order: due reviews first (most overdue first), then new
drills, assigned packs first, then focus skills, taking turns across packs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, DrillAction, ManagerRating, Rating
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.rules import EASY, time_limit

REVEAL_AND_RATE_SECONDS = 30  # reading the model answer, ticking, rating
FOCUS_WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class QueueItem:
    drill: Drill
    state: CardState
    reason: str  # "due" (learning or review) | "new"
    assignment: Assignment | None = None
    focus: bool = False


@dataclass(frozen=True)
class AssignedPack:
    assignment: Assignment
    title: str
    new_left: int  # drills of the pack not yet started
    total: int


@dataclass(frozen=True)
class Queue:
    """Today's drills in the order they should be done, and what the Today view shows."""

    items: tuple[QueueItem, ...]
    due_count: int
    new_count: int
    more_due: int  # due beyond today's review limit
    more_new: int  # new drills left beyond today's new limit
    assigned: tuple[AssignedPack, ...]
    leeches: tuple[QueueItem, ...]
    minutes: int
    done_today: int

    @property
    def is_empty(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class Limits:
    """What is left of today's limits, and the moment today ends."""

    new_left: int
    reviews_left: int
    day_end: datetime
    default_time_limit: int


# --- the assignment filter


def my_assignments(assignments: Iterable[Assignment], rep: str) -> list[Assignment]:
    """The assignments that concern ``rep``, earliest due date first."""
    return sorted((a for a in assignments if a.concerns(rep)), key=lambda a: (a.due, a.by, a.id))


def earliest_per_pack(assignments: Sequence[Assignment]) -> dict[str, Assignment]:
    """For each assigned pack, its earliest assignment (``assignments`` in due order)."""
    by_pack: dict[str, Assignment] = {}
    for assignment in assignments:
        by_pack.setdefault(assignment.pack, assignment)
    return by_pack


# --- what feeds the queue


def queue_pack_ids(
    library: Library, disabled: Collection[str], assigned: Collection[str]
) -> list[str]:
    """Packs that feed the queue: the ones the rep turned on, and every assigned pack."""
    return [p for p in library.packs if p not in disabled or p in assigned]


def set_aside_now(actions: Mapping[str, DrillAction], now: datetime) -> set[str]:
    """Drills suspended, or buried until after ``now``."""
    return {
        uid
        for uid, action in actions.items()
        if action.action == "suspend"
        or (action.action == "bury" and action.until is not None and action.until > now)
    }


def focus_skills(ratings: Iterable[ManagerRating], now: datetime) -> list[str]:
    """Skills a manager rated in the last 60 days (joint calls), weakest first."""
    since = now - FOCUS_WINDOW
    worst: dict[str, Rating] = {}
    for rating in ratings:
        if rating.drill_uid is None and rating.at >= since:
            worst[rating.skill] = min(worst.get(rating.skill, EASY), rating.rating)
    return sorted(worst, key=lambda skill: worst[skill])


def estimate_minutes(items: Iterable[QueueItem], default_time_limit: int) -> int:
    seconds = sum(
        time_limit(item.drill, default_time_limit) + REVEAL_AND_RATE_SECONDS for item in items
    )
    return -(-seconds // 60)


# --- today's order


@dataclass(frozen=True)
class Cards:
    """What the queue needs to know of the rep's cards, read through indexes."""

    due: Sequence[CardState]  # due before today ends, soonest first
    started: Mapping[str, object]  # every drill with a card
    leeches: Sequence[CardState]


def build_queue(
    library: Library,
    pack_ids: Collection[str],
    set_aside: Collection[str],
    cards: Cards,
    assignments: Sequence[Assignment],
    focus: Sequence[str],
    limits: Limits,
    done_today: int,
    now: datetime,
) -> Queue:
    """Today's queue: the packs in ``pack_ids`` less the drills set aside."""
    assigned_by_pack = earliest_per_pack(assignments)

    def available(drill: Drill | None) -> bool:
        return drill is not None and drill.pack_id in pack_ids and drill.uid not in set_aside

    def item(drill: Drill, state: CardState, reason: str = "due") -> QueueItem:
        return QueueItem(drill, state, reason, assigned_by_pack.get(drill.pack_id),
                         drill.skill in focus)  # fmt: skip

    due: list[QueueItem] = []
    learning: list[QueueItem] = []
    for state in cards.due:
        drill = library.drill(state.uid)
        if drill is not None and available(drill):
            (learning if state.in_learning else due).append(item(drill, state))

    # new drills in groups: assigned packs by due date, then focus skills weakest first,
    # then the rest; within a group, the library's order (packs take turns)
    groups: dict[tuple[bool, date, bool, int], list[Drill]] = {}
    fresh = 0
    for drill in library.new_order():
        if drill.uid in cards.started or not available(drill):
            continue
        fresh += 1
        assignment = assigned_by_pack.get(drill.pack_id)
        in_focus = drill.skill in focus
        key = (
            assignment is None,
            assignment.due if assignment else date.max,
            not in_focus,
            focus.index(drill.skill) if in_focus else 0,
        )
        groups.setdefault(key, []).append(drill)
    ordered = (drill for key in sorted(groups) for drill in groups[key])
    chosen_new = [
        item(drill, CardState.new(drill.uid, now), "new")
        for drill in islice(ordered, limits.new_left)
    ]
    chosen_due = due[: limits.reviews_left]
    items = sorted(learning + chosen_due, key=lambda entry: entry.state.due) + chosen_new

    assigned = []
    for assignment in assignments:
        pack = library.packs.get(assignment.pack)
        if pack is None:
            continue
        left = sum(1 for d in pack.drills if d.uid not in cards.started and available(d))
        assigned.append(AssignedPack(assignment, pack.title, left, len(pack.drills)))
    leeches = tuple(
        item(drill, state)
        for state in cards.leeches
        if (drill := library.drill(state.uid)) is not None and available(drill)
    )
    return Queue(
        items=tuple(items),
        due_count=len(learning) + len(chosen_due),
        new_count=len(chosen_new),
        more_due=len(due) - len(chosen_due),
        more_new=fresh - len(chosen_new),
        assigned=tuple(assigned),
        leeches=leeches,
        minutes=estimate_minutes(items, limits.default_time_limit),
        done_today=done_today,
    )
