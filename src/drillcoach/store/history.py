"""A rep's live self-ratings read lean, for summaries over a whole history: only the
columns a summary counts, each name looked up once, no event values built (Store.ratings
builds a SelfRating per row, which over two years of drilling takes seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from drillcoach.store.db import Store
from drillcoach.store.encoding import micros

_CHUNK = 500  # names per IN (...), well under SQLite's limit on parameters

# (row number, drill name id, skill name id, at, rating, duration_ms, key points ticked as
# a bit mask, key points total): times in whole microseconds since 1970 UTC
SelfRatingRow = tuple[int, int, int, int, int, int | None, int | None, int | None]


@dataclass(frozen=True)
class SelfRatingRows:
    """The rows as SQLite gives them (built once, not copied), and the names their
    drills and skills are stored under: a drill's uid is ``names[row[1]]``, as it was
    stored (renames not followed)."""

    rows: list[SelfRatingRow]
    names: dict[int, str]


def self_rating_rows(store: Store, rep: str, *, until: datetime) -> SelfRatingRows:
    """The rep's live self-ratings (undone ones left out) stamped at or before ``until``,
    in time order."""
    # the columns before the typed answer only: reading past it walks its overflow pages
    rows = store.tuples(
        "SELECT r.id, r.drill, r.skill, r.at, r.rating, r.duration_ms, r.hits, r.total "
        "FROM ratings r WHERE r.rep = (SELECT id FROM names WHERE name = ?) AND r.at <= ? "
        "AND r.manager = 0 AND NOT EXISTS (SELECT 1 FROM undos u WHERE u.rating = r.id) "
        "ORDER BY r.at, r.id",
        (rep, micros(until)),
    )
    names = _names(store, {row[1] for row in rows} | {row[2] for row in rows})
    return SelfRatingRows(cast(list[SelfRatingRow], rows), names)


def _names(store: Store, ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = store.tuples(
            f"SELECT id, name FROM names WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        )
        found.update((int(name_id), str(name)) for name_id, name in rows)
    return found
