"""``drillcoach optimize [--dry-run | --undo]``: fit FSRS parameters to the rep's own
ratings, show how they predict the held-out later reviews against the defaults, and
schedule with them only when they predict better; ``--undo`` restores the ones before."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from drillcoach.errors import UserError

if TYPE_CHECKING:
    pass


def register(commands: Any) -> None:
    optimize = commands.add_parser(
        "optimize",
        help="fit the scheduling to your own ratings (needs the optimize extra)",
        description="Fit FSRS parameters to your ratings (the earlier ones), score them on "
        "the later ones against the defaults, and schedule with them when they predict "
        "your recall better.",
    )
    what = optimize.add_mutually_exclusive_group()
    what.add_argument(
        "--dry-run", action="store_true", help="fit and show the scores, change nothing"
    )
    what.add_argument(
        "--undo", action="store_true", help="restore the parameters before the last fit"
    )
    optimize.set_defaults(handler=_optimize)


def _optimize(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.scheduling import personal
    from drillcoach.text import fit_lines, short_history_line

    if not args.undo:
        try:
            import fsrs_rs_python  # noqa: F401  (only to say so when it is missing)
        except ImportError:
            raise UserError(personal.EXTRA_MISSING) from None
    services = open_services(args)
    try:
        scheduler = services.scheduler
        store, rep, now = services.store, scheduler.rep, scheduler.clock()
        if args.undo:
            undone = personal.undo(store, rep, now)
            if undone is None:
                print("Nothing to undo: no fitted parameters are in use.")
                return 0
            taken, entry = undone
            services.reschedule().cards.ready()  # every drill replayed now, not at the next open
            print(f"Took back the parameters fitted on {_day(taken.get('at'))}; {_now_on(entry)}.")
            return 0
        history = personal.read_history(store, services.library, rep, scheduler.days, now)
        if history.missing:
            print(short_history_line(history))
            return 0
        found = personal.fit(history, personal.current_parameters(store, rep), now)
        for line in fit_lines(found):
            print(line)
        if not found.better:
            print("Not applied: the fit does not predict your held-out reviews better than "
                  "the parameters in use. Nothing changed.")  # fmt: skip
        elif args.dry_run:
            print("Dry run: nothing changed. Without --dry-run these parameters would apply.")
        else:
            personal.apply(store, rep, found)
            services.reschedule().cards.ready()  # every drill replayed now, not at the next open
            print("Applied: your drills are scheduled with the fitted parameters from now on "
                  "('drillcoach optimize --undo' restores the ones before).")  # fmt: skip
        return 0
    finally:
        services.close()


def _day(stamp: object) -> str:
    return str(stamp)[:10] if stamp else "an unknown day"


def _now_on(entry: dict[str, Any]) -> str:
    if entry.get("parameters") is None:
        return "your drills are scheduled with the default parameters again"
    return f"your drills are scheduled with those fitted on {_day(entry.get('restores'))} again"
