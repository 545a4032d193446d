"""The team report, measured (issue 12, "Speed"): a director's ``drillcoach report --team``
over the workspace of bench/team.py (at full size 500 reps under 25 managers, 5.5 M
events), in every format, each run a process of its own timed with its peak memory,
beside a baseline process measured in the same run: the same start (Python, drillcoach's
imports, the director's settings, library and store opened) without the report.

The director's store is the one their syncs made: the first (cold) sync, which imports
every event and keeps every rep's cards, then one more day of every rep synced. The
report's clock is the evening of the last day synced (the generated history is in the
past), which is why the run is the report's own function (cli/report.py ``_team_report``,
what the command runs after opening its services) rather than the command itself.

    python bench/team_report.py [--size full|medium|smoke] [--runs N]
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: the repository root instead of bench/
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench.measure import Stats, Timed, run_child, time_pair
from bench.team import DEFAULT_DATA_DIR, DEFAULT_SEED, TEAM_SIZES, TeamData, TeamSize, ensure_team
from bench.team_sync import TeamBench, Timing
from drillcoach.progress.team_facts import PARALLEL_FROM, processors

HEADING = "## Team report (issue 12)"
FORMATS = ("text", "md", "csv", "json", "html")
TARGET_SECONDS = 3.0
TARGET_PEAK_MB = 300
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ReportRow:
    label: str
    stats: Stats  # ms
    baseline: Stats  # ms
    peak_bytes: int | None
    output_bytes: int
    children_peak_bytes: int  # the largest process it started (0: it started none)


@dataclass
class ReportResult:
    data: TeamData
    generated: bool
    cold: Timing | None = None
    incremental: Timing | None = None
    rows: list[ReportRow] = field(default_factory=list)
    reps: int = 0
    seconds: float = 0.0


def child_argv(home: Path, now: datetime, form: str | None, out: Path) -> list[str]:
    """The command of one run (bench/report_child.py): the report in ``form`` written to
    ``out``; None: the baseline, which opens all the report opens and writes nothing."""
    argv = [sys.executable, "-m", "bench.report_child", str(home), now.isoformat(), str(out)]
    return [*argv, form] if form is not None else argv


def _measured(
    home: Path, now: datetime, form: str, runs: int, scratch: Path, label: str
) -> ReportRow:
    out = scratch / f"report.{form}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    report = child_argv(home, now, form, out)
    floor = child_argv(home, now, None, out)

    def run(argv: list[str]) -> Callable[[], float]:
        return lambda: run_child(argv, env=env).seconds * 1000

    stats, baseline = time_pair(Timed(run(report), self_timed=True),
                                Timed(run(floor), self_timed=True), runs, repeats=1)  # fmt: skip
    peak = run_child(report, env=env, peak_memory=True).peak_rss_bytes
    children = int(Path(f"{out}.children").read_text(encoding="utf-8")) * 1024
    return ReportRow(label, stats, baseline, peak, out.stat().st_size, children)


def measure_report(
    size: TeamSize,
    data_dir: Path = DEFAULT_DATA_DIR,
    seed: int = DEFAULT_SEED,
    runs: int | None = None,
    log: Callable[[str], None] = print,
) -> ReportResult:
    data, generated = ensure_team(size, data_dir, seed)
    result = ReportResult(data, generated)
    started = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix="team-report-") as scratch_name:
        scratch = Path(scratch_name)
        bench = TeamBench(data, scratch)
        try:
            log(f"[team report {size.name}] the director's first sync ...")
            result.cold = bench.cold()
            log(f"[team report {size.name}] one more day of every rep, synced ...")
            result.incremental = bench.incremental()
            result.reps = len(bench.reps)
            now = bench.clock()
        finally:
            bench.close()
        home = scratch / "director"
        count = runs or size.runs
        for form in FORMATS:
            log(f"[team report {size.name}] report --team --format {form} ...")
            result.rows.append(
                _measured(home, now, form, count, scratch, f"`report --team --format {form}`")
            )
    result.seconds = time.perf_counter() - started
    return result


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def report_lines(result: ReportResult, machine: str, command: str) -> list[str]:
    """The section RESULTS.md holds."""
    data = result.data
    cold, incremental = result.cold, result.incremental
    lines = [
        HEADING,
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. {machine}",
        "",
        f"Team `{data.size.name}` (bench/team.py): {result.reps} reps under "
        f"{data.size.managers} managers and a director, {data.self_ratings:,} self-ratings and "
        f"{data.manager_ratings:,} manager ratings over {data.size.days} days; measured in "
        f"{result.seconds:.0f} s. The director's store is the one their syncs made: the "
        f"first sync ({cold.seconds:.0f} s: the import, then every rep's cards kept)"
        if cold
        else "",
    ]
    if incremental is not None:
        lines[-1] += (
            f", then one more day of every rep ({incremental.lines:,} lines, synced in "
            f"{incremental.seconds:.2f} s)."
        )
    lines += [
        "",
        "Each run is a process: the director's services opened on a clock at the evening "
        "of the last day synced, then `drillcoach report --team`'s own function "
        "(cli/report.py `_team_report`: every manager's team, each rep read once, lean: "
        "progress/team_facts.py), its output written to a file. The baseline is the same "
        "process without the report (Python, imports, settings, library and store "
        "opened), run after each run of the report. Peak memory: one more run, its "
        "VmHWM; with 200 reps or more, the report reads them in a process per processor "
        "(progress/apart.py), and the peak is then the report's own plus each of those "
        "processes' at most (their largest, from `getrusage`).",
        "",
        "| operation | runs | median ms | p95 ms | baseline median ms | x baseline | "
        "peak MiB | output KiB | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | :---: |",
    ]
    workers = max(1, min(processors(), result.reps // PARALLEL_FROM))
    for row in result.rows:
        stats, base = row.stats, row.baseline
        own = row.peak_bytes / 2**20 if row.peak_bytes else 0.0
        each = row.children_peak_bytes / 2**20
        total = own + workers * each if each else own
        peak = f"{own:.0f} + {workers} x {each:.0f} = {total:.0f}" if each else f"{own:.0f}"
        met = stats.median <= TARGET_SECONDS * 1000 and total <= TARGET_PEAK_MB
        lines.append(
            f"| {row.label} | {stats.runs} | {_ms(stats.median)} | {_ms(stats.p95)} | "
            f"{_ms(base.median)} | {stats.median / base.median:.1f}x | {peak} | "
            f"{row.output_bytes / 1024:,.0f} | <= {TARGET_SECONDS:.0f} s, <= "
            f"{TARGET_PEAK_MB} MiB | {'yes' if met else 'no'} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", choices=list(TEAM_SIZES), default="smoke")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    result = measure_report(TEAM_SIZES[args.size], args.data_dir, args.seed, args.runs)
    from bench.run import machine_line

    command = f"python bench/team_report.py --size {args.size}"
    print("\n".join(report_lines(result, machine_line(), command)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    sys.exit(main())
