"""What Today shows, gathered once so the CLI and the TUI show the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.errors import UserError
from drillcoach.events import ManagerRating
from drillcoach.progress.habit import Consistency, consistency_of
from drillcoach.scheduling.queue import Queue
from drillcoach.scheduling.scheduler import DrillScheduler


@dataclass(frozen=True)
class Today:
    name: str
    now: datetime  # in the rep's time zone
    habit: Consistency
    queue: Queue
    due_tomorrow: int | None  # counted only once today's queue is empty
    new_per_day: int
    skipped: tuple[Path, ...]  # pack files with problems, not loaded
    team: TeamStatus | None = None  # None: not in a team workspace
    feedback: tuple[ManagerRating, ...] = ()  # my manager's ratings I have yet to see
    notes: frozenset[str] = frozenset()  # assignments whose note shows today
    coaching: tuple[str, ...] = ()  # vision, agreement review, commitments, my coaching


@dataclass(frozen=True)
class TeamStatus:
    """Where I stand in my team's workspace, as Today says it."""

    name: str  # the team's
    me: str
    role: str
    manager: str | None  # my manager's name
    names: dict[str, str]  # member id -> name, to say who rated or assigned
    share_answers: bool
    last_sync: datetime | None
    waiting: int  # review requests waiting for me (a manager)
    problem: str | None = None  # the workspace cannot be read: why
    coached: tuple[str, ...] = ()  # the members I manage directly (a manager)
    coached_are: str = "rep"  # what they are: "manager" for a director's, "member" if mixed


def habit_of(scheduler: DrillScheduler) -> Consistency:
    """The rep's habit as of now, asking the store one indexed question per day that
    matters (this week's, and the streak's back to its first gap), whatever the history."""
    days = scheduler.days
    today = days.day_of(scheduler.clock())

    def practised(day: date) -> bool:
        start = days.start_of(day)
        end = days.start_of(day + timedelta(days=1))
        return scheduler.store.self_rated_between(scheduler.rep, start, end)

    found = {day for offset in range(today.weekday() + 1)
             if practised(day := today - timedelta(days=offset))}  # fmt: skip
    day = today - timedelta(days=1)
    while day in found or (day < today - timedelta(days=today.weekday()) and practised(day)):
        found.add(day)
        day -= timedelta(days=1)
    return consistency_of(found, today)


def gather_today(scheduler: DrillScheduler, library: Library, config: Config) -> Today:
    now = scheduler.clock()
    queue = scheduler.queue()
    day = scheduler.days.day_of(now)
    team = team_status(scheduler, config)
    feedback: tuple[ManagerRating, ...] = ()
    notes: frozenset[str] = frozenset()
    noted = [a.assignment for a in queue.assigned if a.assignment.note]
    if team or noted:  # the team's code only for a rep in a team or with a manager's note
        from drillcoach.team.feedback import fresh_feedback, notes_to_show

        feedback = tuple(fresh_feedback(scheduler.store, scheduler.rep, day)) if team else ()
        notes = frozenset(notes_to_show(scheduler.store, noted, day))
    from drillcoach.coaching.today import coaching_lines

    coached = team.coached if team is not None else ()
    coaching = coaching_lines(
        scheduler.store, library, scheduler.rep, scheduler.days, now,
        new_per_day=config.new_per_day, reps=coached, names=team.names if team else None,
        noun=team.coached_are if team is not None else "rep",
    )  # fmt: skip
    return Today(
        name=config.name,
        now=scheduler.days.local(now),
        habit=habit_of(scheduler),
        queue=queue,
        due_tomorrow=scheduler.due_tomorrow() if queue.is_empty else None,
        new_per_day=config.new_per_day,
        skipped=tuple(sorted({problem.file for problem in library.problems})),
        team=team,
        feedback=feedback,
        notes=notes,
        coaching=coaching,
    )


def team_status(scheduler: DrillScheduler, config: Config) -> TeamStatus | None:
    """My place in the workspace, or None when I am in none; a workspace that cannot be
    read is said, not raised, so Today still shows."""
    if not config.workspace:
        return None
    from drillcoach.team.feedback import open_requests
    from drillcoach.team.sync import last_sync
    from drillcoach.team.workspace import membership

    store = scheduler.store
    synced = last_sync(store)
    last = synced[0] if synced else None
    try:
        mine = membership(config.workspace, config.member)
    except UserError as error:
        return TeamStatus("", config.member, "", None, {}, config.share_answers, last, 0,
                          str(error))  # fmt: skip
    team = mine.team
    manager = team.manager_of(mine.me.id)
    direct = team.direct(mine.me.id) if mine.is_manager else []
    roles = {member.role for member in direct}
    return TeamStatus(
        name=team.name,
        me=mine.me.id,
        role=mine.me.role,
        manager=manager.name if manager else None,
        names=team.names,
        share_answers=config.share_answers,
        last_sync=last,
        waiting=len(open_requests(store, mine)),
        coached=tuple(m.id for m in direct),
        coached_are=roles.pop() if len(roles) == 1 else "member",
    )
