"""The Commitments screen driven with keys through Pilot: a commitment made through the
form lands in the store, an own one is ticked off, one is dropped after asking, sharing is
switched; and a snapshot at 80x24."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_snapshots import Compare
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from drillcoach.coaching.commitments import add_commitment, make_commitment
from drillcoach.events import Commitment, CommitmentUpdate, Debrief, SelfRating, Vision
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.commitment_drop import DropCommitmentScreen
from drillcoach.tui.screens.commitment_form import CommitmentFormScreen
from drillcoach.tui.screens.commitments import CommitmentsScreen
from helpers import FakeClock, build_app, type_text

SIZE = (80, 24)
WHY = "Run my own team by 2029"


@pytest.fixture
def app(drillcoach_home: Path) -> Iterator[DrillcoachApp]:
    built = build_app(drillcoach_home, FakeClock())
    yield built
    built.services.close()


def commitments(app: DrillcoachApp) -> list[Commitment]:
    return app.services.store.coaching("sam", Commitment)


def updates(app: DrillcoachApp) -> list[CommitmentUpdate]:
    return app.services.store.coaching("sam", CommitmentUpdate)


async def open_commitments(pilot: Pilot[None]) -> None:
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, DrillcoachApp)
    await app.push_screen(CommitmentsScreen(app.services))
    await pilot.pause()


def commit(
    app: DrillcoachApp,
    kind: str,
    text: str = "",
    *,
    number: int | None = None,
    pack: str | None = None,
    due: date | None = None,
) -> Commitment:
    services = app.services
    made = make_commitment(services.store, services.library, "sam", services.scheduler.days,
                           services.clock(), kind=kind, motivation=WHY, text=text,
                           number=number, pack=pack, due=due)  # fmt: skip
    return add_commitment(services.store, made)


def rows(app: DrillcoachApp) -> list[list[str]]:
    table = app.screen.query_one("#commitments", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_a_commitment_made_through_the_form_is_stored(app: DrillcoachApp) -> None:
    services = app.services
    services.store.add(Vision(by="sam", at=services.clock(), why="Run my own team by 2029\n"
                              "and take my family to Japan", desire=8, willingness=7))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await open_commitments(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CommitmentFormScreen)
        # the vision's why is offered as the motivation
        assert form.query_one("#motivation", Input).value == WHY
        # drill-days is the first kind; the number box says 4 - make it 3
        await pilot.press("tab")
        assert app.focused is form.query_one("#number", Input)
        await pilot.press("backspace")
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CommitmentsScreen)
        (made,) = commitments(app)
        assert (made.kind, made.number, made.text, made.motivation) == (
            "drill-days", 3, "Drill 3 days a week", WHY
        )  # fmt: skip
        assert rows(app) == [["on track", "Drill 3 days a week",
                              "0 of 3 days this week, 7 days left"]]  # fmt: skip


async def test_the_form_says_what_is_missing_and_keeps_what_was_typed(
    app: DrillcoachApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_commitments(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#kind", Select).value = "own"
        await pilot.pause()
        assert not form.query_one("#number-row").display
        form.query_one("#due", Input).focus()
        await type_text(pilot, "2026-03-06")
        await pilot.press("ctrl+s")
        await pilot.pause()
        problem = str(form.query_one("#problem").render())
        assert problem == "Not saved: In your words: say what you commit to, in your words"
        assert app.focused is form.query_one("#text", Input)
        await type_text(pilot, "Book a ride-along with Maria")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Why it matters: say why it matters to you" in str(
            form.query_one("#problem").render()
        )
        assert commitments(app) == []
        await type_text(pilot, "Learn how she opens")
        await pilot.press("enter")  # enter in the last box saves
        await pilot.pause()
        (made,) = commitments(app)
        assert (made.kind, made.text, str(made.due)) == (
            "own", "Book a ride-along with Maria", "2026-03-06"
        )  # fmt: skip


async def test_an_own_commitment_is_ticked_off_and_another_dropped(app: DrillcoachApp) -> None:
    ride = commit(app, "own", "Book a ride-along with Maria")
    clock = app.services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(minutes=1)  # the newest shows first
    drill = commit(app, "drill-days", number=4)
    async with app.run_test(size=SIZE) as pilot:
        await open_commitments(pilot)
        assert [row[1] for row in rows(app)] == [
            "Drill 4 days a week",
            "Book a ride-along with Ma…",
        ]
        await pilot.press("x")  # drillcoach checks drilling days itself: nothing happens
        await pilot.pause()
        assert updates(app) == []
        await pilot.press("down", "x")
        await pilot.pause()
        (done,) = updates(app)
        assert (done.of, done.action) == (ride.id, "done")
        assert rows(app)[1][0] == "done"
        await pilot.press("up", "d")
        await pilot.pause()
        assert isinstance(app.screen, DropCommitmentScreen)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert len(updates(app)) == 1
        await pilot.press("d", "y")
        await pilot.pause()
        assert [(u.of, u.action) for u in updates(app)] == [
            (ride.id, "done"), (drill.id, "dropped")
        ]  # fmt: skip
        assert [row[1] for row in rows(app)] == ["Book a ride-along with Ma…"]


async def test_s_switches_sharing(app: DrillcoachApp, drillcoach_home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_commitments(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.services.config.share_commitments
        assert "share_commitments = true" in (drillcoach_home / "config.toml").read_text()
        await pilot.press("s")
        await pilot.pause()
        assert not app.services.config.share_commitments


def test_commitments_screen_snapshot(snap_compare: Compare, app: DrillcoachApp) -> None:
    services = app.services
    clock = services.clock
    assert isinstance(clock, FakeClock)
    monday = clock()
    commit(app, "own", "Book a ride-along with Maria to hear how she opens",
           due=monday.date() + timedelta(days=6))  # fmt: skip
    commit(app, "finish-pack", pack="objections-core", due=monday.date() + timedelta(days=11))
    commit(app, "debrief-calls", number=2)
    commit(app, "drill-days", number=4)
    for day in range(2):
        services.store.add(SelfRating(by="sam", at=monday + timedelta(days=day),
                                      drill_uid="objections-core/price-too-high",
                                      skill="objection-handling", rating=3))  # fmt: skip
    services.store.add_many(
        Debrief(by="sam", at=monday + timedelta(days=day), account="Harbor Foods",
                call_date=monday.date(), call_type="discovery", outcome="advanced")
        for day in (1, 3)
    )  # fmt: skip
    # Saturday: two of four days drilled and two days left; the ride-along due tomorrow
    clock.advance(days=5)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_commitments)
