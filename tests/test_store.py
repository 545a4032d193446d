"""The SQLite store: schema, migrations, append-only events, durability."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from drillcoach.errors import MachineError, UserError
from drillcoach.events import Assignment, DrillAction, ManagerRating, SelfRating, Undo, Vision
from drillcoach.store import BUSY_TIMEOUT_MS, CardRow, CardTable, Store
from drillcoach.store import migrations as store_module
from drillcoach.store.encoding import event_key, micros, moment
from drillcoach.store.migrations import SCHEMA_VERSION, migrate, schema_version
from helpers import OpenStore

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def connect(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(path, isolation_level=None))


# --- a fresh database


def test_fresh_schema(store: Store) -> None:
    db = store._db
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "names", "ratings", "undos", "set_asides", "cards", "settings", "assignments",
        "requests", "sharing", "team_files", "refusals", "coaching", "rating_requests",
        "rating_digests",
    } == {table for table in tables if not table.startswith("sqlite_")}  # fmt: skip


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as db:
        db.execute("INSERT INTO undos (rating, at, event) VALUES (12345, 0, 'y')")


def test_fresh_database_writes_no_backup(store: Store, drillcoach_home: Path) -> None:
    assert not (drillcoach_home / "backups").exists()


def test_reopening_a_current_database_keeps_data_and_writes_no_backup(
    open_store: OpenStore, drillcoach_home: Path
) -> None:
    with Store(drillcoach_home / "drillcoach.db", backups=drillcoach_home / "backups") as first:
        first.add(_review("event-1"))
    again = open_store()
    assert [r.id for r in again.ratings("sam")] == ["event-1"]
    assert not (drillcoach_home / "backups").exists()


# --- migrations
#
# SEEDS[v] fills a database migrated to version v with representative rows of that version
# and returns a check to run once the store has migrated it to the current version.
# When migration N+1 is added, add SEEDS[N] for the version it starts from.


def _seed_v0(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 0 is the empty database a first start finds (or an empty file).
    def check(store: Store) -> None:
        assert store.ratings("sam") == []
        assert store.assignments() == []

    return check


def _seed_v1(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 1: undos and suspend/bury actions had no event ids.
    stamp = "2026-03-02T10:00:00.000000+00:00"
    for event_id in ("kept", "undone"):
        db.execute(
            "INSERT INTO reviews (event_id, rep, by, source, drill_uid, skill, at, rating, "
            "key_points_hit, key_points_total, mode, recorded_at) "
            "VALUES (?, 'sam', 'sam', 'self', 'a/b', 'closing', ?, 3, '[0]', 2, 'typed', ?)",
            (event_id, stamp, stamp),
        )
    db.execute("INSERT INTO undos (review_id, at) VALUES (2, ?)", (stamp,))
    db.execute(
        "INSERT INTO drill_actions (rep, drill_uid, action, at) "
        "VALUES ('sam', 'a/c', 'suspend', ?)",
        (stamp,),
    )
    db.execute(
        "INSERT INTO drill_actions (rep, drill_uid, action, at, until) "
        "VALUES ('sam', 'a/d', 'bury', ?, ?)",
        (stamp, "2026-03-03T04:00:00.000000+00:00"),
    )

    def check(store: Store) -> None:
        [kept] = store.ratings("sam")
        assert isinstance(kept, SelfRating)
        assert (kept.id, kept.drill_uid, kept.rating, kept.key_points_hit) == (
            "kept",
            "a/b",
            3,
            (0,),
        )
        [undo] = store.undos("sam")
        assert undo.of == "undone" and undo.id
        actions = store.drill_actions("sam")
        assert (actions["a/c"].action, actions["a/d"].action) == ("suspend", "bury")
        assert actions["a/d"].until == datetime(2026, 3, 3, 4, tzinfo=UTC)
        assert len({undo.id, actions["a/c"].id, actions["a/d"].id}) == 3
        store.add(DrillAction(by="sam", at=AT, drill_uid="a/c", action="unsuspend"))
        assert store.drill_actions("sam")["a/c"].action == "unsuspend"

    return check


def _seed_v2(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 2: text everywhere, one row per rating with its JSON; a cards cache keyed on
    # history, which version 3 drops and rebuilds from the events.
    uuid_id = "0b5f7a3e-6c1d-4e2f-9a8b-1c2d3e4f5a6b"
    insert = (
        "INSERT INTO reviews (event_id, rep, by, source, drill_uid, skill, at, rating, "
        "suggested, duration_ms, time_limit, key_points_hit, key_points_total, mode, answer, "
        "replies, rubric, scores, context, note, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    at = "2026-03-02T10:00:00.123456+00:00"
    db.execute(insert, (uuid_id, "sam", "sam", "self", "a/b", "closing", at, 2, 3, 41500, 45,
                        "[2, 0]", 4, "spoken", "My answer", '["Hi", "Sure"]', None, None, None,
                        None, at))  # fmt: skip
    db.execute(insert, ("mgr", "sam", "alex", "manager", None, "discovery", at, 4, None, None,
                        None, None, None, None, None, None, "joint-call", '{"agenda": 5}',
                        "joint-call", "Strong agenda", at))  # fmt: skip
    db.execute(insert, ("undone", "sam", "sam", "self", "a/b", "closing", at, 1, None,
                        None, None, "[]", 4, "typed", None, None, None, None, None, None,
                        at))  # fmt: skip
    db.execute("INSERT INTO undos (review_id, at, event_id) VALUES (3, ?, 'undo-1')", (at,))
    db.execute(
        "INSERT INTO drill_actions (rep, drill_uid, action, at, until, event_id) "
        "VALUES ('sam', 'a/d', 'bury', ?, '2026-03-03T04:00:00.000000+00:00', 'bury-1')",
        (at,),
    )
    db.execute(
        "INSERT INTO cards (rep, drill_uid, history_key, card, lapses, reviews) "
        "VALUES ('sam', 'a/b', 'k', '{}', 0, 1)"
    )
    when = datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=UTC)

    def check(store: Store) -> None:
        assert store.ratings("sam") == [
            SelfRating(id=uuid_id, by="sam", at=when, drill_uid="a/b", skill="closing",
                       rating=2, suggested=3, duration_ms=41500, time_limit=45,
                       key_points_hit=(0, 2), key_points_total=4, mode="spoken",
                       answer="My answer", replies=("Hi", "Sure")),
            ManagerRating(id="mgr", by="alex", rep="sam", at=when, rubric="joint-call",
                          scores={"agenda": 5}, rating=4, skill="discovery",
                          context="joint-call", note="Strong agenda"),
        ]  # fmt: skip
        assert store.undos("sam") == [Undo(id="undo-1", by="sam", at=when, of="undone")]
        bury = store.drill_actions("sam")["a/d"]
        assert (bury.id, bury.until) == ("bury-1", datetime(2026, 3, 3, 4, tzinfo=UTC))
        kinds = store.query("SELECT typeof(event) FROM ratings ORDER BY id")
        assert [row[0] for row in kinds] == ["blob", "text", "text"]  # a UUID takes 16 bytes
        assert CardTable(store).all("sam") == []  # rebuilt from the events on first use

    return check


def _seed_v3(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 3: interned names, times in microseconds, ids as 16 bytes; no review
    # requests, sharing choices, digests or read marks yet (version 4 adds them).
    uuid_id = "0b5f7a3e-6c1d-4e2f-9a8b-1c2d3e4f5a6b"
    for number, name in enumerate(("sam", "a/b", "closing", "alex", "discovery", "joint-call"), 1):
        db.execute("INSERT INTO names (id, name) VALUES (?, ?)", (number, name))
    at = micros(datetime(2026, 3, 2, 10, tzinfo=UTC))
    db.execute(
        "INSERT INTO ratings (id, event, rep, by, manager, drill, skill, at, rating, hits, "
        "total, spoken, answer) VALUES (1, ?, 1, 1, 0, 2, 3, ?, 3, 5, 4, 0, 'My answer')",
        (bytes.fromhex(uuid_id.replace("-", "")), at),
    )
    db.execute(
        "INSERT INTO ratings (id, event, rep, by, manager, drill, skill, at, rating, rubric, "
        "scores, context, note) VALUES (2, 'mgr', 1, 4, 1, NULL, 5, ?, 4, 6, "
        "'{\"agenda\": 5}', 'joint-call', 'Strong agenda')",
        (at,),
    )
    when = datetime(2026, 3, 2, 10, tzinfo=UTC)

    def check(store: Store) -> None:
        assert store.ratings("sam") == [
            SelfRating(id=uuid_id, by="sam", at=when, drill_uid="a/b", skill="closing",
                       rating=3, key_points_hit=(0, 2), key_points_total=4, answer="My answer"),
            ManagerRating(id="mgr", by="alex", rep="sam", at=when, rubric="joint-call",
                          scores={"agenda": 5}, rating=4, skill="discovery",
                          context="joint-call", note="Strong agenda"),
        ]  # fmt: skip
        assert store.requests() == [] and store.sharing("sam") is None
        assert store.file_marks() == {} and store.refusals() == []

    return check


def _seed_v4(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 4: the team layer; a workspace file's read mark has no file status yet
    # (version 5 adds it), so the next sync opens that file and checks its tail.
    db.execute("INSERT INTO names (id, name) VALUES (1, 'sam'), (2, 'a/b'), (3, 'closing')")
    at = micros(datetime(2026, 3, 2, 10, tzinfo=UTC))
    db.execute(
        "INSERT INTO ratings (id, event, rep, by, manager, drill, skill, at, rating, hits, "
        "total, spoken, answer, digest) VALUES (1, 'r-1', 1, 1, 0, 2, 3, ?, 3, 5, 4, 0, "
        "'My answer', 42)",
        (at,),
    )
    db.execute(
        "INSERT INTO team_files (path, size, lines, tail) "
        "VALUES ('events/sam/2026-03.jsonl', 300, 2, x'7d0a')"
    )

    def check(store: Store) -> None:
        assert [rating.id for rating in store.ratings("sam")] == ["r-1"]
        assert store.file_marks() == {"events/sam/2026-03.jsonl": (300, 2, b"}\n", None)}
        store.set_file_mark("events/sam/2026-03.jsonl", 400, 3, b"}\n", "1:2:3")
        assert store.file_marks()["events/sam/2026-03.jsonl"][3] == "1:2:3"

    return check


def _seed_v5(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 5: a card in review does not keep the number its last review's fuzz drew
    # (version 6 adds it); the book draws it again on first use (test_card_upkeep.py).
    at = micros(datetime(2026, 3, 2, 10, tzinfo=UTC))
    db.execute(
        "INSERT INTO cards (rep, drill, phase, step, stability, difficulty, due, last_review, "
        "reviews, lapses, first_review) VALUES ('sam', 'a/b', 2, NULL, 3.5, 5.1, ?, ?, 2, 0, ?)",
        (at + 4 * 86_400_000_000, at, at),
    )

    def check(store: Store) -> None:
        [row] = CardTable(store).all("sam")
        assert (row.uid, row.stability, row.reviews, row.fuzz) == ("a/b", 3.5, 2, None)
        assert CardTable(store).undrawn("sam") == [("a/b", 2)]

    return check


def _seed_v6(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 6: no coaching records, and a sharing choice says nothing of them (version 7
    # adds both); an earlier choice reads as sharing no coaching record.
    at = micros(datetime(2026, 3, 2, 10, tzinfo=UTC))
    db.execute("INSERT INTO names (id, name) VALUES (1, 'sam')")
    db.execute(
        "INSERT INTO sharing (event, member, at, answers) VALUES (?, 1, ?, 1)",
        (event_key("s-1"), at),
    )

    def check(store: Store) -> None:
        shared = store.sharing("sam")
        assert shared is not None
        assert (shared.answers, shared.vision, shared.debriefs) == (True, False, False)
        vision = Vision(by="sam", at=moment(at), in_2_years="Lead the SMB team", desire=8,
                        willingness=7)  # fmt: skip
        assert store.add(vision)
        assert store.latest_coaching("sam", Vision) == vision

    return check


def _seed_v7(db: sqlite3.Connection) -> Callable[[Store], None]:
    # Version 7: a rating row holds the request it answers and its import's digest (version
    # 8 moves both to tables of their own); both survive, and an answered request is closed.
    at = micros(datetime(2026, 3, 2, 10, tzinfo=UTC))
    db.execute("INSERT INTO names (id, name) VALUES (1, 'sam'), (2, 'alex'), (3, 'a/b'), "
               "(4, 'closing'), (5, 'joint-call')")  # fmt: skip
    db.execute(
        "INSERT INTO requests (event, rep, drill, at, answer, spoken, digest) "
        "VALUES (?, 1, 3, ?, 'My answer', 0, 7)",
        (event_key("q-1"), at),
    )
    db.execute(
        "INSERT INTO ratings (id, event, rep, by, manager, drill, skill, at, rating, rubric, "
        "scores, request, digest) VALUES (1, ?, 1, 2, 1, 3, 4, ?, 3, 5, '{}', ?, 42), "
        "(2, ?, 1, 1, 0, 3, 4, ?, 2, NULL, NULL, NULL, NULL)",
        (event_key("m-1"), at + 1, event_key("q-1"), event_key("r-2"), at + 2),
    )

    def check(store: Store) -> None:
        manager, own = store.ratings("sam")
        assert isinstance(manager, ManagerRating) and manager.request == "q-1"
        assert isinstance(own, SelfRating) and own.id == "r-2"
        assert store.requests(open_only=True) == []  # answered by m-1
        assert [request.id for request in store.requests()] == ["q-1"]
        assert store.answers(["q-1"]) == {"q-1": manager}
        assert store.import_event(manager, 42) == "known"
        assert store.import_event(manager, 43) == "conflict"
        assert store.import_event(own, 1) == "conflict"  # the rep's own, never imported
        columns = {row[1] for row in store.tuples("PRAGMA table_info(ratings)", ())}
        assert not columns & {"request", "digest"}

    return check


SEEDS: dict[int, Callable[[sqlite3.Connection], Callable[[Store], None]]] = {
    0: _seed_v0,
    1: _seed_v1,
    2: _seed_v2,
    3: _seed_v3,
    4: _seed_v4,
    5: _seed_v5,
    6: _seed_v6,
    7: _seed_v7,
}


def test_every_old_version_has_a_seed() -> None:
    assert set(SEEDS) == set(range(SCHEMA_VERSION))


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_migration_from_every_version_keeps_data(version: int, tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    backups = tmp_path / "backups"
    with connect(path) as db:
        migrate(db, target=version)
        assert schema_version(db) == version
        check = SEEDS[version](db)
    with Store(path, backups=backups) as store:
        assert schema_version(store._db) == SCHEMA_VERSION
        check(store)
    written = sorted(backups.glob(f"drillcoach-v{version}-*.db")) if backups.exists() else []
    if version > 0:
        assert len(written) == 1
        with connect(written[0]) as copy:
            assert schema_version(copy) == version
    else:
        assert written == []


def test_migration_backs_up_a_database_with_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup path, exercised with a stand-in migration 2 until a real one exists."""

    def add_goals(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE goals (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")

    path = tmp_path / "drillcoach.db"
    backups = tmp_path / "backups"
    with Store(path) as store:
        store.add(_review("kept"))
    current = SCHEMA_VERSION + 1
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, add_goals))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", current)
    with connect(path) as db:
        migrate(db, target=current, backups=backups, path=path)
        assert schema_version(db) == current
        assert db.execute("SELECT COUNT(*) FROM goals").fetchone()[0] == 0
        assert db.execute("SELECT event FROM ratings").fetchall() == [("kept",)]
    [backup] = backups.glob(f"drillcoach-v{SCHEMA_VERSION}-*.db")
    with connect(backup) as copy:
        assert schema_version(copy) == SCHEMA_VERSION
        assert copy.execute("SELECT event FROM ratings").fetchall() == [("kept",)]


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half (id INTEGER)")
        db.execute("THIS IS NOT SQL")

    path = tmp_path / "drillcoach.db"
    Store(path).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, broken))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with connect(path) as db:
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, target=SCHEMA_VERSION + 1)
        assert schema_version(db) == SCHEMA_VERSION
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert "half" not in names


