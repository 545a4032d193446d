"""The rating rules of DESIGN.md §3: the four ratings, the suggestion from ticked key
points and time, a manager's rubric scores mapped to a rating, leeches, time limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from drillcoach.content import Drill, Rubric, Scores
from drillcoach.errors import UserError
from drillcoach.events import AnyRating, ManagerRating, Rating
from drillcoach.scheduling.days import Days

AGAIN: Rating = 1
HARD: Rating = 2
GOOD: Rating = 3
EASY: Rating = 4
RATING_NAMES: dict[Rating, str] = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
LEECH_LAPSES = 8
MASTERED_DAYS = 21  # FSRS stability from which a drill counts as mastered


def as_rating(value: int) -> Rating:
    """``value`` as one of the four ratings, or a UserError."""
    for rating in RATING_NAMES:
        if value == rating and not isinstance(value, bool):
            return rating
    raise UserError(f"rating must be 1 (Again) to 4 (Easy), got {value}")


WRITING_WORDS_PER_MINUTE = 25  # drafting, rereading and typing an email, for estimates


def time_limit(drill: Drill, default: int) -> int | None:
    """Seconds the rep has to answer: the drill's own limit, else the configured default.
    A written drill without a limit of its own has none: its word limit bounds it."""
    if drill.time_limit:
        return drill.time_limit
    return None if drill.is_written else default


def expected_seconds(drill: Drill, default: int) -> int:
    """About how long answering a drill takes, for the length of a session."""
    limit = time_limit(drill, default)
    if limit is None:
        return (drill.word_limit or 0) * 60 // WRITING_WORDS_PER_MINUTE
    return limit


def suggest_rating(
    hit: int,
    total: int,
    seconds: float | None = None,
    limit: int | None = None,
    *,
    words_over: bool = False,
) -> Rating:
    """The rating suggested from ticked key points and time (DESIGN.md §3); a written
    answer over its word limit, like one over the time limit, is one step lower (once,
    however many limits it ran over)."""
    share = hit / total if total else 0.0
    rating: Rating
    if share < 0.5:
        rating = AGAIN
    elif share < 0.75:
        rating = HARD
    elif share < 1:
        rating = GOOD
    else:
        rating = EASY
    if words_over or (limit and seconds is not None and seconds > limit):
        rating = as_rating(max(AGAIN, rating - 1))
    return rating


def scores_mean(scores: Mapping[str, int]) -> float:
    """The mean of rubric scores; a criterion scored n/a is not among them (check_scores
    leaves it out), so not in the mean. 0 for none."""
    return sum(scores.values()) / len(scores) if scores else 0.0


def rating_from_scores(scores: Mapping[str, int]) -> Rating:
    """A manager's rubric scores mapped to an FSRS rating by their mean."""
    if not scores:
        raise ValueError("a manager rating needs at least one score")
    average = scores_mean(scores)
    if average < 2:
        return AGAIN
    if average < 3:
        return HARD
    if average < 4.25:
        return GOOD
    return EASY


def check_scores(rubric: Rubric, scores: Scores) -> dict[str, int]:
    """The scores a rating stores, or a UserError: every criterion of the rubric scored
    in SCORE_RANGE, or n/a (None) where it needs a live call, at least one not n/a. A
    criterion scored n/a is left out of what is stored, so events from before n/a
    existed read the same and the mean is of the criteria actually scored."""
    problem = rubric.score_problem(scores)
    if problem:
        raise UserError(f"rubric '{rubric.id}': {problem}")
    return {key: value for key, value in scores.items() if value is not None}


def counting(events: Sequence[AnyRating], days: Days) -> list[AnyRating]:
    """The ratings that schedule: on a drilling day with a manager rating of the drill,
    the rep's self-ratings of that day are kept for calibration only."""
    manager_days = {days.day_of(e.at) for e in events if isinstance(e, ManagerRating)}
    return [
        event
        for event in events
        if isinstance(event, ManagerRating) or days.day_of(event.at) not in manager_days
    ]
