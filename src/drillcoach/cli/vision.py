"""``drillcoach vision [show|edit|history]``: the rep's vision - where they want to be in
2, 3 and 5 years, why, and how much they want it (coaching/vision.py). ``edit`` opens
$VISUAL or $EDITOR on a TOML form, or asks each question on the terminal without one."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option

if TYPE_CHECKING:
    from drillcoach.events import Vision
    from drillcoach.services import Services


def register(commands: Any) -> None:
    vision = commands.add_parser(
        "vision",
        help="your vision: where you want to be in 2, 3 and 5 years, and how much you want it",
    )
    vision.set_defaults(handler=_show)
    actions = vision.add_subparsers(dest="vision_command", metavar="ACTION")
    actions.add_parser("show", help="show your vision (the default)").set_defaults(handler=_show)
    edit = actions.add_parser(
        "edit", help="write a new version in $VISUAL or $EDITOR (without one: answer questions)"
    )
    edit.set_defaults(handler=_edit)
    history = actions.add_parser("history", help="every version, with its date and what changed")
    add_json_option(history, "every version, the latest first")
    history.set_defaults(handler=_history)


def _show(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services, say_sharing
    from drillcoach.coaching.vision import version_line, vision_history, vision_lines

    services = open_services(args)
    try:
        versions = vision_history(services.store, services.config.member)
        if not versions:
            print("No vision yet. Write where you want to be in 2, 3 and 5 years:")
            print("  drillcoach vision edit")
            return 0
        print(f"Your vision. {version_line(versions, services.scheduler.days)}")
        print()
        for line in vision_lines(versions[-1]):
            print(line)
        print()
        say_sharing(services.config.share_vision, "share_vision")
        return 0
    finally:
        services.close()


def _history(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services, print_json, versions_json
    from drillcoach.coaching.vision import changes, history_lines, vision_history

    services = open_services(args)
    try:
        versions = vision_history(services.store, services.config.member)
        if args.json:
            print_json(versions_json(versions, changes))
            return 0
        for line in history_lines(versions, services.scheduler.days):
            print(line)
        return 0
    finally:
        services.close()


def _edit(args: argparse.Namespace) -> int:
    from drillcoach.cli.editing import edit_or_ask
    from drillcoach.cli.shared import open_services, say_sharing
    from drillcoach.coaching.vision import (
        current_vision,
        parse_vision_toml,
        same_vision,
        vision_headline,
        vision_history,
        vision_toml,
    )

    services = open_services(args)
    try:
        rep = services.config.member
        current = current_vision(services.store, rep)
        vision = edit_or_ask(
            vision_toml(current),
            lambda text: parse_vision_toml(text, rep, services.clock()),
            lambda: _asked(services, current),
            name="vision",
            what="vision",
        )
        if vision is None:
            return 0
        if same_vision(vision, current):
            print("No change: your vision stays as it was.")
            return 0
        services.store.add(vision)
        count = len(vision_history(services.store, rep))
        print(f"Saved version {count} of your vision.")
        print(vision_headline(vision))
        say_sharing(services.config.share_vision, "share_vision")
        return 0
    finally:
        services.close()


def _asked(services: Services, current: Vision | None) -> Vision:
    """A new version from questions on the terminal, the current answers as defaults."""
    from drillcoach.cli.editing import PROMPT_HELP, ask
    from drillcoach.coaching.vision import (
        HORIZONS,
        HORIZONS_EXPECTED,
        QUESTIONS,
        Question,
        check_field,
        make_vision,
        number_from_text,
    )

    print("Your vision, in your own words. " + PROMPT_HELP)

    def checker(question: Question) -> Callable[[str], object]:
        def check(text: str) -> object:
            return check_field(question.key, number_from_text(text) if question.number else text)

        return check

    values: dict[str, object] = {}
    for question in QUESTIONS:
        default = str(getattr(current, question.key)) if current is not None else ""
        values[question.key] = ask(question.ask, default, checker(question))
        if question.key == HORIZONS[-1][0]:  # the last horizon: one of them is needed
            while not any(values[key] for key, _ in HORIZONS):
                print(f"  {HORIZONS_EXPECTED}")
                values[QUESTIONS[0].key] = ask(QUESTIONS[0].ask, "", checker(QUESTIONS[0]))
    return make_vision(services.config.member, services.clock(), values)
