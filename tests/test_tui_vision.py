"""The vision in the TUI, driven with keys through Pilot: writing a vision from Today (v,
then e), a second version, a mistake that saves nothing, the coaching agreement, sharing,
the history, the first-run question (asked from the welcome on, "Later" asks again a week
on, never once a vision exists), the agreement line on the manager's rating form, and a
snapshot of the Vision screen at 80x24."""

from __future__ import annotations

import importlib.util
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from test_snapshots import Compare
from textual.pilot import Pilot
from textual.widgets import Input, Static

from drillcoach.config import load_config, resolve_paths
from drillcoach.events import Agreement, CoachingArea, Vision
from drillcoach.team.feedback import target
from drillcoach.team.workspace import membership
from drillcoach.tui.app import DrillcoachApp, make_app
from drillcoach.tui.screens.agreement import AgreementScreen
from drillcoach.tui.screens.first_run import FirstRunScreen, ask_before_session
from drillcoach.tui.screens.rating import RatingScreen
from drillcoach.tui.screens.today import TodayScreen
from drillcoach.tui.screens.vision import VisionScreen
from drillcoach.tui.screens.vision_form import VisionFormScreen
from drillcoach.tui.screens.welcome import WelcomeScreen
from helpers import START, FakeClock, build_app, type_text
from teamkit import TeamKit, build_team

SIZE = (80, 24)
GOAL = "Run the mid-market team"


