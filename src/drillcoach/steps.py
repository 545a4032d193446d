"""How long work (a sync, an import) tells its caller how far it is, without knowing
whether a terminal's bar, plain lines or a screen shows it."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Hears each step as it begins; a counted step again as it goes (``done`` of
    ``total``, which may be unknown)."""

    def __call__(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """Say it."""


def unheard(step: str, done: int | None = None, total: int | None = None) -> None:
    """Progress nobody is shown."""
