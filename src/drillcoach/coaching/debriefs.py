"""Debriefs of important calls: what the rep writes after one, checked field by field,
and stored; the rep's debriefs read back; and the manager's review of one on the debrief
rubric. Their words are in debrief_text.py, the joint-call view in jointcall.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillcoach.coaching.view import CoachingView
from drillcoach.config import Config
from drillcoach.content import Library, Scores
from drillcoach.errors import UserError
from drillcoach.events import (
    CALL_OUTCOMES,
    CALL_TYPES,
    MAX_MOMENTS,
    MAX_NOTE,
    MAX_OBJECTIONS,
    MAX_SKILLS,
    CallMoment,
    CallOutcome,
    CallType,
    Debrief,
    DebriefReview,
    find_by_id_start,
    iso_date,
)
from drillcoach.scheduling.rules import check_scores
from drillcoach.store import Store
from drillcoach.team.workspace import Membership
from drillcoach.text import share_command

DEBRIEF_RUBRIC = "debrief"  # content/rubrics.toml: what a manager scores a debrief on
MAX_ACCOUNT = 120
SELF_RATING = (1, 5)
SHARE_TOLD = "debrief_share_told"  # settings key: the rep was told how to share debriefs

_MOMENT = re.compile(r"\A(\d{1,3}):(\d{2})(?::(\d{2}))?(?:\s*[-:]\s*|\s+|\Z)(.*)\Z", re.DOTALL)
_SKILL_RATING = re.compile(r"\A\s*([^=:\s]+)\s*[=:\s]\s*(\S+)\s*\Z")


class DebriefError(UserError):
    """A debrief field that is not right: which (as the CLI's option names it, without
    the dashes) and what was expected, in one line."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class DebriefForm:
    """What the rep typed, as text: the CLI's options or prompts, the TUI's form."""

    account: str = ""
    call_date: str = ""  # empty: today; also "today", "yesterday" or 2026-03-02
    call_type: str = ""
    outcome: str = ""
    went_well: str = ""
    to_improve: str = ""
    objections: tuple[str, ...] = ()  # in the buyer's own words, one each
    skills: tuple[str, ...] = ()  # "discovery=4" each
    next_step: str = ""
    recording: str = ""
    moments: tuple[str, ...] = ()  # "12:40 price pushback" each


# --- reading what the rep typed


def parse_account(text: str) -> str:
    account = " ".join(text.split())
    if not account:
        raise DebriefError("account", "missing; name the account the call was with")
    if len(account) > MAX_ACCOUNT:
        raise DebriefError("account", f"{len(account)} characters; expected at most {MAX_ACCOUNT}")
    return account


def parse_call_date(text: str, today: date) -> date:
    """The day of the call: empty or 'today', 'yesterday', or a date like 2026-03-02; not
    after ``today`` (the rep's local date)."""
    words = text.strip().lower()
    if words in ("", "today"):
        return today
    if words == "yesterday":
        return today - timedelta(days=1)
    day = iso_date(words)
    if day is None:
        raise DebriefError("date", f"expected a date like {today.isoformat()}, today or "
                                   f"yesterday, got {text.strip()!r}")  # fmt: skip
    if day > today:
        raise DebriefError("date", f"{day.isoformat()} is after today; debrief a call once "
                                   "it has happened")  # fmt: skip
    return day


def _choice(field: str, text: str, options: Sequence[str]) -> str:
    value = "-".join(text.strip().lower().split())
    if value not in options:
        given = f", got {text.strip()!r}" if text.strip() else ""
        raise DebriefError(field, f"expected one of {', '.join(options)}{given}")
    return value


def parse_call_type(text: str) -> CallType:
    found = _choice("type", text, CALL_TYPES)
    return next(kind for kind in CALL_TYPES if kind == found)


def parse_outcome(text: str) -> CallOutcome:
    found = _choice("outcome", text, CALL_OUTCOMES)
    return next(outcome for outcome in CALL_OUTCOMES if outcome == found)


def parse_skill_ratings(items: Iterable[str], library: Library) -> dict[str, int]:
    """``skill=N`` items (also comma-separated; "skill N" and "skill:N" read the same):
    a skill of the library and the rep's own rating of it on the call, 1 to 5."""
    low, high = SELF_RATING
    ratings: dict[str, int] = {}
    for item in (part.strip() for text in items for part in text.split(",")):
        if not item:
            continue
        found = _SKILL_RATING.match(item)
        if found is None or not found.group(2).isdigit():
            raise DebriefError("skill", f"expected SKILL=N with N from {low} to {high}, like "
                                        f"discovery=3, got {item!r}")  # fmt: skip
        skill, score = found.group(1).lower(), int(found.group(2))
        if skill not in library.skills:
            raise DebriefError("skill", f"no skill '{skill}' (known: {', '.join(library.skills)})")
        if not low <= score <= high:
            raise DebriefError("skill", f"'{skill}' is rated {score}; expected {low} to {high}")
        if skill in ratings:
            raise DebriefError("skill", f"'{skill}' is rated twice")
        ratings[skill] = score
    if len(ratings) > MAX_SKILLS:
        raise DebriefError("skill", f"{len(ratings)} skills; a debrief holds at most {MAX_SKILLS}")
    return ratings


def parse_moment(text: str) -> CallMoment:
    """'12:40 price pushback' (minutes:seconds, or hours:minutes:seconds) and why it is
    worth watching again."""
    found = _MOMENT.match(text.strip())
    expected = "expected a time in the recording and a note, like '12:40 price pushback'"
    if found is None:
        raise DebriefError("moment", f"{expected}, got {text.strip()!r}")
    first, second, third, note = found.groups()
    if (third is not None and (int(second) > 59 or int(third) > 59)) or (
        third is None and int(second) > 59
    ):
        raise DebriefError("moment", f"{expected}; {text.split()[0]!r} is not a time")
    at = f"{first}:{second}" if third is None else f"{int(first)}:{second}:{third}"
    note = " ".join(note.split())
    check_text("moment", note)
    return CallMoment(at=at, note=note)


