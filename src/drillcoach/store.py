"""The SQLite store: schema, numbered migrations, and the queries the domain needs.

Ratings are append-only events. Undo appends to ``undos``; suspend and bury append to
``drill_actions``. ``cards`` is a cache that the scheduler can always rebuild from events.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from drillcoach.errors import UserError

BUSY_TIMEOUT_MS = 5000


def _run_script(db: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction half-way; run statements one by one.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migration_1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            rep TEXT NOT NULL,
            by TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('self', 'manager')),
            drill_uid TEXT,
            skill TEXT,
            at TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            suggested INTEGER CHECK (suggested BETWEEN 1 AND 4),
            duration_ms INTEGER,
            time_limit INTEGER,
            key_points_hit TEXT,
            key_points_total INTEGER,
            mode TEXT,
            answer TEXT,
            replies TEXT,
            rubric TEXT,
            scores TEXT,
            context TEXT,
            note TEXT,
            recorded_at TEXT NOT NULL,
            CHECK (drill_uid IS NOT NULL OR skill IS NOT NULL)
        );
        CREATE INDEX reviews_by_drill ON reviews (rep, drill_uid, at);
        CREATE INDEX reviews_by_time ON reviews (rep, at);
        CREATE TABLE undos (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL UNIQUE REFERENCES reviews (id),
            at TEXT NOT NULL
        );
        CREATE TABLE drill_actions (
            id INTEGER PRIMARY KEY,
            rep TEXT NOT NULL,
            drill_uid TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('suspend', 'unsuspend', 'bury', 'unbury')),
            at TEXT NOT NULL,
            until TEXT
        );
        CREATE INDEX drill_actions_by_drill ON drill_actions (rep, drill_uid, id);
        CREATE TABLE cards (
            rep TEXT NOT NULL,
            drill_uid TEXT NOT NULL,
            history_key TEXT NOT NULL,
            card TEXT NOT NULL,
            lapses INTEGER NOT NULL,
            reviews INTEGER NOT NULL,
            first_review TEXT,
            PRIMARY KEY (rep, drill_uid)
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE assignments (
            id TEXT NOT NULL,
            by TEXT NOT NULL,
            pack TEXT NOT NULL,
            members TEXT NOT NULL,
            due TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (by, id)
        );
        """,
    )


