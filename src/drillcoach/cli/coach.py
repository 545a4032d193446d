"""``drillcoach coach [REP] [--format text|md]``: the 1:1 agenda. A manager's for one of
their reps (from what the rep's syncs brought in and what they share), or, with no REP, a
rep's own agenda to prepare with (and a manager's own coaching, per rep)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drillcoach.coaching.agenda_text import Format


def register(commands: Any) -> None:
    coach = commands.add_parser(
        "coach",
        help="the 1:1 agenda: of one of your reps (managers), or your own to prepare",
        description="coach REP: the 1:1 agenda for one of your reps, from their last sync "
        "and what they share. coach: your own, to prepare (a manager: your coaching, per "
        "rep). --format md writes it to paste into a 1:1 doc.",
    )
    coach.add_argument("rep", metavar="REP", nargs="?", help="the rep's member id (managers)")
    coach.add_argument(
        "--format", dest="form", choices=("text", "md"), default="text",
        help="text (default) or md: Markdown headings and bullets for a 1:1 doc",
    )  # fmt: skip
    coach.set_defaults(handler=_coach)


def _coach(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services

    services = open_services(args)
    try:
        if args.rep:
            return _reps_agenda(services, args.rep, args.form)
        return _own(services, args.form)
    finally:
        services.close()


def _reps_agenda(services: Any, rep: str, form: Format) -> int:
    from drillcoach.coaching.agenda import build_agenda, open_agenda
    from drillcoach.coaching.agenda_text import render
    from drillcoach.coaching.view import shared_view
    from drillcoach.team.sync import require_workspace

    mine = require_workspace(services)
    if rep == mine.me.id:
        return _own(services, form)
    mine.require_manager("coach REP")
    member = mine.require_above(rep)
    store = services.store
    agenda = build_agenda(
        services.scheduler_for(member.id), member.name, shared_view(store, member.id),
        mine.team.names,
    )  # fmt: skip
    open_agenda(store, mine.me.id, member.id, services.clock())
    print(render(agenda, services.library, form), end="")
    return 0


def _own(services: Any, form: Format) -> int:
    from drillcoach.coaching.agenda import build_agenda
    from drillcoach.coaching.agenda_text import render
    from drillcoach.coaching.view import own_view
    from drillcoach.team.workspace import membership

    config = services.config
    mine = None
    if config.workspace:
        mine = membership(config.workspace, config.member)
        if mine.is_manager and mine.my_reps(everyone=True):
            return _managers_own(services, mine)
    name = mine.me.name if mine else config.name
    agenda = build_agenda(services.scheduler, name, own_view(), mine.team.names if mine else {})
    print(render(agenda, services.library, form), end="")
    return 0


def _managers_own(services: Any, mine: Any) -> int:
    """A manager with reps: their own coaching, per rep, and how to open an agenda."""
    from drillcoach.cli.shared import print_table
    from drillcoach.coaching.coach import coaching_by_rep, coaching_words

    reps = [member.id for member in mine.my_reps(everyone=True)]
    names = mine.team.names
    per_rep = coaching_by_rep(services.store, mine.me.id, reps, services.clock())
    print(coaching_words(per_rep, names))
    print()
    print_table(
        ("REP", "NAME", "RATINGS", "ANSWERS", "AGENDAS"),
        [(item.rep, names.get(item.rep, item.rep), str(item.ratings), str(item.answers),
          str(item.agendas)) for item in per_rep],
    )  # fmt: skip
    print()
    print(f"Open a rep's 1:1 agenda: drillcoach coach {reps[0]}   (--format md for a 1:1 doc)")
    return 0
