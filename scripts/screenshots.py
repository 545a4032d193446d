"""Regenerate the README screenshots: the Today screen and a revealed drill, at 80x24.

    python scripts/screenshots.py [OUTPUT_FOLDER]     (default: docs/)

It drives the real app in a throwaway DRILLCOACH_HOME on a fixed clock, so the pictures
change only when the screens do. tests/test_screenshots.py checks they are current.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from drillcoach.tui.app import make_app

MOMENT = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
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
    return [today, drill]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs"
    for path in asyncio.run(capture(folder)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
