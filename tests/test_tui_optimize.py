"""Fitting the scheduling to the rep from the Progress screen, driven with keys through
Pilot over a two-year history drawn from known parameters (test_optimize's): the offer
shows once there is enough history, ``o`` fits in a worker with a progress bar through
its stages, ``a`` applies a better fit (the store holds it, and the cards are brought up
to date in the worker), ``u`` takes it back; a short history, a missing extra, a fit no
better than the defaults, a write the machine refuses and escape (after the fit, or while
it runs) change nothing."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_optimize import TRUE, follow, settings
from test_tui_progress import SIZE, open_progress, text_of
from textual.pilot import Pilot
from textual.widgets import ProgressBar

from drillcoach.content import Library
from drillcoach.errors import MachineError
from drillcoach.events import SelfRating
from drillcoach.scheduling import personal
from drillcoach.scheduling.personal import EXTRA_MISSING, Fit, Scores
from drillcoach.text import fit_lines, short_history_line
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens import optimize
from drillcoach.tui.screens.optimize import (
    APPLIED,
    BETTER,
    NOT_BETTER,
    OptimizeScreen,
    UndoFitScreen,
)
from drillcoach.tui.screens.progress import ProgressScreen
from helpers import FakeClock, build_app


@pytest.fixture(scope="module")
def two_years(builtin_library: Library) -> list[SelfRating]:
    """Two years of 150 drills drawn from TRUE (made once: the events are values)."""
    pytest.importorskip("fsrs_rs_python")
    return follow(builtin_library, TRUE, drills=150, days=730, seed=2)


def app_with(home: Path, ratings: Sequence[SelfRating]) -> DrillcoachApp:
    app = build_app(home, FakeClock())
    app.services.store.add_many(ratings)
    return app


@pytest.fixture
def fitted_app(drillcoach_home: Path, two_years: list[SelfRating]) -> Iterator[DrillcoachApp]:
    app = app_with(drillcoach_home, two_years)
    yield app
    app.services.close()


def history_of(app: DrillcoachApp) -> personal.History:
    services = app.services
    scheduler = services.scheduler
    return personal.read_history(services.store, services.library, scheduler.rep,
                                 scheduler.days, services.clock())  # fmt: skip


def offered(screen: ProgressScreen, key: str) -> bool:
    active = screen.active_bindings.get(key)
    return active is not None and active.enabled


async def fit_shown(pilot: Pilot[None], app: DrillcoachApp) -> OptimizeScreen:
    """After ``o``: the fit's worker done and its result on the screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, OptimizeScreen)
    return screen


# --- enough history: fit, apply, take back


async def test_enough_history_offers_a_fit_and_a_applies_it_then_u_takes_it_back(
    fitted_app: DrillcoachApp,
) -> None:
    app, store = fitted_app, fitted_app.services.store
    history = history_of(app)
    assert history.missing == 0
    expected = personal.fit(history, None, app.services.clock())
    assert expected.better  # the fit the screen must show and apply
    async with app.run_test(size=SIZE) as pilot:
        progress = await open_progress(pilot, app)
        assert text_of(app, "#fit-offer") == (
            f"Your {history.reviews} reviews can fit the scheduling to you: o tries it."
        )
        assert offered(progress, "o") and not offered(progress, "u")

        await pilot.press("o")
        screen = await fit_shown(pilot, app)

        assert screen.found == expected
        bar = screen.query_one("#fit-progress", ProgressBar)
        assert bar.progress == bar.total == len(optimize.STAGES)
        assert text_of(app, "#fit-result") == "\n".join(fit_lines(expected))
        assert "log loss" in text_of(app, "#fit-result")
        assert text_of(app, "#fit-verdict") == BETTER
        assert personal.current_parameters(store, "sam") is None  # nothing before a

        await pilot.press("a")
        assert personal.current_parameters(store, "sam") == expected.parameters  # at once
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#fit-verdict") == APPLIED
        scheduler = app.services.scheduler
        assert scheduler.cards.memory.parameters == expected.parameters
        # the worker replayed the cards with them: the store's stamp says so already
        stamp = json.loads(settings(store)["cards:sam"])
        assert stamp["memory"].startswith(scheduler.cards.memory.memory_signature + "|")
        assert scheduler.cards.check() == []
        await pilot.press("a")  # once is all
        assert len(personal.parameter_changes(store, "sam")) == 1

        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is progress
        day = expected.at.date().isoformat()
        assert text_of(app, "#fit-offer") == (
            f"Your fit of {day} schedules your drills: o fits again, u takes it back."
        )
        assert f"fitted on {day}" in text_of(app, "#fitting-lines")
        assert offered(progress, "u")

        await pilot.press("u")
        assert isinstance(app.screen, UndoFitScreen)
        assert personal.current_parameters(store, "sam") == expected.parameters  # not yet
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert personal.current_parameters(store, "sam") is None
        assert text_of(app, "#fit-verdict") == (
            f"Took back the parameters fitted on {day}; your drills are scheduled with the "
            "default parameters again."
        )
        assert app.services.scheduler.cards.memory.parameters is None
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is progress
        assert not offered(progress, "u")
        assert "default parameters" in text_of(app, "#fitting-lines")
    kinds = [change["kind"] for change in personal.parameter_changes(store, "sam")]
    assert kinds == ["fit", "undo"]


