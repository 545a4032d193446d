"""Shared fixtures: a temporary DRILLCOACH_HOME for every test, a fixed clock, the built-in
library, schedulers with fuzzing off, and helpers that write real pack files."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from drillcoach.config import Config
from drillcoach.content import Library, builtin_root, load_library
from drillcoach.dates import month_first
from drillcoach.scheduling.days import Clock
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.tui.app import DrillcoachApp
from helpers import (
    DrillDoc,
    FakeClock,
    MakeLibrary,
    MakeScheduler,
    OpenStore,
    PackDoc,
    WritePack,
    build_app,
)
from teamkit import TeamKit, build_team


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Screens are drawn in colour whatever the terminal running the tests asks for
    (Textual turns NO_COLOR into monochrome, and the SVG snapshots are in colour)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def day_first_dates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates as most of the world writes them ("Saturday 28 November") whatever locale
    the machine running the tests has; tests of the month-first order set their own."""
    for name in ("LC_ALL", "LC_TIME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    month_first.cache_clear()
    yield
    month_first.cache_clear()


@pytest.fixture(autouse=True)
def drillcoach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its database, packs, backups and config.toml in a fresh folder."""
    home = tmp_path / "drillcoach-home"
    home.mkdir()
    monkeypatch.setenv("DRILLCOACH_HOME", str(home))
    return home


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(drillcoach_home: Path, clock: FakeClock) -> Iterator[DrillcoachApp]:
    """The app over a welcomed profile (helpers.build_app); its store is closed after
    the test."""
    built = build_app(drillcoach_home, clock)
    yield built
    built.services.close()


@pytest.fixture(scope="session")
def builtin_library() -> Library:
    return load_library([(builtin_root() / "drills", "built-in")])


@pytest.fixture
def library(builtin_library: Library) -> Library:
    """The built-in packs and shared content (loaded once; do not mutate)."""
    return builtin_library


@pytest.fixture
def test_config() -> Config:
    """Defaults with fuzzing off and a fixed rep, so intervals are exact."""
    return replace(Config(), fuzz=False, name="Sam Patel", member="sam")


@pytest.fixture
def open_store(drillcoach_home: Path) -> Iterator[OpenStore]:
    """Open a real SQLite store (default: the one in DRILLCOACH_HOME); closed at teardown."""
    opened: list[Store] = []

    def open_(path: Path | None = None, backups: Path | None = None) -> Store:
        store = Store(
            path or drillcoach_home / "drillcoach.db",
            backups=backups or drillcoach_home / "backups",
        )
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: OpenStore) -> Store:
    return open_store()


@pytest.fixture
def make_scheduler(
    store: Store, library: Library, clock: FakeClock, test_config: Config
) -> MakeScheduler:
    """``make_scheduler(library=..., store=..., rep=..., **config_overrides)``."""

    def make(
        library: Library = library,
        store: Store = store,
        rep: str | None = None,
        clock: Clock = clock,
        **settings: Any,
    ) -> DrillScheduler:
        config = replace(test_config, **settings)
        return DrillScheduler(store, library, config, rep=rep, clock=clock, tz=UTC)

    return make


# --- pack files


def _drill_doc(
    drill_id: str = "price-too-high", kind: str = "objection", **fields: object
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": drill_id,
        "kind": kind,
        "skill": "objection-handling",
        "title": f"Drill {drill_id}",
        "key_points": ["Acknowledge", "Ask a question", "Confirm"],
        "model_answer": "A model answer.",
    }
    if kind == "roleplay":
        doc["turn"] = [
            {"buyer": "Who is calling?", "model": "Sam from Northwind."},
            {"buyer": "What is it about?", "model": "Your renewal."},
        ]
    else:
        doc["prompt"] = f"The buyer says something for {drill_id}."
    doc.update(fields)
    return {key: value for key, value in doc.items() if value is not None}


def _pack_doc(
    pack_id: str = "test-pack", drills: list[dict[str, Any]] | None = None, **fields: object
) -> dict[str, Any]:
    pack: dict[str, Any] = {
        "id": pack_id,
        "title": f"Pack {pack_id}",
        "version": "1",
        "description": "A pack written by a test.",
    }
    pack.update(fields)
    return {
        "format": 1,
        "pack": {key: value for key, value in pack.items() if value is not None},
        "drill": copy.deepcopy(drills) if drills is not None else [_drill_doc()],
    }


@pytest.fixture
def drill_doc() -> DrillDoc:
    """A valid [[drill]] table as a dict; keyword arguments override (None removes)."""
    return _drill_doc


@pytest.fixture
def pack_doc() -> PackDoc:
    """A valid pack document as a dict: ``pack_doc(pack_id, drills=[...], **pack_fields)``."""
    return _pack_doc


@pytest.fixture
def packs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    return folder


@pytest.fixture
def write_pack(packs_dir: Path) -> WritePack:
    """Write a pack file (a dict is written with tomli-w, a str or bytes as is) and
    return its path; default folder ``tmp_path/packs``, default name ``<pack id>.toml``."""

    def write(
        content: dict[str, Any] | str | bytes, name: str | None = None, folder: Path | None = None
    ) -> Path:
        folder = folder or packs_dir
        folder.mkdir(parents=True, exist_ok=True)
        if name is None:
            assert isinstance(content, dict), "give a name for a raw pack file"
            name = f"{content['pack']['id']}.toml"
        path = folder / name
        if isinstance(content, dict):
            path.write_text(tomli_w.dumps(content, multiline_strings=True), encoding="utf-8")
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def make_library(packs_dir: Path) -> MakeLibrary:
    """Load the packs of the given folders (default: ``tmp_path/packs``) with the built-in
    shared content, and no built-in packs."""

    def make(*folders: Path) -> Library:
        return load_library([(folder, "folder") for folder in folders or (packs_dir,)])

    return make


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> TeamKit:
    """A team on disk (tests/teamkit.py): dana, maria and her reps alice and bob."""
    return build_team(tmp_path, monkeypatch, clock)
