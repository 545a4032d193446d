"""A team on disk for the team tests: a bare git repository as the team's remote, one
clone and one DRILLCOACH_HOME per person (dana the director, maria the manager, alice
and bob her reps), set up with the real command line and real git, on a fixed clock.

git runs with no global or system configuration and no identity in the environment of
drillcoach (sync names the member as author itself, as on a machine where git knows no
one); the kit's own git commands (a forger's commit, a push of someone else) carry an
identity of their own."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

import drillcoach.services as services_module
from drillcoach.cli import main as cli_main
from drillcoach.config import Config
from drillcoach.content import Drill
from drillcoach.events import Event, from_dict
from drillcoach.scheduling.recording import Attempt, Rated
from drillcoach.services import Services
from helpers import FakeClock

TEAM_NAME = "West sales"
ANSWER = "I hear you on price. What are you comparing us to?"
# the kit's own git commands (never drillcoach's) commit as this
KIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Team Kit",
    "GIT_AUTHOR_EMAIL": "kit@example.invalid",
    "GIT_COMMITTER_NAME": "Team Kit",
    "GIT_COMMITTER_EMAIL": "kit@example.invalid",
}
PEOPLE = (
    ("dana", "Dana Diaz", "manager", None),
    ("maria", "Maria Lopez", "manager", "dana"),
    ("alice", "Alice Ng", "rep", "maria"),
    ("bob", "Bob Stone", "rep", "maria"),
)


@dataclass(frozen=True)
class Run:
    """What one command did: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    def ok(self) -> Run:
        assert self.code == 0, f"exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"
        return self


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    manager: str | None
    home: Path
    ws: Path  # the person's clone of the team's repository


