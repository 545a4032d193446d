"""The team commands' mistakes: exit 2 and one line naming the argument (or the file and
key) at fault; a machine that will not (no git, a remote that is not there) is one line
and exit 1; a workspace with no remote or no upstream still syncs what it can."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import FakeClock, one_line
from teamkit import TeamKit, build_team, git

UID = "objections-core/price-too-high"
LAER = "listen=4,acknowledge=4,explore=3,respond=4,confirm=2,advance=3"
RATE = ["rate", "alice", "--drill", UID, "--context", "roleplay"]


@pytest.fixture(scope="module")
def shared_team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamKit]:
    """One team for the mistakes below, which change nothing."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield build_team(tmp_path_factory.mktemp("team"), monkeypatch, FakeClock())


MISTAKES = [
    ("maria", ["assign", "nope", "--to", "alice", "--due", "2026-03-20"], ["no pack 'nope'"]),
    ("maria", ["assign", "closing", "--to", "alice", "--due", "tomorrow"],
     ["--due 'tomorrow'", "expected a date like"]),
    ("maria", ["assign", "closing", "--to", "alice", "--due", "2026-02-30"], ["--due"]),
    ("maria", ["assign", "closing", "--to", "alice", "--due", "2026-03-01"],
     ["--due 2026-03-01", "has passed"]),
    ("maria", ["assign", "closing", "--to", "zed", "--due", "2026-03-20"],
     ["--to", "no member 'zed'"]),
    ("maria", ["assign", "closing", "--to", "dana", "--due", "2026-03-20"],
     ["--to", "'dana' is not one of your reps"]),
    ("maria", ["assign", "closing", "--due", "2026-03-20"], ["--to alice,bob or --all"]),
    ("maria", ["assign", "closing", "--to", "alice"], ["--due YYYY-MM-DD"]),
    ("maria", ["assign", "remove", "nope"], ["no assignment 'nope' of yours"]),
    ("alice", ["assign", "closing", "--to", "bob", "--due", "2026-03-20"],
     ["assign: only a manager can", "'alice', a rep"]),
    ("maria", [*RATE, "--score", f"{LAER},charm=3"], ["--score", "no criterion 'charm'"]),
    ("maria", [*RATE, "--score", "listen=4,acknowledge=4,explore=3,respond=4"],
     ["--score", "missing a score for 'confirm'"]),
    ("maria", [*RATE, "--score", LAER.replace("listen=4", "listen=6")],
     ["--score", "'listen' must be 1 to 5, got 6"]),
    ("maria", [*RATE, "--score", "listen=good"], ["--score 'listen=good'", "CRITERION=N"]),
    ("maria", [*RATE, "--score", f"{LAER},listen=3"], ["--score", "'listen' is scored twice"]),
    ("maria", RATE, ["--score", "listen=N", "confirm=N"]),
    ("maria", ["rate", "alice", "--drill", "nope/x", "--context", "roleplay", "--score", LAER],
     ["--drill", "no drill 'nope/x'"]),
    ("maria", ["rate", "alice", "--skill", "juggling", "--context", "joint-call", "--score",
               LAER], ["--skill", "no skill 'juggling'"]),
    ("maria", ["rate", "alice", "--drill", UID, "--score", LAER], ["--context"]),
    ("maria", [*RATE[:4], "--context", "party", "--score", LAER], ["--context", "'party'"]),
    ("maria", ["rate", "alice", "--request", "abcd1234", "--score", LAER],
     ["--request", "no request with an id starting 'abcd1234'"]),
    ("maria", ["rate", "alice", "--request", "abcd1234", "--context", "roleplay", "--score",
               LAER], ["--context", "not with --request"]),
    ("maria", ["rate", "zed", "--drill", UID, "--context", "roleplay", "--score", LAER],
     ["no member 'zed'"]),
    ("maria", ["rate", "dana", "--drill", UID, "--context", "roleplay", "--score", LAER],
     ["'dana' is not one of your reps"]),
    ("alice", ["rate", "bob", "--drill", UID, "--context", "roleplay", "--score", LAER],
     ["rate: only a manager can", "'alice', a rep"]),
    ("alice", ["team", "add", "zed", "--name", "Z", "--role", "rep"],
     ["team add: only a manager can"]),
    ("maria", ["team", "add", "Zed", "--name", "Z", "--role", "rep"], ["member id 'Zed'"]),
    ("maria", ["team", "add", "alice", "--name", "Z", "--role", "rep"],
     ["'alice' is already a member"]),
    ("maria", ["team", "add", "zed", "--name", "Z", "--role", "rep", "--manager", "alice"],
     ["--manager", "'alice' is a rep"]),
    ("maria", ["team", "add", "zed", "--name", "Z", "--role", "boss"], ["--role", "'boss'"]),
    ("dana", ["team", "init", "{root}/new", "--name", "X", "--manager=-rf"],
     ["--manager '-rf'"]),
    ("dana", ["team", "init", "{ws}", "--name", "X", "--manager", "dana"],
     ["a team workspace is already here"]),
]  # fmt: skip


