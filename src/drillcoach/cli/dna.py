"""``drillcoach dna [take|history]``: the sales DNA self-assessment (coaching/dna.py): the
latest take and how it moved since the first, taking it (on stdin, or ``--answers`` from a
script), and every take side by side."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.coaching.dna import Dna, DnaResult
    from drillcoach.events import DnaCheck
    from drillcoach.services import Services


def register(commands: Any) -> None:
    dna = commands.add_parser(
        "dna",
        help="your sales DNA: the latest take and how it moved (take, history)",
        description="Your sales DNA: the habits of mind that decide whether your skills show "
        "up when a call gets uncomfortable. Without an action: your latest take, how it moved "
        "since the first, and what to work on first.",
    )
    dna.set_defaults(handler=_show)
    actions = dna.add_subparsers(dest="dna_command", metavar="ACTION")
    take = actions.add_parser(
        "take", help="answer the statements, 1 (strongly disagree) to 5 (strongly agree)"
    )
    take.add_argument(
        "--answers",
        metavar="ID=N,...",
        help="every statement's answer, for a script (the ids are in content/dna.toml)",
    )
    take.set_defaults(handler=_take)
    history = actions.add_parser("history", help="every take, side by side")
    add_json_option(history, "every take, oldest first")
    history.set_defaults(handler=_history)


def _show(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.coaching.dna import (
        compare,
        comparison_line,
        load_dna,
        not_taken_line,
        result_lines,
        score,
    )
    from drillcoach.events import DnaCheck

    services = open_services(args)
    try:
        dna = load_dna(library=services.library)
        checks = services.store.coaching(services.scheduler.rep, DnaCheck)
        if not checks:
            print(not_taken_line())
            return 0
        comparison = compare(checks, dna)
        for line in result_lines(score(checks[-1], dna), services.library, comparison,
                                 services.tz):  # fmt: skip
            print(line)
        if comparison is not None:
            print()
            print(textwrap.fill(comparison_line(comparison, services.tz), 78))
        _after(services, dna, score(checks[-1], dna))
        return 0
    finally:
        services.close()


def _take(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.coaching.dna import load_dna, new_check, parse_answers, result_lines, score

    services = open_services(args)
    try:
        dna = load_dna(library=services.library)
        answers = parse_answers(args.answers, dna) if args.answers is not None else _ask(dna)
        check = new_check(dna, answers, services.scheduler.rep, services.clock())
        services.store.add(check)
        result = score(check, dna)
        print()
        for line in result_lines(result, services.library, tz=services.tz):
            print(line)
        _after(services, dna, result)
        return 0
    finally:
        services.close()


def _ask(dna: Dna) -> dict[str, int]:
    """Each statement in turn on stdin, asked again until the answer is 1 to 5."""
    from drillcoach.coaching.dna import answer_of, scale_expected, scale_line

    print(dna.title)
    print(textwrap.fill(dna.intro, 78))
    print()
    print(scale_line())
    answers: dict[str, int] = {}
    total = len(dna.statements)
    for number, statement in enumerate(dna.statements, 1):
        print()
        prefix = f"{number}/{total}  "
        print(textwrap.fill(prefix + statement.text, 78, subsequent_indent=" " * len(prefix)))
        while True:
            try:
                reply = input("  1-5: ")
            except EOFError:
                print()
                raise UserError(
                    f"dna take: the input ended at statement {number} of {total}; nothing "
                    "was stored (a script can give --answers)"
                ) from None
            answer = answer_of(reply)
            if answer is not None:
                answers[statement.id] = answer
                break
            print(f"  Type one digit: {scale_expected()}.")
    return answers


def _after(services: Services, dna: Dna, result: DnaResult) -> None:
    """What to do next: packs to turn on, and who sees the results."""
    from drillcoach.coaching.dna import packs_off_line, recommendations, sharing_line

    packs, _ = recommendations(result, dna)
    off = packs_off_line(packs, services.scheduler.queue_pack_ids(), services.library)
    print()
    if off:
        print(textwrap.fill(off, 78))
    print(sharing_line(services.config.share_vision))


def _history(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services, print_json
    from drillcoach.coaching.dna import history_lines, load_dna, score
    from drillcoach.events import DnaCheck

    services = open_services(args)
    try:
        dna = load_dna(library=services.library)
        checks = services.store.coaching(services.scheduler.rep, DnaCheck)
        if args.json:  # every take, where the text shows the first and the latest few
            takes = [_take_json(check, score(check, dna)) for check in checks]
            print_json({"takes": takes, "weak_below": dna.weak_below})
            return 0
        for line in history_lines(checks, dna, services.tz):
            print(line)
        return 0
    finally:
        services.close()


def _take_json(check: DnaCheck, result: DnaResult) -> dict[str, Any]:
    """A take for a script: its answers and each construct's strength (1 to 5; None when
    none of its statements was answered), weak or not, and the weakest few to work on."""
    return {
        "id": check.id,
        "at": check.at,
        "answers": check.answers,
        "scores": [
            {
                "construct": item.construct.id,
                "title": item.construct.title,
                "strength": item.strength,
                "weak": item.weak,
            }
            for item in result.scores
        ],
        "work_on": [item.construct.id for item in result.work_on()],
    }
