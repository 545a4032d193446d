"""``drillcoach sync``: write my new events to the workspace, bring in everyone else's that
concern me, refresh assignments; in a git repository, commit only my own files, pull with
rebase and push, retrying when someone pushed first. git is run with fixed arguments (a
workspace's content is never an option) and never asks for a password on the terminal.

Every step can be interrupted and run again: lines are written once (team/eventlog.py),
each file's import is one transaction with its read mark, and a rebase left half-done is
undone before anything else."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from drillcoach.errors import MachineError, UserError
from drillcoach.scheduling.cards import cards_kept, cards_waiting
from drillcoach.services import Services
from drillcoach.steps import Progress, unheard
from drillcoach.store import Store
from drillcoach.store.encoding import micros
from drillcoach.team import assignments as assignment_files
from drillcoach.team.eventlog import Refusal, export, import_events
from drillcoach.team.workspace import (
    TEAM_FILE,
    Membership,
    Team,
    checked_path,
    membership,
    merge_teams,
    render_team,
    team_from_bytes,
    workspace_files,
    write_team,
)
from drillcoach.tomlcheck import Problem

LAST_SYNC = "last_sync"  # settings key: when sync last ran and what it did
PUSH_ATTEMPTS = 4
MERGED_COMMITS = 50  # of my commits, each merged in team.toml, in one pull
GIT_TIMEOUT = 180  # seconds for one git command (a network that hangs must not)
# test-only: sync kills itself (SIGKILL) right after the step named here
KILL_AT = "DRILLCOACH_TEST_KILL_AT"


@dataclass
class SyncReport:
    exported: int = 0
    added: int = 0
    known: int = 0
    refused: list[Refusal] = field(default_factory=list)
    new_refusals: int = 0
    assignments: int = 0
    new_assignments: int = 0  # assignments this sync brought that were not here before
    git: str = ""  # what happened with git, in a few words
    files: int = 0
    team: str = ""  # the team's name, as team.toml says after the pull
    notes: list[str] = field(default_factory=list)  # my team.toml changes a merge dropped


def sync(services: Services, *, progress: Progress = unheard) -> SyncReport:
    """One sync of this profile with its team workspace."""
    config = services.config
    mine = require_workspace(services)
    root = mine.root
    repo = Git(root) if Git.is_repository(root) else None
    report = SyncReport()
    now = services.clock()
    if repo is not None:
        repo.recover()
    progress("writing your events")
    report.exported = export(services.store, mine, config=config, now=now)
    _checkpoint("exported")
    if repo is None:
        report.git = "not a git repository: nothing to commit or push"
        _bring_in(services, mine, report, progress)
    else:
        repo.commit_mine(mine, report.exported)
        _checkpoint("committed")
        remote = repo.remote()
        if remote is None:
            report.git = "committed; the repository has no remote to push to"
            _bring_in(services, mine, report, progress)
        else:
            _exchange(services, mine, repo, remote, report, progress)
    services.store.set_setting(
        LAST_SYNC,
        {
            "at": micros(services.clock()),
            "exported": report.exported,
            "added": report.added,
            "refused": len(report.refused),
            "git": report.git,
        },
    )
    return report


def _exchange(
    services: Services,
    mine: Membership,
    repo: Git,
    remote: tuple[str, str | None],
    report: SyncReport,
    progress: Progress,
) -> None:
    """Pull, bring in, push; again while someone else pushed first."""
    merged = False
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        progress("pulling from the team's repository")
        pulled = repo.pull(remote, mine)
        merged = merged or pulled.merged > 0
        report.notes.extend(note for note in pulled.notes if note not in report.notes)
        _checkpoint("pulled")
        # the team file just pulled is the one this import trusts (members added, removed)
        mine = membership(services.config.workspace, services.config.member)
        _bring_in(services, mine, report, progress)
        _checkpoint("imported")
        progress("pushing your events")
        if repo.push(remote):
            report.git = "pulled and pushed" if attempt == 1 else f"pushed at try {attempt}"
            if merged:
                report.git += f" ({TEAM_FILE} merged with the team's)"
            _checkpoint("pushed")
            return
        remote = repo.remote() or remote  # the first push may have set the upstream
    raise MachineError(
        f"{mine.root}: the push was refused {PUSH_ATTEMPTS} times because others pushed "
        "first each time; run 'drillcoach sync' again (everything is saved locally)"
    )


def _bring_in(services: Services, mine: Membership, report: SyncReport, progress: Progress) -> None:
    """Import what concerns me, refresh assignments and the cards the import moved."""
    progress("reading the team's events")
    report.team = mine.team.name
    store = services.store
    imported = import_events(store, mine, progress=progress)
    report.added += imported.added
    report.known += imported.known
    report.files += imported.files
    problems: list[Problem] = []
    found = assignment_files.read_assignments(mine.team, problems)
    before = {assignment.id for assignment in store.assignments()}
    current = assignment_files.expanded(mine.team, found)
    store.replace_assignments(current)
    report.assignments = len(found)
    mine_or_below = {mine.me.id, *(member.id for member in mine.team.below(mine.me.id))}
    arrived = {a.id for a in current if mine_or_below & set(a.members)} - before
    report.new_assignments += len(arrived)
    refused = imported.refused + [
        Refusal(_relative(mine.root, problem.file), 0, _words(problem)) for problem in problems
    ]
    report.refused.extend(refused)
    report.new_refusals += store.add_refusals(
        [(r.file, r.line, r.reason) for r in refused], services.clock()
    )
    _keep_cards(services, mine, imported.touched, progress)


def _keep_cards(
    services: Services, mine: Membership, touched: Iterable[str], progress: Progress
) -> None:
    """Bring up to date now the cards of every rep the import touched, and of every rep
    below me whose cards are not kept or still wait (an earlier sync interrupted after its
    import): mine, so Today is right after a sync; my reps', so the team's figures read
    kept cards. A kept card mostly steps through its new ratings instead of replaying its
    history; a rep whose cards were never kept gets them all built here, once (a
    manager's first sync pays it for the whole team). Each rep in a transaction of their
    own, as ``ready`` does: an interruption loses nothing, and the next sync goes on."""
    store = services.store
    below = [member.id for member in mine.team.reps_below(mine.me.id)]
    reps = sorted({*touched, *(rep for rep in below if cards_waiting(store, rep))})
    if not reps:
        return
    cold = {rep for rep in reps if not cards_kept(store, rep)}
    what = f"updating the cards of {len(reps)} rep(s)"
    if cold:
        what += f", building them for {len(cold)} for the first time"
    progress(what)
    for done, rep in enumerate(reps, 1):
        services.scheduler_for(rep).cards.settle()
        progress(what, done, len(reps))


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _words(problem: Problem) -> str:
    parts = [
        part for part in (problem.where, f"key {problem.key!r}" if problem.key else "") if part
    ]
    return ": ".join([*parts, problem.message])


def _checkpoint(step: str) -> None:
    if os.environ.get(KILL_AT) == step:  # pragma: no cover - the process ends here
        os.kill(os.getpid(), signal.SIGKILL)


def last_sync(store: Store) -> tuple[datetime, dict[str, object]] | None:
    """When sync last ran here, and what it reported."""
    from drillcoach.store.encoding import moment

    found = store.get_setting(LAST_SYNC)
    if not isinstance(found, dict) or not isinstance(found.get("at"), int):
        return None
    return moment(found["at"]), found


# --- git, with fixed arguments


@dataclass
class Pulled:
    """What a pull did beyond git's own: my commits whose team.toml it merged, and a line
    for each change of mine the merge dropped (someone else changed the same member)."""

    merged: int = 0
    notes: list[str] = field(default_factory=list)


class Git:
    """The git repository holding a workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def is_repository(root: Path) -> bool:
        """Whether ``root`` is inside a git work tree (git itself must be there to say)."""
        inside = any((folder / ".git").exists() for folder in (root, *root.parents))
        if not inside:
            return False
        result = _run(root, ["rev-parse", "--is-inside-work-tree"], check=False)
        return result.returncode == 0 and result.stdout.strip() == "true"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run(self.root, list(args), check=check)

    def recover(self) -> None:
        """Undo a rebase an interrupted sync left half-done (my commit is kept)."""
        git_dir = Path(self.run("rev-parse", "--absolute-git-dir").stdout.strip())
        if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
            self.run("rebase", "--abort")

    def commit_mine(self, mine: Membership, exported: int) -> bool:
        """Commit my own files (and nothing else); whether there was anything to commit."""
        paths = [p for p in workspace_files(mine.root, mine.me) if (mine.root / p).exists()]
        if not paths:
            return False
        # whether any of them changed, asked without writing the index: a write re-reads
        # every file the last pull wrote within the index's second (git's racy-clean
        # check), a tenth of a second in a big workspace for a sync with nothing of mine
        # (GIT_OPTIONAL_LOCKS=0 in _environment)
        changed = self.run("status", "--porcelain", "-z", "--untracked-files=all", "--",
                           *paths).stdout  # fmt: skip
        if not changed:
            return False
        self.run("add", "--all", "--", *paths)
        staged = self.run("diff", "--cached", "--quiet", "--", *paths, check=False)
        if staged.returncode == 0:
            return False
        what = f"{exported} event(s)" if exported else "changes"
        self.run(
            *self._identity(mine),
            "commit",
            "--quiet",
            f"--message=drillcoach sync: {mine.me.id}, {what}",
            "--",
            *paths,
        )
        return True

    def _identity(self, mine: Membership) -> list[str]:
        """-c options naming the member as author when git knows no one on this machine."""
        known = self.run("config", "user.email", check=False).stdout.strip()
        if known:
            return []
        return [
            "-c",
            f"user.name={mine.me.name}",
            "-c",
            f"user.email={mine.me.id}@drillcoach.invalid",
        ]

    def remote(self) -> tuple[str, str | None] | None:
        """(remote, its branch to pull from, or None when it has none yet), or None when the
        repository has no remote."""
        upstream = self.run(
            "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", check=False
        )
        if upstream.returncode == 0 and "/" in upstream.stdout:
            name, _, branch = upstream.stdout.strip().partition("/")
            return name, branch
        remotes = self.run("remote").stdout.split()
        if not remotes:
            return None
        name = "origin" if "origin" in remotes else remotes[0]
        branch = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
        heads = self.run("ls-remote", "--heads", name, check=False)
        if heads.returncode != 0:
            raise _failure(self.root, "ls-remote", heads)
        has_branch = any(
            line.endswith(f"refs/heads/{branch}") for line in heads.stdout.splitlines()
        )
        return name, branch if branch and has_branch else None

    def pull(self, remote: tuple[str, str | None], mine: Membership) -> Pulled:
        """Pull with rebase. team.toml has more than one writer (any manager adds members):
        where replaying one of my commits stops on it alone, the file is merged member by
        member and the rebase goes on; any other conflict undoes the rebase and is one
        line naming the file."""
        name, branch = remote
        pulled = Pulled()
        if branch is None:
            return pulled  # an empty remote: nothing to pull yet
        # rebasing my commits commits again: as me, where git knows no one on this machine
        identity = self._identity(mine)
        try:
            result = self.run(*identity, "pull", "--rebase", "--autostash", "--quiet",
                              "--", name, branch, check=False)  # fmt: skip
            for _ in range(MERGED_COMMITS):
                if result.returncode == 0:
                    return pulled
                team_path = self.top_relative(TEAM_FILE)
                if not self.rebasing() or self.conflicted() != [team_path]:
                    raise _failure(self.root, "pull", result)
                notes = self._merge_team(mine, team_path)
                pulled.notes.extend(note for note in notes if note not in pulled.notes)
                pulled.merged += 1
                self.run("add", "--", TEAM_FILE)
                result = self.run(*identity, "-c", "core.editor=true", "rebase", "--continue",
                                  check=False)  # fmt: skip
            raise MachineError(
                f"{self.root}: git pull failed: more than {MERGED_COMMITS} of your commits "
                f"change {TEAM_FILE} as others did; run 'drillcoach sync' again"
            )
        except BaseException:
            self.recover()  # never left half-way through a rebase
            raise

    def rebasing(self) -> bool:
        git_dir = Path(self.run("rev-parse", "--absolute-git-dir").stdout.strip())
        return (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists()

    def conflicted(self) -> list[str]:
        """The files with a conflict in the index, relative to the repository's top."""
        listed = self.run("diff", "--name-only", "--diff-filter=U", "-z").stdout
        return sorted(path for path in listed.split("\0") if path)

    def top_relative(self, relative: str) -> str:
        """A path in the workspace as git names it: relative to the repository's top."""
        return self.run("rev-parse", "--show-prefix").stdout.strip() + relative

    def staged(self, stage: int, path: str) -> bytes | None:
        """A file (top-relative) at one stage of a conflict (1 base, 2 upstream and 3 mine,
        in a rebase), or None when that side has none."""
        result = _run_binary(self.root, ["show", f":{stage}:{path}"])
        return result.stdout if result.returncode == 0 else None

    def _merge_team(self, mine: Membership, team_path: str) -> list[str]:
        """Resolve a conflict in team.toml: the version already pushed with my changes on
        top, written as 'team add' writes it."""
        root = mine.root
        sides: list[Team] = []
        for stage, side in ((1, "the common base"), (2, "the version already pushed"),
                            (3, "your version")):  # fmt: skip
            raw = self.staged(stage, team_path)
            if raw is None and stage == 1:
                sides.append(Team(root, ""))  # both sides added it: no base, no one on it
                continue
            label = root / f"{TEAM_FILE} ({side})"
            problems: list[Problem] = []
            team = team_from_bytes(root, raw, problems, label=label) if raw is not None else None
            if team is None:
                why = str(problems[0]) if problems else f"{label}: missing"
                raise MachineError(f"{root}: git pull failed: a conflict in {TEAM_FILE}, "
                                   f"which cannot be merged: {why}")  # fmt: skip
            sides.append(team)
        merged, notes = merge_teams(*sides)
        text = render_team(merged)
        problems = []
        if team_from_bytes(root, text.encode(), problems) is None:
            raise MachineError(f"{root}: git pull failed: your changes to {TEAM_FILE} do "
                               f"not fit with those already pushed: {problems[0]}")  # fmt: skip
        checked_path(root, TEAM_FILE)
        write_team(merged)
        return notes

    def push(self, remote: tuple[str, str | None]) -> bool:
        """Push my commits; False when refused because someone else pushed first."""
        name = remote[0]
        result = self.run("push", "--quiet", "--set-upstream", "--", name, "HEAD", check=False)
        if result.returncode == 0:
            return True
        text = result.stderr
        if any(sign in text for sign in ("[rejected]", "non-fast-forward", "fetch first")):
            return False
        # pushed at the same moment as another: the remote's head moved under this push
        if "[remote rejected]" in text and any(
            sign in text for sign in ("but expected", "incorrect old value")
        ):
            return False
        raise _failure(self.root, "push", result)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_TERMINAL_PROMPT="0",  # no password prompt that would hang a sync
        GIT_EDITOR="true",
        GIT_MERGE_AUTOEDIT="no",
        LC_ALL="C",  # git's messages in English, to tell a refused push from a failure
        LANGUAGE="C",
        GIT_OPTIONAL_LOCKS="0",  # status and diff never write the index on the side
    )
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def _run(
    root: Path, args: Sequence[str], *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    with _git_errors(root, args):
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            env=_environment(),
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    if check and result.returncode != 0:
        raise _failure(root, _step(args), result)
    return result


def _run_binary(root: Path, args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    """git with its output as bytes (a file's content), never checked."""
    with _git_errors(root, args):
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            env=_environment(),
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )


@contextlib.contextmanager
def _git_errors(root: Path, args: Sequence[str]) -> Iterator[None]:
    try:
        yield
    except FileNotFoundError:
        raise MachineError(
            f"{root}: git is not installed, and this workspace is a git repository; "
            "install git to sync"
        ) from None
    except subprocess.TimeoutExpired:
        raise MachineError(
            f"{root}: git {_step(args)} took longer than {GIT_TIMEOUT} s; check the network "
            "and run 'drillcoach sync' again"
        ) from None


def _step(args: Sequence[str]) -> str:
    """The git command in ``args``, past any '-c NAME=VALUE' options."""
    index = 0
    while index < len(args) and args[index] == "-c":
        index += 2
    return args[index] if index < len(args) else "command"


def _failure(root: Path, step: str, result: subprocess.CompletedProcess[str]) -> MachineError:
    """One line saying what git ran into."""
    text = result.stderr.strip() or result.stdout.strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    said = [line.strip() for line in f"{result.stderr}\n{result.stdout}".splitlines()]
    detail = next(
        (
            line.lstrip("! ")
            for line in said
            if line.startswith(("! [remote rejected]", "CONFLICT"))
        ),
        next(
            (line for line in lines if line.startswith(("fatal:", "error:"))),
            lines[-1] if lines else f"exit code {result.returncode}",
        ),
    )
    lower = text.lower()
    if (
        "could not resolve host" in lower
        or "network is unreachable" in lower
        or ("connection refused" in lower or "timed out" in lower)
    ):
        why = "cannot reach the team's remote repository (network)"
    elif (
        "authentication failed" in lower
        or "permission denied" in lower
        or ("could not read username" in lower or "publickey" in lower)
    ):
        why = "the remote refused your credentials (authentication)"
    elif "index.lock" in lower:
        why = (
            "another git is working in this repository, or one was interrupted "
            "(if none is running, remove .git/index.lock)"
        )
    elif "does not appear to be a git repository" in lower or "not found" in lower:
        why = "the remote repository was not found"
    else:
        why = f"git {step} failed"
    return MachineError(f"{root}: {why}: {detail}")


def require_workspace(services: Services) -> Membership:
    """My membership in the configured workspace, or a UserError saying how to join."""
    config = services.config
    if not config.workspace:
        raise UserError("not in a team workspace; join one with 'drillcoach team join DIR --as ID'")
    return membership(config.workspace, config.member)
