"""A team at work, end to end, as people use it: a bare repository on disk as the remote,
a clone and a DRILLCOACH_HOME per person, real git, the command line, drilling through the
domain. Also a sync killed at every step and run again, a line cut short by a writer
that died, and two reps pushing at once."""

from __future__ import annotations

import json
import re
import time
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from drillcoach.content import Library
from drillcoach.events import ReviewRequest
from drillcoach.scheduling.queue import earliest_per_pack, new_drill_order
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.team import sync as sync_module
from drillcoach.team.workspace import Member, Team, merge_teams, read_team
from teamkit import ANSWER, TeamKit, event_ids, events_in, rep_config

PACK = "objections-core"
NOTE = "Price objections come up in every Q4 renewal"
LAER = "listen=4,acknowledge=4,explore=3,respond=4,confirm=2,advance=3"
DISCOVERY = "open-questions=2,depth=2,impact=3,decision-process=2,summarise=2"


def replayed_due(kit: TeamKit, library: Library, rep: str, uid: str, tmp: Path) -> datetime:
    """When the workspace's events say ``rep``'s card of ``uid`` is due: a store of its
    own fed every event of the rep's and their managers' files, its card built afresh."""
    folders = [kit[member].ws / "events" / member for member in (rep, "maria", "dana")]
    with Store(tmp / f"replay-{rep}.db", backups=tmp / "replay-backups") as store:
        store.add_many(events_in(*folders))
        scheduler = DrillScheduler(store, library, rep_config(rep), clock=kit.clock, tz=UTC)
        drill = library.drill(uid)
        assert drill is not None
        return scheduler.state(drill).due


def lines_with(text: str, fragment: str) -> list[str]:
    return [line for line in text.splitlines() if fragment in line]


