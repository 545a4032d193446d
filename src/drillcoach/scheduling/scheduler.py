"""One rep's scheduling, assembled: reads what the queue policy needs from the store and
the preferences, and hands recording to the Recorder. It holds no rule of its own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta, tzinfo

from drillcoach.config import Config
from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, DrillAction, SelfRating
from drillcoach.prefs import Prefs
from drillcoach.scheduling.cards import Cards
from drillcoach.scheduling.days import Clock, Days, system_clock
from drillcoach.scheduling.queue import (
    Limits,
    Queue,
    available_drills,
    build_queue,
    earliest_per_pack,
    focus_skills,
    my_assignments,
    queue_pack_ids,
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
        self.cards = Cards(
            store,
            self.rep,
            self.days,
            clock,
            desired_retention=config.desired_retention,
            fuzz=config.fuzz,
            parameters=parameters,
        )
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

    def _available(self, pack_ids: Iterable[str]) -> list[Drill]:
        actions = self.store.drill_actions(self.rep)
        return available_drills(self.library, pack_ids, actions, self.clock())

    def focus_skills(self) -> list[str]:
        return focus_skills(self.store.manager_ratings(self.rep), self.clock())

    def suspended(self) -> set[str]:
        actions = self.store.drill_actions(self.rep).values()
        return {action.drill_uid for action in actions if action.action == "suspend"}

    # --- the queue

    def queue(self) -> Queue:
        now = self.clock()
        day_start = self.days.start_of(self.days.day_of(now))
        assignments = self.my_assignments()
        drills = self._available(self.queue_pack_ids(assignments))
        states = self.states(drills)
        self_today = self.store.self_ratings(self.rep, since=day_start)
        # counted over every drill, so turning a pack off does not free more new drills today
        started_today = self.store.started_since(self.rep, day_start) - {
            uid for uid, s in states.items() if s.first_review and s.first_review < day_start
        }  # a renamed drill started earlier, under the uid it replaces
        reviewed_today = {r.drill_uid for r in self_today if r.drill_uid not in started_today}
        limits = Limits(
            new_left=max(0, self.config.new_per_day - len(started_today)),
            reviews_left=max(0, self.config.reviews_per_day - len(reviewed_today)),
            day_end=self.days.next_start(now),
            default_time_limit=self.config.default_time_limit,
        )
        return build_queue(
            self.library, drills, states, assignments, self.focus_skills(), limits, len(self_today)
        )

    def due_tomorrow(self) -> int:
        """Drills already started that will be due by the end of the next drilling day."""
        now = self.clock()
        tomorrow_end = self.days.start_of(self.days.day_of(now) + timedelta(days=2))
        states = self.states(self._available(self.queue_pack_ids()))
        return sum(1 for s in states.values() if not s.is_new and s.due < tomorrow_end)

    def previous_answer(self, drill: Drill) -> SelfRating | None:
        """The rep's last self-rating of this drill (or of a drill it replaces)."""
        return self.store.last_self_rating(self.rep, drill.history_uids())

    # --- set aside

    def suspend(self, drill: Drill) -> DrillAction:
        return self.set_aside(drill, "suspend")

    def unsuspend(self, drill: Drill) -> DrillAction:
        return self.set_aside(drill, "unsuspend")

    def bury(self, drill: Drill) -> DrillAction:
        """Hide the drill until the next drilling day starts."""
        return self.set_aside(drill, "bury")
