"""Where a rep stands with one drill: its FSRS memory state, when it is due, and how
often it was reviewed and lapsed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from drillcoach.scheduling.rules import LEECH_LAPSES, MASTERED_DAYS
from drillcoach.store import CardRow


class Phase(IntEnum):
    """fsrs.State's numbers, and NEW for a drill never rated."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


_PHASES = tuple(Phase)  # by number, quicker than Phase(n)


def mastered(phase: int, stability: float | None) -> bool:
    """In review and remembered for three weeks or more (FSRS stability)."""
    return phase == Phase.REVIEW and (stability or 0.0) >= MASTERED_DAYS


@dataclass(frozen=True)
class CardState:
    uid: str
    due: datetime
    phase: Phase = Phase.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reviews: int = 0  # counting ratings
    lapses: int = 0  # Again from review
    first_review: datetime | None = None
    fuzz: float | None = None  # what fsrs's fuzz drew at the last review, in review

    @classmethod
    def new(cls, uid: str, now: datetime) -> CardState:
        return cls(uid, now)

    @classmethod
    def of_row(cls, row: CardRow) -> CardState:
        return cls(
            row.uid,
            row.due,
            _PHASES[row.phase],
            row.step,
            row.stability,
            row.difficulty,
            row.last_review,
            row.reviews,
            row.lapses,
            row.first_review,
            row.fuzz,
        )

    def row(self) -> CardRow:
        return CardRow(
            self.uid,
            int(self.phase),
            self.step,
            self.stability,
            self.difficulty,
            self.due,
            self.last_review,
            self.reviews,
            self.lapses,
            self.first_review,
            self.fuzz,
        )

    @property
    def is_new(self) -> bool:
        return self.reviews == 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES

    @property
    def is_mastered(self) -> bool:
        return mastered(self.phase, self.stability)

    @property
    def in_learning(self) -> bool:
        return self.phase in (Phase.LEARNING, Phase.RELEARNING)
