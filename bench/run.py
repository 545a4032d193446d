"""Benchmarks drillcoach at growing sizes, each operation beside a baseline timed in the
same run on the same data (and beside Anki where it is installed); writes a Markdown table.

    python bench/run.py [--quick] [--sizes small,medium,large|none] [--runs N] [--out FILE]
                        [--team full|medium|smoke|none]
                        [--only progress|team-report|session|status]

The team sections (bench/team_sync.py: a manager's and a rep's sync over git on a generated
team workspace; bench/team_report.py: a director's team report over it) run at --team's
size, "full" by default and "none" with --quick. The Progress section (bench/progress.py:
a rep's summary over two years) runs except with --quick. ``--only progress`` or
``--only team-report`` runs that section alone and writes it into --out in place of its
earlier version, the rest of the file as it was; ``--only session`` runs the session
latency section (bench/session.py) and ``--only status`` the prompt line's (bench/status.py),
which no full run includes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The repository root instead of bench/ on the path: bench/profile.py must not shadow the
# standard library's profile module, and the bench package imports as ``bench``.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import compileall
import json
import os
import platform
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import drillcoach
from bench.generate import (
    DEFAULT_DATA_DIR,
    DEFAULT_SEED,
    SIZES,
    Dataset,
    HistoryPath,
    Size,
    dataset_root,
    ensure_dataset,
    load_dataset,
)
from bench.measure import Stats, ms_text, time_pair
from bench.operations import OPERATIONS, Operation, Workbench
from bench.progress import measure_progress, replace_section
from bench.progress import report_lines as progress_lines
from bench.session import measure_session
from bench.session import report_lines as session_lines
from bench.status import measure_status
from bench.status import report_lines as status_lines
from bench.team import TEAM_SIZES
from bench.team_report import measure_report
from bench.team_report import report_lines as team_report_lines
from bench.team_sync import measure_team, report_lines

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "RESULTS.md"
ANKI_CANDIDATES = (sys.executable, "/tmp/ankivenv/bin/python")
BASELINE_REPEATS = 3  # baseline samples per operation run: a cheap baseline, hit by noise


@dataclass(frozen=True)
class Row:
    operation: Operation
    stats: Stats
    baseline: Stats
    anki: Stats | None = None
    peak_mb: float | None = None


@dataclass
class SizeResult:
    dataset: Dataset
    generated: bool
    runs: int
    rows: list[Row] = field(default_factory=list)
    disk: tuple[float, float, float] = (0.0, 0.0, 0.0)
    anki: dict[str, Any] | None = None
    seconds: float = 0.0


# --- Anki, in an interpreter that has it


def find_anki_python(choice: str, timeout: float) -> str | None:
    """The interpreter to run bench/anki_bench.py with: ``choice``, or with "auto" the
    first of this one and /tmp/ankivenv that imports anki; None: no Anki."""
    if choice == "none":
        return None
    for candidate in ANKI_CANDIDATES if choice == "auto" else (choice,):
        if not Path(candidate).exists():
            continue
        try:
            found = subprocess.run([candidate, "-c", "import anki.collection"], timeout=timeout,
                                   capture_output=True, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            continue
        if found.returncode == 0:
            return candidate
    return None


def run_anki(python: str, dataset: Dataset, runs: int) -> dict[str, Any]:
    argv = [
        python, str(BENCH_DIR / "anki_bench.py"),
        "--collection", str(dataset.root / "anki" / "collection.anki2"),
        "--cards", str(dataset.drills), "--revlog", str(dataset.ratings),
        "--days", str(dataset.size.days), "--seed", str(dataset.seed), "--runs", str(runs),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"anki_bench.py failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- one size


def bench_size(
    size: Size, runs: int, args: argparse.Namespace, anki_python: str | None
) -> SizeResult:
    print(f"[{size.name}] dataset ...", flush=True)
    dataset, generated = ensure_dataset(size, args.data_dir, args.seed, args.path)
    started = time.perf_counter()
    state = f"generated in {dataset.generate_seconds:.1f} s" if generated else "cached"
    print(f"[{size.name}] {dataset.drills} drills, {dataset.ratings} ratings ({state})", flush=True)
    result = SizeResult(dataset, generated, runs)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.data_dir, prefix="work-") as scratch:
        bench = Workbench(dataset, Path(scratch))
        try:
            bench.services.scheduler.queue()  # the card cache, as a rep's database has it
            result.disk = bench.bytes_per_rating(Path(scratch))
            for operation in OPERATIONS:
                print(f"[{size.name}] {operation.name} ...", flush=True)
                warmup = 0 if operation.cold else 1
                stats, baseline = time_pair(
                    bench.timed(operation.name),
                    bench.baseline(operation.name),
                    runs,
                    warmup=warmup,
                    repeats=BASELINE_REPEATS,
                )
                peak = bench.peak_memory(operation.name)
                peak_mb = peak / 2**20 if peak is not None else None
                result.rows.append(Row(operation, stats, baseline, peak_mb=peak_mb))
        finally:
            bench.close()
    if anki_python is not None:
        print(f"[{size.name}] anki ...", flush=True)
        result.anki = run_anki(anki_python, dataset, runs)
        result.rows = [
            Row(row.operation, row.stats, row.baseline, Stats(tuple(result.anki[key])),
                row.peak_mb) if (key := row.operation.anki) else row
            for row in result.rows
        ]  # fmt: skip
    result.seconds = time.perf_counter() - started
    return result


# --- the report


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "drillcoach": version("drillcoach"),
        "fsrs": version("fsrs"),
        "textual": version("textual"),
    }


def _ratio(value: float, base: float) -> str:
    return f"{value / base:,.1f}x" if base > 0 else "-"


def report(results: Sequence[SizeResult], command: str) -> str:
    info = machine()
    anki = next((r.anki["version"] for r in results if r.anki), "not measured")
    lines = [
        "# drillcoach benchmarks",
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}; "
        f"SQLite {info['sqlite']}; drillcoach {info['drillcoach']}, fsrs {info['fsrs']}, "
        f"textual {info['textual']}, anki {anki}.",
        "",
        "Each operation ran in alternation with its baseline on the same data, each run "
        f"followed by {BASELINE_REPEATS} runs of the baseline (after one untimed warm-up, "
        "except for the cold operations). p95 is nearest-rank: with fewer than 20 runs "
        "it is the slowest run. Ratios are of medians. Anki's queue is its v3 "
        "scheduler's `get_queued_cards()` (warm: queues rebuilt on an open collection; "
        "cold: first call after reopening it with another desired retention); its rating "
        "is `answer_card()` plus fetching the next card. Both sides are timed the same way: "
        "the run's preparation before each run, Python's garbage collector off during it "
        "(it collects between runs, as in a session). Anki commits each answer without an "
        "fsync; drillcoach fsyncs every rating (synchronous=FULL). Peak RSS is the "
        "process's VmHWM, "
        "from one more run. In-process operations run on a clock fixed at the morning after "
        "the history; `drillcoach today` runs on the real clock.",
        "",
        "## Datasets",
        "",
        "| size | drills | ratings | history written by | generated in | Anki collection "
        "built in | measuring took |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        data = result.dataset
        made = f"{data.generate_seconds:.1f} s" + ("" if result.generated else " (cached)")
        built = "-"
        if result.anki is not None:
            seconds = result.anki.get("build_seconds")
            built = f"{seconds:.1f} s" if seconds is not None else "cached"
        lines.append(f"| {data.size.name} | {data.drills:,} | {data.ratings:,} | "
                     f"{data.path} path | {made} | {built} | {result.seconds:.0f} s |")  # fmt: skip
    lines += [
        "",
        "## Timings (ms)",
        "",
        "| size | operation | runs | median | p95 | baseline | baseline median | x baseline "
        "| Anki median | drillcoach / Anki | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for row in result.rows:
            stats, base = row.stats, row.baseline
            anki_ms = ms_text(row.anki.median) if row.anki else "-"
            versus = _ratio(stats.median, row.anki.median) if row.anki else "-"
            peak = f"{row.peak_mb:,.0f}" if row.peak_mb is not None else "-"
            lines.append(
                f"| {result.dataset.size.name} | {row.operation.label} | {stats.runs} | "
                f"{ms_text(stats.median)} | {ms_text(stats.p95)} | {row.operation.baseline} | "
                f"{ms_text(base.median)} | {_ratio(stats.median, base.median)} | {anki_ms} | "
                f"{versus} | {peak} |"
            )
    lines += [
        "",
        "## Disk (bytes per rating)",
        "",
        "| size | database file, after VACUUM | without typed answers and replies | of which "
        "the ratings table + indexes | Anki revlog + indexes, per entry | Anki collection "
        "file, per entry |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        full, bare, table = result.disk
        revlog = f"{result.anki['revlog_bytes_per_entry']:.0f}" if result.anki else "-"
        whole = f"{result.anki['file_bytes_per_entry']:.0f}" if result.anki else "-"
        lines.append(f"| {result.dataset.size.name} | {full:.0f} | {bare:.0f} | {table:.0f} | "
                     f"{revlog} | {whole} |")  # fmt: skip
    return "\n".join(lines + targets(results)) + "\n"


# --- the targets of issue 7: (size, what, limit, how it is measured)


def _row(result: SizeResult, name: str) -> Row | None:
    return next((row for row in result.rows if row.operation.name == name), None)


def targets(results: Sequence[SizeResult]) -> list[str]:
    """Each target met or not, from this run's figures."""
    lines = [
        "",
        "## Targets (issue 7)",
        "",
        "| size | target | measured | met |",
        "| --- | --- | ---: | :---: |",
    ]

    def add(
        result: SizeResult, what: str, value: float | None, limit: float, unit: str,
        *, target: bool = True,
    ) -> None:  # fmt: skip
        """One row; ``target=False``: a figure beside the issue's targets, not one of them."""
        if value is None:
            return
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:,.1f} {unit}"
        met = ("yes" if value <= limit else "no") if target else "-"
        lines.append(f"| {result.dataset.size.name} | {what} | {shown} | {met} |")

    def versus_anki(row: Row | None) -> float | None:
        return row.stats.median / row.anki.median if row and row.anki else None

    def versus_base(row: Row | None) -> float | None:
        return row.stats.median / row.baseline.median if row else None

    for result in results:
        size = result.dataset.size.name
        add(result, "today's queue, warm: <= 1.0x Anki",
            versus_anki(_row(result, "queue-warm")), 1.0, "x")  # fmt: skip
        retention = _row(result, "queue-cold-retention")
        if size == "large":
            add(result, "today's queue after a retention change: <= 2 s",
                retention.stats.median if retention else None, 2000, "ms")  # fmt: skip
        else:
            add(result, "today's queue after a retention change: <= 3x Anki",
                versus_anki(retention), 3.0, "x")  # fmt: skip
            add(result, "(beside it) the same after config.toml edited by hand",
                versus_anki(_row(result, "queue-cold-retention-edited")), 3.0, "x",
                target=False)  # fmt: skip
        add(result, "one rating stored, next drill ready: <= 2x Anki's answer_card",
            versus_anki(_row(result, "one-rating")), 2.0, "x")  # fmt: skip
        if size in ("small", "large"):
            cached = _row(result, "load-library")
            limit = 30.0 if size == "small" else 150.0
            add(result, f"library load, cached: <= {limit:.0f} ms",
                cached.stats.median if cached else None, limit, "ms")  # fmt: skip
            add(result, "library load, uncached: <= 3x tomllib",
                versus_base(_row(result, "load-library-uncached")), 3.0, "x")  # fmt: skip
        today = _row(result, "today")
        if size == "small":
            add(result, "`drillcoach today`: <= 5x `python -c pass`", versus_base(today), 5.0,
                "x")  # fmt: skip
            add(result, "(beside it) its floor: bench/today_floor.py, no drillcoach code",
                versus_base(_row(result, "today-floor")), 5.0, "x", target=False)  # fmt: skip
        else:
            limit = 500.0 if size == "medium" else 1000.0
            add(result, f"`drillcoach today`: <= {limit:,.0f} ms",
                today.stats.median if today else None, limit, "ms")  # fmt: skip
            limit = 80.0 if size == "medium" else 150.0
            add(result, f"peak memory of `drillcoach today`: <= {limit:.0f} MB",
                today.peak_mb if today else None, limit, "MB")  # fmt: skip
        if size == "large" and result.anki:
            revlog = float(result.anki["revlog_bytes_per_entry"])
            add(result, "bytes per rating without typed answers, indexes included: "
                "<= 2x Anki's revlog", result.disk[2] / revlog, 2.0, "x")  # fmt: skip
    return lines