def test_a_team_at_work_end_to_end(team: TeamKit, library: Library, tmp_path: Path) -> None:
    kit = team
    # maria assigns a pack to both her reps, with a due date and a note, and shares it
    made = kit.cli("maria", "assign", PACK, "--to", "alice,bob", "--due", "2026-03-20",
                   "--note", NOTE).ok()  # fmt: skip
    assert "Assigned Core objections to alice, bob, due Fri 20 Mar 2026" in made.out
    assert len(tomllib.loads(kit.remote_file("team.toml"))["member"]) == 4
    kit.sync("maria")
    assert "objections-core-20260320" in kit.remote_file("assignments/maria.toml")
    for rep in ("alice", "bob"):
        assert "brought in 0 new and 1 new assignment;" in kit.sync(rep).out
    assert "brought in 0 new;" in kit.sync("alice").out  # the same assignment is not new

    # Today, the first time: the assignment, with the note
    first = kit.cli("alice", "today").ok().out
    assigned = lines_with(first, "Assigned by Maria Lopez: Core objections, due 20 Mar")
    assert assigned == [f'  Assigned by Maria Lopez: Core objections, due 20 Mar - 0 of 15 '
                        f'started, 0 mastered - "{NOTE}"']  # fmt: skip

    # the reps drill the assigned pack first; alice asks maria to review her last answer
    alice_done = kit.drill("alice", 3, ask_review=True)
    bob_done = kit.drill("bob", 2, rating=2)
    assert {drill.pack_id for drill, _ in alice_done + bob_done} == {PACK}
    reviewed = alice_done[-1][0]
    kit.sync("alice")
    kit.sync("bob")
    brought = kit.sync("maria").out
    assert "brought in 6 new" in brought  # 3 + 2 self-ratings, 1 review request
    with kit.services("maria") as maria:
        assert len(maria.store.self_ratings("alice")) == 3
        assert len(maria.store.self_ratings("bob")) == 2
    # what alice typed stayed on her machine, except the answer she sent for review
    alice_lines = (kit["maria"].ws / "events" / "alice" / "2026-03.jsonl").read_text()
    assert alice_lines.count(ANSWER) == 1
    assert '"type":"review-request"' in alice_lines

    # the inbox: oldest first, her answer beside the model answer, the ticked key points
    waiting = kit.cli("maria", "inbox").ok()
    assert waiting.err == ""
    assert waiting.out.startswith("1 answer waiting for your review, oldest first.")
    assert ANSWER in waiting.out
    assert "Model answer:" in waiting.out
    assert reviewed.model_answer.split()[0] in waiting.out
    assert f"Key points: 1 of {len(reviewed.key_points)} ticked" in waiting.out
    assert f"[x] {reviewed.key_points[0]}" in waiting.out
    assert f"[ ] {reviewed.key_points[1]}" in waiting.out
    found = re.search(r"--request (\w{8})", waiting.out)
    assert found is not None

    # maria rates alice's role-play of her first drill, her discovery on a joint call, and
    # the answer she sent
    kit.clock.advance(hours=2)
    first_uid = alice_done[0][0].uid
    with kit.services("alice") as alice:
        due_before = alice.scheduler.state(alice_done[0][0]).due
    kit.cli("maria", "rate", "alice", "--drill", first_uid, "--context", "roleplay",
            "--score", LAER, "--note", "Slow down before the price").ok()  # fmt: skip
    kit.cli("maria", "rate", "alice", "--skill", "discovery", "--context", "joint-call",
            "--score", DISCOVERY).ok()  # fmt: skip
    answered = kit.cli("maria", "rate", "alice", "--request", found.group(1),
                       "--score", LAER, "--note", "Good question back").ok()  # fmt: skip
    assert "Saved: Alice Ng on" in answered.out
    empty_started = time.perf_counter()
    empty = kit.cli("maria", "inbox")
    assert time.perf_counter() - empty_started < 1.0
    assert (empty.code, empty.out, empty.err) == (0, "", "")
    kit.sync("maria")

    # the next day alice syncs: her card moves as her history, with maria's rating, says
    kit.clock.advance(days=1)
    assert "brought in 3 new" in kit.sync("alice").out
    with kit.services("alice") as alice:
        due_after = alice.scheduler.state(alice_done[0][0]).due
        states = {drill.uid: alice.scheduler.state(drill).due for drill, _ in alice_done}
        assert alice.scheduler.focus_skills() == ["discovery"]
        assigned_now = earliest_per_pack(alice.scheduler.my_assignments())
        order = new_drill_order(alice.library, assigned_now, alice.scheduler.focus_skills())
        after_assigned = next(d for d in order if d.pack_id != PACK)
        assert after_assigned.skill == "discovery"
        answer = alice.store.answers([alice.store.requests(["alice"])[0].id])
        assert [rating.note for rating in answer.values()] == ["Good question back"]
    assert due_after != due_before
    for uid, due in states.items():
        assert due == replayed_due(kit, library, "alice", uid, tmp_path), uid
    assert kit.cli("alice", "doctor").ok().out.startswith("ok: 3 card(s) agree")

    # Today, the day after: progress, no note again, and maria's three ratings once
    second = kit.cli("alice", "today").ok().out
    assert lines_with(second, "Assigned by") == [
        "  Assigned by Maria Lopez: Core objections, due 20 Mar - 3 of 15 started, 0 mastered"
    ]
    assert NOTE not in second
    feedback = lines_with(second, "Maria Lopez rated")
    assert len(feedback) == 3, second
    roleplay = next(line for line in feedback if "role-play" in line)
    assert f'rated your role-play of "{alice_done[0][0].title}": ' in roleplay
    assert roleplay.endswith('- "Slow down before the price"')
    assert any("rated your Discovery (a joint call)" in line for line in feedback)
    assert any(f'the answer you sent on "{reviewed.title}"' in line for line in feedback)
    kit.clock.advance(days=1)
    third = kit.cli("alice", "today").ok().out
    assert "rated" not in third
    assert NOTE not in third
    assert "Assigned by Maria Lopez: Core objections, due 20 Mar" in third
    kit.clock.set(datetime(2026, 3, 21, 10, 0, tzinfo=UTC))
    late = kit.cli("alice", "today").ok().out
    assert "Assigned by Maria Lopez: Core objections, overdue since 20 Mar - 3 of 15" in late

    # bob sees his assignment, and nothing of alice's
    kit.sync("bob")
    with kit.services("bob") as bob:
        assert [a.pack for a in bob.scheduler.my_assignments()] == [PACK]
        assert bob.store.manager_ratings("bob") == []
        assert bob.store.self_ratings("alice") == []

    # dana sees her manager, and with --all everyone below her
    kit.sync("dana")
    shown = kit.cli("dana", "team", "show").ok().out
    assert "You: Dana Diaz (dana), manager" in shown
    assert _members(shown) == ["dana", "maria"]
    assert "3 below you in all: 'team show --all' lists them" in shown
    everyone = kit.cli("dana", "team", "show", "--all").ok().out
    assert _members(everyone) == ["dana", "maria", "alice", "bob"]
    with kit.services("dana") as dana:  # a director keeps her managers' reps' events
        assert len(dana.store.self_ratings("alice")) == 3
        assert len(dana.store.manager_ratings("alice")) == 3


