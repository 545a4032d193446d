"""The database schema as numbered forward migrations, with a backup before any change
to a database that already holds data."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from drillcoach.errors import UserError
from drillcoach.store.encoding import event_key, mask, micros_of_text


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


def _migration_2(db: sqlite3.Connection) -> None:
    """Undos and suspend/bury actions get event ids, like ratings, so they are events too."""
    import uuid

    for table in ("undos", "drill_actions"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN event_id TEXT")
        rows = db.execute(f"SELECT id FROM {table}").fetchall()
        db.executemany(
            f"UPDATE {table} SET event_id = ? WHERE id = ?",
            [(str(uuid.uuid4()), row[0]) for row in rows],
        )
        db.execute(f"CREATE UNIQUE INDEX {table}_by_event ON {table} (event_id)")


_SCHEMA_3 = """
CREATE TABLE names (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    rep INTEGER NOT NULL REFERENCES names (id),
    by INTEGER NOT NULL REFERENCES names (id),
    manager INTEGER NOT NULL CHECK (manager IN (0, 1)),
    drill INTEGER REFERENCES names (id),
    skill INTEGER NOT NULL REFERENCES names (id),
    at INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    suggested INTEGER,
    duration_ms INTEGER,
    time_limit INTEGER,
    hits INTEGER,
    total INTEGER,
    spoken INTEGER,
    answer TEXT,
    replies TEXT,
    rubric INTEGER REFERENCES names (id),
    scores TEXT,
    context TEXT,
    note TEXT
);
CREATE INDEX ratings_by_drill ON ratings (rep, drill, at);
CREATE INDEX ratings_by_time ON ratings (rep, at);
CREATE INDEX ratings_by_manager ON ratings (rep, at) WHERE manager = 1;
CREATE TABLE undos (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    rating INTEGER NOT NULL UNIQUE REFERENCES ratings (id),
    at INTEGER NOT NULL
);
CREATE TABLE set_asides (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    rep INTEGER NOT NULL REFERENCES names (id),
    drill INTEGER NOT NULL REFERENCES names (id),
    action TEXT NOT NULL CHECK (action IN ('suspend', 'unsuspend', 'bury', 'unbury')),
    at INTEGER NOT NULL,
    until INTEGER
);
CREATE INDEX set_asides_by_drill ON set_asides (rep, drill, id);
CREATE TABLE cards (
    rep TEXT NOT NULL,
    drill TEXT NOT NULL,
    phase INTEGER NOT NULL,
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due INTEGER NOT NULL,
    last_review INTEGER,
    reviews INTEGER NOT NULL,
    lapses INTEGER NOT NULL,
    first_review INTEGER,
    PRIMARY KEY (rep, drill)
) WITHOUT ROWID;
CREATE INDEX cards_by_due ON cards (rep, due, phase);
CREATE INDEX cards_by_lapses ON cards (rep, lapses);
CREATE INDEX cards_by_start ON cards (rep, first_review)
"""


def _migration_3(db: sqlite3.Connection) -> None:
    """A compact event store (interned names, integer times, ids as 16 bytes) and card
    state kept per rating with a due index. Cards are rebuilt from the events on first use."""
    for table in ("reviews", "undos", "drill_actions"):
        db.execute(f"ALTER TABLE {table} RENAME TO old_{table}")
    db.execute("DROP TABLE cards")
    for index in ("reviews_by_drill", "reviews_by_time", "drill_actions_by_drill"):
        db.execute(f"DROP INDEX IF EXISTS {index}")
    _run_script(db, _SCHEMA_3)
    names: dict[str, int] = {}

    def name(text: str | None) -> int | None:
        if text is None:
            return None
        if text not in names:
            db.execute("INSERT INTO names (name) VALUES (?)", (text,))
            names[text] = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
        return names[text]

    rows = db.cursor()
    rows.row_factory = sqlite3.Row
    for row in rows.execute("SELECT * FROM old_reviews ORDER BY id").fetchall():
        hits = json.loads(row["key_points_hit"] or "[]")
        db.execute(
            "INSERT INTO ratings (id, event, rep, by, manager, drill, skill, at, rating, "
            "suggested, duration_ms, time_limit, hits, total, spoken, answer, replies, rubric, "
            "scores, context, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)",
            (
                row["id"], event_key(row["event_id"]), name(row["rep"]), name(row["by"]),
                int(row["source"] == "manager"), name(row["drill_uid"]),
                name(row["skill"] or ""), micros_of_text(row["at"]), row["rating"],
                row["suggested"],
                row["duration_ms"], row["time_limit"], mask(hits),
                row["key_points_total"], int(row["mode"] == "spoken") if row["mode"] else None,
                row["answer"], row["replies"], name(row["rubric"]), row["scores"],
                row["context"], row["note"],
            ),
        )  # fmt: skip
    for row in rows.execute("SELECT * FROM old_undos ORDER BY id").fetchall():
        db.execute(
            "INSERT INTO undos (event, rating, at) VALUES (?, ?, ?)",
            (event_key(row["event_id"]), row["review_id"], micros_of_text(row["at"])),
        )
    for row in rows.execute("SELECT * FROM old_drill_actions ORDER BY id").fetchall():
        db.execute(
            "INSERT INTO set_asides (event, rep, drill, action, at, until) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                event_key(row["event_id"]), name(row["rep"]), name(row["drill_uid"]),
                row["action"], micros_of_text(row["at"]),
                micros_of_text(row["until"]) if row["until"] else None,
            ),
        )  # fmt: skip
    for table in ("undos", "drill_actions", "reviews"):
        db.execute(f"DROP TABLE old_{table}")


_SCHEMA_4 = """
ALTER TABLE ratings ADD COLUMN request;
ALTER TABLE ratings ADD COLUMN digest INTEGER;
ALTER TABLE undos ADD COLUMN digest INTEGER;
CREATE INDEX ratings_by_request ON ratings (request) WHERE request IS NOT NULL;
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    rep INTEGER NOT NULL REFERENCES names (id),
    drill INTEGER NOT NULL REFERENCES names (id),
    at INTEGER NOT NULL,
    answer TEXT NOT NULL,
    spoken INTEGER NOT NULL CHECK (spoken IN (0, 1)),
    hits INTEGER,
    total INTEGER,
    rating INTEGER CHECK (rating BETWEEN 1 AND 4),
    of,
    digest INTEGER
);
CREATE INDEX requests_by_rep ON requests (rep, at);
CREATE TABLE sharing (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    member INTEGER NOT NULL REFERENCES names (id),
    at INTEGER NOT NULL,
    answers INTEGER NOT NULL CHECK (answers IN (0, 1)),
    digest INTEGER
);
CREATE INDEX sharing_by_member ON sharing (member, at);
CREATE TABLE team_files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    lines INTEGER NOT NULL,
    tail BLOB NOT NULL
);
CREATE TABLE refusals (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (file, line, reason)
)
"""


def _migration_4(db: sqlite3.Connection) -> None:
    """The team layer: review requests, sharing choices, which manager rating answers which
    request, a digest of each imported event (a replayed id with other content is refused),
    how far each workspace file has been read, and what was refused on import."""
    _run_script(db, _SCHEMA_4)


def _migration_5(db: sqlite3.Connection) -> None:
    """Each workspace file's status when it was read (device, inode, size, times: a file
    whose status has not moved since is passed over unopened by the next sync)."""
    db.execute("ALTER TABLE team_files ADD COLUMN seen TEXT")


def _migration_6(db: sqlite3.Connection) -> None:
    """Each card in review keeps the number its last review's fuzz drew, so a new desired
    retention moves due dates in one statement. Cards kept before get it on first use."""
    db.execute("ALTER TABLE cards ADD COLUMN fuzz REAL")


_SCHEMA_7 = """
CREATE TABLE coaching (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    by INTEGER NOT NULL REFERENCES names (id),
    rep INTEGER NOT NULL REFERENCES names (id),
    at INTEGER NOT NULL,
    body TEXT NOT NULL,
    digest INTEGER
);
CREATE INDEX coaching_by_rep ON coaching (rep, kind, at);
ALTER TABLE sharing ADD COLUMN coaching INTEGER NOT NULL DEFAULT 0;
CREATE TABLE new_set_asides (
    id INTEGER PRIMARY KEY,
    event NOT NULL UNIQUE,
    rep INTEGER NOT NULL REFERENCES names (id),
    drill INTEGER NOT NULL REFERENCES names (id),
    action TEXT NOT NULL
        CHECK (action IN ('suspend', 'unsuspend', 'bury', 'unbury', 'forward')),
    at INTEGER NOT NULL,
    until INTEGER
);
INSERT INTO new_set_asides (id, event, rep, drill, action, at, until)
    SELECT id, event, rep, drill, action, at, until FROM set_asides;
