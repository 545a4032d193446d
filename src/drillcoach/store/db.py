"""One profile's SQLite database: the connection, transactions, and the queries the
domain needs over events, preferences and assignments.

Events are append-only: ratings, undos and suspend/bury actions are inserted once under
their event id, so applying an event twice (sync) changes nothing. Names (drill uids,
members, skills, rubrics) are stored once and referred to by number; times are whole
microseconds (store/encoding.py). Card state lives in store/cards.py.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

from drillcoach.errors import MachineError, UserError
from drillcoach.events import (
    COACHING_TYPES,
    AnyRating,
    Assignment,
    CoachingEvent,
    DrillAction,
    Event,
    ManagerRating,
    ReviewRequest,
    SelfRating,
    SetAsideAction,
    Sharing,
    Undo,
)
from drillcoach.store import coaching
from drillcoach.store.coaching import C, rep_of, shared_kinds, shared_mask
from drillcoach.store.encoding import event_id, event_key, indexes, mask, micros, moment
from drillcoach.store.migrations import migrate
from drillcoach.store.problems import REASONS, classify, of_the_machine

BUSY_TIMEOUT_MS = 5000

_NAME = "(SELECT id FROM names WHERE name = ?)"
_RATING = (
    "SELECT r.id, r.event, rep.name AS rep, by.name AS by, r.manager, drill.name AS drill, "
    "skill.name AS skill, r.at, r.rating, r.suggested, r.duration_ms, r.time_limit, r.hits, "
    "r.total, r.spoken, r.answer, r.replies, rubric.name AS rubric, r.scores, r.context, "
    "r.note, CASE WHEN r.manager THEN (SELECT answered.request FROM rating_requests answered "
    "WHERE answered.rating = r.id) END AS request FROM {ratings} "
    "JOIN names rep ON rep.id = r.rep JOIN names by ON by.id = r.by "
    "JOIN names skill ON skill.id = r.skill LEFT JOIN names drill ON drill.id = r.drill "
    "LEFT JOIN names rubric ON rubric.id = r.rubric"
)
_LIVE = "r.id NOT IN (SELECT rating FROM undos)"


def _rating_from_row(row: sqlite3.Row) -> AnyRating:
    if not row["manager"]:
        return SelfRating(
            id=event_id(row["event"]),
            by=row["by"],
            at=moment(row["at"]),
            drill_uid=row["drill"],
            skill=row["skill"],
            rating=row["rating"],
            suggested=row["suggested"],
            duration_ms=row["duration_ms"],
            time_limit=row["time_limit"],
            key_points_hit=indexes(row["hits"]),
            key_points_total=row["total"],
            mode="spoken" if row["spoken"] else "typed",
            answer=row["answer"],
            replies=tuple(json.loads(row["replies"] or "[]")),
        )
    return ManagerRating(
        id=event_id(row["event"]),
        by=row["by"],
        rep=row["rep"],
        at=moment(row["at"]),
        rubric=row["rubric"],
        scores=dict(json.loads(row["scores"] or "{}")),
        rating=row["rating"],
        skill=row["skill"],
        drill_uid=row["drill"],
        context=row["context"],
        note=row["note"] or "",
        request=event_id(row["request"]) if row["request"] is not None else None,
    )


_REQUEST = (
    "SELECT q.event, rep.name AS rep, drill.name AS drill, q.at, q.answer, q.spoken, q.hits, "
    "q.total, q.rating, q.of FROM requests q JOIN names rep ON rep.id = q.rep "
    "JOIN names drill ON drill.id = q.drill"
)
# a request is open until a manager rating answers it
_OPEN = "NOT EXISTS (SELECT 1 FROM rating_requests m WHERE m.request = q.event)"


def _store_beside(
    db: sqlite3.Connection, rows: Iterable[tuple[int | None, RatingRow]], *, reviews: bool
) -> None:
    """Keep, for each newly stored rating (its id, its row), the request it answers and its
    import's digest in their own tables (few ratings have either)."""
    requests: list[tuple[int | None, Any]] = []
    digests: list[tuple[int | None, int]] = []
    for rating, row in rows:
        if row[-1] is not None:
            digests.append((rating, row[-1]))
        if not reviews and row[-2] is not None:
            requests.append((rating, row[-2]))
    if requests:
        db.executemany(_INSERT_REQUEST, requests)
    if digests:
        db.executemany(_INSERT_DIGEST, digests)


def _sharing_from_row(row: sqlite3.Row, member: str) -> Sharing:
    """A row of the sharing table (event, at, answers, coaching) as the member's Sharing."""
    return Sharing(
        id=event_id(row["event"]),
        by=member,
        at=moment(row["at"]),
        answers=bool(row["answers"]),
        **shared_kinds(row["coaching"]),
    )


