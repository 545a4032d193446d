"""The rep's session driven with keys through Textual's Pilot, checked against the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, SelectionList, TextArea

from drillcoach.config import load_config, resolve_paths
from drillcoach.content import Drill
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.drill import DrillScreen
from drillcoach.tui.screens.help import HelpScreen
from drillcoach.tui.screens.packs import PacksScreen
from drillcoach.tui.screens.roleplay import RoleplayScreen
from drillcoach.tui.screens.summary import SummaryScreen
from drillcoach.tui.screens.today import TodayScreen
from drillcoach.tui.screens.welcome import WelcomeScreen
from drillcoach.tui.widgets.checklist import Checklist
from helpers import FakeClock, build_app, stored, tick_all, type_text

SIZE = (80, 24)

# The first day's queue of the built-in library (new drills take turns across packs).
FIRST_DAY = [
    "closing/rp-think-about-it",
    "cold-call-openers/cc-permission-opener",
    "discovery/disc-vague-pain",
    "negotiation/neg-best-price",
    "objections-core/price-too-high",
]


@pytest.fixture
def first_run(drillcoach_home: Path, clock: FakeClock) -> Iterator[DrillcoachApp]:
    """The app over an empty profile: it opens on the welcome."""
    built = build_app(drillcoach_home, clock, welcomed=False)
    yield built
    built.services.close()


async def reveal_tick_all_accept(pilot: Pilot[None], drill: Drill | None) -> None:
    """Outside the answer box: reveal, tick every key point, take the suggested rating."""
    assert drill is not None
    await pilot.press("space")
    await tick_all(pilot, len(drill.key_points))
    await pilot.press("enter")
    await pilot.pause()


async def start_session(pilot: Pilot[None]) -> None:
    """From Today, start the session with enter, as a rep does."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def current_uid(app: DrillcoachApp) -> str:
    screen = app.screen
    assert isinstance(screen, DrillScreen | RoleplayScreen), type(screen).__name__
    return screen.drill.uid


def library_drill(app: DrillcoachApp, uid: str) -> Drill:
    found = app.services.library.drill(uid)
    assert found is not None, uid
    return found


async def test_first_run_welcome_accepts_defaults_with_enter(
    first_run: DrillcoachApp, drillcoach_home: Path
) -> None:
    app = first_run
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    store = app.services.store
    assert store.get_setting("welcomed") is True
    assert store.get_setting("disabled_packs") == ["onboarding"]
    assert load_config(resolve_paths(drillcoach_home)).name == "Sam Patel"


async def test_first_run_welcome_sets_name_and_packs(
    first_run: DrillcoachApp, drillcoach_home: Path
) -> None:
    app = first_run
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        packs = app.screen.query_one(SelectionList)
        packs.focus()
        await pilot.press("space")  # the first pack (closing) goes off
        name = app.screen.query_one("#name", Input)
        name.focus()
        await pilot.press("ctrl+a", "backspace")  # clear the login name
        name.value = ""
        await type_text(pilot, "Jo Reyes")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Jo Reyes" in str(app.screen.query_one("#greeting").render())
    assert load_config(resolve_paths(drillcoach_home)).name == "Jo Reyes"
    assert sorted(app.services.store.get_setting("disabled_packs")) == ["closing", "onboarding"]


