"""The database schema as numbered forward migrations, with a backup before any change
to a database that already holds data."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from drillcoach.errors import UserError


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
    for table in ("undos", "drill_actions"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN event_id TEXT")
        rows = db.execute(f"SELECT id FROM {table}").fetchall()
        db.executemany(
            f"UPDATE {table} SET event_id = ? WHERE id = ?",
            [(str(uuid.uuid4()), row[0]) for row in rows],
        )
        db.execute(f"CREATE UNIQUE INDEX {table}_by_event ON {table} (event_id)")


# Numbered forward migrations: MIGRATIONS[n - 1] takes a database from version n - 1 to n.
# Never edit one that has shipped; append a new one and a seed in tests/test_store.py.
MIGRATIONS: Sequence[Callable[[sqlite3.Connection], None]] = (_migration_1, _migration_2)
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
