"""The manager's own coaching, counted: the ratings they gave, the answers in their inbox
they rated, and the 1:1 agendas they opened, over the last 30 days and per rep. The
consistency asked of a rep is asked of their coach too; Today shows it in one line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from drillcoach.events import AgendaOpened
from drillcoach.store import Store

WINDOW = timedelta(days=30)
MAX_WIDTH = 76  # columns of Today's line


@dataclass(frozen=True)
class RepCoaching:
    """What one manager did for one rep over the window."""

    rep: str
    ratings: int  # after a role-play, a joint call or a call review
    answers: int  # answers the rep sent for review, rated (the inbox)
    agendas: int  # 1:1 agendas opened

    @property
    def any(self) -> bool:
        return bool(self.ratings or self.answers or self.agendas)


def coaching_by_rep(
    store: Store, manager: str, reps: Sequence[str], now: datetime
) -> list[RepCoaching]:
    """Per rep, in the order given, what ``manager`` did in the last 30 days."""
    since = now - WINDOW
    found = []
    for rep in reps:
        mine = [r for r in store.manager_ratings(rep, since=since) if r.by == manager]
        answers = sum(1 for rating in mine if rating.request is not None)
        agendas = len(store.coaching(rep, AgendaOpened, since=since, by=manager))
        found.append(RepCoaching(rep, len(mine) - answers, answers, agendas))
    return found


def coaching_line(
    store: Store,
    manager: str,
    reps: list[str],
    now: datetime,
    names: Mapping[str, str] | None = None,
    noun: str = "rep",
) -> str | None:
    """'Your coaching, 30 days: 12 ratings · 3 answers · 2 agendas - none for Priya' (at
    most 76 columns; "answers": inbox answers rated; reps named by first name when
    ``names`` has them); None for a manager with no reps."""
    if not reps:
        return None
    return coaching_words(coaching_by_rep(store, manager, reps, now), names or {}, noun)


def coaching_words(
    per_rep: Sequence[RepCoaching], names: Mapping[str, str], noun: str = "rep"
) -> str:
    """``noun``: what the people coached are ("manager" for a director's)."""
    from drillcoach.text import first_name, plural

    ratings = sum(item.ratings for item in per_rep)
    answers = sum(item.answers for item in per_rep)
    agendas = sum(item.agendas for item in per_rep)
    head = "Your coaching, 30 days: "
    if not (ratings or answers or agendas):
        whom = plural(len(per_rep), noun)
        return f"{head}no ratings, answers or agendas for your {whom}"  # as the counts say them
    text = (
        f"{head}{plural(ratings, 'rating')} · {plural(answers, 'answer')} · "
        f"{plural(agendas, 'agenda')}"
    )
    left_out = [first_name(names.get(item.rep, item.rep)) for item in per_rep if not item.any]
    if not left_out:
        return text
    for shown in range(len(left_out), 0, -1):
        rest = len(left_out) - shown
        listed = ", ".join(left_out[:shown])
        tail = f" and {rest} more" if rest else ""
        if shown > 1 and not rest:
            listed = f"{', '.join(left_out[: shown - 1])} and {left_out[shown - 1]}"
        candidate = f"{text} - none for {listed}{tail}"
        if len(candidate) <= MAX_WIDTH:
            return candidate
    candidate = f"{text} - none for {plural(len(left_out), 'rep')}"
    return candidate if len(candidate) <= MAX_WIDTH else text
