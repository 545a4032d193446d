"""What Today says of coaching, in one line each: the rep's vision, the coaching agreement
when it is due for review, this week's commitments and, for a manager, their own coaching
of their reps. The CLI's ``today`` and the Today screen print the same lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from drillcoach.content import Library
from drillcoach.events import Agreement, Vision
from drillcoach.scheduling.days import Days
from drillcoach.store import Store


def coaching_lines(
    store: Store,
    library: Library,
    rep: str,
    days: Days,
    now: datetime,
    *,
    new_per_day: int,
    reps: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
    noun: str = "rep",
) -> tuple[str, ...]:
    """The lines, in the order they show. ``reps``: the members a manager coaches (none
    for a rep), for the manager's own line, with their ``names``; a manager's vision line
    shows only once they wrote one, a rep's always (it invites them to write it)."""
    from drillcoach.coaching.agreement import review_due
    from drillcoach.coaching.commitments import commitment_statuses, commitments_line
    from drillcoach.coaching.vision import vision_headline

    lines: list[str] = []
    vision = store.latest_coaching(rep, Vision)
    if vision is not None or not reps:
        lines.append(vision_headline(vision))
    if vision is not None:
        reminder = review_due(store.latest_coaching(rep, Agreement), days.day_of(now), days)
        if reminder:
            lines.append(reminder)
    committed = commitments_line(
        commitment_statuses(store, library, rep, days, now, new_per_day=new_per_day)
    )
    if committed:
        lines.append(committed)
    if reps:
        from drillcoach.coaching.coach import coaching_line

        mine = coaching_line(store, rep, list(reps), now, names=names, noun=noun)
        if mine:
            lines.append(mine)
    return tuple(lines)
