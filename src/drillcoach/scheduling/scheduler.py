"""One rep's scheduling, assembled: reads what the queue policy needs from the store, the
card book and the preferences, and hands recording to the Recorder. No rule of its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

from drillcoach.config import Config
from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, DrillAction, ManagerRating, SelfRating
from drillcoach.prefs import Prefs
from drillcoach.scheduling.cards import CardBook
from drillcoach.scheduling.days import Clock, Days, system_clock
from drillcoach.scheduling.personal import memory_for
from drillcoach.scheduling.queue import (
    FOCUS_WINDOW,
    Cards,
    Limits,
    Queue,
    build_queue,
    earliest_per_pack,
    field_pack_id,
    focus_skills,
    forward_today,
    my_assignments,
    queue_pack_ids,
    set_aside_now,
)
from drillcoach.scheduling.recording import Recorder
from drillcoach.store import Store


class DrillScheduler:
    """FSRS scheduling for one rep over the loaded library, on top of the store."""

    def __init__(
        self,
        store: Store,
        library: Library,
        config: Config,
        *,
        prefs: Prefs | None = None,
        rep: str | None = None,
        clock: Clock = system_clock,
        tz: tzinfo | None = None,
        parameters: Sequence[float] | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.config = config
        self.prefs = prefs or Prefs(store, library)
        self.rep = rep or config.member
        self.clock = clock
        self.days = Days(config.day_starts_at, tz)
        # the parameters applied for this rep (drillcoach optimize), unless given
        memory = memory_for(store, config, self.rep, parameters)
        self.cards = CardBook(store, library, self.rep, self.days, clock, memory)
        self.recorder = Recorder(
            store, library, self.cards, self.rep, clock, self.days, config.default_time_limit
        )
        self.record_self = self.recorder.record_self
        self.record_manager = self.recorder.record_manager
        self.undo_last = self.recorder.undo_last
        self.set_aside = self.recorder.set_aside
        self.states = self.cards.states
        self.state = self.cards.state
        self.preview = self.cards.preview

    # --- what feeds my queue

    def my_assignments(self) -> list[Assignment]:
        return my_assignments(self.store.assignments(), self.rep)

    def queue_pack_ids(self, assignments: Sequence[Assignment] | None = None) -> list[str]:
        assigned = earliest_per_pack(self.my_assignments() if assignments is None else assignments)
        return queue_pack_ids(self.library, self.prefs.disabled_packs(), assigned)

    def focus_skills(self) -> list[str]:
        """Skills my manager rated in the last 60 days, weakest first, then the skills of
        the weak areas of my latest sales DNA check, weakest first."""
        from drillcoach.coaching.dna import current_dna, dna_focus_skills

        now = self.clock()
        rated = focus_skills(self.store.manager_ratings(self.rep, since=now - FOCUS_WINDOW), now)
        dna = current_dna()
        if dna is None:  # no file, or a broken one: 'drillcoach dna' says what is wrong
            return rated
        return rated + [s for s in dna_focus_skills(self.store, self.rep, dna) if s not in rated]

    def suspended(self) -> set[str]:
        actions = self.store.drill_actions(self.rep).values()
        return {action.drill_uid for action in actions if action.action == "suspend"}

    # --- the queue

    def queue(self) -> Queue:
        now = self.clock()
        day_start = self.days.start_of(self.days.day_of(now))
        day_end = self.days.next_start(now)
        assignments = self.my_assignments()
        cards = Cards(
            *self.cards.due_before(day_end),
            self.cards.started(),
            self.cards.leeches(),
            self.cards.states_of,
        )
        rated_today = self.store.self_rated_since(self.rep, day_start)
        # counted over every drill, so turning a pack off does not free more new drills today
        started_today = self.cards.started_since(day_start)
        reviewed_today = {
            uid for uid in rated_today if self.cards.aliases.get(uid, uid) not in started_today
        }
        limits = Limits(
            new_left=max(0, self.config.new_per_day - len(started_today)),
            reviews_left=max(0, self.config.reviews_per_day - len(reviewed_today)),
            day_end=day_end,
            default_time_limit=self.config.default_time_limit,
            today=self.days.day_of(now),
        )
        actions = self.store.drill_actions(self.rep)
        return build_queue(
            self.library,
            set(self.queue_pack_ids(assignments)),
            set_aside_now(actions, now),
            cards,
            assignments,
            self.focus_skills(),
            limits,
            len(rated_today),
            now,
            forward=self._forward(actions, day_start),
            first_packs=(field_pack_id(self.rep),),
        )

    def _set_aside(self, now: datetime) -> set[str]:
        return set_aside_now(self.store.drill_actions(self.rep), now)

    def _forward(self, actions: Mapping[str, DrillAction], day_start: datetime) -> list[str]:
        """The drills brought forward today and not rated since, in the order they were."""
        brought = forward_today(actions, day_start)
        return [
            uid
            for uid, at in sorted(brought.items(), key=lambda item: item[1])
            if not self.store.ratings(self.rep, self.cards.history_uids(uid), since=at, limit=1)
        ]

    def due_tomorrow(self) -> int:
        """Drills already started that will be due by the end of the next drilling day."""
        now = self.clock()
        tomorrow_end = self.days.start_of(self.days.day_of(now) + timedelta(days=2))
        packs = set(self.queue_pack_ids())
        set_aside = self._set_aside(now)
        learning, reviews = self.cards.due_before(tomorrow_end)
        return sum(
            1
            for uid in (*learning, *reviews)
            if (drill := self.library.drill(uid)) is not None
            and drill.pack_id in packs
            and drill.uid not in set_aside
        )

    def previous_answer(self, drill: Drill) -> SelfRating | None:
        """The rep's last self-rating of this drill (or of a drill it replaces)."""
        return self.store.last_self_rating(self.rep, self.cards.history_uids(drill.uid))

    def previous_manager_rating(self, drill: Drill) -> ManagerRating | None:
        """My manager's last rating of this drill (or of a drill it replaces)."""
        return self.store.last_manager_rating(self.rep, self.cards.history_uids(drill.uid))

    # --- set aside

    def suspend(self, drill: Drill) -> DrillAction:
        return self.set_aside(drill, "suspend")

    def unsuspend(self, drill: Drill) -> DrillAction:
        return self.set_aside(drill, "unsuspend")

    def bury(self, drill: Drill) -> DrillAction:
        """Hide the drill until the next drilling day starts."""
        return self.set_aside(drill, "bury")

    def forward(self, drill: Drill) -> DrillAction:
        """Bring the drill into today's queue, first, until it is rated (it also ends a
        suspension or a burial: the rep asked for it today)."""
        return self.set_aside(drill, "forward")
