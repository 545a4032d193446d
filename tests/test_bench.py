"""The benchmark's data generator writes exactly what the domain API writes, and
bench/run.py still runs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drillcoach import events
from drillcoach.cli import main as drillcoach_main
from drillcoach.config import Config
from drillcoach.content import KINDS, Drill, Library, load_library
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store

sys.path.append(str(Path(__file__).resolve().parent.parent))  # bench/ is a top-level package

from bench.generate import (
    FakeClock,
    Step,
    fast_plan,
    library_drills,
    simulate,
    write_fast,
    write_library,
)

ROOT = Path(__file__).resolve().parent.parent
REP = "rep"
START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)


@pytest.fixture
def config() -> Config:
    return replace(Config(), fuzz=False, name="Bench Rep", member=REP)


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Library, list[Drill]]:
    """A small generated library: 16 drills in 3 packs."""
    folder = tmp_path / "generated"
    pack_ids = write_library(folder, drills=16, packs=3, seed=7)
    library = load_library([(folder, "folder")])
    return library, library_drills(library, pack_ids)


def review_rows(database: Path) -> list[tuple[object, ...]]:
    """Every row of ``ratings`` in insertion order, without the row id, with names spelt
    out (each database numbers its names in the order it first met them)."""
    db = sqlite3.connect(database)
    try:
        columns = [row[1] for row in db.execute("PRAGMA table_info(ratings)")]
        named = {"rep", "by", "drill", "skill", "rubric"}
        kept = ", ".join(
            f"(SELECT name FROM names WHERE id = r.{name})" if name in named else f"r.{name}"
            for name in columns
            if name != "id"
        )
        return db.execute(f"SELECT {kept} FROM ratings r ORDER BY r.id").fetchall()
    finally:
        db.close()


def assert_same_history(
    api: Path, fast: Path, library: Library, drills: Sequence[Drill], config: Config
) -> None:
    """The same review rows, and the same card states rebuilt from each database."""
    rows = review_rows(api)
    assert rows, "no ratings were written"
    assert rows == review_rows(fast)
    later = FakeClock(START + timedelta(days=400))
    states = []
    for database in (api, fast):
        with Store(database) as store:
            scheduler = DrillScheduler(store, library, config, clock=later, tz=UTC)
            states.append(scheduler.states(drills))
    assert states[0] == states[1]
    assert any(not state.is_new for state in states[0].values())


def test_generated_packs_are_valid(
    tmp_path: Path, generated: tuple[Library, list[Drill]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, drills = generated
    assert drillcoach_main(["packs", "validate", str(tmp_path / "generated")]) == 0
    assert "no problems" in capsys.readouterr().out
    assert len(drills) == 16 and len(library.packs) == 3
    assert {drill.kind for drill in drills} <= set(KINDS)
    assert {drill.skill for drill in drills} <= set(load_library([]).skills)
    for drill in drills:
        assert 3 <= len(drill.key_points) <= 6
        assert drill.model_answer and drill.time_limit
        assert bool(drill.turns) == drill.is_roleplay


def test_fast_path_writes_what_record_self_writes(
    tmp_path: Path,
    generated: tuple[Library, list[Drill]],
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library, drills = generated
    steps = list(fast_plan(drills, 300, START, 30, seed=11,
                           default_time_limit=config.default_time_limit))  # fmt: skip
    assert len(steps) == 300
    assert {step.drill.uid for step in steps} == {drill.uid for drill in drills}

    # Through the API, one rating at a time at the same moments; record_self draws each
    # event id from new_event_id, which hands out the steps' ids.
    clock = FakeClock(START)
    ids = iter([step.event_id for step in steps])
    with monkeypatch.context() as patch, Store(tmp_path / "api.db") as store:
        patch.setattr(events, "new_event_id", lambda: next(ids))
        scheduler = DrillScheduler(store, library, config, clock=clock, tz=UTC)
        for step in steps:
            clock.set(step.at)
            scheduler.record_self(step.drill, step.rating, step.attempt)

    with Store(tmp_path / "fast.db") as store:
        assert write_fast(store, steps, REP, config.default_time_limit, batch=64) == 300

    assert_same_history(tmp_path / "api.db", tmp_path / "fast.db", library, drills, config)


def test_domain_history_rewritten_by_the_fast_path_is_identical(
    tmp_path: Path, generated: tuple[Library, list[Drill]], config: Config
) -> None:
    library, drills = generated
    clock = FakeClock(START)
    with Store(tmp_path / "api.db") as store:
        scheduler = DrillScheduler(store, library, config, clock=clock, tz=UTC)
        assert simulate(scheduler, clock, 120, seed=5, start=START) == 120
        events = store.self_ratings(REP)
    steps = []
    for event in events:
        drill = library.drill(event.drill_uid)
        assert drill is not None
        attempt = Attempt(
            duration_ms=event.duration_ms,
            key_points_hit=event.key_points_hit,
            suggested=event.suggested,
            mode=event.mode,
            answer=event.answer,
            replies=event.replies,
        )
        steps.append(Step(drill, event.at, event.rating, attempt, event.id))

    with Store(tmp_path / "fast.db") as store:
        write_fast(store, steps, REP, config.default_time_limit)

    assert_same_history(tmp_path / "api.db", tmp_path / "fast.db", library, drills, config)


def test_quick_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out),
               "--data-dir", str(tmp_path / "data")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "| small | today's queue, after a write that changes no card | 3 |" in done.stdout
    assert "## Disk (bytes per rating)" in done.stdout
    assert out.read_text(encoding="utf-8") in done.stdout


def test_team_workspace_lines_are_what_export_writes(tmp_path: Path) -> None:
    """Every line of a generated team workspace is byte for byte ``eventlog.encode`` of
    the event it holds; and the workspace is cached by its parameters."""
    from bench.team import TEAM_SIZES, clone, ensure_team, event_files
    from drillcoach.team.eventlog import encode, parse_line

    data, generated = ensure_team(TEAM_SIZES["smoke"], tmp_path / "data", seed=3)
    assert generated and not ensure_team(TEAM_SIZES["smoke"], tmp_path / "data", seed=3)[1]
    workspace = clone(data, data.remote, tmp_path / "ws")
    kinds: set[str] = set()
    count = 0
    for path in event_files(workspace):
        for line in path.read_bytes().splitlines(keepends=True):
            event = parse_line(line)
            assert not isinstance(event, str), (path, line)
            assert encode(event, share_answers=False) == line
            kinds.add(type(event).__name__)
            count += 1
    assert kinds == {"SelfRating", "ManagerRating"}
    assert count == data.self_ratings + data.manager_ratings
    assert sorted(p.name for p in (workspace / "assignments").glob("*.toml")) == [
        "director.toml",
        "mgr-01.toml",
        "mgr-02.toml",
    ]


def test_team_bench_runs(tmp_path: Path) -> None:
    from bench.team import TEAM_SIZES
    from bench.team_sync import measure_team, report_lines

    result = measure_team(TEAM_SIZES["smoke"], tmp_path / "data", seed=3, log=lambda _: None)
    assert result.cold is not None and result.cold.report.refused == []
    expected = result.data.self_ratings + result.data.manager_ratings
    assert result.cold.report.added <= expected  # the director's own ratings are theirs
    assert result.cold.report.added > 0.8 * expected
    assert len(result.incremental) == 1 and result.incremental[0].report.added > 0
    assert result.rep and result.rep[0].report.exported == 15
    text = "\n".join(report_lines(result, "machine"))
    assert "| director, first (cold) import of everything | 1 |" in text
    assert "| rep, one day drilled and synced | 1 |" in text


def test_progress_bench_runs(tmp_path: Path) -> None:
    """The Progress summary's measure (bench/progress.py) at a tiny size: both operations
    timed beside their baseline, a summary with calibration and assigned packs, and the
    section written into RESULTS.md in place of its earlier version only."""
    from bench.generate import Size, build_dataset
    from bench.progress import HEADING, measure_progress, replace_section, report_lines

    size = Size("progress-smoke", 40, 2, 400, 30, "fast", 1, manager_per_week=3.0)
    dataset = build_dataset(size, tmp_path / "data" / "smoke", seed=3, path="fast")
    assert dataset.ratings == 400
    result = measure_progress(dataset, True, 1, tmp_path / "data", log=lambda _: None)
    assert [row.operation.name for row in result.rows] == ["progress", "progress-first"]
    for row in result.rows:
        assert row.stats.runs == 1 and row.stats.median > 0
        assert row.baseline.runs == 3 and row.baseline.median > 0
    summary = result.summary
    assert summary.rep == "rep" and summary.skills and summary.calibration
    assert sum(skill.started for skill in summary.skills) == 40
    assert [pack.due is not None for pack in summary.packs] == [True, True]
    assert result.manager_ratings == 13 and result.assignments == 2 and result.commitments == 3
    assert any("rep_summary" in line for line in result.profile)

    section = "\n".join(report_lines(result, "machine", "python bench/run.py --only progress"))
    assert section.startswith(HEADING + "\n")
    assert "| Progress screen's summary, cards kept | 1 |" in section
    assert "| <= 300 ms |" in section
    before = "# drillcoach benchmarks\n\n## Timings (ms)\n\nrows\n"
    assert replace_section(before, section) == before + "\n" + section + "\n"
    old = f"{before}\n{HEADING}\n\nold figures\n\n## Team sync (issue 9)\n\nteam\n"
    assert replace_section(old, section) == (
        f"{before}\n{section}\n\n## Team sync (issue 9)\n\nteam\n"
    )


def test_team_report_bench_runs(tmp_path: Path) -> None:
    """bench/team_report.py at smoke size: every format's report process runs, with its
    baseline and its peak memory, after the director's two syncs; the section it writes."""
    from bench.progress import replace_section
    from bench.team import TEAM_SIZES
    from bench.team_report import FORMATS, HEADING, measure_report, report_lines

    result = measure_report(TEAM_SIZES["smoke"], tmp_path / "data", seed=3, runs=1,
                            log=lambda _: None)  # fmt: skip
    assert result.cold is not None and result.incremental is not None
    assert [row.label for row in result.rows] == [f"`report --team --format {form}`"
                                                  for form in FORMATS]  # fmt: skip
    for row in result.rows:
        assert row.stats.runs == 1 and row.baseline.runs == 1
        assert row.output_bytes > 0 and (row.peak_bytes or 0) > 0
        assert row.children_peak_bytes == 0  # 6 reps: read in the one process
    section = "\n".join(report_lines(result, "Machine: test.", "python bench/run.py"))
    assert section.startswith(HEADING + "\n")
    assert section.count("| `report --team --format") == len(FORMATS)
    before = "# Results\n\n## Progress summary (issue 12)\n\nfigures\n"
    assert replace_section(before, section) == before + "\n" + section + "\n"


