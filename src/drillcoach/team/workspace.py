"""The team workspace (DESIGN.md §5): a folder, normally a git repository, holding
team.toml (who is on the team and who manages whom), the team's packs, each manager's
assignments and each member's events. This module reads and writes team.toml and answers
who is above whom; the files are the truth."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from drillcoach.errors import UserError
from drillcoach.fileio import make_folder, write_atomic
from drillcoach.tomlcheck import (
    ID_PATTERN,
    Problem,
    Table,
    check_format,
    parse_toml,
    read_toml,
)

Role = Literal["rep", "manager"]
ROLES: tuple[Role, ...] = ("rep", "manager")
FORMAT = 1
TEAM_FILE = "team.toml"
FOLDERS = ("drills", "assignments", "events")
MAX_TEAM_BYTES = 2_000_000
MAX_MEMBERS = 5_000
TEAM_KEYS = {"name"}
MEMBER_KEYS = {"id", "name", "role", "manager"}


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: Role
    manager: str | None = None  # the member's own manager; None at the top


@dataclass(frozen=True)
class Team:
    """team.toml, read: the team's name and its members in the file's order."""

    root: Path
    name: str
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def file(self) -> Path:
        return self.root / TEAM_FILE

    @property
    def names(self) -> dict[str, str]:
        """Member id -> name, to say who did what."""
        return {member.id: member.name for member in self.members.values()}

    def member(self, member_id: str) -> Member:
        """The member, or a UserError naming team.toml."""
        found = self.members.get(member_id)
        if found is None:
            known = ", ".join(self.members) or "nobody yet"
            raise UserError(f"{self.file}: no member '{member_id}' (members: {known})")
        return found

    def manager_of(self, member_id: str) -> Member | None:
        """The member's nearest manager, when they have one."""
        found = self.members.get(member_id)
        return self.members.get(found.manager) if found and found.manager else None

    def chain(self, member_id: str) -> list[str]:
        """The member's managers, nearest first, up to the top."""
        found: list[str] = []
        current = self.members.get(member_id)
        while current is not None and current.manager and current.manager not in found:
            found.append(current.manager)
            current = self.members.get(current.manager)
        return found

    def is_above(self, manager_id: str, member_id: str) -> bool:
        """Whether ``manager_id`` manages ``member_id``, directly or through others."""
        return manager_id in self.chain(member_id)

    def direct(self, manager_id: str) -> list[Member]:
        """The members who report to ``manager_id`` directly, in the file's order."""
        return [m for m in self.members.values() if m.manager == manager_id]

    def below(self, manager_id: str) -> list[Member]:
        """Everyone ``manager_id`` manages, directly or through others, in the file's order."""
        return [m for m in self.members.values() if self.is_above(manager_id, m.id)]

    def reps_below(self, manager_id: str) -> list[Member]:
        return [m for m in self.below(manager_id) if m.role == "rep"]

    def assignments_file(self, manager_id: str) -> Path:
        return self.root / "assignments" / f"{manager_id}.toml"


# --- reading team.toml


def read_team(root: Path) -> Team:
    """team.toml of the workspace at ``root``; a UserError naming the file, the member and
    the key at the first problem (a team file must be right before anything trusts it)."""
    problems: list[Problem] = []
    team = parse_team(root, problems)
    if problems or team is None:
        extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise UserError(f"{problems[0]}{extra}")
    return team


def parse_team(root: Path, problems: list[Problem]) -> Team | None:
    """team.toml, or None with every problem appended to ``problems``."""
    path = root / TEAM_FILE
    if not path.exists() and not path.is_symlink():
        problems.append(
            Problem(path, "no team file here; 'drillcoach team init' makes a workspace")
        )
        return None
    data = read_toml(path, problems, max_bytes=MAX_TEAM_BYTES)
    return _team_from(root, path, data, problems)


def team_from_bytes(
    root: Path, raw: bytes, problems: list[Problem], *, label: Path | None = None
) -> Team | None:
    """team.toml given as its bytes (one side of a merge, say), read as strictly as the
    file; problems name ``label`` (default: the workspace's team.toml)."""
    path = label or root / TEAM_FILE
    if len(raw) > MAX_TEAM_BYTES:
        problems.append(Problem(path, f"{len(raw):,} bytes; expected at most {MAX_TEAM_BYTES:,}"))
        return None
    return _team_from(root, path, parse_toml(path, raw, problems), problems)


