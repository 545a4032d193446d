"""``drillcoach debrief``: debrief an important call (asked field by field, or ``new``
with options for scripts), list and read debriefs, turn an objection heard into a drill
of the field pack (``drill``), bring a matching drill forward to today (``forward``),
and, for a manager, score a rep's shared debrief on the debrief rubric (``review``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from drillcoach.cli.shared import add_json_option
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.coaching.debriefs import DebriefForm
    from drillcoach.content import Drill
    from drillcoach.events import Debrief
    from drillcoach.services import Services

T = TypeVar("T")

# the options of 'debrief new', by the field a DebriefError names
OPTIONS = {
    "account": "--account",
    "date": "--date",
    "type": "--type",
    "outcome": "--outcome",
    "went-well": "--went-well",
    "improve": "--improve",
    "objection": "--objection",
    "skill": "--skill",
    "next": "--next",
    "recording": "--recording",
    "moment": "--moment",
}


def register(commands: Any) -> None:
    debrief = commands.add_parser(
        "debrief",
        help="debrief an important call; turn what the buyer said into drills",
        description="Without an action, asks for each part of the debrief in turn.",
    )
    debrief.set_defaults(handler=_ask_and_save)
    actions = debrief.add_subparsers(dest="debrief_command", metavar="ACTION")

    new = actions.add_parser("new", help="save a debrief from options (for scripts)")
    new.add_argument("--account", required=True, help="who the call was with")
    new.add_argument(
        "--date",
        default="today",
        help="the call's date, like 2026-03-02, today or yesterday (default: today)",
    )
    new.add_argument("--type", required=True, metavar="TYPE", help=_one_of("call_types"))
    new.add_argument("--outcome", required=True, help=_one_of("outcomes"))
    new.add_argument("--went-well", default="", metavar="TEXT", help="what went well")
    new.add_argument("--improve", default="", metavar="TEXT", help="what you'd do differently")
    new.add_argument(
        "--objection",
        action="append",
        default=[],
        metavar="TEXT",
        help="an objection in the buyer's own words (repeat for each)",
    )
    new.add_argument(
        "--skill",
        action="append",
        default=[],
        metavar="SKILL=N",
        help="a skill used on the call and your rating of it, 1 to 5 (repeat)",
    )
    new.add_argument("--next", default="", metavar="TEXT", help="the agreed next step")
    new.add_argument("--recording", default="", metavar="URL", help="link to the recording")
    new.add_argument(
        "--moment",
        action="append",
        default=[],
        metavar="'MM:SS NOTE'",
        help="a moment worth watching again, like '12:40 price pushback'",
    )
    new.set_defaults(handler=_new)

    listing = actions.add_parser("list", help="your debriefs, the latest call first")
    listing.add_argument("--rep", help="a rep's shared debriefs (managers)")
    add_json_option(listing, "the debriefs")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", help="one debrief, with reviews and the joint-call view")
    show.add_argument("id", metavar="ID", help="the debrief's id (its first 4 characters do)")
    show.add_argument("--rep", help="a rep's shared debrief (managers)")
    show.set_defaults(handler=_show)

    drill = actions.add_parser(
        "drill", help="make objection N of a debrief a drill of your field pack"
    )
    drill.add_argument("id", metavar="ID", help="the debrief's id")
    drill.add_argument("number", metavar="N", type=int, help="which objection, from 1")
    drill.add_argument(
        "--key-point",
        action="append",
        default=[],
        metavar="TEXT",
        help="what a good answer does (repeat for each)",
    )
    drill.add_argument("--answer", default="", metavar="TEXT", help="a better answer")
    drill.add_argument(
        "--copy", metavar="DRILL_UID", help="copy key points and answer from this drill (yours win)"
    )
    drill.add_argument(
        "--skill", help="the drill's skill (default: the copied drill's, else objection-handling)"
    )
    drill.set_defaults(handler=_drill)

    forward = actions.add_parser("forward", help="bring a drill into today's queue, first")
    forward.add_argument("uid", metavar="DRILL_UID", help="like objections-core/price-too-high")
    forward.set_defaults(handler=_forward)

    review = actions.add_parser(
        "review", help="score a rep's debrief on the debrief rubric and answer it (managers)"
    )
    review.add_argument("rep", metavar="REP", help="the rep's member id")
    review.add_argument("id", metavar="DEBRIEF_ID", help="the debrief's id")
    review.add_argument(
        "--score",
        action="append",
        default=[],
        metavar="CRITERION=N",
        help="1 to 5 for each criterion of the debrief rubric",
    )
    review.add_argument("--note", default="", help="what the rep should hear from you")
    review.set_defaults(handler=_review)


def _one_of(what: str) -> str:
    from drillcoach.vocabulary import CALL_OUTCOMES, CALL_TYPES

    return "one of " + ", ".join(CALL_TYPES if what == "call_types" else CALL_OUTCOMES)


def _opened(args: argparse.Namespace, run: Callable[[Services], int]) -> int:
    from drillcoach.cli.shared import open_services

    services = open_services(args)
    try:
        return run(services)
    finally:
        services.close()


def _local_today(services: Services) -> date:
    """The rep's local date: a call is dated by the calendar, not the drilling day."""
    return services.scheduler.days.date_of(services.clock())


