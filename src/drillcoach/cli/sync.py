"""``drillcoach sync [--verbose]``: share my events with the team workspace and bring in
what concerns me (team/sync.py)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    sync = commands.add_parser(
        "sync", help="share your events with the team workspace and bring in the team's"
    )
    sync.add_argument(
        "--verbose", "-v", action="store_true", help="say each step, and list what was refused"
    )
    sync.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.team.sync import sync
    from drillcoach.text import sync_report_line

    services = open_services(args)
    try:

        def progress(step: str) -> None:
            if args.verbose:
                print(f"  {step}...", file=sys.stderr)

        report = sync(services, progress=progress)
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
