"""The 1:1 agenda, as plain data: what a manager brings to a coaching conversation with a
rep (or the rep, to prepare): their vision and desire, the coaching agreement, how their
commitments go, calibration, leeches, overdue packs, recent debriefs, practice, the
willingness signal, and three to five questions chosen by what the data shows
(coaching/signals.py). A manager sees only what the rep shares (coaching/view.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from drillcoach.coaching.agreement import area_for
from drillcoach.coaching.commitments import CommitmentStatus, commitment_statuses
from drillcoach.coaching.debriefs import debriefs as debriefs_of
from drillcoach.coaching.view import CoachingView
from drillcoach.coaching.willingness import Willingness, willingness
from drillcoach.content import Drill
from drillcoach.events import (
    AgendaOpened,
    Agreement,
    Debrief,
    DnaCheck,
    ManagerRating,
    SelfRating,
    Vision,
)
from drillcoach.progress.calibration import SkillCalibration, calibration
from drillcoach.progress.habit import practice_days
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.queue import AssignedPack
from drillcoach.scheduling.rules import scores_mean
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.text import clip, first_name

ONBOARDING_PACK = "onboarding"  # what `team add --new-hire` assigns
RECENT = timedelta(days=30)  # debriefs, ratings outside the agreement, answers over time
HISTORY = timedelta(days=90)  # calibration, manager scores, objections met again
PRACTICE_DAYS = 14  # practice: drilling days out of the last two weeks
DEBRIEFS_SHOWN = 3


@dataclass(frozen=True)
class Leech:
    drill: Drill
    lapses: int


@dataclass(frozen=True)
class SkillTrend:
    """A skill's ratings (self and manager, 1 Again to 4 Easy): the last 30 days against
    the 60 before."""

    skill: str
    before: float
    recent: float
    before_count: int
    recent_count: int


@dataclass(frozen=True)
class SkillScores:
    """A manager's rubric scores of a skill over 90 days (1 to 5)."""

    skill: str
    mean: float
    count: int


@dataclass(frozen=True)
class Objection:
    """An objection the rep met on more than one call: the latest words, how many calls."""

    words: str
    calls: int


@dataclass(frozen=True)
class NewHire:
    """A rep with the onboarding pack assigned who began drilling lately (or not yet)."""

    pack: AssignedPack
    first_drilled: date | None


@dataclass(frozen=True)
class Raised:
    """A signal the data shows: how strong (0 to 1), the values its questions' placeholders
    take, and the evidence in words."""

    signal: str
    strength: float
    values: Mapping[str, str]
    because: str


@dataclass(frozen=True)
class AgendaQuestion:
    """A question for the 1:1, the signal that chose it, and the evidence."""

    signal: str
    title: str  # the signal's title (content/coaching.toml)
    text: str
    because: str


@dataclass(frozen=True)
class Agenda:
    rep: str
    name: str
    seen: CoachingView
    today: date  # the drilling day of now, in the time zone of the one looking
    days: Days  # drilling days of the one looking, for the dates the agenda shows
    vision: Vision | None
    dna_weak: tuple[tuple[str, float], ...]  # weak sales DNA areas: (title, strength 1-5)
    agreement: Agreement | None
    commitments: tuple[CommitmentStatus, ...]
    calibration: tuple[SkillCalibration, ...]
    leeches: tuple[Leech, ...]
    overdue: tuple[AssignedPack, ...]
    debriefs: tuple[Debrief, ...]  # the recent ones, the latest call first
    feedback: tuple[ManagerRating, ...]  # managers' ratings of the last 30 days, oldest first
    willingness: Willingness
    practised: int  # drilling days out of the last PRACTICE_DAYS
    first_drilled: date | None  # the day of the rep's first self-rating (None: not yet)
    over_time: tuple[int, int]  # (answers over the time limit, timed answers), 30 days
    trends: tuple[SkillTrend, ...]
    scores: tuple[SkillScores, ...]
    objections: tuple[Objection, ...]
    new_hire: NewHire | None
    names: Mapping[str, str]  # member id -> name, for who rated
    raised: tuple[Raised, ...] = ()
    questions: tuple[AgendaQuestion, ...] = ()

    @property
    def first_name(self) -> str:
        return first_name(self.name) or self.rep

    @property
    def outside(self) -> tuple[ManagerRating, ...]:
        """The recent feedback on skills outside the agreement: the manager asks first."""
        if self.agreement is None:
            return ()
        return tuple(r for r in self.feedback if area_for(self.agreement, r.skill) is None)


