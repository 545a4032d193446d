"""The one wrapper around ``fsrs``: cards rebuilt from rating events, the daily queue,
reviews, manager ratings, undo, suspend, bury and leeches (DESIGN.md §3)."""

from __future__ import annotations

import hashlib
import random
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from statistics import mean

import fsrs

from drillcoach.config import Config
from drillcoach.content import Drill, Library, Rubric
from drillcoach.errors import UserError
from drillcoach.store import Assignment, CachedCard, Review, Store

Clock = Callable[[], datetime]

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
LEECH_LAPSES = 8
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
REVEAL_AND_RATE_SECONDS = 30  # reading the model answer, ticking, rating
FOCUS_WINDOW = timedelta(days=60)
DISABLED_PACKS_SETTING = "disabled_packs"
DEFAULT_DISABLED_PACKS = ("onboarding",)


def system_clock() -> datetime:
    return datetime.now(UTC)


# --- pure rules


def suggest_rating(
    hit: int, total: int, seconds: float | None = None, time_limit: int | None = None
) -> int:
    """The rating suggested from ticked key points and time (DESIGN.md §3)."""
    share = hit / total if total else 0.0
    if share < 0.5:
        rating = AGAIN
    elif share < 0.75:
        rating = HARD
    elif share < 1:
        rating = GOOD
    else:
        rating = EASY
    if time_limit and seconds is not None and seconds > time_limit:
        rating = max(AGAIN, rating - 1)
    return rating


def rating_from_scores(scores: Mapping[str, int]) -> int:
    """A manager's rubric scores (1-5) mapped to an FSRS rating by their mean."""
    if not scores:
        raise ValueError("a manager rating needs at least one score")
    average = mean(scores.values())
    if average < 2:
        return AGAIN
    if average < 3:
        return HARD
    if average < 4.25:
        return GOOD
    return EASY


