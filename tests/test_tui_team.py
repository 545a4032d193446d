"""The team in the TUI, driven with keys through Pilot over a real workspace (a bare git
remote, one clone and one DRILLCOACH_HOME per person, tests/teamkit.py): the Team screen
and its rating form, the review inbox round trip, asking the manager after a reveal, sync
from Today in a worker, and what Today and the drill screen show of the team."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path

import pytest
from test_snapshots import Compare
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Static

from drillcoach.content import Drill
from drillcoach.services import Services
from drillcoach.steps import Progress
from drillcoach.team import feedback
from drillcoach.team import sync as sync_module
from drillcoach.team.sync import LAST_SYNC, SyncReport
from drillcoach.team.workspace import membership
from drillcoach.tui.app import DrillcoachApp, make_app
from drillcoach.tui.screens.ask import AskScreen
from drillcoach.tui.screens.item import ItemScreen
from drillcoach.tui.screens.rating import RatingScreen
from drillcoach.tui.screens.rep import RepScreen
from drillcoach.tui.screens.review import ReviewScreen
from drillcoach.tui.screens.team import TeamScreen
from drillcoach.tui.screens.today import TodayScreen
from helpers import FakeClock, type_text
from teamkit import TeamKit, build_team

SIZE = (80, 24)
PACK = "objections-core"
SPOKEN = "I asked what they would weigh up and offered to send the ROI sheet"
TYPED = "Hi Tomas, it's Sam from Northwind. Can I have thirty seconds?"

OpenApp = Callable[[str], DrillcoachApp]


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> TeamKit:
    return build_team(tmp_path, monkeypatch, clock)


@pytest.fixture
def open_app(team: TeamKit) -> Iterator[OpenApp]:
    """``open_app(who)``: that person's drillcoach on the kit's clock, in UTC, welcomed;
    closed after the test."""
    opened: list[DrillcoachApp] = []

    def open_(who: str) -> DrillcoachApp:
        app = make_app(team[who].home, clock=team.clock, tz=UTC)
        app.services.prefs.set_welcomed()
        opened.append(app)
        return app

    yield open_
    for app in opened:
        app.services.close()


def text_of(app: DrillcoachApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def current(app: DrillcoachApp) -> Screen[object]:
    """The screen on top now (a function, so a check on an earlier screen does not stick)."""
    return app.screen


def rows(app: DrillcoachApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def drill_of(app: DrillcoachApp, uid: str) -> Drill:
    found = app.services.library.drill(uid)
    assert found is not None, uid
    return found


async def settle(pilot: Pilot[None], app: DrillcoachApp) -> None:
    """Until the screen's worker has read what it shows (the Team and rep screens read in
    a worker thread)."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def to_team(pilot: Pilot[None], app: DrillcoachApp) -> TeamScreen:
    await pilot.pause()
    await pilot.press("m")
    await settle(pilot, app)  # the reps are read in a worker
    assert isinstance(app.screen, TeamScreen), type(app.screen).__name__
    return app.screen


async def score_all(pilot: Pilot[None], form: RatingScreen, pattern: list[int]) -> dict[str, int]:
    """Type one digit per criterion (each moves to the next), taking them from ``pattern``
    in turn; the scores by criterion."""
    criteria = form.goal.rubric.criteria
    scores = [pattern[index % len(pattern)] for index in range(len(criteria))]
    await pilot.press(*[str(score) for score in scores])
    return {criterion.id: score for criterion, score in zip(criteria, scores, strict=True)}


# --- the Team screen and the rating form


