"""The rating rules of DESIGN.md §3: the four ratings, the suggestion from ticked key
points and time, a manager's rubric scores mapped to a rating, leeches, time limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from drillcoach.content import SCORE_RANGE, Drill, Rubric
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


def time_limit(drill: Drill, default: int) -> int:
    """Seconds the rep has to answer: the drill's own limit, else the configured default."""
    return drill.time_limit or default


def suggest_rating(
    hit: int, total: int, seconds: float | None = None, limit: int | None = None
) -> Rating:
    """The rating suggested from ticked key points and time (DESIGN.md §3)."""
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
    if limit and seconds is not None and seconds > limit:
        rating = as_rating(max(AGAIN, rating - 1))
    return rating


def rating_from_scores(scores: Mapping[str, int]) -> Rating:
    """A manager's rubric scores mapped to an FSRS rating by their mean."""
    if not scores:
        raise ValueError("a manager rating needs at least one score")
    average = sum(scores.values()) / len(scores)
    if average < 2:
        return AGAIN
    if average < 3:
        return HARD
    if average < 4.25:
        return GOOD
    return EASY


def check_scores(rubric: Rubric, scores: Mapping[str, int]) -> dict[str, int]:
    """Scores for exactly the rubric's criteria, each in SCORE_RANGE, or a UserError."""
    low, high = SCORE_RANGE
    known = {criterion.id for criterion in rubric.criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise UserError(
            f"rubric '{rubric.id}' has no criterion '{unknown[0]}' "
            f"(criteria: {', '.join(sorted(known))})"
        )
    missing = sorted(known - set(scores))
    if missing:
        raise UserError(
            f"rubric '{rubric.id}': missing a score for '{missing[0]}' ({low} to {high})"
        )
    for key, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise UserError(
                f"rubric '{rubric.id}': score for '{key}' must be {low} to {high}, got {value}"
            )
    return dict(scores)


def counting(events: Sequence[AnyRating], days: Days) -> list[AnyRating]:
    """The ratings that schedule: on a drilling day with a manager rating of the drill,
    the rep's self-ratings of that day are kept for calibration only."""
    manager_days = {days.day_of(e.at) for e in events if isinstance(e, ManagerRating)}
    return [
        event
        for event in events
        if isinstance(event, ManagerRating) or days.day_of(event.at) not in manager_days
    ]
