"""``drillcoach sync [--verbose | --quiet]``: share my events with the team workspace and
bring in what concerns me (team/sync.py). How far it is shows on stderr (cli/progress.py)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    sync = commands.add_parser(
        "sync", help="share your events with the team workspace and bring in the team's"
    )
    said = sync.add_mutually_exclusive_group()
    said.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="say each step, and list what was refused line by line",
    )
    said.add_argument(
        "--quiet", "-q", action="store_true",
        help="say nothing unless something was refused or went wrong (for cron)",
    )  # fmt: skip
    sync.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace) -> int:
    from drillcoach.cli.progress import reporting
    from drillcoach.cli.shared import open_services
    from drillcoach.team.sync import sync
    from drillcoach.text import sync_report_line

    services = open_services(args)
    try:
        with reporting(quiet=args.quiet, verbose=args.verbose) as progress:
            report = sync(services, progress=progress)
        if not args.quiet:
            print(sync_report_line(report.team, report))
        for note in report.notes:  # a change of mine to team.toml that someone else's beat
            print(note)
        if report.refused:
            if args.verbose:
                print(f"Refused ({len(report.refused)}):")
                for refusal in report.refused:
                    print(f"  {refusal}")
            else:
                print(
                    f"{len(report.refused)} line(s) or file(s) refused; "
                    "'drillcoach sync --verbose' lists them"
                )
        return 0
    finally:
        services.close()