async def test_rating_form_scores_a_drill_and_a_skill_by_keys(
    team: TeamKit, open_app: OpenApp
) -> None:
    drilled = team.drill("alice", 2)
    team.sync("alice")
    team.sync("maria")
    app = open_app("maria")
    store = app.services.store
    async with app.run_test(size=SIZE) as pilot:
        await to_team(pilot, app)
        assert [row[0] for row in rows(app, "#reps")] == ["Alice Ng", "Bob Stone"]
        assert rows(app, "#reps")[0][1:3] == ["today", "1 day"]
        assert rows(app, "#reps")[1][1:3] == ["never", "-"]
        await pilot.press("enter")  # Alice, under the cursor
        await settle(pilot, app)
        rep = app.screen
        assert isinstance(rep, RepScreen) and rep.rep.member.id == "alice"
        assert {d.drill.uid for d in rep.drills} == {drill.uid for drill, _ in drilled}
        uid = rep.drills[0].drill.uid
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RatingScreen) and form.goal.drill is not None
        assert form.goal.drill.uid == uid

        # nothing scored: the form names what is missing and saves nothing
        await pilot.press("ctrl+s")
        await pilot.pause()
        first = form.goal.rubric.criteria[0]
        assert f"no score yet for {first.title}" in text_of(app, "#problem")
        assert store.manager_ratings("alice") == []
        assert first.anchors and first.anchors[0][1] in text_of(app, "#anchor-text")

        scores = await score_all(pilot, form, [4, 3, 5])
        await pilot.press("c")  # role-play -> joint call
        await pilot.press("n")
        await type_text(pilot, "Good questions - slow down")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RepScreen)

        # the skill of a joint call: tab to the skills, the first one with a rubric
        await pilot.press("tab")
        skills = app.screen.query_one("#skills", DataTable)
        assert app.screen.focused is skills
        rateable = next(i for i, s in enumerate(rep.skills) if s.rateable)
        skills.move_cursor(row=rateable)
        await pilot.press("r")
        await pilot.pause()
        skill_form = app.screen
        assert isinstance(skill_form, RatingScreen) and skill_form.goal.drill is None
        skill_scores = await score_all(pilot, skill_form, [2])
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RepScreen)
        assert "Hard, 2.0" in rows(app, "#skills")[rateable]

    drill_rating, skill_rating = store.manager_ratings("alice")
    assert (drill_rating.by, drill_rating.drill_uid, drill_rating.context) == (
        "maria",
        uid,
        "joint-call",
    )
    assert drill_rating.scores == scores
    assert drill_rating.note == "Good questions - slow down"
    assert drill_rating.request is None
    assert (skill_rating.drill_uid, skill_rating.skill) == (None, rep.skills[rateable].skill.id)
    assert (skill_rating.context, skill_rating.scores) == ("joint-call", skill_scores)


async def test_team_screen_lists_assignments_and_everyone_below(
    team: TeamKit, open_app: OpenApp
) -> None:
    team.cli("maria", "assign", PACK, "--to", "alice,bob", "--due", "2026-03-03").ok()
    team.sync("maria")
    team.sync("alice")
    team.drill("alice", 1)
    team.sync("alice")
    team.sync("dana")
    team.clock.advance(days=3)  # the due date has passed, nothing is mastered
    app = open_app("dana")  # the director: no reps of her own
    async with app.run_test(size=SIZE) as pilot:
        await to_team(pilot, app)
        assert "everyone below you (2)" in text_of(app, "#heading")
        assert [row[0] for row in rows(app, "#reps")] == ["Alice Ng", "Bob Stone"]
        assert rows(app, "#reps")[0][3].endswith(", 1 overdue")
        await pilot.press("a")  # only her direct reps: none
        await settle(pilot, app)
        assert "your reps (0)" in text_of(app, "#heading")
        assert "a shows everyone below you" in text_of(app, "#hint")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


# --- the review inbox, both ways


