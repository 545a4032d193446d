"""Assignments (DESIGN.md §5): each manager's assignments/<manager>.toml, written only by
that manager, read by everyone; an assignment from someone who does not manage its reps
is refused with the file and the entry named."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from drillcoach.errors import UserError
from drillcoach.events import Assignment
from drillcoach.fileio import make_folder, write_atomic
from drillcoach.team.workspace import Membership, Team, checked_path
from drillcoach.tomlcheck import ID_PATTERN, Problem, Table, check_format, read_toml

FORMAT = 1
EVERYONE = "*"
MAX_ASSIGNMENTS_BYTES = 2_000_000
MAX_NOTE = 500
ASSIGNMENT_KEYS = {"id", "pack", "to", "due", "note"}


def read_assignments(team: Team, problems: list[Problem]) -> list[Assignment]:
    """Every manager's assignments as written ("*" kept), the ones refused left out with a
    problem each: a file of someone who is not a manager, an entry for a member the author
    does not manage, a broken entry."""
    folder = team.root / "assignments"
    found: list[Assignment] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.toml")):
        author = path.stem
        member = team.members.get(author)
        if member is None or member.role != "manager":
            problems.append(Problem(path, f"'{author}' is not a manager in team.toml; ignored"))
            continue
        found.extend(read_file(team, path, author, problems))
    return found


def read_file(team: Team, path: Path, author: str, problems: list[Problem]) -> list[Assignment]:
    if path.is_symlink():
        problems.append(Problem(path, "is a symbolic link; expected a file of the workspace"))
        return []
    data = read_toml(path, problems, max_bytes=MAX_ASSIGNMENTS_BYTES)
    if data is None or not check_format(data, path, problems, FORMAT):
        return []
    top = Table(data, path, "", {"format", "assignment"}, problems)
    found: list[Assignment] = []
    seen: set[str] = set()
    for index, item in enumerate(top.tables("assignment"), 1):
        table = Table(item, path, f"assignment #{index}", ASSIGNMENT_KEYS, problems, "assignment")
        assignment_id = table.ident("id", required=True)
        if assignment_id in seen:
            table.fail("id", "duplicate assignment id in this file")
        seen.add(assignment_id)
        pack = table.ident("pack", required=True)
        to = table.data.get("to")
        members: tuple[str, ...] = ()
        if not isinstance(to, list) or not to or not all(isinstance(m, str) for m in to):
            table.fail("to", 'expected a list of member ids, or ["*"] for all your reps')
        else:
            members = tuple(to)
            for member in members:
                if member == EVERYONE:
                    continue
                if not ID_PATTERN.fullmatch(member) or member not in team.members:
                    table.fail("to", f"no member '{member}' in team.toml")
                elif not team.is_above(author, member):
                    table.fail("to", f"'{member}' is not managed by '{author}'; refused")
        due = table.data.get("due")
        if not isinstance(due, date) or hasattr(due, "hour"):
            table.fail("due", f"expected a date like 2026-12-15, got {due!r}")
        note = table.text("note", max_length=MAX_NOTE)
        if table.ok and isinstance(due, date):
            found.append(Assignment(assignment_id, author, pack, members, due, note))
    return found


def for_members(team: Team, assignment: Assignment) -> Assignment:
    """The assignment with "*" spelled out: every rep below its author."""
    if EVERYONE not in assignment.members:
        return assignment
    reps = tuple(member.id for member in team.reps_below(assignment.by))
    return replace(assignment, members=reps)


def expanded(team: Team, assignments: Sequence[Assignment]) -> list[Assignment]:
    return [for_members(team, assignment) for assignment in assignments]


# --- a manager's own file


def mine(membership: Membership) -> list[Assignment]:
    """My assignments as written in my file; a UserError for any problem in it."""
    path = membership.team.assignments_file(membership.me.id)
    if not path.exists():
        return []
    problems: list[Problem] = []
    found = read_file(membership.team, path, membership.me.id, problems)
    if problems:
        raise UserError(str(problems[0]))
    return found


def write_mine(membership: Membership, assignments: Sequence[Assignment]) -> Path:
    import tomli_w

    path = checked_path(membership.root, f"assignments/{membership.me.id}.toml")
    entries = []
    for a in assignments:
        entry: dict[str, object] = {"id": a.id, "pack": a.pack, "to": list(a.members), "due": a.due}
        if a.note:
            entry["note"] = a.note
        entries.append(entry)
    header = (
        f"# Assignments by {membership.me.name} ({membership.me.id}). Written by\n"
        "# 'drillcoach assign'; shared by 'drillcoach sync'. to = [\"*\"] is all your reps.\n"
    )
    make_folder(path.parent)
    write_atomic(path, header + tomli_w.dumps({"format": FORMAT, "assignment": entries}))
    return path


def add(
    membership: Membership,
    pack: str,
    to: Sequence[str],
    due: date,
    note: str = "",
) -> Assignment:
    """A new assignment in my file, with an id made from the pack and the due date."""
    membership.require_manager("assign")
    if EVERYONE not in to:
        for member_id in to:
            try:
                membership.require_above(member_id)
            except UserError as error:
                raise UserError(f"--to: {error}") from None
        if not [m for m in to if membership.team.members[m].role == "rep"]:
            raise UserError("--to: name at least one rep")
    elif not membership.team.reps_below(membership.me.id):
        raise UserError("--all: you have no reps yet; add one with 'drillcoach team add'")
    note = note.strip()
    if len(note) > MAX_NOTE or "\n" in note:
        raise UserError(f"--note: expected one line of at most {MAX_NOTE} characters")
    current = mine(membership)
    taken = {a.id for a in current}
    base = re.sub(r"-+", "-", f"{pack[:50]}-{due:%Y%m%d}")
    assignment_id = base
    number = 2
    while assignment_id in taken:
        assignment_id = f"{base}-{number}"
        number += 1
    assignment = Assignment(assignment_id, membership.me.id, pack, tuple(to), due, note)
    write_mine(membership, [*current, assignment])
    return assignment


def remove(membership: Membership, assignment_id: str) -> Assignment:
    membership.require_manager("assign remove")
    current = mine(membership)
    found = next((a for a in current if a.id == assignment_id), None)
    if found is None:
        known = ", ".join(a.id for a in current) or "none"
        raise UserError(f"no assignment '{assignment_id}' of yours (yours: {known})")
    write_mine(membership, [a for a in current if a.id != assignment_id])
    return found
