"""A director's summary (issue 12): dana directs maria (alice and bob, test_team_summary's
known history) and mike (carl, who drilled twice today); a manager's row pooled from the
rows of that manager's own team summary, the report in every format from the one
computation, and the Team screen's drill-down from a manager to their reps."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from test_report import documented_keys, is_type, json_paths
from test_team_summary import TODAY, at_day, build_history, summary_of
from test_tui_team import OpenApp, rows, settle, text_of, to_team
from test_tui_team import open_app as open_app  # the fixture

from drillcoach.progress.director import (
    DirectorSummary,
    RepGap,
    director_summary,
    manager_row,
    manager_team,
)
from drillcoach.progress.director_report import DIRECTOR_CSV_COLUMNS, render_director
from drillcoach.progress.model import ChecklistHonesty, TeamSkill
from drillcoach.progress.render import SCHEMA
from drillcoach.progress.team_report import render_team
from drillcoach.services import Services
from drillcoach.team.workspace import membership
from drillcoach.tui.screens.team import TeamScreen
from helpers import one_line
from teamkit import TeamKit

SIZE = (80, 24)


def add_mike_and_carl(kit: TeamKit) -> None:
    """A second manager under dana, with a rep who joins and drills twice today."""
    kit.cli("dana", "team", "add", "mike", "--name", "Mike Chen", "--role", "manager").ok()
    kit.cli("dana", "team", "add", "carl", "--name", "Carl Berg", "--role", "rep",
            "--manager", "mike").ok()  # fmt: skip
    kit.sync("dana")
    for who, name, role, manager in (
        ("mike", "Mike Chen", "manager", "dana"),
        ("carl", "Carl Berg", "rep", "mike"),
    ):
        person = kit.new_person(who, name, role, manager)
        kit.git(kit.root, "clone", "--quiet", str(kit.remote), str(person.ws))
        kit.cli(who, "team", "join", str(person.ws), "--as", who).ok()
    kit.drill("carl", 2)
    kit.sync("carl")


def build(kit: TeamKit) -> None:
    build_history(kit)
    add_mike_and_carl(kit)
    kit.sync("maria")
    kit.sync("dana")
    kit.clock.now = at_day(TODAY, hour=18)


def director_of(dana: Services) -> DirectorSummary:
    mine = membership(dana.config.workspace, "dana")
    return director_summary(dana.store, dana.library, dana.config, mine,
                            dana.scheduler.days, dana.clock())  # fmt: skip


def test_a_row_a_manager_with_known_figures(team: TeamKit) -> None:
    build(team)
    with team.services("dana") as dana:
        found = director_of(dana)
    assert (found.name, found.director, found.director_name, found.reps) == (
        "West sales", "dana", "Dana Diaz", 3,
    )  # fmt: skip
    maria, mike = found.managers
    assert [team.manager for team in found.teams] == ["maria", "mike"]
    assert [row.rep for row in found.teams[0].reps] == ["alice", "bob"]
    assert [row.rep for row in found.teams[1].reps] == ["carl"]

    # maria: alice (streak 8, 11 days, retention 1.0) and bob (0, 6, no review)
    assert (maria.manager, maria.name, maria.reps) == ("maria", "Maria Lopez", 2)
    assert maria.last_drilled == at_day(TODAY).date()
    assert (maria.streak, maria.days_drilled) == (4, 8.5)  # the median of 8 and 0
    assert (maria.packs_assigned, maria.packs_done, maria.packs_overdue) == (4, 0, 2)
    alice = found.teams[0].reps[0]
    assert maria.retention == 1.0 and maria.retention_reviews == alice.retention_reviews > 0
    # discovery (alice) and closing (bob) once each: the first in the skill map
    assert (maria.weakest, maria.weakest_reps) == (TeamSkill("discovery", "Discovery"), 1)
    widest = RepGap("alice", "Alice Ng", "objection-handling", "Objection handling",
                    30 / 11 - 1, "over-confident")  # fmt: skip
    assert maria.calibration == widest
    assert maria.honesty == ChecklistHonesty(19, 28, 19 / 28)  # 19 of 22 and 0 of 6
    assert (maria.leeches, maria.inbox, maria.visions) == (0, 1, 1)
    # the grid: alice's mastered price drill, of both reps' objection-handling drills
    skills = [skill.skill for skill in found.skills]
    assert [cell.skill for cell in maria.mastery] == skills
    cell = maria.mastery[skills.index("objection-handling")]
    reps = found.teams[0].reps
    totals = [c.total for row in reps for c in row.mastery if c.skill == "objection-handling"]
    assert (cell.mastered, cell.total) == (1, sum(totals))
    assert cell.share == 1 / sum(totals)

    # mike: carl drilled two new drills today, nothing assigned, nothing reviewed
    assert (mike.manager, mike.reps, mike.last_drilled) == ("mike", 1, at_day(TODAY).date())
    assert (mike.streak, mike.days_drilled) == (1, 1)
    assert (mike.retention, mike.retention_reviews) == (None, 0)
    assert (mike.calibration, mike.packs_assigned, mike.inbox, mike.visions) == (None, 0, 0, 0)


def test_a_managers_row_is_the_one_of_their_own_team_summary(team: TeamKit) -> None:
    build(team)
    with team.services("dana") as dana:
        found = director_of(dana)
    with team.services("maria") as maria:
        own = summary_of(maria)  # maria's own report --team, in her own store
    assert own.reps == found.teams[0].reps
    assert manager_row(own, found.skills) == found.managers[0]


def test_a_director_with_no_managers_below(team: TeamKit) -> None:
    with team.services("maria") as maria:
        mine = membership(maria.config.workspace, "maria")
        alone = director_summary(maria.store, maria.library, maria.config, mine,
                                 maria.scheduler.days, maria.clock())  # fmt: skip
    assert (alone.managers, alone.teams, alone.reps) == ((), (), 0)
    assert "No managers report to you" in render_director(alone, "text")


def test_report_team_by_a_director_in_every_format(team: TeamKit) -> None:
    build(team)
    with team.services("dana") as dana:
        summary = director_of(dana)
        mine = membership(dana.config.workspace, "dana")
        carl_manager = mine.team.member("mike")
        mike = manager_team(dana.store, dana.library, dana.config, mine, carl_manager,
                            dana.scheduler.days, dana.clock())  # fmt: skip
    for form in ("text", "md", "csv", "json"):
        out = team.cli("dana", "report", "--team", "--format", form).ok().out
        assert out == render_director(summary, form), form
    text = team.cli("dana", "report", "--team").ok().out
    assert text.startswith("Team West sales: everyone below Dana Diaz (3)\n")
    order = [text.index(part) for part in (
        "By manager (2)", "Maria Lopez (maria)", "Mike Chen (mike)", "Mastery by skill, by",
        "Team West sales: everyone below Maria Lopez (2)", "Alice Ng (alice)",
        "Bob Stone (bob)", "Team West sales: everyone below Mike Chen (1)", "Carl Berg (carl)",
    )]  # fmt: skip
    assert order == sorted(order)
    assert "  2 reps · last drilled 29 Mar 2026 · median streak 4.0 ·\n" in text
    assert "  True retention - · above the checklist 1 of 1 (100%) · 0 leeches\n" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    md = team.cli("dana", "report", "--team", "--format", "md").ok().out
    assert "- **Maria Lopez** (maria): 2 reps" in md
    assert "widest gap: Alice Ng, Objection handling +1.7, over-confident" in md

    # the same figures in the JSON and the CSV
    data = json.loads(team.cli("dana", "report", "--team", "--format", "json").ok().out)
    assert (data["schema"], list(data)) == (SCHEMA, ["schema", "version", "director"])
    row = data["director"]["managers"][0]
    assert (row["streak"], row["days_drilled"], row["honesty"]["above"]) == (4, 8.5, 19)
    assert data["director"]["teams"][0]["reps"][0]["streak"] == 8
    table = list(csv.reader(io.StringIO(team.cli("dana", "report", "--team", "--format",
                                                 "csv").ok().out)))  # fmt: skip
    assert tuple(table[0]) == DIRECTOR_CSV_COLUMNS
    got = {tuple(line[:5]): line[5] for line in table[1:]}
    assert got[("managers", "maria", "", "", "days_drilled")] == "8.5"
    assert got[("managers", "maria", "", "", "calibration.name")] == "Alice Ng"
    assert got[("reps", "maria", "alice", "", "streak")] == "8"
    assert got[("reps", "mike", "carl", "", "streak")] == "1"

    # --manager: one manager's reps only, their team report
    only = team.cli("dana", "report", "--team", "--manager", "mike").ok().out
    assert only == render_team(mike, "text")
    for argv, fragment in (
        (["--team", "--manager", "alice"], "--manager alice: expected the id of a manager"),
        (["--team", "--manager", "nobody"], "--manager nobody: expected the id of a manager"),
        (["--manager", "mike"], "--manager mike: only with --team"),
    ):
        run = team.cli("dana", "report", *argv)
        assert (run.code, run.out) == (2, ""), argv
        one_line(run.err, fragment)
    refused = team.cli("maria", "report", "--team", "--manager", "dana")
    assert refused.code == 2  # above her, not below


def test_the_director_json_has_exactly_the_documented_keys(team: TeamKit) -> None:
    build(team)
    data = json.loads(team.cli("dana", "report", "--team", "--format", "json").ok().out)
    documented = documented_keys(director=True)
    team_keys = documented_keys(team=True)
    seen = json_paths(data)
    prefix = "director.teams[]."
    own = {(path, value) for path, value in _hashable(seen) if not path.startswith(prefix)}
    assert {path for path, _ in own} == set(documented)
    for path, value in seen:
        if path.startswith(prefix):  # laid out as the team report's "team"
            kind = team_keys["team." + path.removeprefix(prefix)]
        else:
            kind = documented[path]
        assert is_type(value, kind), (path, value, kind)


def _hashable(seen: list[tuple[str, Any]]) -> Iterator[tuple[str, str]]:
    for path, value in seen:
        yield path, json.dumps(value)


# --- the Team screen


async def test_a_director_drills_down_from_a_manager_to_their_reps(
    team: TeamKit, open_app: OpenApp
) -> None:
    build(team)
    app = open_app("dana")
    async with app.run_test(size=SIZE) as pilot:
        top = await to_team(pilot, app)
        assert "everyone below you (3) · 2 managers" in text_of(app, "#heading")
        managers = rows(app, "#managers")
        assert [row[:5] for row in managers] == [
            ["Maria Lopez", "2", "today", "4.0", "8.5"],
            ["Mike Chen", "1", "today", "1.0", "1.0"],
        ]
        assert [row[0] for row in rows(app, "#reps")] == ["Alice Ng", "Bob Stone", "Carl Berg"]
        assert app.focused is app.screen.query_one("#managers")
        # sorted the same way as the reps: s, then a click on a header
        await pilot.press("s")
        await pilot.pause()
        assert top.manager_sort is not None and top.manager_sort.key == "manager"
        await pilot.press("s")  # reps: the most first
        await pilot.pause()
        assert [row[0] for row in rows(app, "#managers")] == ["Maria Lopez", "Mike Chen"]
        # enter on maria: her team, alice and bob
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen is not top
        assert "everyone below Maria Lopez (2)" in text_of(app, "#heading")
        assert [row[0] for row in rows(app, "#reps")] == ["Alice Ng", "Bob Stone"]
        assert not screen.query_one("#managers").display
        assert not screen.check_action("scope", (False,))  # a: not in a drill-down
        # escape: back up to the managers
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is top
        assert "2 managers" in text_of(app, "#heading")
        # a: only dana's own reps (none), still the managers' rows
        await pilot.press("a")
        await settle(pilot, app)
        assert "your reps (0)" in text_of(app, "#heading")
        assert len(rows(app, "#managers")) == 2