async def test_inbox_round_trip_from_ask_to_answer(team: TeamKit, open_app: OpenApp) -> None:
    alice = open_app("alice")
    async with alice.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        # 1. the role-play, answered aloud: a few lines on what was said, in a form
        spoken = alice.screen
        assert isinstance(spoken, ItemScreen) and spoken.drill.is_roleplay
        assert spoken.check_action("ask", ()) is False  # not before the reveal
        await pilot.press("escape", "t", "space", "space")  # leave box, spoken, reveal, tick 1
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(alice.screen, AskScreen)
        await type_text(pilot, SPOKEN)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert current(alice) is spoken
        await pilot.press("a")  # again: nothing more is sent
        await pilot.pause()
        assert not isinstance(alice.screen, AskScreen)
        assert "sent for review" in text_of(alice, "#kp-title")
        await pilot.press("3")
        await pilot.pause()
        # 2. the pitch, typed: the typed answer goes as it is
        typed = alice.screen
        assert isinstance(typed, ItemScreen) and not typed.drill.is_roleplay
        await pilot.press("t")  # back to typing (spoken carried over)
        await type_text(pilot, TYPED)
        await pilot.press("ctrl+r", "a", "a")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
    asked = alice.services.store.requests()
    assert [(r.drill_uid, r.answer, r.mode) for r in asked] == [
        (spoken.drill.uid, SPOKEN, "spoken"),
        (typed.drill.uid, TYPED, "typed"),
    ]
    assert asked[0].key_points_hit == (0,)
    alice.services.close()

    team.sync("alice")
    team.sync("maria")
    app = open_app("maria")
    store = app.services.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2 answers waiting for your review" in text_of(app, "#waiting")
        await to_team(pilot, app)
        waiting = rows(app, "#inbox")
        assert [row[1:] for row in waiting] == [
            ["Alice Ng", spoken.drill.title],
            ["Alice Ng", typed.drill.title],
        ]
        assert rows(app, "#reps")[0][4] == "2"
        await pilot.press("i", "enter")  # the oldest: the spoken role-play
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert SPOKEN in text_of(app, "#theirs")
        assert "spoken" in str(app.screen.query_one("#theirs").border_title)
        assert "Key points they ticked: 1 of" in text_of(app, "#kp-title")
        # she asked before rating it: her rating (Good) came after, and shows here
        assert "rated it Good" in text_of(app, "#sent")
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RatingScreen) and form.request is not None
        assert "sent for review" in text_of(app, "#context")
        assert form.check_action("context", ()) is False
        scores = await score_all(pilot, form, [3])
        await pilot.press("n")
        await type_text(pilot, "Ask before you pitch")
        await pilot.press("enter")  # enter in the note saves
        await settle(pilot, app)
        assert isinstance(app.screen, TeamScreen)  # the review closed with the rating
        assert len(rows(app, "#inbox")) == 1
        assert rows(app, "#reps")[0][4] == "1"

    mine = membership(app.services.config.workspace, "maria")
    assert [r.id for r in feedback.inbox(store, mine)] == [asked[1].id]
    answer = store.answers([asked[0].id])[asked[0].id]
    assert (answer.by, answer.rep, answer.context, answer.request) == (
        "maria",
        "alice",
        "answer",
        asked[0].id,
    )
    assert answer.scores == scores and answer.note == "Ask before you pitch"

    # the rep sees it on Today after her sync
    team.sync("maria")
    team.sync("alice")
    again = open_app("alice")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "rated the answer you sent on" in text_of(again, "#feedback")
        assert "Ask before you pitch" in text_of(again, "#feedback")


async def test_ask_manager_is_not_offered_without_a_manager(
    team: TeamKit, open_app: OpenApp
) -> None:
    app = open_app("dana")  # at the top of the team: nobody to ask
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape", "space", "a")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.check_action("ask", ()) is False
    assert app.services.store.requests() == []


# --- Today: the team key, sync, and what the team says


async def test_team_key_is_a_managers_only(
    team: TeamKit, open_app: OpenApp, drillcoach_home: Path
) -> None:
    for who, shown in (("alice", False), ("maria", True)):
        app = open_app(who)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            today = app.screen
            assert isinstance(today, TodayScreen)
            assert ("m" in today.active_bindings) is shown
            assert bool(today.check_action("team", ())) is shown
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen) is shown
    alone = make_app(drillcoach_home, clock=team.clock, tz=UTC)  # in no workspace at all
    alone.services.prefs.set_welcomed()
    try:
        async with alone.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "m" not in alone.screen.active_bindings
            assert "y" not in alone.screen.active_bindings
            assert not alone.screen.query_one("#sharing").display
            assert not alone.screen.query_one("#sync").display
    finally:
        alone.services.close()


