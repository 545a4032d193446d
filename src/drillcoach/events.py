"""Event values: what a rep or a manager did, as immutable values, and their v1 JSON
envelope (DESIGN.md §5); and the assignment, the one value a manager publishes rather
than does. The store persists these values; sync writes them to the workspace."""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal, Protocol, TypeAlias, TypeVar

from drillcoach.errors import UserError
from drillcoach.vocabulary import (
    ANSWER_MODES as ANSWER_MODES,
)
from drillcoach.vocabulary import (
    CALL_OUTCOMES as CALL_OUTCOMES,
)
from drillcoach.vocabulary import (
    CALL_TYPES as CALL_TYPES,
)
from drillcoach.vocabulary import (
    COMMITMENT_KINDS as COMMITMENT_KINDS,
)
from drillcoach.vocabulary import (
    DEFAULT_RETENTION as DEFAULT_RETENTION,
)
from drillcoach.vocabulary import (
    FEEDBACK_WAYS as FEEDBACK_WAYS,
)
from drillcoach.vocabulary import (
    LIVE_CONTEXTS as LIVE_CONTEXTS,
)
from drillcoach.vocabulary import (
    RATING_CONTEXTS as RATING_CONTEXTS,
)
from drillcoach.vocabulary import (
    AnswerMode as AnswerMode,
)
from drillcoach.vocabulary import (
    CallOutcome as CallOutcome,
)
from drillcoach.vocabulary import (
    CallType as CallType,
)
from drillcoach.vocabulary import (
    CommitmentAction as CommitmentAction,
)
from drillcoach.vocabulary import (
    CommitmentKind as CommitmentKind,
)
from drillcoach.vocabulary import (
    FeedbackWay as FeedbackWay,
)
from drillcoach.vocabulary import (  # the events' words, light enough for the CLI's parser
    Rating as Rating,
)
from drillcoach.vocabulary import (
    RatingContext as RatingContext,
)
from drillcoach.vocabulary import (
    SetAsideAction as SetAsideAction,
)

ENVELOPE_VERSION = 1


class EventError(ValueError):
    """An event that does not have the v1 shape; the message names the key."""


def new_event_id() -> str:
    """A random (version 4) UUID, as text."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


SHORT_ID = 8  # characters of an event id that lists show
LEAST_ID_START = 4  # characters of an id that find it, when no other id starts with them


def short_id(event_id: str) -> str:
    return event_id[:SHORT_ID]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Found = TypeVar("Found", bound=_Identified)


def find_by_id_start(
    found: Iterable[Found], text: str, *, option: str, noun: str, hint: str, whose: str = ""
) -> Found:
    """The one of ``found`` whose id starts with ``text`` (4 characters or more, as a
    list shows them); else a UserError naming ``option`` and where to look (``hint``)."""
    wanted = text.strip().lower()
    if len(wanted) < LEAST_ID_START:
        raise UserError(f"{option}: give at least its first {LEAST_ID_START} characters ({hint})")
    matches = [item for item in found if item.id.startswith(wanted)]
    if len(matches) != 1:
        what = f"no {noun}" if not matches else f"{len(matches)} {noun}s"
        raise UserError(f"{option}: {what}{whose} with an id starting '{wanted}' ({hint})")
    return matches[0]


def iso_date(text: str) -> date | None:
    """A date written as 2026-03-31 and only so (Python would also take 20260331), or
    None: the one form a record keeps and a form asks for."""
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("expected a timezone-aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"expected a time with its UTC offset, got {text!r}")
    return moment.astimezone(UTC)


def _key_points(hits: tuple[int, ...]) -> tuple[int, ...]:
    """A set of key points, kept in order: 2, 0, 2 is "the first and the third"."""
    if any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < 64 for i in hits):
        raise EventError(f"key 'key_points_hit': expected indexes from 0 to 63, got {hits!r}")
    return tuple(sorted(set(hits)))


MAX_TEXT = 20_000  # characters of a typed answer or a role-play reply, sent or read
MAX_NOTE = 2_000  # characters of a manager's note, and of one answer in a coaching record


class _MadeByTheRep:
    """An event a rep makes about their own drill: ``by`` is the rep."""

    by: str

    @property
    def rep(self) -> str:
        return self.by


class _WithTicks(_MadeByTheRep):
    """An answer's ticked key points, kept sorted and once each."""

    key_points_hit: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_points_hit", _key_points(self.key_points_hit))


