"""Event values: every type round-trips through the v1 JSON envelope and through the
store; a malformed event is refused with a message that names the key."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from drillcoach.events import (
    DrillAction,
    Event,
    EventError,
    ManagerRating,
    Scheduling,
    SelfRating,
    Undo,
    from_dict,
    to_dict,
)
from drillcoach.store import Store

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

SELF = SelfRating(
    id="self-1",
    by="sam",
    at=AT,
    drill_uid="objections-core/price-too-high",
    skill="objection-handling",
    rating=2,
    suggested=3,
    duration_ms=41_500,
    time_limit=45,
    key_points_hit=(0, 2),
    key_points_total=4,
    mode="spoken",
    answer="I hear you on price...",
    replies=("Hi", "Sure"),
)
MANAGER = ManagerRating(
    id="mgr-1",
    by="alex",
    rep="sam",
    at=AT + timedelta(hours=1),
    rubric="laer",
    scores={"listen": 2, "acknowledge": 3},
    rating=2,
    skill="objection-handling",
    drill_uid="objections-core/price-too-high",
    context="joint-call",
    note="Talked over the buyer",
)
SKILL_RATING = ManagerRating(
    id="mgr-2",
    by="alex",
    rep="sam",
    at=AT,
    rubric="joint-call",
    scores={"agenda": 5},
    rating=4,
    skill="discovery",
)
BURY = DrillAction(
    id="bury-1",
    by="sam",
    at=AT,
    drill_uid="objections-core/price-too-high",
    action="bury",
    until=AT + timedelta(hours=18),
)
UNDO = Undo(id="undo-1", by="sam", at=AT + timedelta(minutes=1), of="self-1")
SCHEDULING = Scheduling(
    id="sched-1", by="sam", at=AT, parameters=(0.25, 1.5, 3.0), desired_retention=0.85
)
EVERY_TYPE: list[Event] = [SELF, MANAGER, SKILL_RATING, BURY, UNDO, SCHEDULING]


@pytest.mark.parametrize("event", EVERY_TYPE, ids=lambda e: f"{e.TYPE}-{e.id}")
def test_every_type_round_trips_through_json(event: Event) -> None:
    line = json.dumps(to_dict(event))
    assert from_dict(json.loads(line)) == event


def test_the_envelope() -> None:
    data = to_dict(SELF)
    assert {key: data[key] for key in ("v", "id", "type", "by", "at")} == {
        "v": 1,
        "id": "self-1",
        "type": "review",
        "by": "sam",
        "at": "2026-03-02T10:00:00.000000+00:00",
    }
    assert data["key_points_hit"] == [0, 2] and data["replies"] == ["Hi", "Sure"]
    assert to_dict(MANAGER)["type"] == "rating" and to_dict(MANAGER)["rep"] == "sam"
    assert [to_dict(e)["type"] for e in (BURY, UNDO)] == ["set-aside", "undo"]


def test_defaults_are_left_out_and_filled_back_in() -> None:
    plain = SelfRating(by="sam", at=AT, drill_uid="a/b", skill="closing", rating=3)
    data = to_dict(plain)
    assert set(data) == {"v", "id", "type", "by", "at", "drill_uid", "skill", "rating"}
    assert from_dict(data) == plain


def test_times_are_read_back_in_utc() -> None:
    data = {**to_dict(UNDO), "at": "2026-03-02T05:01:00-05:00"}
    assert from_dict(data) == UNDO


def _with(event: Event, **changes: Any) -> dict[str, Any]:
    data = to_dict(event)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_with(SELF, v=2), "key 'v': expected 1, got 2"),
        (_with(SELF, v=True), "key 'v': expected 1, got True"),
        (_with(SELF, type="reveiw"), "key 'type': expected one of review, rating, set-aside, undo"),
        (_with(SELF, colour="red"), "review event: unknown key 'colour'"),
        (_with(SELF, rating=...), "review event: missing key 'rating'"),
        (_with(SELF, drill_uid=...), "review event: missing key 'drill_uid'"),
        (_with(SELF, rating=5), "review event: key 'rating': expected one of 1, 2, 3, 4, got 5"),
        (_with(SELF, rating=True), "review event: key 'rating': expected one of 1, 2, 3, 4"),
        (_with(SELF, rating="3"), "review event: key 'rating': expected one of 1, 2, 3, 4"),
        (_with(SELF, mode="sung"), "review event: key 'mode': expected one of 'typed', 'spoken'"),
        (_with(SELF, duration_ms="41s"), "review event: key 'duration_ms': expected a whole"),
        (_with(SELF, duration_ms=1.5), "review event: key 'duration_ms': expected a whole"),
        (_with(SELF, key_points_hit=[0, "1"]), "key 'key_points_hit': expected a whole number"),
        (_with(SELF, key_points_hit=0), "key 'key_points_hit': expected a list"),
        (_with(SELF, replies=[1]), "review event: key 'replies': expected text, got 1"),
        (_with(SELF, at="yesterday"), "review event: key 'at': expected an ISO-8601 time"),
        (_with(SELF, at="2026-03-02T10:00:00"), "review event: key 'at': expected an ISO-8601"),
        (_with(SELF, at=1772445600), "review event: key 'at': expected an ISO-8601 time"),
        (_with(SELF, by=7), "review event: key 'by': expected text, got 7"),
        (_with(MANAGER, scores=[3]), "rating event: key 'scores': expected an object"),
        (_with(MANAGER, scores={"listen": "3"}), "rating event: key 'scores': expected a whole"),
        (_with(MANAGER, context="lunch"), "rating event: key 'context': expected one of"),
        (_with(MANAGER, rep=...), "rating event: missing key 'rep'"),
        (_with(BURY, action="hide"), "set-aside event: key 'action': expected one of"),
        (_with(UNDO, of=None), "undo event: key 'of': expected text, got None"),
        (_with(SCHEDULING, desired_retention="high"), "key 'desired_retention': expected a num"),
        (_with(SCHEDULING, desired_retention=True), "key 'desired_retention': expected a num"),
        (_with(SCHEDULING, parameters=[0.2, "1"]), "key 'parameters': expected a number"),
    ],
)
def test_malformed_events_are_refused_naming_the_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(EventError) as caught:
        from_dict(data)
    assert message in str(caught.value)


@pytest.mark.parametrize("data", [[], "review", None, 3])
def test_an_event_is_an_object(data: Any) -> None:
    with pytest.raises(EventError, match="expected an object"):
        from_dict(data)


def test_ratings_know_their_source() -> None:
    assert (SELF.source, MANAGER.source) == ("self", "manager")
    assert SELF.rep == "sam" and BURY.rep == "sam"


def test_the_store_persists_and_returns_every_type(open_store: Callable[..., Store]) -> None:
    store = open_store()
    assert store.add_many([SELF, MANAGER, SKILL_RATING, BURY]) == 4
    assert store.ratings("sam") == [SELF, SKILL_RATING, MANAGER]  # by time, then as recorded
    assert store.drill_actions("sam") == {BURY.drill_uid: BURY}
    assert store.add(UNDO) is True
    assert store.undos("sam") == [UNDO]
    assert store.ratings("sam") == [SKILL_RATING, MANAGER]
    assert store.ratings("sam", include_undone=True) == [SELF, SKILL_RATING, MANAGER]
    assert store.add(SCHEDULING) is True
    assert store.latest_coaching("sam", Scheduling) == SCHEDULING
    assert store.add_many(EVERY_TYPE) == 0  # applying them again changes nothing


def test_an_undo_of_an_unknown_rating_is_refused(open_store: Callable[..., Store]) -> None:
    store = open_store()
    with pytest.raises(ValueError, match="undo of an unknown self-rating 'nope'"):
        store.add(Undo(by="sam", at=AT, of="nope"))
    store.add(MANAGER)
    with pytest.raises(ValueError, match="unknown self-rating"):
        store.add(Undo(by="sam", at=AT, of=MANAGER.id))  # only a self-rating can be undone