def _request_from_row(row: sqlite3.Row) -> ReviewRequest:
    return ReviewRequest(
        id=event_id(row["event"]),
        by=row["rep"],
        at=moment(row["at"]),
        drill_uid=row["drill"],
        answer=row["answer"],
        mode="spoken" if row["spoken"] else "typed",
        key_points_hit=indexes(row["hits"]),
        key_points_total=row["total"],
        rating=row["rating"],
        of=event_id(row["of"]) if row["of"] is not None else None,
    )


ImportOutcome = Literal["added", "known", "conflict"]
# a rating's stored values, in the order of _INSERT_RATING (Store.rating_row), then the
# request it answers and its digest (kept in rating_requests and rating_digests)
RatingRow = tuple[Any, ...]
# a workspace file's read mark: (bytes read, lines read, the bytes before, its status then)
FileMark = tuple[int, int, bytes, str | None]
_INSERT_RATING = (
    "INSERT OR IGNORE INTO ratings (event, rep, by, manager, drill, skill, at, rating, "
    "suggested, duration_ms, time_limit, hits, total, spoken, answer, replies, rubric, scores, "
    "context, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# a self-rating read from its rep's file, narrower (each value bound costs): event, rep,
# drill, skill, at, rating, suggested, duration_ms, time_limit, hits, total, spoken, answer,
# then the digest (eventlog's fast way)
_IMPORT_REVIEW = (
    "INSERT OR IGNORE INTO ratings (event, rep, by, manager, drill, skill, at, rating, "
    "suggested, duration_ms, time_limit, hits, total, spoken, answer) VALUES (?1, ?2, "
    "?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
)
_INSERT_REQUEST = "INSERT INTO rating_requests (rating, request) VALUES (?, ?)"
_INSERT_DIGEST = "INSERT INTO rating_digests (rating, digest) VALUES (?, ?)"
_CHUNK = 500  # values per IN (...), well under SQLite's limit on parameters
IMPORT_CACHE_KIB = -512 * 1024  # PRAGMA cache_size while importing: at most 512 MiB
# where each kind of event is kept, for the digest of an imported one
_TABLES: dict[type[Event], str] = {
    SelfRating: "ratings",
    ManagerRating: "ratings",
    Undo: "undos",
    ReviewRequest: "requests",
    Sharing: "sharing",
    **dict.fromkeys(COACHING_TYPES, "coaching"),
}


class Store:
    """One profile's SQLite database. Built from a path; nothing is opened at import time."""

    readonly = False  # opened for reading only: nothing derived is written back either

    def __init__(
        self, path: Path, *, backups: Path | None = None, readonly: bool | None = None
    ) -> None:
        """Open (or create) the database at ``path``, migrating it forward with a backup in
        ``backups`` first. ``readonly=True`` only reads it: no migration, no journal mode
        set; None (the default) reads only when the file or its folder cannot be written,
        False refuses such a file. A failure is one line: UserError for what the rep can
        fix in a setting or a file, MachineError (kind) for what the machine refused."""
        self.path = path
        self._lock = threading.RLock()
        self._names: dict[str, int] = {}
        cannot_write = Store._cannot_write(path)
        if readonly is False and cannot_write:
            raise MachineError(Store._says(path, "read-only"), "read-only")
        self.readonly = cannot_write if readonly is None else readonly
        existed = path.exists()
        if self.readonly and not existed:
            raise UserError(f"{path}: no drillcoach database there")
        try:
            if not self.readonly:
                path.parent.mkdir(parents=True, exist_ok=True)
            if existed and not self.readonly:
                self._probe()
            self._db = self._connect()
        except (OSError, sqlite3.Error) as error:
            raise Store.problem(path, error) from None
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.readonly:
                self._check_readable()
            else:
                self._refuse_emptied(existed, backups)
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = FULL")
                self._db.execute("PRAGMA foreign_keys = ON")
                migrate(self._db, backups=backups, path=path)
        except (OSError, sqlite3.Error) as error:
            self._db.close()
            raise Store.problem(path, error) from None
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
    def transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction; reads and writes inside it see one state of the file.
        Nested uses join the outer transaction. A transaction that only writes what can be
        recomputed from the events (cards, with the stamp saying what they were computed
        with) need not reach the disk before returning: ``durable=False`` skips the sync."""
        with self._lock:
            if self._db.in_transaction:
                yield self._db
                return
            if not durable:
                self._db.execute("PRAGMA synchronous = NORMAL")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:  # SQLite may have rolled back already
                        self._db.execute("ROLLBACK")
                    self._names.clear()  # ids handed out in the rolled-back transaction
                    raise
            except sqlite3.Error as error:
                if not of_the_machine(error):
                    raise  # a constraint or a bug, not the machine
                kind = classify(error)
                raise MachineError(f"{self.path}: not saved: {REASONS[kind]}", kind) from error
            finally:
                if not durable:
                    self._db.execute("PRAGMA synchronous = FULL")

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock, self._reading():
            return self._db.execute(sql, tuple(params)).fetchall()

    def tuples(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: for long results read by position."""
        with self._lock, self._reading():
            cursor = self._db.cursor()
            cursor.row_factory = None
            rows: list[tuple[Any, ...]] = cursor.execute(sql, tuple(params)).fetchall()
            return rows

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A read the machine refuses (a damaged page, an I/O error) is one line, exit 1;
        anything else (a bug) keeps its traceback."""
        try:
            yield
        except sqlite3.Error as error:
            if not of_the_machine(error):
                raise
            kind = classify(error)
            raise MachineError(Store._says(self.path, kind, str(error)), kind) from error

    def name_id(self, name: str) -> int:
        """The number a name is stored under, given one if it has none (in a transaction)."""
        found = self._names.get(name)
        if found is None:
            with self.transaction() as db:
                row = db.execute("SELECT id FROM names WHERE name = ?", (name,)).fetchone()
                if row is None:
                    found = db.execute("INSERT INTO names (name) VALUES (?)", (name,)).lastrowid
                else:
                    found = row[0]
            assert found is not None
            self._names[name] = found
        return found

    # --- events (append-only)

    def add(self, event: Event) -> bool:
        """Append one event and commit it before returning. An event id already stored is
        ignored (False), so applying the same event twice changes nothing. Ratings added
        here do not move cards: scheduling/cards.py records them with their card."""
        return self.add_many([event]) == 1

    def add_many(self, events: Iterable[Event]) -> int:
        """Append events in one transaction (all or none); how many were new."""
        with self.transaction():
            return sum(self.insert(event) for event in events)

    def insert(self, event: Event, digest: int | None = None) -> bool:
        """Append one event inside the caller's transaction; False when already stored.
        ``digest`` is kept with an event imported from a workspace file (DESIGN.md §5)."""
        with self.transaction() as db:
            key = event_key(event.id)
            if isinstance(event, SelfRating | ManagerRating):
                return self._insert_rating(db, event, digest)
            if isinstance(event, Undo):
                if db.execute("SELECT 1 FROM undos WHERE event = ?", (key,)).fetchone():
                    return False
                rating = db.execute(
                    f"SELECT id FROM ratings WHERE event = ? AND rep = {_NAME} AND manager = 0",
                    (event_key(event.of), event.by),
                ).fetchone()
                if rating is None:
                    raise ValueError(f"undo of an unknown self-rating {event.of!r}")
                db.execute(
                    "INSERT INTO undos (event, rating, at, digest) VALUES (?, ?, ?, ?)",
                    (key, rating[0], micros(event.at), digest),
                )
                return True
            if isinstance(event, ReviewRequest):
                cursor = db.execute(
                    "INSERT OR IGNORE INTO requests (event, rep, drill, at, answer, spoken, hits, "
                    "total, rating, of, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key, self.name_id(event.rep), self.name_id(event.drill_uid),
                        micros(event.at), event.answer, int(event.mode == "spoken"),
                        mask(event.key_points_hit), event.key_points_total, event.rating,
                        event_key(event.of) if event.of else None, digest,
                    ),
                )  # fmt: skip
                return cursor.rowcount > 0
            if isinstance(event, Sharing):
                cursor = db.execute(
                    "INSERT OR IGNORE INTO sharing (event, member, at, answers, coaching, "
                    "digest) VALUES (?, ?, ?, ?, ?, ?)",
                    (key, self.name_id(event.by), micros(event.at), int(event.answers),
                     shared_mask(event), digest),
                )  # fmt: skip
                return cursor.rowcount > 0
            if not isinstance(event, DrillAction):
                by, rep = self.name_id(event.by), self.name_id(rep_of(event))
                return coaching.insert(db, event, by, rep, digest)
            cursor = db.execute(
                "INSERT OR IGNORE INTO set_asides (event, rep, drill, action, at, until) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    self.name_id(event.rep),
                    self.name_id(event.drill_uid),
                    event.action,
                    micros(event.at),
                    micros(event.until) if event.until else None,
                ),
            )
            return cursor.rowcount > 0

    def _insert_rating(self, db: sqlite3.Connection, event: AnyRating, digest: int | None) -> bool:
        row = self.rating_row(event, digest)
        cursor = db.execute(_INSERT_RATING, row[:-2])
        if cursor.rowcount == 0:
            return False
        _store_beside(db, [(cursor.lastrowid, row)], reviews=False)
        return True

    def rating_row(self, event: AnyRating, digest: int | None = None) -> RatingRow:
        """The values ``_INSERT_RATING`` stores for a rating (names given numbers here, so
        inside a transaction)."""
        if isinstance(event, SelfRating):
            values: tuple[Any, ...] = (
                event.suggested, event.duration_ms, event.time_limit,
                mask(event.key_points_hit), event.key_points_total, int(event.mode == "spoken"),
                event.answer, json.dumps(list(event.replies)) if event.replies else None,
                None, None, None, None,
            )  # fmt: skip
        else:
            values = (
                None, None, None, None, None, None, None, None, self.name_id(event.rubric),
                json.dumps(dict(event.scores)), event.context, event.note or None,
            )  # fmt: skip
        return (
            event_key(event.id),
            self.name_id(event.rep),
            self.name_id(event.by),
            int(isinstance(event, ManagerRating)),
            self.name_id(event.drill_uid) if event.drill_uid else None,
            self.name_id(event.skill),
            micros(event.at),
            event.rating,
            *values,
            event_key(event.request)
            if isinstance(event, ManagerRating) and event.request
            else None,
            digest,
        )

    def import_event(self, event: Event, digest: int) -> ImportOutcome:
        """Append an event read from a workspace file: "added"; "known" when the same
        event (same digest) is stored already; "conflict" when its id is stored with other
        content, or is one of this profile's own events (which are never imported)."""
        with self.transaction() as db:
            if self.insert(event, digest):
                return "added"
            table = _TABLES.get(type(event))
            if table is None:
                return "conflict"
            if table == "ratings":
                table = "ratings LEFT JOIN rating_digests kept ON kept.rating = ratings.id"
            row = db.execute(
                f"SELECT digest FROM {table} WHERE event = ?", (event_key(event.id),)
            ).fetchone()
            return "known" if row is not None and row[0] == digest else "conflict"

    def import_ratings(
        self, rows: Sequence[RatingRow], *, reviews: bool = False
    ) -> list[ImportOutcome] | None:
        """Append ratings read from workspace files (rows of ``rating_row``, each with its
        line's digest; with ``reviews``, self-ratings in the narrower rows of
        ``_IMPORT_REVIEW``), in the caller's transaction, in one statement: None when every row
        was new ("added"), else the outcome of each row in order, as ``import_event`` would
        have said one at a time: "known" when stored already with the same digest,
        "conflict" when its id is stored with other content (or is one of this profile's
        own events), "added" for the first of two rows with one id in ``rows``."""
        if not rows:
            return None
        beside = 1 if reviews else 2  # the values kept beside the row: (request,) digest
        with self.transaction() as db:
            top = db.execute("SELECT MAX(id) FROM ratings").fetchone()[0] or 0
            before = db.total_changes
            db.executemany(
                _IMPORT_REVIEW if reviews else _INSERT_RATING, [row[:-beside] for row in rows]
            )
            if db.total_changes - before == len(rows):
                # the common case, nothing stored already: the rows took the next ids in order
                _store_beside(db, enumerate(rows, top + 1), reviews=reviews)
                return None
            keys = list({row[0]: None for row in rows})
            stored: dict[bytes | str, tuple[int, int | None]] = {}
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                found = db.execute(
                    "SELECT event, id, digest FROM ratings LEFT JOIN rating_digests kept "
                    "ON kept.rating = ratings.id "
                    f"WHERE event IN ({_marks(chunk)})",
                    chunk,
                )
                stored.update((key, (row_id, digest)) for key, row_id, digest in found)
            outcomes: list[ImportOutcome] = []
            added: list[tuple[int, RatingRow]] = []
            first: dict[bytes | str, int | None] = {}  # a new id's digest: its first row's
            for row in rows:
                key = row[0]
                row_id, digest = stored.get(key, (0, None))
                if row_id > top and key not in first:
                    outcomes.append("added")
                    added.append((row_id, row))
                    first[key] = row[-1]
                    continue
                if row_id > top:
                    digest = first[key]
                if row_id and digest is not None and digest == row[-1]:
                    outcomes.append("known")
                else:
                    outcomes.append("conflict")
            _store_beside(db, added, reviews=reviews)
        return outcomes

    @contextmanager
    def importing(self) -> Iterator[None]:
        """A bulk import from the workspace: a page cache big enough for the event id index
        of a whole team's history (SQLite takes the memory only as pages are read)."""
        with self._lock:
            previous = int(self._db.execute("PRAGMA cache_size").fetchone()[0])
            self._db.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            with self._lock:
                self._db.execute(f"PRAGMA cache_size = {previous}")

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
        # a drill's history through its own index; the planner would otherwise walk the time
        # index backwards over every rating to honour ORDER BY ... DESC LIMIT 1
        ratings = "ratings r INDEXED BY ratings_by_drill" if drill_uids is not None else "ratings r"
        sql = f"{_RATING.format(ratings=ratings)} WHERE r.rep = {_NAME}"
        params: list[Any] = [rep]
        if drill_uids is not None and len(drill_uids) == 1:
            # one drill (the usual case): the index gives its rows in time order, so
            # ORDER BY ... LIMIT reads one row instead of sorting the drill's history
            sql += f" AND r.drill = {_NAME}"
            params.extend(drill_uids)
        elif drill_uids is not None:
            sql += f" AND r.drill IN (SELECT id FROM names WHERE name IN ({_marks(drill_uids)}))"
            params.extend(drill_uids)
        if since is not None:
            sql += " AND r.at >= ?"
            params.append(micros(since))
        if before is not None:
            sql += " AND r.at < ?"
            params.append(micros(before))
        if source is not None:  # a literal, so the manager ratings' own index serves
            sql += " AND r.manager = 1" if source == "manager" else " AND r.manager = 0"
        if not include_undone:
            sql += f" AND {_LIVE}"
        sql += " ORDER BY r.at DESC, r.id DESC" if newest_first else " ORDER BY r.at, r.id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_rating_from_row(row) for row in self.query(sql, params)]

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

    def last_manager_rating(self, rep: str, drill_uids: Sequence[str]) -> ManagerRating | None:
        """A manager's most recent live rating of the rep on these drills (a drill's uids)."""
        found = self.ratings(rep, drill_uids, source="manager", newest_first=True, limit=1)
        return found[0] if found and isinstance(found[0], ManagerRating) else None

    def last_recorded_self_rating(self, rep: str) -> SelfRating | None:
        """The live self-rating the rep recorded last (what undo takes back)."""
        # newest row first, straight down the table: MAX(id) would read every rating
        rows = self.query(
            f"{_RATING.format(ratings='ratings r NOT INDEXED')} WHERE r.rep = {_NAME} "
            f"AND r.manager = 0 AND {_LIVE} ORDER BY r.id DESC LIMIT 1",
            (rep,),
        )
        found = _rating_from_row(rows[0]) if rows else None
        return found if isinstance(found, SelfRating) else None

    def self_rating_times(self, rep: str, *, since: datetime | None = None) -> list[datetime]:
        """When the rep rated themselves (since ``since``): what streaks are made of."""
        rows = self.query(
            f"SELECT r.at FROM ratings r WHERE r.rep = {_NAME} AND r.at >= ? AND r.manager = 0 "
            f"AND {_LIVE} ORDER BY r.at",
            (rep, micros(since) if since else -(2**62)),
        )
        return [moment(row[0]) for row in rows]

    def latest_rating_at(self, rep: str, after: datetime) -> bool:
        """Whether the rep has a live rating stamped after ``after`` (an index probe)."""
        rows = self.query(
            f"SELECT 1 FROM ratings r WHERE r.rep = {_NAME} AND r.at > ? AND {_LIVE} LIMIT 1",
            (rep, micros(after)),
        )
        return bool(rows)

    def rated_after(self, rep: str, after: datetime) -> dict[str, int]:
        """Drill uid -> the earliest of its live ratings stamped after ``after``."""
        rows = self.query(
            "SELECT n.name, MIN(r.at) FROM ratings r JOIN names n ON n.id = r.drill "
            f"WHERE r.rep = {_NAME} AND r.at > ? AND {_LIVE} GROUP BY n.name",
            (rep, micros(after)),
        )
        return {row[0]: row[1] for row in rows}

    def manager_ratings_by_row(self, row_ids: Sequence[int]) -> list[AnyRating]:
        """The ratings stored under these row ids, in time order."""
        if not row_ids:
            return []
        rows = self.query(
            f"{_RATING.format(ratings='ratings r')} WHERE r.id IN ({_marks(row_ids)}) "
            "ORDER BY r.at, r.id",
            row_ids,
        )
        return [_rating_from_row(row) for row in rows]

    def drill_of_rating(self, event_id: str) -> str | None:
        rows = self.query(
            "SELECT n.name FROM ratings r JOIN names n ON n.id = r.drill WHERE r.event = ?",
            (event_key(event_id),),
        )
        return str(rows[0][0]) if rows else None

    def is_undone(self, event_id: str) -> bool:
        """Whether the rating with this event id has been taken back."""
        rows = self.query(
            "SELECT 1 FROM undos u JOIN ratings r ON r.id = u.rating WHERE r.event = ?",
            (event_key(event_id),),
        )
        return bool(rows)

    def self_rated_between(self, rep: str, start: datetime, end: datetime) -> bool:
        """Whether the rep rated themselves (live) at or after ``start`` and before ``end``."""
        rows = self.query(
            f"SELECT 1 FROM ratings r WHERE r.rep = {_NAME} AND r.at >= ? AND r.at < ? "
            f"AND r.manager = 0 AND {_LIVE} LIMIT 1",
            (rep, micros(start), micros(end)),
        )
        return bool(rows)

    def self_rated_since(self, rep: str, since: datetime) -> list[str]:
        """The drill of each live self-rating since ``since`` (one entry per rating)."""
        rows = self.query(
            f"SELECT n.name FROM ratings r JOIN names n ON n.id = r.drill WHERE r.rep = {_NAME} "
            f"AND r.at >= ? AND r.manager = 0 AND {_LIVE}",
            (rep, micros(since)),
        )
        return [row[0] for row in rows]

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (not this one)."""
        with self._lock:
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def undos(self, rep: str) -> list[Undo]:
        rows = self.query(
            "SELECT u.event, u.at, r.event AS of FROM undos u JOIN ratings r ON r.id = u.rating "
            f"WHERE r.rep = {_NAME} ORDER BY u.id",
            (rep,),
        )
        return [
            Undo(id=event_id(row["event"]), by=rep, at=moment(row["at"]), of=event_id(row["of"]))
            for row in rows
        ]

    def rated_drills(self, rep: str) -> list[str]:
        """Every drill uid the rep has a live rating of."""
        rows = self.query(
            f"SELECT DISTINCT n.name FROM ratings r JOIN names n ON n.id = r.drill "
            f"WHERE r.rep = {_NAME} AND {_LIVE}",
            (rep,),
        )
        return [row[0] for row in rows]

    # --- suspend and bury

    def drill_actions(self, rep: str) -> dict[str, DrillAction]:
        """Per drill uid, the latest suspend/bury action."""
        rows = self.query(
            "SELECT s.event, n.name AS drill, s.action, s.at, s.until FROM set_asides s "
            "JOIN names n ON n.id = s.drill WHERE s.id IN "
            f"(SELECT MAX(id) FROM set_asides WHERE rep = {_NAME} GROUP BY drill)",
            (rep,),
        )
        return {
            row["drill"]: DrillAction(
                id=event_id(row["event"]),
                by=rep,
                at=moment(row["at"]),
                drill_uid=row["drill"],
                action=row["action"],
                until=moment(row["until"]) if row["until"] is not None else None,
            )
            for row in rows
        }

    def set_aside_since(
        self, rep: str, since: datetime, actions: Sequence[SetAsideAction]
    ) -> set[str]:
        """The drills the rep took one of ``actions`` on (suspend, bury) since ``since``."""
        rows = self.tuples(
            "SELECT DISTINCT n.name FROM set_asides s JOIN names n ON n.id = s.drill "
            f"WHERE s.rep = {_NAME} AND s.at >= ? AND s.action IN ({_marks(actions)})",
            (rep, micros(since), *actions),
        )
        return {str(name) for (name,) in rows}

    # --- settings (JSON values; prefs.py and scheduling/cards.py own what they mean)

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.query("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )

    # --- assignments

    def save_assignment(self, assignment: Assignment) -> None:
        with self.transaction() as db:
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
        rows = self.query("SELECT * FROM assignments ORDER BY due, by, id")
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

    def replace_assignments(self, assignments: Iterable[Assignment]) -> None:
        """The workspace's assignments, in place of those kept before (they are a cache)."""
        with self.transaction() as db:
            db.execute("DELETE FROM assignments")
            for assignment in assignments:
                self.save_assignment(assignment)

    # --- review requests and sharing choices

    def requests(
        self,
        reps: Sequence[str] | None = None,
        *,
        open_only: bool = False,
        drill_uid: str | None = None,
    ) -> list[ReviewRequest]:
        """Review requests (of these reps; only those no manager rating answers yet),
        oldest first."""
        sql = f"{_REQUEST} WHERE 1"
        params: list[Any] = []
        if reps is not None:
            sql += f" AND rep.name IN ({_marks(reps)})"
            params.extend(reps)
        if drill_uid is not None:
            sql += " AND drill.name = ?"
            params.append(drill_uid)
        if open_only:
            sql += f" AND {_OPEN}"
        return [_request_from_row(row) for row in self.query(sql + " ORDER BY q.at, q.id", params)]

    def request(self, request_id: str) -> ReviewRequest | None:
        rows = self.query(f"{_REQUEST} WHERE q.event = ?", (event_key(request_id),))
        return _request_from_row(rows[0]) if rows else None

    def answers(self, request_ids: Sequence[str]) -> dict[str, ManagerRating]:
        """Request id -> the manager rating that answers it."""
        if not request_ids:
            return {}
        keys = [event_key(request_id) for request_id in request_ids]
        rows = self.query(
            f"{_RATING.format(ratings='ratings r')} WHERE r.id IN (SELECT rating FROM "
            f"rating_requests WHERE request IN ({_marks(keys)}))",
            keys,
        )
        found = (_rating_from_row(row) for row in rows)
        return {
            rating.request: rating
            for rating in found
            if isinstance(rating, ManagerRating) and rating.request
        }

    def sharing(self, member: str) -> Sharing | None:
        """The member's latest choice of what they share, if they made one."""
        rows = self.query(
            "SELECT s.event, s.at, s.answers, s.coaching FROM sharing s "
            f"WHERE s.member = {_NAME} ORDER BY s.at DESC, s.id DESC LIMIT 1",
            (member,),
        )
        if not rows:
            return None
        return _sharing_from_row(rows[0], member)

    # --- what a member's own events are, for the workspace (team/eventlog.py)

    # --- coaching records (store/coaching.py)

    def coaching(
        self,
        rep: str,
        kind: type[C],
        *,
        since: datetime | None = None,
        by: str | None = None,
    ) -> list[C]:
        """The records of one kind about ``rep`` (optionally only those ``by`` one member,
        or since a moment), oldest first."""
        sql, params = coaching.select((kind.TYPE,), since=since, by=by is not None)
        values: list[object] = [rep, *params]
        if by is not None:
            values.append(by)
        if since is not None:
            values.append(micros(since))
        return [coaching.decoded(body, kind) for _, body in self.tuples(sql, values)]

    def latest_coaching(self, rep: str, kind: type[C]) -> C | None:
        """The newest record of one kind about ``rep`` (the current vision, agreement)."""
        sql, params = coaching.select((kind.TYPE,), since=None, by=False)
        sql = sql.replace("ORDER BY c.at, c.id", "ORDER BY c.at DESC, c.id DESC LIMIT 1")
        rows = self.tuples(sql, [rep, *params])
        return coaching.decoded(rows[0][1], kind) if rows else None

    def events_by(
        self,
        member: str,
        after: dict[str, int],
        coaching_kinds: Sequence[type[CoachingEvent]] = (),
    ) -> tuple[list[Event], dict[str, int]]:
        """The member's own events stored after the row marks in ``after`` (table -> last
        row id exported), in the order they were stored per table; and the new marks.
        Coaching records only of ``coaching_kinds`` (what the member shares), each kind with
        its own mark, so a kind shared later brings its earlier records along."""
        tables: tuple[tuple[str, str, Callable[[sqlite3.Row], Event]], ...] = (
            ("ratings", f"{_RATING.format(ratings='ratings r')} WHERE r.by = {_NAME} "
             "AND r.id > ? ORDER BY r.id", _rating_from_row),
            ("undos", "SELECT u.id, u.event, u.at, r.event AS of FROM undos u JOIN ratings r "
             f"ON r.id = u.rating WHERE r.rep = {_NAME} AND r.manager = 0 AND u.id > ? "
             "ORDER BY u.id",
             lambda row: Undo(id=event_id(row["event"]), by=member, at=moment(row["at"]),
                              of=event_id(row["of"]))),
            ("requests", f"{_REQUEST.replace('SELECT ', 'SELECT q.id, ', 1)} "
             f"WHERE q.rep = {_NAME} AND q.id > ? ORDER BY q.id", _request_from_row),
            ("sharing", "SELECT s.id, s.event, s.at, s.answers, s.coaching FROM sharing s "
             f"WHERE s.member = {_NAME} AND s.id > ? ORDER BY s.id",
             partial(_sharing_from_row, member=member)),
        )  # fmt: skip
        marks = dict(after)
        events: list[Event] = []
        for table, sql, event_of in tables:
            rows = self.query(sql, (member, marks.get(table, 0)))
            events.extend(event_of(row) for row in rows)
            if rows:
                marks[table] = max(row["id"] for row in rows)
        for kind in coaching_kinds:
            mark = f"coaching:{kind.TYPE}"
            found = self.tuples(
                "SELECT c.id, c.body FROM coaching c WHERE c.by = (SELECT id FROM names WHERE "
                "name = ?) AND c.kind = ? AND c.id > ? ORDER BY c.id",
                (member, kind.TYPE, marks.get(mark, 0)),
            )
            events.extend(coaching.decoded(body, kind) for _, body in found)
            if found:
                marks[mark] = found[-1][0]
        return events, marks

    # --- how far each workspace file has been read, and what was refused in it

    def file_marks(self) -> dict[str, FileMark]:
        """Workspace path -> (bytes read, lines read, the last bytes before that point, the
        file's status when read, or None when it may still have been changing)."""
        rows = self.tuples("SELECT path, size, lines, tail, seen FROM team_files")
        return {
            str(path): (int(size), int(lines), bytes(tail), None if seen is None else str(seen))
            for path, size, lines, tail, seen in rows
        }

    def set_file_mark(
        self, path: str, size: int, lines: int, tail: bytes, seen: str | None = None
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO team_files (path, size, lines, tail, seen) "
                "VALUES (?, ?, ?, ?, ?)",
                (path, size, lines, tail, seen),
            )

    def add_refusals(self, refusals: Iterable[tuple[str, int, str]], at: datetime) -> int:
        """(file, line, reason) of what an import refused, each kept once; how many new."""
        added = 0
        with self.transaction() as db:
            for file, line, reason in refusals:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO refusals (file, line, reason, at) VALUES (?, ?, ?, ?)",
                    (file, line, reason, micros(at)),
                )
                added += cursor.rowcount
        return added

    def refusals(self) -> list[tuple[str, int, str, datetime]]:
        """(file, line, reason, when first seen) of everything refused, oldest first."""
        rows = self.tuples("SELECT file, line, reason, at FROM refusals ORDER BY at, id")
        return [(str(f), int(line), str(reason), moment(at)) for f, line, reason, at in rows]

    # --- opening: what the machine allows, and what the file holds

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            from drillcoach.store.backup import open_readonly

            return open_readonly(self.path)
        return sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )

    def _probe(self) -> None:
        """Read an existing file before opening it to write: a writable connection that
        cannot read the file still deletes the -wal beside it when it closes."""
        from drillcoach.store.backup import open_readonly

        probe = open_readonly(self.path)
        try:
            probe.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()

    def _check_readable(self) -> None:
        """A database opened only to read is used as it is: one from an older drillcoach
        cannot be upgraded, nor an empty one set up, without writing."""
        from drillcoach.store import migrations

        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version == 0:
            raise MachineError(
                f"{self.path}: holds no drillcoach data yet; run 'drillcoach' once with write "
                "access to set it up",
                "read-only",
            )
        if version < migrations.SCHEMA_VERSION:
            raise MachineError(
                f"{self.path}: written by an older drillcoach; run 'drillcoach' once with "
                "write access to upgrade it",
                "read-only",
            )
        migrate(self._db, target=version, path=self.path)  # refuses a newer one; no writes

    def _refuse_emptied(self, existed: bool, backups: Path | None) -> None:
        """A file that is there but holds no drillcoach data while backups exist was emptied
        or replaced: starting afresh in it would hide the history the backups hold."""
        if not existed or backups is None:
            return
        if int(self._db.execute("PRAGMA user_version").fetchone()[0]) != 0:
            return
        from drillcoach.store.backup import backups as backups_in

        if backups_in(backups):
            what = "is empty" if self.path.stat().st_size == 0 else "holds no drillcoach data"
            raise MachineError(
                f"{self.path} {what}, yet there are backups; 'drillcoach restore' lists them "
                "(or move the file away to start afresh)",
                "damaged",
            )

    @staticmethod
    def _cannot_write(path: Path) -> bool:
        """Whether the database exists but it, or its folder (where the -wal and -shm files
        go), cannot be written. Root is stopped only by a read-only disk."""
        import os

        if not path.exists():
            return False
        return not (os.access(path, os.W_OK) and Store._folder_ok(path.parent))

    @staticmethod
    def problem(path: Path, error: OSError | sqlite3.Error) -> UserError | MachineError:
        """What opening the database at ``path`` ran into, in one line naming the file."""
        import errno

        from drillcoach.errors import StoreProblem

        if path.is_dir():
            return UserError(f"{path}: cannot open the drillcoach database: it is a folder")
        kind: StoreProblem
        if isinstance(error, OSError):
            if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                kind = "read-only"
            elif error.errno in (errno.ENOSPC, errno.EDQUOT):
                kind = "full"
            else:
                kind = "io"
        else:
            name = getattr(error, "sqlite_errorname", "")
            if name.startswith("SQLITE_CANTOPEN"):  # which is SQLite's word for many causes
                refused = Store._cannot_write(path) or not Store._folder_ok(path.parent)
                kind = "read-only" if refused else "io"
            elif name == "SQLITE_ERROR":
                kind = "damaged"  # e.g. tables a migration does not expect: not drillcoach's
            else:
                kind = classify(error)
        return MachineError(Store._says(path, kind, str(error)), kind)

    @staticmethod
    def _folder_ok(folder: Path) -> bool:
        """Whether files can be made in ``folder``."""
        import os

        return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)

    @staticmethod
    def _says(path: Path, kind: str, detail: str = "") -> str:
        return {
            "locked": f"{path} is in use by another drillcoach; close it and try again",
            "read-only": f"{path}: cannot write to it or to its folder (read-only); check the "
            "permissions, or use a --home you can write to",
            "full": f"{path}: the disk is full; free some space and try again",
            "io": f"{path}: the disk reported an error ({detail}); check the disk and try again",
            "damaged": f"{path} is damaged ({detail}); 'drillcoach doctor' checks it and "
            "'drillcoach restore' lists the backups",
        }[kind]

    # --- what doctor and the daily backup ask

    def holds_events(self) -> bool:
        """Whether any rating or suspend/bury action is stored (an undo needs a rating)."""
        rows = self.tuples(
            "SELECT EXISTS (SELECT 1 FROM ratings) OR EXISTS (SELECT 1 FROM set_asides)"
        )
        return bool(rows[0][0])

    def rating_counts(self, rep: str) -> dict[str, int]:
        """Per drill uid, how many live ratings of the rep's drills it has."""
        rows = self.tuples(
            f"SELECT n.name, COUNT(*) FROM ratings r JOIN names n ON n.id = r.drill "
            f"WHERE r.rep = {_NAME} AND {_LIVE} GROUP BY n.name",
            (rep,),
        )
        return {str(name): int(count) for name, count in rows}


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))
