"""Colours follow Textual's themes: the palette's Theme picks any of them, light or dark
switches between Textual's own two, and the choice is written to config.toml at once, so
the next start opens in it; a theme config.toml names is the one the app opens in."""

from __future__ import annotations

from pathlib import Path

from drillcoach.config import load_config, resolve_paths
from drillcoach.tui.app import DrillcoachApp
from helpers import FakeClock, build_app, write_config

SIZE = (80, 24)


def written_theme(home: Path) -> str:
    return load_config(resolve_paths(home)).theme


async def test_a_theme_picked_in_the_palette_is_kept(
    app: DrillcoachApp, drillcoach_home: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in ("T", "h", "e", "m", "e"):
            await pilot.press(key)
        await pilot.pause(0.3)
        await pilot.press("enter")  # Textual's own "Theme" command: the list of themes
        await pilot.pause(0.3)
        for key in "nord":
            await pilot.press(key)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "nord"
    assert written_theme(drillcoach_home) == "nord"


async def test_light_or_dark_switches_and_is_kept(
    app: DrillcoachApp, drillcoach_home: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_toggle_theme()
        await pilot.pause()
        assert app.theme == "textual-light"
        assert written_theme(drillcoach_home) == "light"
        app.action_toggle_theme()
        await pilot.pause()
        assert app.theme == "textual-dark"
    assert written_theme(drillcoach_home) == "dark"


async def test_the_app_opens_in_the_theme_config_names(
    drillcoach_home: Path, clock: FakeClock
) -> None:
    write_config(drillcoach_home, theme='"solarized-light"')
    app = build_app(drillcoach_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.theme == "solarized-light"
    finally:
        app.services.close()
    assert written_theme(drillcoach_home) == "solarized-light"  # opening it wrote nothing
