"""Feedback between a manager and a rep: a manager's rubric rating of a rep's drill or
skill, a rep's request that their manager review one answer (the inbox), and which of a
manager's ratings and notes a rep has yet to see on Today. The CLI and the TUI both call
these functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from drillcoach.content import Drill, Library, Rubric, Scores
from drillcoach.content.models import NOT_APPLICABLE
from drillcoach.errors import UserError
from drillcoach.events import (
    LIVE_CONTEXTS,
    MAX_NOTE,
    MAX_TEXT,
    Assignment,
    ManagerRating,
    RatingContext,
    ReviewRequest,
    SelfRating,
    find_by_id_start,
)
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.team.workspace import Membership

FEEDBACK_SHOWN = "feedback_shown"  # settings key: which manager ratings Today has shown
OWN_RATING_WITHIN = timedelta(hours=1)  # a request's self-rating: this soon after asking
NOTES_SHOWN = "notes_shown"  # settings key: assignment id -> the day its note first showed


@dataclass(frozen=True)
class Target:
    """What a manager rates: one drill (it schedules) or one skill, with its rubric."""

    rubric: Rubric
    drill: Drill | None = None
    skill: str | None = None
    skill_title: str | None = None

    @property
    def title(self) -> str:
        return self.drill.title if self.drill else str(self.skill_title or self.skill)


def target(library: Library, *, drill_uid: str | None, skill: str | None) -> Target:
    """The drill or the skill named, with the rubric it is rated on; a UserError naming
    the argument otherwise."""
    if (drill_uid is None) == (skill is None):
        raise UserError("rate: give either --drill UID or --skill SKILL")
    if drill_uid is not None:
        drill = library.drill(drill_uid)
        if drill is None:
            raise UserError(f"--drill: no drill '{drill_uid}' (see 'drillcoach packs show PACK')")
        rubric = library.rubric_for(drill)
        if rubric is None:
            raise UserError(f"--drill: '{drill_uid}' names no rubric, so it cannot be scored")
        return Target(rubric, drill=drill)
    assert skill is not None
    found = library.skills.get(skill)
    if found is None:
        raise UserError(f"--skill: no skill '{skill}' (known: {', '.join(library.skills)})")
    rubric_id = found.rubric
    rubric = library.rubrics.get(rubric_id) if rubric_id else None
    if rubric is None:
        raise UserError(f"--skill: '{skill}' names no rubric in content/skills.toml")
    return Target(rubric, skill=skill, skill_title=found.title)


WRITTEN_NA = ("na", NOT_APPLICABLE)  # how a manager writes n/a after CRITERION=


def parse_scores(items: Sequence[str]) -> dict[str, int | None]:
    """``CRITERION=N`` items (also comma-separated) as scores, ``CRITERION=na`` as None
    (n/a, which check_scores allows only where the criterion needs a live call); a
    UserError naming the item."""
    scores: dict[str, int | None] = {}
    for item in (part.strip() for text in items for part in text.split(",")):
        if not item:
            continue
        name, sign, value = item.partition("=")
        value = value.strip().lower()
        if not sign or not name.strip() or not (value.isdigit() or value in WRITTEN_NA):
            raise UserError(
                f"--score {item!r}: expected CRITERION=N with N from 1 to 5 "
                "(or CRITERION=na where it needs a live call)"
            )
        if name.strip() in scores:
            raise UserError(f"--score: '{name.strip()}' is scored twice")
        scores[name.strip()] = None if value in WRITTEN_NA else int(value)
    return scores


def score_usage(rubric: Rubric) -> str:
    """What ``--score`` takes for a rubric: 'listen=N,explore=N', and which may be na."""
    items = ",".join(f"{c.id}=N" for c in rubric.criteria)
    live = [c.id for c in rubric.criteria if c.live_only]
    if not live:
        return f"{items} (1 to 5)"
    return f"{items} (1 to 5; na for {', '.join(live)}: needs a live call)"


def rate(
    scheduler: DrillScheduler,
    mine: Membership,
    goal: Target,
    scores: Scores,
    *,
    context: RatingContext = "roleplay",
    note: str = "",
    request: ReviewRequest | None = None,
) -> ManagerRating:
    """Record my rubric rating of one of my reps, the scheduler's rep (committed before
    this returns); it reaches the rep at the next sync."""
    rep = scheduler.rep
    mine.require_manager("rate")
    mine.require_above(rep)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise UserError(f"--note: {len(note):,} characters; expected at most {MAX_NOTE:,}")
    if request is not None:
        if request.rep != rep:
            raise UserError(f"--request: that request is {request.rep}'s, not {rep}'s")
        if scheduler.store.answers([request.id]):
            raise UserError("--request: that request is answered already")
        context = "answer"
    elif context not in LIVE_CONTEXTS:
        raise UserError(f"--context: expected one of {', '.join(LIVE_CONTEXTS)}")
    return scheduler.record_manager(
        by=mine.me.id,
        rubric=goal.rubric,
        scores=scores,
        drill=goal.drill,
        skill=goal.skill,
        context=context,
        note=note,
        request=request.id if request else None,
    )


# --- the review inbox


def ask_review(
    store: Store,
    mine: Membership,
    drill: Drill,
    answer: str,
    *,
    at: datetime,
    rating: SelfRating | None = None,
    mode: str = "typed",
    key_points_hit: Sequence[int] = (),
) -> ReviewRequest:
    """Send one answer to my manager for review (it leaves at the next sync)."""
    if not mine.team.chain(mine.me.id):
        raise UserError(f"{mine.team.file}: '{mine.me.id}' has no manager to ask")
    text = answer.strip()
    if not text:
        raise UserError("the answer to review is empty; write what you said first")
    if len(text) > MAX_TEXT:
        raise UserError(f"the answer is {len(text):,} characters; at most {MAX_TEXT:,} are sent")
    request = ReviewRequest(
        by=mine.me.id,
        at=at,
        drill_uid=drill.uid,
        answer=text,
        mode="spoken" if mode == "spoken" else "typed",
        key_points_hit=tuple(key_points_hit),
        key_points_total=len(drill.key_points),
        rating=rating.rating if rating else None,
        of=rating.id if rating else None,
    )
    store.add(request)
    return request


def open_requests(store: Store, mine: Membership, everyone: bool = False) -> list[ReviewRequest]:
    """Requests waiting for me, oldest first: of those whose own manager I am, or
    (``everyone``) of everyone below me, whose requests their own managers see first.
    Any manager above a requester may answer it (``rate --request``)."""
    if not mine.is_manager:
        return []
    team = mine.team
    below = team.below(mine.me.id) if everyone else team.direct(mine.me.id)
    senders = [member.id for member in below]
    return store.requests(senders, open_only=True) if senders else []


def inbox(store: Store, mine: Membership, everyone: bool = False) -> list[ReviewRequest]:
    """What waits for me as the inbox shows it: each request with the rep's own rating."""
    return [with_own_rating(store, request) for request in open_requests(store, mine, everyone)]


