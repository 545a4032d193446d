"""Anki at the same size, for comparison: builds a collection with the same number of
cards and revlog entries, then times the v3 scheduler's queue and answering one card.

Runs under any interpreter that has the ``anki`` package (it imports nothing of
drillcoach) and prints its measurements as JSON:

    python bench/anki_bench.py --collection C.anki2 --cards 100 --revlog 1500 --days 760
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from anki.buildinfo import version as anki_version
from anki.collection import AddNoteRequest, Collection
from anki.scheduler.v3 import Scheduler
from anki.scheduler_pb2 import CardAnswer

DAY = 86_400
NEW_PER_DAY = 5  # drillcoach's defaults, so both build a queue under the same limits
REVIEWS_PER_DAY = 40
EASE_WEIGHTS = (10, 15, 60, 15)  # Again, Hard, Good, Easy
NEW_SHARE = 0.02
LEARNING_SHARE = 0.03


def _deck(col: Collection) -> int:
    deck_id = int(col.decks.id("Bench") or 0)
    col.decks.set_current(deck_id)  # type: ignore[arg-type]
    return deck_id


def build(path: Path, cards: int, revlog: int, days: int, seed: int) -> None:
    """A collection of ``cards`` Basic notes in one FSRS deck, created ``days`` ago, with
    ``revlog`` review-log entries over those days and cards spread over new, learning,
    relearning and review states (review cards due from overdue to in a year)."""
    rng = random.Random(f"anki:{seed}")
    col = Collection(str(path))
    try:
        col.set_config("fsrs", True)
        deck_id = _deck(col)
        conf = col.decks.config_dict_for_deck_id(deck_id)  # type: ignore[arg-type]
        conf["new"]["perDay"] = NEW_PER_DAY
        conf["rev"]["perDay"] = REVIEWS_PER_DAY
        col.decks.update_config(conf)
        notetype = col.models.by_name("Basic")
        assert notetype is not None
        for first in range(0, cards, 2000):
            requests = []
            for number in range(first, min(cards, first + 2000)):
                note = col.new_note(notetype)
                note["Front"] = f"Drill {number}: the buyer's words, as heard on calls."
                note["Back"] = "A model answer in two to five sentences. " * 3
                requests.append(AddNoteRequest(note, deck_id))  # type: ignore[arg-type]
            col.add_notes(requests)
        assert col.db is not None
        col.db.execute("UPDATE col SET crt = crt - ?", days * DAY)
    finally:
        col.close()
    col = Collection(str(path))
    try:
        today = col.sched.today
    finally:
        col.close()

    db = sqlite3.connect(path)
    ids = [row[0] for row in db.execute("SELECT id FROM cards ORDER BY id")]
    now = int(time.time())
    start_ms = (now - days * DAY) * 1000
    step_ms = max(1, days * DAY * 1000 // max(1, revlog))
    started = ids[int(len(ids) * NEW_SHARE) :] or ids
    rows: list[tuple[int, ...]] = []
    reps: dict[int, int] = {}
    lapses: dict[int, int] = {}
    last_ease: dict[int, int] = {}
    interval: dict[int, int] = {}
    reviewed: dict[int, int] = {}  # the card's last review, in seconds
    for index in range(revlog):
        card = rng.choice(started)
        ease = rng.choices((1, 2, 3, 4), weights=EASE_WEIGHTS)[0]
        kind = 0 if card not in reps else (2 if last_ease.get(card) == 1 else 1)
        last = interval.get(card, 0)
        if ease == 1:
            new_interval = -600
            lapses[card] = lapses.get(card, 0) + (kind == 1)
        else:
            new_interval = min(365, max(1, int(max(last, 1) * {2: 1.2, 3: 2.5, 4: 3.5}[ease])))
        reps[card] = reps.get(card, 0) + 1
        last_ease[card] = ease
        interval[card] = new_interval
        at_ms = start_ms + index * step_ms + rng.randrange(step_ms)
        reviewed[card] = at_ms // 1000
        rows.append((at_ms, card, 0, ease, new_interval, last, 2500, rng.randint(5_000, 90_000),
                     kind))  # fmt: skip
    db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    updates: list[tuple[Any, ...]] = []
    learning = int(len(started) * LEARNING_SHARE)
    for position, card in enumerate(started):
        learns = position < learning
        stability = rng.uniform(0.5, 5.0) if learns else rng.lognormvariate(3.0, 1.0)
        memory = {"s": round(stability, 2), "d": round(rng.uniform(3.0, 8.0), 2)}
        data = json.dumps({**memory, "lrt": reviewed.get(card, now - DAY)}, separators=(",", ":"))
        if learns:  # in (re)learning, due within the hour around now
            relearn = position % 2 == 1
            ctype, queue, left = (3 if relearn else 1), 1, 1
            ivl = max(1, int(stability)) if relearn else 0
            due = now + rng.randint(-3600, 3600)
        else:
            ctype, queue, left = 2, 2, 0
            ivl = max(1, min(365, int(stability)))
            due = today + rng.randint(-max(1, ivl // 4), ivl)
        updates.append((ctype, queue, due, ivl, reps.get(card, 1), lapses.get(card, 0), left,
                        data, card))  # fmt: skip
    db.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = 2500, reps = ?, "
        "lapses = ?, left = ?, data = ? WHERE id = ?",
        updates,
    )
    db.commit()
    db.create_collation("unicase", _unicase)  # Anki's collation, which VACUUM needs
    db.execute("VACUUM")
    db.close()


def _unicase(left: str, right: str) -> int:
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)


def check(path: Path) -> list[str]:
    """Anki's own database check (it repairs what it can): the problems it found."""
    col = Collection(str(path))
    try:
        text, ok = col.fix_integrity()
    finally:
        col.close()
    return [] if ok else text.splitlines()