@pytest.mark.parametrize(("who", "argv", "fragments"), MISTAKES,
                         ids=[" ".join(argv[:3]) for _, argv, _ in MISTAKES])  # fmt: skip
def test_a_mistake_is_one_line_and_exit_2(
    shared_team: TeamKit, who: str, argv: list[str], fragments: list[str]
) -> None:
    kit = shared_team
    words = [w.format(root=kit.root, ws=kit[who].ws) for w in argv]
    run = kit.cli(who, *words)
    assert run.code == 2, run
    assert run.out == ""
    one_line(run.err, *fragments)


def test_mistakes_change_nothing(shared_team: TeamKit) -> None:
    kit = shared_team
    for who in ("maria", "alice"):
        with kit.services(who) as s:
            assert s.store.manager_ratings("alice") == []
            assert s.store.assignments() == []
    assert not (kit["maria"].ws / "assignments" / "maria.toml").exists()
    assert not (kit.root / "new").exists()


def test_joining_as_someone_not_in_the_team_file_is_refused(team: TeamKit) -> None:
    kit = team
    newcomer = kit.new_person("zed", "Zed")
    git(kit.root, "clone", "--quiet", str(kit.remote), str(newcomer.ws))
    run = kit.cli("zed", "team", "join", str(newcomer.ws), "--as", "zed")
    assert run.code == 2
    one_line(run.err, str(newcomer.ws / "team.toml"), "no member 'zed'", "alice")
    assert "workspace" not in (newcomer.home / "config.toml").read_text(encoding="utf-8")
    nowhere = kit.cli("zed", "team", "join", str(kit.root / "nowhere"), "--as", "zed")
    assert nowhere.code == 2
    one_line(nowhere.err, "nowhere/team.toml", "no team file here")


NEEDS_A_WORKSPACE = [
    ["sync"],
    ["assign", "list"],
    ["assign", "closing", "--to", "bob", "--due", "2026-03-20"],
    ["rate", "bob", "--skill", "discovery", "--context", "joint-call", "--score", LAER],
    ["team", "show"],
    ["team", "add", "zed", "--name", "Z", "--role", "rep"],
    ["team", "leave"],
]


def test_commands_that_need_a_workspace_say_how_to_join_one(team: TeamKit) -> None:
    kit = team
    kit.cli("alice", "team", "leave").ok()
    for argv in NEEDS_A_WORKSPACE:
        run = kit.cli("alice", *argv)
        assert run.code == 2, (argv, run)
        one_line(run.err, "not in a team workspace")
    quiet = kit.cli("alice", "inbox")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    assert "Team" not in kit.cli("alice", "today").ok().out
    kit.cli("alice", "team", "join", str(kit["alice"].ws), "--as", "alice").ok()
    kit.sync("alice")


