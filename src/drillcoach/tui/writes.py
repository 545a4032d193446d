"""Writes the TUI makes that the machine may refuse (a full disk, another drillcoach
holding the database, a read-only folder): the one line a screen shows, and the call
that catches the refusal so the screen, and what the rep typed, stay as they were."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from drillcoach.errors import MachineError, StoreProblem, UserError
from drillcoach.store.problems import REASONS

T = TypeVar("T")

ADVICE: dict[StoreProblem, str] = {
    "full": "free some disk space",
    "locked": "close the other drillcoach",
    "read-only": "check the folder's permissions",
    "damaged": "run 'drillcoach doctor'",
    "io": "check the disk",
}


def not_saved(error: MachineError | UserError) -> str:
    """'Not saved: the disk is full - free some disk space, then try again.'"""
    if isinstance(error, MachineError):
        return f"Not saved: {REASONS[error.kind]} - {ADVICE[error.kind]}, then try again."
    return f"Not saved: {error}"


def attempt(write: Callable[[], T], tell: Callable[[str], None]) -> T | None:
    """``write()``, or None after telling the rep in one line why it was not saved."""
    try:
        return write()
    except (MachineError, UserError) as error:
        tell(not_saved(error))
        return None


def saved(write: Callable[[], object], tell: Callable[[str], None]) -> bool:
    """Whether ``write()`` was saved; if not, the rep was told why in one line."""
    try:
        write()
    except (MachineError, UserError) as error:
        tell(not_saved(error))
        return False
    return True
