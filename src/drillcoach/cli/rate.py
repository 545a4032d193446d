"""``drillcoach rate REP --drill UID | --skill SKILL --context C --score CRITERION=N ...``:
a manager's rubric rating of a rep after a live role-play, a joint call or a call review,
or an answer to a review request (``--request ID``)."""

from __future__ import annotations

import argparse
from typing import Any

from drillcoach.errors import UserError


def register(commands: Any) -> None:
    rate = commands.add_parser(
        "rate",
        help="rate one of your reps on a drill or a skill, scored on its rubric (managers)",
    )
    rate.add_argument("rep", metavar="REP", help="the rep's member id")
    what = rate.add_mutually_exclusive_group()
    what.add_argument("--drill", metavar="UID", help="the drill, like objections-core/price")
    what.add_argument("--skill", metavar="SKILL", help="the skill, like discovery")
    what.add_argument("--request", metavar="ID", help="answer a review request (see 'inbox')")
    rate.add_argument(
        "--context", choices=("roleplay", "joint-call", "call-review"),
        help="where you saw it (not with --request)",
    )  # fmt: skip
    rate.add_argument(
        "--score", action="append", default=[], metavar="CRITERION=N",
        help="1 to 5 for each criterion of the rubric (repeat, or comma-separate); "
        "na for one that needs a live call (pace, interruptions) when you did not hear it",
    )  # fmt: skip
    rate.add_argument("--note", default="", help="what the rep should hear from you")
    rate.set_defaults(handler=_rate)


def _rate(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.coaching.agreement import rating_fit
    from drillcoach.scheduling.rules import check_scores
    from drillcoach.team import feedback
    from drillcoach.team.sync import require_workspace
    from drillcoach.text import rating_saved_line

    services = open_services(args)
    try:
        mine = require_workspace(services)
        mine.require_manager("rate")
        rep = mine.require_above(args.rep)
        request = None
        if args.request:
            if args.context:
                raise UserError("--context: not with --request (an answer is rated as such)")
            request = feedback.find_request(services.store, args.request)
            goal = feedback.target(services.library, drill_uid=request.drill_uid, skill=None)
        else:
            if not args.context:
                raise UserError("rate: say where you saw it, with --context roleplay, "
                                "joint-call or call-review")  # fmt: skip
            goal = feedback.target(services.library, drill_uid=args.drill, skill=args.skill)
        scores = feedback.parse_scores(args.score)
        if not scores:
            usage = feedback.score_usage(goal.rubric)
            raise UserError(f"--score: rubric '{goal.rubric.id}' scores {usage}")
        try:
            check_scores(goal.rubric, scores)
        except UserError as error:
            raise UserError(f"--score: {error}") from None
        rating = feedback.rate(
            services.scheduler_for(rep.id), mine, goal, scores,
            context=args.context or "roleplay", note=args.note, request=request,
        )  # fmt: skip
        print(rating_saved_line(rep.name, goal.title, rating))
        print(
            rating_fit(services.store, rep.id, rep.name, rating.skill, services.library.skills)[0]
        )
        return 0
    finally:
        services.close()
