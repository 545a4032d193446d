"""scripts/simulate.py writes a month of a rep's drilling that reads like one: most
weekday mornings, days skipped, more key points hit at the end than at the start, mostly
the suggested rating, a vision and commitments; the same seed writes the same history,
and drillcoach opens the profile it writes."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import statistics
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from drillcoach.coaching.agreement import current_agreement
from drillcoach.coaching.debriefs import debriefs
from drillcoach.coaching.vision import current_vision
from drillcoach.events import Commitment, SelfRating
from drillcoach.scheduling.days import Days
from drillcoach.services import open_services
from drillcoach.store import Store
from drillcoach.tui.app import make_app
from drillcoach.tui.screens.today import TodayScreen
from helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
UNTIL = date(2026, 3, 27)  # a Friday: 30 days from Thursday 26 February
ARGS = ("--until", UNTIL.isoformat(), "--tz", "UTC", "--seed", "3", "--with-manager")
DAYS = Days(4, UTC)
REP = "sam"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("simulate", ROOT / "scripts" / "simulate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while made
    spec.loader.exec_module(module)
    return module


def simulate(home: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code: int = load_script().main(["--home", str(home), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A month of Sam's drilling, with a manager, written once for this module's tests."""
    home = tmp_path_factory.mktemp("simulated")
    code, out, err = simulate(home, *ARGS)
    assert code == 0, err
    return home, out


def history(home: Path) -> dict[str, list[dict[str, Any]]]:
    """What the home holds, without event ids (random, as they must be in a team)."""

    def without_id(event: object) -> dict[str, Any]:
        return {key: value for key, value in vars(event).items() if key != "id"}

    with Store(home / "drillcoach.db") as store:
        coaching = [
            current_vision(store, REP),
            current_agreement(store, REP),
            *store.coaching(REP, Commitment),
            *debriefs(store, REP),
        ]
        return {
            "ratings": [without_id(rating) for rating in store.ratings(REP)],
            "coaching": [without_id(record) for record in coaching],
        }


def self_ratings(home: Path) -> list[SelfRating]:
    with Store(home / "drillcoach.db") as store:
        return store.self_ratings(REP)


def key_point_share(ratings: list[SelfRating], first: date, last: date) -> float:
    chosen = [r for r in ratings if first <= DAYS.day_of(r.at) <= last]
    return sum(len(r.key_points_hit) for r in chosen) / sum(r.key_points_total or 0 for r in chosen)


def test_a_month_of_mornings_most_weekdays(month: tuple[Path, str]) -> None:
    home, out = month
    ratings = self_ratings(home)
    first = UNTIL - timedelta(days=29)
    drilled = {DAYS.day_of(r.at) for r in ratings}
    assert min(drilled) == first and max(drilled) <= UNTIL
    month_days = [first + timedelta(days=n) for n in range(30)]
    weekdays = [day for day in month_days if day.weekday() < 5]
    holiday = [day for day in weekdays if date(2026, 3, 9) <= day <= date(2026, 3, 13)]
    working = [day for day in weekdays if day not in holiday]
    assert not drilled & set(holiday)  # the week off
    assert len(drilled & set(working)) >= 0.75 * len(working)  # most weekdays
    assert set(working) - drilled  # and some missed
    assert 1 <= sum(1 for day in drilled if day.weekday() >= 5) <= 3  # a couple of weekends
    for day in drilled:
        times = [DAYS.local(r.at) for r in ratings if DAYS.day_of(r.at) == day]
        assert 7 <= times[0].hour < 12  # in the morning
        assert times[-1] - times[0] <= timedelta(minutes=15)  # 10 to 15 minutes of drilling
    # answers near the time limit, now and then over it
    used = [r.duration_ms / 1000 / r.time_limit for r in ratings if r.duration_ms and r.time_limit]
    assert 0.7 <= statistics.median(used) <= 0.95
    assert any(share > 1 for share in used)
    # mostly the suggested rating; now and then a Good the checklist does not back
    assert sum(r.rating == r.suggested for r in ratings) >= 0.8 * len(ratings)
    over = [r for r in ratings if r.suggested and r.rating > r.suggested]
    assert over and all(r.rating == 3 and r.suggested in (1, 2) for r in over)
    # more key points hit in the last week than in the first
    first_week = key_point_share(ratings, first, first + timedelta(days=6))
    last_week = key_point_share(ratings, UNTIL - timedelta(days=6), UNTIL)
    assert last_week >= first_week + 0.05, (first_week, last_week)
    assert f"{first_week:.0%} in the first week to {last_week:.0%} in the last" in out
    assert f"{len(ratings)} ratings" in out and str(home) in out


def test_coaching_records_and_the_managers_ratings(month: tuple[Path, str]) -> None:
    home, out = month
    with Store(home / "drillcoach.db") as store:
        vision = current_vision(store, REP)
        assert vision is not None and vision.in_2_years and 1 <= vision.desire <= 10
        agreement = current_agreement(store, REP)
        assert agreement is not None and agreement.areas
        commitments = store.coaching(REP, Commitment)
        assert sorted(c.kind for c in commitments) == ["drill-days", "finish-pack"]
        assert all(c.motivation for c in commitments)
        assert 1 <= len(debriefs(store, REP)) <= 2
        manager = store.manager_ratings(REP)
        assert 2 <= len(manager) <= 4
        assert all(m.by == "maria" and m.note for m in manager)
        assert any(m.drill_uid is None and m.context == "joint-call" for m in manager)
    assert vision.at < min(r.at for r in self_ratings(home))  # written before drilling
    assert "1 vision, 1 coaching agreement, 2 commitments" in out


def test_the_same_seed_writes_the_same_history(month: tuple[Path, str], tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    assert simulate(again, *ARGS)[0] == 0
    assert history(again) == history(month[0])
    assert simulate(other, *ARGS[:-3], "--seed", "4")[0] == 0
    assert history(other)["ratings"] != history(month[0])["ratings"]


def test_drillcoach_opens_the_profile(
    month: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home = month[0]
    code, out, err = run_cli(capsys, "--home", str(home), "today")
    assert code == 0, err
    assert "Today for Sam Patel" in out and "Your vision" in out
    services = open_services(home)
    try:  # no welcome: Sam picked packs on it
        assert services.prefs.welcomed()
        assert services.scheduler.rep == REP
    finally:
        services.close()


async def test_the_app_opens_on_today(month: tuple[Path, str]) -> None:
    app = make_app(month[0], clock=lambda: datetime(2026, 3, 30, 8, 0, tzinfo=UTC), tz=UTC)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            await pilot.press("enter")  # a session starts on the queue the month left
            await pilot.pause()
            assert not isinstance(app.screen, TodayScreen)
    finally:
        app.services.close()


def test_bad_input_is_one_line_and_exit_2(month: tuple[Path, str], tmp_path: Path) -> None:
    code, out, err = simulate(month[0], *ARGS)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "--home" in err and "already holds" in err
    for args, named in (
        (("--until", "2999-01-01"), "--until"),
        (("--until", "27/03/2026"), "--until"),
        (("--tz", "Mars/Olympus"), "--tz"),
        (("--days", "0"), "--days"),
        (("--rep-name", " "), "--rep-name"),
    ):
        code, out, err = simulate(tmp_path / named.strip("-"), *args)
        assert (code, out) == (2, ""), err
        assert err.count("\n") == 1 and named in err, err