@dataclass(frozen=True, kw_only=True)
class SelfRating(_WithTicks):
    """A rep's rating of their own answer to a drill, with how they answered."""

    TYPE: ClassVar[str] = "review"
    source: ClassVar[Literal["self"]] = "self"

    by: str  # the rep
    at: datetime
    drill_uid: str
    skill: str
    rating: Rating
    suggested: Rating | None = None
    duration_ms: int | None = None
    time_limit: int | None = None
    key_points_hit: tuple[int, ...] = ()
    key_points_total: int | None = None
    mode: AnswerMode = "typed"
    answer: str | None = None
    replies: tuple[str, ...] = ()
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class ManagerRating:
    """A manager's rubric scores for a rep: of one drill (it schedules that drill) or of
    one skill, after a live role-play or a joint call."""

    TYPE: ClassVar[str] = "rating"
    source: ClassVar[Literal["manager"]] = "manager"

    by: str  # the manager
    rep: str
    at: datetime
    rubric: str
    # criterion id -> 1 to 5; a criterion scored n/a (it needs a live call) is left out,
    # so events from before n/a read the same and the mean is of what was scored
    scores: Mapping[str, int]
    rating: Rating  # the scores' mean mapped to an FSRS rating (scheduling/rules.py)
    skill: str
    drill_uid: str | None = None  # None: a rating of the skill
    context: RatingContext = "roleplay"
    note: str = ""
    request: str | None = None  # the id of the review request this rating answers
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class ReviewRequest(_WithTicks):
    """A rep asking their manager to review one answer: what they typed, or in spoken
    mode a few lines of what they said, with the key points they ticked."""

    TYPE: ClassVar[str] = "review-request"

    by: str  # the rep
    at: datetime
    drill_uid: str
    answer: str
    mode: AnswerMode = "typed"
    key_points_hit: tuple[int, ...] = ()
    key_points_total: int | None = None
    rating: Rating | None = None  # the rep's own rating of the answer
    of: str | None = None  # the id of that self-rating
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class Sharing:
    """A member saying what of theirs the team sees beyond the default (ratings, timings,
    ticked key points): ``answers`` shares every typed answer too; the others their
    coaching records of that kind (vision with the sales DNA checks)."""

    TYPE: ClassVar[str] = "sharing"

    by: str
    at: datetime
    answers: bool
    vision: bool = False
    agreement: bool = False
    commitments: bool = False
    debriefs: bool = False
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class DrillAction(_MadeByTheRep):
    """A rep suspending a drill, burying it until ``until``, or taking either back."""

    TYPE: ClassVar[str] = "set-aside"

    by: str  # the rep
    at: datetime
    drill_uid: str
    action: SetAsideAction
    until: datetime | None = None
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class Undo:
    """A rep taking back one of their own self-ratings (the rating stays in history)."""

    TYPE: ClassVar[str] = "undo"

    by: str  # the rep
    at: datetime
    of: str  # the id of the self-rating taken back
    id: str = field(default_factory=lambda: new_event_id())


# --- coaching (DESIGN.md §7 coaching/): the rep's own records, shared only when they choose


@dataclass(frozen=True, kw_only=True)
class Vision(_MadeByTheRep):
    """One version of where the rep wants to be in 2, 3 and 5 years (any of them), why it
    matters to them, and how much they want it. Editing adds a version; earlier ones stay."""

    TYPE: ClassVar[str] = "vision"

    by: str  # the rep
    at: datetime
    in_2_years: str = ""
    in_3_years: str = ""
    in_5_years: str = ""
    why: str = ""  # personal motivations, in the rep's words
    desire: int  # desire to develop, 1 to 10
    willingness: int  # willingness to do what it takes, 1 to 10
    # the questions that keep the two numbers honest
    done_lately: str = ""  # what they did in the last month towards it
    give_up: str = ""  # what they would give up for it
    in_the_way: str = ""  # what is most likely to stop them
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True)
class CoachingArea:
    """A skill where the rep asks for detailed feedback, how, and the line of their vision
    it serves."""

    skill: str
    ways: tuple[FeedbackWay, ...]
    vision: str = ""


@dataclass(frozen=True, kw_only=True)
class Agreement(_MadeByTheRep):
    """One version of the coaching agreement: where the rep wants to be coached in detail.
    Feedback outside these areas is flagged so the manager asks first."""

    TYPE: ClassVar[str] = "agreement"

    by: str  # the rep
    at: datetime
    areas: tuple[CoachingArea, ...]
    note: str = ""  # anything else about how they like feedback
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class Commitment(_MadeByTheRep):
    """Something concrete and dated the rep commits to, tied to one of their motivations.
    ``number`` is the N of drill-days (a week), debrief-calls (a week) and manager-ratings
    (a month); ``pack`` the pack of finish-pack; ``due`` its date (finish-pack, own) or the
    last day it runs (None: until dropped)."""

    TYPE: ClassVar[str] = "commitment"

    by: str  # the rep
    at: datetime
    kind: CommitmentKind
    text: str  # in the rep's words
    motivation: str = ""
    number: int | None = None
    pack: str | None = None
    due: date | None = None
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class CommitmentUpdate(_MadeByTheRep):
    """The rep ticking off an own commitment ("done") or letting one go ("dropped")."""

    TYPE: ClassVar[str] = "commitment-update"

    by: str  # the rep
    at: datetime
    of: str  # the commitment's id
    action: CommitmentAction
    note: str = ""
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True)
class CallMoment:
    """A moment of a call recording worth re-watching: where ("12:40") and why."""

    at: str
    note: str = ""


