"""The words of debriefs, the same in the CLI and the TUI: a debrief's title, the line
said when one is saved, a row of the list, a manager's review, and one debrief whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from drillcoach.coaching.debriefs import reviews_of
from drillcoach.coaching.jointcall import SkillGap, joint_call_lines, joint_call_view
from drillcoach.content import Library
from drillcoach.dates import written
from drillcoach.events import CallOutcome, CallType, Debrief, DebriefReview, short_id
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.rules import scores_mean
from drillcoach.store import Store
from drillcoach.text import skill_title

CALL_TYPE_WORDS: dict[CallType, str] = {
    "cold-call": "cold call", "discovery": "discovery call", "demo": "demo",
    "proposal": "proposal call", "negotiation": "negotiation", "closing": "closing call",
    "renewal": "renewal call", "other": "call",
}  # fmt: skip
OUTCOME_WORDS: dict[CallOutcome, str] = {
    "won": "won", "advanced": "moved forward", "no-change": "no change",
    "stalled": "stalled", "lost": "lost",
}  # fmt: skip


def _local_day(moment: datetime, days: Days | None) -> date:
    return (days.local(moment) if days else moment).date()


def day_words(day: date) -> str:
    """'Mon 2 Mar 2026'."""
    return written(day, "%a %~d %b %Y")


def debrief_title(debrief: Debrief) -> str:
    """'Harbor Foods, discovery call on Sun 1 Mar 2026: moved forward'."""
    return (f"{debrief.account}, {CALL_TYPE_WORDS[debrief.call_type]} on "
            f"{day_words(debrief.call_date)}: {OUTCOME_WORDS[debrief.outcome]}")  # fmt: skip


def saved_line(debrief: Debrief) -> str:
    count = len(debrief.objections)
    heard = f"{count} objection{'s' if count != 1 else ''} heard" if count else "no objections"
    return f"Debrief saved: {debrief_title(debrief)} ({heard}; id {short_id(debrief.id)})."


DEBRIEF_HEADER = ("ID", "DATE", "ACCOUNT", "TYPE", "OUTCOME", "OBJECTIONS", "")


def debrief_row(debrief: Debrief, reviewed: bool) -> tuple[str, ...]:
    """A line of the list: id, call date, account, type, outcome, objections, reviewed."""
    return (
        short_id(debrief.id),
        debrief.call_date.isoformat(),
        debrief.account,
        debrief.call_type,
        debrief.outcome,
        str(len(debrief.objections)),
        "reviewed" if reviewed else "",
    )


def review_saved_line(review: DebriefReview, debrief: Debrief, rep_name: str) -> str:
    mean = scores_mean(review.scores)
    return (f"Review saved: {rep_name}'s debrief of {debrief.account} scored {mean:.1f} of 5; "
            "it reaches them at the next sync.")  # fmt: skip


def review_lines(
    review: DebriefReview,
    library: Library,
    names: Mapping[str, str] | None = None,
    days: Days | None = None,
) -> list[str]:
    """A manager's review: who, the mean, each criterion's score, and the note."""
    who = (names or {}).get(review.by, review.by)
    rubric = library.rubrics.get(review.rubric)
    titles = {c.id: c.title for c in rubric.criteria} if rubric else {}
    scored = " · ".join(f"{titles.get(key, key)} {value}" for key, value in review.scores.items())
    lines = [f"{who} scored this debrief {scores_mean(review.scores):.1f} of 5 "
             f"({day_words(_local_day(review.at, days))})", f"  {scored}"]  # fmt: skip
    if review.note:
        lines.append(f"  {who}: {review.note}")
    return lines


def debrief_lines(
    debrief: Debrief,
    library: Library,
    *,
    reviews: Sequence[DebriefReview] = (),
    gaps: Sequence[SkillGap] = (),
    names: Mapping[str, str] | None = None,
    rep: str = "you",
    days: Days | None = None,
) -> list[str]:
    """One debrief, whole, as plain lines: what the CLI prints and the TUI shows (dates
    in the time zone of ``days``)."""
    lines = [debrief_title(debrief), f"id {short_id(debrief.id)}, written "
             f"{day_words(_local_day(debrief.at, days))}"]  # fmt: skip

    def block(title: str, body: Sequence[str]) -> None:
        if body:
            lines.extend(["", title])
            lines.extend(f"  {line}" for text in body for line in text.splitlines())

    block("What went well", [debrief.went_well] if debrief.went_well else [])
    block("What to do differently", [debrief.to_improve] if debrief.to_improve else [])
    block("What the buyer said, in their words",
          [f'{n}. "{text}"' for n, text in enumerate(debrief.objections, 1)])  # fmt: skip
    titles = library.skills
    block(
        "Skills on the call, self-rated 1 to 5",
        [f"{skill_title(titles, skill)} {score}" for skill, score in debrief.skills.items()],
    )
    block("Next step", [debrief.next_step] if debrief.next_step else [])
    film = [f"{moment.at:>8}  {moment.note}" for moment in debrief.moments]
    if debrief.recording or film:
        block(f"Watch the film: {debrief.recording or 'no recording linked'}", film or
              ["(no moments noted)"])  # fmt: skip
    joint = joint_call_lines(gaps, library, names, rep)
    if joint:
        lines.extend(["", *joint])
    for review in reviews:
        lines.extend(["", *review_lines(review, library, names, days)])
    return lines


def debrief_page(
    store: Store,
    library: Library,
    debrief: Debrief,
    *,
    me: str,
    names: Mapping[str, str],
    days: Days,
) -> list[str]:
    """One debrief as ``me`` reads it, in the CLI's ``debrief show`` and the TUI's list:
    whole, with the manager reviews answering it and the joint call of that day."""
    return debrief_lines(
        debrief,
        library,
        reviews=reviews_of(store, debrief),
        gaps=joint_call_view(store, debrief, days),
        names=names,
        rep="you" if debrief.rep == me else names.get(debrief.rep, debrief.rep),
        days=days,
    )
