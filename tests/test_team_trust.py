"""Trust: what a teammate (or anyone with push access) writes into the workspace is data,
checked line by line. Forged events of every kind are refused with their file and line,
the rest is imported, nothing refused reaches the store, and ``sync --verbose`` and
``doctor`` say what was refused. Nothing in the workspace makes drillcoach run a program
or write outside its own folders."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from drillcoach.events import Event, ManagerRating, SelfRating, to_dict
from drillcoach.team import eventlog
from helpers import FakeClock
from teamkit import TeamKit, build_team, git

UID = "objections-core/price-too-high"
LAER = {"listen": 4, "acknowledge": 4, "explore": 3, "respond": 4, "confirm": 2, "advance": 3}


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> TeamKit:
    return build_team(tmp_path, monkeypatch, clock)


def line(event: Event | dict[str, Any]) -> str:
    data = to_dict(event) if not isinstance(event, dict) else event
    return json.dumps(data, separators=(",", ":")) + "\n"


def self_rating(kit: TeamKit, by: str, **fields: Any) -> SelfRating:
    base = SelfRating(by=by, at=kit.clock(), drill_uid=UID, skill="objection-handling", rating=3)
    return replace(base, **fields)


def manager_rating(kit: TeamKit, by: str, rep: str, **fields: Any) -> ManagerRating:
    base = ManagerRating(by=by, rep=rep, at=kit.clock(), rubric="laer", scores=LAER, rating=3,
                         skill="objection-handling", drill_uid=UID)  # fmt: skip
    return replace(base, **fields)


def append(path: Path, *lines: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write("".join(lines))


def refused(run_out: str) -> list[str]:
    """The refusals ``sync --verbose`` listed."""
    if "Refused (" not in run_out:
        return []
    return [text.strip() for text in run_out.split("Refused (", 1)[1].splitlines()[1:]]


def plant_everything(kit: TeamKit, outside: Path) -> dict[str, str]:
    """Every kind of forgery, written by bob (a rep with push access) in his clone and
    pushed, plus one forged line that passes every check. The ids to look for after."""
    dana_adds = [("mike", "Mike Chan", "manager", "dana"), ("carol", "Carol Ruiz", "rep", "mike")]
    for member, name, role, manager in dana_adds:
        kit.cli("dana", "team", "add", member, "--name", name, "--role", role,
                "--manager", manager).ok()  # fmt: skip
    kit.sync("dana")
    kit.sync("bob")
    ws = kit["bob"].ws
    alice_file = ws / "events" / "alice" / "2026-03.jsonl"
    first = json.loads(alice_file.read_text(encoding="utf-8").splitlines()[0])
    replayed = {**first, "rating": 1}
    passes = self_rating(kit, "alice")
    append(
        alice_file,
        '{"v":1,"id":"broken\n',  # line 3: not JSON
        line(replayed),  # 4: an id already used, other content
        line(self_rating(kit, "zed")),  # 5: written by someone else than the folder's owner
        line(self_rating(kit, "alice", drill_uid="../../etc/passwd")),  # 6
        line({**to_dict(self_rating(kit, "alice")), "id": "../../x"}),  # 7
        line(self_rating(kit, "alice", answer="x" * (1 << 20))),  # 8: over 1 MiB
        line(passes),  # 9: passes every check, so it is taken
    )
    append(ws / "events" / "bob" / "2026-03.jsonl", line(manager_rating(kit, "bob", "alice")))
    maria_file = ws / "events" / "maria" / "2026-03.jsonl"
    append(
        maria_file,
        line(manager_rating(kit, "maria", "zed")),  # 2: a rep not in team.toml
        line(manager_rating(kit, "maria", "carol")),  # 3: a rep of another manager
    )
    append(ws / "events" / "mike" / "2026-03.jsonl", line(manager_rating(kit, "mike", "alice")))
    append(ws / "events" / "zed" / "2026-03.jsonl", line(self_rating(kit, "zed")))
    append(ws / "events" / "carol" / "notes.txt", "hello\n")
    append(outside / "2026-03.jsonl", line(self_rating(kit, "alice")))
    (ws / "events" / "alice" / "2026-04.jsonl").symlink_to(outside / "2026-03.jsonl")
    (ws / "events" / "dana").mkdir()
    (ws / "events" / "dana" / "2026-03.jsonl").symlink_to(outside / "2026-03.jsonl")
    os.symlink(outside, ws / "events" / "carol-link")
    (ws / "assignments" / "bob.toml").write_text(
        'format = 1\n[[assignment]]\nid = "mine"\npack = "closing"\nto = ["alice"]\n'
        "due = 2026-03-20\n",
        encoding="utf-8",
    )
    (ws / "assignments" / "mike.toml").write_text(
        'format = 1\n[[assignment]]\nid = "grab"\npack = "closing"\nto = ["alice"]\n'
        "due = 2026-03-20\n",
        encoding="utf-8",
    )
    kit.commit_all("bob", "totally normal sync")
    return {"replayed": first["id"], "passes": passes.id}


EXPECTED_FOR_DANA = [
    ("events/maria/2026-03.jsonl: line 2", "rates 'zed', who is not a member in team.toml"),
    ("events/maria/2026-03.jsonl: line 3", "'maria' rates 'carol' but is not their manager"),
    ("events/alice/2026-03.jsonl: line 3", "not a JSON object"),
    ("events/alice/2026-03.jsonl: line 4", "is already used by another event"),
    ("events/alice/2026-03.jsonl: line 5", "written by 'zed' in the folder of 'alice'"),
    ("events/alice/2026-03.jsonl: line 6", "'../../etc/passwd' is not a drill id"),
    ("events/alice/2026-03.jsonl: line 7", "'../../x' is not an id drillcoach writes"),
    ("events/alice/2026-03.jsonl: line 8", "line longer than 1 MiB"),
    ("events/alice/2026-04.jsonl: ", "expected a file of the workspace, not a link"),
    ("events/bob/2026-03.jsonl: line 2", "'bob' rates 'alice' but is not their manager"),
    ("events/mike/2026-03.jsonl: line 1", "'mike' rates 'alice' but is not their manager"),
    ("events/carol/notes.txt: ", "unexpected file name; expected YYYY-MM.jsonl"),
    ("assignments/bob.toml: ", "'bob' is not a manager in team.toml"),
    ("assignments/mike.toml: ", "'alice' is not managed by 'mike'"),
]


def test_forged_events_of_every_kind_are_refused_by_file_and_line(
    team: TeamKit, tmp_path: Path
) -> None:
    kit = team
    legit = [rated.event.id for _, rated in kit.drill("alice", 2)]
    legit.extend(rated.event.id for _, rated in kit.drill("bob", 1))
    kit.cli("maria", "assign", "objections-core", "--to", "alice", "--due", "2026-03-20").ok()
    kit.cli("maria", "rate", "alice", "--drill", UID, "--context", "roleplay",
            "--score", "listen=4,acknowledge=4,explore=3,respond=4,confirm=2,advance=3"
            ).ok()  # fmt: skip
    for who in ("alice", "bob", "maria"):
        kit.sync(who)
    outside = tmp_path / "outside"
    ids = plant_everything(kit, outside)
    # a hard link cannot travel through git: a shared folder, or someone at dana's machine
    (outside / "linked.jsonl").write_text(line(self_rating(kit, "bob")), encoding="utf-8")
    os.link(outside / "linked.jsonl", kit["dana"].ws / "events" / "bob" / "2026-05.jsonl")

    report = kit.sync("dana", "--verbose")
    listed = refused(report.out)
    expected = [*EXPECTED_FOR_DANA,
                ("events/bob/2026-05.jsonl: ", "is a hard link")]  # fmt: skip
    for where, why in expected:
        assert any(item.startswith(where) and why in item for item in listed), (where, listed)
    # the link to the folder outside: neither a member's folder nor read
    assert not any("carol-link" in item for item in listed)
    assert len(listed) == len(expected), listed

    with kit.services("dana") as dana:
        store = dana.store
        alice_own = {r.id for r in store.self_ratings("alice")}
        assert alice_own == {*legit[:2], ids["passes"]}
        replayed = next(r for r in store.self_ratings("alice") if r.id == ids["replayed"])
        assert replayed.rating == 3  # the first content stays
        assert [r.by for r in store.manager_ratings("alice")] == ["maria"]
        for nobody in ("zed", "carol"):
            assert store.self_ratings(nobody) == []
            assert store.manager_ratings(nobody) == []
        assert {r.id for r in store.self_ratings("bob")} == {legit[2]}
        assert {a.id for a in store.assignments()} == {"objections-core-20260320"}
        kept = store.refusals()
        assert len(kept) == len(expected)

    # doctor lists what was refused, with file:line and why
    doctor = kit.cli("dana", "doctor").ok().out
    assert f"{len(expected)} line(s) or file(s) of the team workspace were refused" in doctor
    assert "  events/alice/2026-03.jsonl:3: not a JSON object" in doctor
    assert "  events/bob/2026-05.jsonl: is a hard link" in doctor

    # a second sync: nothing new is refused or stored twice; a plain sync counts them
    again = kit.sync("dana")
    assert "brought in 0 new" in again.out
    with kit.services("dana") as dana:
        assert len(dana.store.refusals()) == len(expected)

    # alice reads her managers' files and the assignments: the same refusals there
    mine = kit.sync("alice", "--verbose")
    listed = refused(mine.out)
    for where, why in (EXPECTED_FOR_DANA[0], EXPECTED_FOR_DANA[1], *EXPECTED_FOR_DANA[-2:]):
        assert any(item.startswith(where) and why in item for item in listed), (where, listed)
    assert any(item.startswith("events/dana/2026-03.jsonl: ") for item in listed), listed
    with kit.services("alice") as alice:
        assert [a.id for a in alice.scheduler.my_assignments()] == ["objections-core-20260320"]
        assert [r.by for r in alice.store.manager_ratings("alice")] == ["maria"]


def test_a_file_over_the_cap_is_refused_whole_and_the_others_are_read(
    team: TeamKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = team
    kit.drill("alice", 3)
    kit.drill("bob", 1)
    kit.sync("alice")
    kit.sync("bob")
    alice_file = kit["maria"].ws / "events" / "alice" / "2026-03.jsonl"
    kit.git(kit["maria"].ws, "pull", "--quiet")
    size = alice_file.stat().st_size
    monkeypatch.setattr(eventlog, "MAX_FILE", size - 1)
    out = kit.sync("maria", "--verbose").out
    assert f"events/alice/2026-03.jsonl: is {size:,} bytes; expected at most {size - 1:,}" in out
    with kit.services("maria") as maria:
        assert maria.store.self_ratings("alice") == []
        assert len(maria.store.self_ratings("bob")) == 1
    monkeypatch.setattr(eventlog, "MAX_FILE", size)
    assert "brought in 3 new" in kit.sync("maria").out


def test_a_new_member_is_read_in_the_sync_that_brings_their_team_file(team: TeamKit) -> None:
    """team.toml pulled by a sync is the one that sync trusts: a rep added meanwhile is
    read at once, not one sync later."""
    kit = team
    kit.cli("maria", "team", "add", "carol", "--name", "Carol Ruiz", "--role", "rep").ok()
    kit.sync("maria")
    carol = kit.new_person("carol", "Carol Ruiz", "rep", "maria")
    git(kit.root, "clone", "--quiet", str(kit.remote), str(carol.ws))
    kit.cli("carol", "team", "join", str(carol.ws), "--as", "carol").ok()
    kit.drill("carol", 2)
    kit.sync("carol")
    assert "brought in 2 new" in kit.sync("dana").out  # dana had never seen carol's name
    with kit.services("dana") as dana:
        assert len(dana.store.self_ratings("carol")) == 2


# --- nothing in the workspace runs a program or sends a write elsewhere


@pytest.mark.parametrize("member", ["--upload-pack=touch pwned", "-rf", "../evil", "Alice"])
def test_a_member_id_that_could_be_an_option_or_a_path_is_refused(
    team: TeamKit, member: str
) -> None:
    kit = team
    team_file = kit["alice"].ws / "team.toml"
    text = team_file.read_text(encoding="utf-8")
    team_file.write_text(text.replace('id = "bob"', f"id = {json.dumps(member)}"), "utf-8")
    for command in (["sync"], ["team", "show"], ["team", "join", str(kit["alice"].ws), "--as",
                                                  "alice"]):  # fmt: skip
        run = kit.cli("alice", *command)
        assert run.code == 2, (command, run)
        (message,) = run.err.splitlines()
        assert str(team_file) in message
        assert "member #4" in message
        assert "'id'" in message
    assert not (kit["alice"].ws / "pwned").exists()


GIT_LOGGER = """#!/bin/sh
printf '%s\\0' "$@" >> "{log}"
printf '\\n' >> "{log}"
exec "{git}" "$@"
"""

FIXED = {"rev-parse", "config", "remote", "symbolic-ref", "ls-remote", "status", "add", "diff",
         "commit", "pull", "push", "rebase", "init"}  # fmt: skip
WITH_PATHS = {"status", "add", "diff", "commit", "pull", "push"}


def test_git_runs_with_fixed_arguments_whatever_the_workspace_holds(
    team: TeamKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = team
    # odd but valid values: a team name and member names made to look like options
    team_file = kit["alice"].ws / "team.toml"
    text = team_file.read_text(encoding="utf-8")
    text = text.replace('"West sales"', '"--exec=touch pwned; $(touch pwned)"')
    text = text.replace('"Alice Ng"', '"--upload-pack=touch pwned"')
    team_file.write_text(text, encoding="utf-8")
    kit.commit_all("alice", "odd names")
    real_git = shutil.which("git")
    assert real_git is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "git.log"
    logger = bin_dir / "git"
    logger.write_text(GIT_LOGGER.format(log=log, git=real_git), encoding="utf-8")
    logger.chmod(logger.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    kit.drill("alice", 1)
    kit.sync("alice")
    kit.sync("maria")
    calls = [entry.split("\0") for entry in log.read_text().split("\0\n") if entry]
    assert len(calls) > 10
    clones = {str(kit["alice"].ws), str(kit["maria"].ws)}
    for call in calls:
        assert call[0] == "-C" and call[1] in clones, call
        rest = call[2:]
        while rest[0] == "-c":  # -c takes the next word whole, whatever it says
            assert rest[1].startswith(("user.name=", "user.email=")), call
            rest = rest[2:]
        command, words = rest[0], rest[1:]
        assert command in FIXED, call
        if command in WITH_PATHS and words:
            assert "--" in words, call
            before = words[: words.index("--")]
            assert all(word.startswith("-") for word in before), call
    assert not (kit["alice"].ws / "pwned").exists()
    assert not (kit["maria"].ws / "pwned").exists()
    assert not Path("pwned").exists()


def test_my_own_folder_linked_elsewhere_is_never_written_through(
    team: TeamKit, tmp_path: Path
) -> None:
    kit = team
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    kit.drill("alice", 1)
    mine = kit["alice"].ws / "events" / "alice"
    os.symlink(outside, mine)
    run = kit.cli("alice", "sync")
    assert run.code == 2
    (message,) = run.err.splitlines()
    assert "is a symbolic link" in message
    assert list(outside.iterdir()) == []
    # a month file hard-linked to a file elsewhere is not appended to either
    mine.unlink()
    mine.mkdir()
    target = outside / "target.jsonl"
    target.write_text("", encoding="utf-8")
    os.link(target, mine / "2026-03.jsonl")
    run = kit.cli("alice", "sync")
    assert run.code == 2
    (message,) = run.err.splitlines()
    assert "hard link" in message
    assert target.read_text(encoding="utf-8") == ""
    # and maria's assignments file, linked away, is not written through by 'assign'
    assignments = kit["maria"].ws / "assignments" / "maria.toml"
    os.symlink(outside / "planted.toml", assignments)
    run = kit.cli("maria", "assign", "closing", "--to", "alice", "--due", "2026-03-20")
    assert run.code == 2
    assert "symbolic link" in run.err
    assert not (outside / "planted.toml").exists()


def test_an_event_from_the_future_or_far_past_is_refused(team: TeamKit) -> None:
    kit = team
    path = kit["bob"].ws / "events" / "alice" / "2026-03.jsonl"
    far = self_rating(kit, "alice")
    far = replace(far, at=far.at + timedelta(days=365 * 300))
    append(path, line(far), line(self_rating(kit, "alice")))
    kit.commit_all("bob")
    out = kit.sync("maria", "--verbose").out
    assert "events/alice/2026-03.jsonl: line 1: time" in out
    assert "is out of range" in out
    with kit.services("maria") as maria:
        assert len(maria.store.self_ratings("alice")) == 1
