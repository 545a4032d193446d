"""What a desired retention costs and buys: a rep's daily drilling time and the drills
they remember over the coming days, simulated for several retentions from their own
cards, the new drills waiting in their queue's packs and their scheduler's FSRS
parameters. Deterministic for a seed: the recall draws are the only randomness, and
every retention sees the same draws, so the curve compares like with like.

Our own simulator on the ``fsrs`` package's formulas (a required dependency), rather
than fsrs-rs-python's ``simulate`` (an optional extra): it works without the extra, it
starts from the rep's own cards with their stability, difficulty and due day (the extra
simulates a deck from scratch), and it charges each drill its own expected seconds."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING

from fsrs import Rating, Scheduler

from drillcoach.scheduling.cardstate import Phase
from drillcoach.scheduling.queue import REVEAL_AND_RATE_SECONDS
from drillcoach.scheduling.rules import AGAIN, EASY, GOOD, HARD, expected_seconds
from drillcoach.steps import Progress, unheard

if TYPE_CHECKING:
    from drillcoach.scheduling.scheduler import DrillScheduler

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.97)
DAYS = 90
SIMULATING = "simulating"  # the step ``simulate_all`` counts
# how a first rating and a recalled review's rating fall: fsrs-rs's simulator defaults
FIRST_RATINGS = ((AGAIN, 0.24), (HARD, 0.094), (GOOD, 0.495), (EASY, 0.171))
RECALLED_RATINGS = ((HARD, 0.224), (GOOD, 0.631), (EASY, 0.145))
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StartedDrill:
    """A drill the rep has a card for, as the simulation needs it: days are counted
    from today (0), so ``last_day`` is 0 or less."""

    seconds: int
    phase: Phase
    stability: float
    difficulty: float
    last_day: int
    due_day: int  # for a card in (re)learning; a review card's follows from retention


@dataclass(frozen=True)
class Workload:
    """What is simulated: the rep's started drills, the new drills waiting in order (their
    seconds), the daily limits and the FSRS parameters."""

    started: tuple[StartedDrill, ...]
    new: tuple[int, ...]
    new_per_day: int
    reviews_per_day: int
    parameters: tuple[float, ...]

    @property
    def idle(self) -> bool:
        """No drill started and no new one on its way: nothing to simulate."""
        return not self.started and not (self.new and self.new_per_day)


@dataclass(frozen=True)
class Outcome:
    """One retention simulated over ``days`` days."""

    retention: float
    days: int
    minutes: float  # every drill drilled, new ones and same-day steps included
    reviews: int  # ratings of drills due (not first sight, not same-day steps)
    introduced: int  # new drills drilled for the first time
    remembered: float  # sum of the recall probabilities of all started drills at the end
    capped_days: int  # days the review limit left due drills for later

    @property
    def minutes_per_day(self) -> float:
        return self.minutes / self.days

    @property
    def reviews_per_day(self) -> float:
        return self.reviews / self.days

    @property
    def minutes_per_remembered(self) -> float:
        return self.minutes / self.remembered if self.remembered else float("inf")

    def is_at(self, retention: float) -> bool:
        """Whether this is the outcome of ``retention`` (as config.toml holds it)."""
        return abs(self.retention - retention) < 1e-9


def workload_of(scheduler: DrillScheduler) -> Workload:
    """The rep's workload as their scheduler sees it: cards of drills in the queue's packs
    and not suspended, the new drills of those packs in the library's order, the config's
    limits, and the parameters of the scheduler's Memory (personal ones when kept)."""
    library, config, book = scheduler.library, scheduler.config, scheduler.cards
    now = scheduler.clock()
    today = scheduler.days.start_of(scheduler.days.day_of(now))
    packs = set(scheduler.queue_pack_ids())
    suspended = scheduler.suspended()

    def seconds(uid: str) -> int | None:
        drill = library.drill(uid)
        if drill is None or drill.pack_id not in packs or uid in suspended:
            return None
        return expected_seconds(drill, config.default_time_limit) + REVEAL_AND_RATE_SECONDS

    book.ready()
    started = []
    for row in book.table.all(scheduler.rep):
        cost = seconds(row.uid)
        if cost is None or row.stability is None or row.difficulty is None:
            continue
        last = row.last_review or now
        started.append(
            StartedDrill(
                seconds=cost,
                phase=Phase(row.phase),
                stability=row.stability,
                difficulty=row.difficulty,
                last_day=min(_day(last, today), 0),
                due_day=max(_day(row.due, today), 0),
            )
        )
    known = book.started()
    new = [
        cost
        for drill in library.new_order()
        if drill.uid not in known and (cost := seconds(drill.uid)) is not None
    ]
    return Workload(
        tuple(started),
        tuple(new),
        config.new_per_day,
        config.reviews_per_day,
        tuple(book.memory.fsrs.parameters),
    )


def _day(moment: datetime, today: datetime) -> int:
    """The day of ``moment`` counted from the start of today (negative before)."""
    return (moment - today) // _DAY