def test_database_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    with connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(UserError) as caught:
        Store(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: written by a newer drillcoach (schema 99")
    assert "upgrade drillcoach" in message
    assert not _open_in_this_process(path), "the refused database was left open"
    with connect(path) as db:
        assert schema_version(db) == 99


def _open_in_this_process(path: Path) -> bool:
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc to see open files")
    found = False
    for fd in fds.iterdir():
        try:
            found = found or Path(os.readlink(fd)) == path
        except OSError:
            continue
    return found


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    path.write_bytes(b"these are my notes, not a database\n" * 100)
    with pytest.raises(MachineError, match=r"is damaged \(file is not a database\)") as caught:
        Store(path)  # damaged, not "not a drillcoach database": that invites deleting it
    assert caught.value.kind == "damaged"
    assert not _open_in_this_process(path)
    assert path.read_bytes().startswith(b"these are my notes")


def test_database_path_that_is_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    path.mkdir()
    with pytest.raises(UserError, match="drillcoach database"):
        Store(path)


# --- reviews are append-only events


def _review(event_id: str, **fields: Any) -> SelfRating:
    values: dict[str, Any] = {
        "by": "sam",
        "at": AT,
        "rating": 3,
        "drill_uid": "objections-core/price-too-high",
        "skill": "objection-handling",
        "id": event_id,
    }
    values.update(fields)
    return SelfRating(**values)


def _manager(event_id: str, **fields: Any) -> ManagerRating:
    values: dict[str, Any] = {
        "by": "alex",
        "rep": "sam",
        "at": AT,
        "rubric": "laer",
        "scores": {"listen": 3},
        "rating": 3,
        "drill_uid": "objections-core/price-too-high",
        "skill": "objection-handling",
        "id": event_id,
    }
    values.update(fields)
    return ManagerRating(**values)


def test_review_round_trip(store: Store) -> None:
    stored = _review(
        "full",
        suggested=2,
        duration_ms=41_500,
        time_limit=45,
        key_points_hit=(0, 2),
        key_points_total=4,
        mode="spoken",
        answer="I hear you on price...",
        replies=("Hi", "Sure"),
    )
    assert store.add(stored) is True
    [loaded] = store.ratings("sam")
    assert loaded == stored
    assert loaded.at == AT and loaded.at.tzinfo is not None
    assert loaded.key_points_hit == (0, 2)
    assert loaded.replies == ("Hi", "Sure")


def test_manager_review_round_trip(store: Store) -> None:
    stored = _manager(
        "mgr",
        by="alex",
        drill_uid=None,
        skill="discovery",
        rating=2,
        rubric="joint-call",
        scores={"agenda": 2, "questioning": 3},
        context="joint-call",
        note="Talked over the buyer",
    )
    store.add(stored)
    assert store.ratings("sam") == [stored]
    assert stored.scores == {"agenda": 2, "questioning": 3}


def test_duplicate_event_id_is_ignored(store: Store) -> None:
    assert store.add(_review("same-event", rating=3)) is True
    assert store.add(_review("same-event", rating=1, at=AT + timedelta(hours=1))) is False
    [only] = store.ratings("sam")
    assert (only.rating, only.at) == (3, AT)


def test_reviews_are_in_time_order_then_recorded_order(store: Store) -> None:
    store.add(_review("late", at=AT + timedelta(days=2)))
    store.add(_review("early", at=AT))
    store.add(_review("same-time", at=AT))
    store.add(_review("other-drill", at=AT + timedelta(days=1), drill_uid="x/y"))
    assert [r.id for r in store.ratings("sam")] == [
        "early",
        "same-time",
        "other-drill",
        "late",
    ]
    chosen = store.ratings("sam", ["objections-core/price-too-high"], since=AT + timedelta(hours=1))
    assert [r.id for r in chosen] == ["late"]
    assert store.ratings("someone-else") == []


def test_undo_appends_and_keeps_the_review(store: Store, drillcoach_home: Path) -> None:
    kept = _review("kept", at=AT)
    taken_back = _review("taken-back", at=AT + timedelta(minutes=1))
    store.add_many([kept, taken_back])
    assert store.last_recorded_self_rating("sam") == taken_back
    undo = Undo(by="sam", at=AT + timedelta(minutes=2), of=taken_back.id)
    store.add(undo)
    assert store.ratings("sam") == [kept]
    assert [r.id for r in store.ratings("sam", include_undone=True)] == ["kept", "taken-back"]
    assert store.last_recorded_self_rating("sam") == kept
    assert store.undos("sam") == [undo]
    with connect(drillcoach_home / "drillcoach.db") as db:
        assert db.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 2
        row_id = db.execute("SELECT id FROM ratings WHERE event = 'taken-back'").fetchone()[0]
        assert db.execute("SELECT rating FROM undos").fetchall() == [(row_id,)]
    assert store.add(undo) is False  # the same undo again changes nothing
    with pytest.raises(sqlite3.IntegrityError):
        store.add(Undo(by="sam", at=AT, of=taken_back.id))  # one undo per rating


def test_card_rows_round_trip(store: Store) -> None:
    cards = CardTable(store)
    first = CardRow("a/b", 2, None, 3.5, 5.1, AT + timedelta(days=3), AT, 2, 0, AT)
    second = CardRow("a/c", 3, 0, 0.4, 8.0, AT + timedelta(minutes=10), AT, 12, 8, AT)
    cards.put("sam", [first, second])
    assert cards.get("sam", ["a/b", "a/c", "a/x"]) == {"a/b": first, "a/c": second}
    assert cards.get("kim", ["a/b"]) == {}
    assert cards.due_uids("sam", AT + timedelta(days=1)) == [("a/c", 3)]
    assert cards.due_uids("sam", AT + timedelta(days=4)) == [("a/c", 3), ("a/b", 2)]
    assert cards.with_lapses("sam", 8) == [("a/c", 8)]
    assert cards.undrawn("sam") == [("a/b", 2)]
    assert cards.started("sam") == {"a/b", "a/c"}
    assert cards.started_since("sam", AT) == {"a/b", "a/c"}
    assert cards.started_since("sam", AT + timedelta(seconds=1)) == set()
    cards.set_draws("sam", [("a/b", 0.25)])
    assert cards.undrawn("sam") == [] and cards.get("sam", ["a/b"])["a/b"].fuzz == 0.25
    # a day per unit of stability: last review + round(3.5) = 4 days
    reviewing = "SELECT drill, round(stability) AS days FROM cards WHERE rep = :rep AND phase = 2"
    cards.move_dues("sam", reviewing, {})
    assert cards.get("sam", ["a/b"])["a/b"].due == AT + timedelta(days=4)
    assert cards.get("sam", ["a/c"])["a/c"].due == AT + timedelta(minutes=10)  # learning
    cards.delete("sam", ["a/b"])
    assert cards.all("sam") == [second]


def test_review_times_count_only_self_ratings(store: Store) -> None:
    store.add(_review("self", at=AT))
    store.add(_manager("mgr", at=AT + timedelta(hours=1)))
    store.add(_review("undone", at=AT + timedelta(hours=2)))
    store.add(Undo(by="sam", at=AT, of="undone"))
    assert store.self_rating_times("sam") == [AT]


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.add(_review("naive", at=datetime(2026, 3, 2, 10, 0)))
    assert store.ratings("sam") == []


# --- other tables


def test_settings_round_trip(store: Store) -> None:
    assert store.get_setting("disabled_packs", ["x"]) == ["x"]
    store.set_setting("disabled_packs", ["onboarding", "closing"])
    store.set_setting("disabled_packs", ["closing"])
    assert store.get_setting("disabled_packs") == ["closing"]


def test_assignments_ordered_by_due_date(store: Store) -> None:
    late = Assignment("q3", "alex", "closing", ("sam",), date(2026, 4, 1), "for Q3")
    soon = Assignment("q2", "alex", "discovery", ("*",), date(2026, 3, 10))
    store.save_assignment(late)
    store.save_assignment(soon)
    assert store.assignments() == [soon, late]
    assert soon.concerns("anyone") and late.concerns("sam") and not late.concerns("kim")
    store.save_assignment(Assignment("q3", "alex", "closing", ("sam",), date(2026, 3, 5)))
    assert [a.id for a in store.assignments()] == ["q3", "q2"]


def test_drill_actions_latest_wins(store: Store) -> None:
    uid = "objections-core/price-too-high"
    later = AT + timedelta(minutes=1)
    store.add(DrillAction(by="sam", at=AT, drill_uid=uid, action="suspend"))
    unsuspend = DrillAction(by="sam", at=later, drill_uid=uid, action="unsuspend")
    store.add(unsuspend)
    bury = DrillAction(
        by="sam", at=AT, drill_uid="x/y", action="bury", until=AT + timedelta(hours=18)
    )
    store.add(bury)
    assert store.drill_actions("sam") == {uid: unsuspend, "x/y": bury}
    assert store.drill_actions("kim") == {}


# --- durability


def test_rating_survives_sigkill(tmp_path: Path, drillcoach_home: Path) -> None:
    """A rating that record_self returned is on disk even if the process dies right away."""
    script = textwrap.dedent(
        """
        import sys, time
        from dataclasses import replace
        from datetime import UTC
        from drillcoach.config import Config
        from drillcoach.content import builtin_root, load_library
        from drillcoach.scheduling.recording import Attempt
        from drillcoach.scheduling.scheduler import DrillScheduler
        from drillcoach.store import Store
        from pathlib import Path

        home = Path(sys.argv[1])
        library = load_library([(builtin_root() / "drills", "built-in")])
        drill = library.packs["objections-core"].drills[0]
        store = Store(home / "drillcoach.db", backups=home / "backups")
        config = replace(Config(), member="sam", fuzz=False)
        scheduler = DrillScheduler(store, library, config, tz=UTC)
        rated = scheduler.record_self(drill, 3, Attempt(duration_ms=12000))
        print("ok", rated.event.id, drill.uid, flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(drillcoach_home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stderr is not None
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("ok "), line + (child.stderr.read() if child.stderr else "")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    _, event_id, uid = line.split()
    with Store(drillcoach_home / "drillcoach.db") as store:
        [review] = store.ratings("sam")
    assert isinstance(review, SelfRating)
    assert (review.id, review.drill_uid, review.rating, review.duration_ms) == (
        event_id,
        uid,
        3,
        12000,
    )
