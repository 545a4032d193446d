"""The rep's summary (issue 12), computed once for the Progress screen and every format of
``drillcoach report``: ``read_history`` is the one place that reads the store, and
``summarise`` computes every figure from those values (progress/practice.py, skills.py,
packs.py), so any rep's synced history summarises the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from drillcoach.coaching.commitments import commitment_statuses, kept_ratio
from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.prefs import Prefs
from drillcoach.progress.history import (
    Counted,
    Curve,
    History,
    counting_by_drill,
    own_ratings,
)
from drillcoach.progress.model import RepSummary
from drillcoach.progress.packs import ahead, pack_progress
from drillcoach.progress.practice import habit, true_retention
from drillcoach.progress.skills import calibrations, honesty, skill_progress
from drillcoach.scheduling.cards import CardBook
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.personal import memory_for
from drillcoach.scheduling.queue import earliest_per_pack, my_assignments, queue_pack_ids
from drillcoach.store import Store
from drillcoach.store.history import self_rating_rows


def rep_summary(
    store: Store,
    library: Library,
    config: Config,
    rep: str,
    name: str,
    days: Days,
    now: datetime,
) -> RepSummary:
    """The summary of ``rep`` (shown as ``name``) as of ``now``, over the library loaded.
    ``days``: the rep's drilling days; give the scheduler's (``scheduler.days``), so the
    cards kept for those days are read as they are rather than rebuilt."""
    if now.tzinfo is None:
        raise ValueError("now: expected a timezone-aware datetime")
    return summarise(read_history(store, library, config, rep, days, now), library, config,
                     days, rep=rep, name=name)  # fmt: skip


def read_history(
    store: Store, library: Library, config: Config, rep: str, days: Days, now: datetime
) -> History:
    """Everything the summary needs from the store, read once: the live self-ratings
    (lean: store/history.py) and the manager's ratings, renames followed; the cards, first
    brought up to date with the events (a manager's sync keeps every rep's up to date, so
    that is quick); what feeds the queue; the drills set aside; commitments kept."""
    memory = memory_for(store, config, rep)  # the rep's own parameters, as the scheduler's
    book = CardBook(store, library, rep, days, lambda: now, memory)
    book.ready()
    cards = {row.uid: CardState.of_row(row) for row in book.table.all(rep)}
    aliases = book.aliases
    own = own_ratings(self_rating_rows(store, rep, until=now), aliases, days)
    managers = [
        replace(rating, drill_uid=aliases[rating.drill_uid])
        if rating.drill_uid in aliases
        else rating
        for rating in store.manager_ratings(rep)
        if rating.at <= now
    ]
    assigned = earliest_per_pack(my_assignments(store.assignments(), rep))
    actions = {aliases.get(uid, uid): action for uid, action in store.drill_actions(rep).items()}
    statuses = commitment_statuses(
        store, library, rep, days, now, every=True, new_per_day=config.new_per_day
    )
    kept, judged = kept_ratio(statuses)
    fsrs = memory.fsrs
    return History(
        now=now,
        today=days.day_of(now),
        own=own,
        managers=managers,
        cards=cards,
        pack_ids=queue_pack_ids(library, Prefs(store, library).disabled_packs(), assigned),
        assigned=assigned,
        suspended=frozenset(uid for uid, a in actions.items() if a.action == "suspend"),
        buried={
            uid: a.until
            for uid, a in actions.items()
            if a.action == "bury" and a.until is not None and a.until > now
        },
        kept=(kept, judged) if judged else None,
        curve=Curve(factor=fsrs._FACTOR, decay=fsrs._DECAY),
        desired_retention=memory.desired_retention,
    )


class Counting(NamedTuple):
    """The drilling day of each of the manager's ratings, and the ratings that count for
    scheduling per drill: what several figures are computed from, worked out once."""

    manager_days: list[int]
    by_drill: dict[str, list[Counted]]


def counting_of(history: History, days: Days) -> Counting:
    manager_days = [days.day_of(rating.at).toordinal() for rating in history.managers]
    return Counting(manager_days, counting_by_drill(history.own, history.managers, manager_days))


def summarise(
    history: History,
    library: Library,
    config: Config,
    days: Days,
    *,
    rep: str,
    name: str,
    counting: Counting | None = None,
) -> RepSummary:
    """Every figure of the summary, from the values read; ``counting``: ``counting_of``
    the history, when the caller needs it too (the team summary's rating trend)."""
    today = history.today
    manager_days, by_drill = counting or counting_of(history, days)
    scope = [drill for pack_id in history.pack_ids for drill in library.packs[pack_id].drills]
    practised = habit(history.own, today, history.kept)
    return RepSummary(
        rep=rep,
        name=name,
        as_of=days.local(history.now),
        habit=practised,
        volume=practised.weeks,
        retention=true_retention(by_drill, today, history.desired_retention),
        skills=skill_progress(
            library, scope, history.cards, by_drill, history.curve, history.now, today
        ),
        honesty=honesty(library, history.own, today),
        calibration=calibrations(history.own, history.managers, manager_days, today),
        packs=pack_progress(
            library,
            history.pack_ids,
            history.assigned,
            history.cards,
            history.managers,
            manager_days,
            today,
            ready_stability=config.ready_stability_days,
            ready_score=config.ready_manager_score,
        ),
        ahead=ahead(
            library,
            scope,
            history.cards,
            history.suspended,
            history.buried,
            days,
            today,
            new_per_day=config.new_per_day,
            default_time_limit=config.default_time_limit,
        ),
    )
