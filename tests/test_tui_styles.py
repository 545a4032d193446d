"""Each screen's stylesheet styles that screen only. Textual applies a screen's CSS_PATH to
the whole app once the screen has opened, so a rule like ``#date { width: 14 }`` for the
debrief's date box also narrowed Today's date, which then wrapped onto two lines."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Static

import drillcoach.tui.screens as screens
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.debrief import DebriefScreen
from drillcoach.tui.screens.today import TodayScreen

FOLDER = Path(screens.__file__).parent
SCOPED = re.compile(r"[A-Z][A-Za-z]*Screen\b")


def selectors(path: Path) -> list[str]:
    """Every selector of every rule in a stylesheet (no nesting in ours)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
    return [part.strip() for head in re.findall(r"([^{}]+)\{", text) for part in head.split(",")]


def test_every_rule_of_a_screen_stylesheet_names_its_screen_first() -> None:
    sheets = sorted(FOLDER.glob("*.tcss"))
    assert len(sheets) > 20
    unscoped = [f"{sheet.name}: {selector}" for sheet in sheets
                for selector in selectors(sheet) if not SCOPED.match(selector)]  # fmt: skip
    assert unscoped == []


async def test_todays_date_keeps_its_width_after_the_debrief(app: DrillcoachApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = app.screen.query_one("#date", Static).region
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert app.screen.query_one("#date", Static).region == before
        assert before.height == 1
