"""A rep's cards, maintained rather than recomputed: each rating moves its one card in
the transaction that stores it; a late or out-of-order event replays that one card; a
new desired retention recomputes due dates without replaying anything; a full rebuild
from events stays available (``drillcoach doctor``) and must agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from drillcoach.content import Drill, Library
from drillcoach.events import AnyRating, ManagerRating, Rating, SelfRating, Undo
from drillcoach.scheduling.cardstate import CardState, Phase
from drillcoach.scheduling.days import Clock, Days
from drillcoach.scheduling.memory import Memory, draw
from drillcoach.scheduling.rules import LEECH_LAPSES, counting
from drillcoach.steps import Progress, unheard
from drillcoach.store import CardRow, CardTable, Store
from drillcoach.store.encoding import micros
from drillcoach.store.encoding import moment as from_micros

STAMP = "cards:{rep}"  # settings key: what the stored cards were computed with
# how doctor's steps are said (a bar on a terminal, plain lines when piped)
REBUILDING, CHECKING = "replaying every card from its ratings", "checking every card"
RENAMES = "renames"  # settings key: every rename adopted, old uid -> new uid, kept forever
AHEAD = timedelta(minutes=5)  # a rating stamped later than this ahead of the clock waits


_RENAMES_OF: list[tuple[Library, dict[str, str]]] = []  # the last library read, its renames


def library_renames(library: Library) -> dict[str, str]:
    """Old uid -> new of every drill of ``library`` that ``replaces`` others; read once per
    library (a book is made per scheduler, and the library does not change)."""
    for known, renames in _RENAMES_OF:
        if known is library:
            return renames
    renamed = [drill for drill in library.drills() if drill.replaces]
    found = {old: drill.uid for drill in renamed for old in drill.history_uids()[1:]}
    _RENAMES_OF[:] = [(library, found)]
    return found


def mark_stale(store: Store, earliest: Mapping[str, Mapping[str, int]]) -> None:
    """Inside the transaction that stores events of these drills without moving their
    cards (an import from the workspace): rep -> drill -> the earliest ``at`` (micros) of
    the ratings stored, 0 for a rating taken back. Each rep's kept cards of them are
    brought up to date on the rep's book's next use (``settle``), so no interruption can
    leave a card behind its history; the earliest time, the earlier of two imports kept,
    tells whether the card may step through the new ratings instead of replaying all."""
    for rep, ats in earliest.items():
        key = STAMP.format(rep=rep)
        stamp = store.get_setting(key)
        if not isinstance(stamp, dict) or not ats:
            continue  # not kept: the first use builds every card from the events
        deferred = dict(stamp.get("deferred") or {})
        before = dict(deferred)
        for uid, at in ats.items():
            deferred[uid] = min(deferred.get(uid, at), at)
        if deferred != before:  # called again at each commit of one import
            store.set_setting(key, {**stamp, "deferred": deferred})


def cards_kept(store: Store, rep: str) -> bool:
    """Whether the store keeps ``rep``'s cards (else their book's first use builds them)."""
    return isinstance(store.get_setting(STAMP.format(rep=rep)), dict)


def cards_waiting(store: Store, rep: str) -> bool:
    """Whether ``rep``'s cards are not kept, or some wait to be brought up to date (an
    import marked them, or a rating from the future waits)."""
    stamp = store.get_setting(STAMP.format(rep=rep))
    return not isinstance(stamp, dict) or bool(stamp.get("deferred"))


def resolve_renames(
    library: Library, adopted: dict[str, str]
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(old uid -> the current uid whose history it is, uid -> its history uids), from
    the library's ``replaces`` and the renames adopted before, followed to their end."""
    step = {**adopted, **library_renames(library)}
    aliases: dict[str, str] = {}
    for old in step:
        seen = {old}
        new = step[old]
        while new in step and new not in seen and library.drill(new) is None:
            seen.add(new)
            new = step[new]
        if new != old:
            aliases[old] = new
    history: dict[str, list[str]] = {}
    for old, new in aliases.items():
        history.setdefault(new, [new]).append(old)
    return aliases, {uid: tuple(uids) for uid, uids in history.items()}


@dataclass(frozen=True)
class Mismatch:
    """A card whose stored state differs from the one rebuilt from its events."""

    uid: str
    stored: CardState | None
    rebuilt: CardState | None


