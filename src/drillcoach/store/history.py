"""A rep's live self-ratings read lean, for summaries over a whole history: only the
columns a summary counts, each name looked up once, no event values built (Store.ratings
builds a SelfRating per row, which over two years of drilling takes seconds)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
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


def self_rating_rows(
    store: Store,
    rep: str,
    *,
    until: datetime,
    since: datetime | None = None,
    of: tuple[Sequence[str], Sequence[str]] | None = None,
    names: Mapping[int, str] | None = None,
) -> SelfRatingRows:
    """The rep's live self-ratings (undone ones left out) stamped at or before ``until``
    (and at or after ``since``; ``of``: only those of these skills or of these drills),
    in time order. ``names``: every name by its number, when the caller read them."""
    where, params = "", []
    if of is not None:
        skills, drills = of
        among = "(SELECT id FROM names WHERE name IN (SELECT value FROM json_each(?)))"
        ors = [f"r.skill IN {among}"] * bool(skills) + [f"r.drill IN {among}"] * bool(drills)
        where = f"AND ({' OR '.join(ors) or 'FALSE'})"  # one of them: through an index
        params = [json.dumps(list(found)) for found in (skills, drills) if found]
    # the columns before the typed answer only: reading past it walks its overflow pages
    rows = store.tuples(
        "SELECT r.id, r.drill, r.skill, r.at, r.rating, r.duration_ms, r.hits, r.total "
        "FROM ratings r WHERE r.rep = (SELECT id FROM names WHERE name = ?) "
        f"AND r.at BETWEEN ? AND ? {where} "
        "AND r.manager = 0 AND NOT EXISTS (SELECT 1 FROM undos u WHERE u.rating = r.id) "
        "ORDER BY r.at, r.id",
        (rep, micros(since) if since is not None else -(1 << 62), micros(until), *params),
    )
    wanted = {row[1] for row in rows} | {row[2] for row in rows}
    if names is not None and wanted <= names.keys():
        return SelfRatingRows(cast(list[SelfRatingRow], rows), {n: names[n] for n in wanted})
    return SelfRatingRows(cast(list[SelfRatingRow], rows), _names(store, wanted))


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
