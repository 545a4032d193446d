"""``drillcoach optimize``: a history drawn from known, non-default parameters gives a fit
that predicts the held-out later reviews better than the defaults; the command applies
it, the scheduler uses it, ``--undo`` restores; a short history and a missing extra
change nothing; on a day a manager rated a drill, the manager's rating is what is fitted."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import fsrs
import pytest

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.events import AnyRating, ManagerRating, Rating, SelfRating
from drillcoach.scheduling import personal
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.personal import Fit, Scores
from drillcoach.scheduling.rules import AGAIN, EASY, GOOD, HARD
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.store.cards import CardTable
from helpers import FakeClock, made_fit, one_line, run_cli
from teamkit import fixed_clock

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

DEFAULTS = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
# A rep who forgets faster than FSRS's average learner: lower first stabilities, slower
# growth of stability on a success (w8), a steeper forgetting curve (w20).
TRUE = (0.1, 0.4, 0.9, 3.0, *DEFAULTS[4:8], 1.2, *DEFAULTS[9:20], 0.5)
HISTORY_END = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # a day before the tests' clock
UTC_DAYS = Days(4, UTC)


@pytest.fixture
def fsrs_rs() -> ModuleType:
    found: ModuleType = pytest.importorskip("fsrs_rs_python")
    return found


@pytest.fixture(scope="module")
def two_years(builtin_library: Library) -> list[SelfRating]:
    """Two years of 150 drills, drawn from TRUE (made once: the events are values)."""
    pytest.importorskip("fsrs_rs_python")
    return follow(builtin_library, TRUE, drills=150, days=730, seed=2)


def recall(parameters: Sequence[float], stability: float, days: int) -> float:
    decay = parameters[20]
    return float((1 + (0.9 ** (-1 / decay) - 1) * days / stability) ** -decay)


def as_item(reviews: Sequence[tuple[int, int]]) -> FSRSItem:
    """(day, rating) pairs as fsrs-rs's item: each rating with the days since the last."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    days = [day for day, _ in reviews]
    return FSRSItem(
        [FSRSReview(rating, day - days[max(n - 1, 0)]) for n, (day, rating) in enumerate(reviews)]
    )


