"""What a SQLite error means for the rep: a full disk, a database another drillcoach
holds, a read-only or damaged file, or an I/O error, in words for one line."""

from __future__ import annotations

import sqlite3

from drillcoach.errors import StoreProblem

REASONS: dict[StoreProblem, str] = {
    "full": "the disk is full",
    "locked": "another drillcoach is writing to it",
    "read-only": "it is read-only",
    "damaged": "it is damaged",
    "io": "the disk would not write it (I/O error)",
}


MACHINE = ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_CORRUPT",
           "SQLITE_NOTADB", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_NOMEM")  # fmt: skip


def of_the_machine(error: sqlite3.Error) -> bool:
    """Whether ``error`` is the machine's doing (disk, lock, file) rather than a bug."""
    return (getattr(error, "sqlite_errorname", "") or "").startswith(MACHINE)


def classify(error: sqlite3.Error) -> StoreProblem:
    """The kind of store problem ``error`` is, from SQLite's own error name."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name == "SQLITE_FULL" or "disk is full" in text:
        return "full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "locked"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "read-only"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return "damaged"
    return "io"