async def test_welcome_refuses_an_empty_name_and_keeps_the_screen(
    first_run: DrillcoachApp, drillcoach_home: Path
) -> None:
    app = first_run
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "   "
        app.screen.query_one("#name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "Your name" in str(app.screen.query_one("#error").render())
    assert app.services.store.get_setting("welcomed") is None


async def test_today_shows_the_queue_in_order(app: DrillcoachApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#queue", DataTable)
        titles = [table.get_row_at(row)[2] for row in range(table.row_count)]
        expected = [library_drill(app, uid).title for uid in FIRST_DAY]
        assert [str(title) for title in titles] == expected
        assert "0 due · 5 new" in str(app.screen.query_one("#headline").render())


async def test_full_session_of_mixed_kinds(app: DrillcoachApp, clock: FakeClock) -> None:
    library = app.services.library
    async with app.run_test(size=SIZE) as pilot:
        await start_session(pilot)

        # 1. A role-play, typed: a reply per buyer line; the last reply reveals.
        assert current_uid(app) == FIRST_DAY[0]
        roleplay = library.drill(FIRST_DAY[0])
        assert roleplay is not None
        for turn in range(len(roleplay.turns)):
            clock.advance(seconds=20)
            await type_text(pilot, f"reply {turn}")
            await pilot.press("enter")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoleplayScreen) and screen.revealed
        half = -(-len(roleplay.key_points) // 2)  # tick half the key points, rounded up
        await pilot.press(*["space", "down"] * half)
        await pilot.press("enter")  # the suggested rating: Hard
        await pilot.pause()

        # 2. A pitch, typed, revealed with ctrl+r from inside the box, rating overridden.
        assert current_uid(app) == FIRST_DAY[1]
        assert isinstance(app.screen.focused, TextArea)
        await type_text(pilot, "Hi, it's Sam from Northwind")
        clock.advance(seconds=30)
        await pilot.press("ctrl+r")
        await pilot.press("4")
        await pilot.pause()

        # 3. A question, spoken: leave the box, t, space reveals; rated Again.
        assert current_uid(app) == FIRST_DAY[2]
        await pilot.press("escape", "t")
        clock.advance(seconds=40)
        await pilot.press("space")
        await pilot.press("1")
        await pilot.pause()

        # 4. An objection: spoken mode carries over; all key points inside the time: Easy.
        assert current_uid(app) == FIRST_DAY[3]
        assert app.screen.has_class("-spoken")
        clock.advance(seconds=20)
        await reveal_tick_all_accept(pilot, library.drill(FIRST_DAY[3]))

        # 5. An objection answered over the time limit: all ticked, suggestion one lower.
        assert current_uid(app) == FIRST_DAY[4]
        clock.advance(seconds=400)
        await reveal_tick_all_accept(pilot, library.drill(FIRST_DAY[4]))

        # 6. Drills rated Hard and Again on first sight come back before the session ends,
        # in the order they were rated. The role-play now runs spoken: enter for each line.
        assert current_uid(app) == FIRST_DAY[0]
        assert isinstance(app.screen, RoleplayScreen) and app.screen.has_class("-spoken")
        for _ in roleplay.turns:
            await pilot.press("enter")
        assert app.screen.revealed
        await pilot.press("3")
        await pilot.pause()
        assert current_uid(app) == FIRST_DAY[2]
        await pilot.press("space", "3")
        await pilot.pause()

        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.drills == 5
        assert app.screen.summary.ratings == {"Again": 1, "Hard": 1, "Good": 3, "Easy": 2}
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)

    reviews = stored(app)
    assert [r.drill_uid for r in reviews] == [*FIRST_DAY, FIRST_DAY[0], FIRST_DAY[2]]
    first, pitch, question, easy, late, spoken_roleplay, again = reviews
    assert first.replies == tuple(f"reply {n}" for n in range(len(roleplay.turns)))
    assert first.key_points_hit == tuple(range(half))
    assert first.rating == first.suggested == 2
    assert spoken_roleplay.mode == "spoken"
    assert spoken_roleplay.replies == ("",) * len(roleplay.turns)
    assert first.duration_ms == 20_000 * len(roleplay.turns)
    assert pitch.answer == "Hi, it's Sam from Northwind"
    assert (pitch.rating, pitch.suggested, pitch.mode) == (4, 1, "typed")
    assert (question.rating, question.mode, question.answer) == (1, "spoken", None)
    assert (easy.rating, easy.suggested) == (4, 4)
    assert (late.rating, late.suggested) == (3, 3)
    assert late.duration_ms == 400_000
    assert again.rating == 3


async def test_undo_brings_the_last_drill_back(app: DrillcoachApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.services.store.set_setting("answer_mode", "spoken")
        await pilot.press("enter")
        await pilot.pause()
        # skip the role-play first so the first rating is a plain drill
        await pilot.press("b")
        await pilot.pause()
        assert current_uid(app) == FIRST_DAY[1]
        await pilot.press("space", "3")
        await pilot.pause()
        assert current_uid(app) == FIRST_DAY[2]
        assert [r.drill_uid for r in stored(app)] == [FIRST_DAY[1]]
        await pilot.press("u")
        await pilot.pause()
        assert current_uid(app) == FIRST_DAY[1]
        assert stored(app) == []
        undone = app.services.store.ratings("sam", include_undone=True)
        assert [r.drill_uid for r in undone] == [FIRST_DAY[1]]  # history keeps it
        await pilot.press("space", "2")
        await pilot.pause()
        assert current_uid(app) == FIRST_DAY[2]
    assert [(r.drill_uid, r.rating) for r in stored(app)] == [(FIRST_DAY[1], 2)]


async def test_suspend_and_bury_take_drills_out_of_the_queue(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_session(pilot)
        await pilot.press("escape", "s")  # suspend the role-play
        await pilot.pause()
        await pilot.press("escape", "b")  # bury the pitch
        await pilot.pause()
        assert current_uid(app) == FIRST_DAY[2]
        await pilot.press("escape", "escape")  # leave the box, then the session
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    scheduler = app.services.scheduler
    assert scheduler.suspended() == {FIRST_DAY[0]}
    queued = [item.drill.uid for item in scheduler.queue().items]
    assert FIRST_DAY[0] not in queued and FIRST_DAY[1] not in queued
    clock.advance(days=1)  # a burial ends with the day; a suspension does not
    queued = [item.drill.uid for item in scheduler.queue().items]
    assert FIRST_DAY[1] in queued and FIRST_DAY[0] not in queued


async def test_leaving_mid_session_keeps_ratings_and_resumes(
    app: DrillcoachApp, clock: FakeClock, drillcoach_home: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.services.store.set_setting("answer_mode", "spoken")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("b")  # the role-play, until tomorrow
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("space")  # revealed but not rated: stays due
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)

    reopened = build_app(drillcoach_home, clock)
    async with reopened.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = reopened.screen.query_one("#queue", DataTable)
        # 5 new a day: 1 started, the buried role-play gives its place to the next new drill
        assert table.row_count == 4
        await pilot.press("enter")
        await pilot.pause()
        assert current_uid(reopened) == FIRST_DAY[2]
        assert "Streak 1 day" in str(reopened.screen_stack[-2].query_one("#habit").render())
    assert [r.drill_uid for r in stored(reopened)] == [FIRST_DAY[1]]
    reopened.services.close()


async def test_ctrl_q_mid_drill_loses_nothing_rated(
    app: DrillcoachApp, clock: FakeClock, drillcoach_home: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_session(pilot)
        await pilot.press("escape", "b", "ctrl+r", "2")
        await pilot.pause()
        await type_text(pilot, "half an answer")
        await pilot.press("ctrl+q")
        await pilot.pause()
    reopened = build_app(drillcoach_home, clock)
    assert [(r.drill_uid, r.rating) for r in stored(reopened)] == [(FIRST_DAY[1], 2)]
    reopened.services.close()


async def test_rating_buttons_show_intervals_and_mark_the_suggestion(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "escape", "b")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        labels = [str(app.screen.query_one(f"#rate-{n}", Button).label) for n in range(1, 5)]
        assert labels[0] == "1 Again · 10m"
        assert labels[1] == "2 Hard · 15m"
        assert labels[2].startswith("3 Good · ") and labels[3].startswith("4 Easy · ")
        assert app.screen.query_one("#rate-1").has_class("-suggested")
        checklist = app.screen.query_one(Checklist)
        assert app.screen.focused is checklist
        await tick_all(pilot, len(checklist.points))
        assert app.screen.query_one("#rate-4").has_class("-suggested")
        await pilot.click("#rate-2")
        await pilot.pause()
    assert [(r.rating, r.suggested) for r in stored(app)] == [(2, 4)]


async def test_help_and_packs_screens(app: DrillcoachApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.render()) for w in app.screen.query(".what"))
        assert "Start session" in text and "Packs" in text
        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, PacksScreen)
        # the cursor starts on the first pack (closing): turn it off for my queue
        await pilot.press("space")
        await pilot.pause()
        assert "closing" in app.services.prefs.disabled_packs()
        await pilot.press("right", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DrillDetailScreen"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        table = app.screen.query_one("#queue", DataTable)
        packs = {str(table.get_row_at(row)[2]) for row in range(table.row_count)}
        closing = app.services.library.packs["closing"]
        assert not packs & {drill.title for drill in closing.drills}


async def test_command_palette_lists_drill_actions(app: DrillcoachApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_session(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in ("Reveal", "Spoken answer", "Suspend drill", "Bury drill", "Help"):
            assert expected in titles
        await pilot.press("ctrl+r")
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Rate Again", "Rate Hard", "Rate Good", "Rate Easy", "Rate suggested"} <= set(
            titles
        )
        rate_good = next(c for c in app.get_system_commands(app.screen) if c.title == "Rate Good")
        rate_good.callback()
        await pilot.pause()
    assert [r.rating for r in stored(app)] == [3]


async def test_roleplay_revealed_early_keeps_the_typed_reply(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_session(pilot)
        await type_text(pilot, "first")
        await pilot.press("enter")
        await type_text(pilot, "half sent")
        await pilot.press("ctrl+r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoleplayScreen) and screen.revealed
        mine = [str(w.render()) for w in screen.query("#compare .rep")]
        assert mine[:3] == ["first", "half sent", "(no reply)"]
        await pilot.press("2")
        await pilot.pause()
    assert stored(app)[0].replies == ("first", "half sent")


async def test_a_drill_that_comes_back_shows_the_last_answer(
    app: DrillcoachApp, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "escape", "b")
        await pilot.pause()
        await type_text(pilot, "my first try")
        await pilot.press("ctrl+r", "1")  # Again: it comes back at the end
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+r", "3")
            await pilot.pause()
        assert current_uid(app) == FIRST_DAY[1]
        await type_text(pilot, "second try")
        await pilot.press("ctrl+r")
        await pilot.pause()
        previous = app.screen.query_one("#previous")
        assert previous.border_title == "Last time"
        assert str(previous.render()) == (
            "02 Mar 2026 · rated Again · 0 of 5 key points · 0:00\nmy first try"
        )
        assert str(app.screen.query_one("#mine").render()) == "second try"
