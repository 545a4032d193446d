"""Where a manager's reps stand, from the events their syncs brought in: each rep's last
drilling day, streak, assignments and answers waiting for review; one rep's drills and
skills with the state of each card and the last self-rating and manager rating."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from drillcoach.content import Drill, Skill
from drillcoach.events import ManagerRating, SelfRating
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.queue import AssignedPack, my_assignments
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.team.workspace import Member
from drillcoach.today import habit_of

SchedulerFor = Callable[[str], DrillScheduler]


@dataclass(frozen=True)
class RepStanding:
    """One rep, as the Team screen lists them."""

    member: Member
    last_drilled: date | None  # the rep's drilling day of their last self-rating
    streak: int  # drilling days in a row, up to today
    assigned: tuple[AssignedPack, ...]  # earliest due date first
    waiting: int  # answers they sent for review that no manager has rated yet


@dataclass(frozen=True)
class DrillStanding:
    """One drill of a rep: its card and the last word on it from each side."""

    drill: Drill
    state: CardState
    last_self: SelfRating | None
    last_manager: ManagerRating | None


@dataclass(frozen=True)
class SkillStanding:
    skill: Skill
    drilled: int  # drills of the skill the rep has started
    mastered: int
    last_manager: ManagerRating | None  # the newest rating of the skill itself (a joint call)
    rateable: bool  # the skill names a rubric a manager scores it on


def standing(scheduler: DrillScheduler, member: Member, waiting: int = 0) -> RepStanding:
    """One rep's standing; the assignments are counted as the rep's own Today counts them."""
    last = scheduler.store.last_self_rating(scheduler.rep)
    assigned = scheduler.queue().assigned if scheduler.my_assignments() else ()
    return RepStanding(
        member=member,
        last_drilled=scheduler.days.day_of(last.at) if last else None,
        streak=habit_of(scheduler).streak,
        assigned=tuple(assigned),
        waiting=waiting,
    )


def rep_drills(scheduler: DrillScheduler) -> list[DrillStanding]:
    """The drills the rep has drilled, soonest due first, then the drills of the packs
    assigned to them that they have not started, in the pack's order."""
    library = scheduler.library
    store = scheduler.store
    started = [uid for uid in scheduler.cards.started() if library.drill(uid) is not None]
    states = scheduler.cards.states_of(started)
    found = []
    for uid in sorted(started, key=lambda uid: (states[uid].due, uid)):
        drill = library.drill_of(uid)
        history = scheduler.cards.history_uids(uid)
        found.append(
            DrillStanding(
                drill,
                states[uid],
                store.last_self_rating(scheduler.rep, history),
                store.last_manager_rating(scheduler.rep, history),
            )
        )
    now = scheduler.clock()
    seen = set(started)
    for assignment in my_assignments(store.assignments(), scheduler.rep):
        pack = library.packs.get(assignment.pack)
        for drill in pack.drills if pack else ():
            if drill.uid not in seen:
                seen.add(drill.uid)
                manager = store.last_manager_rating(scheduler.rep, [drill.uid])
                found.append(DrillStanding(drill, CardState.new(drill.uid, now), None, manager))
    return found


def rep_skills(scheduler: DrillScheduler, drills: Sequence[DrillStanding]) -> list[SkillStanding]:
    """Every skill of the library, with what the rep's drills and their manager say of it."""
    library = scheduler.library
    rated: dict[str, ManagerRating] = {}
    for rating in scheduler.store.manager_ratings(scheduler.rep):  # oldest first
        if rating.drill_uid is None:
            rated[rating.skill] = rating
    drilled = Counter(d.drill.skill for d in drills if not d.state.is_new)
    mastered = Counter(d.drill.skill for d in drills if d.state.is_mastered)
    return [
        SkillStanding(
            skill,
            drilled[skill.id],
            mastered[skill.id],
            rated.get(skill.id),
            library.rubric_for_skill(skill.id) is not None,
        )
        for skill in library.skills.values()
    ]