def _members(shown: str) -> list[str]:
    rows = shown.split("MEMBER", 1)[1].strip().split("\n\n", 1)[0].splitlines()[1:]
    return [row.split()[0] for row in rows]


# --- a sync killed at each step, then run again


STEPS = ("exported", "committed", "pulled", "imported", "pushed")


def test_a_sync_killed_at_any_step_runs_again_with_nothing_lost_or_doubled(
    team: TeamKit,
) -> None:
    kit = team
    kit.cli("maria", "assign", PACK, "--to", "alice", "--due", "2026-03-20").ok()
    kit.sync("maria")
    kit.sync("alice")
    alice_folder = kit["alice"].ws / "events" / "alice"
    drilled: list[str] = []
    rated: list[str] = []
    for step in STEPS:
        # new work on both sides, so the killed sync has something to write and to read
        ((drill, rated_),) = kit.drill("alice", 1)
        drilled.append(rated_.event.id)
        kit.cli("maria", "rate", "alice", "--drill", drill.uid, "--context", "roleplay",
                "--score", LAER).ok()  # fmt: skip
        kit.sync("maria")
        with kit.services("maria") as maria:
            rated = [r.id for r in maria.store.manager_ratings("alice")]
        killed = kit.run_process("alice", "sync", env={sync_module.KILL_AT: step})
        assert killed.code == -9, (step, killed)
        again = kit.run_process("alice", "sync", "--verbose")
        assert again.code == 0, (step, again)
        assert "Refused" not in again.out, (step, again.out)
        ids = event_ids(alice_folder)
        assert set(ids) == set(drilled), step
        assert max(ids.values()) == 1, step
        with kit.services("alice") as alice:
            assert len(alice.store.self_ratings("alice")) == len(drilled), step
            kept = [r.id for r in alice.store.manager_ratings("alice")]
            assert sorted(kept) == sorted(rated), step
            assert alice.store.refusals() == [], step
        assert kit.git(kit["alice"].ws, "status", "--porcelain").stdout == "", step
        kit.sync("maria")
        with kit.services("maria") as maria:
            assert sorted(r.id for r in maria.store.self_ratings("alice")) == sorted(drilled)
    pushed = kit.remote_file("events/alice/2026-03.jsonl").splitlines()
    assert sorted(json.loads(line)["id"] for line in pushed) == sorted(drilled)


def test_a_line_cut_short_by_a_writer_that_died_is_repaired_and_nothing_is_lost(
    team: TeamKit,
) -> None:
    kit = team
    kit.drill("alice", 2)
    kit.sync("alice")
    month = kit["alice"].ws / "events" / "alice" / "2026-03.jsonl"
    (done,) = kit.drill("alice", 1)
    line = json.dumps({"v": 1, "id": done[1].event.id, "type": "review", "by": "alice"})
    # the writer died half-way through the line, and the half line went out with a push
    with month.open("ab") as file:
        file.write(line.encode()[:30])
    kit.commit_all("alice", "a half-written line")
    assert "brought in 2 new" in kit.sync("maria", "--verbose").out  # the half line waits
    with kit.services("maria") as maria:
        assert maria.store.refusals() == []

    repaired = kit.sync("alice")
    assert "wrote 1 event" in repaired.out
    lines = month.read_bytes().split(b"\n")
    assert lines[-1] == b""
    ids = [json.loads(text)["id"] for text in lines[:-1]]
    assert len(ids) == len(set(ids)) == 3
    assert ids[-1] == done[1].event.id
    assert "brought in 1 new" in kit.sync("maria").out
    with kit.services("maria") as maria:
        assert len(maria.store.self_ratings("alice")) == 3
        assert maria.store.refusals() == []


# --- two reps pushing at once


