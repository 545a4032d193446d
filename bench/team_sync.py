"""Team sync, measured (issue 9, "Speed") on a workspace of bench/team.py, each figure
beside ``json.loads`` of the same lines in the same run:

- cold: the director's first ``drillcoach sync`` (they see everyone), importing every
  event of the workspace;
- incremental: the director's sync after every rep appended one day and pushed (one
  commit and push from a second clone stands for the reps' pushes);
- rep: a rep with two years of history of their own drills one day and syncs: export,
  commit, pull, import what concerns them (their managers' ratings of them), push.

git is real throughout: a bare repository on disk as the remote, a clone per person.

    python bench/team_sync.py [--size full|medium|smoke] [--profile cold|incremental|rep]
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: the repository root instead of bench/
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import cProfile
import gc
import io
import itertools
import json
import os
import pstats
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import TypeVar

import tomli_w

from bench.generate import FakeClock, draw_rating, make_attempt
from bench.team import (
    DEFAULT_DATA_DIR,
    DEFAULT_SEED,
    DIRECTOR,
    TEAM_SIZES,
    TeamData,
    TeamSize,
    Writer,
    clone,
    ensure_team,
    event_files,
    git,
    library,
    rep_id,
    scratch_remote,
    write_day,
)
from bench.team import drill_infos as team_drills
from bench.team import members as team_members
from drillcoach.events import Event, from_dict
from drillcoach.services import Services, open_services
from drillcoach.team.eventlog import EXPORTED
from drillcoach.team.sync import SyncReport, sync

T = TypeVar("T")
REP = rep_id(1)  # the rep whose sync is measured
KEPT = 25  # reps the director has looked at (their cards kept) for the second incremental


@dataclass
class Timing:
    """One timed sync: its wall time, its steps, and the lines it read."""

    seconds: float
    report: SyncReport
    steps: dict[str, float] = field(default_factory=dict)
    lines: int = 0  # lines new to this sync in the files it reads
    baseline: float = 0.0  # seconds json.loads took over the same lines, same run


@dataclass
class TeamResult:
    data: TeamData
    generated: bool
    cold: Timing | None = None
    incremental: list[Timing] = field(default_factory=list)
    incremental_kept: list[Timing] = field(default_factory=list)  # KEPT reps' cards kept
    rep_first: Timing | None = None
    rep: list[Timing] = field(default_factory=list)
    view_rep_seconds: float = 0.0  # the director first looks at one rep: cards built
    view_rep_ratings: int = 0
    store_bytes: int = 0
    store_events: int = 0
    seconds: float = 0.0
    profile: str = ""


def json_baseline(lines: Sequence[bytes]) -> float:
    """Seconds ``json.loads`` takes over ``lines`` (the best of three)."""
    loads = json.loads
    best = float("inf")
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        for line in lines:
            loads(line)
        best = min(best, time.perf_counter() - started)
    return best


def file_lines(paths: Sequence[Path]) -> list[bytes]:
    return [line for path in paths for line in path.read_bytes().splitlines()]


def write_home(home: Path, member: str, workspace: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    settings = {"name": member, "member": member, "workspace": str(workspace)}
    (home / "config.toml").write_text(tomli_w.dumps(settings), encoding="utf-8")
    return home


def timed_sync(
    services: Services, profile: cProfile.Profile | None = None
) -> tuple[float, SyncReport, dict[str, float]]:
    """One sync, timed, with the time of each step it reported."""
    marks: list[tuple[str, float]] = []

    def progress(step: str, done: int | None = None, total: int | None = None) -> None:
        marks.append((step, time.perf_counter()))

    gc.collect()
    started = time.perf_counter()
    if profile is not None:
        report = profile.runcall(sync, services, progress=progress)
    else:
        report = sync(services, progress=progress)
    ended = time.perf_counter()
    steps: dict[str, float] = {}
    points = [("start", started), *marks, ("end", ended)]
    for (name, at), (_, after) in itertools.pairwise(points):
        if name.startswith("read "):
            name = "refresh cards, assignments"  # what follows the import itself
        elif name.startswith("updating the cards"):
            name = "cards"  # every touched rep's cards kept up to date (built, the first time)
        steps[name] = steps.get(name, 0.0) + after - at
    return ended - started, report, steps


class TeamBench:
    """A scratch copy of the cached remote with three clones: the director's, the reps'
    (one commit and push for all the reps who are not measured) and the measured rep's."""

    def __init__(self, data: TeamData, scratch: Path) -> None:
        self.data = data
        self.scratch = scratch
        self.remote = scratch_remote(data, scratch / "remote.git")
        self.members = {m.id: m for m in team_members(data.size)}
        self.reps = [m.id for m in self.members.values() if m.role == "rep"]
        self.drills = team_drills(library())
        self.day = data.next_day
        self.director_ws = clone(data, self.remote, scratch / "director-ws")
        self.writer_ws = clone(data, self.remote, scratch / "reps-ws")
        self.clock = FakeClock(self._evening())
        home = write_home(scratch / "director", DIRECTOR, self.director_ws)
        self.director = open_services(home, clock=self.clock, tz=UTC)
        self.rep_services: Services | None = None
        self.rep_clock = FakeClock(self._evening())
        self.rep_workspace = scratch / "rep-ws"

    def close(self) -> None:
        self.director.close()
        if self.rep_services is not None:
            self.rep_services.close()

    def _evening(self) -> datetime:
        return datetime.combine(self.day, clock_time(21), UTC)

    # --- the director

    def cold(self, profile: cProfile.Profile | None = None) -> Timing:
        lines = file_lines(list(event_files(self.director_ws)))
        baseline = json_baseline(lines)
        seconds, report, steps = timed_sync(self.director, profile)
        return Timing(seconds, report, steps, len(lines), baseline)

    def push_day(self, reps: Sequence[str]) -> list[bytes]:
        """Every one of ``reps`` appends the next day (and their managers rate that day),
        committed and pushed at once from the reps' clone; the lines written."""
        git(self.writer_ws, "pull", "--quiet", "--rebase")
        before = {p: p.stat().st_size for p in event_files(self.writer_ws)}
        write_day(Writer(self.writer_ws), self.members, reps, self.day, self.data.seed,
                  self.drills, self.data.size)  # fmt: skip
        git(self.writer_ws, "add", "--all", "--", "events")
        git(self.writer_ws, "commit", "--quiet", f"--message=bench: the reps' {self.day}")
        git(self.writer_ws, "push", "--quiet")
        lines = []
        for path in event_files(self.writer_ws):
            with open(path, "rb") as file:
                file.seek(before.get(path, 0))
                lines.extend(file.read().splitlines())
        return lines

    def incremental(self, profile: cProfile.Profile | None = None) -> Timing:
        lines = self.push_day(self.reps)
        self.clock.set(self._evening())
        baseline = json_baseline(lines)
        seconds, report, steps = timed_sync(self.director, profile)
        self.day += timedelta(days=1)
        return Timing(seconds, report, steps, len(lines), baseline)

    def view_rep(self, rep: str) -> tuple[float, int]:
        """The director first looks at one rep after the import: that rep's cards are
        built from their whole history (seconds, ratings replayed)."""
        scheduler = self.director.scheduler_for(rep)
        count = len(self.director.store.self_ratings(rep))
        gc.collect()
        started = time.perf_counter()
        scheduler.cards.ready()
        return time.perf_counter() - started, count

    # --- the rep

    def rep_setup(self) -> Timing:
        """The measured rep's machine: their own two years in their store (as drilled and
        exported), their cards built, and their first sync (timed: it reads every manager
        rating in their managers' folders)."""
        workspace = self.rep_workspace = clone(self.data, self.remote, self.scratch / "rep-ws")
        home = write_home(self.scratch / "rep", REP, workspace)
        self.rep_clock.set(self._evening())
        services = self.rep_services = open_services(home, clock=self.rep_clock, tz=UTC)
        own: list[Event] = []
        for path in sorted((workspace / "events" / REP).glob("*.jsonl")):
            own.extend(from_dict(json.loads(line)) for line in path.read_bytes().splitlines())
        services.store.add_many(own)
        last = services.store.tuples("SELECT MAX(id) FROM ratings")[0][0]
        services.store.set_setting(EXPORTED.format(member=REP), {"ratings": int(last)})
        services.scheduler.cards.rebuild()
        paths = [p for m in (DIRECTOR, self.members[REP].manager or DIRECTOR)
                 for p in sorted((workspace / "events" / m).glob("*.jsonl"))]  # fmt: skip
        lines = file_lines(paths)
        baseline = json_baseline(lines)
        seconds, report, steps = timed_sync(services)
        return Timing(seconds, report, steps, len(lines), baseline)

    def rep_day(self, profile: cProfile.Profile | None = None) -> Timing:
        """The rep drills one day (15 ratings through the domain), the others push their
        day, and the rep syncs."""
        services = self.rep_services
        assert services is not None
        rng = random.Random(f"rep-day:{self.day}")
        self.rep_clock.set(datetime.combine(self.day, clock_time(8), UTC))
        drills = [d for d in services.library.drills()]
        limit = services.config.default_time_limit
        for _ in range(15):
            drill = drills[rng.randrange(len(drills))]
            rating = draw_rating(rng, False)
            attempt = make_attempt(rng, drill, rating, limit)
            services.scheduler.record_self(drill, rating, attempt)
            self.rep_clock.advance(90)
        others = [rep for rep in self.reps if rep != REP]
        pushed = self.push_day(others)
        manager = self.members[REP].manager or DIRECTOR
        read = [line for line in pushed if b'"by":"' + manager.encode() in line
                or f'"by":"{DIRECTOR}"'.encode() in line]  # fmt: skip
        own_file = self.rep_workspace / "events" / REP / f"{self.day:%Y-%m}.jsonl"
        size = own_file.stat().st_size if own_file.exists() else 0
        self.rep_clock.set(self._evening())
        seconds, report, steps = timed_sync(services, profile)
        with open(own_file, "rb") as file:
            file.seek(size)
            lines = read + file.read().splitlines()
        baseline = json_baseline(lines)
        self.day += timedelta(days=1)
        return Timing(seconds, report, steps, len(lines), baseline)


