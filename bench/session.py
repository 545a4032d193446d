"""A session that never lags (issue 13): a headless TUI session driven by Textual's Pilot on
a large library and history, timed from a key press until the terminal output that shows
its effect, for reveal, a key point ticked, and a rating until the next drill is on
screen (target: p95 <= 50 ms each); and the TUI's startup to Today painted against a bare
Textual app that paints one Static, in the same run (target: <= 1.5x).

bench/run.py runs it (``--only session``); the dataset is bench/generate.py's "large"
size when it is cached, else "medium".

How "to repaint" is measured: Textual paints a screen by rendering its compositor's update
and handing it to ``App._display``, which writes the terminal's bytes through the driver
(a headless app skips that write). The session's app has ``_display`` wrapped: it renders
each update to the terminal's bytes as a terminal app does (``render_segments``), and
records when and what. A press is timed from just before ``pilot.press(key)`` to the end
of the first such write, after the press, whose text (escape sequences removed) holds what
the press makes appear: the first words of the model answer (reveal), "[x] " and the first
words of the key point (tick), the first words of the next drill's buyer line (rating).
So the time includes the key's dispatch, the action, any mounting and layout, Textual's
frame pacing (at most one paint per 1/MAX_FPS s) and the render itself; nothing forces a
paint while a press is timed (``pilot.pause()``, which does, runs only between presses).
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import gc
import io
import pstats
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from bench.generate import Dataset, FakeClock
from bench.measure import Stats, Timed, ms_text, time_pair
from bench.operations import Workbench, _paint_bare, _paint_today, paint, today_filled

HEADING = "## Session latency (issue 13)"
TARGET_P95_MS = 50.0
STARTUP_RATIO = 1.5
SIZE = (120, 40)  # the terminal, as bench/operations.py's TUI row
SNIPPET = 20  # characters of a text that must appear on screen
TIMEOUT_S = 20.0  # a press whose effect never shows fails the run
PROFILE_TOP = 22
ACTIONS_PROFILED = ("reveal", "rate")  # the two that the screen's building dominates
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("reveal", "ctrl+r", "reveal: the model answer and the key points shown"),
    ("tick", "space", "tick: a key point ticked, [x] shown"),
    ("rate", "3", "rate Good and the next drill: its buyer line shown"),
)
_ESCAPES = re.compile(r"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\n")


@dataclass
class SessionResult:
    dataset: Dataset
    generated: bool
    queued: int = 0  # drills in today's queue when the session started
    reviews_per_day: int = 0  # the limit the session ran with
    full_collections: list[float] = field(default_factory=list)  # ms each, in timed presses
    every_collection: list[float] = field(default_factory=list)  # ms each, the timed drills
    presses: dict[str, Stats] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)  # drill kinds the presses met
    startup: Stats | None = None
    bare: Stats | None = None
    # the same app and Today, their facts read before the clock starts: Textual's share
    textual_share: Stats | None = None
    share_bare: Stats | None = None
    # Textual's own widgets alone, each against a bare app: what any Today using them pays
    floors: dict[str, tuple[Stats, Stats]] = field(default_factory=dict)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ratio(self) -> float | None:
        if self.startup is None or self.bare is None or self.bare.median <= 0:
            return None
        return self.startup.median / self.bare.median

    def failing(self) -> list[str]:
        """The actions whose p95 misses the target."""
        return [name for name, stats in self.presses.items() if stats.p95 > TARGET_P95_MS]


class Screen:
    """What the app paints: each write's end time and its text without escapes."""

    def __init__(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.writes: list[tuple[float, str]] = []
        self.recording = False
        self.painted = asyncio.Event()
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return  # as App._display: nothing goes out
            if isinstance(renderable, CompositorUpdate):
                data = renderable.render_segments(app.console)
            else:
                data = app.console._render_buffer(app.console.render(renderable))
            if self.recording:
                self.writes.append((time.perf_counter(), _ESCAPES.sub("", data)))
                self.painted.set()

        app._display = display

    def start(self) -> None:
        self.writes.clear()
        self.recording = True

    def shown(self, text: str) -> float | None:
        """When the first write holding ``text`` ended (None: not yet)."""
        return next((at for at, data in self.writes if text in data), None)


def _head(text: str) -> str:
    return " ".join(text.split())[:SNIPPET]


def buyer_text(screen: Any) -> str:
    """What a drill screen shows first: the buyer's line (role-play: its first turn)."""
    drill = screen.drill
    return _head(drill.turns[0].buyer if drill.is_roleplay else drill.prompt)


def model_text(screen: Any) -> str:
    """What reveal shows: the model answer (role-play: the first turn's model reply)."""
    drill = screen.drill
    if drill.is_roleplay:
        return _head(drill.turns[0].model or "(no model reply)")
    return _head(drill.model_answer or "(this drill has no model answer)")


def tick_text(screen: Any) -> str:
    from drillcoach.tui.widgets.checklist import Checklist

    checklist = screen.query_one(Checklist)
    row = checklist.rows[checklist.cursor]
    return ("[x] " if row.ticked else "[ ] ") + _head(row.text)[: SNIPPET - 4]


async def _timed_press(
    pilot: Any, painted: Screen, key: str, want: Callable[[], str | None],
    profile: cProfile.Profile | None = None,
) -> float:  # fmt: skip
    """Milliseconds from pressing ``key`` to the end of the first write that shows what
    ``want`` says should show (asked after the press: it may depend on its effect)."""
    painted.start()
    if profile is not None:
        profile.enable()
    started = time.perf_counter()
    try:
        await pilot.press(key)
        deadline = started + TIMEOUT_S
        while True:
            seen = len(painted.writes)
            text = want()
            at = painted.shown(text) if text is not None else None
            if at is not None:
                return (at - started) * 1000
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{key!r}: {text!r} never painted within {TIMEOUT_S} s")
            if len(painted.writes) == seen:
                painted.painted.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(painted.painted.wait(), timeout=0.25)
    finally:
        if profile is not None:
            profile.disable()
        painted.recording = False


# the event loop's and the message pump's own frames: in every profile, at its top
_PLUMBING = re.compile(
    r"base_events\.py|events\.py:\d+\(_run\)|_contextvars|message_pump\.py|_callback\.py"
    r"|runners\.py|tasks\.py|\{built-in method builtins\.exec\}|<lambda>"
    r"|\((_timed_press|drive_session)\)"
)


def _profile_text(profile: cProfile.Profile, what: str) -> list[str]:
    """The top lines by cumulative time, the event loop's plumbing left out; then the
    top by own time."""
    lines: list[str] = []
    for key, title, top in ((pstats.SortKey.CUMULATIVE, "by cumulative time", PROFILE_TOP),
                            (pstats.SortKey.TIME, "by own time", 12)):  # fmt: skip
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(120)
        text = [line.rstrip() for line in out.getvalue().splitlines()]
        called = next((line.strip() for line in text if "function calls" in line), "")
        header = next((i for i, line in enumerate(text)
                       if line.lstrip().startswith("ncalls")), 0)  # fmt: skip
        kept = [line for line in text[header + 1 :] if line.strip()
                and not _PLUMBING.search(line)]  # fmt: skip
        if not lines:
            lines += [f"{what}: {called}", ""]
        lines += [f"{title}:", text[header], *kept[:top], ""]
    return lines[:-1]


async def drive_session(
    home: Path, clock: FakeClock, presses: int, *, profile_presses: int = 0,
    log: Callable[[str], None] = print,
) -> tuple[
    int, dict[str, list[float]], dict[str, int], dict[str, cProfile.Profile], list[float],
    list[float],
]:  # fmt: skip
    """Start the TUI on Today, start a session, and for each of ``presses`` drills time
    reveal, one tick and a rating; then ``profile_presses`` more drills with each press
    under cProfile. Returns (drills queued, ms per action, drill kinds met, profiles, ms
    of each full collection by Python's collector begun inside a timed press, ms of each
    full collection while the timed drills ran, inside a press or between)."""
    from drillcoach.tui.app import make_app
    from drillcoach.tui.screens.item import ItemScreen
    from drillcoach.tui.screens.today import TodayScreen

    samples: dict[str, list[float]] = {name: [] for name, _, _ in ACTIONS}
    kinds: dict[str, int] = {}
    profiles: dict[str, cProfile.Profile] = {}
    full: list[float] = []
    every: list[float] = []
    collections: list[tuple[float, float]] = []  # (start, ms) of each full collection
    collecting = [0.0]

    def collector(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting[0] = time.perf_counter()
        elif info["generation"] == 2:
            collections.append((collecting[0], (time.perf_counter() - collecting[0]) * 1000))

    gc.callbacks.append(collector)
    app = make_app(home, clock=clock, tz=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            painted = Screen(app)
            today: TodayScreen | None = None
            while today is None or today.queue is None:
                await pilot.pause()
                today = next((s for s in app.screen_stack if isinstance(s, TodayScreen)), None)
            queued = len(today.queue.items)
            await pilot.press("enter")
            await pilot.pause()
            for number in range(presses + profile_presses):
                screen = app.screen
                if not isinstance(screen, ItemScreen):
                    log(f"session over after {number} drills ({type(screen).__name__})")
                    break
                if screen.session.remaining <= 1:
                    log(f"stopped after {number} drills: the last one's rating ends the session")
                    break
                profiling = number >= presses
                if not profiling:
                    kinds[screen.drill.kind] = kinds.get(screen.drill.kind, 0) + 1
                for name, key, _ in ACTIONS:
                    profile = None
                    if profiling:
                        profile = profiles.setdefault(name, cProfile.Profile())

                    def want(name: str = name, screen: ItemScreen = screen) -> str | None:
                        if name == "reveal":
                            return model_text(screen) if screen.revealed else None
                        if name == "tick":
                            return tick_text(screen)
                        now = app.screen
                        if now is screen or not isinstance(now, ItemScreen):
                            return None
                        return buyer_text(now)

                    if not profiling:  # since the last press: in it, and after it
                        every.extend(took for _, took in collections)
                    collections.clear()
                    pressed = time.perf_counter()
                    ms = await _timed_press(pilot, painted, key, want, profile)
                    if not profiling:
                        samples[name].append(ms)
                        # those that began between the press and the write that showed it
                        shown = pressed + ms / 1000
                        full.extend(took for began, took in collections
                                    if pressed <= began <= shown)  # fmt: skip
                    await pilot.pause()  # untimed: the screen settles before the next key
                clock.advance(40)  # the next drill is answered 40 s later
            await pilot.pause()
    finally:
        gc.callbacks.remove(collector)
        app.services.close()
    return queued, samples, kinds, profiles, full, every


def measure_session(
    dataset: Dataset,
    generated: bool,
    presses: int,
    startup_runs: int,
    scratch_dir: Path,
    *,
    profile_presses: int = 5,
    log: Callable[[str], None] = print,
) -> SessionResult:
    """The startup ratio (bench/operations.py's TUI row and its bare-app baseline, timed
    in alternation), then a session of ``presses`` drills on a working copy of
    ``dataset``; then profiles of the reveal and rate presses over ``profile_presses``
    more drills, and of one startup if it misses its target (0: no profiles)."""
    started = time.perf_counter()
    result = SessionResult(dataset, generated)
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_dir, prefix="work-") as scratch:
        bench = Workbench(dataset, Path(scratch))
        try:
            bench.services.scheduler.queue()  # the card cache, as a rep's database has it
            log(f"[{dataset.size.name}] TUI startup vs a bare Textual app ...")
            result.startup, result.bare = time_pair(
                bench.timed("tui"), bench.baseline("tui"), startup_runs, warmup=1, repeats=1
            )
            log(f"[{dataset.size.name}] Textual's share of the startup ...")
            result.textual_share, result.share_bare = _time_textual_share(
                bench.home, bench.clock(), startup_runs
            )
            log(f"[{dataset.size.name}] Textual's footer and table alone ...")
            result.floors = _time_floors(bench, startup_runs)
            # a day long enough for the timed drills, the profiled ones and the last one
            # (whose rating ends the session): the default limit is 40 reviews a day
            result.reviews_per_day = max(bench.services.config.reviews_per_day,
                                         presses + profile_presses + 5)  # fmt: skip
            if result.reviews_per_day != bench.services.config.reviews_per_day:
                bench.services.set_setting("reviews_per_day", str(result.reviews_per_day))
            home, clock = bench.home, bench.clock
        finally:
            bench.close()
        # the workbench's own services (a second library and card cache) are no part of a
        # rep's TUI process: gone before the session, or the collector would walk them
        del bench
        gc.collect()
        log(f"[{dataset.size.name}] session: {presses} drills ...")
        queued, samples, kinds, profiles, full, every = asyncio.run(
            drive_session(home, clock, presses, profile_presses=profile_presses, log=log)
        )
        result.queued, result.kinds, result.full_collections = queued, kinds, full
        result.every_collection = every
        result.presses = {name: Stats(tuple(values)) for name, values in samples.items()
                          if values}  # fmt: skip
        if profile_presses:
            for name in ACTIONS_PROFILED:  # met or not: where the time goes
                if name in profiles:
                    what = f"{profile_presses} {name} presses"
                    result.profiles[name] = _profile_text(profiles[name], what)
            ratio = result.ratio
            if ratio is not None and ratio > STARTUP_RATIO:
                log(f"[{dataset.size.name}] startup, profiled ...")
                startup = cProfile.Profile()
                gc.collect()
                now = clock()
                startup.runcall(lambda: asyncio.run(_paint_today(home, now)))
                result.profiles["startup"] = _profile_text(startup, "one startup")
    result.seconds = time.perf_counter() - started
    return result


async def _paint_gathered(services: Any, gathered: Any) -> float:
    """``_paint_today`` with nothing for drillcoach to do: the same app, Today screen, CSS
    and footer, over services opened and a Today gathered before the clock starts."""
    import drillcoach.tui.screens.today as today_screen
    from drillcoach.tui.app import DrillcoachApp

    started = time.perf_counter()
    app = DrillcoachApp(services)
    with _gathered(today_screen, gathered):
        async with app.run_test(size=SIZE) as pilot:
            while not today_filled(app, today_screen.TodayScreen):
                await pilot.pause()
            await pilot.pause()  # let the filled table paint, as _paint_today does
            elapsed = time.perf_counter() - started
    return elapsed * 1000


@contextlib.contextmanager
def _gathered(module: Any, gathered: Any) -> Any:
    """Today's screen shown with ``gathered`` instead of gathering it (a bench-only swap)."""
    original = module.gather_today
    module.gather_today = lambda *_: gathered
    try:
        yield
    finally:
        module.gather_today = original


def _time_textual_share(home: Path, now: datetime, runs: int) -> tuple[Stats, Stats]:
    """``_paint_gathered`` against the bare app, in alternation: how much of the startup
    ratio is Textual painting Today's widgets, whatever drillcoach's own work costs."""
    from drillcoach.services import open_services
    from drillcoach.today import gather_today

    services = open_services(home, clock=lambda: now, tz=None)
    try:
        gathered = gather_today(services.scheduler, services.library, services.config)
        share = Timed(lambda: asyncio.run(_paint_gathered(services, gathered)), self_timed=True)
        bare = Timed(lambda: asyncio.run(_paint_bare()), self_timed=True)
        return time_pair(share, bare, runs, warmup=1, repeats=1)
    finally:
        services.close()


class _FooterOnly(App[None]):
    """Textual's own footer under one Static, with as many keys as Today's footer shows,
    named as Today names them: no widget, style or work of drillcoach's."""

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        for binding in bindings:
            self.bind(binding.key, "bell", description=binding.description)

    def compose(self) -> ComposeResult:
        yield Static("drillcoach")
        yield Footer()


class _TableOnly(App[None]):
    """Textual's own table alone, holding Today's queue: its columns, its rows' texts."""

    def __init__(self, rows: Sequence[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("", "Kind", "Drill", "Pack")
        table.add_rows(self.rows)


def _time_floors(bench: Workbench, runs: int) -> dict[str, tuple[Stats, Stats]]:
    """Textual's footer alone and its table alone, each in alternation with the bare app:
    a Today that shows its keys in Textual's footer, or its queue in Textual's table,
    cannot start faster than the app that shows that widget and nothing else."""
    from drillcoach.tui.screens.today import TodayScreen

    library = bench.services.library
    rows = [
        (f"{number:>2} {item.reason}", item.drill.kind, item.drill.title,
         library.packs[item.drill.pack_id].title)
        for number, item in enumerate(bench.services.scheduler.queue().items, 1)
    ]  # fmt: skip
    keys = [b for b in TodayScreen.BINDINGS if isinstance(b, Binding) and b.show]
    bare = Timed(lambda: asyncio.run(_paint_bare()), self_timed=True)
    apps: dict[str, Callable[[], App[None]]] = {
        f"Textual's footer alone, Today's {len(keys)} keys": lambda: _FooterOnly(keys),
        f"Textual's table alone, Today's {len(rows)} rows": lambda: _TableOnly(rows),
    }
    floors = {}
    for name, make in apps.items():
        alone = Timed(partial(_run_paint, make), self_timed=True)
        floors[name] = time_pair(alone, bare, runs, warmup=1, repeats=1)
    return floors


def _run_paint(make: Callable[[], App[None]]) -> float:
    return asyncio.run(paint(make))


def report_lines(result: SessionResult, machine: str, command: str) -> list[str]:
    """The section RESULTS.md holds: the method, the presses, the startup ratio, profiles."""
    data = result.dataset
    met_kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(result.kinds.items()))
    lines = [
        HEADING,
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. {machine}",
        "",
        f"Dataset `{data.size.name}` (bench/generate.py, {data.path} path): {data.drills:,} "
        f"drills in {data.size.packs} packs, {data.ratings:,} ratings over {data.size.days} "
        f"days{'' if result.generated else ' (cached)'}. For the session, reviews_per_day "
        f"was set to {result.reviews_per_day} (after the startup runs, which keep the "
        f"dataset's own limit): {result.queued} drills in today's queue; the timed drills "
        f"were {met_kinds or 'none'}. Measured in {result.seconds:.0f} s.",
        "",
        "A headless session (Textual's `App.run_test()` at "
        f"{SIZE[0]}x{SIZE[1]}, driven by `Pilot`) started from Today with enter, on a clock "
        "at the morning after the history that moves 40 s a drill. For each drill, in turn: "
        "ctrl+r (reveal), space (tick the first key point), 3 (rate Good; the next drill's "
        "screen). A press is timed from just before `pilot.press(key)` until the end of "
        "the first terminal write after it whose text shows the press's effect: the app's "
        "`_display` (where Textual hands each compositor update to the driver) is wrapped "
        "to render every update to the terminal's bytes, as a terminal app does, and note "
        "when; the bytes, escape sequences removed, must hold the first words of the model "
        "answer (reveal), `[x]` and the key point's first words (tick), or the next drill's "
        "buyer line (rate). So each time includes the key's dispatch, the action and the "
        "rating's fsync'd write, mounting and layout, Textual's frame pacing (one paint per "
        "1/60 s at most) and the render; nothing forces a paint while a press is timed "
        "(`pilot.pause()` runs between presses, untimed: what the app does after the "
        "paint that shows a press, such as the footer's new keys, the hidden widgets the "
        "next reveal shows and a full collection after a new drill, runs there, as it "
        "would while the rep reads). Python's collector runs as the app sets it (below); "
        "no warm-up: the first drill counts. p95 is nearest-rank.",
        "",
        "| action | presses | median ms | p95 ms | max ms | target | met |",
        "| --- | ---: | ---: | ---: | ---: | --- | :---: |",
    ]
    for name, _, label in ACTIONS:
        stats = result.presses.get(name)
        if stats is None:
            continue
        met = "yes" if stats.p95 <= TARGET_P95_MS else "no"
        lines.append(
            f"| {label} | {stats.runs} | {ms_text(stats.median)} | {ms_text(stats.p95)} | "
            f"{ms_text(max(stats.samples))} | p95 <= {TARGET_P95_MS:.0f} ms | {met} |"
        )
    full = result.full_collections
    lines += [
        "",
        f"Python's collector ran {len(full)} full (generation 2) collections during the "
        f"timed presses (begun after a key and before the write that showed it), "
        f"{sum(full):,.0f} ms in all"
        + (f", the longest {max(full):,.0f} ms." if full else ".")
        + " The app freezes what it loaded at startup out of the collector's walks "
        "(`gc.freeze`) and, during a session, runs the full collections itself once each "
        "drill is painted, and freezes what each leaves (src/drillcoach/tui/memory.py); "
        "those fall between the presses, while the rep reads, where a key pressed at that "
        "moment waits for them.",
    ]
    every = sorted(result.every_collection)
    if every:
        lines[-1] += (
            f" While the timed drills ran, in the presses or between them, it ran "
            f"{len(every)} full collections: median {ms_text(every[len(every) // 2])} ms, "
            f"the longest {ms_text(every[-1])} ms."
        )
    if result.startup is not None and result.bare is not None:
        ratio = result.ratio
        met = "yes" if ratio is not None and ratio <= STARTUP_RATIO else "no"
        lines += [
            "",
            "Startup: bench/operations.py's TUI row (`_paint_today`: from building the app, "
            "its services opened on the profile folder, to its Today screen's queue table "
            "filled and painted) against its baseline (`_paint_bare`: a bare Textual app "
            "that paints one Static), in alternation, one untimed warm-up, in this process.",
            "",
            "| startup | runs | median ms | p95 ms | bare app median ms | ratio | target | met |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | :---: |",
            f"| TUI Today screen painted | {result.startup.runs} | "
            f"{ms_text(result.startup.median)} | {ms_text(result.startup.p95)} | "
            f"{ms_text(result.bare.median)} | {ratio:.1f}x | <= {STARTUP_RATIO}x | {met} |"
            if ratio is not None
            else "| TUI Today screen painted | - | - | - | - | - | - | - |",
        ]
        share, bare = result.textual_share, result.share_bare
        if share is not None and bare is not None and bare.median > 0:
            lines += [
                f"| of which Textual: the same app and Today, their facts gathered before "
                f"the clock starts | {share.runs} | {ms_text(share.median)} | "
                f"{ms_text(share.p95)} | {ms_text(bare.median)} | "
                f"{share.median / bare.median:.1f}x | - | - |",
                "",
                "The second row (`_paint_gathered` in bench/session.py, timed in alternation "
                "with the bare app of its own) builds the same app over services already "
                "open, and its Today screen takes a Today gathered beforehand: no library, "
                "store or queue work is left, only Textual composing, styling and painting "
                "Today's widgets (a table, buttons, the footer, the notices). It is the floor "
                "the first row can reach with drillcoach's own startup work at zero.",
            ]
        if result.floors:
            lines += [
                "",
                "Below that floor, two of Textual's own widgets, each in an app of its own "
                "(`_FooterOnly` and `_TableOnly`, timed in alternation with a bare app of "
                "their own): any Today that shows its keys in Textual's footer, or its "
                "queue in Textual's table, starts no faster than these.",
                "",
                "| alone | runs | median ms | bare app median ms | ratio |",
                "| --- | ---: | ---: | ---: | ---: |",
                *(f"| {name} | {alone.runs} | {ms_text(alone.median)} | "
                  f"{ms_text(base.median)} | {alone.median / base.median:.2f}x |"
                  for name, (alone, base) in result.floors.items()),
            ]  # fmt: skip
    for name, profile in result.profiles.items():
        what = "one startup to Today painted" if name == "startup" else f"the {name} presses"
        lines += [
            "",
            f"Profile of {what} (cProfile, the event loop's own frames left out; cProfile "
            "slows Python code, not SQLite; a collection by Python's collector counts in "
            "the own time of whatever call allocated when it began, such as `__init__`s or "
            "`hasattr`):",
            "",
            "```",
            *profile,
            "```",
        ]
    return lines
