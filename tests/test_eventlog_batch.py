"""The batched import of workspace events (team/eventlog.py, Store.import_ratings): the
fast way through a self-rating line stores exactly what the general way (parse, check,
import_event) stores and refuses exactly what it refuses; imports are idempotent by event
id; a replayed id with other content is refused with its file and line; a line still being
written waits; an import killed at any point and run again loses nothing and repeats
nothing; and a manager's sync over real git brings in a rep's day."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import drillcoach.team.eventlog as eventlog
from drillcoach.events import ManagerRating, SelfRating, Undo
from drillcoach.store import Store
from drillcoach.team.eventlog import Imported, encode, import_events
from drillcoach.team.workspace import Member, Membership, Team, make_workspace, write_team
from teamkit import git, hermetic_git

sys.path.append(str(Path(__file__).resolve().parent.parent))  # bench/ is a top-level package

from bench.team import DrillInfo, day_lines

ROOT = Path(__file__).resolve().parent.parent
DRILLS = [
    DrillInfo("objections-core/price-too-high", "objection-handling", 4, 60, "laer",
              ("listen", "acknowledge", "explore", "respond")),
    DrillInfo("discovery/open-questions", "discovery", 5, 90, "discovery", ("depth",)),
]  # fmt: skip
NEVER = re.compile(rb"(?!)")  # a fast way that matches nothing: the general way


def make_team(root: Path) -> Team:
    people = [
        Member("dana", "Dana Diaz", "manager"),
        Member("maria", "Maria Lopez", "manager", "dana"),
        Member("alice", "Alice Ng", "rep", "maria"),
        Member("bob", "Bob Stone", "rep", "maria"),
    ]
    team = make_workspace(root, "West sales", people[0])
    team = Team(team.root, team.name, {member.id: member for member in people})
    write_team(team)
    return team


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path / "ws")


@pytest.fixture
def maria(team: Team) -> Membership:
    return Membership(team, team.members["maria"])


def write(team: Team, member: str, month: str, lines: Sequence[str | bytes]) -> Path:
    folder = team.root / "events" / member
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month}.jsonl"
    data = b"".join(line if isinstance(line, bytes) else line.encode() for line in lines)
    with open(path, "ab") as file:
        file.write(data)
    return path


def alice_days(days: int, seed: int = 1) -> list[str]:
    lines: list[str] = []
    for day in range(1, days + 1):
        lines += day_lines("alice", date(2026, 3, day), random.Random(f"{seed}:{day}"), DRILLS, 6)
    return lines


def stored(store: Store) -> list[tuple[Any, ...]]:
    """Every imported rating, names spelt out, without the row id."""
    return store.tuples(
        "SELECT r.event, rep.name, by.name, r.manager, d.name, s.name, r.at, r.rating, "
        "r.suggested, r.duration_ms, r.time_limit, r.hits, r.total, r.spoken, r.answer, "
        "r.replies, r.rubric, r.scores, r.context, r.note, q.request, k.digest FROM ratings r "
        "JOIN names rep ON rep.id = r.rep JOIN names by ON by.id = r.by "
        "LEFT JOIN names d ON d.id = r.drill JOIN names s ON s.id = r.skill "
        "LEFT JOIN rating_requests q ON q.rating = r.id "
        "LEFT JOIN rating_digests k ON k.rating = r.id ORDER BY r.id"
    )


def both_ways(
    tmp_path: Path, team: Team, maria: Membership, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[list[Any], Imported], tuple[list[Any], Imported]]:
    """The workspace imported into two stores: the fast way, and the general way only."""
    found = []
    for name, fast in (("fast", True), ("general", False)):
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(eventlog, "_REVIEW_LINE", NEVER)
            with Store(tmp_path / f"{name}.db") as store:
                imported = import_events(store, maria)
                found.append((stored(store), imported))
    return found[0], found[1]


# --- the fast way and the general way agree


def test_generated_lines_are_what_export_writes() -> None:
    for line in alice_days(3):
        event = eventlog.parse_line(line.encode())
        assert isinstance(event, SelfRating)
        assert encode(event, share_answers=False) == line.encode()


def mutations(line: str, rng: random.Random) -> Iterator[str]:
    """Lines like ``line`` with one thing changed: some still valid, most not."""
    data = json.loads(line)
    swaps: list[tuple[str, Any]] = [
        ("v", 2), ("v", 1.0), ("v", True), ("id", "A" + data["id"][1:]), ("id", "x"),
        ("id", "../up"), ("by", "bob"), ("by", "Alice"), ("at", "2026-02-30T10:00:00.000000+00:00"),
        ("at", "2026-03-01T24:00:00.000000+00:00"), ("at", "1999-12-31T23:59:59.000000+00:00"),
        ("at", "2026-03-01T10:00:00.000000+01:00"), ("at", "2026-03-01T10:00:00+00:00"),
        ("at", "2026-03-01T10:00:00.000000"), ("drill_uid", "no-slash"),
        ("drill_uid", "Pack/drill"), ("skill", "Skill"), ("rating", 5), ("rating", 0),
        ("rating", 2.0), ("rating", True), ("suggested", None), ("suggested", 9),
        ("duration_ms", -1), ("duration_ms", 10**20), ("duration_ms", 10**15),
        ("duration_ms", 99), ("duration_ms", "99"), ("time_limit", None),
        ("key_points_hit", []), ("key_points_hit", [64]), ("key_points_hit", [3, 3, 0]),
        ("key_points_hit", [True]), ("key_points_total", None), ("mode", "spoken"),
        ("mode", "typed"), ("mode", "sung"), ("answer", "I hear you."), ("answer", ""),
        ("answer", 'Say "why"\nthen wait.'), ("answer", "é" * 20_001), ("answer", "ok ✓"),
        ("replies", ["one", "two"]), ("extra", 1), ("type", "rating"),
    ]  # fmt: skip

    def fresh() -> dict[str, Any]:  # a new id: a valid mutation is a new event
        return {**data, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}

    for key, value in swaps:
        changed = fresh() if key != "id" else dict(data)
        changed[key] = value
        yield json.dumps(changed, ensure_ascii=False, separators=(",", ":"))
    for key in ("id", "suggested", "key_points_hit", "at"):
        yield json.dumps({k: v for k, v in fresh().items() if k != key}, separators=(",", ":"))
    yield json.dumps(fresh())  # spaces after separators
    yield json.dumps(dict(reversed(list(fresh().items()))), separators=(",", ":"))
    yield line.replace('"v":1', '"v":1,"v":1')
    yield line.replace('"rating":', '"rating":0')  # a leading zero: not JSON
    yield line + "x"
    yield line.replace('"', "'")
    yield "\ufeff" + line
    cut = rng.randrange(1, len(line))
    yield line[:cut]


def test_fast_and_general_ways_store_and_refuse_the_same(
    tmp_path: Path, team: Team, maria: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    lines = alice_days(2)
    mutated = [m for line in lines[:6] for m in mutations(line, rng)]
    body = [*lines, *(m + "\n" for m in mutated), "\n", "   \n", '{"v":1}\n']
    write(team, "alice", "2026-03", body)
    write(team, "alice", "2026-04", [b'{"v":1,"answer":"\xff"}\n', b"\xed\xa0\x80\n"])
    (fast_rows, fast), (general_rows, general) = both_ways(tmp_path, team, maria, monkeypatch)
    assert fast_rows == general_rows
    assert fast.refused == general.refused
    assert (fast.added, fast.known, fast.touched) == (general.added, general.known,
                                                      general.touched)  # fmt: skip
    assert fast.added >= len(lines) + 6 * 12  # the valid mutations were kept too
    assert fast.known > 0  # the mutations of nothing but the id's case, say
    reasons = {refusal.reason for refusal in fast.refused}
    assert "a number out of range" in reasons  # 10**20 is refused, not a crash
    assert "missing key 'id'" in reasons


def test_fast_way_takes_a_shared_answer(
    tmp_path: Path, team: Team, maria: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = SelfRating(by="alice", at=datetime(2026, 3, 2, 9, tzinfo=UTC), drill_uid="a/b",
                       skill="discovery", rating=3, answer="Naïve? Not at all — ask why.",
                       mode="spoken", key_points_hit=(2, 0), key_points_total=3)  # fmt: skip
    write(team, "alice", "2026-03", [encode(event, share_answers=True)])
    (fast_rows, fast), (general_rows, _) = both_ways(tmp_path, team, maria, monkeypatch)
    assert fast_rows == general_rows and fast.added == 1
    assert fast_rows[0][14] == "Naïve? Not at all — ask why." and fast_rows[0][11] == 0b101


# --- idempotent by event id; a replayed id with other content refused


def test_import_is_idempotent_by_event_id(tmp_path: Path, team: Team, maria: Membership) -> None:
    lines = alice_days(3)
    write(team, "alice", "2026-03", lines)
    with Store(tmp_path / "s.db") as store:
        first = import_events(store, maria)
        assert (first.added, first.known, first.refused) == (len(lines), 0, [])
        assert first.touched["alice"] == {d.uid for d in DRILLS}
        again = import_events(store, maria)
        assert (again.added, again.known, again.files) == (0, 0, 0)  # nothing new to read
        store.query("DELETE FROM team_files")  # every mark lost: everything read again
        reread = import_events(store, maria)
        assert (reread.added, reread.known, reread.refused) == (0, len(lines), [])
        assert reread.touched == {}
        copied = write(team, "alice", "2026-04", lines[:5])  # the same lines in another file
        later = import_events(store, maria)
        assert (later.added, later.known, later.refused) == (0, 5, [])
        assert copied.exists()
        assert store.tuples("SELECT COUNT(*) FROM ratings")[0][0] == len(lines)


def test_a_replayed_id_with_other_content_is_refused_with_file_and_line(
    tmp_path: Path, team: Team, maria: Membership
) -> None:
    lines = alice_days(1)
    first = json.loads(lines[0])
    forged = json.dumps({**first, "rating": 1 if first["rating"] != 1 else 4},
                        separators=(",", ":")) + "\n"  # fmt: skip
    # within one file (the first kept), and across files and syncs
    write(team, "alice", "2026-03", [*lines, forged, lines[1]])
    with Store(tmp_path / "s.db") as store:
        result = import_events(store, maria)
        assert result.added == len(lines) and result.known == 1
        assert [(r.file, r.line) for r in result.refused] == [
            ("events/alice/2026-03.jsonl", len(lines) + 1)
        ]
        assert f"event id {first['id']} is already used by another event" in str(result.refused[0])
        write(team, "alice", "2026-04", [forged])
        later = import_events(store, maria)
        assert [(r.file, r.line) for r in later.refused] == [("events/alice/2026-04.jsonl", 1)]
        rating = store.tuples("SELECT rating FROM ratings WHERE id = 1")[0][0]
        assert rating == first["rating"]


def test_own_events_coming_back_are_a_conflict(tmp_path: Path, team: Team) -> None:
    """An event of this profile's own (no digest) under an id a rep's file uses."""
    line = alice_days(1)[0]
    event = eventlog.parse_line(line.encode())
    assert isinstance(event, SelfRating)
    write(team, "alice", "2026-03", [line])
    with Store(tmp_path / "s.db") as store:
        store.add(event)  # as if it were mine
        result = import_events(store, Membership(team, team.members["maria"]))
        assert result.added == 0 and len(result.refused) == 1


def test_undo_and_manager_rating_in_order_with_the_batch(
    tmp_path: Path, team: Team, maria: Membership
) -> None:
    lines = alice_days(1)
    taken_back = json.loads(lines[2])["id"]
    undo = Undo(by="alice", at=datetime(2026, 3, 1, 23, tzinfo=UTC), of=taken_back)
    write(team, "alice", "2026-03", [*lines[:3], encode(undo, share_answers=False), *lines[3:]])
    rating = ManagerRating(by="dana", rep="alice", at=datetime(2026, 3, 2, 9, tzinfo=UTC),
                           rubric="laer", scores={"listen": 4}, rating=3,
                           skill="objection-handling",
                           drill_uid="objections-core/price-too-high")  # fmt: skip
    write(team, "dana", "2026-03", [encode(rating, share_answers=False)])
    with Store(tmp_path / "s.db") as store:
        result = import_events(store, maria)
        assert result.refused == [] and result.added == len(lines) + 2
        assert store.is_undone(taken_back)
        assert [r.id for r in store.manager_ratings("alice")] == [rating.id]
    with Store(tmp_path / "alice.db") as store:  # alice keeps dana's rating of her: news
        mine = import_events(store, Membership(team, team.members["alice"]))
        assert mine.added == 1 and mine.news == [rating]
        assert mine.touched == {"alice": {"objections-core/price-too-high"}}


# --- a line still being written, and interruptions


def test_a_line_still_being_written_waits(tmp_path: Path, team: Team, maria: Membership) -> None:
    lines = alice_days(1)
    path = write(team, "alice", "2026-03", [*lines[:3], lines[3][:40]])
    with Store(tmp_path / "s.db") as store:
        assert import_events(store, maria).added == 3
        assert import_events(store, maria).files == 0  # still no whole new line
        with open(path, "ab") as file:
            file.write((lines[3][40:] + lines[4] + '{"v":').encode())
        result = import_events(store, maria)
        assert (result.added, result.refused) == (2, [])
        assert store.file_marks()["events/alice/2026-03.jsonl"][1] == 5
        with open(path, "ab") as file:
            file.write(b"oops\n")
        broken = import_events(store, maria)
        assert [(r.line, r.reason) for r in broken.refused] == [(6, "not a JSON object")]


def test_a_file_unchanged_since_it_was_read_is_passed_over_unopened(
    team: Team, maria: Membership, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = alice_days(2)
    path = write(team, "alice", "2026-03", lines)
    with Store(tmp_path / "s.db") as store:
        assert import_events(store, maria).added == len(lines)
        mark = store.file_marks()["events/alice/2026-03.jsonl"]
        assert mark[3] is None  # written a moment ago: checked by its tail next time
        monkeypatch.setattr(eventlog, "SETTLED_NS", 0)
        assert import_events(store, maria).files == 0  # its status noted now
        assert store.file_marks()["events/alice/2026-03.jsonl"][3] is not None

        def unopened(*_: object) -> Any:
            raise AssertionError("an unchanged file was opened")

        monkeypatch.setattr(eventlog, "_new_bytes", unopened)
        assert import_events(store, maria).files == 0
        monkeypatch.undo()
        monkeypatch.setattr(eventlog, "SETTLED_NS", 0)
        # rewritten in place, same size, its time set back: its ctime still moved, so it is
        # opened; its last bytes differ, so it is read again from its start, and the other
        # content of a known id is refused
        opened: list[str] = []
        new_bytes = eventlog._new_bytes

        def counted(path: str, mark: Any) -> Any:
            opened.append(path)
            return new_bytes(path, mark)

        monkeypatch.setattr(eventlog, "_new_bytes", counted)
        before = os.stat(path)
        data = path.read_bytes()
        last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        total = re.search(rb'"key_points_total":([1-8])\}\Z', last)
        assert total is not None
        line = last[: total.start(1)] + str(int(total.group(1)) + 1).encode() + b"}"
        assert len(line) == len(last)
        with open(path, "r+b") as file:
            file.seek(len(data) - 1 - len(last))
            file.write(line)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert os.stat(path).st_size == before.st_size
        again = import_events(store, maria)
        assert len(opened) == 1
        assert again.known == len(lines) - 1
        assert [(r.line, "already used" in r.reason) for r in again.refused] == [(len(lines), True)]
        # and a file turned into a link is refused, never passed over
        path.unlink()
        os.symlink(tmp_path / "elsewhere.jsonl", path)
        linked = import_events(store, maria)
        assert [r.line for r in linked.refused] == [0]


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import drillcoach.team.eventlog as eventlog
    from drillcoach.store import Store
    from drillcoach.team.workspace import Membership, read_team

    where, database, after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    eventlog.IMPORT_COMMIT_EVERY = 20  # files 1 and 2 share a transaction, 3 and 4 too
    marks = 0
    original = Store.set_file_mark

    def set_file_mark(self, *args):
        global marks
        original(self, *args)
        marks += 1
        if marks == after:  # this file's lines and mark are written, not yet committed
            os.kill(os.getpid(), signal.SIGKILL)

    Store.set_file_mark = set_file_mark
    team = read_team(Path(where))
    store = Store(Path(database))
    eventlog.import_events(store, Membership(team, team.members["maria"]))
    """
)


