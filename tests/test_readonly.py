"""Reading needs no write access: ``Store(path, readonly=True)`` reads with SQLite's
read-only mode and writes nothing; a database whose file or folder cannot be written is
opened that way, so ``today``, ``packs list|show`` and ``config`` work; and while another
drillcoach is writing, reads still work and writes say so in one line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from test_safety import NOTES, old_copy, rate, rating, reopen, write_lock

from drillcoach.errors import MachineError, UserError
from drillcoach.store import Store
from drillcoach.store import db as db_module
from drillcoach.store.backup import backups
from helpers import FakeClock, one_line, small_disk
from helpers import run_cli as run

READ_COMMANDS = [["today"], ["packs", "list"], ["packs", "show", "objections-core"], ["config"]]


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)


def current_database(path: Path) -> Path:
    """A database of this schema holding one rating, in rollback-journal mode (so opening
    it to write would change its header)."""
    with Store(path) as store:
        store.add(rating("kept"))
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    return path


# --- Store(path, readonly=True)


def test_a_read_only_store_reads_and_never_writes(tmp_path: Path) -> None:
    path = current_database(tmp_path / "drillcoach.db")
    before = path.read_bytes()
    with Store(path, backups=tmp_path / "backups", readonly=True) as store:
        assert store.readonly
        assert [r.id for r in store.ratings("sam")] == ["kept"]
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        with pytest.raises(MachineError) as caught:
            store.add(rating("new"))
        assert caught.value.kind == "read-only"
    assert path.read_bytes() == before
    assert list(tmp_path.glob("drillcoach.db*")) == [path]
    assert not (tmp_path / "backups").exists()


def test_a_writable_database_opens_to_write_by_default(tmp_path: Path) -> None:
    with Store(current_database(tmp_path / "drillcoach.db")) as store:
        assert not store.readonly
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    ("version", "words"),
    [
        (0, "holds no drillcoach data yet; run 'drillcoach' once with write access to set it up"),
        (1, "written by an older drillcoach; run 'drillcoach' once with write access to "
            "upgrade it"),
        (2, "written by an older drillcoach; run 'drillcoach' once with write access to "
            "upgrade it"),
    ],
)  # fmt: skip
def test_read_only_an_older_or_empty_database_is_not_upgraded(
    tmp_path: Path, version: int, words: str
) -> None:
    if version:
        path = old_copy(version, tmp_path)
    else:
        path = tmp_path / "drillcoach.db"
        path.write_bytes(b"")
    before = path.read_bytes()
    with pytest.raises(MachineError) as caught:
        Store(path, backups=tmp_path / "backups", readonly=True)
    assert caught.value.kind == "read-only"
    assert str(caught.value) == f"{path}: {words}"
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_read_only_a_missing_database_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    with pytest.raises(UserError) as caught:
        Store(path, readonly=True)
    assert str(caught.value) == f"{path}: no drillcoach database there"
    assert not path.exists()


def test_read_only_a_damaged_file_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    path.write_bytes(NOTES)
    with pytest.raises(MachineError) as caught:
        Store(path, readonly=True)
    assert caught.value.kind == "damaged"
    assert path.read_bytes() == NOTES


# --- a home on a disk mounted read-only (root included: the kernel refuses every write)


@pytest.fixture
def read_only_home(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, dict[str, str]]]:
    """A home with ratings and a backup on a disk then remounted read-only, and what the
    read commands printed while it was writable."""
    with small_disk(tmp_path / "disk", "16m") as disk:
        home = disk / "home"
        home.mkdir()
        monkeypatch.setenv("DRILLCOACH_HOME", str(home))
        rate(home, clock, count=2)
        reopen(home, clock)
        printed = {" ".join(argv): _run_process(argv, home).stdout for argv in READ_COMMANDS}
        done = subprocess.run(
            ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.skip(f"cannot remount the tmpfs read-only: {done.stderr.strip()}")
        yield home, printed


def _run_process(
    argv: list[str], home: Path, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DRILLCOACH_HOME": str(home)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "drillcoach", *argv],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("argv", READ_COMMANDS, ids=" ".join)
def test_read_commands_work_on_a_read_only_disk(
    read_only_home: tuple[Path, dict[str, str]], argv: list[str]
) -> None:
    home, printed = read_only_home
    before = (home / "drillcoach.db").read_bytes()
    done = _run_process(argv, home)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == printed[" ".join(argv)]
    assert (home / "drillcoach.db").read_bytes() == before


def test_a_read_only_disk_opens_read_only_and_refuses_writes_in_one_line(
    read_only_home: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    home, _ = read_only_home
    database = home / "drillcoach.db"
    with Store(database, backups=home / "backups") as store:
        assert store.readonly
        assert len(store.ratings("sam")) == 2
    with pytest.raises(MachineError) as caught:
        Store(database, readonly=False)
    assert caught.value.kind == "read-only"
    assert str(caught.value) == (
        f"{database}: cannot write to it or to its folder (read-only); check the permissions, "
        "or use a --home you can write to"
    )
    code, out, err = run(capsys, "doctor")
    assert (code, out, err) == (0, "ok: 2 card(s) agree with the rating history\n", "")
    code, out, err = run(capsys, "doctor", "--rebuild")
    assert (code, out) == (1, "")
    assert "read-only" in one_line(err)
    code, out, err = run(capsys, "restore")
    assert code == 0 and out.startswith("BACKUP")


# --- a home whose files the rep may not write (file 0444, folders 0555)


def _without_write_permission(home: Path) -> tuple[str, ...]:
    """The command prefix under which ``home`` cannot be written: none for a user, and
    for root (whom permissions do not stop) root without its permission override."""
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root, dropping the permission override needs setpriv(1)")
        prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", f"open({str(home / 'probe')!r}, 'w')"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if probe.returncode == 0:
        pytest.skip("this machine lets the test write to a folder it made read-only")
    return prefix


def test_read_commands_work_without_write_permission(
    drillcoach_home: Path, clock: FakeClock
) -> None:
    home = drillcoach_home
    rate(home, clock, count=2)
    reopen(home, clock)
    printed = {" ".join(argv): _run_process(argv, home).stdout for argv in READ_COMMANDS}
    folders = [home, *(path for path in home.iterdir() if path.is_dir())]
    (home / "drillcoach.db").chmod(0o444)
    for folder in folders:
        folder.chmod(0o555)
    try:
        prefix = _without_write_permission(home)
        before = (home / "drillcoach.db").read_bytes()
        for argv in READ_COMMANDS:
            done = _run_process(argv, home, prefix)
            assert (done.returncode, done.stderr) == (0, ""), argv
            assert done.stdout == printed[" ".join(argv)], argv
        done = _run_process(["doctor", "--rebuild"], home, prefix)
        assert done.returncode == 1
        assert "read-only" in one_line(done.stderr)
        assert (home / "drillcoach.db").read_bytes() == before
        assert sorted(path.name for path in home.glob("drillcoach.db*")) == ["drillcoach.db"]
    finally:
        for folder in folders:
            folder.chmod(0o755)


# --- another drillcoach in the middle of a write


def test_while_another_drillcoach_writes_today_shows_and_writes_say_so(
    drillcoach_home: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    short_busy: None,
) -> None:
    rate(drillcoach_home, clock, count=2)
    reopen(drillcoach_home, clock)
    code, today, _ = run(capsys, "today")
    assert code == 0
    backup = backups(drillcoach_home / "backups")[0]
    database = drillcoach_home / "drillcoach.db"
    with write_lock(database):
        assert run(capsys, "today") == (0, today, "")
        code, out, err = run(capsys, "packs", "list")
        assert (code, err) == (0, "")
        code, out, err = run(capsys, "doctor", "--rebuild")
        assert (code, out) == (1, "")
        assert "another drillcoach" in one_line(err)
        code, out, err = run(capsys, "restore", backup.name)
        assert (code, out) == (1, "")
        assert one_line(err) == (
            f"drillcoach: {database} is in use by another drillcoach; close it and try again"
        )
    code, out, err = run(capsys, "doctor")
    assert (code, out) == (0, "ok: 2 card(s) agree with the rating history\n")
