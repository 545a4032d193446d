"""The rep's history is never lost to the machine: opening says truthfully what is wrong
(locked, full, I/O, damaged), an emptied file is not started afresh while backups exist,
a dated backup is made once a day, doctor finds damage and names the backup to restore,
restore keeps what it replaces, and every older schema's real file migrates intact."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.errors import MachineError, UserError
from drillcoach.events import Assignment, ManagerRating, SelfRating
from drillcoach.scheduling.rules import GOOD
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.services import open_services
from drillcoach.store import Store
from drillcoach.store import db as db_module
from drillcoach.store.backup import backup_on_start, backups, daily_backup, integrity_problems
from drillcoach.store.migrations import SCHEMA_VERSION, schema_version
from helpers import DrillDoc, FakeClock, PackDoc, fill, one_line, small_disk, write_config
from helpers import run_cli as run

FIXTURES = Path(__file__).parent / "fixtures"
NOTES = b"these are my notes, not a database\n" * 100


# --- shared with test_readonly.py


def rate(home: Path, clock: FakeClock, count: int = 1) -> list[str]:
    """Rate the first ``count`` drills of today's queue Good, a minute apart."""
    if not (home / "config.toml").exists():
        write_config(home)
    services = open_services(home, clock=clock, tz=UTC)
    try:
        drills = [item.drill for item in services.scheduler.queue().items[:count]]
        for drill in drills:
            services.scheduler.record_self(drill, GOOD)
            clock.advance(minutes=1)
        return [drill.uid for drill in drills]
    finally:
        services.close()


def reopen(home: Path, clock: FakeClock) -> None:
    """Start drillcoach once (which makes the day's backup) and close it."""
    open_services(home, clock=clock, tz=UTC).close()


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another drillcoach's lock is waited for 0.1 s, not 5."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)


