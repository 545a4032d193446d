"""The rep's vision: where they want to be in 2, 3 and 5 years, why it matters to them, and
how much they want it (desire and willingness, 1 to 10, kept honest by three questions).
Each edit is a new Vision event; earlier versions stay with their dates. The checks, the
TOML form and the sentences the CLI and the TUI both say about a vision live here."""

from __future__ import annotations

import textwrap
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from drillcoach.dates import written
from drillcoach.errors import UserError
from drillcoach.events import MAX_NOTE, Agreement, Vision
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.text import clip
from drillcoach.tomlcheck import describe_toml_error, type_name

V = TypeVar("V", Vision, Agreement)  # a coaching record kept in versions

SCALE = (1, 10)  # desire and willingness
HORIZONS = (("in_2_years", 2), ("in_3_years", 3), ("in_5_years", 5))
HEADLINE_WIDTH = 76  # Today's line, and the CLI's
ASK_AGAIN = timedelta(days=7)  # a rep who says "later" to writing a vision is asked again
NO_VISION = "No vision yet: press v to write where you want to be in 2, 3 and 5 years."
NOT_ANSWERED = "(not answered)"


@dataclass(frozen=True)
class Question:
    """One field of the vision as the rep is asked it: its key (the Vision field and the
    TOML key), a short label for a column, and the question itself."""

    key: str
    label: str
    ask: str
    number: bool = False


QUESTIONS = (
    Question("in_2_years", "In 2 years",
             "Where do you want to be in 2 years? A role, a number, the deals you run."),
    Question("in_3_years", "In 3 years", "And in 3 years?"),
    Question("in_5_years", "In 5 years", "And in 5 years?"),
    Question("why", "Why it matters",
             "Why does it matter to you? Your reasons, not the company's."),
    Question("desire", "Desire", "How much do you want to develop, from 1 to 10?", number=True),
    Question("willingness", "Willingness",
             "How far will you go for it - the practice, the feedback, the calls you would "
             "rather not make - from 1 to 10?", number=True),
    Question("done_lately", "Last month",
             "What have you done in the last month towards it?"),
    Question("give_up", "Would give up", "What would you give up for it?"),
    Question("in_the_way", "Could stop me", "What is most likely to stop you?"),
)  # fmt: skip
QUESTION_BY_KEY = {question.key: question for question in QUESTIONS}
HORIZONS_EXPECTED = "write where you want to be in 2, 3 or 5 years (at least one of them)"

VISION_HEADER = """\
# Your vision: where you want to be in 2, 3 and 5 years, in your own words.
# Fill in at least one of in_2_years, in_3_years and in_5_years. "why" is what makes it
# yours: your reasons, not the company's.
# desire: how much you want to develop, 1 to 10. willingness: how far you will go for
# it (the practice, the feedback, the calls you would rather not make), 1 to 10.
# A 0 is not rated yet: rate both before you save.
# done_lately, give_up and in_the_way keep those two numbers honest: what you did in
# the last month towards it, what you would give up for it, what is most likely to
# stop you.
# Save and close to keep it as a new version; earlier versions stay, with their dates.
# Close it unchanged, or empty the file, to change nothing.
"""


class FormError(UserError):
    """A value of a vision or a coaching agreement that is not what it should be. The
    message names the key; ``key`` and ``expected`` let a form point at the field."""

    def __init__(self, key: str, expected: str, *, where: str | None = None) -> None:
        super().__init__(f"{where or f'key {key!r}'}: {expected}")
        self.key = key
        self.expected = expected


# --- reading the store


def current_vision(store: Store, rep: str) -> Vision | None:
    return store.latest_coaching(rep, Vision)


def vision_history(store: Store, rep: str) -> list[Vision]:
    """Every version, oldest first."""
    return store.coaching(rep, Vision)


# --- checks


def check_field(key: str, value: object) -> str | int:
    """``value`` for the field ``key`` (text stripped), or ValueError saying what was
    expected."""
    if QUESTION_BY_KEY[key].number:
        low, high = SCALE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {value!r}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type_name(value)}")
    text = value.strip()
    if len(text) > MAX_NOTE:
        raise ValueError(f"expected at most {MAX_NOTE:,} characters, got {len(text):,}")
    return text