# the most a debrief holds, as the rep writes it and as a workspace accepts it
MAX_OBJECTIONS = 20
MAX_MOMENTS = 50
MAX_SKILLS = 20


@dataclass(frozen=True, kw_only=True)
class Debrief(_MadeByTheRep):
    """The rep's debrief of an important call: facts, the buyer's own words, a 1-5
    self-rating per skill involved, and the film's moments worth watching again."""

    TYPE: ClassVar[str] = "debrief"

    by: str  # the rep
    at: datetime
    account: str
    call_date: date
    call_type: CallType
    outcome: CallOutcome
    went_well: str = ""
    to_improve: str = ""
    objections: tuple[str, ...] = ()  # in the buyer's own words
    skills: Mapping[str, int] = field(default_factory=dict)  # skill id -> 1 to 5
    next_step: str = ""
    recording: str = ""  # a link to the call recording
    moments: tuple[CallMoment, ...] = ()
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class DebriefReview:
    """A manager's scores of a rep's shared debrief on a rubric, with a note back."""

    TYPE: ClassVar[str] = "debrief-review"

    by: str  # the manager
    rep: str
    at: datetime
    debrief: str  # the debrief's id
    rubric: str = "debrief"
    scores: Mapping[str, int]  # criterion id -> 1 to 5 (n/a left out)
    note: str = ""
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class DnaCheck(_MadeByTheRep):
    """One take of the sales DNA self-assessment: statement id -> agreement, 1 to 5."""

    TYPE: ClassVar[str] = "dna"

    by: str  # the rep
    at: datetime
    answers: Mapping[str, int]
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True, kw_only=True)
class Scheduling(_MadeByTheRep):
    """What a rep's drills are scheduled with, said when it changes: the FSRS parameters
    fitted to their ratings (None: the defaults) and their desired retention. Their
    manager's copy of their cards follows it, so both see the same due dates; a rep who
    never said otherwise schedules with the defaults."""

    TYPE: ClassVar[str] = "scheduling"

    by: str  # the rep
    at: datetime
    parameters: tuple[float, ...] | None = None
    desired_retention: float = DEFAULT_RETENTION
    id: str = field(default_factory=lambda: new_event_id())

    @property
    def choice(self) -> tuple[tuple[float, ...] | None, float]:
        return self.parameters, self.desired_retention


@dataclass(frozen=True, kw_only=True)
class AgendaOpened:
    """A manager opening a rep's 1:1 agenda: the coach's own consistency, counted."""

    TYPE: ClassVar[str] = "agenda-opened"

    by: str  # the manager
    rep: str
    at: datetime
    id: str = field(default_factory=lambda: new_event_id())


@dataclass(frozen=True)
class Assignment:
    """A manager asking reps to drill a pack by a date (``members`` may be ``("*",)``)."""

    id: str
    by: str
    pack: str
    members: tuple[str, ...]
    due: date
    note: str = ""

    def concerns(self, member: str) -> bool:
        return "*" in self.members or member in self.members


AnyRating: TypeAlias = SelfRating | ManagerRating
CoachingEvent: TypeAlias = (
    Vision
    | Agreement
    | Commitment
    | CommitmentUpdate
    | Debrief
    | DebriefReview
    | DnaCheck
    | AgendaOpened
    | Scheduling  # not coaching, but kept as its records are: few, whole, about one rep
)
COACHING_TYPES: tuple[type[CoachingEvent], ...] = typing.get_args(CoachingEvent)
Event: TypeAlias = (
    SelfRating | ManagerRating | DrillAction | Undo | ReviewRequest | Sharing | CoachingEvent
)
EVENT_TYPES: dict[str, type[Event]] = {
    kind.TYPE: kind
    for kind in (SelfRating, ManagerRating, DrillAction, Undo, ReviewRequest, Sharing,
                 *COACHING_TYPES)
}  # fmt: skip
_ENVELOPE = ("v", "id", "type", "by", "at")


# --- the v1 JSON envelope


def to_dict(event: Event) -> dict[str, Any]:
    """``{"v": 1, "id", "type", "by", "at", ...}``; fields at their default are left out."""
    out: dict[str, Any] = {
        "v": ENVELOPE_VERSION,
        "id": event.id,
        "type": event.TYPE,
        "by": event.by,
        "at": utc_text(event.at),
    }
    for item in fields(event):
        if item.name in _ENVELOPE:
            continue
        value = getattr(event, item.name)
        if _at_default(item, value):
            continue
        out[item.name] = _encode(value)
    return out


