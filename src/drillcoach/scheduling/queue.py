"""Queue policy (DESIGN.md §3): which packs feed a rep's queue, which drills are set
aside, focus skills, and today's order: due reviews first (most overdue first), then new
drills, assigned packs first, then focus skills, taking turns across packs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, DrillAction, ManagerRating, Rating
from drillcoach.scheduling.cards import CardState
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


def available_drills(
    library: Library, pack_ids: Iterable[str], actions: Mapping[str, DrillAction], now: datetime
) -> list[Drill]:
    """Drills of these packs that are neither suspended nor buried at ``now``."""

    def available(drill: Drill) -> bool:
        action = actions.get(drill.uid)
        if action is None:
            return True
        if action.action == "suspend":
            return False
        return not (action.action == "bury" and action.until is not None and action.until > now)

    return [drill for pack_id in pack_ids for drill in library.packs[pack_id].drills
            if available(drill)]  # fmt: skip


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


def build_queue(
    library: Library,
    drills: Sequence[Drill],
    states: Mapping[str, CardState],
    assignments: Sequence[Assignment],
    focus: Sequence[str],
    limits: Limits,
    done_today: int,
) -> Queue:
    """Today's queue from the available ``drills`` and their states."""
    assigned_by_pack = earliest_per_pack(assignments)
    order = {pack_id: index for index, pack_id in enumerate(library.packs)}
    position = {
        drill.uid: index
        for pack in library.packs.values()
        for index, drill in enumerate(pack.drills)
    }
    due: list[QueueItem] = []
    learning: list[QueueItem] = []
    fresh: list[QueueItem] = []
    for drill in drills:
        state = states[drill.uid]
        assignment = assigned_by_pack.get(drill.pack_id)
        item = QueueItem(drill, state, "new" if state.is_new else "due", assignment,
                         drill.skill in focus)  # fmt: skip
        if state.is_new:
            fresh.append(item)
        elif state.due < limits.day_end:
            (learning if state.in_learning else due).append(item)
    due.sort(key=lambda item: item.state.due)
    fresh.sort(
        key=lambda item: (
            item.assignment is None,
            item.assignment.due if item.assignment else date.max,
            not item.focus,
            focus.index(item.drill.skill) if item.focus else 0,
            position[item.drill.uid],
            order[item.drill.pack_id],
        )
    )  # new drills take turns across packs, so a day mixes kinds and skills
    chosen_due = due[: limits.reviews_left]
    chosen_new = fresh[: limits.new_left]
    items = sorted(learning + chosen_due, key=lambda item: item.state.due) + chosen_new

    assigned = []
    for assignment in assignments:
        pack = library.packs.get(assignment.pack)
        if pack is None:
            continue
        left = sum(1 for d in pack.drills if d.uid in states and states[d.uid].is_new)
        assigned.append(AssignedPack(assignment, pack.title, left, len(pack.drills)))
    leeches = tuple(QueueItem(d, states[d.uid], "due") for d in drills if states[d.uid].is_leech)
    return Queue(
        items=tuple(items),
        due_count=len(learning) + len(chosen_due),
        new_count=len(chosen_new),
        more_due=len(due) - len(chosen_due),
        more_new=len(fresh) - len(chosen_new),
        assigned=tuple(assigned),
        leeches=leeches,
        minutes=estimate_minutes(items, limits.default_time_limit),
        done_today=done_today,
    )
