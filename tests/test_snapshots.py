"""SVG snapshots of the key screens at 80x24 (update with: pytest --snapshot-update)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any, Protocol

import pytest
from textual.app import App
from textual.pilot import Pilot

from drillcoach.tui.app import DrillcoachApp
from helpers import FakeClock, build_app, type_text

SIZE = (80, 24)
Step = Callable[[Pilot[None]], Awaitable[None]]


class Compare(Protocol):
    """pytest-textual-snapshot's ``snap_compare`` (its ``Pilot`` is unparametrized)."""

    def __call__(
        self,
        app: str | PurePath | App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
    ) -> bool: ...


@pytest.fixture
def app(drillcoach_home: Path) -> Iterator[DrillcoachApp]:
    built = build_app(drillcoach_home, FakeClock())
    yield built
    built.services.close()


def _then(*steps: Step) -> Step:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.pause()
        for step in steps:
            await step(pilot)
            await pilot.pause()

    return run


async def _start(pilot: Pilot[None]) -> None:
    await pilot.press("enter")


async def _to_pitch(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "b")  # bury the role-play: the pitch drill is next


async def _answer_pitch(pilot: Pilot[None]) -> None:
    await type_text(pilot, "Hi Tomas, it's Sam from Northwind. Can I have thirty seconds?")
    await pilot.press("escape")


async def _reveal_and_tick(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+r", "space", "down", "space", "down")


async def _two_replies(pilot: Pilot[None]) -> None:
    await type_text(pilot, "Of course - what will you be weighing up?")
    await pilot.press("enter")
    await type_text(pilot, "Which team worries you most?")
    await pilot.press("enter", "escape")


async def _whole_session(pilot: Pilot[None]) -> None:
    for _ in range(4):  # the role-play's four buyer lines
        await type_text(pilot, "ok")
        await pilot.press("enter")
    await pilot.press("3")
    await pilot.pause()
    for rating in ("3", "4", "3", "2"):
        await pilot.press("ctrl+r", rating)
        await pilot.pause()
    await pilot.press("ctrl+r", "3")  # the drill rated Hard comes back


def test_today(snap_compare: Compare, app: DrillcoachApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_light_theme_today_and_a_revealed_drill(snap_compare: Compare, app: DrillcoachApp) -> None:
    """The light theme: Today's lines and a revealed drill's comparison, key points and
    rating buttons all readable on a light background."""
    app.theme = "textual-light"
    steps = _then(_start, _to_pitch, _answer_pitch, _reveal_and_tick)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


def test_light_theme_today(snap_compare: Compare, app: DrillcoachApp) -> None:
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE)


def test_drill_before_reveal(snap_compare: Compare, app: DrillcoachApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=_then(_start, _to_pitch, _answer_pitch))


def test_drill_after_reveal(snap_compare: Compare, app: DrillcoachApp) -> None:
    steps = _then(_start, _to_pitch, _answer_pitch, _reveal_and_tick)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


def test_roleplay(snap_compare: Compare, app: DrillcoachApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=_then(_start, _two_replies))


def test_session_summary(snap_compare: Compare, app: DrillcoachApp) -> None:
    steps = _then(_start, _whole_session)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps)