@contextmanager
def write_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another drillcoach in the middle of a write (an uncommitted rating) on ``path``."""
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        if other.execute("SELECT 1 FROM sqlite_master WHERE name = 'settings'").fetchone():
            other.execute("INSERT INTO settings (key, value) VALUES ('other', '1')")
        try:
            yield other
        finally:
            other.execute("ROLLBACK")


def old_copy(version: int, folder: Path) -> Path:
    """A copy of the committed database of schema ``version``, as drillcoach.db."""
    path = folder / "drillcoach.db"
    shutil.copyfile(FIXTURES / f"drillcoach-v{version}.db", path)
    return path


def corrupt(path: Path) -> None:
    """Overwrite the first page of every table and index: the schema (page 1 and what
    overflows from it) reads, the tables do not."""
    with closing(sqlite3.connect(path)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        roots = [row[0] for row in db.execute("SELECT rootpage FROM sqlite_master")
                 if row[0] and row[0] > 1]  # fmt: skip
    assert len(roots) > 3
    with path.open("r+b") as file:
        for root in roots:
            file.seek((root - 1) * page_size)
            file.write(b"\x55" * page_size)


# --- A. opening says what is wrong, truthfully


def test_a_database_another_drillcoach_holds_is_locked_not_damaged(
    tmp_path: Path, short_busy: None
) -> None:
    path = old_copy(2, tmp_path)  # a rollback journal: upgrading it needs the file alone
    before = path.read_bytes()
    with write_lock(path), pytest.raises(MachineError) as caught:
        Store(path, backups=tmp_path / "backups")
    assert caught.value.kind == "locked"
    assert str(caught.value) == f"{path} is in use by another drillcoach; close it and try again"
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content", [NOTES, b"SQLite format 3\x00" + b"\x07" * 8000], ids=["notes", "bad-header"]
)
def test_a_file_that_is_not_a_database_is_damaged_and_left_alone(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "drillcoach.db"
    path.write_bytes(content)
    wal = tmp_path / "drillcoach.db-wal"
    wal.write_bytes(b"what may be the last ratings")
    with pytest.raises(MachineError) as caught:
        Store(path, backups=tmp_path / "backups")
    assert caught.value.kind == "damaged"
    message = str(caught.value)
    assert message.startswith(f"{path} is damaged (")
    assert message.endswith(
        "; 'drillcoach doctor' checks it and 'drillcoach restore' lists the backups"
    )
    assert path.read_bytes() == content
    assert wal.read_bytes() == b"what may be the last ratings"
    assert not (tmp_path / "drillcoach.db-journal").exists()
    assert not (tmp_path / "backups").exists()


def test_a_damaged_database_is_one_line_and_exit_1(
    drillcoach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = drillcoach_home / "drillcoach.db"
    database.write_bytes(NOTES)
    code, out, err = run(capsys, "today")
    assert (code, out) == (1, "")
    line = one_line(err)
    assert line.startswith(f"drillcoach: {database} is damaged (file is not a database)")
    assert "'drillcoach doctor'" in line and "'drillcoach restore'" in line
    assert database.read_bytes() == NOTES


def test_a_full_disk_at_open_says_full(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        fill(disk)
        path = disk / "drillcoach.db"
        with pytest.raises(MachineError) as caught:
            Store(path)
    assert caught.value.kind == "full"
    assert str(caught.value) == f"{path}: the disk is full; free some space and try again"


def test_an_io_error_at_open_says_io(tmp_path: Path) -> None:
    """A write the system refuses (here: over the process's file size limit, EFBIG) is
    what SQLite reports as a disk I/O error."""
    pytest.importorskip("resource")
    path = tmp_path / "drillcoach.db"
    script = textwrap.dedent(
        """
        import resource, signal, sys
        from pathlib import Path
        from drillcoach.errors import MachineError
        from drillcoach.store import Store

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
        try:
            Store(Path(sys.argv[1]))
        except MachineError as error:
            print(error.kind)
            print(error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    kind, message = done.stdout.splitlines()
    assert kind == "io"
    assert message == (
        f"{path}: the disk reported an error (disk I/O error); check the disk and try again"
    )


def test_a_newer_database_is_still_the_reps_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 99")
    for readonly in (None, True):
        with pytest.raises(UserError, match="written by a newer drillcoach"):
            Store(path, readonly=readonly)


# --- E. an emptied database is not started afresh while backups exist


def test_an_empty_database_with_backups_is_refused(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock)
    reopen(drillcoach_home, clock)
    assert backups(drillcoach_home / "backups")
    database = drillcoach_home / "drillcoach.db"
    database.write_bytes(b"")
    with pytest.raises(MachineError) as caught:
        Store(database, backups=drillcoach_home / "backups")
    assert caught.value.kind == "damaged"
    assert str(caught.value) == (
        f"{database} is empty, yet there are backups; 'drillcoach restore' lists them "
        "(or move the file away to start afresh)"
    )
    code, out, err = run(capsys, "today")
    assert (code, out) == (1, "")
    assert one_line(err) == f"drillcoach: {caught.value}"
    assert database.read_bytes() == b""


def test_a_database_without_drillcoach_tables_with_backups_is_refused(tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "drillcoach-v2.db", tmp_path / "drillcoach-v2-old.db")
    path = tmp_path / "drillcoach.db"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(MachineError, match=r"holds no drillcoach data, yet there are backups"):
        Store(path, backups=tmp_path)
    with closing(sqlite3.connect(path)) as db:
        assert [row[0] for row in db.execute("SELECT name FROM sqlite_master")] == ["notes"]


@pytest.mark.parametrize("empty_file", [True, False], ids=["empty-file", "no-file"])
def test_without_backups_an_empty_or_missing_database_starts_afresh(
    tmp_path: Path, empty_file: bool
) -> None:
    path = tmp_path / "drillcoach.db"
    if empty_file:
        path.write_bytes(b"")
    (tmp_path / "backups").mkdir()
    with Store(path, backups=tmp_path / "backups") as store:
        assert schema_version(store._db) == SCHEMA_VERSION
        assert not store.holds_events()


# --- C. a dated backup once a day


def a_database(path: Path, ratings: int = 1) -> Path:
    with Store(path) as store:
        for number in range(ratings):
            store.add(rating(f"r{number}"))
    return path


def rating(event_id: str, drill_uid: str = "objections-core/price-too-high") -> SelfRating:
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    return SelfRating(
        id=event_id, by="sam", at=at, drill_uid=drill_uid, skill="objection-handling", rating=3
    )


def ratings_in(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT COUNT(*) FROM ratings").fetchone()[0])


def test_one_backup_a_day_the_newest_kept_and_migration_backups_never_removed(
    tmp_path: Path,
) -> None:
    database = a_database(tmp_path / "drillcoach.db", ratings=2)
    folder = tmp_path / "backups"
    folder.mkdir()
    migration = folder / "drillcoach-v2-20260101-000000-000000.db"
    shutil.copyfile(FIXTURES / "drillcoach-v2.db", migration)

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 3, day, hour, 0, 0, 250, tzinfo=UTC)

    first = daily_backup(database, folder, 2, at(2, 9))
    assert first == folder / "drillcoach-20260302-090000-000250.db"
    assert daily_backup(database, folder, 2, at(2, 23)) is None  # one a calendar day
    second = daily_backup(database, folder, 2, at(3, 8))
    third = daily_backup(database, folder, 2, at(4, 8))
    assert second is not None and third is not None
    assert sorted(folder.iterdir()) == sorted([second, third, migration])
    assert daily_backup(database, folder, 0, at(5, 8)) is None  # 0: no daily backups
    assert sorted(folder.iterdir()) == sorted([second, third, migration])
    for copy in (second, third):
        assert ratings_in(copy) == 2
        assert integrity_problems(copy) == []
        with closing(sqlite3.connect(copy)) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file


def test_a_backup_is_consistent_while_the_wal_holds_data(tmp_path: Path) -> None:
    database = tmp_path / "drillcoach.db"
    with Store(database) as store:
        store._db.execute("PRAGMA wal_autocheckpoint = 0")  # every rating stays in the WAL
        for number in range(40):
            store.add(rating(f"r{number}"))
        assert database.with_name("drillcoach.db-wal").stat().st_size > 40 * 4096
        with write_lock(database):  # and one more rating, not committed yet
            copy = daily_backup(database, tmp_path / "backups", 7, datetime.now(UTC))
    assert copy is not None
    assert ratings_in(copy) == 40
    assert integrity_problems(copy) == []


def test_starting_drillcoach_backs_up_once_a_day_once_there_are_ratings(
    drillcoach_home: Path, clock: FakeClock
) -> None:
    folder = drillcoach_home / "backups"
    reopen(drillcoach_home, clock)
    assert not folder.exists()  # nothing to keep yet
    rate(drillcoach_home, clock)
    reopen(drillcoach_home, clock)
    reopen(drillcoach_home, clock)
    [first] = backups(folder)
    assert first.name == f"drillcoach-{clock.now:%Y%m%d-%H%M%S-%f}.db"
    clock.advance(days=1)
    reopen(drillcoach_home, clock)
    assert len(backups(folder)) == 2
    write_config(drillcoach_home, backups_kept=0)
    clock.advance(days=1)
    reopen(drillcoach_home, clock)
    assert len(backups(folder)) == 2


def test_a_failed_backup_is_one_warning_and_drillcoach_goes_on(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock)
    (drillcoach_home / "backups").write_text("a file where the backups folder goes")
    capsys.readouterr()
    services = open_services(drillcoach_home, clock=clock, tz=UTC)
    try:
        assert len(services.store.ratings("sam")) == 1
    finally:
        services.close()
    out, err = capsys.readouterr()
    assert out == ""
    assert one_line(err).startswith("drillcoach: warning: no backup made today (")


def test_a_damaged_database_never_pushes_out_the_good_backups(tmp_path: Path) -> None:
    database = a_database(tmp_path / "drillcoach.db", ratings=120)
    folder = tmp_path / "backups"
    good = daily_backup(database, folder, 1, datetime(2026, 3, 2, 9, tzinfo=UTC))
    corrupt(database)
    with pytest.raises(sqlite3.DatabaseError, match="fails its integrity check"):
        daily_backup(database, folder, 1, datetime(2026, 3, 3, 9, tzinfo=UTC))
    assert sorted(folder.iterdir()) == [good]


def test_starting_on_a_damaged_database_warns_and_keeps_the_backups(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock, count=3)
    reopen(drillcoach_home, clock)
    [good] = backups(drillcoach_home / "backups")
    corrupt(drillcoach_home / "drillcoach.db")
    capsys.readouterr()
    with Store(drillcoach_home / "drillcoach.db") as store:  # its first page still reads
        backup_on_start(store, drillcoach_home / "backups", 7, clock.now + timedelta(days=1))
    assert one_line(capsys.readouterr().err).startswith(
        "drillcoach: warning: no backup made today ("
    )
    assert backups(drillcoach_home / "backups") == [good]


def test_migration_backups_in_one_second_do_not_overwrite_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for number in range(3):
        (tmp_path / str(number)).mkdir()
        Store(old_copy(2, tmp_path / str(number)), backups=folder).close()
    made = sorted(path.name for path in folder.iterdir())
    assert len(made) == 3
    assert all(re.fullmatch(r"drillcoach-v2-\d{8}-\d{6}-\d{6}\.db", name) for name in made)


# --- D. doctor: the file first, then the cards, then events of drills no pack has


def test_doctor_names_the_damage_and_the_newest_good_backup(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock, count=3)
    reopen(drillcoach_home, clock)
    [good] = backups(drillcoach_home / "backups")
    newer = drillcoach_home / "backups" / "drillcoach-20260303-100000-000000.db"
    newer.write_bytes(NOTES)  # a newer backup that fails its own check is passed over
    database = drillcoach_home / "drillcoach.db"
    corrupt(database)
    damaged = database.read_bytes()

    code, out, err = run(capsys, "doctor")
    assert (code, out) == (1, "")
    first, second = err.splitlines()
    assert first.startswith(f"{database} is damaged: ")
    made = datetime.fromtimestamp(good.stat().st_mtime).astimezone()
    assert second == (
        f"the newest good backup is {good.name} ({made:%Y-%m-%d %H:%M}, 3 rating(s)); "
        f"restore it with: drillcoach restore {good.name}"
    )
    assert database.read_bytes() == damaged

    code, out, err = run(capsys, "restore", good.name)
    assert code == 0, err
    code, out, err = run(capsys, "doctor")
    assert (code, out, err) == (0, "ok: 3 card(s) agree with the rating history\n", "")


def test_doctor_without_a_good_backup_says_so(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock, count=3)
    corrupt(drillcoach_home / "drillcoach.db")
    code, out, err = run(capsys, "doctor")
    assert (code, out) == (1, "")
    assert err.splitlines()[1] == (
        f"no backup in {drillcoach_home / 'backups'} passes its integrity check; keep the "
        "damaged file: sqlite3's .recover command may save part of it"
    )


def test_doctor_notes_events_of_drills_no_pack_has_and_keeps_them(
    drillcoach_home: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    import tomli_w

    write_config(drillcoach_home)
    pack = drillcoach_home / "packs" / "retired.toml"
    pack.parent.mkdir()
    pack.write_text(tomli_w.dumps(pack_doc("retired", drills=[drill_doc("a"), drill_doc("b")])))
    services = open_services(drillcoach_home, clock=clock, tz=UTC)
    try:
        a, b = services.library.packs["retired"].drills
        services.scheduler.record_self(a, GOOD)
        services.scheduler.suspend(b)
    finally:
        services.close()
    pack.rename(pack.with_suffix(".off"))

    code, out, err = run(capsys, "doctor")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "note: 1 rating(s) of 1 drill(s) no loaded pack has (e.g. retired/a) are kept: "
        "their history returns if the drill does",
        "note: 1 drill(s) no loaded pack has were suspended or buried (e.g. retired/b); "
        "kept, and harmless",
        "ok: 1 card(s) agree with the rating history",
    ]

    pack.with_suffix(".off").rename(pack)
    code, out, err = run(capsys, "doctor")
    assert (code, out) == (0, "ok: 1 card(s) agree with the rating history\n")
    services = open_services(drillcoach_home, clock=clock, tz=UTC)
    try:
        assert services.scheduler.state(services.library.packs["retired"].drills[0]).reviews == 1
    finally:
        services.close()


# --- D. restore


def test_restore_lists_the_backups_newest_first(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = drillcoach_home / "backups"
    code, out, _ = run(capsys, "restore")
    assert (code, out) == (
        0,
        f"no backups yet in {folder}\n"
        "drillcoach makes one a day, when it starts, once there are ratings\n",
    )
    rate(drillcoach_home, clock)
    reopen(drillcoach_home, clock)  # the first day's backup: 1 rating
    rate(drillcoach_home, clock)
    clock.advance(days=1)
    reopen(drillcoach_home, clock)  # the next day's: 2
    old, new = sorted(backups(folder), key=lambda path: path.name)
    damaged = folder / "drillcoach-20260310-100000-000000.db"
    damaged.write_bytes(NOTES)
    for age, path in enumerate((damaged, new, old)):
        os.utime(path, (1_800_000_000 - age * 86400, 1_800_000_000 - age * 86400))

    code, out, _ = run(capsys, "restore")
    assert code == 0
    header, *rows, blank, hint = out.splitlines()
    assert header.split() == ["BACKUP", "MADE", "SIZE", "RATINGS", "CHECK"]
    assert [row.split()[0] for row in rows] == [damaged.name, new.name, old.name]
    assert rows[0].endswith("?        damaged: file is not a database")
    assert rows[1].split()[-2:] == ["2", "ok"] and rows[2].split()[-2:] == ["1", "ok"]
    made = datetime.fromtimestamp(1_800_000_000).astimezone()
    assert f"{made:%Y-%m-%d %H:%M}" in rows[0]
    assert (blank, hint) == ("", f"in {folder}; restore one with: drillcoach restore BACKUP")


def test_restore_puts_a_backup_in_place_and_keeps_the_database_aside(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock)
    reopen(drillcoach_home, clock)
    [backup] = backups(drillcoach_home / "backups")
    rate(drillcoach_home, clock)  # a second rating, after the backup
    database = drillcoach_home / "drillcoach.db"

    code, out, err = run(capsys, "restore", backup.name)
    assert (code, err) == (0, "")
    restored, into, kept = out.splitlines()
    assert restored.startswith(f"restored {backup.name} (1 rating(s), made ")
    assert into == f"into {database}"
    [aside] = database.parent.glob("drillcoach.db.before-restore-*")
    assert kept == f"the database it replaced is kept as {aside}"
    assert re.fullmatch(r"drillcoach\.db\.before-restore-\d{8}-\d{6}-\d{6}", aside.name)
    assert ratings_in(database) == 1
    assert ratings_in(aside) == 2  # self-contained: its WAL was folded in before the move
    assert sorted(p.name for p in database.parent.glob("drillcoach.db*")) == sorted(
        ["drillcoach.db", aside.name]
    )
    assert backup.exists()

    code, out, err = run(capsys, "restore", str(aside))  # a restore is undone the same way
    assert code == 0, err
    assert ratings_in(database) == 2


def test_restore_over_a_damaged_database_moves_it_aside_as_it_is(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock)
    reopen(drillcoach_home, clock)
    [backup] = backups(drillcoach_home / "backups")
    database = drillcoach_home / "drillcoach.db"
    database.write_bytes(NOTES)
    database.with_name("drillcoach.db-wal").write_bytes(b"a wal of sorts")
    code, out, err = run(capsys, "restore", backup.name)
    assert (code, err) == (0, "")
    [aside] = database.parent.glob("drillcoach.db.before-restore-*[0-9]")
    assert aside.read_bytes() == NOTES
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"a wal of sorts"
    assert f"  with {aside.name}-wal" in out.splitlines()
    assert not database.with_name("drillcoach.db-wal").exists()
    assert ratings_in(database) == 1


def test_restore_refuses_what_is_not_a_good_backup(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rate(drillcoach_home, clock)
    database = drillcoach_home / "drillcoach.db"
    before = database.read_bytes()
    folder = drillcoach_home / "backups"
    folder.mkdir()
    (folder / "drillcoach-20260301-100000-000000.db").write_bytes(NOTES)
    newer = folder / "drillcoach-v99-20260301-100000-000000.db"
    with closing(sqlite3.connect(newer)) as db:
        db.execute("PRAGMA user_version = 99")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    refusals = [
        ("nope.db", 2, f"no backup named 'nope.db' in {folder} (see 'drillcoach restore')"),
        (str(notes), 2, f"{notes}: not a backup (expected a .db file)"),
        (str(tmp_path / "gone.db"), 2, f"{tmp_path / 'gone.db'}: no such file"),
        (str(database), 2, f"{database}: that is the database itself; choose a backup"),
        (newer.name, 2, f"{newer}: written by a newer drillcoach (schema 99"),
        ("drillcoach-20260301-100000-000000.db", 1, f"{folder}/drillcoach-20260301-100000-"),
    ]
    for given, expected, fragment in refusals:
        code, out, err = run(capsys, "restore", given)
        assert (code, out) == (expected, ""), (given, err)
        assert one_line(err).startswith(f"drillcoach: {fragment}"), err
    assert database.read_bytes() == before
    assert not list(drillcoach_home.glob("drillcoach.db.*"))


def test_restore_from_an_explicit_path_outside_the_backups_folder(
    drillcoach_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "usb-stick" / "copy.db"
    elsewhere.parent.mkdir()
    a_database(elsewhere, ratings=3)
    code, out, err = run(capsys, "restore", str(elsewhere))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "there was no database to keep aside"
    assert ratings_in(drillcoach_home / "drillcoach.db") == 3


def test_restore_while_another_drillcoach_has_the_database_open(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rate(drillcoach_home, clock)
    reopen(drillcoach_home, clock)
    [backup] = backups(drillcoach_home / "backups")
    database = drillcoach_home / "drillcoach.db"
    with Store(database):  # another drillcoach, idle
        code, out, err = run(capsys, "restore", backup.name)
    assert (code, out) == (1, "")
    assert one_line(err) == (
        f"drillcoach: {database} is in use by another drillcoach; close it and try again"
    )
    assert not list(drillcoach_home.glob("drillcoach.db.*"))  # nothing moved, nothing left
    assert ratings_in(database) == 1


# --- F. a real file of every older schema migrates with its data


PRICE = "objections-core/price-too-high"
BUDGET = "objections-core/no-budget"
OPENER = "cold-call-openers/cc-permission-opener"
GONE = "old-pack/retired-drill"


def test_every_older_schema_has_a_committed_database() -> None:
    found = {int(path.stem.removeprefix("drillcoach-v")) for path in FIXTURES.glob("*.db")}
    assert found == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_old_database_file_migrates_with_its_data(
    version: int, tmp_path: Path, library: Library, clock: FakeClock, test_config: Config
) -> None:
    path = old_copy(version, tmp_path)
    first_id = "0b5f7a3e-6c1d-4e2f-9a8b-1c2d3e4f5a6b" if version >= 2 else "self-1"
    with Store(path, backups=tmp_path / "backups") as store:
        assert schema_version(store._db) == SCHEMA_VERSION
        assert store.ratings("sam") == [
            SelfRating(id=first_id, by="sam", at=datetime(2026, 1, 5, 10, 0, 0, 123456, UTC),
                       drill_uid=PRICE, skill="objection-handling", rating=3, suggested=3,
                       duration_ms=41500, time_limit=60, key_points_hit=(0, 2),
                       key_points_total=3, mode="typed", answer="I hear you on price"),
            SelfRating(id="self-2", by="sam", at=datetime(2026, 1, 5, 11, tzinfo=UTC),
                       drill_uid=OPENER, skill="prospecting", rating=1, duration_ms=20000,
                       time_limit=45, key_points_total=3, mode="spoken",
                       replies=("Who is this?", "Fine, go on")),
            ManagerRating(id="mgr-1", by="alex", rep="sam", at=datetime(2026, 1, 6, 15, tzinfo=UTC),
                          rubric="joint-call", scores={"agenda": 2, "questioning": 3}, rating=2,
                          skill="discovery", context="joint-call", note="Talked over the buyer"),
            SelfRating(id="gone-1", by="sam", at=datetime(2026, 1, 7, 10, tzinfo=UTC),
                       drill_uid=GONE, skill="closing", rating=3),
        ]  # fmt: skip
        assert len(store.ratings("sam", include_undone=True)) == 5
        [undo] = store.undos("sam")
        assert undo.of == "undone" and undo.at == datetime(2026, 1, 6, 9, 0, 0, 500, UTC)
        assert undo.id == "undo-1" or version == 1
        actions = store.drill_actions("sam")
        assert (actions[BUDGET].action, actions[BUDGET].until) == ("suspend", None)
        assert (actions[OPENER].action, actions[OPENER].until) == (
            "bury",
            datetime(2026, 1, 8, 4, tzinfo=UTC),
        )
        assert len({undo.id, actions[BUDGET].id, actions[OPENER].id}) == 3
        assert store.get_setting("answer_mode") == "spoken"
        assert store.assignments() == [
            Assignment("q1", "alex", "objections-core", ("sam",), date(2026, 2, 1), "before QBR")
        ]
        config = replace(test_config, member="sam")
        scheduler = DrillScheduler(store, library, config, clock=clock, tz=UTC)
        assert scheduler.cards.check() == []  # cards rebuilt from the events
        assert scheduler.cards.started() == {PRICE, OPENER, GONE}
        assert scheduler.suspended() == {BUDGET}
        if version >= 4:  # a read mark from before files' status was kept: opened next sync
            assert store.file_marks() == {"events/alex/2026-01.jsonl": (120, 1, b"}\n", None)}
    [backup] = backups(tmp_path / "backups")
    assert backup.name.startswith(f"drillcoach-v{version}-")
    with closing(sqlite3.connect(backup)) as old:
        assert schema_version(old) == version
    assert (FIXTURES / f"drillcoach-v{version}.db").read_bytes() != path.read_bytes()


def test_the_daily_backup_date_is_the_local_calendar_day(
    drillcoach_home: Path, clock: FakeClock
) -> None:
    """Backups are named by the day the rep lives in, as the clock and time zone say."""
    rate(drillcoach_home, clock)
    clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    open_services(drillcoach_home, clock=clock, tz=UTC).close()
    new_york = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # still 2 March in New York
    clock.set(new_york)
    open_services(drillcoach_home, clock=clock, tz=ZoneInfo("America/New_York")).close()
    names = [path.name for path in backups(drillcoach_home / "backups")]
    assert names == ["drillcoach-20260302-233000-000000.db"]
    clock.set(new_york + timedelta(hours=6))
    open_services(drillcoach_home, clock=clock, tz=ZoneInfo("America/New_York")).close()
    assert len(backups(drillcoach_home / "backups")) == 2