def test_sync_without_git_installed_is_one_line(
    team: TeamKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = team
    kit.drill("alice", 1)
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    run = kit.cli("alice", "sync")
    assert run.code == 1
    one_line(run.err, str(kit["alice"].ws), "git is not installed", "install git to sync")
    # a workspace made where git is missing is a plain folder, and syncs as one
    folder = tmp_path / "plain"
    solo = kit.new_person("solo", "Solo Manager", "manager", ws=folder)
    made = kit.cli("solo", "team", "init", str(folder), "--name", "Solo", "--manager", "solo")
    assert made.code == 0, made
    assert "the workspace is a plain folder" in made.out
    monkeypatch.undo()
    assert not (folder / ".git").exists()
    assert "not a git repository: nothing to commit or push" in kit.sync(solo.id).out


def test_a_repository_with_no_remote_just_commits(team: TeamKit, tmp_path: Path) -> None:
    kit = team
    folder = tmp_path / "local-team"
    solo = kit.new_person("solo", "Solo Manager", "manager", ws=folder)
    init = ["team", "init", str(folder), "--name", "Local", "--manager", "solo"]
    made = kit.cli("solo", *init, "--manager-name", "Solo Manager")
    assert "(a new git repository)" in made.ok().out
    assert "Solo Manager" in kit.cli("solo", "config").ok().out  # Today greets them by it
    kit.cli("solo", "team", "add", "ray", "--name", "Ray", "--role", "rep").ok()
    first = kit.sync(solo.id).out
    assert "committed; the repository has no remote to push to" in first
    log = git(folder, "log", "--format=%an <%ae>|%s").stdout.splitlines()
    assert log == ["Solo Manager <solo@drillcoach.invalid>|drillcoach sync: solo, changes"]
    assert git(folder, "status", "--porcelain").stdout == ""
    again = kit.sync(solo.id).out
    assert "committed; the repository has no remote to push to" in again
    assert len(git(folder, "log", "--format=%s").stdout.splitlines()) == 1


def test_a_clone_with_no_upstream_pushes_and_sets_it(team: TeamKit) -> None:
    kit = team
    ws = kit["alice"].ws
    git(ws, "branch", "--unset-upstream")
    kit.drill("alice", 1)
    assert "pulled and pushed" in kit.sync("alice").out
    assert git(ws, "rev-parse", "--abbrev-ref", "@{upstream}").stdout.strip() == "origin/main"
    assert "events/alice/2026-03.jsonl" in git(kit.remote, "ls-tree", "-r", "main").stdout


def test_a_remote_that_is_not_there_is_one_line(team: TeamKit, tmp_path: Path) -> None:
    kit = team
    ws = kit["alice"].ws
    git(ws, "branch", "--unset-upstream")
    git(ws, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    kit.drill("alice", 1)
    run = kit.cli("alice", "sync")
    assert run.code == 1
    one_line(run.err, str(ws), "the remote repository was not found")
    # the events are committed locally all the same, and go out once the remote is back
    assert "events/alice/2026-03.jsonl" in git(ws, "ls-tree", "-r", "HEAD").stdout
    git(ws, "remote", "set-url", "origin", str(kit.remote))
    assert "pulled and pushed" in kit.sync("alice").out


def test_sync_verbose_says_each_step_and_quiet_says_nothing(team: TeamKit) -> None:
    kit = team
    kit.drill("alice", 2)
    run = kit.cli("alice", "sync", "--verbose").ok()  # stderr is no terminal: plain lines
    steps = [line.strip() for line in run.err.splitlines()]
    assert steps == [
        "writing your events...",
        "pulling from the team's repository...",
        "reading the team's events...",
        "pushing your events...",
    ]
    assert run.out.splitlines() == [
        "Synced with West sales: wrote 2 events, brought in 0 new; pulled and pushed."
    ]
    kit.drill("alice", 1)
    quiet = kit.cli("alice", "sync", "--quiet").ok()  # for cron: nothing to mail home
    assert (quiet.out, quiet.err) == ("", "")
    assert "pulled and pushed" in kit.sync("alice").out  # and it did sync
    both = kit.cli("alice", "sync", "--quiet", "--verbose")
    assert both.code == 2 and "not allowed with argument" in both.err


def test_sync_commits_only_my_own_files(team: TeamKit) -> None:
    kit = team
    ws = kit["alice"].ws
    (ws / "scratch.txt").write_text("my notes\n", encoding="utf-8")
    team_file = ws / "team.toml"
    edited = team_file.read_text(encoding="utf-8") + "# alice was here\n"
    team_file.write_text(edited, encoding="utf-8")
    kit.drill("alice", 1)
    kit.cli("maria", "assign", "closing", "--to", "alice", "--due", "2026-03-20").ok()
    kit.sync("maria")  # alice's pull has something to rebase onto
    assert "pulled and pushed" in kit.sync("alice").out
    changed = git(ws, "show", "--name-only", "--format=", "HEAD").stdout.split()
    assert changed == ["events/alice/2026-03.jsonl"]
    assert "alice was here" not in kit.remote_file("team.toml")
    assert team_file.read_text(encoding="utf-8") == edited  # kept, not committed
    assert (ws / "scratch.txt").exists()
    with kit.services("alice") as alice:
        assert [a.pack for a in alice.scheduler.my_assignments()] == ["closing"]


def test_a_rebase_left_half_done_is_undone_first(team: TeamKit) -> None:
    kit = team
    ws = kit["alice"].ws
    kit.drill("alice", 1)
    kit.sync("alice")
    kit.drill("alice", 1)
    kit.sync("alice")
    # an interrupted sync (or anyone) left a rebase stopped half-way
    stopped = git(ws, "rebase", "--exec", "false", "HEAD~1", check=False)
    assert stopped.returncode != 0
    assert (ws / ".git" / "rebase-merge").exists()
    kit.drill("alice", 1)
    assert "pulled and pushed" in kit.sync("alice").out
    assert not (ws / ".git" / "rebase-merge").exists()
    assert len(kit.remote_file("events/alice/2026-03.jsonl").splitlines()) == 3


def test_a_git_lock_left_behind_is_one_line(team: TeamKit) -> None:
    kit = team
    ws = kit["alice"].ws
    kit.drill("alice", 1)
    (ws / ".git" / "index.lock").write_text("", encoding="utf-8")
    run = kit.cli("alice", "sync")
    assert run.code == 1
    one_line(run.err, str(ws), "remove .git/index.lock")
    (ws / ".git" / "index.lock").unlink()
    assert "wrote 0 events" in kit.sync("alice").out  # written the first time, kept
    assert len(kit.remote_file("events/alice/2026-03.jsonl").splitlines()) == 1


def test_a_team_pack_loads_for_everyone_after_sync(team: TeamKit) -> None:
    """`packs new --team` writes into the workspace's drills/; after the syncs the pack
    loads beside the built-in ones on a rep's machine, validated the same way, and can be
    assigned; a rep cannot write one, and a broken team pack is named, the rest load."""
    kit = team
    made = kit.cli("maria", "packs", "new", "renewals", "--team").ok()
    pack_file = kit["maria"].ws / "drills" / "renewals.toml"
    assert f"wrote {pack_file}" in made.out
    one_line(kit.cli("alice", "packs", "new", "mine", "--team").err, "only a manager can")
    kit.sync("maria")
    kit.sync("alice")
    listed = kit.cli("alice", "packs", "list").ok().out
    assert [line.split()[-2] for line in listed.splitlines() if line.startswith("renewals ")] == [
        "workspace"
    ]
    kit.cli("maria", "assign", "renewals", "--to", "alice", "--due", "2026-03-20").ok()
    kit.sync("maria")
    kit.sync("alice")
    assert "Assigned by Maria Lopez: Renewals" in kit.cli("alice", "today").ok().out

    # maria breaks it by hand and shares that: alice is told which file and key, and
    # everything else still loads
    text = pack_file.read_text("utf-8").replace('kind = "objection"', 'kind = "sonnet"', 1)
    pack_file.write_text(text, "utf-8")
    kit.commit_all("maria", "a typo")
    kit.sync("maria")
    kit.sync("alice")
    checked = kit.cli("alice", "packs", "validate")
    assert checked.code == 2
    assert str(kit["alice"].ws / "drills" / "renewals.toml") in checked.out + checked.err
    assert "kind" in checked.out + checked.err
    assert "objections-core" in kit.cli("alice", "packs", "list").ok().out
