"""Coaching records in the store: each kept whole, as its v1 JSON, under its event id
(append-only: a repeat insert changes nothing), found by the rep it concerns, its kind and
its time. They are few (a vision a quarter, a debrief a week) and always read whole."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from drillcoach.events import (
    AgendaOpened,
    CoachingEvent,
    DebriefReview,
    Sharing,
    from_dict,
    to_dict,
)
from drillcoach.store.encoding import event_key, micros

C = TypeVar("C", bound=CoachingEvent)

# what a Sharing says of coaching records, a bit each in the sharing table's column
SHARED_KINDS = ("vision", "agreement", "commitments", "debriefs")


def rep_of(event: CoachingEvent) -> str:
    """Whose coaching a record is about: the rep's own, or the rep a manager's is about."""
    return event.rep if isinstance(event, DebriefReview | AgendaOpened) else event.by


def shared_mask(sharing: Sharing) -> int:
    return sum(1 << bit for bit, kind in enumerate(SHARED_KINDS) if getattr(sharing, kind))


def shared_kinds(mask: int) -> dict[str, bool]:
    return {kind: bool(mask >> bit & 1) for bit, kind in enumerate(SHARED_KINDS)}


def insert(
    db: sqlite3.Connection, event: CoachingEvent, by: int, rep: int, digest: int | None
) -> bool:
    """Append one record inside the caller's transaction; False when its id is stored."""
    body = json.dumps(to_dict(event), ensure_ascii=False, separators=(",", ":"))
    cursor = db.execute(
        "INSERT OR IGNORE INTO coaching (event, kind, by, rep, at, body, digest) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (event_key(event.id), event.TYPE, by, rep, micros(event.at), body, digest),
    )
    return cursor.rowcount > 0


def select(kinds: Sequence[str], *, since: datetime | None, by: bool) -> tuple[str, list[object]]:
    """The SQL and the parameters after the rep's name for the records of ``kinds`` (their
    TYPE)."""
    marks = ", ".join("?" for _ in kinds)
    sql = (
        "SELECT c.id, c.body FROM coaching c WHERE c.rep = (SELECT id FROM names WHERE name = ?)"
        f" AND c.kind IN ({marks})"
    )
    params: list[object] = list(kinds)
    if by:
        sql += " AND c.by = (SELECT id FROM names WHERE name = ?)"
    if since is not None:
        sql += " AND c.at >= ?"
    return sql + " ORDER BY c.at, c.id", params


def decoded(body: str, kind: type[C]) -> C:
    event = from_dict(json.loads(body))
    assert isinstance(event, kind), (event, kind)
    return event