@pytest.mark.parametrize("after", [1, 2, 3, 4])
def test_an_import_killed_at_any_point_and_run_again_loses_and_repeats_nothing(
    tmp_path: Path, team: Team, maria: Membership, after: int
) -> None:
    lines = alice_days(6)
    for month, part in (("2026-01", lines[:10]), ("2026-02", lines[10:25]),
                        ("2026-03", lines[25:])):  # fmt: skip
        write(team, "alice", month, part)
    write(team, "bob", "2026-03", [line.replace('"by":"alice"', '"by":"bob"') for line in
                                   alice_days(2, seed=9)])  # fmt: skip
    everything = len(lines) + len(alice_days(2, seed=9))
    database = tmp_path / "killed.db"
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(team.root), str(database),
                           str(after)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})  # fmt: skip
    assert done.returncode == -9, done.stderr
    with Store(database) as store:
        before = store.tuples("SELECT COUNT(*) FROM ratings")[0][0]
        marked = store.file_marks()
        assert before < everything
        if before:  # whatever was committed came with its files' marks
            counted = sum(mark[1] for mark in marked.values())
            assert counted == before
        result = import_events(store, maria)
        assert result.refused == [] and result.known == 0
        assert result.added == everything - before
        rows = store.tuples("SELECT COUNT(*), COUNT(DISTINCT event) FROM ratings")[0]
        assert rows == (everything, everything)


