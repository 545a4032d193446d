"""What a rep owns in the store, read back as event values (for ``drillcoach export``),
and which event ids a store holds in any table (so an import can tell a repeat from an id
taken by other content). Read only; the inserts go through ``Store.insert``."""

from __future__ import annotations

from collections.abc import Iterable

from drillcoach.events import (
    COACHING_TYPES,
    AgendaOpened,
    DrillAction,
    Event,
    Sharing,
)
from drillcoach.store.db import Store
from drillcoach.store.encoding import event_id, event_key, moment

_CHUNK = 160  # ids per IN (...), six times over: under 999, the oldest limit on parameters
_EVENT_TABLES = ("ratings", "undos", "set_asides", "requests", "sharing", "coaching")


def owned_events(store: Store, rep: str) -> list[Event]:
    """Every event of ``rep``'s history, table by table: their self-ratings and the
    manager ratings of them (undone ones too), undos, suspend/bury actions, review
    requests, sharing choices and the coaching records about them (a manager's opening of
    their agenda is the manager's, not theirs)."""
    events: list[Event] = [*store.ratings(rep, include_undone=True), *store.undos(rep)]
    events.extend(set_asides(store, rep))
    events.extend(store.requests([rep]))
    own, _ = store.events_by(rep, {})
    events.extend(event for event in own if isinstance(event, Sharing))
    for kind in COACHING_TYPES:
        if kind is not AgendaOpened:
            events.extend(store.coaching(rep, kind))
    return events


def set_asides(store: Store, rep: str) -> list[DrillAction]:
    """Every suspend, bury and taking back of either by ``rep``, in the order stored."""
    rows = store.tuples(
        "SELECT s.event, n.name, s.action, s.at, s.until FROM set_asides s "
        "JOIN names n ON n.id = s.drill "
        "WHERE s.rep = (SELECT id FROM names WHERE name = ?) ORDER BY s.id",
        (rep,),
    )
    return [
        DrillAction(
            id=event_id(key),
            by=rep,
            at=moment(at),
            drill_uid=str(drill),
            action=action,
            until=moment(until) if until is not None else None,
        )
        for key, drill, action, at, until in rows
    ]


def stored_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` stored under any kind of event."""
    keys = list({event_key(found): None for found in ids})
    stored: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        sql = " UNION ".join(f"SELECT event FROM {table} WHERE event IN ({marks})"
                             for table in _EVENT_TABLES)  # fmt: skip
        stored.update(event_id(key) for (key,) in store.tuples(sql, chunk * len(_EVENT_TABLES)))
    return stored
