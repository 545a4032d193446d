"""One rep's SQLite database: the connection, and the queries the domain needs.

Events are append-only: ratings, undos and suspend/bury actions are inserted once under
their event id, so applying an event twice (sync) changes nothing. ``cards`` is a cache
the scheduler can always rebuild from events; ``settings`` holds the rep's preferences.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from drillcoach.errors import UserError
from drillcoach.events import (
    AnyRating,
    Assignment,
    DrillAction,
    Event,
    ManagerRating,
    SelfRating,
    Undo,
    parse_utc,
    utc_text,
)
from drillcoach.store.migrations import migrate

BUSY_TIMEOUT_MS = 5000

_RATING_COLUMNS = (
    "event_id, rep, by, source, drill_uid, skill, at, rating, suggested, duration_ms, "
    "time_limit, key_points_hit, key_points_total, mode, answer, replies, rubric, scores, "
    "context, note"
)
_LIVE = "id NOT IN (SELECT review_id FROM undos)"


def _json(values: Any) -> str | None:
    return json.dumps(values) if values else None


def _rating_row(event: AnyRating) -> tuple[Any, ...]:
    if isinstance(event, SelfRating):
        return (
            event.id, event.rep, event.by, "self", event.drill_uid, event.skill,
            utc_text(event.at), event.rating, event.suggested, event.duration_ms,
            event.time_limit, json.dumps(list(event.key_points_hit)), event.key_points_total,
            event.mode, event.answer, _json(list(event.replies)), None, None, None, None,
        )  # fmt: skip
    return (
        event.id, event.rep, event.by, "manager", event.drill_uid, event.skill,
        utc_text(event.at), event.rating, None, None, None, None, None, None, None, None,
        event.rubric, _json(dict(event.scores)), event.context, event.note or None,
    )  # fmt: skip


def _rating_from_row(row: sqlite3.Row) -> AnyRating:
    if row["source"] == "self":
        return SelfRating(
            id=row["event_id"],
            by=row["by"],
            at=parse_utc(row["at"]),
            drill_uid=row["drill_uid"],
            skill=row["skill"],
            rating=row["rating"],
            suggested=row["suggested"],
            duration_ms=row["duration_ms"],
            time_limit=row["time_limit"],
            key_points_hit=tuple(json.loads(row["key_points_hit"] or "[]")),
            key_points_total=row["key_points_total"],
            mode=row["mode"] or "typed",
            answer=row["answer"],
            replies=tuple(json.loads(row["replies"] or "[]")),
        )
    return ManagerRating(
        id=row["event_id"],
        by=row["by"],
        rep=row["rep"],
        at=parse_utc(row["at"]),
        rubric=row["rubric"],
        scores=dict(json.loads(row["scores"] or "{}")),
        rating=row["rating"],
        skill=row["skill"],
        drill_uid=row["drill_uid"],
        context=row["context"],
        note=row["note"] or "",
    )


def _insert(db: sqlite3.Connection, event: Event, recorded: str) -> bool:
    if isinstance(event, SelfRating | ManagerRating):
        cursor = db.execute(
            f"INSERT OR IGNORE INTO reviews ({_RATING_COLUMNS}, recorded_at) "
            f"VALUES ({', '.join('?' * 21)})",
            (*_rating_row(event), recorded),
        )
    elif isinstance(event, Undo):
        if db.execute("SELECT 1 FROM undos WHERE event_id = ?", (event.id,)).fetchone():
            return False
        row = db.execute(
            "SELECT id FROM reviews WHERE event_id = ? AND rep = ? AND source = 'self'",
            (event.of, event.by),
        ).fetchone()
        if row is None:
            raise ValueError(f"undo of an unknown self-rating {event.of!r}")
        cursor = db.execute(
            "INSERT INTO undos (event_id, review_id, at) VALUES (?, ?, ?)",
            (event.id, row["id"], utc_text(event.at)),
        )
    else:
        cursor = db.execute(
            "INSERT OR IGNORE INTO drill_actions "
            "(event_id, rep, drill_uid, action, at, until) VALUES (?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.rep,
                event.drill_uid,
                event.action,
                utc_text(event.at),
                utc_text(event.until) if event.until else None,
            ),
        )
    return cursor.rowcount > 0


@dataclass(frozen=True)
class CachedCard:
    """A card state as the cache keeps it, with the history it was built from."""

    drill_uid: str
    history_key: str
    card: dict[str, Any]
    lapses: int
    reviews: int
    first_review: datetime | None


class Store:
    """One rep's SQLite database. Built from a path; nothing is opened at import time."""

    def __init__(self, path: Path, *, backups: Path | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
            )
        except (OSError, sqlite3.Error) as error:
            raise UserError(f"{path}: cannot open the drillcoach database ({error})") from None
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            migrate(self._db, backups=backups, path=path)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise UserError(f"{path}: not a drillcoach database ({error})") from None
        except BaseException:
            self._db.close()  # e.g. a database from a newer drillcoach: don't leave it open
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, tuple(params)))

    # --- events (append-only)

    def add(self, event: Event, *, recorded_at: datetime | None = None) -> bool:
        """Append an event and commit it before returning. An event id already stored is
        ignored (False), so applying the same event twice changes nothing."""
        return self.add_many([event], recorded_at=recorded_at) == 1

    def add_many(self, events: Iterable[Event], *, recorded_at: datetime | None = None) -> int:
        """Append events in one transaction (all or none); how many were new."""
        recorded = utc_text(recorded_at or datetime.now(UTC))
        with self._transaction() as db:
            return sum(_insert(db, event, recorded) for event in events)

    def ratings(
        self,
        rep: str,
        drill_uids: Sequence[str] | None = None,
        *,
        since: datetime | None = None,
        before: datetime | None = None,
        source: Literal["self", "manager"] | None = None,
        include_undone: bool = False,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[AnyRating]:
        """A rep's ratings in time order (then in the order they were recorded)."""
        sql = f"SELECT {_RATING_COLUMNS} FROM reviews WHERE rep = ?"
        params: list[Any] = [rep]
        if drill_uids is not None:
            sql += f" AND drill_uid IN ({', '.join('?' * len(drill_uids))})"
            params.extend(drill_uids)
        if since is not None:
            sql += " AND at >= ?"
            params.append(utc_text(since))
        if before is not None:
            sql += " AND at < ?"
            params.append(utc_text(before))
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        if not include_undone:
            sql += f" AND {_LIVE}"
        sql += " ORDER BY at DESC, id DESC" if newest_first else " ORDER BY at, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_rating_from_row(row) for row in self._query(sql, params)]

    def self_ratings(
        self, rep: str, drill_uids: Sequence[str] | None = None, *, since: datetime | None = None
    ) -> list[SelfRating]:
        found = self.ratings(rep, drill_uids, since=since, source="self")
        return [rating for rating in found if isinstance(rating, SelfRating)]

    def manager_ratings(self, rep: str, *, since: datetime | None = None) -> list[ManagerRating]:
        found = self.ratings(rep, since=since, source="manager")
        return [rating for rating in found if isinstance(rating, ManagerRating)]

    def last_self_rating(
        self, rep: str, drill_uids: Sequence[str] | None = None, *, before: datetime | None = None
    ) -> SelfRating | None:
        """The rep's most recent live self-rating (of these drills, before ``before``)."""
        found = self.ratings(
            rep, drill_uids, before=before, source="self", newest_first=True, limit=1
        )
        return found[0] if found and isinstance(found[0], SelfRating) else None

    def last_recorded_self_rating(self, rep: str) -> SelfRating | None:
        """The live self-rating the rep recorded last (what undo takes back)."""
        rows = self._query(
            f"SELECT {_RATING_COLUMNS} FROM reviews WHERE rep = ? AND by = ? "
            f"AND source = 'self' AND {_LIVE} ORDER BY id DESC LIMIT 1",
            (rep, rep),
        )
        found = _rating_from_row(rows[0]) if rows else None
        return found if isinstance(found, SelfRating) else None

    def self_rating_times(self, rep: str) -> list[datetime]:
        """When the rep rated anything themselves: the basis of streaks and practice days."""
        rows = self._query(
            f"SELECT at FROM reviews WHERE rep = ? AND source = 'self' AND {_LIVE} ORDER BY at",
            (rep,),
        )
        return [parse_utc(row["at"]) for row in rows]

    def undos(self, rep: str) -> list[Undo]:
        rows = self._query(
            "SELECT undos.event_id, undos.at, reviews.event_id AS of FROM undos "
            "JOIN reviews ON reviews.id = undos.review_id WHERE reviews.rep = ? ORDER BY undos.id",
            (rep,),
        )
        return [
            Undo(id=row["event_id"], by=rep, at=parse_utc(row["at"]), of=row["of"]) for row in rows
        ]

    def history_keys(self, rep: str) -> dict[str, tuple[int, int]]:
        """Per drill uid: (number of live ratings, highest event row id). A change in
        either means the cached card is stale."""
        rows = self._query(
            "SELECT drill_uid, COUNT(*) AS n, MAX(id) AS last FROM reviews "
            f"WHERE rep = ? AND drill_uid IS NOT NULL AND {_LIVE} GROUP BY drill_uid",
            (rep,),
        )
        return {row["drill_uid"]: (row["n"], row["last"]) for row in rows}

    def started_since(self, rep: str, since: datetime) -> set[str]:
        """Drills whose first live rating is at or after ``since`` (new drills started)."""
        rows = self._query(
            "SELECT drill_uid FROM reviews WHERE rep = ? AND drill_uid IS NOT NULL "
            f"AND {_LIVE} GROUP BY drill_uid HAVING MIN(at) >= ?",
            (rep, utc_text(since)),
        )
        return {row["drill_uid"] for row in rows}

    # --- suspend and bury

    def drill_actions(self, rep: str) -> dict[str, DrillAction]:
        """Per drill uid, the latest suspend/bury action."""
        rows = self._query(
            "SELECT event_id, drill_uid, action, at, until FROM drill_actions WHERE id IN "
            "(SELECT MAX(id) FROM drill_actions WHERE rep = ? GROUP BY drill_uid)",
            (rep,),
        )
        return {
            row["drill_uid"]: DrillAction(
                id=row["event_id"],
                by=rep,
                at=parse_utc(row["at"]),
                drill_uid=row["drill_uid"],
                action=row["action"],
                until=parse_utc(row["until"]) if row["until"] else None,
            )
            for row in rows
        }

    # --- card cache

    def cached_cards(self, rep: str) -> dict[str, CachedCard]:
        rows = self._query("SELECT * FROM cards WHERE rep = ?", (rep,))
        return {
            row["drill_uid"]: CachedCard(
                drill_uid=row["drill_uid"],
                history_key=row["history_key"],
                card=json.loads(row["card"]),
                lapses=row["lapses"],
                reviews=row["reviews"],
                first_review=parse_utc(row["first_review"]) if row["first_review"] else None,
            )
            for row in rows
        }

    def save_cards(self, rep: str, cards: Iterable[CachedCard]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO cards "
                "(rep, drill_uid, history_key, card, lapses, reviews, first_review) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        rep,
                        item.drill_uid,
                        item.history_key,
                        json.dumps(item.card),
                        item.lapses,
                        item.reviews,
                        utc_text(item.first_review) if item.first_review else None,
                    )
                    for item in cards
                ],
            )

    # --- settings (JSON values; prefs.py owns what they mean)

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )

    # --- assignments

    def save_assignment(self, assignment: Assignment) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO assignments (id, by, pack, members, due, note) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    assignment.id,
                    assignment.by,
                    assignment.pack,
                    json.dumps(list(assignment.members)),
                    assignment.due.isoformat(),
                    assignment.note,
                ),
            )

    def assignments(self) -> list[Assignment]:
        rows = self._query("SELECT * FROM assignments ORDER BY due, by, id")
        return [
            Assignment(
                id=row["id"],
                by=row["by"],
                pack=row["pack"],
                members=tuple(json.loads(row["members"])),
                due=date.fromisoformat(row["due"]),
                note=row["note"],
            )
            for row in rows
        ]