def machine_line() -> str:
    info = machine()
    return (f"Machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}; "
            f"SQLite {info['sqlite']}.")  # fmt: skip


def progress_section(args: argparse.Namespace, command: str) -> str:
    """The Progress section (bench/progress.py) at its size, as Markdown."""
    size = SIZES["progress"]
    print(f"[{size.name}] dataset ...", flush=True)
    dataset, generated = ensure_dataset(size, args.data_dir, args.seed, args.path)
    state = f"generated in {dataset.generate_seconds:.1f} s" if generated else "cached"
    print(f"[{size.name}] {dataset.drills} drills, {dataset.ratings} ratings ({state})", flush=True)
    result = measure_progress(dataset, generated, args.runs or size.runs, args.data_dir,
                              log=lambda line: print(line, flush=True))  # fmt: skip
    return "\n".join(progress_lines(result, machine_line(), command))


def team_report_section(args: argparse.Namespace, command: str) -> str:
    """The team report's section (bench/team_report.py) at the team size, as Markdown."""
    size = TEAM_SIZES[args.team if args.team not in (None, "none") else "full"]
    result = measure_report(size, args.data_dir, args.seed, args.runs,
                            log=lambda line: print(line, flush=True))  # fmt: skip
    return "\n".join(team_report_lines(result, machine_line(), command))


