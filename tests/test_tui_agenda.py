"""The 1:1 agenda in the TUI, over a real workspace (tests/teamkit.py): a manager opens a
rep's agenda from the rep's screen or the Team screen, it says what the CLI says, and the
opening is stored; the rep's screen says which skills the rep's coaching agreement
covers; a snapshot of the agenda at 80x24."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import pytest
from test_snapshots import Compare
from test_tui_team import rows, settle, to_team
from textual.pilot import Pilot
from textual.widgets import Static

from drillcoach.coaching.agenda import build_agenda
from drillcoach.coaching.agenda_text import agenda_sections
from drillcoach.coaching.view import manager_view
from drillcoach.events import AgendaOpened, Agreement, CoachingArea, Vision
from drillcoach.tui.app import DrillcoachApp, make_app
from drillcoach.tui.screens.agenda import AgendaScreen
from drillcoach.tui.screens.rep import RepScreen
from drillcoach.tui.screens.team import TeamScreen
from teamkit import TeamKit

SIZE = (80, 24)
DREAM = "Carry a mid-market number by Q3"


@pytest.fixture
def maria(team: TeamKit) -> Iterator[DrillcoachApp]:
    """maria's drillcoach after alice drilled, shared her vision and agreement, and both
    synced."""
    at = team.clock()
    with team.services("alice") as alice:
        alice.store.add_many([
            Vision(by="alice", at=at, in_2_years=DREAM, why="Buy a flat near my parents",
                   desire=8, willingness=7),
            Agreement(by="alice", at=at, areas=(
                CoachingArea("objection-handling", ("weekly",), "Carry a number"),
                CoachingArea("closing", ("joint-calls",), "Carry a number"),
            )),
        ])  # fmt: skip
    for kind in ("vision", "agreement"):
        team.cli("alice", "config", "set", f"share_{kind}", "true").ok()
    team.drill("alice", 2)
    team.sync("alice")
    team.sync("maria")
    app = make_app(team["maria"].home, clock=team.clock, tz=UTC)
    app.services.prefs.set_welcomed()
    yield app
    app.services.close()


def texts(app: DrillcoachApp) -> list[str]:
    """What the agenda screen shows, widget by widget."""
    return [str(widget.render()) for widget in app.screen.query("#agenda Static")]


def opened(app: DrillcoachApp, rep: str) -> list[AgendaOpened]:
    return app.services.store.coaching(rep, AgendaOpened, by="maria")


async def test_the_manager_opens_a_reps_agenda_from_the_reps_screen(
    team: TeamKit, maria: DrillcoachApp
) -> None:
    async with maria.run_test(size=SIZE) as pilot:
        await to_team(pilot, maria)
        await pilot.press("enter")  # alice, under the cursor
        await settle(pilot, maria)
        rep = maria.screen
        assert isinstance(rep, RepScreen) and rep.rep.member.id == "alice"
        agreed = {row[0]: row[4] for row in rows(maria, "#skills")}
        assert agreed["Objection handling"] == "agreed"
        assert agreed["Closing"] == "agreed"
        assert agreed["Discovery"] == "outside: ask first"
        summary = str(maria.screen.query_one("#summary", Static).render())
        assert "Agreed coaching areas: Objection handling, Closing; outside them, ask first" in (
            summary
        )
        assert opened(maria, "alice") == []

        await pilot.press("o")
        await settle(pilot, maria)
        screen = maria.screen
        assert isinstance(screen, AgendaScreen)
        heading = str(screen.query_one("#heading", Static).render())
        assert heading == "1:1 agenda: Alice Ng · week of 2 Mar 2026"
        shown = texts(maria)
        assert f'In 2 years: "{DREAM}"' in shown
        assert 'Objection handling: weekly - serves "Carry a number"' in shown
        assert "Questions to ask" in shown
        # the same agenda as the command line builds
        services = maria.services
        agenda = build_agenda(services.scheduler_for("alice"), "Alice Ng",
                              manager_view(services.store.sharing("alice")))  # fmt: skip
        sections = agenda_sections(agenda, services.library)
        assert [s.heading for s in sections] == [t for t in shown if t in
                                                 {s.heading for s in sections}]  # fmt: skip
        questions = [str(w.render()) for w in maria.screen.query("#agenda .question")]
        assert questions == [q.text for q in agenda.questions] and len(questions) >= 3
        # the opening is stored, before anything else happens
        [first] = opened(maria, "alice")
        assert (first.by, first.rep, first.at) == ("maria", "alice", team.clock())

        await pilot.press("escape")
        await settle(pilot, maria)
        assert isinstance(maria.screen, RepScreen)
        assert len(opened(maria, "alice")) == 1


async def test_the_team_screen_opens_the_agenda_of_the_rep_under_the_cursor(
    maria: DrillcoachApp,
) -> None:
    async with maria.run_test(size=SIZE) as pilot:
        await to_team(pilot, maria)
        await pilot.press("down", "o")  # bob, who shares nothing
        await settle(pilot, maria)
        assert isinstance(maria.screen, AgendaScreen)
        shown = texts(maria)
        assert "Bob does not share their vision with you." in shown
        assert "Bob does not share their coaching agreement with you." in shown
        assert len(opened(maria, "bob")) == 1 and opened(maria, "alice") == []
        await pilot.press("escape")
        await settle(pilot, maria)
        assert isinstance(maria.screen, TeamScreen)


def test_agenda_screen_snapshot(snap_compare: Compare, maria: DrillcoachApp) -> None:
    async def open_agenda(pilot: Pilot[None]) -> None:
        await to_team(pilot, maria)
        await pilot.press("o")
        await settle(pilot, maria)

    assert snap_compare(maria, terminal_size=SIZE, run_before=open_agenda)
