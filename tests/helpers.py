"""Test helpers: a clock moved by hand, the types of the factory fixtures in conftest.py,
and driving the TUI like a rep (an app on that clock, typing, and reading what the store
holds afterwards)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from textual.pilot import Pilot

from drillcoach.cli import main as cli_main
from drillcoach.content import Library
from drillcoach.events import SelfRating
from drillcoach.scheduling.days import Clock
from drillcoach.scheduling.personal import Fit, Scores
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.tui.app import DrillcoachApp, make_app

# Monday 2 March 2026, 10:00 UTC: mid-morning of a drilling day (the day starts at 04:00).
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

KEY_NAMES = {
    " ": "space",
    ",": "comma",
    ".": "full_stop",
    "?": "question_mark",
    "'": "apostrophe",
    "-": "minus",
    "!": "exclamation_mark",
}


class FakeClock:
    """A clock the test moves by hand; always returns aware UTC datetimes."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now = self.now + timedelta(**kwargs)
        return self.now

    def set(self, moment: datetime) -> datetime:
        assert moment.tzinfo is not None
        self.now = moment.astimezone(UTC)
        return self.now


# --- the factory fixtures of conftest.py (pack documents are TOML tables: dict[str, Any])


class OpenStore(Protocol):
    """``open_store(path=None, backups=None)``: a real store, closed at teardown."""

    def __call__(self, path: Path | None = None, backups: Path | None = None) -> Store: ...


class MakeScheduler(Protocol):
    """``make_scheduler(library=..., store=..., rep=..., clock=..., **config_overrides)``."""

    def __call__(
        self,
        library: Library = ...,
        store: Store = ...,
        rep: str | None = None,
        clock: Clock = ...,
        **settings: Any,
    ) -> DrillScheduler: ...


class DrillDoc(Protocol):
    """``drill_doc(drill_id, kind, **fields)``: a [[drill]] table; a None field is left out."""

    def __call__(
        self, drill_id: str = ..., kind: str = ..., **fields: object
    ) -> dict[str, Any]: ...


class PackDoc(Protocol):
    """``pack_doc(pack_id, drills=None, **fields)``: a pack document; a None field is left
    out of [pack]."""

    def __call__(
        self, pack_id: str = ..., drills: list[dict[str, Any]] | None = None, **fields: object
    ) -> dict[str, Any]: ...


class WritePack(Protocol):
    """``write_pack(content, name=None, folder=None)``: the path of the pack file written."""

    def __call__(
        self,
        content: dict[str, Any] | str | bytes,
        name: str | None = None,
        folder: Path | None = None,
    ) -> Path: ...


class MakeLibrary(Protocol):
    """``make_library(*folders)``: the packs of these folders (default: the test's packs
    folder) with the built-in shared content."""

    def __call__(self, *folders: Path) -> Library: ...


# --- driving the TUI


async def tick_all(pilot: Pilot[None], points: int) -> None:
    """Tick every key point of the revealed drill, top to bottom."""
    for _ in range(points):
        await pilot.press("space", "down")


def write_config(home: Path, **extra: object) -> None:
    settings = {"name": '"Sam Patel"', "member": '"sam"', "fuzz": "false"}
    settings.update({key: str(value) for key, value in extra.items()})
    (home / "config.toml").write_text(
        "".join(f"{key} = {value}\n" for key, value in settings.items()), encoding="utf-8"
    )


# What a rep selling Northwind's freight product picks on the welcome: the built-in packs
# of that world (the others sell other products, or none).
NORTHWIND_PACKS = ("closing", "cold-call-openers", "discovery", "negotiation",
                   "objections-core", "onboarding", "value-pitch")  # fmt: skip


def build_app(home: Path, clock: FakeClock, *, welcomed: bool = True) -> DrillcoachApp:
    """The real app over DRILLCOACH_HOME, fuzz off, clock fixed, days in UTC; welcomed, it
    drills Northwind's packs."""
    if not (home / "config.toml").exists():
        write_config(home)
    app = make_app(home, clock=clock, tz=UTC)
    if welcomed:
        app.services.prefs.set_welcomed()
        app.services.prefs.set_enabled_packs(NORTHWIND_PACKS)
    return app


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[KEY_NAMES.get(char, char) for char in text])


def stored(app: DrillcoachApp) -> list[SelfRating]:
    """The rep's live ratings, oldest first, straight from SQLite (the TUI records only
    self-ratings)."""
    ratings: list[SelfRating] = []
    for rating in app.services.store.ratings(app.services.scheduler.rep):
        assert isinstance(rating, SelfRating), rating
        ratings.append(rating)
    return ratings


# --- the command line and the machine around it


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr); an argparse exit is a code too."""
    try:
        code = cli_main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def one_line(text: str, *fragments: str) -> str:
    """The one line ``text`` holds (no traceback), holding every fragment."""
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``folder``, where the machine lets a test mount one (root
    and mount(8)); the test is skipped, with the reason, where it does not."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root and mount(8)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(disk: Path) -> Path:
    """A file that takes every byte left on ``disk``."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def made_fit(parameters: Sequence[float], at: datetime) -> Fit:
    """A fit of ``parameters`` as ``personal.apply`` takes it, its scores made up."""
    scores = Scores(0.4, 0.1)
    return Fit(tuple(parameters), scores, Scores(0.3, 0.05), None, 90, 900, 720, 180, at, at,
               True)  # fmt: skip
