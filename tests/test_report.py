"""``drillcoach report`` and the renderers behind it: every format of one hand-built
summary holds the same figures (the JSON and the CSV parsed back, the text and Markdown
read), the JSON has exactly the keys docs/report.md documents, and the command refuses
bad arguments in one line."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from drillcoach.progress.charts import bar, figure, heat, heat_legend, heatmap, sparkline
from drillcoach.progress.model import (
    SUMMARY_VERSION,
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
from drillcoach.progress.render import CSV_COLUMNS, FORMATS, SCHEMA, render
from helpers import one_line
from helpers import run_cli as run
from teamkit import TeamKit

DOCS = Path(__file__).resolve().parents[1] / "docs" / "report.md"
TODAY = date(2026, 3, 2)  # a Monday
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def full_summary() -> RepSummary:
    """A summary with a value in every field (no None, no empty list but a skill's
    points), with figures that cannot be mistaken for one another."""
    weeks = tuple(
        Week(MONDAY - timedelta(weeks=11 - n), days=n % 8, drills=10 * n + 3, minutes=5 * n + 1)
        for n in range(12)
    )
    calendar = tuple(
        (TODAY - timedelta(days=181 - n), (n * 7) % 13 if n % 5 else 0) for n in range(182)
    )
    skills = (
        SkillProgress(
            "objection-handling", "Objection handling", 8, 30, 3, 0.8734, 2.125, 3.25, 20.0
        ),
        SkillProgress("discovery", "Discovery", 2, 12, 1, 0.41, 1.5, 2.0, -12.5),
        SkillProgress(
            "closing", "Closing the deal with a very long title", 12, 12, 12, 0.95, 3.0, 4.0, 0.0
        ),
    )
    points = tuple(
        CalibrationPoint(MONDAY - timedelta(weeks=3 - n), 3.0 + n * 0.25, 2.25 + n * 0.125)
        for n in range(4)
    )
    calibration = (
        Calibration("objection-handling", 3.375, 2.625, 0.75, "over-confident", points),
        Calibration("discovery", 2.0, 2.875, -0.875, "under-confident", ()),
    )
    packs = (
        PackProgress(
            "objections-core", "Core objections", 31, 9, 4, date(2026, 2, 20), True, False
        ),
        PackProgress("closing", "Closing | *fast*", 13, 13, 13, date(2026, 4, 1), False, True),
    )
    due = tuple((TODAY + timedelta(days=n), (n * 5) % 17) for n in range(1, 15))
    return RepSummary(
        rep="sam",
        name="Sam Patel",
        as_of=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        habit=Habit(5, 17, weeks, calendar, (3, 4)),
        volume=weeks,
        retention=Retention(0.8734177215189873, 142, 0.9),
        skills=skills,
        honesty=(Honesty("objection-handling", 3, 20), Honesty("discovery", 0, 4)),
        calibration=calibration,
        packs=packs,
        ahead=Ahead(due, ("objections-core/price-too-high", "discovery/budget"), 23),
    )


def empty_summary() -> RepSummary:
    """A new rep's: nothing drilled, nothing to compare."""
    weeks = tuple(Week(MONDAY - timedelta(weeks=11 - n), 0, 0, 0) for n in range(12))
    return RepSummary(
        rep="me",
        name="New Rep",
        as_of=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        habit=Habit(
            0, 0, weeks, tuple((TODAY - timedelta(days=181 - n), 0) for n in range(182)), None
        ),
        volume=weeks,
        retention=Retention(None, 0, 0.9),
        skills=(),
        honesty=(),
        calibration=(),
        packs=(),
        ahead=Ahead(tuple((TODAY + timedelta(days=n), 0) for n in range(1, 15)), (), 0),
    )


# --- JSON