def number_from_text(text: str) -> int | str:
    """What a rep typed for a 1-to-10 field: the number, or the text as typed (which the
    check then refuses, quoting it)."""
    stripped = text.strip()
    return int(stripped) if stripped.isascii() and stripped.isdigit() else stripped


def make_vision(rep: str, at: datetime, values: Mapping[str, object]) -> Vision:
    """A new version of the rep's vision from its fields; a FormError naming the first
    field that is wrong."""
    unknown = sorted(set(values) - set(QUESTION_BY_KEY))
    if unknown:
        raise FormError(unknown[0], f"unknown; expected one of {', '.join(QUESTION_BY_KEY)}")
    checked: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.key not in values:
            if question.number:
                low, high = SCALE
                raise FormError(question.key, f"missing; expected a whole number from {low} "
                                f"to {high}")  # fmt: skip
            checked[question.key] = ""
            continue
        try:
            checked[question.key] = check_field(question.key, values[question.key])
        except ValueError as error:
            raise FormError(question.key, str(error)) from None
        if question.key == HORIZONS[-1][0] and not any(checked[key] for key, _ in HORIZONS):
            where = "keys " + ", ".join(f"'{key}'" for key, _ in HORIZONS)
            raise FormError(HORIZONS[0][0], HORIZONS_EXPECTED, where=where)
    return Vision(by=rep, at=at, **checked)


def content(vision: Vision) -> dict[str, Any]:
    """What the rep wrote: every field but who, when and the id."""
    return {key: getattr(vision, key) for key in QUESTION_BY_KEY}


def same_vision(one: Vision | None, other: Vision | None) -> bool:
    """Whether two versions say the same (a save that changes nothing adds no version)."""
    if one is None or other is None:
        return one is other
    return content(one) == content(other)


# --- the TOML form ($EDITOR)


def vision_toml(vision: Vision | None) -> str:
    """The form to edit: what each key means, then the current version (or an empty one,
    desire and willingness 0: not rated yet)."""
    import tomli_w

    values: dict[str, Any] = (
        content(vision) if vision is not None else {q.key: 0 if q.number else "" for q in QUESTIONS}
    )
    return VISION_HEADER + "\n" + tomli_w.dumps(values, multiline_strings=True)


def parse_vision_toml(text: str, rep: str, at: datetime) -> Vision:
    """The form as saved, as a new version; a UserError naming the key (or the line)."""
    return make_vision(rep, at, parse_form(text))


def parse_form(text: str) -> dict[str, Any]:
    """A TOML form's text as a table, or a UserError saying where it is broken."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UserError(describe_toml_error(error)) from None


# --- words


def day_words(day: date) -> str:
    """'2 Mar 2026'."""
    return written(day, "%~d %b %Y")


def nearest_horizon(vision: Vision) -> tuple[int, str]:
    """The nearest horizon the rep wrote: (years, what they wrote)."""
    for key, years in HORIZONS:
        text: str = getattr(vision, key)
        if text:
            return years, text
    return HORIZONS[0][1], ""  # make_vision refuses a vision without one


def vision_headline(vision: Vision | None, whose: str = "Your vision: ") -> str:
    """One line for Today: the nearest horizon and the desire, or an invitation;
    ``whose`` starts it (a manager's team summary gives '', under its own heading)."""
    if vision is None:
        return NO_VISION
    years, text = nearest_horizon(vision)
    head = f"{whose}in {years} years, "
    tail = f" · desire {vision.desire}/10"
    return head + clip(text, HEADLINE_WIDTH - len(head) - len(tail)) + tail


def horizon_lines(vision: Vision | None) -> list[str]:
    """'2: what they wrote', one per horizon written, to pick a line of the vision by."""
    if vision is None:
        return []
    return [f"{years}: {getattr(vision, key)}" for key, years in HORIZONS if getattr(vision, key)]


LABEL_WIDTH = 20


def labelled(label: str, text: str, width: int) -> list[str]:
    """``label`` in a column, ``text`` wrapped beside it (its paragraphs kept)."""
    room = max(width - LABEL_WIDTH, 20)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, room) or [""])
    pad = " " * LABEL_WIDTH
    if len(label) >= LABEL_WIDTH:  # a long skill title: on a line of its own
        return [label, *(f"{pad}{line}" for line in lines)]
    return [f"{label:<{LABEL_WIDTH}}{lines[0]}", *(f"{pad}{line}" for line in lines[1:])]


