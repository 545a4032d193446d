"""Queue policy (DESIGN.md §3): which packs feed a rep's queue, which drills are set
aside or brought forward, focus skills, and today's order: drills brought forward first,
then due reviews (most overdue first), then new drills: the rep's field pack first, then
assigned packs, then focus skills, taking turns across packs."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import islice

from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, DrillAction, ManagerRating, Rating
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.rules import EASY, expected_seconds

LEECHES_SHOWN = 5
FEW = 200  # new drills left: below this, sort them all; above, take the first in order
REVEAL_AND_RATE_SECONDS = 30  # reading the model answer, ticking, rating
FOCUS_WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class QueueItem:
    drill: Drill
    state: CardState
    reason: str  # "due" (learning or review, or brought forward) | "new"
    assignment: Assignment | None = None
    focus: bool = False
    forward: bool = False  # brought forward to today by the rep (a debrief heard it)


@dataclass(frozen=True)
class AssignedPack:
    assignment: Assignment
    title: str
    new_left: int  # drills of the pack not yet started
    total: int
    started: int = 0
    mastered: int = 0  # in review, remembered for three weeks or more
    overdue: bool = False  # its due date has passed and drills are left to master


@dataclass(frozen=True)
class Queue:
    """Today's drills in the order they should be done, and what the Today view shows."""

    items: tuple[QueueItem, ...]
    due_count: int
    new_count: int
    more_due: int  # due beyond today's review limit
    more_new: int  # new drills left beyond today's new limit
    assigned: tuple[AssignedPack, ...]
    leeches: tuple[QueueItem, ...]  # the ones with most lapses, up to LEECHES_SHOWN
    leech_count: int
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
    today: date | None = None  # the rep's drilling day, for assignments overdue


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


def field_pack_id(member: str) -> str:
    """The pack of drills a rep made from objections heard on their own calls."""
    return f"field-{member}"[:64]