BARRIER_HOOK = """#!/bin/sh
# the first two pushes wait for each other here, both made on the same remote head:
# one goes in, the other finds the head moved (someone pushed first)
cat >/dev/null
d="{folder}"
mkdir -p "$d"
if [ "$(ls "$d" | wc -l)" -lt 2 ]; then
  touch "$d/$$"
  i=0
  while [ "$(ls "$d" | wc -l)" -lt 2 ] && [ "$i" -lt 600 ]; do sleep 0.05; i=$((i+1)); done
fi
exit 0
"""


def hook(kit: TeamKit, text: str) -> None:
    path = kit.remote / "hooks" / "pre-receive"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def test_two_reps_pushing_at_once_both_get_in(team: TeamKit) -> None:
    kit = team
    alice_ids = {rated.event.id for _, rated in kit.drill("alice", 2)}
    bob_ids = {rated.event.id for _, rated in kit.drill("bob", 3)}
    hook(kit, BARRIER_HOOK.format(folder=kit.root / "barrier"))
    running = [kit.process(rep, "sync") for rep in ("alice", "bob")]
    done = [child.communicate(timeout=60) for child in running]
    for child, (out, err) in zip(running, done, strict=True):
        assert child.returncode == 0, (out, err)
    reports = sorted(out for out, _ in done)
    assert any("pushed at try 2" in report for report in reports), reports
    assert len(list((kit.root / "barrier").iterdir())) == 2
    kit.sync("maria")
    with kit.services("maria") as maria:
        assert {r.id for r in maria.store.self_ratings("alice")} == alice_ids
        assert {r.id for r in maria.store.self_ratings("bob")} == bob_ids
    log = kit.git(kit.remote, "log", "--format=%s", "main").stdout
    assert "drillcoach sync: alice, 2 event(s)" in log
    assert "drillcoach sync: bob, 3 event(s)" in log


def test_a_remote_that_refuses_every_push_is_one_line(team: TeamKit) -> None:
    kit = team
    kit.drill("alice", 1)
    hook(kit, "#!/bin/sh\ncat >/dev/null\necho 'pushes are frozen this week' >&2\nexit 1\n")
    refused = kit.cli("alice", "sync")
    assert refused.code == 1
    (line,) = refused.err.splitlines()
    assert "git push failed" in line
    assert "pre-receive hook declined" in line
    assert "Traceback" not in refused.err
    # nothing was lost: the event is committed in alice's clone, and goes out later
    (kit.remote / "hooks" / "pre-receive").unlink()
    assert "pulled and pushed" in kit.sync("alice").out
    assert "events/alice/2026-03.jsonl" in kit.git(kit.remote, "ls-tree", "-r", "main").stdout


RACING_HOOK = """#!/bin/sh
# every push of alice's waits here until the test has pushed something else first
read old new ref
case "$(git log -1 --format=%s "$new")" in
  *alice*)
    n=$(ls "{folder}" | wc -l)
    touch "{folder}/waiting-$n"
    i=0
    while [ ! -e "{folder}/go-$n" ] && [ "$i" -lt 400 ]; do sleep 0.05; i=$((i+1)); done
    ;;
esac
exit 0
"""


def test_a_push_that_loses_every_race_is_reported_in_one_line(team: TeamKit) -> None:
    kit = team
    kit.drill("alice", 1)
    folder = kit.root / "races"
    folder.mkdir()
    hook(kit, RACING_HOOK.format(folder=folder))
    child = kit.process("alice", "sync")
    deadline = time.monotonic() + 60
    races = 0
    while child.poll() is None and time.monotonic() < deadline:
        waiting = folder / f"waiting-{races * 2}"
        if not waiting.exists():
            time.sleep(0.02)
            continue
        # bob pushes first, while alice's push waits at the remote
        (kit["bob"].ws / f"note-{races}.txt").write_text("mine\n", encoding="utf-8")
        kit.commit_all("bob", f"bob's push {races}")
        (folder / f"go-{races * 2}").touch()
        races += 1
    out, err = child.communicate(timeout=60)
    assert child.returncode == 1, (out, err)
    assert races == sync_module.PUSH_ATTEMPTS
    (line,) = err.splitlines()
    assert f"the push was refused {sync_module.PUSH_ATTEMPTS} times" in line
    assert "run 'drillcoach sync' again" in line
    # alice's event is safe in her clone, on top of bob's pushes, and goes out next time
    (kit.remote / "hooks" / "pre-receive").unlink()
    assert "pulled and pushed" in kit.sync("alice").out
    assert len(kit.remote_file("events/alice/2026-03.jsonl").splitlines()) == 1


