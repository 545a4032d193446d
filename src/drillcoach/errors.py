"""Errors a person is told about in one line, never a traceback: their own mistakes
(exit 2) and failures of the machine around drillcoach (exit 1)."""

from __future__ import annotations

from typing import Literal

StoreProblem = Literal["full", "locked", "read-only", "damaged", "io"]


class UserError(Exception):
    """A mistake in input a person gave (an argument, a file, a setting), not a bug."""


class MachineError(Exception):
    """The machine would not do what drillcoach asked (a full disk, a database another
    drillcoach holds, a read-only or damaged file): one line, exit 1, nothing lost."""

    def __init__(self, message: str, kind: StoreProblem = "io") -> None:
        super().__init__(message)
        self.kind = kind