@dataclass
class TeamKit:
    root: Path
    remote: Path
    clock: FakeClock
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, who: str) -> Person:
        return self.people[who]

    def new_person(self, who: str, name: str, role: str = "rep", manager: str | None = None,
                   ws: Path | None = None) -> Person:  # fmt: skip
        """A DRILLCOACH_HOME for one more person (who clones or makes a workspace next)."""
        home = self.root / "homes" / who
        home.mkdir(parents=True)
        (home / "config.toml").write_text("fuzz = false\n", encoding="utf-8")
        person = Person(who, name, role, manager, home, ws or self.root / who)
        self.people[who] = person
        return person

    # --- the command line, in this process, on the kit's clock

    def cli(self, who: str, *argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli_main(["--home", str(self[who].home), *argv])
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
        return Run(code, out.getvalue(), err.getvalue())

    def sync(self, who: str, *options: str) -> Run:
        return self.cli(who, "sync", *options).ok()

    @contextlib.contextmanager
    def services(self, who: str) -> Iterator[Services]:
        opened = services_module.open_services(self[who].home)
        try:
            yield opened
        finally:
            opened.close()

    # --- a real drillcoach process (for a sync killed at a step)

    def process(
        self, who: str, *argv: str, env: dict[str, str] | None = None
    ) -> subprocess.Popen[str]:
        environment = {**os.environ, "DRILLCOACH_HOME": str(self[who].home), **(env or {})}
        return subprocess.Popen(
            [sys.executable, "-m", "drillcoach", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
        )

    def run_process(self, who: str, *argv: str, env: dict[str, str] | None = None) -> Run:
        child = self.process(who, *argv, env=env)
        out, err = child.communicate(timeout=120)
        return Run(child.returncode, out, err)

    # --- drilling, through the domain as the TUI does

    def drill(
        self,
        who: str,
        count: int,
        rating: int = 3,
        *,
        answer: str = ANSWER,
        ask_review: bool = False,
    ) -> list[tuple[Drill, Rated]]:
        """The rep answers the first ``count`` drills of their queue, each rated
        ``rating`` with the first key point ticked; with ``ask_review`` the last answer
        is sent to their manager."""
        from drillcoach.team.feedback import ask_review as ask
        from drillcoach.team.workspace import membership

        done: list[tuple[Drill, Rated]] = []
        with self.services(who) as s:
            items = s.scheduler.queue().items[:count]
            assert len(items) == count, f"{who} has {len(items)} drills in the queue"
            for item in items:
                attempt = Attempt(duration_ms=30_000, key_points_hit=(0,), answer=answer)
                done.append((item.drill, s.scheduler.record_self(item.drill, rating, attempt)))
                self.clock.advance(minutes=2)
            if ask_review:
                mine = membership(s.config.workspace, s.config.member)
                drill, rated = done[-1]
                ask(s.store, mine, drill, answer, at=s.clock(), rating=rated.event,
                    key_points_hit=(0,))  # fmt: skip
        return done

    # --- git, for what the kit itself does in a clone or the remote

    def git(self, where: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return git(where, *args, check=check)

    def commit_all(self, who: str, message: str = "by hand") -> None:
        """Commit everything in the person's clone as the kit and push it (what a
        member who edits the workspace by hand, or a forger, does)."""
        ws = self[who].ws
        self.git(ws, "add", "--all")
        self.git(ws, "commit", "--quiet", "--allow-empty", f"--message={message}")
        self.git(ws, "pull", "--rebase", "--quiet")
        self.git(ws, "push", "--quiet")

    def remote_file(self, relative: str) -> str:
        """A file as the remote's main branch holds it."""
        return self.git(self.remote, "show", f"main:{relative}").stdout


def git(where: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["git", "-C", str(where), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **KIT_IDENTITY, "LC_ALL": "C"},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result


def hermetic_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git with no configuration from this machine and no identity: as on a fresh CI
    runner (drillcoach must name the author itself)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    empty = tmp_path / "gitconfig"
    empty.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (*KIT_IDENTITY, "EMAIL", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TZ", "UTC")


def fixed_clock(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every profile the command line opens (in this process) runs on ``clock``, in UTC."""
    real = services_module.open_services

    def on_clock(home: Any = None, *, clock: Any = clock, tz: Any = UTC) -> Services:
        return real(home, clock=clock, tz=tz)

    monkeypatch.setattr(services_module, "open_services", on_clock)


def build_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> TeamKit:
    """The whole team, set up as people do: dana makes the workspace in her clone, adds
    maria, alice and bob, syncs; the others clone and join."""
    hermetic_git(tmp_path, monkeypatch)
    fixed_clock(clock, monkeypatch)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    kit = TeamKit(tmp_path, remote, clock)
    for member_id, name, role, manager in PEOPLE:
        kit.new_person(member_id, name, role, manager)
    git(tmp_path, "clone", "--quiet", str(remote), str(kit["dana"].ws))
    kit.cli("dana", "team", "init", str(kit["dana"].ws), "--name", TEAM_NAME,
            "--manager", "dana", "--manager-name", "Dana Diaz").ok()  # fmt: skip
    for member_id, name, role, manager in PEOPLE[1:]:
        kit.cli("dana", "team", "add", member_id, "--name", name, "--role", role,
                "--manager", manager or "dana").ok()  # fmt: skip
    kit.sync("dana")
    for person in list(kit.people.values())[1:]:
        git(tmp_path, "clone", "--quiet", str(remote), str(person.ws))
        kit.cli(person.id, "team", "join", str(person.ws), "--as", person.id).ok()
    return kit


# --- reading what is in the workspace


def event_ids(folder: Path) -> Counter[str]:
    """How many times each event id is written in the member's month files."""
    found: Counter[str] = Counter()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            found[json.loads(line)["id"]] += 1
    return found


def events_in(*folders: Path) -> list[Event]:
    """Every event of these members' month files, in file order."""
    found: list[Event] = []
    for folder in folders:
        for path in sorted(folder.glob("*.jsonl")):
            found.extend(from_dict(json.loads(line)) for line in path.read_bytes().splitlines())
    return found


def rep_config(member: str) -> Config:
    return replace(Config(), fuzz=False, member=member, name=member)
