"""The manager's team summary (issue 12): a hand-built team history with known answers,
through real stores and a real git workspace (tests/teamkit.py): alice and bob drill on
known days, maria assigns and rates, alice shares her vision; every figure of a rep's row
is the one that rep's own summary holds. Then the rows from hand-built summaries (what a
real history takes long to reach: packs done, leeches, mastery), and the trends."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from test_report import DOCS, documented_keys, full_summary, is_type, json_paths

from drillcoach.content import Library
from drillcoach.events import Vision
from drillcoach.progress.model import (
    SUMMARY_VERSION,
    ChecklistHonesty,
    Habit,
    RepSummary,
    SkillMastery,
    SkillProgress,
    TeamRow,
    TeamSkill,
    TeamSummary,
    Trend,
    WidestGap,
)
from drillcoach.progress.render import SCHEMA
from drillcoach.progress.report_text import md_escape
from drillcoach.progress.summary import rep_summary
from drillcoach.progress.team_facts import RowFacts, SkillStanding, row_facts
from drillcoach.progress.team_report import (
    TEAM_CSV_COLUMNS,
    grid_table,
    render_team,
    row_sentences,
    team_dict,
)
from drillcoach.progress.team_summary import (
    days_trend,
    grid_skills,
    team_row,
    team_summary,
    trend,
    weakest_skill,
)
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import suggest_rating
from drillcoach.services import Services
from drillcoach.team.feedback import ask_review
from drillcoach.team.workspace import membership
from helpers import START, one_line, run_cli
from teamkit import ANSWER, TeamKit

PRICE = "objections-core/price-too-high"  # objection handling, five key points
PAIN = "discovery/disc-vague-pain"  # discovery, five key points
THINK = "closing/close-think-about-it"  # closing, five key points
TODAY = 27  # days after START: Sunday 29 March 2026
OBJECTION_SCORES = "listen=1,acknowledge=1,explore=1,respond=1,confirm=1,advance=1"


def at_day(number: int, hour: int = 10) -> datetime:
    return START.replace(hour=hour) + timedelta(days=number)


def rate_as(kit: TeamKit, who: str, *ratings: tuple[str, int], ask: bool = False) -> None:
    """``who`` rates the drills on the kit's clock, one key point of five ticked each
    (their checklist suggests Again: anything above it is above the checklist); with
    ``ask`` the last answer goes to their manager for review."""
    with kit.services(who) as rep:
        for uid, rating in ratings:
            drill = rep.library.drill_of(uid)
            assert len(drill.key_points) == 5 and suggest_rating(1, 5) == 1
            attempt = Attempt(duration_ms=30_000, key_points_hit=(0,), answer=ANSWER)
            rated = rep.scheduler.record_self(drill, rating, attempt)
            if ask:
                mine = membership(rep.config.workspace, rep.config.member)
                ask_review(rep.store, mine, drill, ANSWER, at=rep.clock(), rating=rated.event,
                           key_points_hit=(0,))  # fmt: skip
            kit.clock.advance(minutes=2)


def build_history(kit: TeamKit) -> None:
    """Maria assigns objections-core to both (due 12 March: overdue by the end) and closing
    (due in May); alice drills 3 days early on and the last 8, better lately; bob drills
    6 days in the middle, rating himself Again, and sends one answer for review; alice
    shares her vision, bob keeps his; maria rates alice's objection handling low on a
    joint call."""
    kit.cli("maria", "assign", "objections-core", "--to", "alice,bob", "--due", "2026-03-12").ok()
    kit.cli("maria", "assign", "closing", "--to", "alice,bob", "--due", "2026-05-01").ok()
    kit.sync("maria")
    for number in (0, 1, 2):
        kit.clock.now = at_day(number)
        rate_as(kit, "alice", (PRICE, 2), (PAIN, 1))
    for number in range(5, 11):
        kit.clock.now = at_day(number)
        rate_as(kit, "bob", (THINK, 1), ask=number == 10)
    for number in range(20, TODAY + 1):
        kit.clock.now = at_day(number)
        rate_as(kit, "alice", (PRICE, 3), (PAIN, 2))
    for who, vision in (("alice", "Carry a mid-market number"), ("bob", "Run a team")):
        with kit.services(who) as rep:
            rep.store.add(Vision(by=who, at=rep.clock(), in_2_years=vision, why="For me",
                                 desire=8, willingness=7))  # fmt: skip
    kit.cli("alice", "config", "set", "share_vision", "true").ok()
    kit.sync("alice")
    kit.sync("bob")
    kit.sync("maria")
    kit.clock.advance(minutes=5)
    kit.cli("maria", "rate", "alice", "--skill", "objection-handling", "--context",
            "joint-call", "--score", OBJECTION_SCORES).ok()  # fmt: skip
    kit.clock.now = at_day(TODAY, hour=18)


def summary_of(maria: Services, everyone: bool = False) -> TeamSummary:
    mine = membership(maria.config.workspace, "maria")
    return team_summary(maria.store, maria.library, maria.config, mine,
                        maria.scheduler.days, maria.clock(), everyone=everyone)  # fmt: skip


def test_a_team_with_known_answers(team: TeamKit) -> None:
    build_history(team)
    with team.services("maria") as maria:
        found = summary_of(maria)
        assert (found.name, found.manager, found.manager_name, found.everyone) == (
            "West sales", "maria", "Maria Lopez", False,
        )  # fmt: skip
        assert found.as_of == at_day(TODAY, hour=18)
        alice, bob = found.reps
        assert (alice.rep, alice.name, bob.rep, bob.name) == (
            "alice",
            "Alice Ng",
            "bob",
            "Bob Stone",
        )

        # alice: 3 days long ago (of the 14 before the last 14), every one of the last 8
        assert alice.last_drilled == at_day(TODAY).date()
        assert (alice.streak, alice.days_drilled) == (8, 11)
        assert alice.days_trend == Trend(8, 3, "up")
        assert alice.rating_trend == Trend(2.5, 1.5, "up")  # (3 + 2) / 2 against (2 + 1) / 2
        assert (alice.packs_assigned, alice.packs_done, alice.packs_overdue) == (2, 0, 1)
        # the price drill reached review state on day 20 (Good) and passed its 7 reviews
        # since; the pain drill never left learning (Again, then Hard)
        assert alice.retention == 1.0
        assert alice.weakest == TeamSkill("discovery", "Discovery")  # latest 2 against 3
        # self 30/11 on objection handling (2, 2, 2, then eight 3s) against maria's Again
        assert alice.calibration == WidestGap(
            "objection-handling", "Objection handling", 30 / 11 - 1, "over-confident"
        )
        assert alice.honesty == ChecklistHonesty(19, 22, 19 / 22)  # all but the three Agains
        assert (alice.leeches, alice.inbox) == (0, 0)
        assert alice.vision_shared
        assert alice.vision == "in 2 years, Carry a mid-market number · desire 8/10"

        # bob: days 5 to 10, Again each time, nothing since
        assert bob.last_drilled == at_day(10).date()
        assert (bob.streak, bob.days_drilled) == (0, 6)
        assert bob.days_trend == Trend(0, 6, "down")
        assert bob.rating_trend == Trend(None, 1.0, None)
        assert (bob.packs_assigned, bob.packs_done, bob.packs_overdue) == (2, 0, 1)
        assert bob.retention is None
        assert bob.weakest == TeamSkill("closing", "Closing")
        assert bob.calibration is None
        assert bob.honesty == ChecklistHonesty(0, 6, 0.0)
        assert (bob.leeches, bob.inbox) == (0, 1)
        assert (bob.vision_shared, bob.vision) == (False, None)

        # the grid: a column a skill any rep has drills of, nothing mastered yet
        skills = [skill.skill for skill in found.skills]
        assert skills[:2] == ["discovery", "objection-handling"]  # the skill map's order
        assert "closing" in skills
        for row in found.reps:
            assert [cell.skill for cell in row.mastery] == skills
            assert all(cell.total > 0 for cell in row.mastery)
        # the price drill, after eight Goods in a row, is remembered three weeks or more
        price = maria.scheduler_for("alice").state(maria.library.drill_of(PRICE))
        assert price.stability is not None and price.stability >= 21
        mastered = {cell.skill: cell.mastered for cell in alice.mastery if cell.mastered}
        assert mastered == {"objection-handling": 1}
        cell = alice.mastery[skills.index("objection-handling")]
        assert cell.share == 1 / cell.total
        assert not any(cell.mastered for cell in bob.mastery)

        # a director sees every rep below her, and only from what her own syncs bring
        assert summary_of(maria, everyone=True).reps == found.reps


def test_each_row_holds_its_reps_own_summary(team: TeamKit) -> None:
    build_history(team)
    with team.services("maria") as maria:
        found = summary_of(maria)
        for row in found.reps:
            own = rep_summary(maria.store, maria.library, maria.config, row.rep, row.name,
                              maria.scheduler.days, maria.clock())  # fmt: skip
            assert row.streak == own.habit.current_streak
            drilled = [day for day, drills in own.habit.calendar if drills]
            assert (
                row.days_drilled
                == len(drilled[-30:])
                == sum(1 for day, _ in own.habit.calendar[-30:] if day in drilled)
            )
            assert row.last_drilled == (drilled[-1] if drilled else None)
            assert row.retention == own.retention.true_retention
            assigned = [pack for pack in own.packs if pack.due is not None]
            assert row.packs_assigned == len(assigned)
            assert row.packs_overdue == sum(pack.overdue for pack in assigned)
            assert row.honesty.above == sum(item.above for item in own.honesty)
            assert row.honesty.rated == sum(item.rated for item in own.honesty)
            assert row.leeches == len(own.ahead.leeches)
            if own.calibration:
                widest = own.calibration[0]
                assert row.calibration is not None
                assert (row.calibration.skill, row.calibration.gap, row.calibration.label) == (
                    widest.skill, widest.gap, widest.label,
                )  # fmt: skip
            else:
                assert row.calibration is None
            skills = {skill.skill: skill for skill in own.skills}
            for cell in row.mastery:
                mine = skills.get(cell.skill)
                assert (cell.mastered, cell.total) == (
                    (mine.mastered, mine.total) if mine else (0, 0)
                )


def test_a_rep_with_no_history_and_a_manager_with_no_reps(team: TeamKit) -> None:
    with team.services("maria") as maria:
        found = summary_of(maria)
        for row in found.reps:
            assert (row.last_drilled, row.streak, row.days_drilled) == (None, 0, 0)
            assert row.days_trend == Trend(0, 0, "steady")
            assert row.rating_trend == Trend(None, None, None)
            assert (row.retention, row.weakest, row.calibration) == (None, None, None)
            assert row.honesty == ChecklistHonesty(0, 0, None)
            assert (row.vision_shared, row.vision) == (False, None)
    with team.services("dana") as dana:
        mine = membership(dana.config.workspace, "dana")
        alone = team_summary(dana.store, dana.library, dana.config, mine,
                             dana.scheduler.days, dana.clock())  # fmt: skip
        assert alone.reps == () and alone.skills == ()


def test_a_shared_vision_not_written_yet(team: TeamKit) -> None:
    team.cli("alice", "config", "set", "share_vision", "true").ok()
    team.sync("alice")
    team.sync("maria")
    with team.services("maria") as maria:
        alice = summary_of(maria).reps[0]
        assert (alice.vision_shared, alice.vision) == (True, None)


def test_now_must_carry_its_time_zone(team: TeamKit) -> None:
    with team.services("maria") as maria:
        mine = membership(maria.config.workspace, "maria")
        with pytest.raises(ValueError, match="timezone-aware"):
            team_summary(maria.store, maria.library, maria.config, mine,
                         maria.scheduler.days, datetime(2026, 3, 2, 10))  # fmt: skip


# --- rows from hand-built summaries


def facts(summary: RepSummary) -> RowFacts:
    return row_facts(summary, last_drilled=date(2026, 3, 1), rating_trend=Trend(3.0, 2.0, "up"),
                     inbox=2, vision_shared=True, vision="in 2 years, x")  # fmt: skip


def test_a_row_reads_every_figure_off_the_summary(library: Library) -> None:
    summary = full_summary()  # tests/test_report.py: a value in every field
    skills = grid_skills(library, [facts(summary)])
    assert [skill.skill for skill in skills] == ["discovery", "objection-handling", "closing"]
    row = team_row(facts(summary), library, skills)
    assert (row.rep, row.name, row.streak) == ("sam", "Sam Patel", 5)
    # objections-core: overdue (4 of 31 mastered); closing: every drill mastered
    assert (row.packs_assigned, row.packs_done, row.packs_overdue) == (2, 1, 1)
    assert row.retention == summary.retention.true_retention
    assert row.weakest == TeamSkill("discovery", "Discovery")  # latest 2.0
    assert row.calibration == WidestGap(
        "objection-handling", "Objection handling", 0.75, "over-confident"
    )
    assert row.honesty == ChecklistHonesty(3, 24, 3 / 24)
    assert row.leeches == 2
    assert row.mastery == (
        SkillMastery("discovery", 1, 12, 1 / 12),
        SkillMastery("objection-handling", 3, 30, 3 / 30),
        SkillMastery("closing", 12, 12, 1.0),
    )
    assert (row.last_drilled, row.rating_trend, row.inbox, row.vision) == (
        date(2026, 3, 1), Trend(3.0, 2.0, "up"), 2, "in 2 years, x",
    )  # fmt: skip
    # a skill another rep has drills of, and this one not: an empty cell
    wider = (*skills, TeamSkill("negotiation", "Negotiation"))
    assert team_row(facts(summary), library, wider).mastery[-1] == SkillMastery(
        "negotiation", 0, 0, None
    )


def test_days_drilled_and_their_trend_come_from_the_calendar(library: Library) -> None:
    summary = full_summary()
    today = summary.habit.calendar[-1][0]
    # drilled: every day of the last 14 but two, 5 of the 14 before, one day 40 days ago
    drilled = {today - timedelta(days=n) for n in range(14) if n not in (3, 9)}
    drilled |= {today - timedelta(days=14 + n) for n in (0, 2, 4, 6, 8)}
    drilled.add(today - timedelta(days=40))
    calendar = tuple((day, 4 if day in drilled else 0) for day, _ in summary.habit.calendar)
    habit: Habit = replace(summary.habit, calendar=calendar)
    row = team_row(facts(replace(summary, habit=habit)), library, ())
    assert row.days_drilled == 17  # the last 30 days hold 12 + 5
    assert row.days_trend == Trend(12, 5, "up")


def standings(*skills: SkillProgress) -> tuple[SkillStanding, ...]:
    return tuple(SkillStanding(s.skill, s.title, s.total, s.mastered, s.latest_mean)
                 for s in skills)  # fmt: skip


def test_the_weakest_skill_ties_on_mastery_then_the_skill_map() -> None:
    summary = full_summary()
    oh, discovery, closing = summary.skills
    same = replace(discovery, latest_mean=oh.latest_mean)  # 3.25 both: 1/12 against 3/30
    assert weakest_skill(standings(oh, same, closing)) == TeamSkill("discovery", "Discovery")
    twin = replace(same, mastered=3, total=30)  # alike in both: the first listed
    assert weakest_skill(standings(oh, twin)) == TeamSkill(
        "objection-handling", "Objection handling"
    )
    unrated = [replace(skill, latest_mean=None) for skill in summary.skills]
    assert weakest_skill(standings(*unrated)) is None


@pytest.mark.parametrize(
    ("recent", "before", "step", "direction"),
    [
        (8, 6, 2, "up"),
        (7, 6, 2, "steady"),
        (4, 6, 2, "down"),
        (3.25, 3.0, 0.25, "up"),
        (2.8, 3.0, 0.25, "steady"),
        (2.75, 3.0, 0.25, "down"),
        (None, 3.0, 0.25, None),
        (3.0, None, 0.25, None),
    ],
)
def test_trend_directions(
    recent: float | None, before: float | None, step: float, direction: str | None
) -> None:
    assert trend(recent, before, step).direction == direction


def test_days_trend_of_a_short_calendar() -> None:
    assert days_trend([1, 0, 2]) == Trend(2, 0, "up")


# --- how long it takes


def test_twenty_five_reps_with_a_few_hundred_ratings_each(team: TeamKit) -> None:
    """Every rep of a larger team gets a row of their own figures (how long it takes is for
    bench/, not a test)."""
    from drillcoach.events import Rating, SelfRating
    from drillcoach.team.workspace import Member, read_team, with_member, write_team

    with team.services("maria") as maria:
        root = membership(maria.config.workspace, "maria").team.root
        roster = read_team(root)
        reps = [f"rep{n:02d}" for n in range(25)]
        for rep in reps:
            roster = with_member(roster, Member(rep, f"Rep {rep}", "rep", "maria"))
        write_team(roster)
        ratings: tuple[Rating, ...] = (1, 2, 3, 4)
        uids = [drill.uid for drill in maria.library.new_order()][:40]
        events = []
        for index, rep in enumerate(reps):
            for n in range(300):
                moment = START - timedelta(days=90) + timedelta(hours=7 * n + index)
                drill = maria.library.drill_of(uids[(n + index) % len(uids)])
                events.append(SelfRating(by=rep, at=moment, drill_uid=drill.uid,
                                         skill=drill.skill, rating=ratings[(n + index) % 4],
                                         duration_ms=30_000, key_points_hit=(0,),
                                         key_points_total=len(drill.key_points)))  # fmt: skip
        maria.store.add_many(events)
        found = summary_of(maria)
        assert summary_of(maria) == found  # the cards replayed once give the same figures
    assert len(found.reps) == 27  # alice, bob and the 25
    assert all(row.last_drilled is not None and row.days_drilled for row in found.reps[2:])


# --- the team report: every format holds the same figures


def full_team() -> TeamSummary:
    """A team summary with a value in every field somewhere: sam's row has no null, new's
    has every null a row can have."""
    sam = TeamRow(
        rep="sam",
        name="Sam Patel",
        last_drilled=date(2026, 3, 1),
        streak=5,
        days_drilled=17,
        days_trend=Trend(9, 4, "up"),
        rating_trend=Trend(2.75, 3.125, "down"),
        packs_assigned=3,
        packs_done=1,
        packs_overdue=2,
        retention=0.8734177215189873,
        retention_reviews=79,
        weakest=TeamSkill("discovery", "Discovery"),
        calibration=WidestGap("closing", "Closing | *fast*", -0.875, "under-confident"),
        honesty=ChecklistHonesty(3, 24, 0.125),
        leeches=2,
        inbox=4,
        vision_shared=True,
        vision="in 2 years, Carry a <mid-market> number · desire 8/10",
        mastery=(SkillMastery("discovery", 1, 12, 1 / 12), SkillMastery("closing", 12, 12, 1.0)),
    )
    new = TeamRow(
        rep="new",
        name="New Rep",
        last_drilled=None,
        streak=0,
        days_drilled=0,
        days_trend=Trend(0, 0, "steady"),
        rating_trend=Trend(None, None, None),
        packs_assigned=0,
        packs_done=0,
        packs_overdue=0,
        retention=None,
        retention_reviews=0,
        weakest=None,
        calibration=None,
        honesty=ChecklistHonesty(0, 0, None),
        leeches=0,
        inbox=0,
        vision_shared=False,
        vision=None,
        mastery=(SkillMastery("discovery", 0, 12, 0.0), SkillMastery("closing", 0, 0, None)),
    )
    return TeamSummary(
        name="West sales",
        manager="maria",
        manager_name="Maria Lopez",
        as_of=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        everyone=False,
        skills=(TeamSkill("discovery", "Discovery"), TeamSkill("closing", "Closing | *fast*")),
        reps=(sam, new),
    )


def test_the_team_json_has_exactly_the_documented_keys_of_the_documented_types() -> None:
    documented = documented_keys(team=True)
    assert len(documented) > 40  # the table was found
    data = json.loads(render_team(full_team(), "json"))
    assert (data["schema"], data["version"]) == (SCHEMA, SUMMARY_VERSION)
    seen = json_paths(data)
    assert {path for path, _ in seen} == set(documented)
    for path, value in seen:
        assert is_type(value, documented[path]), (path, value, documented[path])
    assert data["team"] == team_dict(full_team())["team"]
    sam = data["team"]["reps"][0]
    assert sam["rating_trend"] == {"recent": 2.75, "before": 3.125, "direction": "down"}
    assert sam["calibration"]["gap"] == -0.875
    assert data["team"]["reps"][1]["calibration"] is None


def test_the_team_csv_holds_every_value_of_the_json() -> None:
    summary = full_team()
    rows = list(csv.reader(io.StringIO(render_team(summary, "csv"))))
    assert tuple(rows[0]) == TEAM_CSV_COLUMNS
    got: dict[tuple[str, str, str, str], str] = {}
    for section, rep, skill, field, value in rows[1:]:
        assert (section, rep, skill, field) not in got
        got[section, rep, skill, field] = value
    data = team_dict(summary)
    assert got["report", "", "", "version"] == str(SUMMARY_VERSION)
    assert got["team", "", "", "manager_name"] == "Maria Lopez"
    assert got["skills", "", "closing", "title"] == "Closing | *fast*"
    for row in data["team"]["reps"]:
        for field, value in row.items():
            if field == "mastery":
                for found in value:
                    for part in ("mastered", "total", "share"):
                        assert got["mastery", row["rep"], found["skill"], part] == _csv(found[part])
            elif isinstance(value, dict):
                for part, inner in value.items():
                    assert got["reps", row["rep"], "", f"{field}.{part}"] == _csv(inner)
            elif field != "rep":
                assert got["reps", row["rep"], "", field] == _csv(value)
    assert got["reps", "sam", "", "retention"] == "0.8734177215189873"
    assert got["reps", "new", "", "calibration"] == ""
    # a row for each value of the JSON but the rows' keys (rep and skill ids)
    values = [path for path, value in json_paths(data) if not isinstance(value, dict | list)]
    keys = [path for path in values if path.endswith(("reps[].rep", "[].skill"))]
    assert len(got) == len(values) - len(keys)
    sections = re.search(r"\| `section` \| one of: (.+) \|", DOCS.read_text(encoding="utf-8"))
    assert sections is not None
    assert {key[0] for key in got} == set(re.findall(r"`([a-z]+)` \(", sections[1]))


def _csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_the_team_text_and_markdown_hold_every_rows_figures() -> None:
    summary = full_team()
    text = render_team(summary, "text")
    assert max(len(line) for line in text.splitlines()) <= 80
    flat = " ".join(text.split())
    md = render_team(summary, "md")
    assert md.startswith("## Team West sales: the reps of Maria Lopez (2)\n")
    for row in summary.reps:
        for sentence in row_sentences(row):
            assert " ".join(sentence.split()) in flat, sentence
            assert md_escape(sentence) in md, sentence
    sam_words = row_sentences(summary.reps[0])
    assert sam_words == [
        "Last drilled 1 Mar 2026 · streak 5 days · drilled 17 of the last 30 days",
        "Last 2 weeks: days drilled 9 ↑ (4 before) · mean rating 2.8 ↓ (3.1 before)",
        "True retention 87% · above the checklist 3 of 24 (12%) · 2 leeches",
        "Weakest skill: Discovery · widest gap: Closing | *fast* -0.9, under-confident",
        "Packs: 3 assigned, 1 done, 2 overdue · 4 answers waiting for review",
        "Vision: in 2 years, Carry a <mid-market> number · desire 8/10",
    ]
    assert row_sentences(summary.reps[1]) == [
        "Last drilled never · no streak · drilled 0 of the last 30 days",
        "Last 2 weeks: days drilled 0 → (0 before) · mean rating - (- before)",
        "True retention - · above the checklist none rated · 0 leeches",
        "Weakest skill: - · widest gap: no manager rating yet",
        "Packs: none assigned · 0 answers waiting for review",
        "Vision: not shared",
    ]
    assert "- **Sam Patel** (sam): Last drilled 1 Mar 2026" in md
    assert "  - Vision: in 2 years, Carry a \\<mid-market\\> number" in md
    # the grid, after the rows: in the text, and in a code block in the Markdown
    grid = text[text.index("Mastery by skill") :].splitlines()
    assert grid[1] == "  1 Discovery · 2 Closing | *fast*"
    assert grid[3:] == [
        "                  1    2",
        "Sam Patel        8% 100%",
        "New Rep          0%    -",
    ]
    assert md.count("```") == 2 and "\n".join(grid[1:]) in md


def test_the_grid_wraps_many_skills_into_blocks() -> None:
    summary = full_team()
    skills = tuple(TeamSkill(f"s{n}", f"Skill {n}") for n in range(16))
    reps = tuple(
        replace(row, mastery=tuple(SkillMastery(s.skill, 1, 2, 0.5) for s in skills))
        for row in summary.reps
    )
    lines = grid_table(replace(summary, skills=skills, reps=reps))
    assert max(len(line) for line in lines) <= 80
    headers = [line.split() for line in lines if line.startswith("      ")]
    assert headers == [[str(n) for n in range(1, 14)], ["14", "15", "16"]]


# --- drillcoach report --team


def test_report_team_in_every_format_from_the_one_computation(team: TeamKit) -> None:
    build_history(team)
    with team.services("maria") as maria:
        summary = summary_of(maria)
    for form in ("text", "md", "csv", "json"):
        out = team.cli("maria", "report", "--team", "--format", form).ok().out
        assert out == render_team(summary, form), form
    text = team.cli("maria", "report", "--team").ok().out
    assert text.startswith("Team West sales: the reps of Maria Lopez (2)\n")
    data = json.loads(team.cli("maria", "report", "--team", "--format", "json").ok().out)
    alice = json.loads(team.cli("maria", "report", "--rep", "alice", "--format", "json").ok().out)
    row = data["team"]["reps"][0]
    assert row["streak"] == alice["habit"]["current_streak"] == 8
    assert row["retention"] == alice["retention"]["true_retention"]
    assert row["calibration"]["gap"] == alice["calibration"][0]["gap"]
    target = team.root / "reports" / "team.md"
    wrote = team.cli("maria", "report", "--team", "--format", "md", "--out", str(target)).ok()
    assert wrote.out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == render_team(summary, "md")


def test_a_director_reports_on_everyone_below_her(team: TeamKit) -> None:
    team.drill("alice", 2)
    team.sync("alice")
    team.sync("dana")
    out = team.cli("dana", "report", "--team").ok().out
    assert out.startswith("Team West sales: everyone below Dana Diaz (2)\n")
    assert "Alice Ng (alice)" in out and "Bob Stone (bob)" in out


def test_report_team_is_a_managers_only(team: TeamKit, capsys: pytest.CaptureFixture[str]) -> None:
    refused = team.cli("alice", "report", "--team")
    assert refused.code == 2
    one_line(refused.err, "report --team: only a manager can; you are 'alice', a rep")
    for argv, fragment in (
        (["--team", "--since", "2026-03-01"], "--since: not with --team"),
        (["--team", "--rep", "alice"], "not allowed with argument"),
    ):
        run = team.cli("maria", "report", *argv)
        assert (run.code, run.out) == (2, ""), argv
        one_line(run.err, fragment)
    code, out, err = run_cli(capsys, "report", "--team")  # a fresh home: no workspace
    assert (code, out) == (2, "")
    one_line(err, "not in a team workspace")
