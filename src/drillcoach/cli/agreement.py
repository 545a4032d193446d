"""``drillcoach agreement [show|edit|keep|history]``: the coaching agreement - the skills
where the rep wants detailed feedback, how, and the line of their vision each serves
(coaching/agreement.py). ``edit`` works like ``vision edit``; ``keep`` marks it reviewed
as it stands (the quarterly review that changes nothing)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option

if TYPE_CHECKING:
    from drillcoach.events import Agreement, Vision
    from drillcoach.services import Services


def register(commands: Any) -> None:
    agreement = commands.add_parser(
        "agreement",
        help="your coaching agreement: where you want detailed feedback, and how",
    )
    agreement.set_defaults(handler=_show)
    actions = agreement.add_subparsers(dest="agreement_command", metavar="ACTION")
    actions.add_parser("show", help="show your agreement (the default)").set_defaults(handler=_show)
    actions.add_parser(
        "edit", help="write a new version in $VISUAL or $EDITOR (without one: answer questions)"
    ).set_defaults(handler=_edit)
    actions.add_parser(
        "keep", help="reviewed, still right: keep it as it is, dated today"
    ).set_defaults(handler=_keep)
    history = actions.add_parser("history", help="every version, with its date and what changed")
    add_json_option(history, "every version, the latest first")
    history.set_defaults(handler=_history)


def _show(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services, say_sharing
    from drillcoach.coaching.agreement import (
        REVIEW_AFTER_DAYS,
        agreed_days_ago,
        agreement_history,
        agreement_lines,
    )
    from drillcoach.coaching.vision import day_words

    services = open_services(args)
    try:
        versions = agreement_history(services.store, services.config.member)
        if not versions:
            print("No coaching agreement yet. Say where you want detailed feedback, and how:")
            print("  drillcoach agreement edit")
            return 0
        days = services.scheduler.days
        on = day_words(days.date_of(versions[-1].at))
        print(f"Your coaching agreement. Version {len(versions)}, agreed {on}")
        print()
        for line in agreement_lines(versions[-1], services.library.skills):
            print(line)
        print()
        age = agreed_days_ago(versions[-1], days.day_of(services.clock()), days)
        if age >= REVIEW_AFTER_DAYS:
            print(f"Agreed {age} days ago: time for the quarterly review. Change it with "
                  "'drillcoach agreement edit', or 'drillcoach agreement keep' if it still "
                  "fits.")  # fmt: skip
        say_sharing(services.config.share_agreement, "share_agreement")
        return 0
    finally:
        services.close()


def _history(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services, print_json, versions_json
    from drillcoach.coaching.agreement import (
        agreement_changes,
        agreement_history,
        agreement_history_lines,
    )

    services = open_services(args)
    try:
        versions = agreement_history(services.store, services.config.member)
        if args.json:
            skills = services.library.skills
            print_json(versions_json(versions, lambda a, b: agreement_changes(a, b, skills)))
            return 0
        lines = agreement_history_lines(versions, services.library.skills, services.scheduler.days)
        for line in lines:
            print(line)
        return 0
    finally:
        services.close()


def _keep(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.coaching.agreement import current_agreement
    from drillcoach.errors import UserError
    from drillcoach.events import Agreement

    services = open_services(args)
    try:
        current = current_agreement(services.store, services.config.member)
        if current is None:
            raise UserError("keep: no coaching agreement yet; write one with "
                            "'drillcoach agreement edit'")  # fmt: skip
        reviewed = Agreement(by=current.by, at=services.clock(), areas=current.areas,
                             note=current.note)  # fmt: skip
        services.store.add(reviewed)
        print("Reviewed: your coaching agreement stays as it is, dated today.")
        return 0
    finally:
        services.close()


def _edit(args: argparse.Namespace) -> int:
    from drillcoach.cli.editing import edit_or_ask
    from drillcoach.cli.shared import open_services, say_sharing
    from drillcoach.coaching.agreement import (
        agreement_history,
        agreement_toml,
        current_agreement,
        parse_agreement_toml,
        same_agreement,
    )
    from drillcoach.coaching.vision import current_vision

    services = open_services(args)
    try:
        rep = services.config.member
        skills = services.library.skills
        current = current_agreement(services.store, rep)
        vision = current_vision(services.store, rep)
        agreement = edit_or_ask(
            agreement_toml(current, skills=skills, vision=vision),
            lambda text: parse_agreement_toml(
                text, rep, services.clock(), skills=skills, vision=vision
            ),
            lambda: _asked(services, current, vision),
            name="agreement",
            what="coaching agreement",
        )
        if agreement is None:
            return 0
        if same_agreement(agreement, current):
            print("No change: your coaching agreement stays as it was "
                  "('drillcoach agreement keep' marks it reviewed).")  # fmt: skip
            return 0
        services.store.add(agreement)
        count = len(agreement_history(services.store, rep))
        print(f"Saved version {count} of your coaching agreement.")
        say_sharing(services.config.share_agreement, "share_agreement")
        return 0
    finally:
        services.close()


def _asked(services: Services, current: Agreement | None, vision: Vision | None) -> Agreement:
    """A new version from questions on the terminal, the current answers as defaults."""
    from drillcoach.cli.editing import PROMPT_HELP, ask
    from drillcoach.coaching.agreement import (
        area_for,
        make_agreement,
        vision_line,
        ways_from_text,
    )
    from drillcoach.coaching.vision import horizon_lines
    from drillcoach.events import FEEDBACK_WAYS, MAX_NOTE

    skills = services.library.skills
    print("Your coaching agreement: where you want detailed feedback, and how. " + PROMPT_HELP)
    print(f"Skills: {', '.join(skills)}")
    for line in horizon_lines(vision):
        print(f"  Your vision, {line}")

    def check_skills(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        if not chosen:
            raise ValueError("name at least one skill where you want detailed feedback")
        unknown = [skill for skill in chosen if skill not in skills]
        if unknown:
            raise ValueError(f"no skill '{unknown[0]}' (known: {', '.join(skills)})")
        return list(dict.fromkeys(chosen))

    def check_line(text: str) -> str:
        return vision_line(text, vision)

    def check_note(text: str) -> str:
        if len(text) > MAX_NOTE:
            raise ValueError(f"expected at most {MAX_NOTE:,} characters, got {len(text):,}")
        return text

    had = ", ".join(area.skill for area in current.areas) if current else ""
    chosen = ask("Which skills do you want detailed feedback on? (comma-separated)", had,
                 check_skills)  # fmt: skip
    areas: dict[str, dict[str, object]] = {}
    for skill in chosen:
        area = area_for(current, skill)
        ways = ask(f"{skill}: how? {', '.join(FEEDBACK_WAYS)} (comma-separated)",
                   ", ".join(area.ways) if area else "", ways_from_text)  # fmt: skip
        line = ask(f"{skill}: which line of your vision does it serve? 2, 3, 5 or your words",
                   area.vision if area else "", check_line)  # fmt: skip
        areas[skill] = {"ways": list(ways), "vision": line}
    note = ask("Anything else about how you like your feedback?",
               current.note if current else "", check_note)  # fmt: skip
    return make_agreement(services.config.member, services.clock(), areas, note,
                          skills=skills, vision=vision)  # fmt: skip