def test_a_review_request_reaches_the_manager_only(team: TeamKit) -> None:
    kit = team
    kit.drill("alice", 1, ask_review=True)
    kit.sync("alice")
    kit.sync("bob")
    kit.sync("maria")
    with kit.services("bob") as bob:
        assert bob.store.requests() == []
    with kit.services("maria") as maria:
        (request,) = maria.store.requests(["alice"], open_only=True)
        assert isinstance(request, ReviewRequest)
        assert request.answer == ANSWER
    first = kit.cli("maria", "inbox").ok().out
    assert first.startswith("1 answer waiting")
    assert kit.cli("bob", "inbox").ok().out == ""  # a rep's inbox is always empty
    assert kit.cli("alice", "inbox").ok().out == ""


def scores_for(listing: str, rep: str) -> tuple[str, str]:
    """(request id, every criterion scored 3) from the 'Answer it:' line of ``rep``."""
    found = re.search(rf"drillcoach rate {rep} --request (\w+) --score (\S+)", listing)
    assert found is not None, listing
    return found.group(1), found.group(2).replace("=N", "=3")


def test_a_director_sees_her_own_reports_and_with_all_everyone_below(team: TeamKit) -> None:
    kit = team
    kit.drill("alice", 1, ask_review=True)  # alice asks maria
    kit.drill("maria", 1, ask_review=True)  # maria, who reports to dana, asks dana
    for who in ("alice", "maria", "dana"):
        kit.sync(who)
    with kit.services("dana") as dana:  # dana keeps both requests
        assert {r.rep for r in dana.store.requests(open_only=True)} == {"alice", "maria"}

    # dana's inbox: what her own reports sent (maria's), not what alice sent maria
    own = kit.cli("dana", "inbox").ok()
    assert own.out.startswith("1 answer waiting for your review, oldest first.")
    assert lines_with(own.out, "(request ")[0].startswith("1. Maria Lopez · ")
    assert "Alice Ng" not in own.out
    maria_inbox = kit.cli("maria", "inbox").ok().out
    assert maria_inbox.startswith("1 answer waiting for your review, oldest first.")
    assert "1. Alice Ng · " in maria_inbox

    # with --all, everyone below her, each with the manager they report to
    everyone = kit.cli("dana", "inbox", "--all").ok()
    assert everyone.out.startswith(
        "2 answers waiting for your review, yours and those below your managers, oldest first."
    )
    titles = lines_with(everyone.out, "(request ")
    assert [line.split(" · ")[0] for line in titles] == [
        "1. Alice Ng (reports to Maria Lopez)",
        "2. Maria Lopez",
    ]

    # dana may still answer alice's request herself (she is above alice)
    request, scores = scores_for(everyone.out, "alice")
    kit.cli("dana", "rate", "alice", "--request", request, "--score", scores,
            "--note", "From Dana").ok()  # fmt: skip
    assert "Alice Ng" not in kit.cli("dana", "inbox", "--all").ok().out
    request, scores = scores_for(own.out, "maria")
    kit.cli("dana", "rate", "maria", "--request", request, "--score", scores).ok()
    empty = kit.cli("dana", "inbox", "--all")
    assert (empty.code, empty.out, empty.err) == (0, "", "")
    kit.sync("dana")
    kit.sync("maria")
    assert kit.cli("maria", "inbox").ok().out == ""  # dana answered it
    assert kit.cli("maria", "inbox", "--all").ok().out == ""
    kit.sync("alice")
    with kit.services("alice") as alice:
        answered = alice.store.answers([alice.store.requests(["alice"])[0].id])
        assert [(r.by, r.note) for r in answered.values()] == [("dana", "From Dana")]


# --- team.toml has more than one writer: every manager may add members


def join_clone(kit: TeamKit, who: str, name: str, role: str, manager: str) -> None:
    """A new member clones the team's repository, joins and syncs."""
    person = kit.new_person(who, name, role, manager)
    kit.git(kit.root, "clone", "--quiet", str(kit.remote), str(person.ws))
    kit.cli(who, "team", "join", str(person.ws), "--as", who).ok()
    kit.sync(who)


