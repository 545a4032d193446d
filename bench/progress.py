"""A rep's Progress screen over a long history, measured (issue 12, "Speed": computed in
300 ms or less with a 2,000-drill library and two years of daily reviews): what the
screen's worker computes, with the cards kept and with every card built first, each
beside one SELECT of the rep's self-ratings in the same run; and a profile of one run.

bench/run.py runs it (``--only progress`` alone); the dataset is bench/generate.py's
``progress`` size, cached like the others.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import Dataset
from bench.measure import Stats, ms_text, time_pair
from bench.operations import PROGRESS_OPERATIONS, Operation, Workbench
from drillcoach.events import Commitment
from drillcoach.progress.model import RepSummary

HEADING = "## Progress summary (issue 12)"
TARGET_MS = 300.0  # the warm summary's limit
BASELINE_REPEATS = 3  # as bench/run.py
PROFILE_TOP = 25


@dataclass(frozen=True)
class ProgressRow:
    operation: Operation
    stats: Stats
    baseline: Stats


@dataclass
class ProgressResult:
    dataset: Dataset
    generated: bool
    summary: RepSummary
    manager_ratings: int
    assignments: int
    commitments: int
    rows: list[ProgressRow] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    seconds: float = 0.0


def profile_lines(run: Callable[[], object], top: int = PROFILE_TOP) -> list[str]:
    """cProfile's top ``top`` lines by cumulative time of one call of ``run``, the
    collector off during it as in the timed runs (bench/measure.py)."""
    profile = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        profile.runcall(run)
    finally:
        gc.enable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(
        pstats.SortKey.CUMULATIVE
    ).print_stats(top)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    called = next((line.strip() for line in lines if "function calls" in line), "")
    header = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return [called, "", *[line for line in lines[header:] if line.strip()]]


def measure_progress(
    dataset: Dataset,
    generated: bool,
    runs: int,
    scratch_dir: Path,
    *,
    profile: bool = True,
    log: Callable[[str], None] = print,
) -> ProgressResult:
    """Time each of PROGRESS_OPERATIONS ``runs`` times on a working copy of ``dataset``
    (its cards brought up to date first, as a rep's database has them)."""
    started = time.perf_counter()
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_dir, prefix="work-") as scratch:
        bench = Workbench(dataset, Path(scratch))
        try:
            bench.services.scheduler.queue()  # the card cache, as a rep's database has it
            store, rep = bench.services.store, bench.services.scheduler.rep
            result = ProgressResult(dataset, generated, bench.summary(),
                                    len(store.manager_ratings(rep)), len(store.assignments()),
                                    len(store.coaching(rep, Commitment)))  # fmt: skip
            for operation in PROGRESS_OPERATIONS:
                log(f"[{dataset.size.name}] {operation.name} ...")
                stats, baseline = time_pair(
                    bench.timed(operation.name),
                    bench.baseline(operation.name),
                    runs,
                    warmup=0 if operation.cold else 1,
                    repeats=BASELINE_REPEATS,
                )
                result.rows.append(ProgressRow(operation, stats, baseline))
            if profile:
                log(f"[{dataset.size.name}] progress, profiled ...")
                result.profile = profile_lines(bench.timed("progress").run)
        finally:
            bench.close()
    result.seconds = time.perf_counter() - started
    return result


def report_lines(result: ProgressResult, machine: str, command: str) -> list[str]:
    """The section RESULTS.md holds: the dataset, the table, the profile."""
    data, summary = result.dataset, result.summary
    drilled = sum(1 for _, count in summary.habit.calendar if count)
    lines = [
        HEADING,
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. {machine}",
        "",
        f"Dataset `{data.size.name}` (bench/generate.py, {data.path} path): a rep with "
        f"{data.drills:,} drills in {data.size.packs} packs, {data.ratings:,} self-ratings "
        f"over {data.size.days} days (about {data.ratings / (data.size.days * 0.9):.0f} a "
        f"drilling day, one day in ten off), {result.manager_ratings:,} manager ratings, "
        f"{result.assignments} assignments, {result.commitments} commitments; generated in "
        f"{data.generate_seconds:.0f} s{'' if result.generated else ' (cached)'}, measured in "
        f"{result.seconds:.0f} s. The summary it computes: {len(summary.skills)} skills, "
        f"{len(summary.calibration)} calibrated against the manager, {len(summary.packs)} "
        f"packs, {drilled} of the last {len(summary.habit.calendar)} days drilled, "
        f"{summary.retention.reviews:,} reviews in the retention window.",
        "",
        "Each run is what the Progress screen's worker computes (tui/screens/progress.py, "
        "`summary_apart`: the services on a database connection of their own, then "
        "`progress.summary.rep_summary`), on a clock fixed at the morning after the "
        "history. Runs alternate with the baseline as in the timings above (each run "
        f"followed by {BASELINE_REPEATS} of the baseline, one untimed warm-up first). "
        '"Cards kept" is the normal case: every rating moves its card as it is stored. '
        '"Every card built first" has the cards\' stamp made stale before each run (no '
        "warm-up): the first summary ever, or the first after a change to how cards are "
        "computed, replays every card from history.",
        "",
        "| operation | runs | median ms | p95 ms | baseline | baseline median ms | "
        "x baseline | target | met |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- | :---: |",
    ]
    for row in result.rows:
        stats, base = row.stats, row.baseline
        ratio = f"{stats.median / base.median:,.1f}x" if base.median > 0 else "-"
        target, met = "-", "-"
        if row.operation.name == "progress":
            target = f"<= {TARGET_MS:.0f} ms"
            met = "yes" if stats.median <= TARGET_MS else "no"
        lines.append(
            f"| {row.operation.label} | {stats.runs} | {ms_text(stats.median)} | "
            f"{ms_text(stats.p95)} | {row.operation.baseline} | {ms_text(base.median)} | {ratio} | "
            f"{target} | {met} |"
        )
    if result.profile:
        lines += [
            "",
            "Profile of one more run, cards kept (cProfile, by cumulative time, the collector "
            "off as in the timed runs; cProfile slows Python code, not SQLite):",
            "",
            "```",
            *result.profile,
            "```",
        ]
    return lines


def replace_section(text: str, section: str) -> str:
    """``text`` (a RESULTS.md) with the section of ``section``'s heading (its first line)
    replaced by ``section``, or ``section`` appended when it has none; every other section
    as it was."""
    lines = text.splitlines()
    heading = section.strip().splitlines()[0].strip()
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        head = text.rstrip("\n") + "\n\n" if text.strip() else ""
        return head + section.strip("\n") + "\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))  # fmt: skip
    kept = lines[:start] + section.strip("\n").splitlines()
    if end < len(lines):
        kept += ["", *lines[end:]]
    return "\n".join(kept) + "\n"