def test_session_bench_runs(tmp_path: Path) -> None:
    """bench/session.py at a tiny size with a few presses: each action pressed and seen
    painted, the startup beside the bare app, and the section it writes (no timing
    asserts: only that the figures are there and sane)."""
    from bench.generate import Size, build_dataset
    from bench.progress import replace_section
    from bench.session import ACTIONS, ACTIONS_PROFILED, HEADING, measure_session, report_lines

    size = Size("session-smoke", 30, 2, 120, 20, "fast", 1)
    dataset = build_dataset(size, tmp_path / "data" / "smoke", seed=3, path="fast")
    result = measure_session(dataset, True, 3, 1, tmp_path / "data", profile_presses=1,
                             log=lambda _: None)  # fmt: skip
    assert result.queued > 4
    assert sum(result.kinds.values()) == 3
    assert list(result.presses) == [name for name, _, _ in ACTIONS]
    for stats in result.presses.values():
        assert stats.runs == 3
        assert all(0 < ms < 20_000 for ms in stats.samples)
    assert result.startup is not None and result.bare is not None
    assert result.startup.runs == 1 and result.bare.runs == 1
    assert result.ratio is not None and result.ratio > 0
    assert all(ms >= 0 for ms in result.full_collections)
    for name, profile in result.profiles.items():
        assert name in {"startup", *ACTIONS_PROFILED}
        assert any("function calls" in line for line in profile)

    section = "\n".join(report_lines(result, "Machine: test.", "python bench/run.py"))
    assert section.startswith(HEADING + "\n")
    assert "| reveal: the model answer and the key points shown | 3 |" in section
    assert "| TUI Today screen painted | 1 |" in section
    assert "full (generation 2) collections during the timed presses" in section
    before = "# Results\n\n## Progress summary (issue 12)\n\nfigures\n"
    assert replace_section(before, section) == before + "\n" + section + "\n"
