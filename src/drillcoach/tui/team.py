"""What the screens need of the team workspace: who I am in it, and a sync that runs in a
worker thread on a database connection of its own, so the rep keeps drilling meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from textual.worker import Worker

from drillcoach.errors import MachineError, UserError
from drillcoach.events import ReviewRequest
from drillcoach.progress.director import DirectorSummary
from drillcoach.progress.model import TeamRow, TeamSummary
from drillcoach.progress.team import (
    DrillStanding,
    RepStanding,
    SkillStanding,
    rep_drills,
    rep_skills,
    standing,
)
from drillcoach.services import Services
from drillcoach.store import Store
from drillcoach.team.feedback import inbox
from drillcoach.team.sync import SyncReport, sync
from drillcoach.team.workspace import Membership, membership


def my_membership(services: Services) -> Membership | None:
    """Me in the configured workspace; None outside one, or when team.toml cannot be read
    (Today says why)."""
    config = services.config
    if not config.workspace:
        return None
    try:
        return membership(config.workspace, config.member)
    except UserError:
        return None


def manager_name(mine: Membership | None) -> str | None:
    """My nearest manager's name, if I have one in the workspace."""
    manager = mine.team.manager_of(mine.me.id) if mine else None
    return manager.name if manager else None


@contextmanager
def apart(services: Services) -> Iterator[Services]:
    """The same services on a database connection of their own, for a worker thread: a
    SQLite connection belongs to the thread that opened it, and SQLite serialises the
    writes (each import is a short transaction), so the screens' connection stays free."""
    store = Store(services.paths.database, backups=services.paths.backups_dir)
    try:
        yield Services(
            services.paths,
            services.config,
            services.library,
            store,
            clock=services.clock,
            tz=services.tz,
        )
    finally:
        store.close()


def sync_apart(services: Services, progress: Callable[[str], None]) -> SyncReport:
    """One sync, in a worker thread; a UserError or MachineError says why it could not.
    ``progress`` hears each step in words, a counted one with how far it is."""

    def say(step: str, done: int | None = None, total: int | None = None) -> None:
        if done is None:
            progress(step)
        elif total is not None:
            progress(f"{step}: {done} of {total}")
        else:
            progress(f"{step}: {done}")

    with apart(services) as own:
        return sync(own, progress=say)


def team_apart(
    services: Services, mine: Membership, everyone: bool, director: bool = False
) -> tuple[TeamSummary, list[ReviewRequest], DirectorSummary | None]:
    """The Team screen's team summary (``drillcoach report --team``'s), inbox and (with
    ``director``) the rows of the managers below ``mine``, read in a worker thread: each
    rep's summary takes a moment, and a director has hundreds."""
    from drillcoach.progress.director import director_summary
    from drillcoach.progress.team_facts import TeamReader
    from drillcoach.progress.team_summary import team_summary

    with apart(services) as own:
        requests = inbox(own.store, mine)
        days, now = own.scheduler.days, own.clock()
        # each rep read once, for the team and the managers
        reader = TeamReader(own.store, own.library, own.config, days, now)
        if director:
            reader.facts_of(mine.my_reps(everyone=True))  # all at once: many in parallel
        summary = team_summary(own.store, own.library, own.config, mine, days, now,
                               everyone=everyone, reader=reader)  # fmt: skip
        managers = (
            director_summary(own.store, own.library, own.config, mine, days, now, reader)
            if director
            else None
        )
        return summary, requests, managers


def rep_of(mine: Membership, row: TeamRow) -> RepStanding:
    """The rep of a team row as the rep screen opens it (its worker reads the rest)."""
    return RepStanding(mine.team.member(row.rep), row.last_drilled, row.streak, (), row.inbox)


def rep_apart(
    services: Services, rep: RepStanding
) -> tuple[RepStanding, list[DrillStanding], list[SkillStanding]]:
    """One rep's standing, drills and skills, read in a worker thread: a rep's drills cost
    a few queries each, and the first look at a rep replays the cards an import marked."""
    with apart(services) as own:
        scheduler = own.scheduler_for(rep.member.id)
        drills = rep_drills(scheduler)
        fresh = standing(scheduler, rep.member, rep.waiting)
        return fresh, drills, rep_skills(scheduler, drills)


def failure_text(worker: Worker[object], what: str) -> str:
    """The line a screen shows when its worker reading the team failed for the user's or
    the machine's reason (a workspace file, the disk); anything else is a bug, raised."""
    error = worker.error
    if not isinstance(error, UserError | MachineError):
        raise error if error else RuntimeError(f"{what} failed")
    return str(error)