def _team_from(
    root: Path, path: Path, data: dict[str, Any] | None, problems: list[Problem]
) -> Team | None:
    if data is None or not check_format(data, path, problems, FORMAT):
        return None
    top = Table(data, path, "", {"format", "team", "member"}, problems)
    head = Table(data.get("team", {}), path, "[team]", TEAM_KEYS, problems)
    name = head.text("name", required=True, max_length=120)
    members: dict[str, Member] = {}
    for index, item in enumerate(top.tables("member", count=(0, MAX_MEMBERS)), 1):
        table = Table(item, path, f"member #{index}", MEMBER_KEYS, problems, "member")
        member_id = table.ident("id", required=True)
        if member_id in members:
            table.fail("id", "duplicate member id")
        member_name = table.text("name", required=True, max_length=120)
        written = table.data.get("role")
        role = next((role for role in ROLES if role == written), None)
        if role is None:
            table.fail("role", f"expected 'rep' or 'manager', got {written!r}")
        manager = table.ident("manager") or None
        if table.ok and role is not None:
            members[member_id] = Member(member_id, member_name, role, manager)
    for member in members.values():
        where = f"member '{member.id}'"
        if member.manager is None:
            continue
        boss = members.get(member.manager)
        if boss is None:
            problems.append(Problem(path, f"no member '{member.manager}'", where, "manager"))
        elif boss.role != "manager":
            problems.append(
                Problem(path, f"'{member.manager}' is a rep; a manager must be a manager",
                        where, "manager")
            )  # fmt: skip
        elif _circular(members, member.id):
            problems.append(Problem(path, "managers go round in a circle", where, "manager"))
    if problems:
        return None
    return Team(root, name, members)


def _circular(members: dict[str, Member], start: str) -> bool:
    seen = {start}
    current = members[start].manager
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        found = members.get(current)
        current = found.manager if found else None
    return False


# --- writing team.toml (tomli-w, readable and hand-editable)


def render_team(team: Team) -> str:
    import tomli_w

    members = []
    for member in team.members.values():
        entry: dict[str, str] = {"id": member.id, "name": member.name, "role": member.role}
        if member.manager:
            entry["manager"] = member.manager
        members.append(entry)
    body = tomli_w.dumps({"format": FORMAT, "team": {"name": team.name}, "member": members})
    header = (
        "# The team: who is on it and who manages whom. Edit by hand or with\n"
        "# 'drillcoach team add'; 'drillcoach sync' shares it.\n"
    )
    return header + body


def write_team(team: Team) -> None:
    write_atomic(team.file, render_team(team))


def with_member(team: Team, member: Member) -> Team:
    """The team with ``member`` added (or, under an existing id, a UserError)."""
    if not ID_PATTERN.fullmatch(member.id):
        raise UserError(f"member id {member.id!r}: expected lowercase letters, digits, hyphens")
    if member.id in team.members:
        raise UserError(f"{team.file}: '{member.id}' is already a member")
    if member.manager is not None:
        boss = team.member(member.manager)
        if boss.role != "manager":
            raise UserError(f"--manager: '{boss.id}' is a rep, not a manager")
    members = dict(team.members)
    members[member.id] = member
    return replace(team, members=members)


def merge_teams(base: Team, upstream: Team, mine: Team) -> tuple[Team, list[str]]:
    """Three versions of team.toml (``base``, the one both sides started from; the one
    already pushed, ``upstream``; mine) merged member by member: upstream's, with my
    changes relative to base (members I added, changed or removed) applied on top. Where
    both sides changed the same thing differently, upstream's stays; each such place is
    one line of the notes returned. Upstream's order, my new members after it."""
    members = dict(upstream.members)
    notes: list[str] = []
    for member_id, own in mine.members.items():
        before = base.members.get(member_id)
        theirs = upstream.members.get(member_id)
        if own in (before, theirs):
            continue  # not changed by me, or changed the same way on both sides
        if theirs is None and before is None:
            members[member_id] = own  # I added them
        elif theirs == before:
            members[member_id] = own  # I changed them, nobody else did
        elif theirs is None:
            notes.append(f"'{member_id}' was removed by someone else; your change is dropped")
        elif before is None:
            notes.append(f"'{member_id}' was added by someone else too; theirs is kept")
        else:
            notes.append(f"'{member_id}' was changed by someone else too; theirs is kept")
    for member_id, before in base.members.items():
        if member_id in mine.members or member_id not in upstream.members:
            continue
        if upstream.members[member_id] == before:
            del members[member_id]  # I removed them, nobody changed them
        else:
            notes.append(f"'{member_id}' was changed by someone else; kept, not removed")
    name = upstream.name
    if mine.name != base.name and mine.name != upstream.name:
        if upstream.name == base.name:
            name = mine.name
        else:
            notes.append("the team's name was changed by someone else too; theirs is kept")
    return Team(upstream.root, name, members), [f"{TEAM_FILE}: {note}" for note in notes]


