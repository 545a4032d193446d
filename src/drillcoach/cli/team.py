"""``drillcoach team init|add|join|show|leave``: the team workspace and who I am in it."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from drillcoach.cli.shared import add_json_option
from drillcoach.dates import written
from drillcoach.errors import UserError


def register(commands: Any) -> None:
    team = commands.add_parser("team", help="make, join, show or leave a team workspace")
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    init = actions.add_parser(
        "init", help="make a team workspace in DIR (a git repository if it is not in one)"
    )
    init.add_argument("dir", metavar="DIR", help="the workspace folder")
    init.add_argument("--name", required=True, help="the team's name, like 'West sales'")
    init.add_argument("--manager", required=True, metavar="ID", help="your member id: the manager")
    init.add_argument("--manager-name", metavar="NAME", help="your name (default: config 'name')")
    init.set_defaults(handler=_init)

    add = actions.add_parser("add", help="add a rep or a manager to team.toml (managers)")
    add.add_argument("member", metavar="ID", help="their member id, like 'alice'")
    add.add_argument("--name", required=True, help="their name, like 'Alice Ng'")
    add.add_argument("--role", required=True, choices=("rep", "manager"))
    add.add_argument("--manager", metavar="ID", help="who they report to (default: you)")
    add.add_argument(
        "--new-hire", action="store_true",
        help="a new rep: assign them the onboarding pack (due in 30 days, or --due)",
    )  # fmt: skip
    add.add_argument("--due", metavar="DATE", help="with --new-hire: the onboarding's due date")
    add.set_defaults(handler=_add)

    join = actions.add_parser("join", help="use the workspace in DIR, as member ID")
    join.add_argument("dir", metavar="DIR", help="the workspace folder (a clone of the team's)")
    join.add_argument("--as", dest="member", required=True, metavar="ID", help="your member id")
    join.set_defaults(handler=_join)

    show = actions.add_parser("show", help="the team, your reps and what each member shares")
    show.add_argument("--all", action="store_true", help="everyone below you, not only your reps")
    add_json_option(show, "the team and its members")
    show.set_defaults(handler=_show)

    leave = actions.add_parser("leave", help="stop using the workspace (your history stays)")
    leave.set_defaults(handler=_leave)


def _init(args: argparse.Namespace) -> int:
    from drillcoach.config import load_config, resolve_paths, set_value, written_keys
    from drillcoach.team.sync import Git
    from drillcoach.team.workspace import Member, make_workspace, resolve_root
    from drillcoach.tomlcheck import ID_PATTERN

    if not ID_PATTERN.fullmatch(args.manager):
        raise UserError(f"--manager {args.manager!r}: expected an id like 'dana'")
    if not args.name.strip() or len(args.name) > 120:
        raise UserError("--name: expected the team's name, at most 120 characters")
    paths = resolve_paths(args.home)
    config = load_config(paths)
    root = resolve_root(args.dir)
    name = (args.manager_name or config.name).strip()
    team = make_workspace(root, args.name.strip(), Member(args.manager, name, "manager"))
    made_repository = False
    if not Git.is_repository(root):
        from drillcoach.errors import MachineError

        try:
            Git(root).run("init", "--quiet")
            made_repository = True
        except MachineError as error:  # no git here: a plain shared folder works too
            print(f"note: {error}; the workspace is a plain folder")
    set_value(paths, "workspace", str(root))
    set_value(paths, "member", args.manager)
    if args.manager_name and "name" not in written_keys(paths):
        set_value(paths, "name", name)  # Today greets them by it, as a member who joins
    where = " (a new git repository)" if made_repository else ""
    print(f"Team '{team.name}' is ready in {root}{where}.")
    print(f"You are {name} ({args.manager}), its manager. Next:")
    print('  drillcoach team add alice --name "Alice Ng" --role rep')
    print("  drillcoach assign PACK --to alice --due YYYY-MM-DD")
    print("  drillcoach sync")
    return 0


def _add(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from drillcoach.config import load_config, resolve_paths
    from drillcoach.team.workspace import Member, membership, with_member, write_team

    if args.due and not args.new_hire:
        raise UserError("--due: only with --new-hire (it dates the onboarding pack)")
    if args.new_hire and args.role != "rep":
        raise UserError("--new-hire: only for a rep (it assigns the onboarding pack)")
    config = load_config(resolve_paths(args.home))
    mine = membership(config.workspace, config.member)
    mine.require_manager("team add")
    boss = args.manager or mine.me.id
    if boss != mine.me.id:
        mine.require_above(boss)
    if not args.name.strip() or len(args.name) > 120:
        raise UserError("--name: expected their name, at most 120 characters")
    team = with_member(mine.team, Member(args.member, args.name.strip(), args.role, boss))
    if args.new_hire:
        _add_new_hire(args, replace(mine, team=team))
    else:
        write_team(team)
        print(f"Added {args.name.strip()} ({args.member}), {args.role}, reporting to {boss}.")
    print(
        f"They join with: drillcoach team join DIR --as {args.member}   "
        "(after 'drillcoach sync' shares team.toml)"
    )
    return 0


NEW_HIRE_DAYS = 30  # the onboarding pack's default due date, from today
NEW_HIRE_NOTE = "Welcome aboard: a few drills a day and you are ready for your first calls"


def _add_new_hire(args: argparse.Namespace, mine: Any) -> None:
    """Write team.toml with the new rep and assign them the onboarding pack, due in 30
    days or on --due, as 'drillcoach assign' does; both checked before anything is
    written."""
    from drillcoach.cli.assign import refresh_assignments
    from drillcoach.cli.shared import due_option, loaded_pack, open_services
    from drillcoach.coaching.agenda import ONBOARDING_PACK
    from drillcoach.team import assignments
    from drillcoach.team.workspace import write_team

    services = open_services(args)
    try:
        pack = loaded_pack(services.library, ONBOARDING_PACK)
        today = services.clock().astimezone(services.tz).date()
        due = due_option(args.due, today) if args.due else today + timedelta(days=NEW_HIRE_DAYS)
        member = mine.team.members[args.member]
        write_team(mine.team)
        print(f"Added {member.name} ({member.id}), a new rep, reporting to {member.manager}.")
        made = assignments.add(mine, ONBOARDING_PACK, [member.id], due, NEW_HIRE_NOTE)
        refresh_assignments(services, mine)
    finally:
        services.close()
    when = written(due, "%a %d %b %Y")
    print(f"Assigned {pack.title} to {member.id}, due {when} (id {made.id}).")
    print("Their first run asks for their vision and a coaching agreement before they drill.")


def _join(args: argparse.Namespace) -> int:
    from drillcoach.config import resolve_paths, set_value, written_keys
    from drillcoach.team.workspace import read_team, resolve_root

    paths = resolve_paths(args.home)
    root = resolve_root(args.dir)
    team = read_team(root)
    member = team.member(args.member)
    set_value(paths, "workspace", str(root))
    set_value(paths, "member", member.id)
    if "name" not in written_keys(paths):
        set_value(paths, "name", member.name)
    manager = team.manager_of(member.id)
    above = f", reporting to {manager.name}" if manager else ""
    print(f"Joined team '{team.name}' as {member.name} ({member.id}), a {member.role}{above}.")
    print("Run 'drillcoach sync' to bring in your assignments and feedback.")
    return 0


def _show(args: argparse.Namespace) -> int:
    from drillcoach import text
    from drillcoach.cli.shared import jsonable, open_services, print_json, print_table
    from drillcoach.team.sync import last_sync, require_workspace

    services = open_services(args)
    try:
        mine = require_workspace(services)
        team = mine.team
        now = services.clock().astimezone(services.tz)
        last = last_sync(services.store)
        manager = team.manager_of(mine.me.id)
        if mine.is_manager:
            shown = team.below(mine.me.id) if args.all else team.direct(mine.me.id)
        else:
            shown = [team.members[member] for member in reversed(team.chain(mine.me.id))]
        shown = [mine.me, *shown]
        answers = {member.id: _shares_answers(services, mine.me.id, member.id) for member in shown}
        below = len(team.below(mine.me.id)) if mine.is_manager else 0
        if args.json:
            members = [{**jsonable(member), "shares_answers": answers[member.id]}
                       for member in shown]  # fmt: skip
            print_json({"team": team.name, "workspace": team.root,
                        "last_sync": last[0] if last else None, "me": mine.me.id,
                        "members": members, "below": below})  # fmt: skip
            return 0
        print(f"Team {team.name} · {team.root} · {text.sync_line(last[0] if last else None, now)}")
        above = f", reports to {manager.name} ({manager.id})" if manager else ""
        print(f"You: {mine.me.name} ({mine.me.id}), {mine.me.role}{above}")
        rows = []
        for member in shown:
            rows.append((member.id, member.name, member.role, member.manager or "-",
                         _shares_words(answers[member.id])))  # fmt: skip
        print()
        print_table(("MEMBER", "NAME", "ROLE", "MANAGER", "SHARES"), rows)
        if not args.all and below > len(shown) - 1:
            print(f"\n{below} below you in all: 'team show --all' lists them")
        print()
        print(text.sharing_line(services.config.share_answers, manager.name if manager else None))
        return 0
    finally:
        services.close()


def _shares_answers(services: Any, me: str, member: str) -> bool:
    """Whether a member shares every typed answer with the team, as the workspace says."""
    if member == me:
        return bool(services.config.share_answers)
    choice = services.store.sharing(member)
    return bool(choice.answers) if choice else False


def _shares_words(answers: bool) -> str:
    """What a member shares with the team."""
    base = "ratings, timings, key points"
    return f"{base}, typed answers" if answers else f"{base}; answers on request"


def _leave(args: argparse.Namespace) -> int:
    from drillcoach.config import load_config, resolve_paths, set_value

    paths = resolve_paths(args.home)
    config = load_config(paths)
    if not config.workspace:
        raise UserError("not in a team workspace; nothing to leave")
    set_value(paths, "workspace", "")
    print(f"Left the workspace {config.workspace}.")
    print(
        "Your history stays in drillcoach, and what you synced stays in the workspace; "
        "'drillcoach team join' uses it again."
    )
    return 0