def remote_members(kit: TeamKit) -> dict[str, dict[str, str]]:
    return {m["id"]: m for m in tomllib.loads(kit.remote_file("team.toml"))["member"]}


def assert_not_mid_rebase(kit: TeamKit, who: str) -> None:
    ws = kit[who].ws
    assert not (ws / ".git" / "rebase-merge").exists()
    assert not (ws / ".git" / "rebase-apply").exists()
    assert kit.git(ws, "status", "--porcelain").stdout == ""


def test_two_managers_adding_members_at_once_both_get_in(team: TeamKit) -> None:
    kit = team
    kit.cli("maria", "team", "add", "carol", "--name", "Carol", "--role", "rep").ok()
    kit.cli("dana", "team", "add", "mike", "--name", "Mike", "--role", "manager").ok()
    kit.sync("maria")
    merged = kit.cli("dana", "sync").ok()
    assert "pulled and pushed (team.toml merged with the team's)" in merged.out
    assert "team.toml:" not in merged.out  # nothing of dana's was dropped
    assert_not_mid_rebase(kit, "dana")
    members = remote_members(kit)
    assert list(members) == ["dana", "maria", "alice", "bob", "carol", "mike"]
    assert members["carol"] == {"id": "carol", "name": "Carol", "role": "rep",
                                "manager": "maria"}  # fmt: skip
    assert members["mike"]["manager"] == "dana"
    written = (kit["dana"].ws / "team.toml").read_text()
    assert written.startswith("# The team: who is on it")  # as 'team add' writes it
    read_team(kit["dana"].ws)  # the strict reader takes it
    # both new members join and sync; every sync after goes on as before
    join_clone(kit, "carol", "Carol", "rep", "maria")
    join_clone(kit, "mike", "Mike", "manager", "dana")
    kit.drill("carol", 1)
    kit.sync("carol")
    assert "brought in 1 new" in kit.sync("maria").out
    assert kit.sync("dana").out.endswith("; pulled and pushed.\n")  # nothing to merge now
    shown = kit.cli("maria", "team", "show").ok().out
    assert _members(shown) == ["maria", "alice", "bob", "carol"]


def test_two_managers_adding_the_same_id_differently_keep_the_one_pushed_first(
    team: TeamKit,
) -> None:
    kit = team
    kit.cli("maria", "team", "add", "carol", "--name", "Carol Ray", "--role", "rep").ok()
    kit.cli("dana", "team", "add", "carol", "--name", "Carol Diaz", "--role", "manager").ok()
    kit.cli("dana", "team", "add", "mike", "--name", "Mike", "--role", "manager").ok()
    kit.sync("maria")
    run = kit.cli("dana", "sync").ok()
    assert lines_with(run.out, "team.toml:") == [
        "team.toml: 'carol' was added by someone else too; theirs is kept"
    ]
    assert_not_mid_rebase(kit, "dana")
    members = remote_members(kit)
    assert members["carol"] == {"id": "carol", "name": "Carol Ray", "role": "rep",
                                "manager": "maria"}  # fmt: skip
    assert "mike" in members  # the rest of dana's change went in
    join_clone(kit, "carol", "Carol Ray", "rep", "maria")
    kit.sync("dana")


def test_a_member_changed_on_both_sides_keeps_the_change_pushed_first(team: TeamKit) -> None:
    kit = team
    ws = kit["alice"].ws
    kit.drill("alice", 1)
    # alice fixes her name by hand and commits it; dana renames her and adds someone
    team_file = ws / "team.toml"
    team_file.write_text(team_file.read_text().replace("Alice Ng", "Alice N."), "utf-8")
    kit.git(ws, "commit", "--quiet", "--all", "--message=my name")
    kit.cli("dana", "team", "add", "mike", "--name", "Mike", "--role", "manager").ok()
    team_file_dana = kit["dana"].ws / "team.toml"
    text = team_file_dana.read_text().replace("Alice Ng", "Alice Nguyen")
    team_file_dana.write_text(text, "utf-8")
    kit.sync("dana")
    run = kit.cli("alice", "sync").ok()
    assert run.err == ""
    assert lines_with(run.out, "team.toml") == [
        "Synced with West sales: wrote 1 event, brought in 0 new; pulled and pushed "
        "(team.toml merged with the team's).",
        "team.toml: 'alice' was changed by someone else too; theirs is kept",
    ]
    assert_not_mid_rebase(kit, "alice")
    members = remote_members(kit)
    assert members["alice"]["name"] == "Alice Nguyen"
    assert "mike" in members
    assert "events/alice/2026-03.jsonl" in kit.git(kit.remote, "ls-tree", "-r", "main").stdout