def _at_default(item: Field[Any], value: Any) -> bool:
    if item.default is not MISSING:
        return bool(value == item.default)
    return item.default_factory is dict and not value


def from_dict(data: Mapping[str, Any]) -> Event:
    """The event ``data`` describes; EventError naming the key when anything is off."""
    if not isinstance(data, Mapping):
        raise EventError(f"expected an object, got {type(data).__name__}")
    if data.get("v") != ENVELOPE_VERSION or isinstance(data.get("v"), bool):
        raise EventError(f"key 'v': expected {ENVELOPE_VERSION}, got {data.get('v')!r}")
    kind = EVENT_TYPES.get(data.get("type"))  # type: ignore[arg-type]
    if kind is None:
        known = ", ".join(EVENT_TYPES)
        raise EventError(f"key 'type': expected one of {known}, got {data.get('type')!r}")
    hints = _hints(kind)
    allowed = {"v", "type", *hints}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise EventError(f"{kind.TYPE} event: unknown key '{unknown[0]}'")
    values: dict[str, Any] = {}
    for item in fields(kind):
        if item.name not in data:
            if item.default is MISSING and item.default_factory is MISSING:
                raise EventError(f"{kind.TYPE} event: missing key '{item.name}'")
            continue
        values[item.name] = _decode(
            data[item.name], hints[item.name], f"{kind.TYPE} event", item.name
        )
    return kind(**values)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return dict(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: _encode(getattr(value, item.name))
            for item in fields(value)
            if not _at_default(item, getattr(value, item.name))
        }
    return value


def _hints(kind: type[Any]) -> dict[str, Any]:
    found = _HINTS.get(kind)
    if found is None:
        hints = typing.get_type_hints(kind)
        found = _HINTS[kind] = {item.name: hints[item.name] for item in fields(kind)}
    return found


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _decode_part(value: Any, kind: type[Any], what: str, key: str) -> Any:
    """A value object inside an event (a coaching area, a call moment) from its object."""
    if not isinstance(value, dict):
        raise EventError(f"{what}: key '{key}': expected an object, got {value!r}")
    hints = _hints(kind)
    unknown = sorted(set(value) - set(hints))
    if unknown:
        raise EventError(f"{what}: key '{key}': unknown key '{unknown[0]}'")
    values: dict[str, Any] = {}
    for item in fields(kind):
        if item.name in value:
            values[item.name] = _decode(value[item.name], hints[item.name], what, key)
        elif item.default is MISSING and item.default_factory is MISSING:
            raise EventError(f"{what}: key '{key}': missing key '{item.name}'")
    return kind(**values)


def _decode(value: Any, hint: Any, what: str, key: str) -> Any:
    """``value`` checked against the field's annotation (and converted where JSON differs)."""
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in arguments:
            return None
        (inner,) = [argument for argument in arguments if argument is not type(None)]
        return _decode(value, inner, what, key)
    if origin is Literal:
        if value not in arguments or isinstance(value, bool):
            expected = ", ".join(repr(argument) for argument in arguments)
            raise EventError(f"{what}: key '{key}': expected one of {expected}, got {value!r}")
        return value
    if hint is datetime:
        if isinstance(value, str):
            try:
                return parse_utc(value)
            except ValueError:
                pass
        raise EventError(f"{what}: key '{key}': expected an ISO-8601 time, got {value!r}")
    if hint is date:
        day = iso_date(value) if isinstance(value, str) else None
        if day is not None:
            return day
        raise EventError(f"{what}: key '{key}': expected a date like 2026-03-31, got {value!r}")
    if isinstance(hint, type) and is_dataclass(hint):
        return _decode_part(value, hint, what, key)
    if origin is tuple:
        if not isinstance(value, list):
            raise EventError(f"{what}: key '{key}': expected a list, got {value!r}")
        return tuple(_decode(item, arguments[0], what, key) for item in value)
    if origin is Mapping:
        if not isinstance(value, dict):
            raise EventError(f"{what}: key '{key}': expected an object, got {value!r}")
        return {
            _decode(name, arguments[0], what, key): _decode(score, arguments[1], what, key)
            for name, score in value.items()
        }
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise EventError(f"{what}: key '{key}': expected a whole number, got {value!r}")
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EventError(f"{what}: key '{key}': expected a number, got {value!r}")
        return float(value)
    if hint is bool and not isinstance(value, bool):
        raise EventError(f"{what}: key '{key}': expected true or false, got {value!r}")
    if hint is str and not isinstance(value, str):
        raise EventError(f"{what}: key '{key}': expected text, got {value!r}")
    return value
