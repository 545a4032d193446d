"""``drillcoach retention``: the workload simulation is deterministic for a seed, costs
more reviews for more retention, suggests the least time per drill remembered, and
``--apply`` changes desired_retention in config.toml and nothing else."""

from __future__ import annotations

import json
import random
import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w

from drillcoach.content import Library
from drillcoach.scheduling.cardstate import Phase
from drillcoach.scheduling.rules import AGAIN, GOOD, HARD
from drillcoach.scheduling.workload import (
    RETENTIONS,
    StartedDrill,
    Workload,
    simulate,
    simulate_all,
    suggested,
    workload_of,
)
from drillcoach.services import open_services
from helpers import FakeClock, MakeScheduler, one_line, run_cli


def generated(drills: int = 600, seed: int = 7, limit: int = 100_000) -> Workload:
    """A library a rep has drilled for months: stabilities from a day to a season,
    reviewed in the last weeks, and new drills waiting."""
    import fsrs

    draws = random.Random(seed)
    started = []
    for _ in range(drills):
        stability = draws.uniform(1, 120)
        started.append(
            StartedDrill(
                seconds=draws.choice((60, 90, 120)) + 30,
                phase=Phase.REVIEW,
                stability=stability,
                difficulty=draws.uniform(2, 9),
                last_day=-draws.randrange(0, min(int(stability) + 1, 60)),
                due_day=0,
            )
        )
    return Workload(tuple(started), (90,) * 200, 5, limit, tuple(fsrs.scheduler.DEFAULT_PARAMETERS))


def test_the_same_seed_gives_the_same_outcomes_and_another_may_not() -> None:
    workload = generated()
    first = simulate_all(workload, seed=3)
    assert simulate_all(workload, seed=3) == first
    assert simulate_all(workload, seed=4) != first


def test_more_retention_costs_more_reviews_a_day() -> None:
    outcomes = simulate_all(generated(), seed=1)
    reviews = [outcome.reviews_per_day for outcome in outcomes]
    assert reviews == sorted(reviews), reviews
    assert reviews[-1] > 1.5 * reviews[0]
    remembered = [outcome.remembered for outcome in outcomes]
    assert remembered[-1] > remembered[0]


def test_the_suggestion_is_the_least_time_per_drill_remembered() -> None:
    outcomes = simulate_all(generated(), seed=2)
    best = suggested(outcomes)
    assert best is not None
    assert best.minutes_per_remembered == min(o.minutes_per_remembered for o in outcomes)
    assert suggested([]) is None


def test_the_review_limit_leaves_drills_for_later() -> None:
    capped = simulate(generated(limit=10), 0.97, seed=0)
    free = simulate(generated(), 0.97, seed=0)
    assert capped.capped_days > 0 and free.capped_days == 0
    assert capped.reviews <= 10 * capped.days < free.reviews


def test_a_rep_with_no_cards_drills_new_ones_only() -> None:
    workload = Workload((), (120,) * 50, 5, 40, generated(1).parameters)
    assert simulate(workload, 0.9, days=5).introduced == 25
    outcome = simulate(workload, 0.9, days=30)
    assert outcome.introduced == 50  # all there are
    assert outcome.remembered > 0
    nothing = simulate(Workload((), (), 5, 40, workload.parameters), 0.9)
    assert (nothing.minutes, nothing.remembered, suggested([nothing])) == (0, 0, None)


def test_the_workload_is_the_schedulers_cards_and_waiting_drills(
    make_scheduler: MakeScheduler, library: Library, clock: FakeClock
) -> None:
    scheduler = make_scheduler(new_per_day=3)
    drills = list(library.new_order())[:4]
    for rating, drill in zip((GOOD, HARD, AGAIN, GOOD), drills, strict=True):
        scheduler.record_self(drill, rating)
    clock.advance(days=2)
    workload = workload_of(scheduler)
    assert len(workload.started) == 4
    assert {drill.last_day for drill in workload.started} == {-2}
    assert len(workload.new) == len(library.uids_in(scheduler.queue_pack_ids())) - 4
    assert workload.parameters == tuple(scheduler.cards.memory.fsrs.parameters)
    assert workload.new_per_day == 3


# --- the command


def rated_history(drills: int = 40) -> None:
    """Self-ratings over the last four months, recorded at their time, in the default
    profile (DRILLCOACH_HOME)."""
    clock = FakeClock(datetime.now(UTC) - timedelta(days=120))
    draws = random.Random(5)
    services = open_services(clock=clock, tz=UTC)
    try:
        scheduler = services.scheduler
        packs = set(scheduler.queue_pack_ids())
        chosen = [d for d in services.library.new_order() if d.pack_id in packs][:drills]
        for _ in range(30):
            for drill in draws.sample(chosen, 10):
                scheduler.record_self(drill, draws.choice((AGAIN, HARD, GOOD, GOOD, GOOD)))
            clock.advance(days=4)
    finally:
        services.close()


