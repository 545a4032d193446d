"""``--json`` on every listing command: for each, a real home (or a real team), the JSON
read back, its values checked and held against the figures the text shows; nothing else
on stdout, UTF-8 unescaped, keys sorted, moments in UTC with their offset; an empty list
is ``[]``; and a real process piping it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import drillcoach.services as services_module
from drillcoach.coaching.agreement import make_agreement
from drillcoach.coaching.dna import load_dna
from drillcoach.coaching.vision import make_vision
from drillcoach.content import Library
from drillcoach.events import DnaCheck, short_id
from drillcoach.scheduling.recording import Attempt
from drillcoach.store.backup import daily_backup
from helpers import START, FakeClock, one_line, run_cli, write_config
from teamkit import TeamKit, build_team, fixed_clock

DUE = "2026-03-20"


def json_of(out: str) -> Any:
    """What a --json command printed: JSON and nothing else, in the one layout (indent 2,
    keys sorted, not escaped to ASCII, a newline at the end)."""
    value = json.loads(out)
    assert out == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return value


def listed(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run_cli(capsys, *argv, "--json")
    assert (code, err) == (0, ""), err
    return json_of(out)


def text_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run_cli(capsys, *argv)
    assert (code, err) == (0, ""), err
    return out


def moment(text: str) -> datetime:
    """A moment as --json writes it: ISO 8601, in UTC, with its offset."""
    assert text.endswith("+00:00"), text
    return datetime.fromisoformat(text)


@pytest.fixture
def home(drillcoach_home: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sam's home, on the test's clock, in UTC, with no editor set."""
    write_config(drillcoach_home)
    fixed_clock(clock, monkeypatch)
    for name in ("VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    return drillcoach_home


def rate_first(home: Path, clock: FakeClock, count: int) -> list[str]:
    """Sam answers the first ``count`` drills of the queue, rated Good; their uids."""
    opened = services_module.open_services(home)
    try:
        items = opened.scheduler.queue().items[:count]
        for item in items:
            opened.scheduler.record_self(item.drill, 3, Attempt(duration_ms=30_000))
            clock.advance(minutes=2)
        return [item.drill.uid for item in items]
    finally:
        opened.close()


# --- today


def test_today_lists_every_drill_with_the_headline_figures(
    capsys: pytest.CaptureFixture[str], home: Path, clock: FakeClock
) -> None:
    [rated] = rate_first(home, clock, 1)
    clock.advance(days=3)
    today = listed(capsys, "today")
    text = text_of(capsys, "today")
    headline = f"Today: {today['due']} due · {today['new']} new · about {today['minutes']} minute"
    assert headline in text
    assert (today["due"], today["new"], today["name"]) == (1, 5, "Sam Patel")
    assert moment(today["now"]) == clock()
    assert [line[2:] for line in text.splitlines()[1 : 1 + len(today["lines"])]] == today["lines"]
    assert len(today["drills"]) == today["due"] + today["new"]
    first = today["drills"][0]
    assert (first["uid"], first["tag"]) == (rated, "due")
    assert moment(first["due"]) <= clock()
    assert {drill["tag"] for drill in today["drills"][1:]} == {"new"}
    for number, drill in enumerate(today["drills"], 1):
        assert drill["uid"].startswith(f"{drill['pack']}/")
        assert (f"{number:>2}. {drill['tag']:<5} {drill['kind']:<10} {drill['title']}  "
                f"[{drill['pack_title']}]") in text  # fmt: skip
    assert today["habit"] == {"days_this_week": 1, "practised_today": False, "streak": 0}


def test_today_with_nothing_due_is_an_empty_list_of_drills(
    capsys: pytest.CaptureFixture[str], home: Path, clock: FakeClock
) -> None:
    write_config(home, new_per_day=0)
    today = listed(capsys, "today")
    assert (today["drills"], today["due"], today["new"]) == ([], 0, 0)
    assert "Nothing due today." in today["lines"]
    assert today["due_tomorrow"] == 0


# --- config


def test_config_shows_the_paths_and_every_setting(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    assert run_cli(capsys, "config", "set", "new_per_day", "7")[0] == 0
    shown = listed(capsys, "config")
    assert shown["paths"] == {
        "backups_dir": str(home / "backups"),
        "config_file": str(home / "config.toml"),
        "database": str(home / "drillcoach.db"),
        "packs_dir": str(home / "packs"),
    }
    settings = shown["settings"]
    assert (settings["new_per_day"], settings["name"], settings["fuzz"]) == (7, "Sam Patel", False)
    assert settings.keys() == shown["meanings"].keys()
    text = text_of(capsys, "config")
    assert f"database:     {home / 'drillcoach.db'}" in text
    for key in settings:
        assert any(line.startswith(f"{key} ") and shown["meanings"][key] in line
                   for line in text.splitlines()), key  # fmt: skip
    assert re.search(r"^new_per_day += 7 ", text, re.MULTILINE)


def test_json_where_nothing_is_listed_is_refused_before_anything_changes(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    before = (home / "config.toml").read_text(encoding="utf-8")
    code, out, err = run_cli(capsys, "config", "--json", "set", "new_per_day", "9")
    assert (code, out) == (2, "")
    one_line(err, "--json: only for 'config'")
    assert (home / "config.toml").read_text(encoding="utf-8") == before
    code, out, err = run_cli(capsys, "commitments", "--json", "add", "--kind", "drill-days",
                             "--number", "3", "--why", "my kids")  # fmt: skip
    assert (code, out) == (2, "")
    one_line(err, "--json: only for 'commitments'")
    assert listed(capsys, "commitments") == []


# --- restore


def test_restore_lists_the_backups(
    capsys: pytest.CaptureFixture[str], home: Path, clock: FakeClock
) -> None:
    assert listed(capsys, "restore") == []
    rate_first(home, clock, 1)
    made = daily_backup(home / "drillcoach.db", home / "backups", 7, clock())
    assert made is not None
    [backup] = listed(capsys, "restore")
    assert (backup["backup"], backup["path"]) == (made.name, str(made))
    assert (backup["ratings"], backup["ok"], backup["problems"]) == (1, True, [])
    assert backup["size"] == made.stat().st_size
    assert moment(backup["made"]).timestamp() == pytest.approx(made.stat().st_mtime, abs=1)
    row = next(line for line in text_of(capsys, "restore").splitlines() if made.name in line)
    assert row.split()[-2:] == ["1", "ok"]
    code, out, err = run_cli(capsys, "restore", made.name, "--json")
    assert (code, out) == (2, "")
    one_line(err, "--json: only for 'restore'")


# --- commitments


def test_commitments_say_how_each_is_going(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    assert listed(capsys, "commitments") == []
    for argv in (["--kind", "drill-days", "--number", "4"],
                 ["--kind", "own", "--due", "2026-03-06", "Book", "a", "ride-along"]):  # fmt: skip
        assert run_cli(capsys, "commitments", "add", "--why", "Lead the team", *argv)[0] == 0
    found = listed(capsys, "commitments")
    text = text_of(capsys, "commitments")
    assert len(found) == 2
    by_kind = {status["commitment"]["kind"]: status for status in found}
    own = by_kind["own"]
    assert own["commitment"]["text"] == "Book a ride-along"
    assert own["commitment"]["due"] == "2026-03-06"
    assert by_kind["drill-days"]["commitment"]["number"] == 4
    assert by_kind["drill-days"]["count"] == [0, 4]
    for status in found:
        assert status["state"] == "on-track"
        assert f"{short_id(status['commitment']['id'])}  on track  " in text
        assert status["progress"] in text
        assert status["commitment"]["motivation"] == "Lead the team"
    own_id = own["commitment"]["id"]
    assert run_cli(capsys, "commitments", "drop", own_id[:6])[0] == 0
    dropped = [s for s in listed(capsys, "commitments", "--all") if s["state"] == "dropped"]
    assert [s["commitment"]["id"] for s in dropped] == [own_id]
    assert dropped[0]["ended"] == "2026-03-02"


# --- debriefs


def test_debrief_list_gives_each_debrief_unescaped(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    assert listed(capsys, "debrief", "list") == []
    code, _, err = run_cli(
        capsys, "debrief", "new", "--account", "Müller & Söhne — Zürich", "--date", "yesterday",
        "--type", "demo", "--outcome", "advanced", "--objection", "Too expensive",
        "--objection", "We use a spreadsheet", "--skill", "discovery=3",
    )  # fmt: skip
    assert (code, err) == (0, "")
    code, out, err = run_cli(capsys, "debrief", "list", "--json")
    assert "Müller & Söhne — Zürich" in out  # UTF-8 as it is, not \u escapes
    [debrief] = json_of(out)
    assert (debrief["account"], debrief["call_date"]) == ("Müller & Söhne — Zürich", "2026-03-01")
    assert (debrief["call_type"], debrief["outcome"]) == ("demo", "advanced")
    assert debrief["objections"] == ["Too expensive", "We use a spreadsheet"]
    assert (debrief["skills"], debrief["reviewed"], debrief["by"]) == (
        {"discovery": 3},
        False,
        "sam",
    )
    assert moment(debrief["at"]) == START
    row = text_of(capsys, "debrief", "list").splitlines()[1].split()
    assert row[:2] == [short_id(debrief["id"]), debrief["call_date"]]
    assert row[-1] == str(len(debrief["objections"]))


# --- vision, agreement, sales DNA


WHOLE_VISION = {
    "in_2_years": "Run the mid-market team",
    "in_5_years": "VP of sales for EMEA",
    "why": "My kids",
    "desire": 8,
    "willingness": 7,
}


def test_vision_history_gives_every_version_with_its_changes(
    capsys: pytest.CaptureFixture[str], home: Path, open_store: Any
) -> None:
    assert listed(capsys, "vision", "history") == []
    store = open_store()
    store.add(make_vision("sam", START - timedelta(days=30), WHOLE_VISION))
    store.add(make_vision("sam", START, {**WHOLE_VISION, "desire": 9, "why": ""}))
    second, first = listed(capsys, "vision", "history")
    assert (second["version"], first["version"]) == (2, 1)
    assert (second["desire"], first["desire"], second["in_5_years"]) == (
        9,
        8,
        "VP of sales for EMEA",
    )
    assert moment(second["at"]) == START
    assert first["changes"] == []
    text = text_of(capsys, "vision", "history").splitlines()
    assert text[0] == "Version 2 · 2 Mar 2026"
    assert [f"  {line}" for line in second["changes"]] == text[1 : 1 + len(second["changes"])]
    assert "  Desire: 8 -> 9" in text and "  Why it matters: taken out" in text


def test_agreement_history_gives_every_version_with_its_changes(
    capsys: pytest.CaptureFixture[str], home: Path, open_store: Any, library: Library
) -> None:
    assert listed(capsys, "agreement", "history") == []
    vision = make_vision("sam", START, WHOLE_VISION)
    store = open_store()
    for at, areas in (
        (START, {"closing": {"ways": ["weekly"], "vision": "2"}}),
        (START + timedelta(days=1), {"closing": {"ways": ["weekly"], "vision": "2"},
                                     "discovery": {"ways": ["joint-calls"], "vision": "5"}}),
    ):  # fmt: skip
        store.add(make_agreement("sam", at, areas, skills=library.skills, vision=vision))
    second, first = listed(capsys, "agreement", "history")
    assert (second["version"], first["version"]) == (2, 1)
    assert [area["skill"] for area in second["areas"]] == ["closing", "discovery"]
    assert second["areas"][1] == {"skill": "discovery", "ways": ["joint-calls"],
                                  "vision": "VP of sales for EMEA"}  # fmt: skip
    assert first["changes"] == []
    text = text_of(capsys, "agreement", "history").splitlines()
    assert [f"  {line}" for line in second["changes"]] == text[1 : 1 + len(second["changes"])]
    assert second["changes"] == ["Added Discovery: on joint calls, serves 'VP of sales for EMEA'"]


def test_dna_history_gives_every_take_scored(
    capsys: pytest.CaptureFixture[str],
    home: Path,
    clock: FakeClock,
    open_store: Any,
    library: Library,
) -> None:
    assert listed(capsys, "dna", "history")["takes"] == []
    dna = load_dna(library=library)
    lowest = {s.id: (1 if s.agreeing == "strength" else 5) for s in dna.statements}
    highest = {s.id: 6 - answer for s, answer in zip(dna.statements, lowest.values(), strict=True)}
    for answers in (lowest, highest):
        given = ",".join(f"{key}={value}" for key, value in answers.items())
        assert run_cli(capsys, "dna", "take", "--answers", given)[0] == 0
        clock.advance(days=7)
    history = listed(capsys, "dna", "history")
    first, latest = history["takes"]
    checks = open_store().coaching("sam", DnaCheck)
    assert [first["id"], latest["id"]] == [check.id for check in checks]
    assert first["answers"] == lowest
    assert {item["strength"] for item in first["scores"]} == {1.0}
    assert {item["strength"] for item in latest["scores"]} == {5.0}
    assert all(item["weak"] for item in first["scores"]) and latest["work_on"] == []
    assert len(first["work_on"]) >= 1
    assert history["weak_below"] == dna.weak_below
    text = text_of(capsys, "dna", "history").splitlines()
    for item in first["scores"]:
        row = next(line for line in text if line.startswith(item["title"]))
        assert row.split()[-2:] == ["1.0*", "5.0"]


# --- a team: assignments, the team, the inbox, a rep's Today


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamKit]:
    """Maria assigns Closing to Alice, who drills one and sends it for review; both sync.
    The tests read, they change nothing."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        kit = build_team(tmp_path_factory.mktemp("team"), monkeypatch, FakeClock())
        kit.cli("maria", "assign", "closing", "--to", "alice", "--due", DUE, "--note",
                "Before the Q2 push").ok()  # fmt: skip
        kit.sync("maria")
        kit.sync("alice")
        kit.drill("alice", 1, ask_review=True)
        kit.sync("alice")
        kit.sync("maria")
        kit.sync("dana")
        yield kit


def team_json(kit: TeamKit, who: str, *argv: str) -> Any:
    run = kit.cli(who, *argv, "--json").ok()
    assert run.err == ""
    return json_of(run.out)


def test_assign_list_as_the_manager_and_as_the_rep(team: TeamKit) -> None:
    [made] = team_json(team, "maria", "assign", "list")
    assert (made["pack"], made["members"], made["due"], made["by"]) == ("closing", ["alice"], DUE,
                                                                         "maria")  # fmt: skip
    assert made["note"] == "Before the Q2 push"
    text = team.cli("maria", "assign", "list").ok().out
    assert text.splitlines()[1].split()[:4] == [made["id"], "closing", "alice", DUE]
    assert team_json(team, "alice", "assign", "list") == [made]
    assert team_json(team, "bob", "assign", "list") == []
    refused = team.cli("maria", "assign", "closing", "--to", "bob", "--due", DUE, "--json")
    assert (refused.code, refused.out) == (2, "")
    one_line(refused.err, "--json: only for 'assign list'")
    assert team_json(team, "maria", "assign", "list") == [made]


def test_team_show_lists_the_members_and_what_they_share(team: TeamKit) -> None:
    shown = team_json(team, "maria", "team", "show")
    assert (shown["team"], shown["me"], shown["below"]) == ("West sales", "maria", 2)
    assert shown["workspace"] == str(team["maria"].ws)
    assert moment(shown["last_sync"]) <= team.clock()
    assert shown["members"] == [
        {"id": "maria", "name": "Maria Lopez", "role": "manager", "manager": "dana",
         "shares_answers": False},
        {"id": "alice", "name": "Alice Ng", "role": "rep", "manager": "maria",
         "shares_answers": False},
        {"id": "bob", "name": "Bob Stone", "role": "rep", "manager": "maria",
         "shares_answers": False},
    ]  # fmt: skip
    text = team.cli("maria", "team", "show").ok().out
    for member in shown["members"]:
        assert f"{member['id']}  " in text and member["name"] in text
    dana = team_json(team, "dana", "team", "show")
    assert [m["id"] for m in dana["members"]] == ["dana", "maria"]
    assert dana["below"] == 3
    assert "3 below you in all" in team.cli("dana", "team", "show").ok().out
    everyone = team_json(team, "dana", "team", "show", "--all")
    assert [m["id"] for m in everyone["members"]] == ["dana", "maria", "alice", "bob"]


def test_inbox_lists_the_answers_waiting_and_is_empty_for_a_rep(team: TeamKit) -> None:
    [request] = team_json(team, "maria", "inbox")
    assert (request["rep"], request["rep_name"], request["manager"]) == ("alice", "Alice Ng",
                                                                         "maria")  # fmt: skip
    assert request["answer"] == "I hear you on price. What are you comparing us to?"
    assert request["key_points_hit"] == [0] and request["key_points"]
    text = team.cli("maria", "inbox").ok().out
    assert text.startswith("1 answer waiting for your review")
    assert f"{request['title']}  (request {short_id(request['id'])})" in text
    points, hit = request["key_points"], request["key_points_hit"]
    assert f"Key points: {len(hit)} of {len(points)} ticked" in text
    for index, point in enumerate(points):
        assert f"[{'x' if index in hit else ' '}] {point}" in text
    assert team_json(team, "bob", "inbox") == []
    assert team_json(team, "dana", "inbox") == []
    assert [r["id"] for r in team_json(team, "dana", "inbox", "--all")] == [request["id"]]


def test_a_reps_today_carries_the_team_lines(team: TeamKit) -> None:
    today = team_json(team, "alice", "today")
    text = team.cli("alice", "today").ok().out
    assigned = [line for line in today["lines"] if line.startswith("Assigned by Maria Lopez")]
    assert assigned and all(line in text for line in assigned)
    assert today["lines"][-1] == text.rstrip().splitlines()[-1]
    assert today["lines"][-1].startswith("Shared with Maria Lopez")


# --- a real process, piped


def test_json_piped_from_a_process_is_only_json_even_in_an_ascii_locale(
    home: Path, clock: FakeClock
) -> None:
    write_config(home, name='"Zoë Ångström"')
    env = {**os.environ, "DRILLCOACH_HOME": str(home), "PYTHONIOENCODING": "ascii",
           "FORCE_COLOR": "1", "TERM": "xterm-256color"}  # fmt: skip
    for argv in (["today"], ["config"], ["commitments"], ["restore"]):
        done = subprocess.run(
            [sys.executable, "-m", "drillcoach", *argv, "--json"],
            capture_output=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (0, b""), done.stderr
        out = done.stdout.decode("utf-8")
        assert "\x1b" not in out
        value = json_of(out)
        if argv == ["config"]:
            assert value["settings"]["name"] == "Zoë Ångström"
            assert "Zoë Ångström" in out
        if argv == ["today"]:
            assert value["name"] == "Zoë Ångström" and value["new"] == len(value["drills"])


# --- packs list, packs show


def test_packs_list_and_show(
    capsys: pytest.CaptureFixture[str], home: Path, clock: FakeClock
) -> None:
    [rated] = rate_first(home, clock, 1)
    pack_id = rated.split("/")[0]
    packs = listed(capsys, "packs", "list")
    rows = [line.split() for line in text_of(capsys, "packs", "list").splitlines()[1:]]
    assert [pack["pack"] for pack in packs] == [row[0] for row in rows]
    assert [str(pack["drills"]) for pack in packs] == [row[-3] for row in rows]
    assert [("yes" if pack["in_queue"] else "no") for pack in packs] == [row[-1] for row in rows]
    shown = listed(capsys, "packs", "show", pack_id)
    assert shown["pack"] == pack_id
    text = text_of(capsys, "packs", "show", pack_id)
    drills = {drill["uid"]: drill for drill in shown["drills"]}
    assert drills[rated]["new"] is False
    due = moment(drills[rated]["due"])
    assert f"due {due.astimezone():%Y-%m-%d}" in text  # the text shows the local day
    assert all(drill["due"] is None for drill in shown["drills"] if drill["new"])
    assert sum(not drill["new"] for drill in shown["drills"]) == 1
    listed_ids = [line.split()[0] for line in text.splitlines() if line.strip()]
    assert [drill["drill"] for drill in shown["drills"]] == listed_ids[-len(shown["drills"]) :]
    code, _, err = run_cli(capsys, "packs", "show", "--rubric", "laer", "--json")
    assert code == 2
    one_line(err, "--json: only for 'packs show PACK'")
