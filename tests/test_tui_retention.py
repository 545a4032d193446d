"""How much to remember, from the Progress screen, driven with keys through Pilot over
two weeks of drilling (test_tui_progress's): ``r`` simulates the next 90 days at each
desired retention in a worker, shows minutes a day against retention and the suggestion
``drillcoach retention`` makes, and ``a`` sets it (config.toml holds it, the cards moved
with it, Progress reads again); escape, a retention already in use and a profile with
nothing to simulate change nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from test_tui_progress import SIZE, open_progress, text_of
from test_tui_progress import drilled as drilled  # the fixture: two weeks drilled
from textual.screen import Screen

from drillcoach.config import load_config
from drillcoach.scheduling.workload import DAYS, simulate_all, suggested, workload_of
from drillcoach.store.cards import CardTable
from drillcoach.text import retention_chart
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.progress import ProgressScreen
from drillcoach.tui.screens.retention import BAR, NOTHING, RetentionScreen
from helpers import FakeClock, build_app


def offered(screen: Screen[Any], key: str) -> bool:
    active = screen.active_bindings.get(key)
    return active is not None and active.enabled


def written_retention(home: Path) -> object:
    config = home / "config.toml"
    return tomllib.loads(config.read_text(encoding="utf-8")).get("desired_retention")


async def test_r_shows_the_simulation_and_a_sets_the_suggested_retention(
    drilled: DrillcoachApp, drillcoach_home: Path
) -> None:
    app = drilled
    services = app.services
    outcomes = simulate_all(workload_of(services.scheduler), days=DAYS)
    best = suggested(outcomes)
    assert best is not None and best.retention != services.config.desired_retention
    async with app.run_test(size=SIZE) as pilot:
        progress = await open_progress(pilot, app)
        assert offered(progress, "r")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        # the CLI's figures, the same seed: the chart shows exactly what `retention` prints
        chart = retention_chart(outcomes, best, width=BAR, current=0.9)
        assert text_of(app, "#sim-chart") == "\n".join(chart)
        assert any(line.endswith("now") and line.startswith("0.90") for line in chart)
        verdict = text_of(app, "#sim-verdict")
        assert f"desired_retention {best.retention:.2f}" in verdict and "a uses it" in verdict
        assert written_retention(drillcoach_home) is None  # nothing written yet
        rep = services.scheduler.rep
        before = {row.uid: row.due for row in CardTable(services.store).all(rep)}

        await pilot.press("a")
        await pilot.pause()
        assert written_retention(drillcoach_home) == best.retention  # at once
        await app.workers.wait_for_complete()  # the due dates, in a worker
        await pilot.pause()
        assert services.config.desired_retention == best.retention
        after = {row.uid: row.due for row in CardTable(services.store).all(rep)}
        assert after != before  # the due dates moved as it was set
        written = CardTable.writes
        services.scheduler.queue()
        assert CardTable.writes == written  # nothing left for the next queue to move
        assert services.scheduler.cards.check() == []
        assert "desired_retention is now" in text_of(app, "#sim-verdict")
        assert not offered(screen, "a")  # once

        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
    assert load_config(services.paths).desired_retention == best.retention


async def test_escape_and_the_retention_in_use_change_nothing(
    drilled: DrillcoachApp, drillcoach_home: Path
) -> None:
    app = drilled
    best = suggested(simulate_all(workload_of(app.services.scheduler), days=DAYS))
    assert best is not None
    app.services.set_setting("desired_retention", f"{best.retention:.2f}")  # in use already
    config = (drillcoach_home / "config.toml").read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await open_progress(pilot, app)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        assert "It is the one in use." in text_of(app, "#sim-verdict")
        assert not offered(screen, "a")
        await pilot.press("a", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
    assert (drillcoach_home / "config.toml").read_bytes() == config


async def test_a_profile_with_nothing_to_drill_is_told_so(drillcoach_home: Path) -> None:
    app = build_app(drillcoach_home, FakeClock())
    app.services.prefs.set_enabled_packs([])  # no pack on: no drill started or waiting
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_progress(pilot, app)
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert text_of(app, "#sim-verdict") == NOTHING
            assert not offered(app.screen, "a")
            assert text_of(app, "#sim-chart") == ""
    finally:
        app.services.close()
