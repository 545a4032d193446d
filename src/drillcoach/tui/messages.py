"""What a drill screen reports back to the session when it closes (past tense)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from drillcoach.scheduling.queue import QueueItem
from drillcoach.scheduling.recording import Rated


@dataclass(frozen=True)
class DrillRated:
    """The rep rated the drill; the rating is already stored."""

    rated: Rated


@dataclass(frozen=True)
class DrillSetAside:
    """The rep suspended or buried the drill (``action`` is "suspend" or "bury")."""

    item: QueueItem
    action: Literal["suspend", "bury"]


@dataclass(frozen=True)
class RatingUndone:
    """The rep took back the last rating; that drill is first in the session again."""


@dataclass(frozen=True)
class SessionLeft:
    """The rep left the session; everything rated is stored, the rest stays due."""


DrillOutcome = DrillRated | DrillSetAside | RatingUndone | SessionLeft