def measure_team(
    size: TeamSize,
    data_dir: Path = DEFAULT_DATA_DIR,
    seed: int = DEFAULT_SEED,
    runs: int | None = None,
    log: Callable[[str], None] = print,
) -> TeamResult:
    data, generated = ensure_team(size, data_dir, seed)
    state = f"generated in {data.generate_seconds:.0f} s" if generated else "cached"
    log(f"[team {size.name}] {data.self_ratings:,} self-ratings, {data.manager_ratings:,} "
        f"manager ratings ({state})")  # fmt: skip
    result = TeamResult(data, generated)
    started = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix="team-work-") as scratch:
        bench = TeamBench(data, Path(scratch))
        try:
            log(f"[team {size.name}] director's cold import ...")
            result.cold = bench.cold()
            database = bench.director.paths.database
            bench.director.store.query("PRAGMA wal_checkpoint(TRUNCATE)")
            result.store_bytes = database.stat().st_size
            counted = bench.director.store.tuples(
                "SELECT (SELECT COUNT(*) FROM ratings) + (SELECT COUNT(*) FROM undos) + "
                "(SELECT COUNT(*) FROM requests) + (SELECT COUNT(*) FROM sharing)"
            )
            result.store_events = int(counted[0][0])
            for number in range(runs or size.runs):
                log(f"[team {size.name}] director's incremental sync {number + 1} ...")
                result.incremental.append(bench.incremental())
            log(f"[team {size.name}] director looks at one rep ...")
            result.view_rep_seconds, result.view_rep_ratings = bench.view_rep(rep_id(2))
            looked = bench.reps[: min(KEPT, len(bench.reps))]
            log(f"[team {size.name}] director looks at {len(looked)} reps, then syncs ...")
            for rep in looked:
                bench.view_rep(rep)
            result.incremental_kept.append(bench.incremental())
            log(f"[team {size.name}] rep's first sync ...")
            result.rep_first = bench.rep_setup()
            for number in range(runs or size.runs):
                log(f"[team {size.name}] rep's sync {number + 1} ...")
                result.rep.append(bench.rep_day())
        finally:
            bench.close()
    result.seconds = time.perf_counter() - started
    return result


