"""The Progress screen, driven with keys through Pilot: it reads the rep's summary in a
worker (saying so meanwhile), shows the figures of ``rep_summary`` over a small history
written through the real store, sorts its skills table by key and by header, moves
between its sections with tab, and fits 80x24 (snapshots)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_snapshots import Compare
from textual.pilot import Pilot
from textual.widgets import DataTable, Sparkline, Static

from drillcoach.errors import UserError
from drillcoach.progress.charts import figure
from drillcoach.progress.model import (
    Ahead,
    Calibration,
    CalibrationPoint,
    Habit,
    Honesty,
    PackProgress,
    RepSummary,
    Retention,
    SkillProgress,
    Week,
)
from drillcoach.progress.summary import rep_summary
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import AGAIN, EASY, GOOD, HARD
from drillcoach.services import Services
from drillcoach.text import cell
from drillcoach.tui.app import DrillcoachApp
from drillcoach.tui.screens import progress
from drillcoach.tui.screens.help import HelpScreen
from drillcoach.tui.screens.progress import NAME_WIDTH, READING, ProgressScreen
from drillcoach.tui.screens.today import TodayScreen
from drillcoach.tui.widgets.heatmap import Heatmap
from helpers import START, FakeClock, build_app

SIZE = (80, 24)
RATINGS = (GOOD, EASY, HARD, GOOD, AGAIN, GOOD)
MARCH_16 = date(2026, 3, 16)


def write_history(app: DrillcoachApp, clock: FakeClock) -> None:
    """Two weeks of a rep's drilling before START through the real scheduler and store:
    three drills a day from the queue, an hour before START's time, two days skipped; the
    manager rates one of them on two days (the store holds it as a sync would bring it)."""
    scheduler = app.services.scheduler
    laer = app.services.library.rubrics["laer"]
    for back in range(14, -1, -1):
        if back in (4, 9):
            continue
        clock.set(START - timedelta(days=back, hours=1))
        for index, item in enumerate(scheduler.queue().items[:3]):
            rating = RATINGS[(back + index) % len(RATINGS)]
            hit = tuple(range(min(rating, len(item.drill.key_points))))
            scheduler.record_self(item.drill, rating, Attempt(40_000, key_points_hit=hit))
            clock.advance(minutes=2)
            if back in (8, 1) and index == 0:  # the manager, after a role-play that day
                scores = {criterion.id: 2 for criterion in laer.criteria}
                scheduler.record_manager(by="maria", rubric=laer, scores=scores, drill=item.drill)
    clock.set(START)


@pytest.fixture
def drilled(drillcoach_home: Path) -> Iterator[DrillcoachApp]:
    clock = FakeClock()
    app = build_app(drillcoach_home, clock)
    write_history(app, clock)
    yield app
    app.services.close()


def summary_of(services: Services) -> RepSummary:
    """What the report says of the rep now: the one computation the screen shows."""
    scheduler = services.scheduler
    return rep_summary(
        services.store, services.library, services.config, scheduler.rep,
        services.config.name, scheduler.days, services.clock(),
    )  # fmt: skip


def text_of(app: DrillcoachApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rows(app: DrillcoachApp) -> list[list[str]]:
    table = app.screen.query_one("#skill-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def open_progress(pilot: Pilot[None], app: DrillcoachApp) -> ProgressScreen:
    """Push the screen (the lead's ``g`` on Today does the same) and wait for its worker."""
    await pilot.pause()
    screen = ProgressScreen(app.services)
    app.push_screen(screen)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.screen is screen
    return screen


# --- the figures


async def test_progress_shows_the_summary_of_the_history(drilled: DrillcoachApp) -> None:
    expected = summary_of(drilled.services)
    async with drilled.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot, drilled)
        assert screen.summary == expected
        assert not screen.query_one("#reading").display
        habit = text_of(drilled, "#habit-figures")
        assert f"Streak\n{expected.habit.current_streak} day" in habit
        assert f"Longest\n{expected.habit.longest_streak} day" in habit
        calendar = screen.query_one("#calendar", Heatmap)
        assert calendar.calendar == dict(expected.habit.calendar)
        drilled_days = [day for day, drills in expected.habit.calendar if drills]
        assert len(drilled_days) == 13 and calendar.today == START.date()
        weeks = [week.days for week in expected.habit.weeks]
        assert text_of(drilled, "#days-counts").split() == [figure(days) for days in weeks]
        assert text_of(drilled, "#days-note") == f"{weeks[-1]} of 7 this week"
        chart = screen.query_one("#days-chart", Sparkline)
        assert chart.size.width == 2 * len(weeks)
        assert text_of(drilled, "#minutes-note") == f"{expected.volume[-1].minutes} this week"
        table = {row[0]: row for row in rows(drilled)}
        assert set(table) == {cell(skill.title, NAME_WIDTH) for skill in expected.skills}
        for skill in expected.skills:
            row = table[cell(skill.title, NAME_WIDTH)]
            assert row[1:4] == [
                f"{skill.started}/{skill.total}",
                str(skill.mastered),
                figure(skill.recall, "share"),
            ]
        retention = expected.retention
        assert figure(retention.true_retention, "share") in text_of(drilled, "#retention")
        due = [figure(count) for _, count in expected.ahead.due]
        assert text_of(drilled, "#due-counts").split() == due
        minutes = f"About {expected.ahead.minutes_per_day} minute"
        assert text_of(drilled, "#ahead-lines").startswith(minutes)
        for pack in expected.packs:
            assert f"{pack.mastered} mastered · {pack.started} of {pack.total} started" in (
                text_of(drilled, "#pack-bars")
            )