def _save(services: Services, form: DebriefForm) -> Debrief:
    from drillcoach.coaching.debriefs import DebriefError, add_debrief

    try:
        return add_debrief(
            services.store,
            services.library,
            services.config.member,
            form,
            at=services.clock(),
            today=_local_today(services),
        )
    except DebriefError as error:
        raise UserError(f"{OPTIONS.get(error.field, error.field)}: {error.problem}") from None


def _after_saving(services: Services, debrief: Debrief) -> None:
    """What the objections heard can become, and (once) how to share debriefs."""
    from drillcoach.coaching.closest import closeness_words, offer_for
    from drillcoach.coaching.debrief_text import saved_line
    from drillcoach.coaching.debriefs import share_hint_once
    from drillcoach.events import short_id

    print(saved_line(debrief))
    ident = short_id(debrief.id)
    for number, objection in enumerate(debrief.objections, 1):
        offer = offer_for(services.library, objection)
        print(f'\n{number}. "{objection}"')
        if offer.match is not None:
            print(
                f'   is "{offer.match.title}": drill it today with '
                f"'drillcoach debrief forward {offer.match.uid}'"
            )
        elif offer.closest:
            drill, score = offer.closest[0]
            print(f'   closest drill: "{drill.title}" ({drill.uid}, {closeness_words(score)})')
        print(f"   make it a drill: 'drillcoach debrief drill {ident} {number}'")
    hint = share_hint_once(services.store, services.config)
    if hint:
        print(f"\n{hint}")


# --- debrief (asked) and debrief new


def _new(args: argparse.Namespace) -> int:
    from drillcoach.coaching.debriefs import DebriefForm

    form = DebriefForm(
        account=args.account,
        call_date=args.date,
        call_type=args.type,
        outcome=args.outcome,
        went_well=args.went_well,
        to_improve=args.improve,
        objections=tuple(args.objection),
        skills=tuple(args.skill),
        next_step=args.next,
        recording=args.recording,
        moments=tuple(args.moment),
    )

    def run(services: Services) -> int:
        _after_saving(services, _save(services, form))
        return 0

    return _opened(args, run)