def with_own_rating(store: Store, request: ReviewRequest) -> ReviewRequest:
    """The request with the rep's own rating of that answer: a rep asks after the reveal,
    usually before rating, so it is the rep's first self-rating of the drill after asking
    (within the hour), when the request does not carry one."""
    if request.rating is not None:
        return request
    found = store.ratings(request.by, [request.drill_uid], since=request.at,
                         before=request.at + OWN_RATING_WITHIN, source="self", limit=1)  # fmt: skip
    if not found:
        return request
    return replace(request, rating=found[0].rating, of=found[0].id)


def find_request(store: Store, text: str) -> ReviewRequest:
    """A request by its id or the first characters of it (as ``inbox`` prints them)."""
    exact = store.request(text.strip().lower())
    if exact is not None:
        return exact
    return find_by_id_start(
        store.requests(), text, option="--request", noun="request", hint="see 'drillcoach inbox'"
    )


# --- what Today has yet to show a rep


def fresh_feedback(store: Store, rep: str, day: date) -> list[ManagerRating]:
    """My manager's ratings of me not shown on a Today before ``day``, oldest first (those
    first shown today keep showing until the day ends)."""
    shown = store.get_setting(FEEDBACK_SHOWN, {})
    floor = int(shown.get("floor", 0)) if isinstance(shown, dict) else 0
    if isinstance(shown, dict) and shown.get("day") != day.isoformat():
        floor = int(shown.get("seen", floor))
    rows = store.query(
        "SELECT r.id FROM ratings r WHERE r.rep = (SELECT id FROM names WHERE name = ?) "
        "AND r.manager = 1 AND r.by != r.rep AND r.id > ? ORDER BY r.at, r.id",
        (rep, floor),
    )
    ids = [int(row[0]) for row in rows]
    if not store.readonly:
        seen = max([*ids, int(shown.get("seen", 0)) if isinstance(shown, dict) else 0])
        fresh = {"day": day.isoformat(), "floor": floor, "seen": seen}
        if fresh != shown:
            store.set_setting(FEEDBACK_SHOWN, fresh)
    return [r for r in store.manager_ratings_by_row(ids) if isinstance(r, ManagerRating)]


def notes_to_show(store: Store, assignments: Sequence[Assignment], day: date) -> set[str]:
    """The ids of assignments whose note shows today: first seen today, or now."""
    shown = store.get_setting(NOTES_SHOWN, {})
    shown = dict(shown) if isinstance(shown, dict) else {}
    with_note = {a.id for a in assignments if a.note}
    fresh = {key: value for key, value in shown.items() if key in with_note}
    for assignment_id in with_note:
        fresh.setdefault(assignment_id, day.isoformat())
    if fresh != shown and not store.readonly:
        store.set_setting(NOTES_SHOWN, fresh)
    return {key for key, value in fresh.items() if value == day.isoformat()}