def text_of(app: DrillcoachApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def visions(app: DrillcoachApp) -> list[Vision]:
    return app.services.store.coaching("sam", Vision)


async def open_vision(pilot: Pilot[None], app: DrillcoachApp) -> VisionScreen:
    await pilot.pause()
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(app.screen, VisionScreen), type(app.screen).__name__
    return app.screen


async def write_vision(pilot: Pilot[None], desire: str = "8") -> None:
    """In the vision form (the 2-year box has the focus): a goal, why, the two numbers and
    what was done last month; ctrl+s."""
    await type_text(pilot, GOAL)
    await pilot.press("tab", "tab", "tab")  # past 3 and 5 years, to why
    await type_text(pilot, "My kids")
    await pilot.press("tab")
    await type_text(pilot, desire)
    await pilot.press("tab")
    await type_text(pilot, "7")
    await pilot.press("tab")
    await type_text(pilot, "Two role-plays a week")
    await pilot.press("ctrl+s")
    await pilot.pause()


async def write_agreement(pilot: Pilot[None]) -> None:
    """In the agreement form (the skills have the focus): closing, weekly, for the 2-year
    line of the vision; shared; ctrl+s."""
    await pilot.press("down", "down", "down", "down", "space")  # the fifth skill: closing
    await pilot.press("tab", "down", "space")  # the second way: weekly
    await pilot.press("tab")
    await type_text(pilot, "2")
    await pilot.press("tab", "tab", "space")  # past the note, to "share with my manager"
    await pilot.press("ctrl+s")
    await pilot.pause()


# --- the vision


async def test_a_vision_written_with_keys_then_a_second_version(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_vision(pilot, app)
        assert "No vision yet. Press e" in text_of(app, "#vision")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, VisionFormScreen)
        await write_vision(pilot)
        assert isinstance(app.screen, VisionScreen)
        assert text_of(app, "#version").startswith("Version 1, written 2 Mar 2026")
        assert f"In 2 years          {GOAL}" in text_of(app, "#vision")
        assert "Could stop me       (not answered)" in text_of(app, "#vision")

        clock.advance(days=20)
        await pilot.press("e")
        await pilot.pause()
        desire = app.screen.query_one("#desire", Input)
        assert (app.screen.query_one("#in_2_years", Input).value, desire.value) == (GOAL, "8")
        desire.focus()
        await pilot.press("backspace", "9", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, VisionScreen)
        assert "Version 2, written 22 Mar 2026" in text_of(app, "#version")

        await pilot.press("h")
        await pilot.pause()
        history = text_of(app, "#vision")
        assert "Version 2 · 22 Mar 2026\n  Desire: 8 -> 9" in history
        assert "Version 1 · 2 Mar 2026" in history

    first, second = visions(app)
    assert (first.in_2_years, first.why, first.desire, first.willingness) == (GOAL, "My kids", 8, 7)
    assert first.done_lately == "Two role-plays a week" and first.at == START
    assert (second.desire, second.at) == (9, START + timedelta(days=20))
    assert second.in_2_years == GOAL


async def test_a_wrong_number_saves_nothing_and_says_which(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_vision(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")  # nothing written yet
        await pilot.pause()
        assert text_of(app, "#problem") == (
            "Not saved: write where you want to be in 2, 3 or 5 years (at least one of them)."
        )
        await write_vision(pilot, desire="12")
        assert isinstance(app.screen, VisionFormScreen)  # still there, with what was typed
        assert text_of(app, "#problem") == (
            "Not saved: Desire: expected a whole number from 1 to 10, got 12."
        )
        assert app.screen.focused is app.screen.query_one("#desire", Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, VisionScreen)
    assert visions(app) == []


async def test_s_shares_the_vision_and_takes_it_back(
    app: DrillcoachApp, drillcoach_home: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_vision(pilot, app)
        assert text_of(app, "#sharing") == "Only you see it · s shares it"
        await pilot.press("s")
        await pilot.pause()
        assert text_of(app, "#sharing") == (
            "Shared with your manager at each sync · s stops sharing it"
        )
        assert load_config(resolve_paths(drillcoach_home)).share_vision is True
        await pilot.press("s")
        await pilot.pause()
    assert load_config(resolve_paths(drillcoach_home)).share_vision is False


# --- the coaching agreement


async def test_the_agreement_written_with_keys(app: DrillcoachApp, drillcoach_home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_vision(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        await write_vision(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)

        # closing picked, but no way said: nothing saved, and the form says why
        await pilot.press("down", "down", "down", "down", "space", "ctrl+s")
        await pilot.pause()
        assert text_of(app, "#problem").startswith(
            "Not saved: Closing: say how you want feedback: one or more of"
        )
        assert app.services.store.coaching("sam", Agreement) == []
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("a")
        await pilot.pause()
        await write_agreement(pilot)
        assert isinstance(app.screen, VisionScreen)
        shown = text_of(app, "#agreement")
        assert shown == f"Closing             weekly\n                    serves '{GOAL}'"
        assert "version 1, agreed 2 Mar 2026 · shared" in text_of(app, "#agreement-heading")

    (made,) = app.services.store.coaching("sam", Agreement)
    assert made.areas == (CoachingArea("closing", ("weekly",), GOAL),)
    assert load_config(resolve_paths(drillcoach_home)).share_agreement is True


async def test_the_agreement_form_starts_from_the_current_one(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    store = app.services.store
    store.add(Agreement(by="sam", at=START, areas=(CoachingArea("discovery", ("joint-calls",),
                                                                "My own patch"),)))  # fmt: skip
    clock.advance(days=91)
    async with app.run_test(size=SIZE) as pilot:
        await open_vision(pilot, app)
        assert text_of(app, "#review").startswith("Agreed 91 days ago: a quarter has passed.")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AgreementScreen)
        assert form.chosen == {"discovery"}
        assert form.query_one("#line", Input).value == "My own patch"
        await pilot.press("ctrl+s")  # unchanged: the quarterly review
        await pilot.pause()
        assert isinstance(app.screen, VisionScreen)
        assert text_of(app, "#review") == ""
    first, reviewed = store.coaching("sam", Agreement)
    assert reviewed.areas == first.areas and reviewed.at == START + timedelta(days=91)


@pytest.mark.skipif(
    importlib.util.find_spec("drillcoach.tui.screens.dna") is None,
    reason="the sales DNA screen is built by its own helper",
)
async def test_n_opens_the_sales_dna(app: DrillcoachApp) -> None:
    from drillcoach.tui.screens.dna import DnaScreen

    async with app.run_test(size=SIZE) as pilot:
        await open_vision(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DnaScreen)


# --- the first run


def open_at(home: Path, clock: FakeClock) -> DrillcoachApp:
    return build_app(home, clock)


async def test_the_welcome_run_goes_to_today_and_sets_when_to_ask(
    drillcoach_home: Path, clock: FakeClock
) -> None:
    app = build_app(drillcoach_home, clock, welcomed=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)  # the question waits for the session
        assert app.services.prefs.vision_ask_after() == START
    finally:
        app.services.close()


async def test_later_asks_again_a_week_on_and_a_vision_ends_the_asking(
    drillcoach_home: Path, clock: FakeClock
) -> None:
    first = build_app(drillcoach_home, clock, welcomed=False)
    first.services.prefs.set_vision_ask_after(START)  # as the welcome does
    first.services.close()

    clock.advance(days=1)  # the next day: asked as drillcoach opens
    app = open_at(drillcoach_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, FirstRunScreen)
            await pilot.press("escape")  # later
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
        assert app.services.prefs.vision_ask_after() == clock() + timedelta(days=7)
    finally:
        app.services.close()

    clock.advance(days=6, hours=23)  # not yet a week
    app = open_at(drillcoach_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
    finally:
        app.services.close()

    clock.advance(hours=1)  # a week: asked again; this time the rep writes it now
    app = open_at(drillcoach_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, FirstRunScreen)
            await pilot.press("enter")  # "Write it now" has the focus
            await pilot.pause()
            assert isinstance(app.screen, VisionFormScreen)
            await write_vision(pilot)
            assert isinstance(app.screen, AgreementScreen)  # then the agreement
            await write_agreement(pilot)
            assert isinstance(app.screen, VisionScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
        assert len(visions(app)) == 1
        assert len(app.services.store.coaching("sam", Agreement)) == 1
    finally:
        app.services.close()

    clock.advance(days=30)  # a vision exists: never asked again
    app = open_at(drillcoach_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
    finally:
        app.services.close()


async def test_before_a_session_the_question_comes_first(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    started: list[str] = []

    def start() -> None:
        started.append("session")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ask_before_session(app, app.services, start)  # never asked in this profile
        assert started == ["session"]
        app.services.prefs.set_vision_ask_after(START)  # as the welcome does
        ask_before_session(app, app.services, start)
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen) and started == ["session"]
        await pilot.click("#later")
        await pilot.pause()
        assert started == ["session", "session"]  # "Later": the session goes on
        ask_before_session(app, app.services, start)  # asked a week on, not now
        assert started == ["session"] * 3


# --- the manager's rating form says which agreed area a rating serves


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> TeamKit:
    return build_team(tmp_path, monkeypatch, clock)


async def test_the_rating_form_says_inside_or_outside_the_agreement(team: TeamKit) -> None:
    team.cli("alice", "config", "set", "share_agreement", "true").ok()
    area = CoachingArea("closing", ("weekly",), "Own a patch")
    with team.services("alice") as alice:
        alice.store.add(Agreement(by="alice", at=team.clock(), areas=(area,)))
    team.sync("alice")
    team.sync("maria")
    app = make_app(team["maria"].home, clock=team.clock, tz=UTC)
    app.services.prefs.set_welcomed()
    mine = membership(app.services.config.workspace, "maria")
    alice_member = mine.team.member("alice")
    library = app.services.library
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            goal = target(library, drill_uid=None, skill="closing")
            app.push_screen(RatingScreen(app.services, mine, alice_member, goal))
            await pilot.pause()
            fit = app.screen.query_one("#fit", Static)
            assert str(fit.render()) == "Agreed: closing, weekly - serves 'Own a patch'"
            assert fit.has_class("-agreed")
            await pilot.press("escape")
            await pilot.pause()
            goal = target(library, drill_uid=None, skill="discovery")
            app.push_screen(RatingScreen(app.services, mine, alice_member, goal))
            await pilot.pause()
            fit = app.screen.query_one("#fit", Static)
            assert str(fit.render()) == (
                "Outside the coaching agreement: ask Alice before going into detail on discovery"
            )
            assert fit.has_class("-outside")
    finally:
        app.services.close()


# --- a snapshot


@pytest.fixture
def with_a_vision(app: DrillcoachApp, clock: FakeClock) -> DrillcoachApp:
    store = app.services.store
    store.add(Vision(by="sam", at=START, in_2_years=GOAL, in_5_years="VP of sales for EMEA",
                     why="My kids, and proving to myself I can lead a team", desire=8,
                     willingness=7, done_lately="Two role-plays a week with Maria",
                     give_up="Friday golf"))  # fmt: skip
    store.add(Agreement(by="sam", at=START, areas=(
        CoachingArea("closing", ("every-roleplay", "weekly"), GOAL),
        CoachingArea("prospecting", ("joint-calls",), "VP of sales for EMEA"),
    )))  # fmt: skip
    clock.advance(days=3)
    return app


def test_vision_screen_snapshot(snap_compare: Compare, with_a_vision: DrillcoachApp) -> None:
    async def open_it(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(with_a_vision, terminal_size=SIZE, run_before=open_it)
