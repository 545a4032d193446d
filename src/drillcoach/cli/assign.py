"""``drillcoach assign PACK --to REPS|--all --due DATE``, ``assign list``, ``assign remove
ID``: a manager's assignments, in assignments/<manager>.toml of the workspace."""

from __future__ import annotations

import argparse
from typing import Any

from drillcoach.cli.shared import add_json_option, json_only
from drillcoach.dates import written
from drillcoach.errors import UserError


def register(commands: Any) -> None:
    assign = commands.add_parser(
        "assign",
        help="assign a pack to reps with a due date; 'assign list'; 'assign remove ID'",
        description="assign PACK --to alice,bob --due 2026-12-15 [--note TEXT] | "
        "assign PACK --all --due DATE | assign list | assign remove ID",
    )
    assign.add_argument("words", nargs="+", metavar="PACK | list | remove ID")
    whom = assign.add_mutually_exclusive_group()
    whom.add_argument("--to", metavar="REPS", help="member ids, comma-separated")
    whom.add_argument("--all", action="store_true", help="every rep below you")
    assign.add_argument("--due", metavar="DATE", help="due date, like 2026-12-15")
    assign.add_argument("--note", default="", help="one line the reps see on Today, once")
    add_json_option(assign, "the assignments ('assign list')")
    assign.set_defaults(handler=_assign)


def _assign(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services

    words: list[str] = args.words
    services = open_services(args)
    try:
        from drillcoach.team.sync import require_workspace

        mine = require_workspace(services)
        if words == ["list"]:
            return _list(services, mine, as_json=args.json)
        json_only(args, "assign list")
        if words[0] == "remove":
            if len(words) != 2:
                raise UserError("assign remove: expected one assignment id (see 'assign list')")
            return _remove(services, mine, words[1])
        if len(words) != 1:
            raise UserError(f"assign: expected one pack id, got {' '.join(words)!r}")
        return _add(services, mine, words[0], args)
    finally:
        services.close()


def _add(services: Any, mine: Any, pack: str, args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import due_option
    from drillcoach.team import assignments

    mine.require_manager("assign")
    if pack not in services.library.packs:
        raise UserError(f"no pack '{pack}' (see 'drillcoach packs list')")
    if not args.to and not args.all:
        raise UserError("assign: say to whom, with --to alice,bob or --all")
    if not args.due:
        raise UserError("assign: say by when, with --due YYYY-MM-DD")
    due = due_option(args.due, services.clock().astimezone(services.tz).date())
    to = ["*"] if args.all else [m.strip() for m in args.to.split(",") if m.strip()]
    made = assignments.add(mine, pack, to, due, args.note)
    refresh_assignments(services, mine)
    whom = "all your reps" if args.all else ", ".join(to)
    title = services.library.packs[pack].title
    when = written(due, "%a %d %b %Y")
    print(f"Assigned {title} to {whom}, due {when} (id {made.id}).")
    print("They see it on Today after you and they run 'drillcoach sync'.")
    return 0


def _list(services: Any, mine: Any, *, as_json: bool = False) -> int:
    """A manager's assignments, or a rep's (what they were assigned, as last synced)."""
    from drillcoach.cli.shared import print_json, print_table
    from drillcoach.team import assignments

    found = assignments.mine(mine) if mine.is_manager else services.scheduler.my_assignments()
    if as_json:  # members ["*"]: all the manager's reps
        print_json(found)
        return 0
    if mine.is_manager:
        if not found:
            print("You have no assignments. Make one: drillcoach assign PACK --to REP --due DATE")
            return 0
        rows = [
            (a.id, a.pack, "all your reps" if "*" in a.members else ",".join(a.members),
             f"{a.due:%Y-%m-%d}", a.note)
            for a in found
        ]  # fmt: skip
        print_table(("ID", "PACK", "TO", "DUE", "NOTE"), rows)
        return 0
    if not found:
        print("Nothing assigned to you (as of your last 'drillcoach sync').")
        return 0
    print_table(
        ("PACK", "BY", "DUE", "NOTE"),
        [(a.pack, a.by, f"{a.due:%Y-%m-%d}", a.note) for a in found],
    )
    return 0


def _remove(services: Any, mine: Any, assignment_id: str) -> int:
    from drillcoach.team import assignments

    gone = assignments.remove(mine, assignment_id)
    refresh_assignments(services, mine)
    print(f"Removed {gone.id} ({gone.pack}, due {gone.due:%Y-%m-%d}); 'drillcoach sync' shares it.")
    return 0


def refresh_assignments(services: Any, mine: Any) -> None:
    """My store's copy of the workspace's assignments, after I changed my file."""
    from drillcoach.team import assignments
    from drillcoach.tomlcheck import Problem

    problems: list[Problem] = []
    found = assignments.read_assignments(mine.team, problems)
    services.store.replace_assignments(assignments.expanded(mine.team, found))