async def test_escape_after_the_fit_changes_nothing(fitted_app: DrillcoachApp) -> None:
    async with fitted_app.run_test(size=SIZE) as pilot:
        progress = await open_progress(pilot, fitted_app)
        kept = settings(fitted_app.services.store)  # once Today brought the cards up to date
        await pilot.press("o")
        screen = await fit_shown(pilot, fitted_app)
        assert screen.found is not None and screen.found.better
        await pilot.press("escape")
        await pilot.pause()
        assert fitted_app.screen is progress
    assert settings(fitted_app.services.store) == kept
    assert personal.current_parameters(fitted_app.services.store, "sam") is None


async def test_escape_while_the_fit_runs_closes_at_once_and_changes_nothing(
    fitted_app: DrillcoachApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen answers keys while the worker fits: a fit held until the rep has left."""
    real = personal.fit
    fitting, release, finished = threading.Event(), threading.Event(), threading.Event()

    def held(history: personal.History, current: Any, now: Any, stage: Any) -> Fit:
        stage(personal.FITTING)  # returns once the screen has shown it
        fitting.set()
        try:
            assert release.wait(10)
            return real(history, current, now, stage)
        finally:
            finished.set()

    monkeypatch.setattr(personal, "fit", held)
    try:
        async with fitted_app.run_test(size=SIZE) as pilot:
            progress = await open_progress(pilot, fitted_app)
            kept = settings(fitted_app.services.store)
            await pilot.press("o")
            assert await asyncio.to_thread(fitting.wait, 10)
            await pilot.pause()
            screen = fitted_app.screen
            assert isinstance(screen, OptimizeScreen)
            assert text_of(fitted_app, "#fit-stage") == optimize.STAGES[personal.FITTING][1]
            assert screen.query_one("#fit-progress", ProgressBar).progress == 1
            await pilot.press("a")  # nothing to apply yet
            await pilot.press("escape")
            assert fitted_app.screen is progress
            release.set()
            assert await asyncio.to_thread(finished.wait, 10)
            await pilot.pause()
            assert fitted_app.screen is progress
    finally:
        release.set()
    assert settings(fitted_app.services.store) == kept


async def test_a_fit_no_better_than_the_defaults_cannot_be_applied(
    fitted_app: DrillcoachApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = personal.fit

    def worse(*args: Any) -> Fit:
        found = real(*args)
        return replace(found, fitted=Scores(found.default.log_loss + 0.01, 0.5))

    monkeypatch.setattr(personal, "fit", worse)
    async with fitted_app.run_test(size=SIZE) as pilot:
        await open_progress(pilot, fitted_app)
        kept = settings(fitted_app.services.store)
        await pilot.press("o")
        screen = await fit_shown(pilot, fitted_app)
        assert screen.found is not None and not screen.found.better
        assert text_of(fitted_app, "#fit-verdict") == NOT_BETTER
        assert screen.active_bindings.get("a") is None or not screen.active_bindings["a"].enabled
        await pilot.press("a")
        await pilot.pause()
        assert fitted_app.screen is screen
    assert settings(fitted_app.services.store) == kept


async def test_a_refused_write_says_so_in_one_line_and_applies_nothing(
    fitted_app: DrillcoachApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any) -> dict[str, Any]:
        raise MachineError("drillcoach.db: database or disk is full", "full")

    monkeypatch.setattr(personal, "apply", full)
    async with fitted_app.run_test(size=SIZE) as pilot:
        await open_progress(pilot, fitted_app)
        kept = settings(fitted_app.services.store)
        await pilot.press("o")
        screen = await fit_shown(pilot, fitted_app)
        await pilot.press("a")
        await pilot.pause()
        assert text_of(fitted_app, "#fit-stage") == (
            "Not saved: the disk is full - free some disk space, then try again."
        )
        assert not screen.applied and text_of(fitted_app, "#fit-verdict") == BETTER
        assert not any(worker.group == "cards" for worker in fitted_app.workers)
        await pilot.press("escape")
        await pilot.pause()
    assert settings(fitted_app.services.store) == kept


# --- no offer


async def test_too_short_a_history_offers_no_fit_and_says_how_many_more(
    drillcoach_home: Path, builtin_library: Library
) -> None:
    pytest.importorskip("fsrs_rs_python")
    app = app_with(drillcoach_home, follow(builtin_library, TRUE, drills=20, days=120, seed=1))
    try:
        history = history_of(app)
        assert 0 < history.reviews < personal.MIN_REVIEWS
        async with app.run_test(size=SIZE) as pilot:
            progress = await open_progress(pilot, app)
            kept = settings(app.services.store)
            assert not progress.query_one("#fit-offer").display
            assert text_of(app, "#fitting-lines") == (
                f"{short_history_line(history)}\n"
                "Your drills are scheduled with FSRS's default parameters."
            )
            assert f"about {history.missing} more ratings" in text_of(app, "#fitting-lines")
            assert not offered(progress, "o")
            await pilot.press("o", "u")
            await pilot.pause()
            assert app.screen is progress
        assert settings(app.services.store) == kept
    finally:
        app.services.close()


async def test_without_the_extra_the_offer_says_how_to_install_it(
    fitted_app: DrillcoachApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # `import` raises ImportError
    async with fitted_app.run_test(size=SIZE) as pilot:
        progress = await open_progress(pilot, fitted_app)
        kept = settings(fitted_app.services.store)  # once Today brought the cards up to date
        assert text_of(fitted_app, "#fit-offer") == EXTRA_MISSING
        assert not offered(progress, "o")
        await pilot.press("o")
        await pilot.pause()
        assert fitted_app.screen is progress
    assert settings(fitted_app.services.store) == kept
