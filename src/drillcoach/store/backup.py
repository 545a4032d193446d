"""Copies of the database: a dated backup once a day, checks of any copy, and a restore."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drillcoach.errors import MachineError, UserError
from drillcoach.fileio import sync_folder

if TYPE_CHECKING:
    from drillcoach.store.db import Store

PATTERN = "drillcoach-*.db"  # every backup: daily ones and those made before a migration
_DAILY = re.compile(r"drillcoach-(\d{8})-\d{6}-\d{6}\.db")  # migration backups: drillcoach-v3-...
_PARTIAL = ".partial"  # a copy being written; never matches PATTERN


def stamp(moment: datetime) -> str:
    """A backup's time in its name, to the microsecond so two never share one."""
    return moment.strftime("%Y%m%d-%H%M%S-%f")


def _timeout() -> float:
    from drillcoach.store.db import BUSY_TIMEOUT_MS  # read when used: tests shorten it

    return BUSY_TIMEOUT_MS / 1000


def open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that only reads ``path`` (SQLite's ``mode=ro``), opened right away so
    a file that is not a database fails here. A WAL database in a folder no one may write
    to cannot get its shared-memory file; when it has no -wal file either, all of it is
    in the main file and it is read as it stands (``immutable``)."""
    uri = f"{path.absolute().as_uri()}?mode=ro"
    db = sqlite3.connect(
        uri, uri=True, timeout=_timeout(), check_same_thread=False, isolation_level=None
    )
    try:
        db.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error as error:
        db.close()  # whatever went wrong: a file left open would outlive the refusal
        if not isinstance(error, sqlite3.OperationalError):
            raise
        name = getattr(error, "sqlite_errorname", "")
        wal = path.with_name(path.name + "-wal")
        no_shm = name in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN")
        if not no_shm or wal.exists() or not path.is_file():
            raise
        db = sqlite3.connect(
            f"{uri}&immutable=1", uri=True, check_same_thread=False, isolation_level=None
        )
        try:
            db.execute("PRAGMA user_version").fetchone()
        except BaseException:
            db.close()
            raise
    return db


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of ``source`` (SQLite's backup API: what is committed, WAL
    included) at ``target``, which appears whole or not at all. The copy is one file
    (rollback journal, not WAL), so reading it later leaves no -wal or -shm beside it."""
    partial = target.with_name(target.name + _PARTIAL)
    try:
        with closing(sqlite3.connect(partial, isolation_level=None)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE").fetchone()
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync(target.parent)


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """What SQLite's integrity check finds wrong with ``path``, one line each (empty:
    nothing). A file that is not a database is one problem; a database it cannot read for
    another reason (locked, unreadable) raises the sqlite3 error."""
    from drillcoach.store.problems import classify

    check = "quick_check" if quick else "integrity_check"
    try:
        with closing(open_readonly(path)) as db:
            rows = db.execute(f"PRAGMA {check}(20)").fetchall()
    except sqlite3.DatabaseError as error:
        if classify(error) != "damaged":
            raise
        return [str(error)]
    found = [line for row in rows for line in str(row[0]).splitlines()]
    if found == ["ok"]:
        return []
    return [line for line in found if not line.startswith("*** in database")]


@dataclass(frozen=True)
class BackupInfo:
    """One backup as ``drillcoach restore`` lists it."""

    path: Path
    made: datetime  # when it was written (the file's time), in local time
    size: int
    schema: int | None  # PRAGMA user_version; None when it could not be read
    ratings: int | None  # ratings it holds (undone ones too)
    problems: tuple[str, ...]  # from the integrity check; empty: it passed

    @property
    def ok(self) -> bool:
        return not self.problems and self.schema is not None


def backups(folder: Path) -> list[Path]:
    """Every backup in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [path for path in folder.glob(PATTERN) if path.is_file()]
    return sorted(found, key=lambda path: (path.stat().st_mtime, path.name), reverse=True)


def describe(path: Path) -> BackupInfo:
    """A backup's date, size, schema, rating count and integrity."""
    info = path.stat()
    made = datetime.fromtimestamp(info.st_mtime).astimezone()
    try:
        problems = tuple(integrity_problems(path))
    except sqlite3.Error as error:
        problems = (str(error),)
    schema = ratings = None
    if not problems:
        try:
            with closing(open_readonly(path)) as db:
                schema = int(db.execute("PRAGMA user_version").fetchone()[0])
                ratings = _count_ratings(db)
        except sqlite3.Error as error:
            problems = (str(error),)
    return BackupInfo(path, made, info.st_size, schema, ratings, problems)


def _count_ratings(db: sqlite3.Connection) -> int | None:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in ("ratings", "reviews"):  # schema 3 on; schemas 1 and 2
        if table in tables:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    return None


def newest_good_backup(folder: Path) -> BackupInfo | None:
    """The newest backup that passes its own integrity check and holds drillcoach data."""
    for path in backups(folder):
        info = describe(path)
        if info.ok and info.schema:
            return info
    return None


def daily_backup(database: Path, backups_dir: Path, keep: int, now: datetime) -> Path | None:
    """Copy ``database`` into ``backups_dir`` as ``drillcoach-YYYYMMDD-HHMMSS-ffffff.db``
    unless a daily backup of ``now``'s calendar day is there, then keep the newest
    ``keep`` daily backups (0: make none). Backups made before a migration are never
    removed. A copy that fails its check is not kept, so a damaged database never
    pushes the good backups out. The new backup, or None when none was due."""
    if keep <= 0:
        return None
    day = now.strftime("%Y%m%d")
    if any(_day(path) == day for path in backups(backups_dir)):
        return None
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = backups_dir / f"drillcoach-{stamp(now)}.db"
    with closing(open_readonly(database)) as source:
        copy_database(source, target)
    problems = integrity_problems(target, quick=True)
    if problems:
        target.unlink()
        raise sqlite3.DatabaseError(
            f"the database fails its integrity check ({problems[0]}); run 'drillcoach doctor'"
        )
    daily = sorted((path for path in backups(backups_dir) if _day(path)), key=lambda p: p.name)
    for old in daily[:-keep]:
        old.unlink()
    return target


def _day(path: Path) -> str | None:
    found = _DAILY.fullmatch(path.name)
    return found.group(1) if found else None


def backup_on_start(store: Store, backups_dir: Path, keep: int, now: datetime) -> None:
    """The daily backup as drillcoach starts: not of a database opened read-only or one
    with no events yet. It never stops drillcoach: a failure is one line on stderr."""
    if keep <= 0 or store.readonly:
        return
    try:
        if store.holds_events():
            daily_backup(store.path, backups_dir, keep, now)
    except (OSError, sqlite3.Error, MachineError) as error:
        print(f"drillcoach: warning: no backup made today ({error})", file=sys.stderr)


# --- restore


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did: the backup copied in and what was kept aside."""

    backup: BackupInfo
    kept_aside: tuple[Path, ...]  # the database it replaced, with its -wal and -shm


def restore(backup: Path, database: Path, now: datetime) -> Restored:
    """Put a copy of ``backup`` in place of ``database``, after checking the backup's
    integrity and schema. The database it replaces is never deleted: it moves aside
    to ``drillcoach.db.before-restore-<stamp>`` (with its -wal and -shm)."""
    from drillcoach.store.migrations import SCHEMA_VERSION

    if database.exists() and backup.resolve() == database.resolve():
        raise UserError(f"{backup}: that is the database itself; choose a backup")
    info = describe(backup)
    if info.problems:
        raise MachineError(
            f"{backup} is damaged ({info.problems[0]}); choose another backup", "damaged"
        )
    if not info.schema:
        raise UserError(f"{backup}: holds no drillcoach data; choose another backup")
    if info.schema > SCHEMA_VERSION:
        raise UserError(
            f"{backup}: written by a newer drillcoach (schema {info.schema}, this version "
            f"knows {SCHEMA_VERSION}); upgrade drillcoach"
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f"{database.name}.restoring")
    with closing(open_readonly(backup)) as source:
        copy_database(source, incoming)
    try:
        kept = _move_aside(database, now)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    os.replace(incoming, database)
    _sync(database.parent)
    return Restored(info, kept)


def _move_aside(database: Path, now: datetime) -> tuple[Path, ...]:
    """Move the database and its -wal and -shm to ``<name>.before-restore-<stamp>``,
    after folding its WAL into it, which also proves no other drillcoach has it open."""
    if not database.exists():
        return ()
    _fold_wal(database)
    aside = database.with_name(f"{database.name}.before-restore-{stamp(now)}")
    kept = []
    for suffix in ("", "-wal", "-shm"):
        part = database.with_name(database.name + suffix)
        if part.exists():
            target = aside.with_name(aside.name + suffix)
            os.replace(part, target)
            kept.append(target)
    _sync(database.parent)
    return tuple(kept)


def _fold_wal(database: Path) -> None:
    """Leaving WAL mode needs the only connection to the file: another drillcoach using it
    is refused. A file SQLite cannot read is moved aside as it is, -wal and all: it is
    read first without writing, since a writable connection would delete that -wal."""
    from drillcoach.store.db import Store
    from drillcoach.store.problems import classify

    try:
        with closing(open_readonly(database)) as db:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        with closing(sqlite3.connect(database, timeout=_timeout())) as db:
            db.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.Error as error:
        if classify(error) != "damaged":
            raise Store.problem(database, error) from None


def _sync(folder: Path) -> None:
    """The folder synced where it can be: a backup is worth having even where not."""
    with suppress(OSError):
        sync_folder(folder)
