"""Timing helpers: repeated runs with median and p95, and child processes timed with
their own peak memory."""

from __future__ import annotations

import gc
import math
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """Wall times of repeated runs, in milliseconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile (with fewer than 20 runs: the slowest run)."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def runs(self) -> int:
        return len(self.samples)


@dataclass(frozen=True)
class Timed:
    """What to time, and what prepares each run outside the timing. A self-timed run
    returns its own time in ms (a child process's wall time, or a span inside the run)."""

    run: Callable[[], object]
    before: Callable[[], object] | None = None
    self_timed: bool = False


def time_pair(
    operation: Timed, baseline: Timed, runs: int, *, warmup: int = 1, repeats: int = 3
) -> tuple[Stats, Stats]:
    """Time an operation and its baseline in alternation, so both see the same machine:
    each run of the operation is followed by ``repeats`` runs of the (cheap, so noisier)
    baseline. ``warmup`` rounds go untimed. The collector is off while a run is timed and
    works between runs as it would in a session; a full collection before every run
    would time each one with the processor's caches emptied by the walk over the heap."""
    samples: tuple[list[float], list[float]] = ([], [])
    turn = [(operation, samples[0])] + [(baseline, samples[1])] * repeats
    gc.collect()
    for index in range(warmup + runs):
        for timed, into in turn:
            if timed.before is not None:
                timed.before()
            gc.disable()
            try:
                started = time.perf_counter_ns()
                own = timed.run()
                elapsed = (time.perf_counter_ns() - started) / 1e6
            finally:
                gc.enable()
            if timed.self_timed:
                assert isinstance(own, float)
                elapsed = own
            if index >= warmup:
                into.append(elapsed)
    return Stats(tuple(samples[0])), Stats(tuple(samples[1]))


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_rss_bytes: int | None  # measured only when asked for


def _high_water_mark(pid: int) -> int | None:
    """VmHWM of a running process: the peak RSS of its program since exec."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def run_child(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, peak_memory: bool = False
) -> ChildRun:
    """Run a command to completion (its output discarded); its wall time and, with
    ``peak_memory``, its peak RSS.

    The peak is polled from /proc/PID/status (VmHWM) every millisecond, which perturbs
    the wall time a little, so ask for one or the other. The child's ru_maxrss would not
    do: Linux counts in it the RSS of the forked copy of this process before exec."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), env=dict(env) if env else None,
                                   stdout=subprocess.DEVNULL, stderr=errors)  # fmt: skip
        peak: int | None = None
        if peak_memory:
            while not os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                peak = max(peak or 0, _high_water_mark(process.pid) or 0) or None
                time.sleep(0.001)
        returncode = process.wait()
        seconds = time.perf_counter() - started
        if returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace").strip()
            raise RuntimeError(f"{' '.join(argv)} exited {returncode}: {text[-2000:]}")
    return ChildRun(seconds, peak)


def ms_text(value: float) -> str:
    """Milliseconds as the tables print them: whole above a second, one decimal above ten."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
