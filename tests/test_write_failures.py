"""A rating the machine will not write (another drillcoach holding the database, a full
disk, a read-only database) leaves the drill on screen with the answer and the ticks,
says why in one line, writes nothing, and is saved when the rep tries again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from drillcoach.events import SelfRating
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.drill import DrillScreen
from drillcoach.tui.widgets.checklist import Checklist
from helpers import FakeClock, build_app, fill, small_disk, stored, type_text

SIZE = (80, 24)
PITCH = "cold-call-openers/cc-permission-opener"
ANSWER = "Hi, it's Sam from Northwind"


async def answer_the_pitch(pilot: Pilot[None]) -> DrillScreen:
    """Start, skip the role-play, type an answer to the pitch, reveal, tick the first point."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("escape", "b")  # bury the role-play: the pitch comes next
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen) and screen.drill.uid == PITCH
    await type_text(pilot, ANSWER)
    await pilot.press("ctrl+r", "space")
    await pilot.pause()
    return screen


def problem_line(screen: DrillScreen) -> str:
    line = screen.query_one("#problem")
    assert line.display, "no problem line shown"
    return str(line.render())


def still_answering(app: DrillcoachApp, screen: DrillScreen) -> None:
    assert app.screen is screen  # the drill is still on screen
    assert screen.query_one("#answer", TextArea).text == ANSWER
    assert screen.query_one(Checklist).ticked == (0,)


async def test_a_locked_database_keeps_the_answer_and_saves_on_retry(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await answer_the_pitch(pilot)
        app.services.store._db.execute("PRAGMA busy_timeout = 50")
        with closing(sqlite3.connect(app.services.paths.database, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # another drillcoach in the middle of a write
            await pilot.press("3")
            await pilot.pause()
            assert problem_line(screen) == (
                "Not saved: another drillcoach is writing to it - close the other drillcoach, "
                "then try again."
            )
            still_answering(app, screen)
            other.execute("ROLLBACK")
        assert stored(app) == []
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is not screen
    [rating] = stored(app)
    assert isinstance(rating, SelfRating)
    assert (rating.drill_uid, rating.rating, rating.answer) == (PITCH, 3, ANSWER)
    assert rating.key_points_hit == (0,)


async def test_a_read_only_database_keeps_the_answer(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await answer_the_pitch(pilot)
        app.services.store._db.execute("PRAGMA query_only = 1")  # as a read-only file would
        await pilot.press("3")
        await pilot.pause()
        assert problem_line(screen).startswith("Not saved: it is read-only - ")
        still_answering(app, screen)
        app.services.store._db.execute("PRAGMA query_only = 0")
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is not screen
    assert [rating.drill_uid for rating in stored(app)] == [PITCH]


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "small-disk", "3m") as mounted:
        yield mounted


async def test_a_full_disk_keeps_the_answer_and_saves_once_there_is_room(
    disk: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = disk / "home"
    home.mkdir()
    monkeypatch.setenv("DRILLCOACH_HOME", str(home))
    app = build_app(home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await answer_the_pitch(pilot)
            filler = fill(disk)
            await pilot.press("3")
            await pilot.pause()
            assert problem_line(screen).startswith("Not saved: the disk is full - ")
            still_answering(app, screen)
            assert stored(app) == []
            filler.unlink()
            await pilot.press("3")
            await pilot.pause()
            assert app.screen is not screen
        assert [rating.answer for rating in stored(app)] == [ANSWER]
    finally:
        app.services.close()
