"""Command line: argument parsing and plain-text commands. The TUI is imported only
when it runs, so ``--help``, ``--version`` and the text commands never load Textual."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from drillcoach import __version__
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.content import Library
    from drillcoach.services import Services


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake in one line (and exit code 2), without the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="drillcoach",
        description="Spaced-repetition drills and coaching for sales teams. "
        "Run without a command to open the daily session.",
    )
    parser.add_argument("--version", action="version", version=f"drillcoach {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep the database, packs, backups and config.toml in DIR "
        "(default: $DRILLCOACH_HOME, else the platform's folders)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    packs = commands.add_parser("packs", help="list, check, show and create drill packs")
    pack_commands = packs.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    pack_commands.add_parser("list", help="every loaded pack, and whether it is in your queue")
    validate = pack_commands.add_parser(
        "validate", help="check pack files and list every problem (exit 2 if any)"
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="pack files or folders (default: every pack drillcoach loads)",
    )  # fmt: skip
    show = pack_commands.add_parser("show", help="a pack's details and its drills")
    show.add_argument("pack", metavar="PACK", help="pack id")
    new = pack_commands.add_parser("new", help="write a valid skeleton pack to start from")
    new.add_argument("pack", metavar="ID", help="id of the new pack, like 'renewals'")
    new.add_argument("--title", help="pack title (default: from the id)")
    new.add_argument("--skill", default="objection-handling", help="skill of its drills")
    new.add_argument(
        "--out", type=Path, metavar="FILE",
        help="where to write it (default: your packs folder, ID.toml)",
    )  # fmt: skip

    commands.add_parser("today", help="today's queue as plain text")

    config = commands.add_parser("config", help="show paths and settings, or change one")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    setting = config_commands.add_parser("set", help="change one setting in config.toml")
    setting.add_argument("key", metavar="KEY")
    setting.add_argument("value", metavar="VALUE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = {
            None: _run_tui,
            "packs": _packs,
            "today": _today,
            "config": _config,
        }[args.command]
        return handler(args)
    except UserError as error:
        print(f"drillcoach: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _services(args: argparse.Namespace) -> Services:
    from drillcoach.services import open_services

    return open_services(args.home)


def _warn_problems(library: Library) -> None:
    if library.problems:
        count = len({problem.file for problem in library.problems})
        print(
            f"warning: {count} pack file(s) have problems and were skipped; "
            "run 'drillcoach packs validate' to see them",
            file=sys.stderr,
        )


def _run_tui(args: argparse.Namespace) -> int:
    from drillcoach.tui.app import run

    return run(args.home)


# --- packs


def _packs(args: argparse.Namespace) -> int:
    if args.packs_command == "validate":
        return _packs_validate(args)
    if args.packs_command == "new":
        return _packs_new(args)
    services = _services(args)
    try:
        if args.packs_command == "list":
            return _packs_list(services)
        return _packs_show(services, args.pack)
    finally:
        services.close()


def _packs_list(services: Services) -> int:
    library = services.library
    in_queue = set(services.scheduler.queue_pack_ids())
    rows = [
        (pack.id, pack.title, pack.version, str(len(pack.drills)), pack.origin,
         "yes" if pack.id in in_queue else "no")
        for pack in library.packs.values()
    ]  # fmt: skip
    _print_table(("PACK", "TITLE", "VERSION", "DRILLS", "FROM", "IN QUEUE"), rows)
    _warn_problems(library)
    return 0


def _packs_show(services: Services, pack_id: str) -> int:
    pack = services.library.packs.get(pack_id)
    if pack is None:
        known = ", ".join(services.library.packs) or "none"
        raise UserError(f"no pack '{pack_id}' (loaded packs: {known})")
    print(f"{pack.title}  ({pack.id}, version {pack.version})")
    if pack.author:
        print(f"by {pack.author}")
    print(f"from {pack.path}")
    print(textwrap.fill(pack.description, width=78))
    print()
    states = services.scheduler.states(pack.drills)
    rows = []
    for drill in pack.drills:
        state = states[drill.uid]
        status = "new" if state.is_new else f"due {state.due.astimezone():%Y-%m-%d}"
        skill = services.library.skills.get(drill.skill)
        rows.append(
            (drill.id, drill.kind, skill.title if skill else drill.skill, drill.title, status)
        )
    _print_table(("DRILL", "KIND", "SKILL", "TITLE", "STATUS"), rows)
    return 0


def _packs_validate(args: argparse.Namespace) -> int:
    from drillcoach.content import validate_files

    if args.paths:
        missing = [path for path in args.paths if not path.exists()]
        if missing:
            raise UserError(f"{missing[0]}: no such file or folder")
        library = validate_files(args.paths)
    else:
        from drillcoach.config import load_config, resolve_paths
        from drillcoach.services import load_packs

        paths = resolve_paths(args.home)
        library = load_packs(paths, load_config(paths))
    for problem in library.problems:
        print(problem)
    drills = sum(len(pack.drills) for pack in library.packs.values())
    if library.problems:
        files = len({problem.file for problem in library.problems})
        print(
            f"{len(library.problems)} problem(s) in {files} file(s); "
            f"{len(library.packs)} pack(s) with {drills} drills are fine",
            file=sys.stderr,
        )
        return 2
    print(f"ok: {len(library.packs)} pack(s), {drills} drills, no problems")
    return 0


def _packs_new(args: argparse.Namespace) -> int:
    from drillcoach.config import ID_PATTERN, resolve_paths
    from drillcoach.content import skeleton_pack, validate_files

    if not ID_PATTERN.match(args.pack):
        raise UserError(
            f"pack id '{args.pack}': expected lowercase letters, digits and hyphens, "
            "like 'renewals'"
        )
    target: Path = args.out or resolve_paths(args.home).packs_dir / f"{args.pack}.toml"
    if target.exists():
        raise UserError(f"{target}: already exists; choose another id or --out")
    title = args.title or args.pack.replace("-", " ").capitalize()
    text = skeleton_pack(args.pack, title, args.skill)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    problems = validate_files([target]).problems
    if problems:
        target.unlink()
        raise UserError(str(problems[0]))
    print(f"wrote {target}")
    print(f"edit it, then check it with: drillcoach packs validate {target}")
    return 0


# --- today


def _today(args: argparse.Namespace) -> int:
    from drillcoach.progress import consistency

    services = _services(args)
    try:
        scheduler = services.scheduler
        queue = scheduler.queue()
        habit = consistency(scheduler)
        now = scheduler.clock().astimezone()
        print(f"Today for {services.config.name}, {now:%A %d %B}")
        if habit.streak:
            print(f"  streak: {habit.streak} day(s); {habit.days_this_week} day(s) this week")
        if queue.is_empty:
            if queue.done_today:
                print(f"  All done for today: {queue.done_today} rating(s). Come back tomorrow.")
            else:
                print("  Nothing due. Turn on a pack or raise new_per_day to drill more.")
        else:
            print(
                f"  {queue.due_count} due, {queue.new_count} new, about {queue.minutes} minute(s)"
            )
        if queue.more_due:
            print(f"  {queue.more_due} more due beyond today's review limit")
        for assigned in queue.assigned:
            a = assigned.assignment
            note = f" - {a.note}" if a.note else ""
            print(
                f"  assigned by {a.by}: {assigned.title}, due {a.due:%Y-%m-%d} "
                f"({assigned.new_left} of {assigned.total} not started){note}"
            )
        for item in queue.leeches:
            print(
                f"  leech: {item.drill.title} ({item.state.lapses} lapses) - worth a coaching talk"
            )
        if queue.items:
            print()
            for number, item in enumerate(queue.items[:12], 1):
                pack = services.library.packs[item.drill.pack_id]
                tag = "new" if item.reason == "new" else "due"
                kind = item.drill.kind
                print(f"  {number:>2}. {tag:<4}{kind:<10} {item.drill.title}  [{pack.title}]")
            if len(queue.items) > 12:
                print(f"      ... and {len(queue.items) - 12} more")
            print()
            print("Start the session with: drillcoach")
        _warn_problems(services.library)
        return 0
    finally:
        services.close()


# --- config


def _config(args: argparse.Namespace) -> int:
    from drillcoach.config import config_items, load_config, resolve_paths, set_value

    paths = resolve_paths(args.home)
    if args.config_command == "set":
        config = set_value(paths, args.key, args.value)
        print(f"{args.key} = {_show_value(getattr(config, args.key))}  (in {paths.config_file})")
        return 0
    config = load_config(paths)
    print(f"config file:  {paths.config_file}")
    print(f"database:     {paths.database}")
    print(f"my packs:     {paths.packs_dir}")
    print(f"backups:      {paths.backups_dir}")
    print()
    width = max(len(key) for key, _, _ in config_items(config))
    for key, value, meaning in config_items(config):
        print(f"{key:<{width}} = {_show_value(value):<14} # {meaning}")
    return 0


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        print(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )


if __name__ == "__main__":
    raise SystemExit(main())
