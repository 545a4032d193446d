"""Commitments: concrete, dated things a rep commits to, tied to a motivation of theirs:
making one (each field checked), ticking it off or dropping it, finding it by the start of
its id, and the words the CLI and the TUI both say of them. How each is going is judged
in coaching/commitment_status.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from drillcoach.coaching.commitment_status import (
    DEFAULT_NEW_PER_DAY,
    CommitmentStatus,
    Outcome,
    Period,
    State,
    against_commitment,
    first_ratings,
    judge_commitments,
    kept_ratio,
    updates,
)
from drillcoach.content import Library
from drillcoach.dates import written
from drillcoach.errors import UserError
from drillcoach.events import (
    COMMITMENT_KINDS,
    MAX_NOTE,
    Commitment,
    CommitmentAction,
    CommitmentKind,
    CommitmentUpdate,
    Vision,
    iso_date,
    short_id,
)
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.text import cell, plural

__all__ = [
    "CommitmentStatus",
    "Outcome",
    "Period",
    "State",
    "add_commitment",
    "against_commitment",
    "commitment_statuses",
    "commitments_line",
    "find_commitment",
    "kept_ratio",
    "make_commitment",
    "update_commitment",
]

LINE_WIDTH = 76

# how many of a kind one week (or month) can ask
NUMBER_RANGE: dict[CommitmentKind, tuple[int, int]] = {
    "drill-days": (1, 7),
    "debrief-calls": (1, 20),
    "manager-ratings": (1, 20),
}
NUMBER_MEANS: dict[CommitmentKind, str] = {
    "drill-days": "days a week you will drill",
    "debrief-calls": "calls a week you will debrief",
    "manager-ratings": "role-plays a month your manager rates",
}
KIND_LABELS: dict[CommitmentKind, str] = {
    "drill-days": "Drill N days a week",
    "finish-pack": "Finish a pack by a date",
    "debrief-calls": "Debrief N important calls a week",
    "manager-ratings": "N role-plays a month rated by my manager",
    "own": "Something of my own (I tick it off)",
}
STATE_WORDS: dict[State, str] = {
    "kept": "kept",
    "on-track": "on track",
    "at-risk": "at risk",
    "missed": "missed",
    "starting": "new",
    "done": "done",
    "dropped": "dropped",
    "unknown": "unknown",
}


class CommitmentError(UserError):
    """A commitment that cannot be made as asked; ``field`` names what to change."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: {expected}")
        self.field = field
        self.expected = expected


# --- words both the CLI and the TUI say


def commitment_title(commitment: Commitment, library: Library | None = None) -> str:
    """What it is, short: 'drill 4 days a week', 'finish Core objections by 20 Mar', or
    the rep's own words."""
    number = commitment.number or 0
    if commitment.kind == "drill-days":
        return f"drill {number} days a week" if number != 1 else "drill 1 day a week"
    if commitment.kind == "debrief-calls":
        return f"debrief {plural(number, 'important call')} a week"
    if commitment.kind == "manager-ratings":
        return f"{plural(number, 'role-play')} rated by my manager a month"
    if commitment.kind == "finish-pack":
        pack = library.packs.get(commitment.pack or "") if library else None
        title = pack.title if pack else commitment.pack
        if commitment.due is None:
            return f"finish {title}"
        shown = "%d %b %Y" if commitment.due.year != commitment.at.year else "%d %b"
        return f"finish {title} by {written(commitment.due, shown)}"
    return commitment.text


def progress_line(status: CommitmentStatus) -> str:
    """'3 of 4 days this week, 2 days left · last week kept'."""
    if status.last_week:
        return f"{status.progress} · last week {status.last_week}"
    return status.progress


def share_hint(shared: bool) -> str:
    """Who sees the rep's commitments; the CLI and the TUI each add how to change it."""
    if shared:
        return "Your manager sees your commitments and how they are going, at each sync."
    return "Only you see your commitments."


def default_motivation(store: Store, rep: str) -> str:
    """The first line of why the rep's vision matters to them, to offer as a motivation."""
    vision = store.latest_coaching(rep, Vision)
    if vision is None:
        return ""
    lines = [line.strip() for line in vision.why.splitlines() if line.strip()]
    return lines[0][:MAX_NOTE] if lines else ""


def commitments_line(statuses: Sequence[CommitmentStatus]) -> str | None:
    """Today's line: 'Commitments: 2 kept · 1 at risk: drill 4 days a week (2 of 4)'; None
    when there are none."""
    if not statuses:
        return None
    order: tuple[State, ...] = (
        "kept", "done", "on-track", "starting", "at-risk", "missed", "unknown"
    )  # fmt: skip
    counts = {state: sum(s.state == state for s in statuses) for state in order}
    parts = [f"{counts[state]} {STATE_WORDS[state]}" for state in order if counts[state]]
    line = "Commitments: " + " · ".join(parts)
    focus = next((s for s in statuses if s.state == "at-risk"), None) or next(
        (s for s in statuses if s.state == "missed" and s.ended is None), None
    )
    if focus is None:
        return line
    what = commitment_title(focus.commitment)
    detail = f" ({focus.count[0]} of {focus.count[1]})" if focus.count else f" ({focus.progress})"
    head = f"{line}: "
    return head + cell(what, LINE_WIDTH - len(head) - len(detail)) + detail


# --- making and ending commitments


def parse_due(text: str) -> date:
    due = iso_date(text.strip())
    if due is None:
        raise CommitmentError("due", f"expected a date like 2026-03-31, got {text!r}")
    return due


