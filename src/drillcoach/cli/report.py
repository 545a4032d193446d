"""``drillcoach report [--team | --rep ID] [--since DATE] [--format text|md|csv|json|html]
[--out PATH]``: a rep's progress summary, mine or (managers) one of my reps' from their
synced events; or (``--team``, managers) the team summary, a row a rep; in the format
docs/report.md describes."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.progress.render import Format
    from drillcoach.services import Services


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="a progress summary: yours, one of your reps', or your team's (managers)",
        description="Your progress summary: consistency, retention, skills, honesty of "
        "self-ratings, calibration, packs and what is ahead. --rep ID: one of your reps' "
        "(managers), from their last sync. --team: a row for each of your reps and a grid "
        "of mastery by skill (managers). The formats are described in docs/report.md.",
    )
    whose = report.add_mutually_exclusive_group()
    whose.add_argument("--rep", metavar="ID", help="one of your reps (managers)")
    whose.add_argument(
        "--team", action="store_true",
        help="your team: the reps reporting to you, or everyone below you if none does "
        "(managers); a director gets a row a manager first, then each manager's reps",
    )  # fmt: skip
    report.add_argument(
        "--manager", metavar="ID",
        help="with --team (directors): only the reps of this manager below you",
    )  # fmt: skip
    report.add_argument(
        "--since", metavar="DATE",
        help="show the weeks and the calendar from this day, like 2026-01-05",
    )  # fmt: skip
    report.add_argument(
        "--format", dest="form", choices=("text", "md", "csv", "json", "html"), default="text",
        help="text for the terminal (default), md to paste into chat or email, csv for a "
        "spreadsheet, json for a program, html for one page with charts to mail or print",
    )  # fmt: skip
    report.add_argument("--out", type=Path, metavar="PATH", help="write it to this file")
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.progress.render import render

    since = _since(args.since) if args.since is not None else None
    if args.team and since is not None:
        raise UserError("--since: not with --team (the team summary has no weeks to limit)")
    if args.manager is not None and not args.team:
        raise UserError(f"--manager {args.manager}: only with --team (a manager's reps)")
    out: Path | None = args.out
    if out is not None and out.is_dir():
        raise UserError(f"--out {out}: is a folder; expected a file name, like report.{args.form}")
    services = open_services(args)
    if args.team:
        try:
            report = _team_report(services, args.form, args.manager)
        finally:
            services.close()
        return _deliver(report, out)
    try:
        rep, name = _whose(services, args.rep)
        now = services.clock()
        days = services.scheduler.days
        today = days.day_of(now)
        if since is not None and since > today:
            raise UserError(f"--since {args.since}: expected a day on or before today ({today})")
        from drillcoach.progress.summary import rep_summary

        summary = rep_summary(
            services.store, services.library, services.config, rep, name, days, now
        )
    finally:
        services.close()
    return _deliver(render(summary, args.form, since), out)


def _deliver(report: str, out: Path | None) -> int:
    """Print the report, or write it to ``out``."""
    from drillcoach.fileio import make_folder, write_atomic

    if out is None:
        print(report, end="")
        return 0
    make_folder(out.parent)
    write_atomic(out, report)
    print(f"wrote {out}")
    return 0


def _team_report(services: Services, form: Format, manager: str | None = None) -> str:
    """My team's summary in ``form``: a director's (managers report to me) a row a manager
    and each manager's reps after, or ``manager``'s reps only; else the reps reporting to
    me, or (a director with none) everyone below me, as the Team screen starts."""
    from drillcoach.progress.director import director_summary, manager_team, managers_below
    from drillcoach.progress.director_report import render_director
    from drillcoach.progress.team_report import render_team
    from drillcoach.progress.team_summary import team_summary
    from drillcoach.team.sync import require_workspace

    mine = require_workspace(services)
    mine.require_manager("report --team")
    days, now = services.scheduler.days, services.clock()
    store, library, config = services.store, services.library, services.config
    if manager is not None:
        member = mine.team.members.get(manager)
        if (
            member is None
            or member.role != "manager"
            or not mine.team.is_above(mine.me.id, manager)
        ):
            raise UserError(f"--manager {manager}: expected the id of a manager below you "
                            "(see 'drillcoach team show --all')")  # fmt: skip
        theirs = manager_team(store, library, config, mine, member, days, now)
        return render_team(theirs, form)
    if managers_below(mine):
        return render_director(director_summary(store, library, config, mine, days, now), form)
    summary = team_summary(
        services.store, services.library, services.config, mine, services.scheduler.days,
        services.clock(), everyone=not mine.my_reps(),
    )  # fmt: skip
    return render_team(summary, form)


def _since(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--since {text!r}: expected a date like 2026-01-05") from None


def _whose(services: Services, rep: str | None) -> tuple[str, str]:
    """(member id, name) of the rep to summarise: me, or one of my reps (managers only)."""
    from drillcoach.team.sync import require_workspace

    mine = services.scheduler.rep
    if rep is None or rep == mine:
        return mine, services.config.name
    membership = require_workspace(services)
    membership.require_manager("report --rep")
    member = membership.require_above(rep)
    return member.id, member.name
