"""The sales DNA screen driven with keys through Pilot: taking the check one statement at a
time (what is stored afterwards), leaving it half-way (nothing stored), and how the latest
take reads at 80x24."""

from __future__ import annotations

import pytest
from test_snapshots import Compare
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

from drillcoach.coaching.dna import Dna, load_dna, new_check
from drillcoach.events import DnaCheck
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.dna import DnaScreen
from drillcoach.tui.screens.dna_take import DnaTakeScreen
from drillcoach.tui.widgets.plain import Plain
from helpers import FakeClock

SIZE = (80, 24)


@pytest.fixture
def dna(app: DrillcoachApp) -> Dna:
    return load_dna(library=app.services.library)


def checks(app: DrillcoachApp) -> list[DnaCheck]:
    return app.services.store.coaching("sam", DnaCheck)


async def open_dna(pilot: Pilot[None], app: DrillcoachApp) -> DnaScreen:
    await pilot.pause()
    screen = DnaScreen(app.services)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def showing(app: DrillcoachApp) -> Screen[object]:
    """The screen on top, read afresh (an attribute would stay narrowed by an isinstance)."""
    return app.screen


def rows(screen: DnaScreen) -> list[str]:
    listing = screen.query_one("#constructs", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_taking_the_check_by_keys_stores_every_answer(app: DrillcoachApp, dna: Dna) -> None:
    money = {s.id for s in dna.statements if s.construct == "money-talk"}
    keys = ["1" if s.agreeing == "strength" and s.id in money else
            "5" if s.id in money else "3" for s in dna.statements]  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dna(pilot, app)
        summary = screen.query_one("#summary", Plain)
        assert "You haven't taken the sales DNA check yet: press t" in str(summary.render())
        await pilot.press("t")
        assert isinstance(showing(app), DnaTakeScreen)
        await pilot.press("4", "backspace")  # the first answer, changed
        await pilot.press(*keys)
        await pilot.pause()
        assert showing(app) is screen
        [check] = checks(app)
        assert check.answers == {s.id: int(key) for s, key in zip(dna.statements, keys,
                                                                   strict=True)}  # fmt: skip
        assert check.at == app.services.clock()
        assert "Comfort discussing money   ░░░░░░░░░░ 1.0  work on this" in rows(screen)
        # the weakest area is the one explained
        about = str(screen.query_one("#about", Plain).render())
        assert about.startswith("Money is the part of the call you rush.")
        assert "Packs: Negotiation, Owner-operators: the one-call close" in about


async def test_leaving_the_check_half_way_stores_nothing(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dna(pilot, app)
        await pilot.press("t", "2", "4", "5", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert checks(app) == []
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DnaScreen)


async def test_the_scale_answers_with_a_click_too(app: DrillcoachApp, dna: Dna) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dna(pilot, app)
        await pilot.press("t", "down", "down", "enter")  # from "3 neither", two down: 5
        await pilot.pause()
        take = app.screen
        assert isinstance(take, DnaTakeScreen)
        assert take.answers == {dna.statements[0].id: 5}


def two_takes(app: DrillcoachApp, dna: Dna, clock: FakeClock) -> None:
    """A first take weak on money and rejection, and one six weeks later, better on money."""

    def answers(strengths: dict[str, int]) -> dict[str, int]:
        return {
            s.id: (wanted if s.agreeing == "strength" else 6 - wanted)
            for s in dna.statements
            for wanted in [strengths.get(s.construct, 4)]
        }

    store = app.services.store
    store.add(new_check(dna, answers({"money-talk": 1, "rejection": 2}), "sam", clock()))
    clock.advance(weeks=6)
    store.add(new_check(dna, answers({"money-talk": 2, "rejection": 2, "recovery": 3}), "sam",
                        clock()))  # fmt: skip


async def test_the_latest_take_shows_the_change_since_the_first(
    app: DrillcoachApp, dna: Dna, clock: FakeClock
) -> None:
    two_takes(app, dna, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dna(pilot, app)
        assert rows(screen)[:4] == [
            "Doesn't need to be liked   ████████░░ 4.0     =",
            "Comfort discussing money   ███░░░░░░░ 2.0  +1.0  work on this",
            "How you buy                ████████░░ 4.0     =",
            "Handling rejection         ███░░░░░░░ 2.0     =  work on this",
        ]
        await pilot.press("down", "down")
        about = str(screen.query_one("#about", Plain).render())
        assert about.startswith("A no stays with you.")
        assert "First among your new drills: Prospecting, Objection handling" in about
        assert "Source: Objective Management Group's Sales DNA competency 'Rejection Proof'" \
               in about  # fmt: skip
        await pilot.press("up")  # How you buy: not an area to work on now
        about = str(screen.query_one("#about", Plain).render())
        assert about.startswith("When it's weak: You research for weeks")
        assert "\nSkills: Closing, Qualification\n" in about
        # what each construct says fits the screen whole, without scrolling
        detail = screen.query_one("#detail")
        for _ in dna.constructs:
            await pilot.press("down")
            await pilot.pause()
            assert detail.max_scroll_y == 0, screen.query_one("#about", Plain).render()


def test_dna_screen_snapshot(
    snap_compare: Compare, app: DrillcoachApp, dna: Dna, clock: FakeClock
) -> None:
    two_takes(app, dna, clock)

    async def open_it(pilot: Pilot[None]) -> None:
        await open_dna(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_take_screen_snapshot(snap_compare: Compare, app: DrillcoachApp) -> None:
    async def first_statement(pilot: Pilot[None]) -> None:
        await open_dna(pilot, app)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=first_statement)