def moment_seconds(moment: CallMoment) -> int:
    parts = [int(part) for part in moment.at.split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def parse_recording(text: str) -> str:
    link = text.strip()
    if not link:
        return ""
    if not link.startswith(("https://", "http://")) or any(c.isspace() for c in link):
        raise DebriefError("recording", f"expected a link like https://..., got {link[:60]!r}")
    check_text("recording", link)
    return link


def check_text(field: str, text: str) -> str:
    if len(text) > MAX_NOTE:
        raise DebriefError(field, f"{len(text):,} characters; expected at most {MAX_NOTE:,}")
    return text


def _lines(texts: Iterable[str]) -> list[str]:
    """Each non-empty entry, its spaces and line breaks tidied to single spaces."""
    return [tidy for text in texts if (tidy := " ".join(text.split()))]


def check_debrief(
    form: DebriefForm, library: Library, rep: str, at: datetime, today: date
) -> Debrief:
    """The debrief the form describes, or a DebriefError naming the first field that is
    not right. ``today`` is the rep's local date (a call cannot be after it)."""
    account = parse_account(form.account)
    call_date = parse_call_date(form.call_date, today)
    call_type = parse_call_type(form.call_type)
    outcome = parse_outcome(form.outcome)
    objections = _lines(form.objections)
    if len(objections) > MAX_OBJECTIONS:
        raise DebriefError("objection", f"{len(objections)} objections; a debrief holds at "
                                        f"most {MAX_OBJECTIONS}")  # fmt: skip
    for objection in objections:
        check_text("objection", objection)
    moments = [parse_moment(text) for text in _lines(form.moments)]
    if len(moments) > MAX_MOMENTS:
        raise DebriefError("moment", f"{len(moments)} moments; at most {MAX_MOMENTS}")
    return Debrief(
        by=rep,
        at=at,
        account=account,
        call_date=call_date,
        call_type=call_type,
        outcome=outcome,
        went_well=check_text("went-well", form.went_well.strip()),
        to_improve=check_text("improve", form.to_improve.strip()),
        objections=tuple(objections),
        skills=parse_skill_ratings(form.skills, library),
        next_step=check_text("next", form.next_step.strip()),
        recording=parse_recording(form.recording),
        moments=tuple(sorted(moments, key=moment_seconds)),
    )


def add_debrief(
    store: Store, library: Library, rep: str, form: DebriefForm, *, at: datetime, today: date
) -> Debrief:
    """Check the form and store the debrief (committed before this returns)."""
    debrief = check_debrief(form, library, rep, at, today)
    store.add(debrief)
    return debrief


# --- reading them back


def debriefs(store: Store, rep: str, seen: CoachingView | None = None) -> list[Debrief]:
    """The rep's debriefs this store holds, the latest call first; none when ``seen``
    (what the one looking sees of the rep) leaves them out: a manager's store keeps the
    debriefs a rep shared once, after the rep stops sharing them."""
    if seen is not None and not seen.debriefs:
        return []
    found = store.coaching(rep, Debrief)
    return sorted(found, key=lambda debrief: (debrief.call_date, debrief.at), reverse=True)


def find_debrief(store: Store, rep: str, text: str, seen: CoachingView | None = None) -> Debrief:
    """One of the rep's debriefs (of those ``seen`` lets the one looking see) by its id
    or its first characters (4 or more)."""
    return find_by_id_start(
        debriefs(store, rep, seen), text, option="debrief id", noun="debrief",
        whose=f" of {rep}", hint="see 'drillcoach debrief list'",
    )  # fmt: skip


def reviews_of(store: Store, debrief: Debrief) -> list[DebriefReview]:
    """The manager reviews answering this debrief, oldest first."""
    return [
        review
        for review in store.coaching(debrief.rep, DebriefReview)
        if review.debrief == debrief.id
    ]


# --- the manager's review


def review_debrief(
    store: Store,
    library: Library,
    mine: Membership,
    debrief: Debrief,
    scores: Scores,
    *,
    note: str = "",
    at: datetime,
) -> DebriefReview:
    """Record my scores of one of my reps' debriefs on the debrief rubric, with a note
    back (committed before this returns; it reaches the rep at the next sync)."""
    mine.require_manager("debrief review")
    mine.require_above(debrief.rep)
    rubric = library.rubrics.get(DEBRIEF_RUBRIC)
    if rubric is None:
        raise UserError(f"no rubric '{DEBRIEF_RUBRIC}' is loaded (content/rubrics.toml)")
    checked = check_scores(rubric, scores)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise UserError(f"--note: {len(note):,} characters; expected at most {MAX_NOTE:,}")
    review = DebriefReview(by=mine.me.id, rep=debrief.rep, at=at, debrief=debrief.id,
                           rubric=rubric.id, scores=checked, note=note)  # fmt: skip
    store.add(review)
    return review


SHARE_HINT = (
    "Your debriefs stay on this machine. To let your manager read and score them: "
    + share_command("share_debriefs")
)


def share_hint_once(store: Store, config: Config) -> str | None:
    """How to share debriefs, said once to a rep in a team workspace who does not."""
    if not config.workspace or config.share_debriefs or store.get_setting(SHARE_TOLD, False):
        return None
    if not store.readonly:
        store.set_setting(SHARE_TOLD, True)
    return SHARE_HINT