def build_agenda(
    scheduler: DrillScheduler,
    name: str,
    seen: CoachingView,
    names: Mapping[str, str] | None = None,
) -> Agenda:
    """The agenda for the scheduler's rep as of its clock, from what ``seen`` lets the one
    looking see of the rep in the scheduler's store."""
    from drillcoach.coaching.signals import choose_questions, raise_signals

    store, library, days = scheduler.store, scheduler.library, scheduler.days
    rep = scheduler.rep
    now = scheduler.clock()
    today = days.day_of(now)
    vision = store.latest_coaching(rep, Vision) if seen.vision else None
    agreement = store.latest_coaching(rep, Agreement) if seen.agreement else None
    commitments = (
        commitment_statuses(store, library, rep, days, now, hidden=seen.unseen_commitments)
        if seen.commitments
        else []
    )
    own = store.self_ratings(rep, since=now - HISTORY)
    managers = store.manager_ratings(rep, since=now - HISTORY)
    debriefs = debriefs_of(store, rep, seen)
    queue = scheduler.queue()
    first = store.ratings(rep, source="self", limit=1)
    first_drilled = days.day_of(first[0].at) if first else None
    agenda = Agenda(
        rep=rep,
        name=name,
        seen=seen,
        today=today,
        days=days,
        vision=vision,
        dna_weak=_dna_weak(store, rep) if seen.vision else (),
        agreement=agreement,
        commitments=tuple(commitments),
        calibration=tuple(calibration(own, managers)),
        leeches=tuple(
            Leech(drill, lapses)
            for uid, lapses in scheduler.cards.leeches()
            if (drill := library.drill(uid)) is not None
        ),
        overdue=tuple(a for a in queue.assigned if a.overdue),
        debriefs=tuple(d for d in debriefs if d.call_date >= today - RECENT)[:DEBRIEFS_SHOWN],
        feedback=tuple(rating for rating in managers if rating.at >= now - RECENT),
        willingness=willingness(store, library, rep, days, now, seen),
        practised=_practised(scheduler, today),
        first_drilled=first_drilled,
        over_time=_over_time(own, now - RECENT),
        trends=tuple(_trends([*own, *managers], now)),
        scores=tuple(_scores(managers)),
        objections=tuple(_objections([d for d in debriefs if d.call_date >= today - HISTORY])),
        new_hire=_new_hire(queue.assigned, first_drilled, today),
        names=dict(names or {}),
    )
    raised = raise_signals(agenda, library)
    week = week_number(today)
    questions = choose_questions(raised, library.signals, week, common_values(agenda))
    return replace(agenda, raised=tuple(raised), questions=tuple(questions))


def open_agenda(store: Store, manager: str, rep: str, at: datetime) -> AgendaOpened:
    """A manager opening a rep's agenda, counted (their own coaching line), stored before
    returning; it stays on the manager's machine."""
    opened = AgendaOpened(by=manager, rep=rep, at=at)
    store.add(opened)
    return opened


def week_number(day: date) -> int:
    """Weeks since a Monday long ago: the same all week, one more each Monday. The
    questions turn with it, so a weekly 1:1 does not hear last week's again."""
    return (day.toordinal() - 1) // 7


def common_values(agenda: Agenda) -> dict[str, str]:
    """What every question may name: the rep's first name, and a line of their vision
    when the one looking sees it."""
    values = {"name": agenda.first_name}
    if agenda.vision is not None:
        values["vision"] = vision_phrase(agenda.vision)
    return values


def vision_phrase(vision: Vision, width: int = 70) -> str:
    """The nearest horizon of the vision, in the rep's words, to quote in a question."""
    from drillcoach.coaching.vision import nearest_horizon

    _, text = nearest_horizon(vision)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return clip(first, width).rstrip(".!")