def follow(
    library: Library, parameters: Sequence[float], *, drills: int, days: int, seed: int
) -> list[SelfRating]:
    """A rep's self-ratings over ``days`` days up to HISTORY_END: each of ``drills``
    drills started in the first third, then reviewed when the default parameters would
    schedule it (give or take, as a rep drills early or late), recalled with the
    probability the TRUE ``parameters`` give, Again followed by a same-day retry."""
    from fsrs_rs_python import FSRS

    draws = random.Random(seed)
    truth, scheduler = FSRS(list(parameters)), FSRS(list(DEFAULTS))
    first_day = HISTORY_END - timedelta(days=days)
    ratings: list[SelfRating] = []
    for drill in list(library.drills())[:drills]:
        day = draws.randrange(days // 3)
        reviews: list[tuple[int, int]] = []  # (day, rating)

        while day < days:
            if not reviews:
                rating = draws.choices((AGAIN, HARD, GOOD, EASY), (0.2, 0.2, 0.5, 0.1))[0]
            else:
                stability = truth.memory_state(as_item(reviews)).stability
                p = recall(parameters, stability, day - reviews[-1][0])
                recalled = draws.random() < p
                rating = draws.choices((HARD, GOOD, EASY), (0.15, 0.75, 0.1))[0] if recalled else 1
            at = first_day + timedelta(days=day, minutes=draws.randrange(120))
            ratings.append(SelfRating(by="sam", at=at, drill_uid=drill.uid, skill=drill.skill,
                                      rating=rating))  # fmt: skip
            reviews.append((day, rating))
            if rating == AGAIN:  # the learning step: again ten minutes later, same day
                again = at + timedelta(minutes=10)
                ratings.append(SelfRating(by="sam", at=again, drill_uid=drill.uid,
                                          skill=drill.skill, rating=GOOD))  # fmt: skip
                reviews.append((day, GOOD))
            stability = scheduler.memory_state(as_item(reviews)).stability
            interval = scheduler.next_interval(stability, 0.9, GOOD)
            day += max(1, round(interval * draws.uniform(0.6, 1.6)))
    return sorted(ratings, key=lambda rating: rating.at)


def settings(store: Store) -> dict[str, str]:
    return {row["key"]: row["value"] for row in store.query("SELECT key, value FROM settings")}


def cli_setup(home: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "config.toml").write_text('member = "sam"\nname = "Sam Patel"\nfuzz = false\n')
    fixed_clock(clock, monkeypatch)


# --- the fit


def test_a_fit_to_known_parameters_beats_the_defaults_on_the_held_out_reviews(
    fsrs_rs: ModuleType, two_years: list[SelfRating], store: Store, library: Library
) -> None:
    store.add_many(two_years)
    history = personal.read_history(store, library, "sam", UTC_DAYS, HISTORY_END)
    assert history.missing == 0 and history.drills == 150
    train, held_out = personal.split(history.items)
    assert max(item.at for item in train) < min(item.at for item in held_out)
    assert len(held_out) == round(history.reviews * personal.HELD_OUT_SHARE)
    assert all(item.reviews[-1].delta_days > 0 for item in history.items)

    found = personal.fit(history, None, HISTORY_END)

    assert found.moved and found.better
    assert found.fitted.log_loss < found.default.log_loss
    # the history really follows TRUE: it, too, predicts better than the defaults
    assert personal.score(TRUE, held_out).log_loss < found.default.log_loss
    # and the fit moved towards it: a lower first stability after Good than the default
    assert found.parameters[2] < DEFAULTS[2]
    assert found.default == personal.score(DEFAULTS, held_out)


def test_a_history_that_follows_the_defaults_is_not_fitted_better_than_them(
    fsrs_rs: ModuleType, store: Store, library: Library
) -> None:
    """The other side of the first test: its gain comes from the history, not the code."""
    store.add_many(follow(library, DEFAULTS, drills=150, days=730, seed=2))
    history = personal.read_history(store, library, "sam", UTC_DAYS, HISTORY_END)
    found = personal.fit(history, None, HISTORY_END)
    assert found.fitted.log_loss > found.default.log_loss - 0.005


# --- the command


def test_optimize_applies_a_better_fit_and_undo_restores_the_defaults(
    fsrs_rs: ModuleType, two_years: list[SelfRating], store: Store, library: Library,
    drillcoach_home: Path,
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    test_config: Config,
) -> None:  # fmt: skip
    cli_setup(drillcoach_home, clock, monkeypatch)
    store.add_many(two_years)
    before = DrillScheduler(store, library, test_config, clock=clock, tz=UTC)
    drill = library.drill(store.ratings("sam")[-1].drill_uid or "")
    assert drill is not None and before.cards.memory.parameters is None
    default_state = before.state(drill)

    code, out, err = run_cli(capsys, "optimize")

    assert (code, err) == (0, "")
    assert "log loss" in out and "RMSE (bins)" in out and "Applied" in out
    applied = personal.current_parameters(store, "sam")
    assert applied is not None and applied != DEFAULTS
    [change] = personal.parameter_changes(store, "sam")
    default, fitted = change["default"]["log_loss"], change["fitted"]["log_loss"]
    assert fitted < default
    assert f"{default:.4f}" in out and f"{fitted:.4f}" in out
    assert f"{(fitted - default) / default * 100:+.1f}%" in out
    # the scheduler schedules with them: the command replayed the cards, none is left
    written = CardTable.writes
    after = DrillScheduler(store, library, test_config, clock=clock, tz=UTC)
    assert after.cards.memory.parameters == applied
    assert after.state(drill).stability != default_state.stability
    assert after.cards.check() == []
    assert CardTable.writes == written

    code, out, err = run_cli(capsys, "optimize", "--undo")

    assert (code, err) == (0, "")
    one_line(out, "default parameters again")
    assert personal.current_parameters(store, "sam") is None
    written = CardTable.writes
    undone = DrillScheduler(store, library, test_config, clock=clock, tz=UTC)
    assert undone.cards.memory.parameters is None
    assert undone.state(drill) == default_state
    assert CardTable.writes == written
    assert [c["kind"] for c in personal.parameter_changes(store, "sam")] == ["fit", "undo"]

    code, out, err = run_cli(capsys, "optimize", "--undo")
    assert (code, err) == (0, "")
    one_line(out, "Nothing to undo")
    assert len(personal.parameter_changes(store, "sam")) == 2


def test_a_dry_run_shows_the_fit_and_changes_nothing(
    fsrs_rs: ModuleType, two_years: list[SelfRating], store: Store, library: Library,
    drillcoach_home: Path,
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cli_setup(drillcoach_home, clock, monkeypatch)
    store.add_many(two_years)
    kept = settings(store)
    code, out, err = run_cli(capsys, "optimize", "--dry-run")
    assert (code, err) == (0, "")
    assert "log loss" in out and "Dry run: nothing changed" in out
    assert settings(store) == kept


def test_a_fit_no_better_than_the_parameters_in_use_is_not_applied(
    store: Store, library: Library, drillcoach_home: Path, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fsrs_rs: ModuleType,
    two_years: list[SelfRating],
) -> None:  # fmt: skip
    cli_setup(drillcoach_home, clock, monkeypatch)
    store.add_many(two_years)
    real = personal.fit

    def worse(*args: Any) -> Fit:
        found = real(*args)
        return replace(found, fitted=Scores(found.default.log_loss + 0.01, 0.5))

    monkeypatch.setattr(personal, "fit", worse)
    kept = settings(store)
    code, out, err = run_cli(capsys, "optimize")
    assert (code, err) == (0, "")
    assert "Not applied" in out and "Nothing changed" in out
    assert settings(store) == kept


def test_too_short_a_history_says_how_many_more_ratings_and_changes_nothing(
    fsrs_rs: ModuleType, store: Store, library: Library, drillcoach_home: Path,
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cli_setup(drillcoach_home, clock, monkeypatch)
    store.add_many(follow(library, TRUE, drills=20, days=120, seed=1))
    history = personal.read_history(store, library, "sam", UTC_DAYS, clock())
    assert 0 < history.reviews < personal.MIN_REVIEWS
    kept = settings(store), store.query("SELECT count(*) FROM ratings")[0][0]

    code, out, err = run_cli(capsys, "optimize")

    assert (code, err) == (0, "")
    line = one_line(out, f"{history.reviews} of the {personal.MIN_REVIEWS} reviews needed")
    assert f"about {personal.MIN_REVIEWS - history.reviews} more ratings" in line
    assert (settings(store), store.query("SELECT count(*) FROM ratings")[0][0]) == kept


def test_without_the_extra_one_line_says_how_to_install_it(
    store: Store, drillcoach_home: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cli_setup(drillcoach_home, clock, monkeypatch)
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # `import` raises ImportError
    kept = settings(store)
    code, out, err = run_cli(capsys, "optimize")
    assert (code, out) == (2, "")
    one_line(err, "drillcoach optimize needs the optimize extra",
             "pip install 'drillcoach[optimize]'")  # fmt: skip
    assert settings(store) == kept


# --- the kept parameters


def test_undo_walks_back_through_every_fit_and_keeps_all_of_them(
    store: Store, clock: FakeClock
) -> None:
    first, second = (0.3, *DEFAULTS[1:]), (0.4, *DEFAULTS[1:])
    assert personal.undo(store, "sam", clock()) is None
    personal.apply(store, "sam", made_fit(first, clock()))
    personal.apply(store, "sam", made_fit(second, clock.advance(days=30)))
    assert personal.current_parameters(store, "sam") == second
    assert personal.current_parameters(store, "kim") is None  # each rep their own

    undone = personal.undo(store, "sam", clock.advance(days=1))
    assert undone is not None and undone[0]["parameters"] == list(second)
    assert personal.current_parameters(store, "sam") == first
    personal.undo(store, "sam", clock.advance(days=1))
    assert personal.current_parameters(store, "sam") is None
    assert personal.undo(store, "sam", clock()) is None
    changes = personal.parameter_changes(store, "sam")
    assert [c["kind"] for c in changes] == ["fit", "fit", "undo", "undo"]
    assert changes[0]["parameters"] == list(first)  # nothing is lost


def test_every_card_book_of_the_rep_uses_the_applied_parameters(
    store: Store, library: Library, clock: FakeClock, test_config: Config
) -> None:
    tuned = (0.3, *DEFAULTS[1:])
    personal.apply(store, "sam", made_fit(tuned, clock()))
    assert personal.memory_for(store, test_config, "sam").parameters == tuned
    assert DrillScheduler(store, library, test_config, clock=clock).cards.memory.parameters == tuned
    given = DrillScheduler(store, library, test_config, clock=clock, parameters=DEFAULTS)
    assert given.cards.memory.parameters == DEFAULTS  # parameters given win


# --- manager ratings


def test_on_a_day_a_manager_rated_a_drill_their_rating_enters_the_fit(
    store: Store, library: Library
) -> None:
    drill = next(iter(library.drills()))
    start = HISTORY_END - timedelta(days=30)

    def mine(days: int, rating: Rating) -> SelfRating:
        return SelfRating(by="sam", at=start + timedelta(days=days), drill_uid=drill.uid,
                          skill=drill.skill, rating=rating)  # fmt: skip

    def managers(days: int, rating: Rating, uid: str | None = drill.uid) -> ManagerRating:
        return ManagerRating(by="alex", rep="sam", at=start + timedelta(days=days, hours=2),
                             rubric="laer", scores={"listen": 3}, rating=rating,
                             skill=drill.skill, drill_uid=uid)  # fmt: skip

    events: list[AnyRating] = [
        mine(0, GOOD),
        mine(3, EASY), managers(3, AGAIN),  # the manager's Again counts, not the rep's Easy
        mine(6, GOOD),
        managers(9, HARD, uid=None),  # a rating of the skill: no drill's card
        mine(10, HARD),
    ]  # fmt: skip
    store.add_many(events)

    reviews = personal.drill_reviews(store, library, "sam", UTC_DAYS, HISTORY_END)

    assert [(r.rating, r.delta_days, r.by_manager) for r in reviews[drill.uid]] == [
        (GOOD, 0, False), (AGAIN, 3, True), (GOOD, 3, False), (HARD, 4, False),
    ]  # fmt: skip
    items = personal.training_items(reviews)
    assert [item.reviews[-1].rating for item in items] == [AGAIN, GOOD, HARD]
    assert not items[0].recalled  # held out, the manager's Again would be a lapse
    assert items[1].reviews[1].rating == AGAIN  # and it is in the history after it