class CardBook:
    """One rep's card states over the store."""

    def __init__(
        self,
        store: Store,
        library: Library,
        rep: str,
        days: Days,
        clock: Clock,
        memory: Memory,
    ) -> None:
        self.store = store
        self.table = CardTable(store)
        self.library = library
        self.rep = rep
        self.days = days
        self.clock = clock
        self.memory = memory
        self._ready = False
        self._kept: dict[str, tuple[tuple[int, int], Any]] = {}  # what a card write voids
        self.advanced = 0  # cards stepped through their new ratings (``_advance``)
        self.replayed = 0  # cards replayed from their whole history
        # a drill's old uids (``replaces``) all lead to its card
        # a drill's old uids (``replaces``), and those of renames adopted before: x -> y,
        # later y -> z, and z has x's history too
        self.renames: dict[str, str] = dict(store.get_setting(RENAMES, {}))
        self.aliases, self._history = resolve_renames(library, self.renames)

    # --- keeping cards in step with settings and content

    def _stamp(self) -> dict[str, str]:
        return {
            "memory": f"{self.memory.memory_signature}|{self.days.start_hour}|{self.days.tz}",
            "due": self.memory.due_signature,
        }

    def ready(self) -> None:
        """Bring stored cards up to date with the settings and the library, once per book:
        new FSRS parameters or day boundaries replay history; a new desired retention or
        fuzz recomputes due dates; a drill renamed with ``replaces`` takes its old card."""
        if not self._ready:
            if self._stale() and not self.store.readonly:  # read-only: shown as kept
                with self.store.transaction(durable=False):
                    self._bring_up_to_date()
            self._ready = True

    def _stale(self) -> bool:
        stored = self.store.get_setting(STAMP.format(rep=self.rep))
        if not isinstance(stored, dict) or any(
            stored.get(key) != value for key, value in self._stamp().items()
        ):
            return True
        if any(self.renames.get(old) != new for old, new in library_renames(self.library).items()):
            return True
        if stored.get("deferred") or self.store.latest_rating_at(self.rep, self._horizon()):
            return True  # ratings from the future: wait, or count them now that it has come
        return bool(self.aliases) and bool(self.table.get(self.rep, sorted(self.aliases)))

    def _horizon(self) -> datetime:
        """Ratings stamped after this (a clock set wrong, then back) do not count yet."""
        return self.clock() + AHEAD

    def _bring_up_to_date(self) -> None:
        """Inside a transaction, so another drillcoach cannot interleave."""
        stamp: dict[str, object] = dict(self._stamp())
        stored = self.store.get_setting(STAMP.format(rep=self.rep))
        rebuilt: set[str] | None = set()  # the cards replayed in this pass (None: all)
        if not isinstance(stored, dict) or stored.get("memory") != stamp["memory"]:
            self._rebuild_all()
            rebuilt = None
        elif stored.get("due") != stamp["due"]:
            self._recompute_dues()
        renames = library_renames(self.library)
        if any(self.renames.get(old) != new for old, new in renames.items()):
            self.renames.update(renames)
            self.store.set_setting(RENAMES, self.renames)
        adopted = self._adopt_renamed()
        if rebuilt is not None:
            rebuilt |= adopted
        waiting = stored.get("deferred", {}) if isinstance(stored, dict) else {}
        stamp["deferred"] = self._settle_ahead(waiting, rebuilt)
        if stored != stamp:
            self.store.set_setting(STAMP.format(rep=self.rep), stamp)

    def _settle_ahead(
        self, deferred: Mapping[str, int], rebuilt: set[str] | None
    ) -> dict[str, int]:
        """Replay the cards whose ratings from the future must wait, and bring up to date
        those whose waiting ratings' time has come: stepped through them where
        ``_advance`` may, else replayed (those ``rebuilt`` in this pass, None for all, are
        up to date already). What still waits (uid -> its earliest rating)."""
        horizon = self._horizon()
        ahead: dict[str, int] = {}
        for uid, at in self.store.rated_after(self.rep, horizon).items():
            uid = self.aliases.get(uid, uid)  # an old uid's ratings and the new one's
            ahead[uid] = min(ahead.get(uid, at), at)
        come: dict[str, int] = {}
        for uid, at in deferred.items():
            if at <= micros(horizon):
                uid = self.aliases.get(uid, uid)
                come[uid] = min(come.get(uid, at), at)
        for uid in sorted(ahead):
            self._replay(uid)
        if rebuilt is None:
            return ahead
        due = sorted(uid for uid in come if uid not in ahead and uid not in rebuilt)
        rows = self.table.get(self.rep, due) if due else {}
        starts: dict[str, tuple[date, datetime]] = {}  # uid -> its last day, the next's start
        for uid in due:
            row = rows.get(uid)
            if row is None or row.last_review is None or come[uid] <= 0:
                self._replay(uid)  # a new card, or a rating taken back
                continue
            day = self.days.day_of(row.last_review)
            start = self.days.start_of(day + timedelta(days=1))
            if come[uid] < micros(start) or row.last_review > horizon:
                self._replay(uid)  # a rating on its last review's day or before
            else:
                starts[uid] = day, start
        if starts:
            self._advance(rows, starts, min(come[uid] for uid in starts), horizon)
        return ahead

    def _advance(
        self, rows: Mapping[str, CardRow], starts: Mapping[str, tuple[date, datetime]],
        earliest: int, horizon: datetime,
    ) -> None:  # fmt: skip
        """Step each kept card of ``starts`` through its ratings from the start of the
        drilling day after its last review's (``starts``) up to ``horizon``, the drill's
        deferred earliest time being that moment or later (``_settle_ahead``): all the
        cards' ratings are read at once, from ``earliest`` on, the earliest of them.

        Why this equals a replay: a kept card is the replay of the counting ratings it
        saw, and those all lie on its last review's drilling day or before (a rating on a
        later day would count and be the last review; one kept for calibration only
        shares its day with a manager rating that counts). Every rating stored since, and
        every one not counted yet for being stamped ahead of the clock, is stamped at its
        drill's deferred time or later: ``mark_stale`` and ``_defer`` keep the earliest of
        all, an undo (which may take back a rating the card saw) makes it 0, and a rating
        recorded here moves or replays its card at once. So when that time falls on a
        later day, the live ratings before that day are exactly the ones the card saw,
        none lies between that day's start and that time, and the rest are the ones read
        here, on later days: ``counting`` decides each day alone (a manager's rating
        displaces the rep's own of its day), so it keeps here what a replay keeps; a new
        rating on the card's last day, which could displace one the card counted, always
        replays. fsrs steps a card from its memory state, phase, step and last review,
        never from its due date (moved by a new desired retention without a replay); its
        fuzz is seeded by the drill and the review's number (the kept ``reviews``), and
        drawn, as a replay draws it, for the last review only."""
        uids = sorted(starts)
        events = self.store.ratings(
            self.rep,
            [old for uid in uids for old in self.history_uids(uid)],
            since=from_micros(earliest),
            before=horizon + timedelta(microseconds=1),
        )
        by_uid: dict[str, list[AnyRating]] = {}
        for event in events:
            uid = event.drill_uid or ""
            by_uid.setdefault(self.aliases.get(uid, uid), []).append(event)
        moved = []
        for uid in uids:
            day, start = starts[uid]
            new = [event for event in by_uid.get(uid, ()) if event.at >= start]
            if any(self.days.day_of(event.at) <= day for event in new):
                self._replay(uid)  # a zone whose clocks went back across the day's start
                continue
            scheduling = counting(new, self.days)
            state = CardState.of_row(rows[uid])
            for number, event in enumerate(scheduling, 1):
                last = number == len(scheduling)
                state = self.memory.review(state, event.rating, event.at, last=last)
            self.advanced += 1
            if scheduling:
                moved.append(state.row())
        if moved:
            self.table.put(self.rep, moved)

    def _recompute_dues(self) -> None:
        undrawn = self.table.undrawn(self.rep)  # cards kept before schema 6, once
        if undrawn:
            self.table.set_draws(self.rep, [(uid, draw(uid, n - 1)) for uid, n in undrawn])
        self.table.move_dues(self.rep, *self.memory.interval_sql())

    def _adopt_renamed(self) -> set[str]:
        """Replay the card of each drill whose old uid still has one; the uids replayed."""
        if not self.aliases:
            return set()
        old = self.table.get(self.rep, sorted(self.aliases))
        adopted = {self.aliases[old_uid] for old_uid in old}
        for uid in sorted(adopted):
            self._replay(uid)
        self.table.delete(self.rep, old)
        return adopted

    def _rebuild_all(self, progress: Progress = unheard) -> None:
        uids = {self.aliases.get(uid, uid) for uid in self.store.rated_drills(self.rep)}
        self.table.clear(self.rep)
        events = self.store.ratings(self.rep)
        by_uid: dict[str, list[AnyRating]] = {}
        for event in events:
            if event.drill_uid is not None:
                by_uid.setdefault(self.aliases.get(event.drill_uid, event.drill_uid), []).append(
                    event
                )
        now = self.clock()
        rebuilt = []
        for done, uid in enumerate(sorted(uids), 1):
            rebuilt.append(self._replayed(uid, by_uid.get(uid, []), now))
            progress(REBUILDING, done, len(uids))
        self.table.put(self.rep, [state.row() for state in rebuilt if state is not None])

    # --- reading

    def history_uids(self, uid: str) -> tuple[str, ...]:
        """The uid and every uid whose history it took over, renames of renames too."""
        return self._history.get(uid, (uid,))

    def state(self, drill: Drill) -> CardState:
        return self.states([drill])[drill.uid]

    def states(self, drills: Iterable[Drill]) -> dict[str, CardState]:
        """Card states for ``drills`` by uid; a drill never rated gets a new card."""
        self.ready()
        uids = [drill.uid for drill in drills]
        rows = self.table.get(self.rep, uids)
        now = self.clock()
        return {
            uid: CardState.of_row(rows[uid]) if uid in rows else CardState.new(uid, now)
            for uid in uids
        }

    def states_of(self, uids: Sequence[str]) -> dict[str, CardState]:
        """The stored states of drills that have a card (those read since the last card
        write are kept, so Today's drills are read once)."""
        known: dict[str, CardState] = self._keep("states", dict)
        missing = [uid for uid in uids if uid not in known]
        if missing:
            rows = self.table.get(self.rep, missing)
            known.update((uid, CardState.of_row(row)) for uid, row in rows.items())
        return {uid: known[uid] for uid in uids if uid in known}

    def due_before(self, moment: datetime) -> tuple[list[str], list[str]]:
        """The uids of the cards due before ``moment``, soonest first: those in (re)learning,
        and those in review (the due index; kept until a card is written)."""
        self.ready()

        def split() -> tuple[list[str], list[str]]:
            rows = self.table.due_uids(self.rep, moment)
            learning = [uid for uid, phase in rows if phase != Phase.REVIEW]
            return learning, [uid for uid, phase in rows if phase == Phase.REVIEW]

        found: tuple[list[str], list[str]] = self._keep(f"due:{moment.timestamp()}", split)
        return found

    def leeches(self) -> list[tuple[str, int]]:
        """(uid, lapses) of every leech, most lapses first."""
        self.ready()
        found: list[tuple[str, int]] = self._keep(
            "leeches", lambda: self.table.with_lapses(self.rep, LEECH_LAPSES)
        )
        return found

    def _keep(self, name: str, load: Callable[[], Any]) -> Any:
        """``load()``, kept until a card is written here or anyone else commits."""
        version = self.table.version()
        if self._kept and next(iter(self._kept.values()))[0] != version:
            self._kept.clear()  # one version for all: nothing stale lingers under old keys
        kept = self._kept.get(name)
        if kept is None:
            kept = self._kept[name] = (version, load())
        return kept[1]

    def started(self) -> frozenset[str]:
        """Every drill with a card. Kept between calls while no one (this book or another
        drillcoach) has written to the store since."""
        self.ready()
        found: frozenset[str] = self._keep(
            "started", lambda: frozenset(self.table.started(self.rep))
        )
        return found

    def started_since(self, moment: datetime) -> set[str]:
        self.ready()
        return self.table.started_since(self.rep, moment)

    def preview(self, state: CardState) -> dict[Rating, timedelta]:
        return self.memory.preview(state, self.clock())

    # --- recording

    def record(self, event: AnyRating) -> CardState | None:
        """Store a rating and move its card in one transaction; the card's new state
        (None for a rating of a skill). A rating stored before changes nothing."""
        with self.store.transaction():
            if self._stale():  # another drillcoach may have changed them since ready()
                self._bring_up_to_date()
            self._ready = True
            added = self.store.insert(event)
            if event.drill_uid is None:
                return None
            uid = self.aliases.get(event.drill_uid, event.drill_uid)
            if not added:
                return self._current(uid)
            return self._apply(uid, event)

    def undo(self, undo: Undo, rating: SelfRating) -> bool:
        """Store an undo of ``rating`` and replay that drill's card without it, in one
        transaction; False (nothing written) when the rating is already taken back."""
        with self.store.transaction():
            if self.store.is_undone(rating.id):
                return False
            if self._stale():
                self._bring_up_to_date()
            self._ready = True
            self.store.insert(undo)
            self._replay(self.aliases.get(rating.drill_uid, rating.drill_uid))
            return True

    def settle(self) -> None:
        """Replay now what an import marked stale (``mark_stale``), even when this book
        was ready before the import."""
        self._ready = False
        self.ready()

    def _current(self, uid: str) -> CardState:
        row = self.table.get(self.rep, [uid]).get(uid)
        return CardState.of_row(row) if row is not None else CardState.new(uid, self.clock())

    def _apply(self, uid: str, event: AnyRating) -> CardState:
        """The card after ``event``: one fsrs step when the event comes after everything
        the card has seen and changes no earlier decision, else a replay of its history."""
        row = self.table.get(self.rep, [uid]).get(uid)
        if event.at > self._horizon():  # from the future: it counts when its time comes
            self._defer(uid, event.at)
            return self._current(uid)
        if row is None or row.last_review is None or event.at < row.last_review:
            return self._replay(uid)
        if row.last_review > self._horizon():  # the clock went back: replay without those
            return self._replay(uid)
        day = self.days.day_of(event.at)
        start, end = self.days.start_of(day), self.days.start_of(day + timedelta(days=1))
        same_day = self.store.ratings(
            self.rep,
            self.history_uids(uid),
            since=start,
            before=end,
            source="manager" if isinstance(event, SelfRating) else "self",
            limit=1,
        )
        current = CardState.of_row(row)
        if same_day and isinstance(event, SelfRating):
            return current  # the manager's rating of this day counts, not the rep's
        if same_day and isinstance(event, ManagerRating):
            return self._replay(uid)  # this day's self-ratings stop counting
        state = self.memory.review(current, event.rating, event.at)
        self.table.put(self.rep, [state.row()])
        return state

    def _defer(self, uid: str, at: datetime) -> None:
        key = STAMP.format(rep=self.rep)
        stamp = dict(self.store.get_setting(key, {}))
        deferred = dict(stamp.get("deferred", {}))
        deferred[uid] = min(deferred.get(uid, micros(at)), micros(at))
        stamp["deferred"] = deferred
        self.store.set_setting(key, stamp)

    def _replayed(self, uid: str, events: Sequence[AnyRating], now: datetime) -> CardState | None:
        horizon = now + AHEAD
        scheduling = counting([e for e in events if e.at <= horizon], self.days)
        return self.memory.replay(uid, scheduling, now) if scheduling else None

    def _replay(self, uid: str) -> CardState:
        """Rebuild one card from its live ratings (the old uids' included) and store it."""
        events = self.store.ratings(self.rep, self.history_uids(uid))
        now = self.clock()
        state = self._replayed(uid, events, now)
        self.replayed += 1
        if state is None:
            self.table.delete(self.rep, [uid])
            return CardState.new(uid, now)
        self.table.put(self.rep, [state.row()])
        return state

    # --- checking

    def check(self, progress: Progress = unheard) -> list[Mismatch]:
        """Every card whose stored state differs from a rebuild from events; ``progress``
        hears how many drills are checked."""
        self.ready()
        stored = {row.uid: CardState.of_row(row) for row in self.table.all(self.rep)}
        uids = {self.aliases.get(uid, uid) for uid in self.store.rated_drills(self.rep)}
        now = self.clock()
        mismatches = []
        every = sorted(uids | set(stored))
        for done, uid in enumerate(every, 1):
            events = self.store.ratings(self.rep, self.history_uids(uid))
            rebuilt = self._replayed(uid, events, now)
            if stored.get(uid) != rebuilt:
                mismatches.append(Mismatch(uid, stored.get(uid), rebuilt))
            progress(CHECKING, done, len(every))
        return mismatches

    def rebuild(self, progress: Progress = unheard) -> None:
        """Replay every card from its events (``drillcoach doctor --rebuild``)."""
        with self.store.transaction(durable=False):
            self._rebuild_all(progress)
            self.store.set_setting(STAMP.format(rep=self.rep), self._stamp())
