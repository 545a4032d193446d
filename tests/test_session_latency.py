"""What keeps a session quick (issue 13; timed in bench/session.py, not here): the footer is
rebuilt only when its keys change, Today is not rebuilt unseen between drills, and the
collector's full collections wait for the moment a drill has appeared and walk only what
the drill made."""

from __future__ import annotations

import gc
import weakref

import pytest
from textual.widgets._footer import FooterKey

import drillcoach.tui.screens.today as today_screen
from drillcoach.today import Today, gather_today
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.memory import DEFAULT_OLDEST, NEVER
from drillcoach.tui.screens.drill import DrillScreen
from drillcoach.tui.screens.roleplay import RoleplayScreen
from drillcoach.tui.screens.today import TodayScreen
from helpers import stored

SIZE = (80, 24)


def footer_keys(app: DrillcoachApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_the_footer_changes_with_the_keys_that_apply_and_only_then(
    app: DrillcoachApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the role-play first
        await pilot.press("escape", "b")  # buried: the pitch drill is next
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        await pilot.press("escape")  # out of the answer box: single keys work
        await pilot.pause()
        before = [key.description for key in footer_keys(app)]
        assert "Reveal" in before and "Suggested" not in before
        await pilot.press("ctrl+r")
        await pilot.pause()
        revealed = footer_keys(app)
        assert "Reveal" not in [key.description for key in revealed]
        assert "Suggested" in [key.description for key in revealed]
        await pilot.press("space")  # a key point ticked: the same keys apply
        app.screen.refresh_bindings()  # as a focus change asks
        await pilot.pause()
        assert footer_keys(app) == revealed  # the very same widgets: nothing rebuilt


async def test_today_is_built_when_the_session_ends_not_after_each_rating(
    app: DrillcoachApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Today] = []

    def counted(*args: object) -> Today:
        today = gather_today(*args)  # type: ignore[arg-type]
        built.append(today)
        return today

    monkeypatch.setattr(today_screen, "gather_today", counted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(built) == 1
        assert built[0].queue.done_today == 0
        await pilot.press("enter", "escape", "b")  # the role-play buried
        await pilot.pause()
        for _ in range(2):
            await pilot.press("escape", "ctrl+r", "3")
            await pilot.pause()
        assert len(built) == 1  # Today, under the drills, was not built again
        assert len(stored(app)) == 2
        await pilot.press("escape", "escape")  # leave the session: its summary
        await pilot.pause()
        assert len(built) == 1
        await pilot.press("enter")  # back to Today
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert len(built) >= 2  # built again on the way back: it counts the two ratings
        assert built[-1].queue.done_today == 2


async def test_full_collections_wait_for_the_drills_and_come_back_after(
    app: DrillcoachApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # what Today loaded, out of the collector's walks
        assert gc.get_threshold()[2] == DEFAULT_OLDEST
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RoleplayScreen)
        assert gc.get_threshold()[2] == NEVER  # the session runs them after each drill
        await pilot.press("escape", "escape")  # leave the session
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert gc.get_threshold()[2] == DEFAULT_OLDEST
    assert gc.get_freeze_count() == 0  # the app closed: all handed back


async def test_a_drill_leaves_the_next_collection_only_what_it_made_and_the_end_frees_all(
    app: DrillcoachApp,
) -> None:
    """After each drill's collection what survived is frozen, so the next collection walks
    only the next drill's objects, not every render cache filled so far; the drill
    screens frozen while open are freed when the rep is back on Today."""
    seen: list[weakref.ref[DrillScreen]] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "escape", "b")  # the role-play buried: drills follow
        young: list[int] = []  # what a full collection walks: what is not frozen
        for _ in range(3):  # of the four in the queue: the session goes on
            await pilot.pause()
            await pilot.pause()  # the drill painted, and collected after
            assert isinstance(app.screen, DrillScreen)
            seen.append(weakref.ref(app.screen))
            young.append(len(gc.get_objects()))
            await pilot.press("escape", "ctrl+r", "3")
        assert young[-1] < young[0] * 1.5  # not growing drill by drill
        await pilot.press("escape", "escape")  # leave the session: its summary
        await pilot.pause()
        await pilot.press("enter")  # back to Today: what the session kept is freed
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert all(ref() is None for ref in seen)