def profile_team(size: TeamSize, what: str, data_dir: Path, seed: int, top: int) -> str:
    """cProfile's top lines (cumulative) of one sync: cold, incremental or rep."""
    data, _ = ensure_team(size, data_dir, seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory(dir=data_dir, prefix="team-profile-") as scratch:
        bench = TeamBench(data, Path(scratch))
        try:
            timing = bench.cold(profile if what == "cold" else None)
            if what == "incremental":
                bench.incremental()  # the first one after a cold import pays for git's index
                timing = bench.incremental(profile)
            elif what == "rep":
                bench.rep_setup()
                bench.rep_day()
                timing = bench.rep_day(profile)
        finally:
            bench.close()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    head = (
        f"{what} sync, team {size.name}: {timing.seconds:.2f} s wall, "
        f"{timing.report.added:,} added, {timing.lines:,} lines (under cProfile)\n"
    )
    return head + out.getvalue()


# --- the report


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


def _median(timings: Sequence[Timing], pick: Callable[[Timing], float]) -> float:
    return statistics.median(pick(t) for t in timings) if timings else 0.0


def report_lines(result: TeamResult, machine: str) -> list[str]:
    data, size = result.data, result.data.size
    per_line = data.lines_bytes / max(1, data.self_ratings + data.manager_ratings)
    lines = [
        "## Team sync (issue 9)",
        "",
        f"Team `{size.name}`: a director, {size.managers} managers, {size.reps} reps; "
        f"{size.days} days of history, {size.per_day - 5} to {size.per_day + 5} "
        f"self-ratings a rep a day; {data.self_ratings:,} self-ratings and "
        f"{data.manager_ratings:,} manager ratings in "
        f"{data.lines_bytes / 2**20:,.0f} MiB of event lines ({per_line:.0f} bytes a line); "
        f"each manager's assignments. Generated by bench/team.py in "
        f"{data.generate_seconds:.0f} s{'' if result.generated else ' (cached)'}; measured in "
        f"{result.seconds:.0f} s. {machine}",
        "",
        "Each sync is `drillcoach sync`'s `sync()` with real git (a bare repository on disk, "
        "a clone per person). The baseline is `json.loads` of the same lines in the same run "
        "(the best of three passes): for the cold import every line of the workspace, for "
        "the incremental sync the lines the reps pushed, for the rep's sync the lines of "
        "their managers' folders new to them plus as many as they wrote.",
        "",
        "| sync | runs | lines | median s | events/s | json.loads s | x json.loads | "
        "target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |",
    ]

    def row(name: str, timings: Sequence[Timing], target: str, met: bool | None) -> None:
        if not timings:
            return
        seconds = _median(timings, lambda t: t.seconds)
        base = _median(timings, lambda t: t.baseline)
        count = int(_median(timings, lambda t: float(t.lines)))
        added = int(_median(timings, lambda t: float(t.report.added)))
        ratio = f"{seconds / base:,.1f}x" if base > 0 else "-"
        flag = "-" if met is None else ("yes" if met else "no")
        lines.append(
            f"| {name} | {len(timings)} | {count:,} | {seconds:,.2f} | "
            f"{rate(added, seconds)} | {base:.3f} | {ratio} | {target} | {flag} |"
        )

    if result.cold:
        cold = result.cold
        speed = cold.report.added / cold.seconds
        row("director, first (cold) import of everything", [cold], ">= 150,000 events/s",
            speed >= 150_000)  # fmt: skip
    inc = _median(result.incremental, lambda t: t.seconds)
    row("director, one new day of every rep", result.incremental, "<= 1 s",
        inc <= 1.0 if result.incremental else None)  # fmt: skip
    kept = _median(result.incremental_kept, lambda t: t.seconds)
    looked = min(KEPT, size.reps)
    met = kept <= 1.0 if result.incremental_kept else None
    name = f"director, one new day, after looking at {looked} reps (their cards kept)"
    row(name, result.incremental_kept, "<= 1 s", met)
    if result.rep_first:
        row("rep, first sync (every manager rating read)", [result.rep_first], "-", None)
    rep = _median(result.rep, lambda t: t.seconds)
    row("rep, one day drilled and synced", result.rep, "<= 0.5 s",
        rep <= 0.5 if result.rep else None)  # fmt: skip
    lines += ["", "Where the time went (median seconds per step):", "",
              "| sync | " + " | ".join(STEP_NAMES.values()) + " |",
              "| --- |" + " ---: |" * len(STEP_NAMES)]  # fmt: skip
    for name, timings in (("cold", [result.cold] if result.cold else []),
                          ("incremental", result.incremental),
                          (f"incremental, {min(KEPT, size.reps)} reps' cards kept",
                           result.incremental_kept), ("rep", result.rep)):  # fmt: skip
        if timings:
            cells = [f"{_median(timings, lambda t, k=k: t.steps.get(k, 0.0)):.3f}"  # type: ignore[misc]
                     for k in STEP_NAMES]  # fmt: skip
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if result.cold and result.store_events:
        lines += [
            "",
            f"The director's store after the cold import: {result.store_bytes / 2**20:,.0f} "
            f"MiB for {result.store_events:,} events, "
            f"{result.store_bytes / result.store_events:.0f} bytes an event (indexes "
            f"included, the WAL checkpointed). Every rep's cards are kept by the sync "
            f"(built at the first), so the director looking at a rep for the first time "
            f"finds them ready: {result.view_rep_seconds:.2f} s for a rep of "
            f"{result.view_rep_ratings:,} ratings.",
        ]
    return lines


STEP_NAMES = {
    "start": "recover, export, commit",
    "writing your events": "export, commit",
    "pulling from the team's repository": "pull",
    "reading the team's events": "import",
    "refresh cards, assignments": "assignments",
    "cards": "reps' cards",
    "pushing your events": "push",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", choices=list(TEAM_SIZES), default="smoke")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--profile", choices=("cold", "incremental", "rep"))
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    size = TEAM_SIZES[args.size]
    if args.profile:
        print(profile_team(size, args.profile, args.data_dir, args.seed, args.top))
        return 0
    result = measure_team(size, args.data_dir, args.seed, args.runs)
    print("\n".join(report_lines(result, "")))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    sys.exit(main())