DROP TABLE set_asides;
ALTER TABLE new_set_asides RENAME TO set_asides;
CREATE INDEX set_asides_by_drill ON set_asides (rep, drill, id)
"""


def _migration_7(db: sqlite3.Connection) -> None:
    """Coaching records (vision, agreement, commitments, debriefs, sales DNA checks,
    agendas opened), each kept whole as its v1 JSON (they are few and read whole), and
    which kinds of them a member shares (a bit per kind); and a drill brought forward to
    today (a debrief heard its objection) as a set-aside action (SQLite cannot widen a
    CHECK in place, so the table is copied)."""
    _run_script(db, _SCHEMA_7)


_SCHEMA_8 = """
CREATE TABLE rating_requests (
    rating INTEGER PRIMARY KEY REFERENCES ratings (id),
    request NOT NULL
);
CREATE INDEX rating_requests_by_request ON rating_requests (request);
CREATE TABLE rating_digests (
    rating INTEGER PRIMARY KEY REFERENCES ratings (id),
    digest INTEGER NOT NULL
);
INSERT INTO rating_requests (rating, request)
    SELECT id, request FROM ratings WHERE request IS NOT NULL;
INSERT INTO rating_digests (rating, digest)
    SELECT id, digest FROM ratings WHERE digest IS NOT NULL;
DROP INDEX ratings_by_request;
ALTER TABLE ratings DROP COLUMN request;
ALTER TABLE ratings DROP COLUMN digest
"""


def _migration_8(db: sqlite3.Connection) -> None:
    """The request a manager rating answers and the digest of an imported rating move to
    tables of their own: few ratings have either, and every rating row paid a byte for
    each (the ratings table is most of a store). DROP COLUMN rewrites the table."""
    _run_script(db, _SCHEMA_8)


# Numbered forward migrations: MIGRATIONS[n - 1] takes a database from version n - 1 to n.
# Never edit one that has shipped; append a new one and a seed in tests/test_store.py.
MIGRATIONS: Sequence[Callable[[sqlite3.Connection], None]] = (
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
    _migration_7,
    _migration_8,
)
SCHEMA_VERSION = len(MIGRATIONS)


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
        from drillcoach.store.backup import copy_database, stamp  # only when migrating

        backups.mkdir(parents=True, exist_ok=True)
        # to the microsecond: two migrations in one second must not share a name
        copy_database(db, backups / f"drillcoach-v{current}-{stamp(datetime.now(UTC))}.db")
    for version in range(current + 1, target + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
