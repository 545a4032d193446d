"""``drillcoach commitments [--all]``, ``commitments add --kind KIND [--number N] [--pack P]
[--due DATE] --why TEXT [TEXT...]``, ``commitments done ID``, ``commitments drop ID``: the
rep's commitments and how each is going this week (coaching/commitments.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option, json_only
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.coaching.commitments import CommitmentStatus

# what each field of a commitment is called on the command line
FLAGS = {
    "kind": "--kind",
    "number": "--number",
    "pack": "--pack",
    "due": "--due",
    "text": "TEXT",
    "motivation": "--why",
}


def register(commands: Any) -> None:
    from drillcoach.vocabulary import COMMITMENT_KINDS

    commitments = commands.add_parser(
        "commitments",
        help="what you committed to and how each is going this week; add, done, drop",
        description="commitments [--all] | commitments add --kind KIND [--number N] [--pack P] "
        "[--due DATE] --why TEXT [TEXT...] | commitments done ID | commitments drop ID",
    )
    commitments.add_argument(
        "--all", action="store_true", help="every commitment you made, ended and dropped too"
    )
    add_json_option(commitments, "the commitments and how each is going")
    commitments.set_defaults(handler=_list)
    actions = commitments.add_subparsers(dest="commitments_command", metavar="ACTION")

    add = actions.add_parser(
        "add",
        help="commit to something, tied to why it matters to you",
        description="drill-days: drill N days a week; finish-pack: start every drill of pack "
        "P by DATE; debrief-calls: debrief N important calls a week; manager-ratings: N "
        "role-plays rated by your manager a month; own: anything else, ticked off with "
        "'commitments done ID'.",
    )
    add.add_argument("--kind", required=True, choices=COMMITMENT_KINDS, help="what kind")
    add.add_argument("--number", type=int, metavar="N", help="days, calls or role-plays")
    add.add_argument("--pack", metavar="P", help="the pack to finish (finish-pack)")
    add.add_argument(
        "--due", metavar="DATE", help="by when, like 2026-03-31 (finish-pack; optional for "
        "own; for the others, the last day it runs)",
    )  # fmt: skip
    add.add_argument(
        "--why", required=True, metavar="TEXT", help="why it matters to you (your vision's why)"
    )
    add.add_argument(
        "text", nargs="*", metavar="TEXT",
        help="the commitment in your words (needed for own; the others have their own)",
    )  # fmt: skip
    add.set_defaults(handler=_add)

    for action, says in (("done", "tick off one of your own commitments"),
                         ("drop", "let a commitment go (it stays in your history)")):  # fmt: skip
        ending = actions.add_parser(action, help=says)
        ending.add_argument("id", metavar="ID", help="its id, or the start of it, as listed")
        ending.add_argument("--note", default="", help="a word on why (optional)")
        ending.set_defaults(handler=_end, action="done" if action == "done" else "dropped")


def _list(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services, print_json
    from drillcoach.coaching.commitments import commitment_statuses

    services = open_services(args)
    try:
        statuses = commitment_statuses(
            services.store, services.library, services.scheduler.rep, services.scheduler.days,
            services.clock(), every=args.all, new_per_day=services.config.new_per_day,
        )  # fmt: skip
        if args.json:
            print_json(statuses)
            return 0
        if not statuses:
            print("No commitments yet. Make one, tied to why it matters to you:")
            print('  drillcoach commitments add --kind drill-days --number 4 --why "..."')
            return 0
        for status in statuses:
            for line in _lines(status):
                print(line)
        print()
        _say_sharing(services.config.share_commitments)
        return 0
    finally:
        services.close()


def _say_sharing(shared: bool) -> None:
    from drillcoach.coaching.commitments import share_hint
    from drillcoach.text import share_command

    print(share_hint(shared))
    if not shared:
        print(f"To let your manager see them: {share_command('share_commitments')}")


def _lines(status: CommitmentStatus) -> list[str]:
    from drillcoach.coaching.commitments import STATE_WORDS, progress_line

    c = status.commitment
    lines = [f"{status.short_id}  {STATE_WORDS[status.state]:<8}  {c.text}"]
    lines.append(f"{'':8}  {'':8}  {progress_line(status)}")
    if c.motivation:
        lines.append(f"{'':8}  {'':8}  why: {c.motivation}")
    return lines


def _add(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.coaching.commitments import (
        CommitmentError,
        add_commitment,
        commitment_statuses,
        make_commitment,
        parse_due,
    )
    from drillcoach.events import short_id

    json_only(args, "commitments")
    services = open_services(args)
    try:
        scheduler = services.scheduler
        try:
            commitment = make_commitment(
                services.store, services.library, scheduler.rep, scheduler.days,
                services.clock(), kind=args.kind, motivation=args.why,
                text=" ".join(args.text), number=args.number, pack=args.pack,
                due=parse_due(args.due) if args.due is not None else None,
            )  # fmt: skip
        except CommitmentError as error:
            raise UserError(f"{FLAGS.get(error.field, error.field)}: {error.expected}") from None
        add_commitment(services.store, commitment)
        statuses = commitment_statuses(
            services.store, services.library, scheduler.rep, scheduler.days, services.clock(),
            new_per_day=services.config.new_per_day,
        )  # fmt: skip
        print(f"Committed (id {short_id(commitment.id)}):")
        for status in statuses:
            if status.commitment.id == commitment.id:
                for line in _lines(status):
                    print(line)
        if not services.config.share_commitments:
            _say_sharing(False)
        return 0
    finally:
        services.close()


def _end(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.coaching.commitments import find_commitment, update_commitment
    from drillcoach.events import short_id

    json_only(args, "commitments")
    services = open_services(args)
    try:
        found = find_commitment(services.store, services.scheduler.rep, args.id)
        update_commitment(services.store, found, args.action, services.clock(), args.note)
        word = "Done" if args.action == "done" else "Dropped"
        print(f"{word}: {found.text} (id {short_id(found.id)})")
        return 0
    finally:
        services.close()