def test_a_failure_mid_import_keeps_committed_files_only(
    tmp_path: Path, team: Team, maria: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = alice_days(8)
    assert len(lines) > 30
    write(team, "alice", "2026-01", lines[:30])
    write(team, "alice", "2026-02", lines[30:])
    monkeypatch.setattr(eventlog, "IMPORT_COMMIT_EVERY", 1)  # each file commits alone
    calls = 0
    original = Store.import_ratings

    def failing(self: Store, rows: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return original(self, rows, **kwargs)

    with Store(tmp_path / "s.db") as store:
        monkeypatch.setattr(Store, "import_ratings", failing)
        with pytest.raises(Exception, match=r"disk I/O error|not saved"):
            import_events(store, maria)
        assert store.tuples("SELECT COUNT(*) FROM ratings")[0][0] == 30
        assert list(store.file_marks()) == ["events/alice/2026-01.jsonl"]
        monkeypatch.setattr(Store, "import_ratings", original)
        assert import_events(store, maria).added == len(lines) - 30


# --- over real git: a rep pushes a day, the manager syncs


def test_manager_sync_over_git_brings_in_a_reps_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillcoach.config import resolve_paths, set_value
    from drillcoach.services import open_services
    from drillcoach.team.sync import sync
    from helpers import FakeClock

    hermetic_git(tmp_path, monkeypatch)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "--quiet", str(remote), str(seed))
    team = make_team(seed)
    write(team, "alice", "2026-03", alice_days(2))
    git(seed, "add", "--all")
    git(seed, "commit", "--quiet", "-m", "team")
    git(seed, "push", "--quiet", "origin", "HEAD")
    maria_ws = tmp_path / "maria-ws"
    git(tmp_path, "clone", "--quiet", str(remote), str(maria_ws))
    home = tmp_path / "maria-home"
    monkeypatch.setenv("DRILLCOACH_HOME", str(home))
    paths = resolve_paths(None)
    set_value(paths, "workspace", str(maria_ws))
    set_value(paths, "member", "maria")
    services = open_services(None, clock=FakeClock(datetime(2026, 3, 4, 9, tzinfo=UTC)), tz=UTC)
    try:
        first = sync(services)
        assert first.added == len(alice_days(2)) and first.refused == []
        day = day_lines("alice", date(2026, 3, 3), random.Random(3), DRILLS, 6)
        first_line = json.loads(day[0])
        forged = json.dumps({**first_line, "rating": 1 if first_line["rating"] != 1 else 2},
                            separators=(",", ":")) + "\n"  # fmt: skip
        write(team, "alice", "2026-03", [*day, forged])
        git(seed, "add", "--all")
        git(seed, "commit", "--quiet", "-m", "alice's day")
        git(seed, "push", "--quiet", "origin", "HEAD")
        second = sync(services)
        assert (second.added, second.known) == (len(day), 0)
        total = len(alice_days(2)) + len(day) + 1
        assert [(r.file, r.line) for r in second.refused] == [("events/alice/2026-03.jsonl", total)]
        again = sync(services)
        assert (again.added, again.known, again.refused) == (0, 0, [])
        count = services.store.tuples("SELECT COUNT(*) FROM ratings")[0][0]
        assert count == total - 1
    finally:
        services.close()