# Numbered forward migrations: MIGRATIONS[n - 1] takes a database from version n - 1 to n.
# Never edit one that has shipped; append a new one and a test in tests/test_store.py.
MIGRATIONS: Sequence[Callable[[sqlite3.Connection], None]] = (_migration_1,)
SCHEMA_VERSION = len(MIGRATIONS)


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("expected a timezone-aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class Review:
    """One rating event: a rep's self-rating of a drill, or a manager's rating."""

    rep: str
    by: str
    source: str  # "self" | "manager"
    at: datetime
    rating: int  # FSRS rating 1..4 (for a manager, mapped from the rubric mean)
    drill_uid: str | None = None
    skill: str | None = None
    suggested: int | None = None
    duration_ms: int | None = None
    time_limit: int | None = None
    key_points_hit: tuple[int, ...] = ()
    key_points_total: int | None = None
    mode: str | None = None  # "typed" | "spoken"
    answer: str | None = None
    replies: tuple[str, ...] = ()
    rubric: str | None = None
    scores: dict[str, int] = field(default_factory=dict)
    context: str | None = None
    note: str | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    id: int = 0


@dataclass(frozen=True)
class CachedCard:
    drill_uid: str
    history_key: str
    card: dict[str, Any]
    lapses: int
    reviews: int
    first_review: datetime | None


@dataclass(frozen=True)
class Assignment:
    id: str
    by: str
    pack: str
    members: tuple[str, ...]
    due: date
    note: str = ""

    def concerns(self, member: str) -> bool:
        return "*" in self.members or member in self.members


_REVIEW_COLUMNS = (
    "id, event_id, rep, by, source, drill_uid, skill, at, rating, suggested, duration_ms, "
    "time_limit, key_points_hit, key_points_total, mode, answer, replies, rubric, scores, "
    "context, note"
)


def _review_from_row(row: sqlite3.Row) -> Review:
    return Review(
        id=row["id"],
        event_id=row["event_id"],
        rep=row["rep"],
        by=row["by"],
        source=row["source"],
        drill_uid=row["drill_uid"],
        skill=row["skill"],
        at=parse_utc(row["at"]),
        rating=row["rating"],
        suggested=row["suggested"],
        duration_ms=row["duration_ms"],
        time_limit=row["time_limit"],
        key_points_hit=tuple(json.loads(row["key_points_hit"] or "[]")),
        key_points_total=row["key_points_total"],
        mode=row["mode"],
        answer=row["answer"],
        replies=tuple(json.loads(row["replies"] or "[]")),
        rubric=row["rubric"],
        scores=dict(json.loads(row["scores"] or "{}")),
        context=row["context"],
        note=row["note"],
    )


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

    # --- reviews (append-only)

    def add_review(self, review: Review, *, recorded_at: datetime | None = None) -> Review:
        """Append a rating and commit it before returning. A known event id is ignored,
        so applying the same event twice (sync) changes nothing."""
        recorded = recorded_at or datetime.now(UTC)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO reviews (event_id, rep, by, source, drill_uid, skill, at, "
                "rating, suggested, duration_ms, time_limit, key_points_hit, key_points_total, "
                "mode, answer, replies, rubric, scores, context, note, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    review.event_id,
                    review.rep,
                    review.by,
                    review.source,
                    review.drill_uid,
                    review.skill,
                    utc_text(review.at),
                    review.rating,
                    review.suggested,
                    review.duration_ms,
                    review.time_limit,
                    json.dumps(list(review.key_points_hit)),
                    review.key_points_total,
                    review.mode,
                    review.answer,
                    json.dumps(list(review.replies)) if review.replies else None,
                    review.rubric,
                    json.dumps(review.scores) if review.scores else None,
                    review.context,
                    review.note,
                    utc_text(recorded),
                ),
            )
            if cursor.rowcount == 0:
                row = db.execute(
                    "SELECT id FROM reviews WHERE event_id = ?", (review.event_id,)
                ).fetchone()
                return replace(review, id=int(row["id"]))
            return replace(review, id=int(cursor.lastrowid or 0))

    def reviews(
        self,
        rep: str,
        drill_uids: Sequence[str] | None = None,
        *,
        since: datetime | None = None,
        include_undone: bool = False,
    ) -> list[Review]:
        """A rep's ratings in time order (then in the order they were recorded)."""
        sql = f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE rep = ?"
        params: list[Any] = [rep]
        if drill_uids is not None:
            sql += f" AND drill_uid IN ({', '.join('?' * len(drill_uids))})"
            params.extend(drill_uids)
        if since is not None:
            sql += " AND at >= ?"
            params.append(utc_text(since))
        if not include_undone:
            sql += " AND id NOT IN (SELECT review_id FROM undos)"
        sql += " ORDER BY at, id"
        return [_review_from_row(row) for row in self._query(sql, params)]

    def history_keys(self, rep: str) -> dict[str, tuple[int, int]]:
        """Per drill uid: (number of live ratings, highest event row id). A change in
        either means the cached card is stale."""
        rows = self._query(
            "SELECT drill_uid, COUNT(*) AS n, MAX(id) AS last FROM reviews "
            "WHERE rep = ? AND drill_uid IS NOT NULL "
            "AND id NOT IN (SELECT review_id FROM undos) GROUP BY drill_uid",
            (rep,),
        )
        return {row["drill_uid"]: (row["n"], row["last"]) for row in rows}

    def started_since(self, rep: str, since: datetime) -> set[str]:
        """Drills whose first live rating is at or after ``since`` (new drills started)."""
        rows = self._query(
            "SELECT drill_uid FROM reviews WHERE rep = ? AND drill_uid IS NOT NULL "
            "AND id NOT IN (SELECT review_id FROM undos) "
            "GROUP BY drill_uid HAVING MIN(at) >= ?",
            (rep, utc_text(since)),
        )
        return {row["drill_uid"] for row in rows}

    def last_self_review(self, rep: str) -> Review | None:
        rows = self._query(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE rep = ? AND by = ? "
            "AND source = 'self' AND id NOT IN (SELECT review_id FROM undos) "
            "ORDER BY id DESC LIMIT 1",
            (rep, rep),
        )
        return _review_from_row(rows[0]) if rows else None

    def undo(self, review_id: int, at: datetime) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO undos (review_id, at) VALUES (?, ?)", (review_id, utc_text(at)))

    def review_times(self, rep: str) -> list[datetime]:
        """When the rep rated anything themselves: the basis of streaks and practice days."""
        rows = self._query(
            "SELECT at FROM reviews WHERE rep = ? AND source = 'self' "
            "AND id NOT IN (SELECT review_id FROM undos) ORDER BY at",
            (rep,),
        )
        return [parse_utc(row["at"]) for row in rows]

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

    # --- suspend and bury

    def add_drill_action(
        self, rep: str, drill_uid: str, action: str, at: datetime, until: datetime | None = None
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO drill_actions (rep, drill_uid, action, at, until) "
                "VALUES (?, ?, ?, ?, ?)",
                (rep, drill_uid, action, utc_text(at), utc_text(until) if until else None),
            )

    def drill_actions(self, rep: str) -> dict[str, tuple[str, datetime | None]]:
        """Per drill uid, the latest suspend/bury action and its end (for a burial)."""
        rows = self._query(
            "SELECT drill_uid, action, until FROM drill_actions WHERE id IN "
            "(SELECT MAX(id) FROM drill_actions WHERE rep = ? GROUP BY drill_uid)",
            (rep,),
        )
        return {
            row["drill_uid"]: (row["action"], parse_utc(row["until"]) if row["until"] else None)
            for row in rows
        }

    # --- settings (JSON values)

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


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    db: sqlite3.Connection,
    *,
    target: int = SCHEMA_VERSION,
    backups: Path | None = None,
    path: Path | None = None,
) -> None:
    """Apply the numbered migrations up to ``target``, each in its own transaction.

    Before changing a database that already holds data, a copy goes to ``backups``.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise UserError(
            f"{path or 'database'}: written by a newer drillcoach (schema {current}, "
            f"this version knows {SCHEMA_VERSION}); upgrade drillcoach"
        )
    if current >= target:
        return
    if current > 0 and backups is not None:
        backups.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        copy = sqlite3.connect(backups / f"drillcoach-v{current}-{stamp}.db")
        with copy:
            db.backup(copy)
        copy.close()
    for version in range(current + 1, target + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
