"""Regenerate the README screenshots at 80x24: the Today screen, a revealed drill, and the
Progress screen after a simulated month (scripts/simulate.py).

    python scripts/screenshots.py [OUTPUT_FOLDER]     (default: docs/)

It drives the real app in a throwaway DRILLCOACH_HOME on a fixed clock, so the pictures
change only when the screens do. tests/test_screenshots.py checks they are current.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from drillcoach.tui.app import make_app

MOMENT = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
# a Friday morning before the session, after four weeks of drilling (a week off among them)
PROGRESS_MOMENT = datetime(2026, 2, 27, 7, 0, tzinfo=UTC)
ANSWER = "Hi Tomas, it's Sam from Northwind. This is a cold call - can I have thirty seconds?"


async def capture(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        Path(home, "config.toml").write_text('name = "Sam Patel"\nfuzz = false\n')
        app = make_app(home, clock=lambda: MOMENT, tz=UTC)
        app.services.store.set_setting("welcomed", True)
        # Sam sells Northwind's freight product: on the welcome, Sam picked its packs
        northwind = [pack.id for pack in app.services.library.packs.values()
                     if pack.company == "northwind"]  # fmt: skip
        app.services.prefs.set_enabled_packs(northwind)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                today = folder / "today.svg"
                app.save_screenshot(today.name, str(folder))
                await pilot.press("enter", "escape", "b")  # bury the role-play: a pitch next
                await pilot.pause()
                await pilot.press(*[{" ": "space"}.get(c, c) for c in ANSWER])
                await pilot.press("ctrl+r", "space", "down", "space", "down", "down")
                await pilot.pause()
                drill = folder / "drill-revealed.svg"
                app.save_screenshot(drill.name, str(folder))
        finally:
            app.services.close()
    return [today, drill, await _progress(folder)]


def _simulation() -> ModuleType:
    """scripts/simulate.py, which is a script, not a module of the package."""
    spec = importlib.util.spec_from_file_location(
        "simulate", Path(__file__).with_name("simulate.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def _progress(folder: Path) -> Path:
    """The Progress screen the morning after a simulated month with a manager's ratings."""
    # a month's history of the rep's, written by simulate.py through the domain
    from drillcoach.tui.screens.progress import ProgressScreen

    with tempfile.TemporaryDirectory() as home:
        until = (PROGRESS_MOMENT - timedelta(days=1)).date()
        _simulation().simulate(Path(home), until=until, zone=UTC, with_manager=True)
        app = make_app(home, clock=lambda: PROGRESS_MOMENT, tz=UTC)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                app.push_screen(ProgressScreen(app.services))
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                progress = folder / "progress.svg"
                app.save_screenshot(progress.name, str(folder))
        finally:
            app.services.close()
    return progress


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs"
    for path in asyncio.run(capture(folder)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