def make_workspace(root: Path, name: str, manager: Member) -> Team:
    """A new workspace at ``root``: team.toml with its first manager, and the folders."""
    if (root / TEAM_FILE).exists():
        raise UserError(f"{root / TEAM_FILE}: a team workspace is already here")
    for folder in (root, *(root / sub for sub in FOLDERS)):
        make_folder(folder)
    for sub in FOLDERS:
        keep = root / sub / ".gitkeep"  # git keeps no empty folder
        if not keep.exists():
            write_atomic(keep, "")
    team = Team(root, name, {manager.id: manager})
    write_team(team)
    return team


def workspace_files(root: Path, member: Member) -> Iterator[str]:
    """What ``member`` writes in the workspace, relative to it (what sync commits)."""
    yield f"events/{member.id}"
    if member.role == "manager":
        yield f"assignments/{member.id}.toml"
        yield TEAM_FILE
        yield "drills"
        for sub in FOLDERS:
            yield f"{sub}/.gitkeep"


def resolve_root(text: str) -> Path:
    """A workspace folder as given on the command line, made absolute."""
    if not text.strip():
        raise UserError("expected a workspace folder, got an empty path")
    return Path(os.path.abspath(Path(text).expanduser()))


@dataclass(frozen=True)
class Membership:
    """Me in my team's workspace: the team as team.toml says, and which member I am."""

    team: Team
    me: Member

    @property
    def root(self) -> Path:
        return self.team.root

    @property
    def is_manager(self) -> bool:
        return self.me.role == "manager"

    def my_reps(self, *, everyone: bool = False) -> list[Member]:
        """The reps I manage directly, or (``everyone``) everyone below me who is a rep."""
        if everyone:
            return self.team.reps_below(self.me.id)
        return [m for m in self.team.direct(self.me.id) if m.role == "rep"]

    def require_manager(self, what: str) -> None:
        if not self.is_manager:
            raise UserError(f"{what}: only a manager can; you are '{self.me.id}', a rep")

    def require_above(self, member_id: str) -> Member:
        """The member, if I manage them (directly or above), else a UserError."""
        member = self.team.member(member_id)
        if not self.team.is_above(self.me.id, member_id):
            raise UserError(f"'{member_id}' is not one of your reps (see 'drillcoach team show')")
        return member


def membership(workspace: str, member: str) -> Membership:
    """The workspace named in config and the member I am in it, or a UserError saying how
    to join one."""
    if not workspace:
        raise UserError(
            "not in a team workspace; join one with 'drillcoach team join DIR --as ID' "
            "(or make one with 'drillcoach team init')"
        )
    team = read_team(Path(workspace).expanduser())
    if member not in team.members:
        raise UserError(
            f"{team.file}: you are '{member}', who is not a member; ask your manager to "
            f"run 'drillcoach team add {member} ...', or join with --as YOUR-ID"
        )
    return Membership(team, team.members[member])


def checked_path(root: Path, relative: str) -> Path:
    """``root / relative`` for drillcoach to write, or a UserError when the workspace would
    send it elsewhere: a symlinked folder or file on the way, or a hard-linked file."""
    import stat

    path = root / relative
    current = root
    for part in Path(relative).parts:
        current = current / part
        try:
            status = os.lstat(current)
        except FileNotFoundError:
            break
        except OSError as error:
            raise UserError(f"{current}: cannot use it ({error.strerror or error})") from None
        if stat.S_ISLNK(status.st_mode):
            raise UserError(f"{current}: is a symbolic link; drillcoach writes only real files "
                            "inside the workspace")  # fmt: skip
        if stat.S_ISREG(status.st_mode) and status.st_nlink > 1:
            raise UserError(f"{current}: is a hard link; drillcoach writes only files of its own")
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        raise UserError(f"{path}: is outside the workspace {root}")
    return path