def test_several_of_my_commits_conflicting_in_the_team_file_are_merged_one_by_one(
    team: TeamKit,
) -> None:
    kit = team
    ws = kit["maria"].ws
    # maria commits twice by hand: she adds carol, then renames bob and removes alice
    kit.cli("maria", "team", "add", "carol", "--name", "Carol", "--role", "rep").ok()
    kit.git(ws, "commit", "--quiet", "--all", "--message=carol")
    team_file = ws / "team.toml"
    text = team_file.read_text().replace("Bob Stone", "Robert Stone")
    alice = '    { id = "alice", name = "Alice Ng", role = "rep", manager = "maria" },\n'
    assert alice in text
    text = text.replace(alice, "")
    team_file.write_text(text, "utf-8")
    kit.git(ws, "commit", "--quiet", "--all", "--message=bob, alice")
    # meanwhile dana adds mike and renames bob
    kit.cli("dana", "team", "add", "mike", "--name", "Mike", "--role", "manager").ok()
    team_file_dana = kit["dana"].ws / "team.toml"
    team_file_dana.write_text(team_file_dana.read_text().replace("Bob Stone", "Bob S."), "utf-8")
    kit.sync("dana")
    run = kit.cli("maria", "sync").ok()
    assert lines_with(run.out, "team.toml:") == [
        "team.toml: 'bob' was changed by someone else too; theirs is kept"
    ]
    assert_not_mid_rebase(kit, "maria")
    members = remote_members(kit)
    assert list(members) == ["dana", "maria", "bob", "mike", "carol"]
    assert members["bob"]["name"] == "Bob S."
    subjects = kit.git(kit.remote, "log", "--format=%s", "main").stdout.splitlines()
    assert subjects[:2] == ["bob, alice", "carol"]


def test_a_conflict_in_another_file_is_one_line_naming_it(team: TeamKit) -> None:
    kit = team
    for who in ("maria", "dana"):
        (kit[who].ws / "drills" / "README.md").write_text(f"{who}'s packs\n", "utf-8")
    kit.sync("dana")
    run = kit.cli("maria", "sync")
    assert run.code == 1
    (line,) = run.err.splitlines()
    assert "git pull failed: CONFLICT (add/add): Merge conflict in drills/README.md" in line
    assert_not_mid_rebase(kit, "maria")  # left as it was before the pull
    assert (kit["maria"].ws / "drills" / "README.md").read_text() == "maria's packs\n"


def test_a_team_file_that_cannot_be_read_on_one_side_is_not_merged(team: TeamKit) -> None:
    kit = team
    team_file = kit["dana"].ws / "team.toml"
    text = team_file.read_text()
    assert "\n]\n" in text
    team_file.write_text(text.replace("\n]\n", "\n    this is not toml\n]\n"), "utf-8")
    kit.commit_all("dana", "a slip of the hand")
    kit.cli("maria", "team", "add", "carol", "--name", "Carol", "--role", "rep").ok()
    before = kit.git(kit["maria"].ws, "rev-parse", "HEAD").stdout
    run = kit.cli("maria", "sync")
    assert run.code == 1
    (line,) = run.err.splitlines()
    assert "git pull failed: a conflict in team.toml, which cannot be merged: " in line
    assert "team.toml (the version already pushed): " in line
    assert "line 9" in line, line
    assert_not_mid_rebase(kit, "maria")
    assert kit.git(kit["maria"].ws, "rev-parse", "HEAD").stdout != before  # her commit
    assert "carol" in (kit["maria"].ws / "team.toml").read_text()


