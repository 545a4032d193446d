"""``drillcoach doctor [--rebuild]``: check that every kept card equals a replay of its
history, and rebuild them all from the events when asked."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import open_services

if TYPE_CHECKING:
    from drillcoach.scheduling.cardstate import CardState


def register(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor", help="check card state against the rating history (exit 1 if they differ)"
    )
    doctor.add_argument(
        "--rebuild", action="store_true", help="replay every card from its ratings first"
    )
    doctor.set_defaults(handler=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    services = open_services(args)
    try:
        cards = services.scheduler.cards
        if args.rebuild:
            cards.rebuild()
            print("rebuilt every card from its ratings")
        mismatches = cards.check()
        total = len(cards.table.all(cards.rep))
        for mismatch in mismatches:
            print(
                f"{mismatch.uid}: kept {_describe(mismatch.stored)}, "
                f"history says {_describe(mismatch.rebuilt)}",
                file=sys.stderr,
            )
        if mismatches:
            print(
                f"{len(mismatches)} card(s) differ from their history; "
                "'drillcoach doctor --rebuild' replays them",
                file=sys.stderr,
            )
            return 1
        print(f"ok: {total} card(s) agree with the rating history")
        return 0
    finally:
        services.close()


def _describe(state: CardState | None) -> str:
    if state is None:
        return "no card"
    return f"{state.reviews} review(s), due {state.due:%Y-%m-%d %H:%M} UTC"