def test_json_holds_every_figure_of_the_summary() -> None:
    summary = full_summary()
    data = json.loads(render(summary, "json"))
    assert (data["schema"], data["version"], data["since"]) == (SCHEMA, SUMMARY_VERSION, None)
    assert (data["rep"], data["name"]) == ("sam", "Sam Patel")
    assert datetime.fromisoformat(data["as_of"]) == summary.as_of
    habit = data["habit"]
    assert (habit["current_streak"], habit["longest_streak"]) == (5, 17)
    assert habit["commitments_kept"] == {"kept": 3, "judged": 4}
    assert [_week(item) for item in habit["weeks"]] == list(summary.habit.weeks)
    assert [_week(item) for item in data["volume"]] == list(summary.volume)
    assert [(date.fromisoformat(item["day"]), item["drills"]) for item in habit["calendar"]] == (
        list(summary.habit.calendar)
    )
    assert data["retention"] == {
        "true_retention": 0.8734177215189873,
        "reviews": 142,
        "desired": 0.9,
    }
    assert [SkillProgress(**item) for item in data["skills"]] == list(summary.skills)
    assert [Honesty(**item) for item in data["honesty"]] == list(summary.honesty)
    assert [_calibration(item) for item in data["calibration"]] == list(summary.calibration)
    assert [_pack(item) for item in data["packs"]] == list(summary.packs)
    ahead = data["ahead"]
    assert [(date.fromisoformat(item["day"]), item["drills"]) for item in ahead["due"]] == (
        list(summary.ahead.due)
    )
    assert tuple(ahead["leeches"]) == summary.ahead.leeches
    assert ahead["minutes_per_day"] == 23


def _week(item: dict[str, Any]) -> Week:
    return Week(**{**item, "start": date.fromisoformat(item["start"])})


def _calibration(item: dict[str, Any]) -> Calibration:
    points = tuple(
        CalibrationPoint(date.fromisoformat(p["week"]), p["self_mean"], p["manager_mean"])
        for p in item["points"]
    )
    return Calibration(**{**item, "points": points})


def _pack(item: dict[str, Any]) -> PackProgress:
    due = date.fromisoformat(item["due"]) if item["due"] else None
    return PackProgress(**{**item, "due": due})


TEAM_PART = "## The team report (`--team`)"
DIRECTOR_PART = "## A director's report (`--team`, managers below you)"


def documented_keys(team: bool = False, director: bool = False) -> dict[str, str]:
    """The JSON keys of docs/report.md's table of a rep's report (``team``: of the team
    report, the part after TEAM_PART; ``director``: of a director's, after DIRECTOR_PART):
    path -> type."""
    rep_part, _, team_part = DOCS.read_text(encoding="utf-8").partition(TEAM_PART)
    assert team_part, TEAM_PART
    team_part, _, director_part = team_part.partition(DIRECTOR_PART)
    assert director_part, DIRECTOR_PART
    part = director_part if director else team_part if team else rep_part
    found = {}
    for line in part.splitlines():
        match = re.fullmatch(r"\| `([a-z_.\[\]]+)` \| ([a-z ]+) \| .+ \|", line)
        if match:
            found[match[1]] = match[2]
    return found


def json_paths(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, value) of every key and array item, arrays written ``[]``."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            inner_path = f"{path}.{key}" if path else key
            found.append((inner_path, inner))
            found += json_paths(inner, inner_path)
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict | list):
                found.append((f"{path}[]", item))
            found += json_paths(item, f"{path}[]")
    return found


def is_type(value: Any, documented: str) -> bool:
    kind, _, null = documented.partition(" or ")
    if value is None:
        return null == "null"
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "date": lambda v: isinstance(v, str) and date.fromisoformat(v).isoformat() == v,
        "datetime": lambda v: isinstance(v, str) and datetime.fromisoformat(v).tzinfo is not None,
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    return bool(checks[kind](value))


@pytest.mark.parametrize("since", [None, date(2026, 2, 20)])
def test_the_json_has_exactly_the_documented_keys_of_the_documented_types(
    since: date | None,
) -> None:
    documented = documented_keys()
    assert len(documented) > 60  # the table was found
    data = json.loads(render(full_summary(), "json", since))
    seen = json_paths(data)
    assert {path for path, _ in seen} == set(documented)
    for path, value in seen:
        assert is_type(value, documented[path]), (path, value, documented[path])