async def test_sync_runs_in_a_worker_while_the_rep_drills(
    team: TeamKit, open_app: OpenApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.cli("maria", "assign", PACK, "--to", "alice", "--due", "2026-03-20",
             "--note", "Q2 renewals").ok()  # fmt: skip
    team.sync("maria")
    real_sync = sync_module.sync
    release = threading.Event()
    threads: list[str] = []

    def held_sync(services: Services, *, progress: Progress) -> SyncReport:
        threads.append(threading.current_thread().name)
        progress("pulling from the team's repository")
        assert release.wait(30), "the test never let the sync go on"
        return real_sync(services, progress=progress)

    monkeypatch.setattr("drillcoach.tui.team.sync", held_sync)
    app = open_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Not synced with the team yet" in text_of(app, "#sync")
        assert "Shared with Maria Lopez" in text_of(app, "#sharing")
        assert not app.screen.query_one("#assigned").display
        await pilot.press("y")
        for _ in range(100):  # the step comes from the worker's thread
            await pilot.pause(0.05)
            if "pulling" in text_of(app, "#sync"):
                break
        assert "Syncing with the team: pulling" in text_of(app, "#sync")
        # the sync waits in its thread; the rep drills and the rating is stored meanwhile
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape", "space", "3")
        await pilot.pause()
        assert len(app.services.store.self_ratings("alice")) == 1
        await pilot.press("escape", "escape")  # out of the next answer box, and the session
        await pilot.pause()
        await pilot.press("enter")  # past the session's summary
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = text_of(app, "#sync")
        assert line.startswith("Last sync 10:")
        assert "Synced with West sales: wrote 1 event" in line
        assert "Assigned by Maria Lopez" in text_of(app, "#assigned")
        assert '"Q2 renewals"' in text_of(app, "#assigned")
    assert threads and threads[0] != threading.main_thread().name
    assert isinstance(app.services.store.get_setting(LAST_SYNC), dict)


async def test_a_failed_sync_is_one_line(team: TeamKit, open_app: OpenApp) -> None:
    team.remote.rename(team.remote.with_name("gone.git"))
    app = open_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = text_of(app, "#sync")
        assert line.startswith("Sync failed: ")
        assert "Traceback" not in line
        assert app.screen.query_one("#sync").has_class("-failed")
        assert isinstance(app.screen, TodayScreen)


async def test_today_shows_overdue_in_the_warning_line_and_the_note_once(
    team: TeamKit, open_app: OpenApp
) -> None:
    team.cli("maria", "assign", PACK, "--to", "alice", "--due", "2026-03-03",
             "--note", "Before the pricing review").ok()  # fmt: skip
    team.cli("maria", "assign", "discovery", "--to", "alice", "--due", "2026-03-30").ok()
    team.sync("maria")
    team.sync("alice")
    team.clock.advance(days=3)
    app = open_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overdue = text_of(app, "#overdue")
        assert overdue.startswith("Assigned by Maria Lopez: Core objections, overdue since")
        assert '"Before the pricing review"' in overdue
        assert "Discovery" in text_of(app, "#assigned")
        assert "overdue" not in text_of(app, "#assigned")
    team.clock.advance(days=1)  # the next day the note has been seen
    later = open_app("alice")
    async with later.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Before the pricing review" not in text_of(later, "#overdue")


# --- the drill screen: the manager's rating beside the last attempt


async def test_drill_shows_the_managers_rating_beside_the_last_attempt(
    team: TeamKit, open_app: OpenApp
) -> None:
    (drill, _), *_ = team.drill("alice", 1)
    team.sync("alice")
    team.sync("maria")
    with team.services("maria") as maria:
        mine = membership(maria.config.workspace, "maria")
        goal = feedback.target(maria.library, drill_uid=drill.uid, skill=None)
        low = {criterion.id: 1 for criterion in goal.rubric.criteria}
        feedback.rate(maria.scheduler_for("alice"), mine, goal, low, note="Too fast")
    team.sync("maria")
    team.sync("alice")
    team.clock.advance(hours=1)  # rated Again: due again within the hour
    app = open_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.drill.uid == drill.uid
        await pilot.press("escape", "space")
        await pilot.pause()
        assert 'Your manager: Again, 1.0 - "Too fast"' in text_of(app, "#previous")


# --- a snapshot of the Team screen


@pytest.fixture
def maria_with_a_team(team: TeamKit, open_app: OpenApp) -> DrillcoachApp:
    team.cli("maria", "assign", PACK, "--to", "alice,bob", "--due", "2026-03-16").ok()
    team.sync("maria")
    team.sync("alice")
    team.drill("alice", 3, ask_review=True)
    team.clock.advance(days=1)
    team.drill("alice", 1)
    team.sync("alice")
    team.clock.advance(hours=2)
    team.sync("maria")
    return open_app("maria")


def test_team_screen_snapshot(snap_compare: Compare, maria_with_a_team: DrillcoachApp) -> None:
    async def open_team(pilot: Pilot[None]) -> None:
        await to_team(pilot, maria_with_a_team)

    assert snap_compare(maria_with_a_team, terminal_size=SIZE, run_before=open_team)


# --- the team summary in the Team screen


async def test_team_view_shows_the_team_summary_sorts_and_opens_a_rep(
    team: TeamKit, open_app: OpenApp
) -> None:
    from test_team_summary import build_history

    build_history(team)  # alice: 8 days running, better lately; bob: stopped, one answer sent
    app = open_app("maria")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_team(pilot, app)
        assert [row[:8] for row in rows(app, "#reps")] == [
            ["Alice Ng", "today", "8 days", "2 assigned, 0 done, 1 overdue", "-", "11 ↑",
             "2.5 ↑", "100%"],
            ["Bob Stone", "12 Mar", "-", "2 assigned, 0 done, 1 overdue", "1", "6 ↓", "-",
             "-"],
        ]  # fmt: skip
        assert rows(app, "#reps")[0][8:] == [
            "Discovery",
            "Objection handling +1.7, over-confident",
            "86%",
            "-",
            "in 2 years, Carry a mid-market number · desire 8/10",
        ]
        assert rows(app, "#reps")[1][8:] == ["Closing", "-", "0%", "-", "not shared"]
        grid = rows(app, "#grid")
        assert [row[0] for row in grid] == ["Alice Ng", "Bob Stone"]
        assert grid[0][1:3] == ["0%", "2%"]  # discovery, objection handling: 1 of its drills
        assert "Mastery by skill" in text_of(app, "#grid-title")

        # s sorts by the next column: the reps' names first, A to Z
        await pilot.press("s")
        await pilot.pause()
        reps = app.screen.query_one("#reps", DataTable)
        assert str(reps.ordered_columns[0].label) == "Rep ▲"
        # a click on a header sorts by it, the most first: bob has an answer waiting
        before = reps.ordered_columns[: reps.get_column_index("reviews")]
        x = sum(column.get_render_width(reps) for column in before)
        await pilot.click("#reps", offset=(x + 2, 0))
        await pilot.pause()
        assert screen.sort is not None and screen.sort.key == "reviews"
        assert [row[0] for row in rows(app, "#reps")] == ["Bob Stone", "Alice Ng"]
        assert [row[0] for row in rows(app, "#grid")] == ["Bob Stone", "Alice Ng"]
        await pilot.click("#reps", offset=(x + 2, 0))  # again: the other way round
        await pilot.pause()
        assert [row[0] for row in rows(app, "#reps")] == ["Alice Ng", "Bob Stone"]
        assert "Reviews ▲" in [str(c.label) for c in reps.ordered_columns]
        await pilot.click("#reps", offset=(x + 2, 0))
        await pilot.pause()

        # enter opens the rep under the cursor, in the order shown
        reps.focus()
        reps.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RepScreen) and app.screen.rep.member.id == "bob"
        assert app.screen.rep.waiting == 1
        await pilot.press("escape")
        await settle(pilot, app)
        # and from the grid
        app.screen.query_one("#grid", DataTable).focus()
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RepScreen) and app.screen.rep.member.id == "alice"