def test_the_command_prints_a_table_a_chart_and_the_least_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rated_history()
    code, out, err = run_cli(capsys, "retention", "--seed", "5")
    assert (code, err) == (0, "")
    assert "40 drills started" in out
    assert all(len(line) <= 80 for line in out.splitlines()), out
    rows = re.findall(r"^(0\.\d\d)\S*\s+[\d.]+\s+[\d.]+\s+\d+\s+([\d.]+)$", out, re.M)
    assert [float(r) for r, _ in rows] == list(RETENTIONS)
    least = min(rows, key=lambda row: float(row[1]))
    assert f"Suggested: desired_retention {least[0]}," in out
    assert len(re.findall(r"^0\.\d\d █+ [\d.]+", out, re.M)) == len(RETENTIONS)
    assert "\x1b[" not in out  # not a terminal: plain text
    assert run_cli(capsys, "retention", "--seed", "5")[1] == out


def test_json_says_what_the_table_says(capsys: pytest.CaptureFixture[str]) -> None:
    rated_history()
    text = run_cli(capsys, "retention", "--seed", "5")[1]
    code, out, err = run_cli(capsys, "retention", "--seed", "5", "--json")
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert (shown["started"], shown["seed"], shown["applied"]) == (40, 5, False)
    rows = re.findall(r"^(0\.\d\d)\S*\s+([\d.]+)\s+[\d.]+\s+\d+\s+([\d.]+)$", text, re.M)
    figures = [(f"{r['retention']:.2f}", f"{r['minutes_per_day']:.1f}",
                f"{r['minutes_per_remembered']:.2f}") for r in shown["retentions"]]  # fmt: skip
    assert figures == rows
    assert f"Suggested: desired_retention {shown['suggested']:.2f}," in text


def test_apply_changes_desired_retention_and_nothing_else(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    config = drillcoach_home / "config.toml"
    config.write_text(tomli_w.dumps({"new_per_day": 7, "desired_retention": 0.99, "name": "Sam"}))
    code, out, _ = run_cli(capsys, "retention", "--apply")
    assert code == 0
    suggestion = float(re.findall(r"Suggested: desired_retention ([\d.]+)", out)[0])
    written = tomllib.loads(config.read_text())
    assert written == {"new_per_day": 7, "desired_retention": suggestion, "name": "Sam"}
    assert f"desired_retention = {suggestion:.2f}" in out


def test_a_new_profile_gets_new_drills_only_and_an_empty_one_a_clear_line(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    code, out, _ = run_cli(capsys, "retention", "--days", "30")
    assert code == 0 and "0 drills started" in out and "Suggested:" in out
    (drillcoach_home / "config.toml").write_text("new_per_day = 0\n")
    code, out, _ = run_cli(capsys, "retention")
    assert code == 0
    assert one_line(out, "Nothing to simulate")
    code, out, _ = run_cli(capsys, "retention", "--json")
    assert code == 0
    assert json.loads(out)["retentions"] == [] and json.loads(out)["suggested"] is None


@pytest.mark.parametrize(
    ("option", "value"), [("--days", "0"), ("--days", "x"), ("--days", "731"), ("--seed", "-1")]
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    code, out, err = run_cli(capsys, "retention", option, value)
    assert (code, out) == (2, "")
    one_line(err, option, value)


def test_apply_moves_the_due_dates_of_review_cards(capsys: pytest.CaptureFixture[str]) -> None:
    rated_history()

    def dues() -> dict[str, datetime]:
        services = open_services()
        try:
            scheduler = services.scheduler
            scheduler.cards.ready()
            rows = scheduler.cards.table.all(scheduler.rep)
            return {row.uid: row.due for row in rows if row.phase == Phase.REVIEW}
        finally:
            services.close()

    before = dues()
    code, out, _ = run_cli(capsys, "retention", "--seed", "5", "--apply")
    assert code == 0
    applied = float(re.findall(r"^desired_retention = ([\d.]+)", out, re.M)[0])
    assert applied < 0.9  # below the default: longer intervals
    after = dues()
    assert after.keys() == before.keys() and before
    assert all(after[uid] >= before[uid] for uid in before)
    assert any(after[uid] > before[uid] for uid in before)
