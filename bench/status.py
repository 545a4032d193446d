"""``drillcoach status --short`` for a prompt or a tmux status line (issue 14, "Shell":
under 50 ms): the process timed in alternation with ``python -c pass`` (bench/measure.py's
``time_pair``, each run a child process timed by ``run_child``), on a working copy of a
generated dataset, twice: with its kept answer (what a prompt drawn after every command
meets) and worked out again after every run (a settings write before each run changes the
database, as a rating does: the first prompt after a rating).

Standalone: ``python bench/status.py [--size medium] [--runs 20]``; bench/run.py can run
it as a section (``--only status``).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # python bench/status.py: the checkout's root, as bench/run.py
    sys.path.pop(0)  # bench/ itself: its profile.py would shadow the standard library's
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count

from bench.generate import DEFAULT_DATA_DIR, DEFAULT_SEED, SIZES, Dataset, ensure_dataset
from bench.measure import Stats, Timed, ms_text, run_child, time_pair
from bench.operations import Workbench, drillcoach_command

HEADING = "## Status line (issue 14)"
TARGET_MS = 50.0  # the kept answer's limit
BASELINE_REPEATS = 3  # as bench/run.py


@dataclass(frozen=True)
class StatusRow:
    name: str
    label: str
    stats: Stats
    baseline: Stats


@dataclass
class StatusResult:
    dataset: Dataset
    generated: bool
    printed: str = ""
    rows: list[StatusRow] = field(default_factory=list)
    seconds: float = 0.0


def measure_status(
    dataset: Dataset,
    generated: bool,
    runs: int,
    scratch_dir: Path,
    *,
    log: Callable[[str], None] = print,
) -> StatusResult:
    started = time.perf_counter()
    result = StatusResult(dataset, generated)
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_dir, prefix="work-") as scratch:
        bench = Workbench(dataset, Path(scratch))
        try:
            argv = [*drillcoach_command(), "status", "--short"]
            env = {**os.environ, "DRILLCOACH_HOME": str(bench.home)}
            result.printed = subprocess.run(argv, env=env, capture_output=True, text=True,
                                            check=True, timeout=120).stdout.strip()  # fmt: skip

            def child() -> float:
                return run_child(argv, env=env).seconds * 1000

            touches = count()

            def touch() -> None:  # a write, as a rating's: the kept answer is void
                bench.services.store.set_setting("bench-touch", next(touches))

            baseline = bench.baseline("version")  # `python -c pass`, as a child process
            for name, label, before in (
                ("kept", "`drillcoach status --short`, kept answer (process)", None),
                ("worked-out", "`drillcoach status --short` after a write (process)", touch),
            ):
                log(f"[{dataset.size.name}] {label} ...")
                stats, base = time_pair(Timed(child, before, self_timed=True), baseline, runs,
                                        repeats=BASELINE_REPEATS)  # fmt: skip
                result.rows.append(StatusRow(name, label, stats, base))
        finally:
            bench.close()
    result.seconds = time.perf_counter() - started
    return result


def report_lines(result: StatusResult, machine: str, command: str) -> list[str]:
    data = result.dataset
    lines = [
        HEADING,
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. {machine}",
        "",
        f"Dataset `{data.size.name}` (bench/generate.py, {data.path} path): {data.drills:,} "
        f"drills, {data.ratings:,} ratings{'' if result.generated else ' (cached)'}; the "
        f"command printed {result.printed!r}. Measured in {result.seconds:.0f} s.",
        "",
        "Each run is a child process (wall time, output discarded), in alternation with "
        f"{BASELINE_REPEATS} runs of `python -c pass`, after one untimed warm-up. The kept "
        "answer is what a prompt meets while nothing changed; 'after a write' changes the "
        "database before every run (a setting, as a rating would), so the queue is worked "
        "out again by the domain and kept. p95 is nearest-rank.",
        "",
        "| operation | runs | median ms | p95 ms | baseline | median ms | ratio |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for row in result.rows:
        ratio = row.stats.median / row.baseline.median if row.baseline.median > 0 else 0.0
        lines.append(
            f"| {row.label} | {row.stats.runs} | {ms_text(row.stats.median)} | "
            f"{ms_text(row.stats.p95)} | `python -c pass` | {ms_text(row.baseline.median)} "
            f"| {ratio:.1f}x |"
        )
    kept = next((row for row in result.rows if row.name == "kept"), None)
    if kept is not None:
        met = "yes" if kept.stats.median <= TARGET_MS else "no"
        lines += ["", f"Target: the kept answer in <= {TARGET_MS:.0f} ms (median): "
                  f"{ms_text(kept.stats.median)} ms, met: {met}."]  # fmt: skip
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    from bench.run import machine_line

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="medium", choices=list(SIZES))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    dataset, generated = ensure_dataset(SIZES[args.size], args.data_dir, args.seed, "fast")
    result = measure_status(dataset, generated, args.runs, args.data_dir)
    command = "python bench/status.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print()
    print("\n".join(report_lines(result, machine_line(), command.strip())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