def _read(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        print(file=sys.stderr)
        raise UserError(
            "debrief: the input ended before the debrief was whole; nothing was saved"
        ) from None


def _until_right(prompt: str, check: Callable[[str], T]) -> T:
    """Ask until ``check`` takes the answer; each refusal is said in one line."""
    while True:
        text = _read(prompt)
        try:
            return check(text)
        except UserError as error:
            print(f"  {error}", file=sys.stderr)


def _several(prompt: str, check: Callable[[str], object]) -> tuple[str, ...]:
    """Lines until an empty one, each checked as it comes."""
    print(prompt)
    found: list[str] = []
    while text := _read("  > ").strip():
        try:
            check(text)
        except UserError as error:
            print(f"  {error}", file=sys.stderr)
            continue
        found.append(text)
    return tuple(found)


def _ask_and_save(args: argparse.Namespace) -> int:
    from drillcoach.coaching import debriefs as words
    from drillcoach.events import CALL_OUTCOMES, CALL_TYPES

    def run(services: Services) -> int:
        today = _local_today(services)
        library = services.library

        def free(field: str) -> Callable[[str], str]:
            return lambda text: words.check_text(field, text.strip())

        print("Debrief a call while it is fresh. Enter leaves an optional part empty.")
        form = words.DebriefForm(
            account=_until_right("Account: ", words.parse_account),
            call_date=_until_right(
                f"Date of the call [{today.isoformat()}]: ",
                lambda text: (words.parse_call_date(text, today), text)[1],
            ),
            call_type=_until_right(f"Call type ({', '.join(CALL_TYPES)}): ", words.parse_call_type),
            outcome=_until_right(f"Outcome ({', '.join(CALL_OUTCOMES)}): ", words.parse_outcome),
            went_well=_until_right("What went well: ", free("went-well")),
            to_improve=_until_right("What you'd do differently: ", free("improve")),
            objections=_several(
                "Objections, in the buyer's own words (one a line, an empty line ends):",
                free("objection"),
            ),
            skills=_several(
                "Skills on the call and your rating, 1 to 5, like discovery=3 "
                "(one a line, an empty line ends):",
                lambda text: words.parse_skill_ratings([text], library),
            ),
            next_step=_until_right("Next step: ", free("next")),
            recording=_until_right("Link to the recording (optional): ", words.parse_recording),
            moments=_several(
                "Moments worth watching again, like 12:40 price pushback (one "
                "a line, an empty line ends):",
                words.parse_moment,
            ),
        )
        _after_saving(services, _save(services, form))
        return 0

    return _opened(args, run)


# --- reading


def _names(services: Services) -> dict[str, str]:
    """Member id -> name in my workspace (empty outside one)."""
    from drillcoach.team.workspace import membership

    if not services.config.workspace:
        return {}
    try:
        return membership(services.config.workspace, services.config.member).team.names
    except UserError:
        return {}


def _list(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import jsonable, print_json, print_table
    from drillcoach.coaching.debrief_text import DEBRIEF_HEADER, debrief_row
    from drillcoach.coaching.debriefs import debriefs, reviews_of
    from drillcoach.coaching.view import view_of

    def run(services: Services) -> int:
        me = services.config.member
        rep = args.rep or me
        found = debriefs(services.store, rep, view_of(services.store, rep, me))
        reviewed = [bool(reviews_of(services.store, d)) for d in found]
        if args.json:  # the latest call first, as listed
            print_json(
                [{**jsonable(d), "reviewed": r} for d, r in zip(found, reviewed, strict=True)]
            )
            return 0
        if not found:
            if rep == services.config.member:
                print("No debriefs yet. After an important call: drillcoach debrief")
            else:
                print(
                    f"No debriefs of {rep} here: they reach you once {rep} shares them and syncs."
                )
            return 0
        rows = [debrief_row(d, r) for d, r in zip(found, reviewed, strict=True)]
        print_table(DEBRIEF_HEADER, rows)
        return 0

    return _opened(args, run)


def _show(args: argparse.Namespace) -> int:
    from drillcoach.coaching.debrief_text import debrief_page
    from drillcoach.coaching.debriefs import find_debrief
    from drillcoach.coaching.view import view_of

    def run(services: Services) -> int:
        store, me = services.store, services.config.member
        rep = args.rep or me
        debrief = find_debrief(store, rep, args.id, view_of(store, rep, me))
        lines = debrief_page(store, services.library, debrief, me=me, names=_names(services),
                             days=services.scheduler.days)  # fmt: skip
        print("\n".join(lines))
        return 0

    return _opened(args, run)


# --- objections into drills


def _drill(args: argparse.Namespace) -> int:
    from drillcoach.coaching.debriefs import find_debrief
    from drillcoach.coaching.fieldpack import drill_from_objection, drill_written_line

    def run(services: Services) -> int:
        debrief = find_debrief(services.store, services.config.member, args.id)
        count = len(debrief.objections)
        if not 1 <= args.number <= count:
            heard = f"1 to {count}" if count else "none: it heard no objections"
            raise UserError(f"N: that debrief's objections are {heard}")
        objection = debrief.objections[args.number - 1]
        copy_from = _drill_named(services, args.copy, "--copy") if args.copy else None
        key_points: list[str] = list(args.key_point)
        answer: str = args.answer
        if copy_from is None and not key_points:
            chosen = _choose(services, objection)
            if chosen is None:
                return 0
            copy_from, key_points, answer = chosen
        written = drill_from_objection(
            services,
            objection,
            key_points=key_points,
            answer=answer,
            copy_from=copy_from,
            skill=args.skill,
            debrief=debrief,
        )
        print(drill_written_line(written))
        return 0

    return _opened(args, run)


def _drill_named(services: Services, uid: str, option: str) -> Drill:
    drill = services.library.drill(uid.strip())
    if drill is None:
        raise UserError(f"{option}: no drill '{uid}' (see 'drillcoach packs show PACK')")
    return drill


def _choose(services: Services, objection: str) -> tuple[Drill | None, list[str], str] | None:
    """The closest drills; at a terminal, the rep picks one to copy, writes their own or
    brings the match forward (None: done, nothing to write); otherwise how to say it."""
    from drillcoach.coaching.closest import offer_for, offer_lines
    from drillcoach.coaching.fieldpack import bring_forward, forward_line

    offer = offer_for(services.library, objection)
    print(f'"{objection}"')
    print("\n".join(offer_lines(offer, services.library)))
    if not sys.stdin.isatty():
        forward = (
            f", or bring the match forward: drillcoach debrief forward {offer.match.uid}"
            if offer.match
            else ""
        )
        raise UserError(
            "debrief drill: give --key-point (repeat) and --answer, or --copy "
            f"DRILL_UID from those above{forward}"
        )
    choices = [str(n) for n in range(1, len(offer.closest) + 1)]
    options = "/".join([*choices, "w", *(["f"] if offer.match else [])])
    forward = ", f to bring the match forward" if offer.match else ""
    picked = (
        _read(f"Copy from a number, w to write your own{forward}, enter to stop [{options}]: ")
        .strip()
        .lower()
    )
    if not picked:
        return None
    if picked == "f" and offer.match is not None:
        bring_forward(services, offer.match)
        print(forward_line(offer.match))
        return None
    if picked in choices:
        return offer.closest[int(picked) - 1][0], [], ""
    if picked != "w":
        raise UserError(f"expected one of {options}, got {picked!r}")
    points = _several(
        "Key points, what a good answer does (one a line, an empty line ends):", lambda text: text
    )
    return None, list(points), _read("A better answer (one line, optional): ")


def _forward(args: argparse.Namespace) -> int:
    from drillcoach.coaching.fieldpack import bring_forward, forward_line

    def run(services: Services) -> int:
        drill = _drill_named(services, args.uid, "DRILL_UID")
        bring_forward(services, drill)
        print(forward_line(drill))
        return 0

    return _opened(args, run)


# --- the manager's review


def _review(args: argparse.Namespace) -> int:
    from drillcoach.coaching.debrief_text import review_saved_line
    from drillcoach.coaching.debriefs import DEBRIEF_RUBRIC, find_debrief, review_debrief
    from drillcoach.coaching.view import shared_view
    from drillcoach.team.feedback import parse_scores, score_usage
    from drillcoach.team.sync import require_workspace

    def run(services: Services) -> int:
        mine = require_workspace(services)
        mine.require_manager("debrief review")
        rep = mine.require_above(args.rep)
        try:
            debrief = find_debrief(
                services.store, rep.id, args.id, shared_view(services.store, rep.id)
            )
        except UserError as error:
            raise UserError(
                f"{error}; a rep's debriefs reach you once they share them and sync"
            ) from None
        rubric = services.library.rubrics.get(DEBRIEF_RUBRIC)
        scores = parse_scores(args.score)
        if not scores and rubric is not None:
            raise UserError(f"--score: rubric '{rubric.id}' scores {score_usage(rubric)}")
        try:
            review = review_debrief(
                services.store,
                services.library,
                mine,
                debrief,
                scores,
                note=args.note,
                at=services.clock(),
            )
        except UserError as error:
            message = str(error)
            told = message if message.startswith("--") else f"--score: {message}"
            raise UserError(told) from None
        print(review_saved_line(review, debrief, rep.name))
        return 0

    return _opened(args, run)