def _time(run: Callable[[], object], before: Callable[[], object], runs: int) -> list[float]:
    """As bench/measure.py times drillcoach's side: the preparation before each run, the
    collector off while it runs; the first run is a warm-up."""
    samples = []
    gc.collect()
    for index in range(runs + 1):
        before()
        gc.disable()
        try:
            started = time.perf_counter_ns()
            run()
            elapsed = (time.perf_counter_ns() - started) / 1e6
        finally:
            gc.enable()
        if index:
            samples.append(elapsed)
    return samples


def measure(path: Path, runs: int) -> dict[str, list[float]]:
    """Queue (warm: the study queues rebuilt on an open collection; cold: the first queue
    after reopening the collection with another desired retention) and answering one card
    Good with the next card loaded."""
    from anki.cards import Card  # after anki.collection: the other order is a circular import

    col = Collection(str(path))
    holder = [col]
    deck_id = _deck(col)
    retention = [0.9]

    def invalidate() -> None:  # any deck-config change makes the backend rebuild its queues
        conf = holder[0].decks.config_dict_for_deck_id(deck_id)  # type: ignore[arg-type]
        holder[0].decks.update_config(conf)

    def reopen() -> None:
        conf = holder[0].decks.config_dict_for_deck_id(deck_id)  # type: ignore[arg-type]
        retention[0] = 0.85 if retention[0] == 0.9 else 0.9
        conf["desiredRetention"] = retention[0]
        holder[0].decks.update_config(conf)
        holder[0].close()
        holder[0] = Collection(str(path))

    def scheduler() -> Scheduler:
        sched = holder[0].sched
        assert isinstance(sched, Scheduler), "expected the v3 scheduler"
        return sched

    def queue() -> None:
        scheduler().get_queued_cards()

    def answer() -> None:
        sched = scheduler()
        queued = sched.get_queued_cards().cards[0]
        card = Card(holder[0], backend_card=queued.card)
        card.start_timer()
        sched.answer_card(sched.build_answer(card=card, states=queued.states,
                                             rating=CardAnswer.GOOD))  # fmt: skip
        upcoming = sched.get_queued_cards().cards
        if upcoming:
            Card(holder[0], backend_card=upcoming[0].card)

    try:
        return {
            "queue_warm": _time(queue, invalidate, runs),
            "queue_cold": _time(queue, reopen, runs),
            "answer": _time(answer, queue, runs),
        }
    finally:
        holder[0].close()


def revlog_bytes(path: Path, revlog: int) -> tuple[float, float]:
    """(revlog table + its indexes, whole collection file) bytes per revlog entry."""
    db = sqlite3.connect(path)
    try:
        table = db.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('revlog', 'ix_revlog_usn', "
            "'ix_revlog_cid')"
        ).fetchone()[0]
    finally:
        db.close()
    return table / revlog, path.stat().st_size / revlog


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Anki at a drillcoach benchmark's size.")
    parser.add_argument("--collection", type=Path, required=True,
                        help="the built collection (built here first if missing)")  # fmt: skip
    parser.add_argument("--cards", type=int, required=True)
    parser.add_argument("--revlog", type=int, required=True)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"version": anki_version}
    if not args.collection.exists():
        args.collection.parent.mkdir(parents=True, exist_ok=True)
        building = args.collection.with_name(args.collection.name + ".building")
        building.unlink(missing_ok=True)
        started = time.perf_counter()
        build(building, args.cards, args.revlog, args.days, args.seed)
        result["problems"] = check(building)
        result["build_seconds"] = time.perf_counter() - started
        building.rename(args.collection)
    result["revlog_bytes_per_entry"], result["file_bytes_per_entry"] = revlog_bytes(
        args.collection, args.revlog
    )
    with tempfile.TemporaryDirectory(prefix="anki-bench-") as scratch:
        work = Path(scratch) / "collection.anki2"
        shutil.copyfile(args.collection, work)
        result.update(measure(work, args.runs))
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
