"""``drillcoach doctor [--rebuild]``: check the database file, then that every kept card
equals a replay of its history (rebuilding them from the events when asked), then note
events of drills no loaded pack has."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import open_services

if TYPE_CHECKING:
    from drillcoach.config import Paths
    from drillcoach.scheduling.cardstate import CardState
    from drillcoach.services import Services


def register(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the database and card state against the rating history (exit 1 if wrong)",
    )
    doctor.add_argument(
        "--rebuild", action="store_true", help="replay every card from its ratings first"
    )
    doctor.add_argument(
        "--quiet", "-q", action="store_true",
        help="no progress bar (a team's history takes a while): only what it finds",
    )  # fmt: skip
    doctor.set_defaults(handler=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from drillcoach.config import resolve_paths

    paths = resolve_paths(args.home)
    if _damaged(paths):
        return 1
    services = open_services(args)
    try:
        from drillcoach.cli.progress import reporting

        cards = services.scheduler.cards
        with reporting(quiet=args.quiet) as progress:
            if args.rebuild:
                cards.rebuild(progress)
            mismatches = cards.check(progress)
        if args.rebuild:
            print("rebuilt every card from its ratings")
        total = len(cards.table.all(cards.rep))
        for mismatch in mismatches:
            print(
                f"{mismatch.uid}: kept {_describe(mismatch.stored)}, "
                f"history says {_describe(mismatch.rebuilt)}",
                file=sys.stderr,
            )
        for note in _orphans(services):  # informational: they change no exit code
            print(note)
        for line in _refusals(services):
            print(line)
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


def _damaged(paths: Paths) -> bool:
    """SQLite's integrity check of the database; when it fails, say what it found and
    which backup to restore (the newest that passes its own check)."""
    from drillcoach.store.backup import integrity_problems, newest_good_backup

    if not paths.database.is_file():
        return False
    try:
        problems = integrity_problems(paths.database)
    except sqlite3.Error as error:
        from drillcoach.store import Store

        raise Store.problem(paths.database, error) from None
    if not problems:
        return False
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    print(f"{paths.database} is damaged: {problems[0]}{more}", file=sys.stderr)
    good = newest_good_backup(paths.backups_dir)
    if good is None:
        print(
            f"no backup in {paths.backups_dir} passes its integrity check; keep the damaged "
            "file: sqlite3's .recover command may save part of it",
            file=sys.stderr,
        )
    else:
        print(
            f"the newest good backup is {good.path.name} ({good.made:%Y-%m-%d %H:%M}, "
            f"{good.ratings} rating(s)); restore it with: drillcoach restore {good.path.name}",
            file=sys.stderr,
        )
    return True


def _orphans(services: Services) -> list[str]:
    """Notes on events of drills no loaded pack has: kept, and harmless."""
    cards = services.scheduler.cards
    library = services.library

    def unknown(uid: str) -> bool:
        return library.drill(uid) is None and uid not in cards.aliases

    counts = {uid: n for uid, n in services.store.rating_counts(cards.rep).items() if unknown(uid)}
    set_aside = [uid for uid in services.store.drill_actions(cards.rep) if unknown(uid)]
    notes = []
    if counts:
        notes.append(
            f"note: {sum(counts.values())} rating(s) of {len(counts)} drill(s) no loaded pack "
            f"has (e.g. {min(counts)}) are kept: their history returns if the drill does"
        )
    if set_aside:
        notes.append(
            f"note: {len(set_aside)} drill(s) no loaded pack has were suspended or buried "
            f"(e.g. {min(set_aside)}); kept, and harmless"
        )
    return notes


def _refusals(services: Services) -> list[str]:
    """What sync refused of the team workspace (informational: none of it was stored)."""
    refused = services.store.refusals()
    if not refused:
        return []
    lines = [f"{len(refused)} line(s) or file(s) of the team workspace were refused on "
             "import; none of them reached the database:"]  # fmt: skip
    for file, line, reason, _ in refused:
        lines.append(f"  {file}:{line}: {reason}" if line else f"  {file}: {reason}")
    return lines


def _describe(state: CardState | None) -> str:
    if state is None:
        return "no card"
    return f"{state.reviews} review(s), due {state.due:%Y-%m-%d %H:%M} UTC"