def vision_lines(vision: Vision, *, width: int = 78) -> list[str]:
    """A vision in plain text: the horizons written, why, the two ratings with the answers
    that keep them honest (an unanswered one says so)."""
    lines: list[str] = []
    for key, _ in HORIZONS:
        if getattr(vision, key):
            lines.extend(labelled(QUESTION_BY_KEY[key].label, getattr(vision, key), width))
    lines.extend(labelled("Why it matters", vision.why or NOT_ANSWERED, width))
    lines.append(f"{'Desire':<{LABEL_WIDTH}}{vision.desire}/10 to develop")
    lines.append(f"{'Willingness':<{LABEL_WIDTH}}{vision.willingness}/10 to do what it takes")
    for key in ("done_lately", "give_up", "in_the_way"):
        text = getattr(vision, key) or NOT_ANSWERED
        lines.extend(labelled(QUESTION_BY_KEY[key].label, text, width))
    return lines


def version_line(versions: Sequence[Vision], days: Days, *, first: bool = True) -> str:
    """'Version 3, written 14 Apr 2026 (the first on 2 Mar 2026)'; without the first's
    date when ``first`` is False."""
    latest = versions[-1]
    line = f"Version {len(versions)}, written {day_words(days.date_of(latest.at))}"
    if first and len(versions) > 1:
        line += f" (the first on {day_words(days.date_of(versions[0].at))})"
    return line


def changes(before: Vision, after: Vision, *, width: int = 78) -> list[str]:
    """What one version changed from the one before, a line a field."""
    lines: list[str] = []
    for question in QUESTIONS:
        old, new = getattr(before, question.key), getattr(after, question.key)
        if old == new:
            continue
        if question.number:
            lines.append(f"{question.label}: {old} -> {new}")
            continue
        head = f"{question.label}: "
        if not new:
            lines.append(head + "taken out")
        elif not old:
            lines.append(head + clip(new, width - len(head)))
        else:
            lines.append(head + clip(new, width - len(head) - 14) + " (was rewritten)")
    return lines


def history_lines(versions: Sequence[Vision], days: Days, *, width: int = 78) -> list[str]:
    """Every version, newest first, with its date and what it changed."""
    if not versions:
        return ["No vision yet."]

    def first(vision: Vision) -> list[str]:
        years, text = nearest_horizon(vision)
        head = f"The first: in {years} years, "
        return [
            head + clip(text, width - 2 - len(head)),
            f"Desire {vision.desire}/10, willingness {vision.willingness}/10",
        ]

    return versions_lines(
        versions,
        days,
        first=first,
        changed=lambda before, after: changes(before, after, width=width - 2),
        unchanged="No change (saved as it was)",
    )


def versions_lines(
    versions: Sequence[V],
    days: Days,
    *,
    first: Callable[[V], list[str]],
    changed: Callable[[V, V], list[str]],
    unchanged: str,
) -> list[str]:
    """A record kept in versions (a vision, a coaching agreement), newest first: each
    version's number and date, then, indented, what ``changed`` from the one before it
    (``unchanged`` when nothing did), or for the first what ``first`` says of it."""
    lines: list[str] = []
    for number in range(len(versions), 0, -1):
        version = versions[number - 1]
        lines.append(f"Version {number} · {day_words(days.date_of(version.at))}")
        found = first(version) if number == 1 else changed(versions[number - 2], version)
        lines.extend(f"  {line}" for line in found or [unchanged])
    return lines


def sharing_words(shared: bool, manager: str | None = None) -> str:
    """Who sees my vision: 'Shared with Maria Lopez at each sync' or 'Only you see it'."""
    return f"Shared with {manager or 'your manager'} at each sync" if shared else "Only you see it"


# --- asking a new rep for their vision (the first run)


def vision_question_due(vision: Vision | None, ask_after: datetime | None, now: datetime) -> bool:
    """Whether to ask the rep to write their vision now: never once one exists; only when
    a time to ask was set (at the welcome, or a week after a "later") and it has come."""
    return vision is None and ask_after is not None and now >= ask_after
