"""Each screen's stylesheet styles that screen only. Textual applies a screen's CSS_PATH to
the whole app once the screen has opened, so a rule like ``#date { width: 14 }`` for the
debrief's date box also narrowed Today's date, which then wrapped onto two lines.

A rule names its screen first (``DebriefScreen #date``), unless it styles an id that only
its own screens' modules give a widget and no other stylesheet styles unscoped: Textual
checks a scoped rule by walking the widget's ancestors, and with every rule scoped a drill
took 5-10 ms longer to show (bench/session.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

from textual.screen import Screen
from textual.widgets import Static

import drillcoach.tui as tui
import drillcoach.tui.screens as screens
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.debrief import DebriefScreen
from drillcoach.tui.screens.today import TodayScreen
from drillcoach.tui.session_flow import stylesheet_paths

FOLDER = Path(screens.__file__).parent
SCOPED = re.compile(r"[A-Z][A-Za-z]*Screen\b")
BARE_ID = re.compile(r"#([A-Za-z0-9_-]+)[A-Za-z0-9_.:-]*")


def selectors(path: Path) -> list[str]:
    """Every selector of every rule in a stylesheet (no nesting in ours)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
    return [part.strip() for head in re.findall(r"([^{}]+)\{", text) for part in head.split(",")]


def sheet_modules() -> dict[str, set[str]]:
    """Stylesheet name -> the modules of the screens that read it (and of their bases)."""
    found: dict[str, set[str]] = defaultdict(set)
    for info in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"{screens.__name__}.{info.name}")
        for _, screen in inspect.getmembers(module, inspect.isclass):
            if not issubclass(screen, Screen) or screen.__module__ != module.__name__:
                continue
            bases = {inspect.getfile(base) for base in screen.__mro__
                     if base.__module__.startswith("drillcoach.")}  # fmt: skip
            for path in stylesheet_paths(screen):
                found[path.name] |= bases
    return found


def id_modules() -> dict[str, set[str]]:
    """Widget id -> the modules that give a widget that id (``id="..."``)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in Path(tui.__file__).parent.rglob("*.py"):
        for ident in re.findall(r'\bid="([A-Za-z0-9_-]+)"', path.read_text()):
            found[ident].add(str(path))
    return found


def test_every_rule_of_a_screen_stylesheet_styles_only_its_screens() -> None:
    sheets = sorted(FOLDER.glob("*.tcss"))
    assert len(sheets) > 20
    owners, users = sheet_modules(), id_modules()
    assert set(owners) == {sheet.name for sheet in sheets}
    bare: dict[str, set[str]] = defaultdict(set)  # id -> the stylesheets styling it unscoped
    wrong = []
    for sheet in sheets:
        for selector in selectors(sheet):
            if SCOPED.match(selector):
                continue
            found = BARE_ID.fullmatch(selector)
            if found is None:
                wrong.append(f"{sheet.name}: '{selector}' names no screen")
                continue
            bare[found[1]].add(sheet.name)
            elsewhere = users[found[1]] - owners[sheet.name]
            if elsewhere:
                shown = ", ".join(sorted(Path(path).name for path in elsewhere))
                wrong.append(f"{sheet.name}: '{selector}' also styles #{found[1]} in {shown}")
    wrong += [f"#{ident} is styled unscoped in {', '.join(sorted(names))}"
              for ident, names in bare.items() if len(names) > 1]  # fmt: skip
    assert wrong == []


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