def forward_today(actions: Mapping[str, DrillAction], day_start: datetime) -> dict[str, datetime]:
    """Drills whose latest action brought them forward since ``day_start``, with when:
    they are due today until rated (the caller drops those rated since)."""
    return {
        uid: action.at
        for uid, action in actions.items()
        if action.action == "forward" and action.at >= day_start
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
        expected_seconds(item.drill, default_time_limit) + REVEAL_AND_RATE_SECONDS for item in items
    )
    return -(-seconds // 60)


# --- today's order


def new_drill_order(
    library: Library,
    assigned: Mapping[str, Assignment],
    focus: Sequence[str],
    first: Collection[str] = (),
) -> Iterator[Drill]:
    """Every drill in the order new ones are taken, produced lazily (a drill may come
    twice; the caller takes each once): the packs in ``first`` (the rep's field pack),
    then assigned packs by due date, then focus skills weakest first, then the rest;
    within each, focus skills first and otherwise the library's order (packs take turns,
    so a day mixes kinds and skills)."""

    def focus_first(drills: Sequence[Drill]) -> Iterator[Drill]:
        for skill in focus:
            yield from (drill for drill in drills if drill.skill == skill)
        yield from (drill for drill in drills if drill.skill not in focus)

    for pack_id in first:
        if pack_id in library.packs:
            yield from focus_first(library.packs[pack_id].drills)
    by_due: dict[date, list[str]] = {}
    for pack_id, assignment in assigned.items():
        by_due.setdefault(assignment.due, []).append(pack_id)
    for due in sorted(by_due):
        packs = set(by_due[due])
        yield from focus_first([d for d in library.new_order() if d.pack_id in packs])
    for skill in focus:
        yield from (d for d in library.with_skill(skill) if d.pack_id not in assigned)
    yield from (
        d for d in library.new_order() if d.pack_id not in assigned and d.skill not in focus
    )


def _once(drills: Iterable[Drill]) -> Iterator[Drill]:
    seen: set[str] = set()
    for drill in drills:
        if drill.uid not in seen:
            seen.add(drill.uid)
            yield drill


@dataclass(frozen=True)
class Cards:
    """What the queue needs to know of the rep's cards, read through indexes."""

    learning: Sequence[str]  # in (re)learning and due before today ends, soonest first
    reviews: Sequence[str]  # in review and due before today ends, most overdue first
    started: AbstractSet[str]  # every drill with a card
    leeches: Sequence[tuple[str, int]]  # (uid, lapses), most lapses first
    states: Callable[[Sequence[str]], Mapping[str, CardState]]  # full states, by uid


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
    *,
    forward: Sequence[str] = (),
    first_packs: Collection[str] = (),
) -> Queue:
    """Today's queue: the packs in ``pack_ids`` less the drills set aside. The drills in
    ``forward`` (brought forward by the rep, in the order they asked) come first, from
    any pack and outside the limits: the rep chose them for today. New drills of the
    packs in ``first_packs`` (the rep's field pack) come first among new ones."""
    assigned_by_pack = earliest_per_pack(assignments)
    aside = frozenset(set_aside)
    available = library.uids_in(pack_ids) - aside if aside else library.uids_in(pack_ids)
    forward = [uid for uid in forward if library.drill(uid) is not None and uid not in aside]
    if forward:
        available = available - frozenset(forward)

    def item(drill: Drill, state: CardState, reason: str = "due") -> QueueItem:
        return QueueItem(drill, state, reason, assigned_by_pack.get(drill.pack_id),
                         drill.skill in focus)  # fmt: skip

    forward_states = cards.states(forward) if forward else {}
    forward_items = [
        replace(item(library.drill_of(uid), forward_states.get(uid) or CardState.new(uid, now)),
                forward=True)
        for uid in forward
    ]  # fmt: skip

    # due: every drill in learning, then reviews up to the limit, most overdue first
    learning = [uid for uid in cards.learning if uid in available]
    if available.issuperset(cards.reviews):  # the usual case: no filtering pass needed
        reviews = len(cards.reviews)
        first_reviews = list(cards.reviews[: limits.reviews_left])
    else:
        due_reviews = [uid for uid in cards.reviews if uid in available]
        reviews = len(due_reviews)
        first_reviews = due_reviews[: limits.reviews_left]
    leech_uids = [uid for uid, _ in cards.leeches]
    shown = list(islice((uid for uid in leech_uids if uid in available), LEECHES_SHOWN))
    leech_count = len(available.intersection(leech_uids))
    states = cards.states(learning + first_reviews + shown)
    chosen = sorted(learning + first_reviews, key=lambda uid: states[uid].due)
    due_items = [item(library.drill_of(uid), states[uid]) for uid in chosen]

    fresh = available - cards.started
    if len(fresh) <= FEW:

        def key(drill: Drill) -> tuple[bool, bool, date, bool, int, int]:
            assignment = assigned_by_pack.get(drill.pack_id)
            return (drill.pack_id not in first_packs,
                    assignment is None, assignment.due if assignment else date.max,
                    drill.skill not in focus,
                    focus.index(drill.skill) if drill.skill in focus else 0,
                    library.rank(drill.uid))  # fmt: skip

        first_new = sorted(map(library.drill_of, fresh), key=key)[: limits.new_left]
    else:  # many new drills: the first ones in order come quickly
        order = new_drill_order(library, assigned_by_pack, focus, first_packs)
        first_new = list(islice(_once(d for d in order if d.uid in fresh), limits.new_left))
    chosen_new = [item(drill, CardState.new(drill.uid, now), "new") for drill in first_new]
    chosen_reviews = min(reviews, limits.reviews_left)
    items = forward_items + due_items + chosen_new

    assigned = []
    for assignment in assignments:
        pack = library.packs.get(assignment.pack)
        if pack is None:
            continue
        uids = library.pack_uids(pack.id)
        started = sorted(uids & cards.started)
        mastered = sum(state.is_mastered for state in cards.states(started).values())
        left = len(uids - cards.started - aside)
        overdue = limits.today is not None and assignment.due < limits.today
        assigned.append(
            AssignedPack(assignment, pack.title, left, len(pack.drills), len(started), mastered,
                         overdue and mastered < len(pack.drills))
        )  # fmt: skip
    return Queue(
        items=tuple(items),
        due_count=len(forward_items) + len(learning) + chosen_reviews,
        new_count=len(chosen_new),
        more_due=reviews - chosen_reviews,
        more_new=len(fresh) - len(chosen_new),
        assigned=tuple(assigned),
        leeches=tuple(item(library.drill_of(uid), states[uid]) for uid in shown),
        leech_count=leech_count,
        minutes=estimate_minutes(items, limits.default_time_limit),
        done_today=done_today,
    )