def simulate(workload: Workload, retention: float, *, days: int = DAYS, seed: int = 0) -> Outcome:
    """``workload`` drilled every day for ``days`` days at ``retention``."""
    fs = Scheduler(
        parameters=workload.parameters, desired_retention=retention, enable_fuzzing=False
    )
    draws = random.Random(seed)
    # per card: [seconds, stability, difficulty, last_day]; due cards wait in day buckets
    cards: list[list[float]] = []
    buckets: dict[int, list[int]] = {}
    learning: set[int] = set()
    for drill in workload.started:
        index = len(cards)
        cards.append([drill.seconds, drill.stability, drill.difficulty, drill.last_day])
        if drill.phase == Phase.REVIEW:
            due = max(drill.last_day + fs._next_interval(stability=drill.stability), 0)
        else:
            due = drill.due_day
            learning.add(index)
        buckets.setdefault(due, []).append(index)
    seconds = 0.0
    reviews = introduced = capped = 0
    waiting = iter(workload.new)
    for day in range(days):
        due_now = sorted(buckets.pop(day, []))
        first = [i for i in due_now if i in learning]
        rest = [i for i in due_now if i not in learning]
        if len(rest) > workload.reviews_per_day:
            capped += 1
            buckets.setdefault(day + 1, []).extend(rest[workload.reviews_per_day :])
            rest = rest[: workload.reviews_per_day]
        for index in first + rest:
            learning.discard(index)
            card = cards[index]
            seconds += card[0] * _review(fs, card, day, draws)
            reviews += 1
            buckets.setdefault(day + fs._next_interval(stability=card[1]), []).append(index)
        for cost in islice(waiting, workload.new_per_day):
            card = [cost, 0.0, 0.0, day]
            seconds += cost * _first_sight(fs, card, draws)
            introduced += 1
            buckets.setdefault(day + fs._next_interval(stability=card[1]), []).append(len(cards))
            cards.append(card)
    remembered = sum(_recall(fs, card[1], days - card[3]) for card in cards)
    return Outcome(retention, days, seconds / 60, reviews, introduced, remembered, capped)


def _recall(fs: Scheduler, stability: float, elapsed: float) -> float:
    return float((1 + fs._FACTOR * max(elapsed, 0) / stability) ** fs._DECAY)


def _pick(draws: random.Random, weights: Sequence[tuple[int, float]]) -> Rating:
    point = draws.random() * sum(weight for _, weight in weights)
    for rating, weight in weights:
        point -= weight
        if point < 0:
            return Rating(rating)
    return Rating(weights[-1][0])


def _review(fs: Scheduler, card: list[float], day: int, draws: random.Random) -> int:
    """Review ``card`` on ``day`` (in place); how many times it was drilled: a lapse is
    drilled again the same day (its one relearning step), rated Good."""
    stability, difficulty, elapsed = card[1], card[2], day - card[3]
    recall = _recall(fs, stability, elapsed)
    rating = _pick(draws, RECALLED_RATINGS) if draws.random() < recall else Rating.Again
    if elapsed < 1:  # a learning step on the day it was last drilled
        card[1] = fs._short_term_stability(stability=stability, rating=rating)
    else:
        card[1] = fs._next_stability(
            difficulty=difficulty,
            stability=stability,
            retrievability=recall,
            rating=rating,
        )
    card[2] = fs._next_difficulty(difficulty=difficulty, rating=rating)
    card[3] = day
    if rating != AGAIN:
        return 1
    _step(fs, card)
    return 2


def _first_sight(fs: Scheduler, card: list[float], draws: random.Random) -> int:
    """Drill a new card for the first time (in place); how many times it was drilled:
    Again or Hard keeps it in its learning step, drilled again the same day, rated Good."""
    rating = _pick(draws, FIRST_RATINGS)
    card[1] = fs._initial_stability(rating=rating)
    card[2] = fs._initial_difficulty(rating=rating, clamp=True)
    if rating in (Rating.Good, Rating.Easy):
        return 1
    _step(fs, card)
    return 2


def _step(fs: Scheduler, card: list[float]) -> None:
    card[1] = fs._short_term_stability(stability=card[1], rating=Rating.Good)
    card[2] = fs._next_difficulty(difficulty=card[2], rating=Rating.Good)


def simulate_all(
    workload: Workload,
    retentions: Sequence[float] = RETENTIONS,
    *,
    days: int = DAYS,
    seed: int = 0,
    progress: Progress = unheard,
) -> list[Outcome]:
    """``simulate`` for each retention, every one with the same seed; ``progress`` hears
    how many are done."""
    outcomes = []
    for retention in retentions:
        outcomes.append(simulate(workload, retention, days=days, seed=seed))
        progress(SIMULATING, len(outcomes), len(retentions))
    return outcomes


def suggested(outcomes: Sequence[Outcome]) -> Outcome | None:
    """The outcome with the least drilling time per drill remembered (the lower retention
    of a tie); None when nothing is remembered at any."""
    kept = [outcome for outcome in outcomes if outcome.remembered > 0]
    return min(kept, key=lambda o: (o.minutes_per_remembered, o.retention)) if kept else None