# --- what the agenda reads


def _dna_weak(store: Store, rep: str) -> tuple[tuple[str, float], ...]:
    from drillcoach.coaching.dna import current_dna, score

    check = store.latest_coaching(rep, DnaCheck)
    dna = current_dna()
    if check is None or dna is None:
        return ()
    return tuple((item.construct.title, item.strength or 0.0) for item in score(check, dna).weak())


def _practised(scheduler: DrillScheduler, today: date) -> int:
    first = today - timedelta(days=PRACTICE_DAYS - 1)
    times = scheduler.store.self_rating_times(scheduler.rep, since=scheduler.days.start_of(first))
    return len(practice_days(times, scheduler.days))


def _over_time(own: Sequence[SelfRating], since: datetime) -> tuple[int, int]:
    """(answers over their time limit, answers with a time) since ``since``."""
    timed = [r for r in own if r.at >= since and r.duration_ms and r.time_limit]
    over = sum(1 for r in timed if (r.duration_ms or 0) > (r.time_limit or 0) * 1000)
    return over, len(timed)


TREND_AT_LEAST = 3  # ratings on each side


def _trends(ratings: Sequence[SelfRating | ManagerRating], now: datetime) -> list[SkillTrend]:
    """Per skill with enough ratings on both sides, the last 30 days against before;
    the steepest rise first."""
    recent: dict[str, list[int]] = {}
    before: dict[str, list[int]] = {}
    for rating in ratings:
        side = recent if rating.at >= now - RECENT else before
        side.setdefault(rating.skill, []).append(rating.rating)
    found = [
        SkillTrend(skill, sum(before[skill]) / len(before[skill]),
                   sum(values) / len(values), len(before[skill]), len(values))
        for skill, values in recent.items()
        if len(values) >= TREND_AT_LEAST and len(before.get(skill, ())) >= TREND_AT_LEAST
    ]  # fmt: skip
    return sorted(found, key=lambda t: (t.before - t.recent, t.skill))


def _scores(managers: Sequence[ManagerRating]) -> list[SkillScores]:
    by_skill: dict[str, list[float]] = {}
    for rating in managers:
        by_skill.setdefault(rating.skill, []).append(scores_mean(rating.scores))
    found = [SkillScores(s, sum(v) / len(v), len(v)) for s, v in by_skill.items()]
    return sorted(found, key=lambda item: (item.mean, item.skill))


def _objections(debriefs: Sequence[Debrief]) -> list[Objection]:
    """Objections heard on more than one call (by their words' likeness), most calls
    first; each in the latest words heard (``debriefs`` come latest call first)."""
    groups: list[tuple[str, set[str]]] = []  # (latest words, the debriefs that heard it)
    for debrief in debriefs:
        for words in debrief.objections:
            group = next((g for g in groups if similar_objections(g[0], words)), None)
            if group is None:
                groups.append((words, {debrief.id}))
            else:
                group[1].add(debrief.id)
    found = [Objection(words, len(calls)) for words, calls in groups if len(calls) > 1]
    return sorted(found, key=lambda item: -item.calls)


SAME_OBJECTION_AT = 0.6  # closeness of two objections' words: one heard again


def similar_objections(one: str, other: str) -> bool:
    """Whether two objections say the same thing in other words (coaching/closest.py's
    closeness of their content words; "too expensive" and "your price is too high" do)."""
    from drillcoach.coaching.closest import content_words, similarity

    a, b = content_words(one), content_words(other)
    if not a or not b:
        return one.strip().lower() == other.strip().lower()
    return similarity(a, b) >= SAME_OBJECTION_AT


def _new_hire(
    assigned: Sequence[AssignedPack], first_drilled: date | None, today: date
) -> NewHire | None:
    """The onboarding pack assigned, and a first drill within 60 days or none yet."""
    onboarding = next((a for a in assigned if a.assignment.pack == ONBOARDING_PACK), None)
    if onboarding is None:
        return None
    if first_drilled is not None and first_drilled < today - NEW_HIRE_DAYS:
        return None
    return NewHire(onboarding, first_drilled)


NEW_HIRE_DAYS = timedelta(days=60)
