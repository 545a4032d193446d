"""Card rows: each rep's FSRS state per drill, as scheduling/cards.py keeps it, read
through the primary key, the due index and the lapses index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from drillcoach.store.db import Store
from drillcoach.store.encoding import micros, moment

_COLUMNS = (
    "drill, phase, step, stability, difficulty, due, last_review, reviews, lapses, "
    "first_review, fuzz"
)
_DAY = 86_400_000_000  # microseconds
_CHUNK = 500  # uids per IN (...) query, well under SQLite's limit on parameters


class CardRow(NamedTuple):
    uid: str
    phase: int  # 0 new, 1 learning, 2 review, 3 relearning (fsrs.State's numbers)
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reviews: int
    lapses: int
    first_review: datetime | None
    fuzz: float | None = None  # in review: the number fsrs's fuzz drew at the last review


def _row(row: Sequence[Any]) -> CardRow:
    """A row of ``SELECT {_COLUMNS}``, read by position."""
    uid, phase, step, stability, difficulty, due, last, reviews, lapses, first, fuzz = row
    return CardRow(
        uid,
        phase,
        step,
        stability,
        difficulty,
        moment(due),
        None if last is None else moment(last),
        reviews,
        lapses,
        None if first is None else moment(first),
        fuzz,
    )


class CardTable:
    """The ``cards`` table of one store."""

    writes = 0  # card writes through any table in this process (theirs move no data_version)

    def __init__(self, store: Store) -> None:
        self.store = store

    def version(self) -> tuple[int, int]:
        """Changes whenever cards may have changed: another connection committed, or a card
        was written here. Settings and other writes of this process leave it alone."""
        return self.store.data_version(), CardTable.writes

    def get(self, rep: str, uids: Sequence[str]) -> dict[str, CardRow]:
        found: dict[str, CardRow] = {}
        for start in range(0, len(uids), _CHUNK):
            chunk = uids[start : start + _CHUNK]
            rows = self.store.tuples(
                f"SELECT {_COLUMNS} FROM cards WHERE rep = ? AND drill IN "
                f"({', '.join('?' * len(chunk))})",
                (rep, *chunk),
            )
            found.update((row[0], _row(row)) for row in rows)
        return found

    def due_uids(self, rep: str, moment_: datetime) -> list[tuple[str, int]]:
        """(uid, phase) of the cards due before ``moment_``, soonest first (the due index
        holds both, so no row is read)."""
        return self.store.tuples(
            "SELECT drill, phase FROM cards WHERE rep = ? AND due < ? ORDER BY due",
            (rep, micros(moment_)),
        )

    def with_lapses(self, rep: str, at_least: int) -> list[tuple[str, int]]:
        """(uid, lapses) of the cards with ``at_least`` lapses, most first (an index)."""
        return self.store.tuples(
            "SELECT drill, lapses FROM cards WHERE rep = ? AND lapses >= ? "
            "ORDER BY lapses DESC, drill",
            (rep, at_least),
        )

    def undrawn(self, rep: str) -> list[tuple[str, int]]:
        """(uid, reviews) of the cards in review without the number their last review's
        fuzz drew (kept since schema 6; older cards get it once, see ``set_draws``)."""
        return self.store.tuples(
            "SELECT drill, reviews FROM cards WHERE rep = ? AND phase = 2 AND fuzz IS NULL",
            (rep,),
        )

    def set_draws(self, rep: str, draws: Iterable[tuple[str, float]]) -> None:
        CardTable.writes += 1
        with self.store.transaction() as db:
            db.executemany(
                "UPDATE cards SET fuzz = ? WHERE rep = ? AND drill = ?",
                [(drawn, rep, uid) for uid, drawn in draws],
            )

    def move_dues(self, rep: str, interval_sql: str, params: Mapping[str, Any]) -> None:
        """Every card ``interval_sql`` names (a SELECT of ``drill`` and ``days``, with
        ``:rep`` for this rep) due that many days after its last review: one statement,
        the rows whose due date stays the same left alone."""
        CardTable.writes += 1
        due = f"cards.last_review + moved.days * {_DAY}"
        with self.store.transaction() as db:
            db.execute(
                f"UPDATE cards SET due = {due} FROM ({interval_sql}) AS moved WHERE "
                f"cards.rep = :rep AND cards.drill = moved.drill AND cards.due != {due}",
                {**params, "rep": rep},
            )

    def all(self, rep: str) -> list[CardRow]:
        rows = self.store.tuples(f"SELECT {_COLUMNS} FROM cards WHERE rep = ?", (rep,))
        return [_row(row) for row in rows]

    def started(self, rep: str) -> set[str]:
        """Every drill the rep has a card for."""
        return {
            row[0] for row in self.store.tuples("SELECT drill FROM cards WHERE rep = ?", (rep,))
        }

    def started_since(self, rep: str, moment_: datetime) -> set[str]:
        """The drills first rated at or after ``moment_``."""
        rows = self.store.query(
            "SELECT drill FROM cards WHERE rep = ? AND first_review >= ?", (rep, micros(moment_))
        )
        return {row[0] for row in rows}

    def put(self, rep: str, cards: Iterable[CardRow]) -> None:
        CardTable.writes += 1
        with self.store.transaction() as db:
            db.executemany(
                f"INSERT OR REPLACE INTO cards (rep, {_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        rep, card.uid, card.phase, card.step, card.stability, card.difficulty,
                        micros(card.due), micros(card.last_review) if card.last_review else None,
                        card.reviews, card.lapses,
                        micros(card.first_review) if card.first_review else None, card.fuzz,
                    )
                    for card in cards
                ],
            )  # fmt: skip

    def delete(self, rep: str, uids: Iterable[str]) -> None:
        CardTable.writes += 1
        with self.store.transaction() as db:
            db.executemany(
                "DELETE FROM cards WHERE rep = ? AND drill = ?", [(rep, uid) for uid in uids]
            )

    def clear(self, rep: str) -> None:
        CardTable.writes += 1
        with self.store.transaction() as db:
            db.execute("DELETE FROM cards WHERE rep = ?", (rep,))