def test_an_empty_summary_keeps_to_the_documented_types() -> None:
    documented = documented_keys()
    data = json.loads(render(empty_summary(), "json"))
    for path, value in json_paths(data):
        assert path in documented, path
        assert is_type(value, documented[path]), (path, value, documented[path])
    assert data["habit"]["commitments_kept"] is None
    assert data["retention"]["true_retention"] is None


# --- CSV


def csv_figures(text: str) -> dict[tuple[str, str, str, str], list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    figures: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for section, key, day, field, value in rows[1:]:
        figures[section, key, day, field].append(value)
    return figures


def test_csv_holds_every_figure_of_the_summary() -> None:
    summary = full_summary()
    got = csv_figures(render(summary, "csv"))

    def one(section: str, field: str, key: str = "", day: date | None = None) -> str:
        values = got[section, key, day.isoformat() if day else "", field]
        assert len(values) == 1, (section, key, day, field, values)
        return values[0]

    assert one("report", "schema") == SCHEMA
    assert one("report", "version") == str(SUMMARY_VERSION)
    assert one("report", "since") == ""
    assert (one("report", "rep"), one("report", "name")) == ("sam", "Sam Patel")
    assert datetime.fromisoformat(one("report", "as_of")) == summary.as_of
    assert int(one("habit", "current_streak")) == 5
    assert int(one("habit", "longest_streak")) == 17
    assert (one("habit", "commitments_kept.kept"), one("habit", "commitments_kept.judged")) == (
        "3",
        "4",
    )
    for section, weeks in (("habit.weeks", summary.habit.weeks), ("volume", summary.volume)):
        for week in weeks:
            assert int(one(section, "days", day=week.start)) == week.days
            assert int(one(section, "drills", day=week.start)) == week.drills
            assert int(one(section, "minutes", day=week.start)) == week.minutes
    for day, drills in summary.habit.calendar:
        assert int(one("habit.calendar", "drills", day=day)) == drills
    assert float(one("retention", "true_retention")) == summary.retention.true_retention
    assert int(one("retention", "reviews")) == 142
    assert float(one("retention", "desired")) == 0.9
    for skill in summary.skills:
        assert one("skills", "title", skill.skill) == skill.title
        for field in ("started", "total", "mastered"):
            assert int(one("skills", field, skill.skill)) == getattr(skill, field)
        for field in ("recall", "first_mean", "latest_mean", "change"):
            assert float(one("skills", field, skill.skill)) == getattr(skill, field)
    for honesty in summary.honesty:
        assert int(one("honesty", "above", honesty.skill)) == honesty.above
        assert int(one("honesty", "rated", honesty.skill)) == honesty.rated
    for item in summary.calibration:
        for field in ("self_mean", "manager_mean", "gap"):
            assert float(one("calibration", field, item.skill)) == getattr(item, field)
        assert one("calibration", "label", item.skill) == item.label
        for point in item.points:
            for field in ("self_mean", "manager_mean"):
                value = one("calibration.points", field, item.skill, point.week)
                assert float(value) == getattr(point, field)
    for pack in summary.packs:
        assert one("packs", "title", pack.pack) == pack.title
        for field in ("total", "started", "mastered"):
            assert int(one("packs", field, pack.pack)) == getattr(pack, field)
        assert one("packs", "due", pack.pack) == (pack.due.isoformat() if pack.due else "")
        assert one("packs", "overdue", pack.pack) == str(pack.overdue).lower()
        assert one("packs", "ready", pack.pack) == str(pack.ready).lower()
    for day, drills in summary.ahead.due:
        assert int(one("ahead.due", "drills", day=day)) == drills
    assert tuple(got["ahead", "", "", "leeches"]) == summary.ahead.leeches
    assert int(one("ahead", "minutes_per_day")) == 23
    # and nothing else: a row for each value of the JSON but the rows' keys and dates
    paths = json_paths(json.loads(render(summary, "json")))
    values = [path for path, value in paths if not isinstance(value, dict | list)]
    keys = [
        path
        for path in values
        if path.endswith(("[].skill", "[].pack", "[].start", "[].day", "[].week"))
    ]
    assert sum(len(found) for found in got.values()) == len(values) - len(keys)


def test_csv_sections_are_the_documented_ones() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    listed = re.search(r"\| `section` \| where the figure is: (.+) \|", documented)
    assert listed is not None
    sections = set(re.findall(r"`([a-z.]+)`", listed[1]))
    got = csv_figures(render(full_summary(), "csv"))
    assert {section for section, *_ in got} == sections


def test_csv_keeps_a_title_from_running_as_a_formula() -> None:
    summary = full_summary()
    pack = replace(summary.packs[0], title='=HYPERLINK("http://x")')
    got = csv_figures(render(replace(summary, packs=(pack,)), "csv"))
    assert got["packs", pack.pack, "", "title"] == ['\'=HYPERLINK("http://x")']
    assert got["skills", "discovery", "", "change"] == ["-12.5"]  # numbers stay numbers


# --- text and Markdown


def words_of(summary: RepSummary) -> list[str]:
    """Figures as the text and the Markdown both write them (``figure``)."""
    words = [
        summary.name,
        figure(summary.habit.current_streak),
        figure(summary.habit.longest_streak),
        figure(summary.retention.true_retention, "share"),
        figure(summary.retention.reviews),
        figure(summary.retention.desired, "share"),
        figure(summary.ahead.minutes_per_day),
        *summary.ahead.leeches,
    ]
    for skill in summary.skills:
        words += [
            f"{figure(skill.started)}/{figure(skill.total)} started · "
            f"{figure(skill.mastered)} mastered",
            f"recall {figure(skill.recall, 'share')}",
            f"rating {figure(skill.first_mean, 'mean')} → {figure(skill.latest_mean, 'mean')}",
            f"{figure(skill.change, 'change')} over 4 weeks",
        ]
    titles = {skill.skill: skill.title for skill in summary.skills}
    words += [
        f"{figure(item.above)} of {figure(item.rated)}"
        if item.above
        else f"{titles[item.skill]} (of {figure(item.rated)})"
        for item in summary.honesty
    ]
    for item in summary.calibration:
        words.append(
            f"self {figure(item.self_mean, 'mean')} · manager "
            f"{figure(item.manager_mean, 'mean')} · gap {figure(item.gap, 'gap')} · {item.label}"
        )
    for pack in summary.packs:
        words += [f"{figure(pack.started)}/{figure(pack.total)}", figure(pack.mastered)]
        if pack.due:
            words.append(f"due {pack.due.day} {pack.due:%b %Y}")
    return words


def test_text_holds_every_figure_in_80_columns() -> None:
    summary = full_summary()
    text = render(summary, "text")
    for word in words_of(summary):
        assert word in text, word
    assert "Streak 5 days · longest 17 days · commitments: 3 of 4 kept" in text
    assert "Core objections" in text and "due 20 Feb 2026, overdue" in text
    assert "ready" in text.split("Closing | *fast*")[1].splitlines()[1]
    for week in summary.volume:
        row = f"  {week.start.day} {week.start:%b %Y}"
        line = next(line for line in text.splitlines() if line.startswith(row + " "))
        assert line.split()[3:] == [str(week.days), str(week.drills), str(week.minutes)]
    due = next(line for line in text.splitlines() if line.startswith("  Due "))
    assert due.split()[1:] == [str(n) for _, n in summary.ahead.due]
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Days drilled a week  ▁▂▃▄▅▆▇█▁▂▃▄  " in text  # days 0..7, 0..3


def test_markdown_holds_every_figure_in_small_tables() -> None:
    summary = full_summary()
    md = render(summary, "md")
    for word in words_of(summary):
        assert word.replace("|", "\\|").replace("*", "\\*") in md, word
    for week in summary.volume:
        assert (
            f"| {week.start.day} {week.start:%b %Y} | {week.days} | {week.drills} | "
            f"{week.minutes} |" in md
        )
    assert "| Closing \\| \\*fast\\* | 13/13 | 13 | due 1 Apr 2026 · ready |" in md
    tables = [line for line in md.splitlines() if line.startswith("|")]
    assert tables and all(line.count(" | ") <= 3 for line in tables)
    assert md.startswith("## Progress of Sam Patel (sam)\n")
    assert md.count("```") == 2  # the calendar, in one code block


def test_an_empty_summary_says_so_in_every_format() -> None:
    summary = empty_summary()
    text = render(summary, "text")
    assert "No reviews of learnt drills in the last 30 days · desired 90%" in text
    assert "commitments: no commitment judged yet" in text
    assert "No manager ratings to compare yet." in text
    assert "Leeches (lapsed 8 times: a coaching topic): none" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    md = render(summary, "md")
    assert "- None yet." in md
    rows = list(csv.reader(io.StringIO(render(summary, "csv"))))
    assert ["retention", "", "", "true_retention", ""] in rows
    assert not [row for row in rows if row[0] in {"skills", "packs", "calibration"}]


# --- --since


def test_since_keeps_the_weeks_and_days_that_reach_it_in_every_format() -> None:
    summary = full_summary()
    since = date(2026, 2, 18)  # a Wednesday: its week (from 16 Feb) is shown whole
    data = json.loads(render(summary, "json", since))
    assert data["since"] == "2026-02-18"
    assert [item["start"] for item in data["habit"]["weeks"]] == [
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
    ]
    assert data["volume"] == data["habit"]["weeks"]
    assert data["habit"]["calendar"][0]["day"] == "2026-02-18"
    assert len(data["habit"]["calendar"]) == 13
    assert [p["week"] for p in data["calibration"][0]["points"]] == [
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
    ]
    assert data["habit"]["current_streak"] == 5  # the rest stands
    assert len(data["skills"]) == 3
    got = csv_figures(render(summary, "csv", since))
    assert got["report", "", "", "since"] == ["2026-02-18"]
    assert {day for section, _, day, _ in got if section == "habit.weeks"} == {
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
    }
    text = render(summary, "text", since)
    assert "Weeks and calendar from 18 Feb 2026" in text
    assert "9 Feb 2026" not in text and "16 Feb 2026" in text
    assert "weeks and calendar from 18 Feb 2026" in render(summary, "md", since)


# --- the charts


def test_figure_writes_each_kind_of_number_one_way() -> None:
    assert [
        figure(12),
        figure(0.8734, "share"),
        figure(2.125, "mean"),
        figure(0.75, "gap"),
        figure(-0.875, "gap"),
        figure(20.0, "change"),
        figure(None, "share"),
    ] == ["12", "87%", "2.1", "+0.8", "-0.9", "+20%", "-"]


def test_sparkline_bar_and_heat() -> None:
    assert sparkline(range(8), top=7) == "▁▂▃▄▅▆▇█"
    assert sparkline([1, 4, 2.5, 9], top=4, bottom=1) == "▁█▅█"
    assert bar(0, 0, 10, width=10) == "░" * 10
    assert bar(3, 5, 10, width=10) == "███▒▒░░░░░"
    assert bar(1, 1, 100, width=10) == "█░░░░░░░░░"  # any shows
    assert bar(99, 99, 100, width=10) == "█████████░"  # all only for all
    assert bar(0, 0, 0, width=4) == "····"
    assert [heat(n, 12) for n in (0, 1, 3, 4, 6, 7, 9, 10, 12)] == list("·░░▒▒▓▓██")
    assert heat_legend(12) == "· 0  ░ 1-3  ▒ 4-6  ▓ 7-9  █ 10-12"
    assert heat_legend(2) == "· 0  ▒ 1  █ 2"


def test_heatmap_puts_each_day_under_its_weekday() -> None:
    # Wednesday 28 Jan to Monday 2 Mar 2026: a busy Wednesday first, a quiet Monday last
    first = date(2026, 1, 28)
    calendar = [(first + timedelta(days=n), 0) for n in range(34)]
    calendar[0] = (first, 8)
    calendar[-1] = (calendar[-1][0], 2)
    lines = heatmap(calendar)
    assert len(lines) == 9
    assert lines[0].split() == ["Feb", "Mar"]  # Jan's one column is too narrow for it
    rows = {line[:3]: line[5:] for line in lines[1:8]}
    assert rows["Mon"] == "  · · · · ░"  # 26 Jan not shown; 2 Mar the last column
    assert rows["Wed"] == "█ · · · ·"
    assert rows["Tue"] == "  · · · ·"
    assert lines[8].endswith("drills a day")
    assert heatmap([]) == []


# --- the command


def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for argv, fragments in (
        (["--since", "last week"], ["--since 'last week'", "2026-01-05"]),
        (["--since", "2026-02-30"], ["--since '2026-02-30'"]),
        (["--format", "pdf"], ["invalid choice: 'pdf'"]),
        (["--out", str(tmp_path)], [f"--out {tmp_path}", "is a folder"]),
        (["--rep", "alice"], ["not in a team workspace"]),
        (["--bogus"], ["unrecognized arguments: --bogus"]),
    ):
        code, out, err = run(capsys, "report", *argv)
        assert (code, out) == (2, ""), argv
        one_line(err, *fragments)


def test_since_after_today_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    later = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    code, out, err = run(capsys, "report", "--since", later)
    assert (code, out) == (2, "")
    one_line(err, f"--since {later}: expected a day on or before today")


def test_only_a_manager_reports_on_a_rep_below_them(team: TeamKit) -> None:
    refused = team.cli("alice", "report", "--rep", "bob")
    assert refused.code == 2
    one_line(refused.err, "report --rep: only a manager can; you are 'alice', a rep")
    above = team.cli("maria", "report", "--rep", "dana")
    assert above.code == 2
    one_line(above.err, "'dana' is not one of your reps")
    stranger = team.cli("maria", "report", "--rep", "zed")
    assert stranger.code == 2
    one_line(stranger.err, "no member 'zed'")


def test_report_on_a_fresh_home(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for form in FORMATS:
        code, out, err = run(capsys, "report", "--format", form)
        assert (code, err) == (0, ""), (form, err)
        assert out.endswith("\n")
    code, out, err = run(capsys, "report")
    assert out.startswith("Progress of ")
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, err = run(capsys, "report", "--format", "json")
    data = json.loads(out)
    documented = documented_keys()
    for path, value in json_paths(data):
        assert path in documented and is_type(value, documented[path]), (path, value)
    assert data["habit"]["current_streak"] == 0
    target = tmp_path / "reports" / "me.csv"
    code, out, err = run(capsys, "report", "--format", "csv", "--out", str(target))
    assert (code, out, err) == (0, f"wrote {target}\n", "")
    assert target.read_text(encoding="utf-8").startswith(",".join(CSV_COLUMNS) + "\n")


def test_a_manager_reports_on_a_rep_from_synced_events(team: TeamKit) -> None:
    team.drill("alice", 3)
    team.sync("alice")
    team.sync("maria")
    mine = json.loads(team.cli("alice", "report", "--format", "json").ok().out)
    theirs = json.loads(team.cli("maria", "report", "--rep", "alice", "--format", "json").ok().out)
    assert (theirs["rep"], theirs["name"]) == ("alice", "Alice Ng")
    assert theirs["habit"]["calendar"][-1]["drills"] == 3
    assert theirs["habit"] == mine["habit"]
    text = team.cli("maria", "report", "--rep", "alice").ok().out
    assert text.startswith("Progress of Alice Ng (alice)")