def session_section(args: argparse.Namespace, command: str) -> str:
    """The session latency section (bench/session.py) on the large dataset when it is
    cached, else the medium one, as Markdown."""
    path: HistoryPath = args.path or "fast"
    large = load_dataset(dataset_root(args.data_dir, SIZES["large"], args.seed, path))
    dataset, generated = (large, False) if large is not None else ensure_dataset(
        SIZES["medium"], args.data_dir, args.seed, path)  # fmt: skip
    print(f"[{dataset.size.name}] {dataset.drills} drills, {dataset.ratings} ratings", flush=True)
    result = measure_session(dataset, generated, args.runs or 40, 10, args.data_dir,
                             log=lambda line: print(line, flush=True))  # fmt: skip
    return "\n".join(session_lines(result, machine_line(), command))


def status_section(args: argparse.Namespace, command: str) -> str:
    """The status line's section (bench/status.py) on the medium dataset, as Markdown."""
    dataset, generated = ensure_dataset(SIZES["medium"], args.data_dir, args.seed, args.path)
    result = measure_status(dataset, generated, args.runs or 20, args.data_dir,
                            log=lambda line: print(line, flush=True))  # fmt: skip
    return "\n".join(status_lines(result, machine_line(), command))


def only_section(args: argparse.Namespace, command: str) -> int:
    """One section (--only), written into --out in place of its earlier version."""
    compileall.compile_dir(Path(drillcoach.__file__).parent, quiet=1)
    makers = {"progress": progress_section, "team-report": team_report_section,
              "session": session_section, "status": status_section}  # fmt: skip
    make = makers[args.only]
    section = make(args, command)
    print()
    print(section)
    out: Path = args.out or DEFAULT_OUT
    earlier = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(replace_section(earlier, section), encoding="utf-8")
    print(f"written to {out} (its {args.only} section only)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small size only, 3 runs, fast-path data; Anki only if it "
                        "imports quickly; writes a file only with --out")  # fmt: skip
    parser.add_argument("--sizes", default="small,medium,large",
                        help="comma-separated: " + ", ".join(SIZES))  # fmt: skip
    parser.add_argument("--runs", type=int, help="timed runs per operation (default: by size)")
    parser.add_argument("--out", type=Path, help=f"Markdown report (default: {DEFAULT_OUT})")
    parser.add_argument("--anki-python", default="auto",
                        help="interpreter with anki for the Anki part; 'auto' tries this "
                        "one, then /tmp/ankivenv/bin/python; 'none' skips Anki")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="where generated datasets are cached")  # fmt: skip
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--team", choices=[*TEAM_SIZES, "none"],
                        help="the team sync section's size (default: full; none with "
                        "--quick)")  # fmt: skip
    parser.add_argument("--path", choices=("domain", "fast"),
                        help="how histories are written (default: each size's own)")  # fmt: skip
    parser.add_argument("--only", choices=("progress", "team-report", "session", "status"),
                        help="only this section, written into --out in place of its "
                        "earlier version (default --out: bench/RESULTS.md)")  # fmt: skip
    args = parser.parse_args(argv)
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.only is not None:
        return only_section(args, command.strip())
    names = ["small"] if args.quick else [n.strip() for n in args.sizes.split(",") if n.strip()]
    if names == ["none"]:
        names = []
    unknown = [name for name in names if name not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r} (known: {', '.join(SIZES)})")
    if args.quick:
        args.path = args.path or "fast"
    out: Path | None = args.out or (None if args.quick else DEFAULT_OUT)
    # drillcoach's bytecode, as an installed wheel has it: a checkout's source edited since
    # its last import is compiled again by every process when PYTHONDONTWRITEBYTECODE is set
    compileall.compile_dir(Path(drillcoach.__file__).parent, quiet=1)
    anki_python = find_anki_python(args.anki_python, 20 if args.quick else 120)
    if anki_python is None:
        print("Anki: not measured (no interpreter here imports anki)", flush=True)
    results = []
    for name in names:
        size = SIZES[name]
        runs = args.runs or (3 if args.quick else size.runs)
        results.append(bench_size(size, runs, args, anki_python))
    team = args.team or ("none" if args.quick else "full")
    team_result = None
    if team != "none":
        team_result = measure_team(TEAM_SIZES[team], args.data_dir, args.seed, args.runs)
    text = report(results, command.strip())
    if team_result is not None:
        text += "\n" + "\n".join(report_lines(team_result, machine_line())) + "\n"
        text += "\n" + team_report_section(args, command.strip()) + "\n"
    if not args.quick:
        text += "\n" + progress_section(args, command.strip()) + "\n"
    print()
    print(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