def make_commitment(
    store: Store,
    library: Library,
    rep: str,
    days: Days,
    now: datetime,
    *,
    kind: str,
    motivation: str,
    text: str = "",
    number: int | None = None,
    pack: str | None = None,
    due: date | None = None,
) -> Commitment:
    """A commitment checked field by field (not stored: ``add_commitment`` stores it).
    Automatic kinds take their words from what they are when ``text`` is empty."""
    if kind not in COMMITMENT_KINDS:
        raise CommitmentError(
            "kind", f"expected one of {', '.join(COMMITMENT_KINDS)}, got {kind!r}"
        )
    checked: CommitmentKind = next(k for k in COMMITMENT_KINDS if k == kind)
    text = " ".join(text.split())
    motivation = " ".join(motivation.split())
    today = days.day_of(now)
    if checked in NUMBER_RANGE:
        low, high = NUMBER_RANGE[checked]
        if number is None or not low <= number <= high:
            what = NUMBER_MEANS[checked]
            got = "" if number is None else f", got {number}"
            raise CommitmentError("number", f"{kind} needs how many {what}, {low} to {high}{got}")
    elif number is not None:
        raise CommitmentError("number", f"only for {', '.join(NUMBER_RANGE)}, not {kind}")
    if checked == "finish-pack":
        if not pack:
            raise CommitmentError("pack", "finish-pack needs the pack's id (see 'packs list')")
        if pack not in library.packs:
            known = ", ".join(library.packs) or "none"
            raise CommitmentError("pack", f"no pack {pack!r} is loaded (loaded packs: {known})")
        if due is None:
            raise CommitmentError("due", "finish-pack needs the date to finish it by")
        left = _drills_left(store, library, rep, pack)
        if not left:
            raise CommitmentError("pack", f"every drill of {pack!r} is started already")
    elif pack:
        raise CommitmentError("pack", f"only for finish-pack, not {kind}")
    if due is not None and due < today:
        raise CommitmentError("due", f"{due:%Y-%m-%d} has passed; expected today or later")
    if checked == "own" and not text:
        raise CommitmentError("text", "say what you commit to, in your words")
    if len(text) > MAX_NOTE:
        raise CommitmentError("text", f"at most {MAX_NOTE} characters, got {len(text)}")
    if not motivation:
        raise CommitmentError("motivation", "say why it matters to you (a line of your vision)")
    if len(motivation) > MAX_NOTE:
        raise CommitmentError("motivation", f"at most {MAX_NOTE} characters, got {len(motivation)}")
    made = Commitment(
        by=rep, at=now, kind=checked, text=text, motivation=motivation,
        number=number, pack=pack or None, due=due,
    )  # fmt: skip
    if text:
        return made
    title = commitment_title(made, library)  # an automatic kind, said for the rep
    return replace(made, text=title[0].upper() + title[1:])


def add_commitment(store: Store, commitment: Commitment) -> Commitment:
    """Store a commitment made by ``make_commitment``, committed before returning."""
    store.add(commitment)
    return commitment


def find_commitment(store: Store, rep: str, prefix: str) -> Commitment:
    """The rep's commitment whose id starts with ``prefix`` (what the list shows)."""
    wanted = prefix.strip().lower()
    if not wanted:
        raise UserError("ID: expected the id the commitments list shows")
    found = [c for c in store.coaching(rep, Commitment, by=rep) if c.id.startswith(wanted)]
    if not found:
        raise UserError(f"ID {prefix!r}: no commitment of yours has it ('drillcoach "
                        "commitments --all' lists them)")  # fmt: skip
    if len(found) > 1:
        raise UserError(f"ID {prefix!r}: {len(found)} commitments start with it; give more of it")
    return found[0]


def update_commitment(
    store: Store, commitment: Commitment, action: CommitmentAction, now: datetime, note: str = ""
) -> CommitmentUpdate:
    """Tick an own commitment off ("done") or let any go ("dropped"), stored before
    returning."""
    earlier = updates(store, commitment.by).get(commitment.id)
    if earlier is not None:
        raise UserError(f"{short_id(commitment.id)}: already {earlier.action} on "
                        f"{earlier.at:%Y-%m-%d}")  # fmt: skip
    if action == "done" and commitment.kind != "own":
        raise UserError(
            f"{short_id(commitment.id)}: drillcoach sees for itself whether "
            f"'{commitment_title(commitment)}' is kept; drop it if it no longer fits"
        )
    update = CommitmentUpdate(by=commitment.by, at=now, of=commitment.id, action=action,
                              note=" ".join(note.split())[:MAX_NOTE])  # fmt: skip
    store.add(update)
    return update


def _drills_left(store: Store, library: Library, rep: str, pack_id: str) -> int:
    firsts = first_ratings(store, library, rep, pack_id)
    return len(library.packs[pack_id].drills) - len(firsts)


# --- how each is going


def commitment_statuses(
    store: Store,
    library: Library,
    rep: str,
    days: Days,
    now: datetime,
    *,
    every: bool = False,
    new_per_day: int = DEFAULT_NEW_PER_DAY,
    hidden: Collection[CommitmentKind] = (),
) -> list[CommitmentStatus]:
    """The rep's commitments with how each is going, newest first: those running, and
    those that ended this week or last (dropped ones left out); ``every``: all of them,
    dropped included (for counting kept ones over time). Works on any store holding the
    rep's events: a manager's holds their shared commitments; ``hidden`` names the kinds
    it cannot check there (["debrief-calls"] when the rep shares no debriefs)."""
    if every:
        return judge_commitments(store, library, rep, days, now, new_per_day, hidden=hidden)
    today = days.day_of(now)
    shown_from = today - timedelta(days=today.weekday() + 7)  # Monday of last week
    statuses = judge_commitments(
        store, library, rep, days, now, new_per_day, ended_since=shown_from, hidden=hidden
    )
    return [
        s for s in statuses if s.state != "dropped" and (s.ended is None or s.ended >= shown_from)
    ]
