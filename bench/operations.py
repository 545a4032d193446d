"""The operations bench/run.py times and bench/profile.py profiles, each with the baseline
it is compared with, on a working copy of a generated dataset."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import sys
import time
import tomllib
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from bench.generate import Dataset, FakeClock
from bench.measure import Timed, run_child
from drillcoach.config import Config, load_config, resolve_paths
from drillcoach.content import builtin_root, pack_files
from drillcoach.progress.model import RepSummary
from drillcoach.scheduling.cards import STAMP
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.scheduling.session import Session
from drillcoach.services import Services, load_packs, open_services, pack_sources

Run = Callable[[], object]


@dataclass(frozen=True)
class Operation:
    name: str
    label: str
    baseline: str
    anki: str | None = None  # the key of Anki's comparable timing, where there is one
    cold: bool = False  # each run starts cold: no warm-up run


OPERATIONS: tuple[Operation, ...] = (
    Operation("queue-warm", "today's queue, after a write that changes no card",
              "one indexed SELECT of a drill's history", "queue_warm"),
    Operation("queue-cold-retention", "today's queue after `config set desired_retention`",
              "one indexed SELECT of a drill's history", "queue_cold", cold=True),
    Operation("queue-cold-retention-edited",
              "today's queue after desired_retention edited in config.toml",
              "one indexed SELECT of a drill's history", "queue_cold", cold=True),
    Operation("one-rating", "store one rating + next drill ready",
              "one INSERT + COMMIT (WAL, synchronous=FULL)", "answer"),
    Operation("load-library", "load the library, parse cache warm",
              "tomllib.loads of the same files"),
    Operation("load-library-uncached", "load the library, every file parsed",
              "tomllib.loads of the same files", cold=True),
    Operation("version", "`drillcoach --version` (process)", "`python -c pass`"),
    Operation("today", "`drillcoach today` (process)", "`python -c pass`"),
    Operation("today-floor", "its floor: the standard library it needs, one query (process)",
              "`python -c pass`"),
    Operation("tui", "TUI Today screen painted (headless)", "bare Textual app, one Static"),
    Operation("rebuild", "every card rebuilt from history (`doctor --rebuild`)",
              "one indexed SELECT of a drill's history", cold=True),
)  # fmt: skip
# issue 12: what the Progress screen's worker computes (bench/progress.py runs these)
PROGRESS_OPERATIONS: tuple[Operation, ...] = (
    Operation("progress", "Progress screen's summary, cards kept",
              "one SELECT of the rep's self-ratings, the summary's columns"),
    Operation("progress-first", "Progress screen's summary, every card built first",
              "one SELECT of the rep's self-ratings, the summary's columns", cold=True),
)  # fmt: skip
BY_NAME = {operation.name: operation for operation in OPERATIONS + PROGRESS_OPERATIONS}


def drillcoach_command() -> list[str]:
    """The installed ``drillcoach`` script beside this interpreter, else ``-m drillcoach``."""
    script = Path(sys.executable).parent / "drillcoach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "drillcoach"]


class _Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("drillcoach", id="bare")


async def paint(make: Callable[[], App[None]]) -> float:
    """From building the app ``make`` builds to its first screen painted, in ms."""
    started = time.perf_counter()
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - started
    return elapsed * 1000


async def _paint_bare() -> float:
    return await paint(_Bare)


async def _paint_today(home: Path, now: datetime) -> float:
    """From building the app to its Today screen showing every queued drill."""
    from drillcoach.tui.app import make_app
    from drillcoach.tui.screens.today import TodayScreen

    started = time.perf_counter()
    app = make_app(home, clock=lambda: now, tz=None)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while not today_filled(app, TodayScreen):  # also under a welcome screen
                await pilot.pause()
            await pilot.pause()  # let the filled table paint
            elapsed = time.perf_counter() - started
    finally:
        app.services.close()
    return elapsed * 1000


def today_filled(app: App[None], today_type: type[Screen[None]]) -> bool:
    """Whether the app's Today screen (``today_type``, imported by the caller: this module
    leaves the TUI unimported) shows every drill of its queue in its table."""
    today = next((s for s in app.screen_stack if isinstance(s, today_type)), None)
    queue = getattr(today, "queue", None)
    if today is None or queue is None:
        return False
    return today.query_one("#queue", DataTable).row_count == len(queue.items)


class Workbench:
    """A working copy of a dataset's profile folder (the operations change it), with the
    services opened on a clock fixed at the dataset's morning-after."""

    def __init__(self, dataset: Dataset, workdir: Path) -> None:
        self.dataset = dataset
        self.home = workdir / "home"
        shutil.copytree(dataset.home, self.home)
        self.clock = FakeClock(dataset.now)
        self.services: Services = open_services(self.home, clock=self.clock, tz=None)
        # the dataset's own packs only: built-in packs added since it was generated are on
        # by default (a pack is switched off by name), and would grow the queue past its size
        own = [pack.id for pack in self.services.library.packs.values() if pack.origin == "mine"]
        if set(own) != set(self.services.library.packs) - self.services.prefs.disabled_packs():
            self.services.prefs.set_enabled_packs(own)
        self._peaks: dict[str, Callable[[], int | None]] = {}
        self._cold: DrillScheduler | None = None
        self._retention = 0
        self._session: Session | None = None
        self._connections: list[sqlite3.Connection] = []

    def close(self) -> None:
        self.services.close()
        for db in self._connections:
            db.close()

    @property
    def database(self) -> Path:
        return self.services.paths.database

    def sql(self, statement: str) -> None:
        """A write through a connection of its own (the store keeps its queries private)."""
        db = sqlite3.connect(self.database, timeout=30, isolation_level=None)
        try:
            db.execute(statement)
        finally:
            db.close()

    def timed(self, name: str) -> Timed:
        makers: dict[str, Callable[[], Timed]] = {
            "queue-warm": self._queue_warm,
            "queue-cold-retention": self._queue_cold_retention,
            "queue-cold-retention-edited": self._queue_cold_retention_edited,
            "one-rating": self._one_rating,
            "load-library": self._load_library,
            "load-library-uncached": self._load_library_uncached,
            "version": self._version,
            "today": self._today,
            "today-floor": self._today_floor,
            "tui": self._tui,
            "rebuild": self._rebuild,
            "progress": self._progress,
            "progress-first": self._progress_first,
        }
        return makers[name]()

    def baseline(self, name: str) -> Timed:
        if name.startswith("progress"):
            return self._select_ratings()
        if name.startswith("queue") or name == "rebuild":
            return self._select_history()
        if name == "one-rating":
            return self._insert_commit()
        if name.startswith("load-library"):
            return self._tomllib()
        if name == "tui":
            return Timed(lambda: asyncio.run(_paint_bare()), self_timed=True)
        return self._child("baseline", [sys.executable, "-c", "pass"])

    # --- the operations

    def _queue_warm(self) -> Timed:
        """As Anki's warm queue follows a deck-config write: a settings write first, which
        the queue must read again (preferences, assignments), while no card changed."""
        touches = iter(range(1_000_000))

        def before() -> None:
            self.services.store.set_setting("bench-touch", next(touches))

        return Timed(self.services.scheduler.queue, before)

    def _next_retention(self) -> float:
        self._retention += 1
        return round(0.80 + 0.01 * (self._retention % 15), 2)  # one the cards were not due by

    def _cold_scheduler(self, config: Config) -> None:
        """A new scheduler, its caches empty, as Anki's collection reopened."""
        services = self.services
        self._cold = DrillScheduler(
            services.store, services.library, config, prefs=services.prefs, clock=self.clock
        )

    def _queue_cold(self, before: Callable[[], None]) -> Timed:
        def run() -> None:
            assert self._cold is not None
            self._cold.queue()

        return Timed(run, before)

    def _queue_cold_retention(self) -> Timed:
        """As the rep changes it (``config set``, ``retention --apply``): the setting is
        written and the cards' due dates move then, as Anki's are moved (when they are)
        by its deck options' save, which its own timing leaves out too."""

        def before() -> None:
            self.services.set_setting("desired_retention", f"{self._next_retention():.2f}")
            self._cold_scheduler(self.services.config)

        return self._queue_cold(before)

    def _queue_cold_retention_edited(self) -> Timed:
        """config.toml edited by hand: the first queue finds the cards' due dates kept
        for another retention and moves them itself."""

        def before() -> None:
            retention = self._next_retention()
            self._cold_scheduler(replace(self.services.config, desired_retention=retention))

        return self._queue_cold(before)

    def _rebuild(self) -> Timed:
        return Timed(self.services.scheduler.cards.rebuild)

    def _one_rating(self) -> Timed:
        """What rating a drill costs in a session: ``Session.record`` (``record_self`` and
        the new card state), then what the next drill's screen reads before it shows."""
        scheduler = self.services.scheduler
        attempt = Attempt(
            duration_ms=42_000,
            key_points_hit=(0, 1, 2),
            suggested=3,
            answer="I hear you on price. What are you comparing us with?",
        )

        def before() -> None:
            self.clock.advance(45)
            for _ in range(366):
                if self._session is not None and self._session.current is not None:
                    return
                self._session = Session.start(scheduler)
                if self._session.current is None:
                    self.clock.advance(86_400)  # all done today: drill on the next day
            raise RuntimeError("nothing to rate within a year")

        def run() -> None:
            assert self._session is not None
            self._session.record(3, attempt)
            upcoming = self._session.current
            if upcoming is not None:
                scheduler.previous_answer(upcoming.drill)
                self.services.prefs.answer_mode()

        return Timed(run, before)

    def _load_library(self) -> Timed:
        paths = resolve_paths(self.home)
        config = load_config(paths)

        def run() -> None:
            load_packs(paths, config)

        return Timed(run)

    def _load_library_uncached(self) -> Timed:
        paths = resolve_paths(self.home)
        config = load_config(paths)

        def run() -> None:
            load_packs(paths, config)

        return Timed(run, lambda: paths.library_cache.unlink(missing_ok=True))

    def summary(self) -> RepSummary:
        """The rep's summary as the Progress screen's worker computes it: the services on
        a database connection of their own, then ``rep_summary``."""
        from drillcoach.tui.screens.progress import summary_apart

        return summary_apart(self.services)

    def _progress(self) -> Timed:
        """The normal case: the cards kept up to date by every rating, read as they are."""
        return Timed(self.summary)

    def _progress_first(self) -> Timed:
        """The first summary after the cards' stamp went stale (the first ever, or after
        an update changed how cards are computed): every card is built from history."""

        def before() -> None:
            self.services.store.set_setting(STAMP.format(rep=self.services.scheduler.rep), None)

        return Timed(self.summary, before)

    def _version(self) -> Timed:
        return self._child("version", [*drillcoach_command(), "--version"])

    def _today(self) -> Timed:
        return self._child("today", [*drillcoach_command(), "today"])

    def _today_floor(self) -> Timed:
        floor = Path(__file__).with_name("today_floor.py")
        return self._child("today-floor", [sys.executable, str(floor), "today"])

    def _tui(self) -> Timed:
        return Timed(lambda: asyncio.run(_paint_today(self.home, self.clock())), self_timed=True)

    # --- the baselines

    def _select_history(self) -> Timed:
        """One indexed query: the history of the drill with the median number of ratings."""
        db = sqlite3.connect(self.database)
        [(rep,)] = db.execute(
            "SELECT id FROM names WHERE name = ?", (self.services.scheduler.rep,)
        ).fetchall()
        counts = db.execute(
            "SELECT drill FROM ratings WHERE rep = ? GROUP BY drill ORDER BY COUNT(*)", (rep,)
        ).fetchall()
        drill = counts[len(counts) // 2][0]
        query = "SELECT * FROM ratings WHERE rep = ? AND drill = ? ORDER BY at"

        def run() -> None:
            db.execute(query, (rep, drill)).fetchall()

        self._connections.append(db)
        return Timed(run)

    def _select_ratings(self) -> Timed:
        """One query: the rep's every self-rating, the columns the summary reads, in time
        order (store/history.py's query without its undo check), on a connection of its own."""
        db = sqlite3.connect(self.database)
        query = (
            "SELECT id, drill, skill, at, rating, duration_ms, hits, total FROM ratings "
            "WHERE rep = (SELECT id FROM names WHERE name = ?) AND manager = 0 ORDER BY at, id"
        )
        rep = self.services.scheduler.rep

        def run() -> None:
            db.execute(query, (rep,)).fetchall()

        self._connections.append(db)
        return Timed(run)

    def _insert_commit(self) -> Timed:
        """On a copy of the database: a write from another connection would make the
        store re-read its pages and caches after every run, which no rep's session sees."""
        copy = self.home.parent / "baseline.db"
        if not copy.exists():
            source = sqlite3.connect(self.database)
            try:
                with closing(sqlite3.connect(copy)) as target:
                    source.backup(target)
            finally:
                source.close()
        db = sqlite3.connect(copy, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        self._connections.append(db)
        db.executemany(
            "INSERT OR IGNORE INTO names (name) VALUES (?)",
            [("bench-baseline",), ("bench/baseline",), ("discovery",)],
        )
        ids = dict(db.execute("SELECT name, id FROM names WHERE name IN "
                              "('bench-baseline', 'bench/baseline', 'discovery')"))  # fmt: skip
        at = int(datetime.now(UTC).timestamp() * 1_000_000)

        def run() -> None:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO ratings (event, rep, by, manager, drill, skill, at, rating, answer) "
                "VALUES (?, ?, ?, 0, ?, ?, ?, 3, ?)",
                (uuid.uuid4().bytes, ids["bench-baseline"], ids["bench-baseline"],
                 ids["bench/baseline"], ids["discovery"], at, "I hear you on price."),
            )  # fmt: skip
            db.execute("COMMIT")

        return Timed(run)

    def library_files(self) -> list[Path]:
        """Every TOML file loading the library reads."""
        paths = resolve_paths(self.home)
        content = sorted((builtin_root() / "content").glob("*.toml"))
        sources = pack_sources(paths, load_config(paths))
        return content + [path for folder, _ in sources for path in pack_files(folder)]

    def _tomllib(self) -> Timed:
        files = self.library_files()

        def run() -> None:
            for path in files:
                tomllib.loads(path.read_text(encoding="utf-8"))

        return Timed(run)

    def _child(
        self, name: str, argv: list[str], before: Callable[[], object] | None = None
    ) -> Timed:
        env = {**os.environ, "DRILLCOACH_HOME": str(self.home)}

        def run() -> float:
            return run_child(argv, env=env).seconds * 1000

        def peak() -> int | None:
            if before is not None:
                before()
            return run_child(argv, env=env, peak_memory=True).peak_rss_bytes

        self._peaks[name] = peak
        return Timed(run, before, self_timed=True)

    def peak_memory(self, name: str) -> int | None:
        """Peak RSS in bytes of one more run of a process operation (None: not one)."""
        peak = self._peaks.get(name)
        return peak() if peak else None

    # --- disk

    def bytes_per_rating(self, scratch: Path) -> tuple[float, float, float]:
        """Database file bytes per rating after VACUUM (indexes and cards included), the
        same with every typed answer and role-play reply removed, and of that the ratings
        table with its indexes alone (what Anki's revlog and its indexes compare with)."""
        ratings = self.dataset.ratings
        copy = scratch / "disk.db"
        source = sqlite3.connect(self.database)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
        try:
            target.execute("PRAGMA journal_mode = DELETE")  # the copy is WAL, like its source
            target.execute(
                "DELETE FROM ratings WHERE rep = (SELECT id FROM names WHERE name = ?)",
                ("bench-baseline",),
            )
            target.commit()
            target.execute("VACUUM")
            full = copy.stat().st_size / ratings
            target.execute("UPDATE ratings SET answer = NULL, replies = NULL")
            target.commit()
            target.execute("VACUUM")
            bare = copy.stat().st_size / ratings
            names = [row[0] for row in target.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'ratings'")]  # fmt: skip
            marks = ", ".join("?" * len(names))
            pages = target.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({marks})",
                                   names).fetchone()[0]  # fmt: skip
            table = float(pages) / ratings
        finally:
            target.close()
            copy.unlink()
        return full, bare, table


def profile_run(workbench: Workbench, name: str) -> Run:
    """One run of ``name`` to profile in this process, prepared: the timed operation, or
    for the ones timed as a process, the same command run in-process."""
    if name in ("today", "version"):
        from drillcoach.cli import main

        argv = ["--version"] if name == "version" else ["--home", str(workbench.home), "today"]

        def command() -> None:
            with contextlib.suppress(SystemExit):  # --version exits through argparse
                main(argv)

        return command
    timed = workbench.timed(name)
    if timed.before is not None:
        timed.before()
    return timed.run