# --- a summary built by hand, for what does not need a history


def hand_summary() -> RepSummary:
    """Three skills whose order differs by every column that sorts."""
    today = START.date()
    monday = today - timedelta(days=today.weekday())
    weeks = tuple(
        Week(monday - timedelta(weeks=11 - n), days=n % 8, drills=3 * n, minutes=2 * n)
        for n in range(12)
    )
    calendar = tuple((today - timedelta(days=back), back % 5) for back in range(181, -1, -1))
    skills = (
        SkillProgress("discovery", "Discovery", 5, 9, 1, 0.77, 2.5, 2.8, -5.0),
        SkillProgress("objection-handling", "Objection handling", 8, 12, 3, 0.84, 2.1, 3.2, 20.0),
        SkillProgress("closing", "Closing", 2, 6, 0, None, 3.0, 3.0, None),
    )
    points = tuple(
        CalibrationPoint(monday - timedelta(weeks=3 - n), 3.0 + n / 10, 2.4 + n / 10)
        for n in range(4)
    )
    return RepSummary(
        rep="sam",
        name="Sam Patel",
        as_of=START,
        habit=Habit(5, 12, weeks, calendar, (3, 4)),
        volume=weeks,
        retention=Retention(0.876, 41, 0.9),
        skills=skills,
        honesty=(Honesty("objection-handling", 2, 8), Honesty("discovery", 0, 4)),
        calibration=(Calibration("objection-handling", 3.2, 2.5, 0.7, "over-confident", points),),
        packs=(
            PackProgress("objections-core", "Core objections", 12, 8, 3, MARCH_16, False, False),
            PackProgress("closing", "Closing", 6, 6, 6, date(2026, 2, 27), True, True),
        ),
        ahead=Ahead(
            tuple((today + timedelta(days=n), (3 * n) % 7) for n in range(14)),
            ("objections-core/price-too-high",),
            6,
        ),
    )


@pytest.fixture
def app(drillcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DrillcoachApp]:
    """The app with the summary built by hand in place of the worker's reading."""
    monkeypatch.setattr(progress, "summary_apart", lambda services: hand_summary())
    built = build_app(drillcoach_home, FakeClock())
    yield built
    built.services.close()


def titles(app: DrillcoachApp) -> list[str]:
    return [row[0] for row in rows(app)]


