"""`drillcoach today` and the Today screen say the same things: one text layer, one time
zone, on a store with a leech, an assignment and a broken pack that was skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable

from drillcoach.cli import main
from drillcoach.events import Assignment
from drillcoach.scheduling.rules import AGAIN, GOOD
from drillcoach.services import open_services
from drillcoach.tui.app import make_app
from drillcoach.tui.screens.today import TodayScreen
from helpers import FakeClock, write_config

LEECH = "objections-core/price-too-high"


def make_a_leech(home: Path) -> None:
    """Eight lapses of one drill over the last months, ending before today."""
    clock = FakeClock(datetime.now(UTC) - timedelta(days=400))
    services = open_services(home, clock=clock)
    try:
        scheduler = services.scheduler
        drill = services.library.drill(LEECH)
        assert drill is not None
        scheduler.record_self(drill, GOOD)
        for _ in range(8):
            clock.set(scheduler.state(drill).due + timedelta(hours=1))
            scheduler.record_self(drill, AGAIN)
            clock.advance(minutes=10)
            scheduler.record_self(drill, GOOD)
        assert scheduler.state(drill).is_leech
        assert clock.now < datetime.now(UTC) - timedelta(days=1)
        services.store.save_assignment(
            Assignment(
                "q3-closing",
                "alex",
                "closing",
                ("*",),
                date.today() + timedelta(days=9),
                "before the quarter ends",
            )
        )
        services.prefs.set_welcomed()
    finally:
        services.close()


@pytest.fixture
def busy_home(drillcoach_home: Path) -> Path:
    write_config(drillcoach_home)
    (drillcoach_home / "packs").mkdir()
    (drillcoach_home / "packs" / "broken.toml").write_text("format = 1\n[pack\n", encoding="utf-8")
    make_a_leech(drillcoach_home)
    return drillcoach_home


async def test_cli_and_today_screen_agree(
    busy_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["today"]) == 0
    out, err = capsys.readouterr()
    cli_lines = [line.strip() for line in out.splitlines()]
    cli_rows = [line.split(None, 3) for line in cli_lines if line[:1].isdigit()]

    app = make_app(busy_home)  # the system clock and time zone, as the CLI uses
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            shown = {
                name: str(screen.query_one(f"#{name}").render())
                for name in ("date", "habit", "headline", "assigned", "leeches", "problems")
            }
            table = screen.query_one("#queue", DataTable)
            rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
    finally:
        app.services.close()

    assert cli_lines[0].endswith(shown["date"])
    for name in ("habit", "headline", "assigned", "leeches"):
        assert shown[name] and shown[name] in cli_lines, name
    assert "Assigned by alex: Closing" in shown["assigned"]
    assert "before the quarter ends" in shown["assigned"]
    assert shown["leeches"].startswith("Leech: Your price is too high - lapsed 8 times")
    assert shown["problems"].startswith("1 pack file(s) skipped with problems: ")
    assert err == f"warning: {shown['problems']}\n"
    # the same drills, in the same order, with the same tags (the leech tagged in both)
    assert [row[0].split()[1] for row in rows] == [row[1] for row in cli_rows]
    assert [(row[1], row[2]) for row in rows] == [
        (cli[2], cli[3].rsplit("  [", 1)[0]) for cli in cli_rows
    ]
    assert "leech" in [row[1] for row in cli_rows]
