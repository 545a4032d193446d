"""``drillcoach inbox [--all]``: the answers my reps sent for review (with ``--all``, also
those of everyone below me, which their own managers see first), oldest first, each beside
the model answer with the key points they ticked. Quick, and silent when nothing waits,
so it fits in a shell prompt or a cron job."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option, print_json
from drillcoach.dates import written

if TYPE_CHECKING:  # only for the types: inbox imports nothing heavy until something waits
    from drillcoach.content import Library
    from drillcoach.events import ReviewRequest
    from drillcoach.store import Store
    from drillcoach.team.workspace import Membership


def register(commands: Any) -> None:
    inbox = commands.add_parser(
        "inbox", help="answers your reps sent for review (prints nothing when none wait)"
    )
    inbox.add_argument(
        "--all",
        action="store_true",
        help="also what waits for the managers below you (you may answer it too)",
    )
    add_json_option(inbox, "the answers waiting (an empty list when none)")
    inbox.set_defaults(handler=_inbox)


def _inbox(args: argparse.Namespace) -> int:
    from drillcoach.config import load_config, resolve_paths

    paths = resolve_paths(args.home)
    config = load_config(paths)
    if not config.workspace or not paths.database.exists():
        return _none_waiting(args)
    from drillcoach.store import Store
    from drillcoach.team.feedback import inbox
    from drillcoach.team.workspace import membership

    mine = membership(config.workspace, config.member)
    if not mine.is_manager:
        return _none_waiting(args)
    with Store(paths.database, backups=paths.backups_dir) as store:
        waiting = inbox(store, mine, everyone=args.all)
        if not waiting:
            return _none_waiting(args)
        from drillcoach.services import load_packs

        library = load_packs(paths, config)
        if args.json:  # oldest first, as listed
            print_json([_as_json(request, library, mine) for request in waiting])
        else:
            _print(waiting, library, mine, store, everyone=args.all)
    return 0


def _none_waiting(args: argparse.Namespace) -> int:
    """Nothing waits: silence, or for a script an empty list."""
    if args.json:
        print_json([])
    return 0


def _as_json(request: ReviewRequest, library: Library, mine: Membership) -> dict[str, Any]:
    """A review request for a script: the request as stored, who sent it and to whose
    manager, and the drill it answers (its title, model answer and key points)."""
    from drillcoach.cli.shared import jsonable

    rep = mine.team.members.get(request.rep)
    drill = library.drill(request.drill_uid)
    return {
        **jsonable(request),
        "rep": request.rep,
        "rep_name": rep.name if rep else request.rep,
        "manager": rep.manager if rep else None,
        "title": drill.title if drill else None,
        "model_answer": drill.model_answer if drill else None,
        "key_points": list(drill.key_points) if drill else [],
        "word_limit": drill.word_limit if drill else None,
    }


def _print(
    waiting: list[ReviewRequest],
    library: Library,
    mine: Membership,
    store: Store,
    *,
    everyone: bool = False,
) -> None:
    from drillcoach.content.models import word_count
    from drillcoach.events import short_id
    from drillcoach.text import plural, words_text

    whose = ", yours and those below your managers" if everyone else ""
    print(f"{plural(len(waiting), 'answer')} waiting for your review{whose}, oldest first.")
    for number, request in enumerate(waiting, 1):
        rep = mine.team.members.get(request.rep)
        name = rep.name if rep else request.rep
        drill = library.drill(request.drill_uid)
        title = drill.title if drill else request.drill_uid
        short = short_id(request.id)
        boss = mine.team.members.get(rep.manager) if rep and rep.manager else None
        theirs = f" (reports to {boss.name})" if boss and boss.id != mine.me.id else ""
        print()
        asked = written(request.at.astimezone(), "%a %d %b %H:%M")
        print(f"{number}. {name}{theirs} · {asked} · {title}  (request {short})")
        how = "typed" if request.mode == "typed" else "spoken; their notes"
        own = f", self-rated {_rating_name(request.rating)}" if request.rating else ""
        if drill is not None and drill.word_limit:
            own += f", {words_text(word_count(request.answer), drill.word_limit)}"
        print(f"   {name}'s answer ({how}{own}):")
        _block(request.answer)
        if drill is None:
            print("   (this drill is not in your library: sync, or load its pack)")
            continue
        print("   Model answer:")
        _block(drill.model_answer)
        if drill.key_points:
            print(f"   Key points: {len(request.key_points_hit)} of {len(drill.key_points)} ticked")
            for index, point in enumerate(drill.key_points):
                mark = "x" if index in request.key_points_hit else " "
                print(f"     [{mark}] {point}")
        rubric = library.rubric_for(drill)
        # what needs a live call (pace, interruptions) cannot be heard in an answer: n/a
        scores = (
            ",".join(f"{c.id}={'na' if c.live_only else 'N'}" for c in rubric.criteria)
            if rubric
            else "CRITERION=N"
        )
        print(f'   Answer it: drillcoach rate {request.rep} --request {short} --score {scores} '
              '--note "..."')  # fmt: skip


def _rating_name(rating: int) -> str:
    from drillcoach.scheduling.rules import RATING_NAMES, as_rating

    return RATING_NAMES[as_rating(rating)]


def _block(text: str) -> None:
    for paragraph in text.strip().splitlines() or [""]:
        for line in textwrap.wrap(paragraph, 72) or [""]:
            print(f"     {line}")
