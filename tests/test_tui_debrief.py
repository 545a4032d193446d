"""Debriefing a call in the TUI, driven with keys through Pilot: the form from Today's d,
saved with ctrl+s (a mistake is one line and nothing typed is lost), each objection then
made a drill of the field pack or its matching drill brought forward, and past debriefs
read back with the manager's review and the joint-call gaps."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from test_snapshots import Compare
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from drillcoach.coaching.debriefs import DebriefForm, add_debrief
from drillcoach.coaching.fieldpack import field_pack_path
from drillcoach.content import load_library
from drillcoach.events import Debrief, DebriefReview, DrillAction, ManagerRating
from drillcoach.services import pack_sources
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens.debrief import DebriefScreen
from drillcoach.tui.screens.debriefs import DebriefListScreen
from drillcoach.tui.screens.objections import ObjectionsScreen
from drillcoach.tui.screens.today import TodayScreen
from helpers import START, FakeClock, build_app, type_text

SIZE = (80, 24)
DRIVERS = "The drivers will never use another app"
PRICE = "Your price is too high for us"


@pytest.fixture
def app(drillcoach_home: Path) -> Iterator[DrillcoachApp]:
    built = build_app(drillcoach_home, FakeClock())
    yield built
    built.services.close()


def text_of(app: DrillcoachApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def choose(pilot: Pilot[None], downs: int) -> None:
    """Open the focused Select and pick the option ``downs`` below its prompt."""
    await pilot.press("enter", *["down"] * downs, "enter")
    await pilot.pause()


async def fill_the_form(pilot: Pilot[None]) -> None:
    """A discovery call with Harbor Foods that moved forward, two objections heard,
    discovery rated 4, a next step and a moment of the recording."""
    await pilot.press("d")
    await pilot.pause()
    await type_text(pilot, "Harbor Foods")
    await pilot.press("tab", "tab")  # the date stays today's
    await choose(pilot, 2)  # discovery call
    await pilot.press("tab")
    await choose(pilot, 2)  # moved forward
    await pilot.press("tab")
    await type_text(pilot, "They put a number on the detention costs")
    await pilot.press("tab", "tab")
    await type_text(pilot, DRIVERS)
    await pilot.press("enter")
    await type_text(pilot, PRICE)
    await pilot.press("tab", "4", "tab")  # discovery: 4
    await type_text(pilot, "Demo on the 9th with IT")
    await pilot.press("tab", "tab")
    await type_text(pilot, "12:40 price pushback")
    await pilot.pause()


async def test_a_debrief_with_two_objections_becomes_a_drill_and_a_drill_for_today(
    app: DrillcoachApp,
) -> None:
    services = app.services
    async with app.run_test(size=SIZE) as pilot:
        await fill_the_form(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        [debrief] = services.store.coaching("sam", Debrief)
        assert (debrief.account, debrief.call_type, debrief.outcome) == (
            "Harbor Foods", "discovery", "advanced",
        )  # fmt: skip
        assert debrief.objections == (DRIVERS, PRICE)
        assert debrief.skills == {"discovery": 4}
        assert debrief.next_step == "Demo on the 9th with IT"
        assert [(m.at, m.note) for m in debrief.moments] == [("12:40", "price pushback")]

        # the first objection is no drill yet: the rep writes the key points and an answer
        assert isinstance(app.screen, ObjectionsScreen)
        assert DRIVERS in text_of(app, "#words")
        await pilot.press("enter")  # write my own (no drill matches it)
        await type_text(pilot, "Ask which app the drivers use today")
        await pilot.press("enter")
        await type_text(pilot, "Ask what made the last one fail")
        await pilot.press("tab")
        await type_text(pilot, "Which app are they on now, and what happened with the last one?")
        await pilot.press("ctrl+s")
        await pilot.pause()

        # the second is a drill the rep has: brought forward to today instead
        assert PRICE in text_of(app, "#words")
        assert "You have this one" in text_of(app, "#match")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)

        path = field_pack_path(services.paths.packs_dir, "sam")
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        [drill] = document["drill"]
        assert drill["prompt"] == DRIVERS
        assert drill["key_points"] == [
            "Ask which app the drivers use today", "Ask what made the last one fail",
        ]  # fmt: skip
        assert drill["model_answer"].startswith("Which app are they on now")
        checked = load_library(pack_sources(services.paths, services.config))
        assert [p for p in checked.problems if p.file == path] == []
        forward = services.store.drill_actions("sam")["objections-core/price-too-high"]
        assert isinstance(forward, DrillAction) and forward.action == "forward"

        items = services.scheduler.queue().items
        assert items[0].drill.uid == "objections-core/price-too-high" and items[0].forward
        first_new = next(item for item in items if item.reason == "new")
        assert first_new.drill.uid == f"field-sam/{drill['id']}"


async def test_a_mistake_is_one_line_and_keeps_what_was_typed(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: account: missing" in text_of(app, "#problem")
        await type_text(pilot, "Harbor Foods")
        await pilot.press("tab")
        date = app.screen.query_one("#date", Input)
        date.value = ""
        await type_text(pilot, "tuesday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: date: expected a date like 2026-03-02" in text_of(app, "#problem")
        assert app.screen.focused is date
        assert app.screen.query_one("#account", Input).value == "Harbor Foods"
        assert app.services.store.coaching("sam", Debrief) == []
        date.value = "2026-03-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: type: expected one of" in text_of(app, "#problem")


async def test_escape_over_unsaved_text_asks_first(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("d")
        await pilot.pause()
        await type_text(pilot, "Harbor")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


def _seed_a_reviewed_joint_call(app: DrillcoachApp) -> Debrief:
    services = app.services
    store = services.store
    debrief = add_debrief(
        store, services.library, "sam",
        DebriefForm(account="Harbor Foods", call_type="demo", outcome="stalled",
                    objections=(PRICE,), skills=("discovery=4",)),
        at=START, today=START.date(),
    )  # fmt: skip
    store.add_many([
        ManagerRating(by="maria", rep="sam", at=START - timedelta(hours=2), rubric="discovery",
                      scores={"depth": 2, "impact": 3}, rating=2, skill="discovery",
                      context="joint-call", note="Ask one more why."),
        DebriefReview(by="maria", rep="sam", at=START + timedelta(hours=1), debrief=debrief.id,
                      scores={"what-happened": 4, "buyer-words": 5, "do-differently": 2,
                              "next-step": 3}, note="Good quotes."),
    ])  # fmt: skip
    return debrief


async def test_past_debriefs_show_the_review_and_the_joint_call_gaps(app: DrillcoachApp) -> None:
    _seed_a_reviewed_joint_call(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, DebriefListScreen)
        listed = app.screen.query_one("#list", OptionList)
        assert "Harbor Foods" in str(listed.get_option_at_index(0).prompt)
        assert "reviewed" in str(listed.get_option_at_index(0).prompt)
        shown = text_of(app, "#text")
        assert "On the joint call, you and maria (1 to 5):" in shown
        assert "you 4  maria 2.5  you rated it 1.5 higher" in shown
        assert "maria scored this debrief 3.5 of 5" in shown and "maria: Good quotes." in shown
        await pilot.press("d")  # its objection, into a drill
        await pilot.pause()
        assert isinstance(app.screen, ObjectionsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefListScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_starting_from_a_close_drill_copies_it_to_edit(app: DrillcoachApp) -> None:
    _seed_a_reviewed_joint_call(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "ctrl+l", "d")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # start from the closest drill
        await pilot.pause()
        points = app.screen.query_one("#key-points", TextArea)
        closest = app.services.library.drill_of("objections-core/price-too-high")
        assert points.text.splitlines() == list(closest.key_points)
        await pilot.press("escape")  # back to the choices, nothing written
        await pilot.pause()
        assert not field_pack_path(app.services.paths.packs_dir, "sam").exists()
        await pilot.press("enter")  # the choice is still there
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DebriefListScreen)  # the only objection: done
        document = tomllib.loads(
            field_pack_path(app.services.paths.packs_dir, "sam").read_text(encoding="utf-8")
        )
        assert document["drill"][0]["key_points"] == list(closest.key_points)


def test_debrief_form_snapshot(snap_compare: Compare, app: DrillcoachApp) -> None:
    async def open_form(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        await type_text(pilot, "Harbor Foods")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_form)


def test_objections_snapshot(snap_compare: Compare, app: DrillcoachApp) -> None:
    async def after_saving(pilot: Pilot[None]) -> None:
        await fill_the_form(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("end", "enter")  # skip the first: the second has a match
        pilot.app.clear_notifications()  # "Debrief saved" names the debrief's random id
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=after_saving)