def check_scores(rubric: Rubric, scores: Mapping[str, int]) -> dict[str, int]:
    """Scores for exactly the rubric's criteria, each 1-5, or a UserError saying what is off."""
    known = {criterion.id for criterion in rubric.criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise UserError(
            f"rubric '{rubric.id}' has no criterion '{unknown[0]}' "
            f"(criteria: {', '.join(sorted(known))})"
        )
    missing = sorted(known - set(scores))
    if missing:
        raise UserError(f"rubric '{rubric.id}': missing a score for '{missing[0]}' (1 to 5)")
    for key, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise UserError(f"rubric '{rubric.id}': score for '{key}' must be 1 to 5, got {value}")
    return dict(scores)


def format_interval(delta: timedelta) -> str:
    """A short interval for a rating button: '10m', '5h', '3d', '2.5mo', '1.2y'."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4
        return f"{months:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


class Days:
    """Drilling days: a day starts at ``start_hour`` local time, not at midnight."""

    def __init__(self, start_hour: int, tz: tzinfo | None = None) -> None:
        self.start_hour = start_hour
        self.tz = tz  # None: the machine's local time zone

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz else moment.astimezone()

    def day_of(self, moment: datetime) -> date:
        return (self._local(moment) - timedelta(hours=self.start_hour)).date()

    def start_of(self, day: date) -> datetime:
        naive = datetime.combine(day, time(self.start_hour))
        local = naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
        return local.astimezone(UTC)

    def next_start(self, moment: datetime) -> datetime:
        return self.start_of(self.day_of(moment) + timedelta(days=1))


# --- cards


@dataclass(frozen=True)
class CardState:
    """Where a rep stands with one drill, derived from its rating history."""

    uid: str
    card: fsrs.Card
    reviews: int = 0
    lapses: int = 0
    first_review: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.reviews == 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES

    @property
    def in_learning(self) -> bool:
        return not self.is_new and self.card.state in (fsrs.State.Learning, fsrs.State.Relearning)

    @property
    def due(self) -> datetime:
        return self.card.due


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
class Attempt:
    """How the rep answered a drill; stored with their self-rating."""

    duration_ms: int | None = None
    key_points_hit: tuple[int, ...] = ()
    suggested: int | None = None
    mode: str = "typed"  # "typed" | "spoken"
    answer: str | None = None
    replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rated:
    """What recording a self-rating returns: the stored event and the drill's new state."""

    review: Review
    state: CardState


class DrillScheduler:
    """FSRS scheduling for one rep over the loaded library, on top of the store."""

    def __init__(
        self,
        store: Store,
        library: Library,
        config: Config,
        *,
        rep: str | None = None,
        clock: Clock = system_clock,
        tz: tzinfo | None = None,
        parameters: Sequence[float] | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.config = config
        self.rep = rep or config.member
        self.clock = clock
        self.days = Days(config.day_starts_at, tz)
        self.fsrs = fsrs.Scheduler(
            parameters=tuple(parameters) if parameters else fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=config.desired_retention,
            learning_steps=LEARNING_STEPS,
            relearning_steps=RELEARNING_STEPS,
            enable_fuzzing=config.fuzz,
        )
        signature = f"{self.fsrs.parameters}|{config.desired_retention}|{config.fuzz}"
        signature += f"|{config.day_starts_at}|{LEARNING_STEPS}|{RELEARNING_STEPS}|{tz}"
        self._signature = hashlib.sha1(signature.encode()).hexdigest()[:12]

    # --- fsrs, deterministically

    def _review(self, card: fsrs.Card, rating: int, at: datetime, seed: str) -> fsrs.Card:
        # fsrs fuzzes with the global random(); seeding it per (card, step) makes a rebuilt
        # card identical to the one first scheduled, and the previewed interval the real one.
        saved = random.getstate()
        random.seed(seed)
        try:
            reviewed, _ = self.fsrs.review_card(card, fsrs.Rating(rating), at.astimezone(UTC))
        finally:
            random.setstate(saved)
        return reviewed

    @staticmethod
    def _new_card(uid: str, now: datetime) -> fsrs.Card:
        return fsrs.Card(card_id=zlib.crc32(uid.encode()) or 1, due=now)

    def _counting_events(self, events: Sequence[Review]) -> list[Review]:
        """Events that schedule: on a day with a manager rating of the drill, the self
        ratings of that day are kept for calibration only."""
        manager_days = {self.days.day_of(e.at) for e in events if e.source == "manager"}
        return [
            e for e in events if e.source == "manager" or self.days.day_of(e.at) not in manager_days
        ]

    def _build(self, uid: str, events: Sequence[Review]) -> CardState:
        counting = self._counting_events(sorted(events, key=lambda e: (e.at, e.id)))
        first = counting[0].at if counting else None
        card = self._new_card(uid, first or self.clock())
        lapses = 0
        for index, event in enumerate(counting):
            if card.state == fsrs.State.Review and event.rating == AGAIN:
                lapses += 1
            card = self._review(card, event.rating, event.at, f"{uid}:{index}")
        return CardState(uid, card, len(counting), lapses, first)

    def _history_key(self, drill: Drill, keys: Mapping[str, tuple[int, int]]) -> str:
        parts = [f"{uid}={keys.get(uid, (0, 0))}" for uid in drill.history_uids()]
        return f"{self._signature}|{';'.join(parts)}"

    def states(self, drills: Iterable[Drill]) -> dict[str, CardState]:
        """Card states for ``drills``, rebuilt only where their history changed."""
        drills = list(drills)
        keys = self.store.history_keys(self.rep)
        cached = self.store.cached_cards(self.rep)
        now = self.clock()
        states: dict[str, CardState] = {}
        stale: list[tuple[Drill, str]] = []
        for drill in drills:
            key = self._history_key(drill, keys)
            if not any(uid in keys for uid in drill.history_uids()):
                states[drill.uid] = CardState(drill.uid, self._new_card(drill.uid, now))
                continue
            hit = cached.get(drill.uid)
            if hit is not None and hit.history_key == key:
                states[drill.uid] = CardState(
                    drill.uid,
                    fsrs.Card.from_dict(hit.card),  # type: ignore[arg-type]
                    hit.reviews,
                    hit.lapses,
                    hit.first_review,
                )
            else:
                stale.append((drill, key))
        if stale:
            uids = [uid for drill, _ in stale for uid in drill.history_uids()]
            events: dict[str, list[Review]] = {}
            for review in self.store.reviews(self.rep, uids):
                events.setdefault(review.drill_uid or "", []).append(review)
            rebuilt = []
            for drill, key in stale:
                history = [e for uid in drill.history_uids() for e in events.get(uid, [])]
                state = self._build(drill.uid, history)
                states[drill.uid] = state
                rebuilt.append(
                    CachedCard(
                        drill.uid,
                        key,
                        dict(state.card.to_dict()),
                        state.lapses,
                        state.reviews,
                        state.first_review,
                    )
                )
            self.store.save_cards(self.rep, rebuilt)
        return states

    def state(self, drill: Drill) -> CardState:
        return self.states([drill])[drill.uid]

    def preview(self, state: CardState) -> dict[int, timedelta]:
        """The interval each rating would give now, for the rating buttons."""
        now = self.clock()
        card = state.card if not state.is_new else self._new_card(state.uid, now)
        seed = f"{state.uid}:{state.reviews}"
        return {
            rating: self._review(card, rating, now, seed).due - now
            for rating in (AGAIN, HARD, GOOD, EASY)
        }

    # --- packs in my queue

    def disabled_packs(self) -> set[str]:
        stored = self.store.get_setting(DISABLED_PACKS_SETTING)
        return set(stored if stored is not None else DEFAULT_DISABLED_PACKS)

    def set_pack_enabled(self, pack_id: str, enabled: bool) -> None:
        if pack_id not in self.library.packs:
            raise UserError(f"no pack '{pack_id}' (see 'drillcoach packs list')")
        disabled = self.disabled_packs()
        if enabled:
            disabled.discard(pack_id)
        else:
            disabled.add(pack_id)
        self.store.set_setting(DISABLED_PACKS_SETTING, sorted(disabled))

    def set_enabled_packs(self, pack_ids: Iterable[str]) -> None:
        enabled = set(pack_ids)
        self.store.set_setting(DISABLED_PACKS_SETTING, sorted(set(self.library.packs) - enabled))

    def my_assignments(self) -> list[Assignment]:
        return [a for a in self.store.assignments() if a.concerns(self.rep)]

    # --- the queue

    def focus_skills(self) -> list[str]:
        """Skills a manager rated lately (joint calls), weakest first."""
        since = self.clock() - FOCUS_WINDOW
        ratings = [
            r
            for r in self.store.reviews(self.rep, since=since)
            if r.source == "manager" and r.drill_uid is None and r.skill
        ]
        worst: dict[str, int] = {}
        for rating in ratings:
            skill = rating.skill or ""
            worst[skill] = min(worst.get(skill, EASY), rating.rating)
        return sorted(worst, key=lambda skill: worst[skill])

    def _assigned_packs(self) -> tuple[list[Assignment], dict[str, Assignment]]:
        """My assignments by due date, and for each assigned pack its earliest one."""
        assignments = sorted(self.my_assignments(), key=lambda a: (a.due, a.by, a.id))
        by_pack: dict[str, Assignment] = {}
        for assignment in assignments:
            by_pack.setdefault(assignment.pack, assignment)
        return assignments, by_pack

    def queue_pack_ids(self, assigned: Mapping[str, Assignment] | None = None) -> list[str]:
        """Packs that feed my queue: the ones I turned on, and every assigned pack."""
        if assigned is None:
            _, assigned = self._assigned_packs()
        disabled = self.disabled_packs()
        return [p for p in self.library.packs if p not in disabled or p in assigned]

    def _available_drills(self, pack_ids: Sequence[str] | None = None) -> list[Drill]:
        """Drills of my queue's packs that are neither suspended nor buried right now."""
        now = self.clock()
        actions = self.store.drill_actions(self.rep)

        def available(drill: Drill) -> bool:
            action, until = actions.get(drill.uid, ("", None))
            if action == "suspend":
                return False
            return not (action == "bury" and until is not None and until > now)

        return [
            drill
            for pack_id in (self.queue_pack_ids() if pack_ids is None else pack_ids)
            for drill in self.library.packs[pack_id].drills
            if available(drill)
        ]

    def queue(self) -> Queue:
        now = self.clock()
        day_start = self.days.start_of(self.days.day_of(now))
        day_end = self.days.next_start(now)
        assignments, assigned_by_pack = self._assigned_packs()
        order = {pack_id: index for index, pack_id in enumerate(self.library.packs)}
        position = {
            drill.uid: index
            for pack in self.library.packs.values()
            for index, drill in enumerate(pack.drills)
        }
        drills = self._available_drills(self.queue_pack_ids(assigned_by_pack))
        states = self.states(drills)
        focus = self.focus_skills()

        done_today = self.store.reviews(self.rep, since=day_start)
        self_today = [r for r in done_today if r.source == "self"]
        # counted over every drill, so turning a pack off does not free more new drills today
        started_today = self.store.started_since(self.rep, day_start) - {
            uid for uid, s in states.items() if s.first_review and s.first_review < day_start
        }  # a renamed drill started earlier, under the uid it replaces
        reviewed_today = {r.drill_uid for r in self_today if r.drill_uid not in started_today}
        new_left = max(0, self.config.new_per_day - len(started_today))
        reviews_left = max(0, self.config.reviews_per_day - len(reviewed_today))

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
            elif state.due < day_end:
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
        chosen_due = due[:reviews_left]
        chosen_new = fresh[:new_left]
        items = sorted(learning + chosen_due, key=lambda item: item.state.due) + chosen_new

        assigned = []
        for assignment in assignments:
            pack = self.library.packs.get(assignment.pack)
            if pack is None:
                continue
            left = sum(1 for d in pack.drills if d.uid in states and states[d.uid].is_new)
            assigned.append(AssignedPack(assignment, pack.title, left, len(pack.drills)))
        leeches = tuple(
            QueueItem(d, states[d.uid], "due") for d in drills if states[d.uid].is_leech
        )
        return Queue(
            items=tuple(items),
            due_count=len(learning) + len(chosen_due),
            new_count=len(chosen_new),
            more_due=len(due) - len(chosen_due),
            more_new=len(fresh) - len(chosen_new),
            assigned=tuple(assigned),
            leeches=leeches,
            minutes=self.estimate_minutes(items),
            done_today=len(self_today),
        )

    def estimate_minutes(self, items: Sequence[QueueItem]) -> int:
        seconds = sum(
            (item.drill.time_limit or self.config.default_time_limit) + REVEAL_AND_RATE_SECONDS
            for item in items
        )
        return -(-seconds // 60)

    # --- recording

    def record_self(self, drill: Drill, rating: int, attempt: Attempt = Attempt()) -> Rated:
        """Append the rep's self-rating (committed before this returns) and reschedule."""
        if rating not in RATING_NAMES:
            raise UserError(f"rating must be 1 (Again) to 4 (Easy), got {rating}")
        bad = [i for i in attempt.key_points_hit if not 0 <= i < len(drill.key_points)]
        if bad:
            raise ValueError(f"key point index {bad[0]} out of range for {drill.uid}")
        review = self.store.add_review(
            Review(
                rep=self.rep,
                by=self.rep,
                source="self",
                at=self.clock(),
                rating=rating,
                drill_uid=drill.uid,
                skill=drill.skill,
                suggested=attempt.suggested,
                duration_ms=attempt.duration_ms,
                time_limit=drill.time_limit or self.config.default_time_limit,
                key_points_hit=tuple(sorted(set(attempt.key_points_hit))),
                key_points_total=len(drill.key_points),
                mode=attempt.mode,
                answer=attempt.answer or None,
                replies=attempt.replies,
            )
        )
        return Rated(review, self.state(drill))

    def record_manager(
        self,
        *,
        by: str,
        rubric: Rubric,
        scores: Mapping[str, int],
        drill: Drill | None = None,
        skill: str | None = None,
        context: str = "roleplay",
        note: str = "",
        at: datetime | None = None,
        event_id: str | None = None,
    ) -> Review:
        """Append a manager's rubric rating of a drill (it schedules) or of a skill
        (it feeds progress and makes that skill a focus skill)."""
        if (drill is None) == (skill is None):
            raise UserError("a manager rating is of one drill or of one skill")
        if skill is not None and skill not in self.library.skills:
            raise UserError(f"unknown skill '{skill}' (known: {', '.join(self.library.skills)})")
        checked = check_scores(rubric, scores)
        review = Review(
            rep=self.rep,
            by=by,
            source="manager",
            at=at or self.clock(),
            rating=rating_from_scores(checked),
            drill_uid=drill.uid if drill else None,
            skill=drill.skill if drill else skill,
            rubric=rubric.id,
            scores=checked,
            context=context,
            note=note or None,
        )
        if event_id:
            review = replace(review, event_id=event_id)
        return self.store.add_review(review)

    def undo_last(self) -> Review | None:
        """Take back the rep's last self-rating; the drill is due again as before it."""
        last = self.store.last_self_review(self.rep)
        if last is None:
            return None
        self.store.undo(last.id, self.clock())
        return last

    def suspend(self, drill: Drill) -> None:
        self.store.add_drill_action(self.rep, drill.uid, "suspend", self.clock())

    def unsuspend(self, drill: Drill) -> None:
        self.store.add_drill_action(self.rep, drill.uid, "unsuspend", self.clock())

    def bury(self, drill: Drill) -> None:
        """Hide the drill until the next drilling day starts."""
        now = self.clock()
        self.store.add_drill_action(self.rep, drill.uid, "bury", now, self.days.next_start(now))

    def suspended(self) -> set[str]:
        return {uid for uid, (action, _) in self.store.drill_actions(self.rep).items()
                if action == "suspend"}  # fmt: skip

    def due_tomorrow(self) -> int:
        """Drills already started that will be due by the end of the next drilling day."""
        now = self.clock()
        tomorrow_end = self.days.start_of(self.days.day_of(now) + timedelta(days=2))
        available = self._available_drills()
        states = self.states(available)
        return sum(1 for s in states.values() if not s.is_new and s.due < tomorrow_end)

    def previous_answer(self, drill: Drill, before: datetime | None = None) -> Review | None:
        """The rep's last self-rating of this drill (or a drill it replaces)."""
        reviews = [
            r
            for r in self.store.reviews(self.rep, drill.history_uids())
            if r.source == "self" and (before is None or r.at < before)
        ]
        return reviews[-1] if reviews else None


@dataclass
class Session:
    """One sitting: the queue worked through in order; a drill rated Again (or still in
    learning) comes back before the session ends."""

    scheduler: DrillScheduler
    pending: list[QueueItem]
    started_at: datetime = field(default_factory=system_clock)
    rated: list[Rated] = field(default_factory=list)

    @classmethod
    def start(cls, scheduler: DrillScheduler, queue: Queue | None = None) -> Session:
        queue = queue or scheduler.queue()
        return cls(scheduler, list(queue.items), scheduler.clock())

    @property
    def current(self) -> QueueItem | None:
        return self.pending[0] if self.pending else None

    @property
    def remaining(self) -> int:
        return len(self.pending)

    def record(self, rating: int, attempt: Attempt = Attempt()) -> Rated:
        """Rate the current drill (stored before this returns) and move to the next."""
        item = self.pending[0]
        rated = self.scheduler.record_self(item.drill, rating, attempt)
        self.pending.pop(0)
        self.rated.append(rated)
        day_end = self.scheduler.days.next_start(self.scheduler.clock())
        if rated.state.in_learning and rated.state.due < day_end:
            self.pending.append(replace(item, state=rated.state, reason="due"))
        return rated

    def undo(self) -> QueueItem | None:
        """Take back this session's last rating and put that drill first again."""
        if not self.rated:
            return None
        last = self.rated.pop()
        undone = self.scheduler.undo_last()
        if undone is None or undone.id != last.review.id:
            raise RuntimeError("the last rating in the store is not this session's last one")
        uid = last.review.drill_uid
        drill = self.scheduler.library.drill(uid or "")
        if drill is None:
            return None
        self.pending = [item for item in self.pending if item.drill.uid != uid]
        state = self.scheduler.state(drill)
        item = QueueItem(drill, state, "new" if state.is_new else "due")
        self.pending.insert(0, item)
        return item

    def skip_current(self, action: str) -> QueueItem | None:
        """Suspend or bury the current drill and move on."""
        if not self.pending:
            return None
        item = self.pending.pop(0)
        if action == "suspend":
            self.scheduler.suspend(item.drill)
        elif action == "bury":
            self.scheduler.bury(item.drill)
        else:
            raise ValueError(action)
        self.pending = [other for other in self.pending if other.drill.uid != item.drill.uid]
        return item