def test_the_team_file_merge_keeps_my_changes_where_no_one_else_made_one(
    tmp_path: Path,
) -> None:
    def team(name: str, *members: Member) -> Team:
        return Team(tmp_path, name, {member.id: member for member in members})

    dana = Member("dana", "Dana", "manager")
    alice, bob, carol = (Member(i, i.title(), "rep", "dana") for i in ("alice", "bob", "carol"))
    base = team("West", dana, alice, bob, carol)
    # I remove alice (no one else touched her) and bob (whom someone renamed), rename
    # carol (whom someone removed) and the team; they rename dana, as I did
    mine = team("West sales", replace(dana, name="D."), replace(carol, name="Caz"))
    upstream = team("West", replace(dana, name="D."), alice, replace(bob, name="Bobby"))
    merged, notes = merge_teams(base, upstream, mine)
    assert merged.name == "West sales"
    assert merged.members == {"dana": replace(dana, name="D."), "bob": replace(bob, name="Bobby")}
    assert notes == [
        "team.toml: 'carol' was removed by someone else; your change is dropped",
        "team.toml: 'bob' was changed by someone else; kept, not removed",
    ]
    merged, notes = merge_teams(base, team("East", dana, alice, bob, carol), mine)
    assert merged.name == "East"
    assert notes[-1] == "team.toml: the team's name was changed by someone else too; theirs is kept"


def test_a_sync_stopped_between_the_import_and_the_cards_leaves_no_card_behind(
    team: TeamKit, library: Library, tmp_path: Path
) -> None:
    """The import's transaction marks the cards it moved: a sync killed after the import
    committed, before any card was replayed, still shows the right due dates, for the
    rep's own cards and for the copy a manager keeps of a rep's."""
    from drillcoach.team.eventlog import import_events
    from drillcoach.team.workspace import membership

    kit = team
    kit.cli("maria", "assign", PACK, "--to", "alice", "--due", "2026-03-20").ok()
    kit.sync("maria")
    kit.sync("alice")
    done = kit.drill("alice", 2)
    kit.sync("alice")
    kit.sync("maria")
    uid = done[0][0].uid
    with kit.services("maria") as maria:
        kept_before = maria.scheduler_for("alice").state(done[0][0]).due  # maria looks: kept
    kit.clock.advance(hours=3)
    kit.cli("maria", "rate", "alice", "--drill", uid, "--context", "roleplay",
            "--score", LAER).ok()  # fmt: skip
    kit.sync("maria")
    kit.clock.advance(days=1)
    more = kit.drill("alice", 1, rating=1)  # a lapse on another drill, for maria's copy

    # alice's sync dies right after the import commits: pull and import, nothing after
    kit.git(kit["alice"].ws, "pull", "--rebase", "--quiet")
    with kit.services("alice") as alice:
        mine = membership(alice.config.workspace, alice.config.member)
        assert import_events(alice.store, mine).added == 1
    with kit.services("alice") as alice:
        assert alice.scheduler.state(done[0][0]).due == replayed_due(
            kit, library, "alice", uid, tmp_path
        )
    assert kit.cli("alice", "doctor").ok().out.startswith("ok: ")

    # maria's copy of alice's cards: brought in by a whole sync, replayed when she looks
    kit.sync("alice")
    kit.sync("maria")
    with kit.services("maria") as maria:
        scheduler = maria.scheduler_for("alice")
        assert scheduler.state(done[0][0]).due != kept_before
        for drill in (done[0][0], more[0][0]):
            assert scheduler.state(drill).due == replayed_due(
                kit, library, "alice", drill.uid, tmp_path / drill.uid.replace("/", "-")
            )


def test_two_workspaces_made_in_the_same_empty_repository_merge_into_one(
    team: TeamKit,
) -> None:
    kit = team
    remote = kit.root / "second.git"
    kit.git(kit.root, "init", "--quiet", "--bare", str(remote))
    for who, name, team_name in (("xena", "Xena", "North"), ("yuri", "Yuri", "South")):
        person = kit.new_person(who, name, "manager")
        kit.git(kit.root, "clone", "--quiet", str(remote), str(person.ws))
        kit.cli(who, "team", "init", str(person.ws), "--name", team_name,
                "--manager", who, "--manager-name", name).ok()  # fmt: skip
    kit.sync("xena")
    run = kit.sync("yuri")  # team.toml added on both sides: no common base
    assert lines_with(run.out, "team.toml:") == [
        "team.toml: the team's name was changed by someone else too; theirs is kept"
    ]
    assert_not_mid_rebase(kit, "yuri")
    merged = read_team(kit["yuri"].ws)
    assert merged.name == "North"
    assert list(merged.members) == ["xena", "yuri"]
    shown = kit.git(remote, "show", "main:team.toml").stdout
    assert 'id = "yuri"' in shown