async def test_s_cycles_the_sort_and_a_header_click_turns_it_round(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot, app)
        section = screen.query_one("#table-section")
        assert titles(app) == ["Closing", "Discovery", "Objection handling"]
        assert "by skill, A to Z" in str(section.border_title)
        await pilot.press("s")  # started, most first
        assert titles(app) == ["Objection handling", "Discovery", "Closing"]
        assert "by started, most first" in str(section.border_title)
        await pilot.press("s", "s")  # recall: a skill without any comes last
        assert titles(app) == ["Objection handling", "Discovery", "Closing"]
        await pilot.press("s", "s")  # change over 4 weeks
        assert titles(app) == ["Objection handling", "Discovery", "Closing"]
        await pilot.press("s")  # above the checklist: 2 of 8, 0 of 4, none
        assert [row[6] for row in rows(app)] == ["2/8", "0/4", "-"]
        await pilot.press("s")  # round to the skill's name
        assert titles(app) == ["Closing", "Discovery", "Objection handling"]
        # the cursor stays on its skill while the rows move
        table = screen.query_one("#skill-table", DataTable)
        table.focus()
        await pilot.press("down")
        assert rows(app)[table.cursor_row][0] == "Discovery"
        await pilot.press("s")
        assert rows(app)[table.cursor_row][0] == "Discovery"
        # a click on the Mastered header sorts by it, a second turns the order round
        x = sum(column.get_render_width(table) for column in table.ordered_columns[:2]) + 2
        await pilot.click("#skill-table", offset=(x, 0))
        await pilot.pause()
        assert titles(app) == ["Objection handling", "Discovery", "Closing"]
        assert "by mastered, most first" in str(section.border_title)
        await pilot.click("#skill-table", offset=(x, 0))
        await pilot.pause()
        assert titles(app) == ["Closing", "Discovery", "Objection handling"]
        assert "by mastered, least first" in str(section.border_title)


async def test_reading_line_while_the_worker_reads(
    drillcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def held(services: Services) -> RepSummary:
        assert release.wait(10)
        return hand_summary()

    monkeypatch.setattr(progress, "summary_apart", held)
    built = build_app(drillcoach_home, FakeClock())
    try:
        async with built.run_test(size=SIZE) as pilot:
            await pilot.pause()
            built.push_screen(ProgressScreen(built.services))
            await pilot.pause()
            assert text_of(built, "#reading") == READING
            assert not built.screen.query_one("#sections").display
            await pilot.press("question_mark")  # the screen answers keys meanwhile
            assert isinstance(built.screen, HelpScreen)
            await pilot.press("escape")
            release.set()
            await built.workers.wait_for_complete()
            await pilot.pause()
            assert built.screen.query_one("#sections").display
            assert not built.screen.query_one("#reading").display
    finally:
        release.set()
        built.services.close()


async def test_a_failed_read_is_one_line(
    drillcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(services: Services) -> RepSummary:
        raise UserError("drillcoach.db: [Errno 11] the database is locked")

    monkeypatch.setattr(progress, "summary_apart", broken)
    built = build_app(drillcoach_home, FakeClock())
    try:
        async with built.run_test(size=SIZE) as pilot:
            await open_progress(pilot, built)
            assert text_of(built, "#reading") == "drillcoach.db: [Errno 11] the database is locked"
            await pilot.press("s")  # nothing to sort: no error either
    finally:
        built.services.close()


async def test_tab_reaches_every_section_and_escape_goes_back(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot, app)
        assert app.focused is not None and app.focused.id == "habit"
        reached = []
        for _ in range(6):
            await pilot.press("tab")
            assert app.focused is not None
            reached.append(app.focused.id)
        assert reached == ["weeks", "skills", "skill-table", "ratings", "packs", "ahead"]
        await pilot.pause()
        sections = screen.query_one("#sections")
        assert sections.scroll_y > 0  # the last section scrolled into view
        assert screen.query_one("#ahead").region.bottom <= SIZE[1] - 1
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


async def test_help_lists_the_progress_keys(app: DrillcoachApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_progress(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "Sort the skills table by its next column" in shown
        assert "Back to Today" in shown
        assert "True retention is the share" in shown


# --- snapshots at 80x24


def test_progress_snapshot(snap_compare: Compare, drilled: DrillcoachApp) -> None:
    async def open_(pilot: Pilot[None]) -> None:
        await open_progress(pilot, drilled)

    assert snap_compare(drilled, terminal_size=SIZE, run_before=open_)


def test_progress_skills_table_snapshot(snap_compare: Compare, drilled: DrillcoachApp) -> None:
    async def to_table(pilot: Pilot[None]) -> None:
        await open_progress(pilot, drilled)
        await pilot.press("tab", "tab", "tab", "s", "s")  # the table, by mastered
        await pilot.pause()

    assert snap_compare(drilled, terminal_size=SIZE, run_before=to_table)


def test_progress_end_snapshot(snap_compare: Compare, drilled: DrillcoachApp) -> None:
    async def to_the_end(pilot: Pilot[None]) -> None:
        await open_progress(pilot, drilled)
        await pilot.press(*["tab"] * 6)  # calibration, packs and what is due ahead
        await pilot.pause()

    assert snap_compare(drilled, terminal_size=SIZE, run_before=to_the_end)
