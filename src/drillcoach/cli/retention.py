"""``drillcoach retention [--days 90] [--seed N] [--apply]``: the daily drilling time and
the drills remembered for each desired retention, simulated from the rep's own cards,
and the retention with the least time per drill remembered."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option, open_services, print_json, print_table
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.scheduling.workload import Outcome, Workload
    from drillcoach.services import Services

MAX_DAYS = 730
MAX_SEED = 999_999_999


def register(commands: Any) -> None:
    retention = commands.add_parser(
        "retention", help="simulate daily time and recall for each desired retention"
    )
    retention.add_argument("--days", default="90", metavar="N", help="days to simulate (90)")
    retention.add_argument("--seed", default="0", metavar="N", help="seed of the recall draws")
    retention.add_argument(
        "--apply", action="store_true", help="set desired_retention to the suggested one"
    )
    add_json_option(retention, "each retention's figures and the suggestion")
    retention.set_defaults(handler=_retention)


def _whole(option: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise UserError(f"{option} {text}: expected a whole number from {low} to {high}")
    return value


def _retention(args: argparse.Namespace) -> int:
    from drillcoach.scheduling.workload import simulate_all, suggested, workload_of
    from drillcoach.text import retention_suggestion, workload_line

    days = _whole("--days", args.days, 1, MAX_DAYS)
    seed = _whole("--seed", args.seed, 0, MAX_SEED)
    services = open_services(args)
    try:
        workload = workload_of(services.scheduler)
        if workload.idle:
            if args.json:
                print_json(_json(days, seed, workload, services.config.desired_retention, [],
                                 None, False))  # fmt: skip
                return 0
            print(
                "Nothing to simulate: no drill started yet and no new drill waiting in your "
                "packs (turn packs on with 'p' in drillcoach)."
            )
            return 0
        outcomes = simulate_all(workload, days=days, seed=seed)
        best = suggested(outcomes)
        current = services.config.desired_retention
        if args.json:
            applied = args.apply and best is not None
            if best is not None and applied:
                _apply(services, best)
            print_json(_json(days, seed, workload, current, outcomes, best, applied))
            return 0
        print(f"{workload_line(workload, days)}, seed {seed}")
        print()
        print_table(
            ("retention", "min/day", "reviews/day", "remembered", "min/remembered"),
            [_row(outcome, current, best) for outcome in outcomes],
        )
        print()
        for line in chart(outcomes, best):
            print(line)
        print()
        capped = [o for o in outcomes if o.capped_days]
        if capped:
            print(
                f"reviews_per_day ({workload.reviews_per_day}) left drills for later on some "
                f"days from retention {capped[0].retention:.2f} up."
            )
        print("* suggested, < now; remembered: the sum of each drill's recall probability")
        print(f"on day {days}, new drills drilled meanwhile included.")
        if best is None:
            print("No suggestion: no drill would be remembered.")
            return 0
        print(retention_suggestion(best, current))
        if args.apply:
            _apply(services, best)
            print(f"desired_retention = {best.retention:.2f}  (in {services.paths.config_file})")
        elif abs(best.retention - current) > 1e-9:
            print("To use it: drillcoach retention --apply")
        return 0
    finally:
        services.close()


def _apply(services: Services, best: Outcome) -> None:
    services.set_setting("desired_retention", f"{best.retention:.2f}")  # due dates move now


def _json(
    days: int, seed: int, workload: Workload, current: float, outcomes: Sequence[Outcome],
    best: Outcome | None, applied: bool,
) -> dict[str, Any]:  # fmt: skip
    """``retention --json``: what the table and the suggestion say, figures unrounded."""
    return {
        "days": days, "seed": seed, "started": len(workload.started),
        "new_waiting": len(workload.new), "new_per_day": workload.new_per_day,
        "reviews_per_day": workload.reviews_per_day, "desired_retention": current,
        "suggested": None if best is None else best.retention, "applied": applied,
        "retentions": [
            {"retention": o.retention, "minutes_per_day": o.minutes_per_day,
             "reviews_per_day": o.reviews_per_day, "remembered": o.remembered,
             "minutes_per_remembered": o.minutes_per_remembered, "capped_days": o.capped_days}
            for o in outcomes
        ],
    }  # fmt: skip


def _row(outcome: Outcome, current: float, best: Outcome | None) -> list[str]:
    marks = ("*" if outcome is best else "") + ("<" if outcome.is_at(current) else "")
    return [
        f"{outcome.retention:.2f}{marks}",
        f"{outcome.minutes_per_day:.1f}",
        f"{outcome.reviews_per_day:.1f}",
        f"{outcome.remembered:.0f}",
        f"{outcome.minutes_per_remembered:.2f}",
    ]


def chart(outcomes: Sequence[Outcome], best: Outcome | None) -> list[str]:
    """``retention_chart`` in █ (# where the terminal cannot show it); the suggested line
    is bold unless NO_COLOR is set."""
    from drillcoach.text import retention_chart

    block = "█"
    try:
        block.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        block = "#"
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    lines = retention_chart(outcomes, best, block=block)
    return [f"\x1b[1m{line}\x1b[0m" if bold and line.endswith("suggested") else line
            for line in lines]  # fmt: skip
