"""The sales DNA self-assessment: a take checked and scored per construct, what the weak
constructs recommend (packs, and skills that come first among new drills), takes compared
over time, and the words the CLI and the TUI say of it. The file is read by dna_file.py."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

# what dna_file.py reads is part of this module's API (``X as X``: re-exported)
from drillcoach.coaching.dna_file import HIGHEST as HIGHEST
from drillcoach.coaching.dna_file import LOWEST as LOWEST
from drillcoach.coaching.dna_file import TITLE_WIDTH
from drillcoach.coaching.dna_file import Construct as Construct
from drillcoach.coaching.dna_file import Dna as Dna
from drillcoach.coaching.dna_file import DnaError as DnaError
from drillcoach.coaching.dna_file import Statement as Statement
from drillcoach.coaching.dna_file import builtin_dna_path as builtin_dna_path
from drillcoach.coaching.dna_file import current_dna as current_dna
from drillcoach.coaching.dna_file import load_dna as load_dna
from drillcoach.coaching.dna_file import read_dna as read_dna
from drillcoach.dates import written
from drillcoach.errors import UserError
from drillcoach.events import DnaCheck

if TYPE_CHECKING:
    from drillcoach.content import Library
    from drillcoach.store import Store

SCALE = ("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree")
SHORT_SCALE = ("strongly disagree", "disagree", "neither", "agree", "strongly agree")
BAR_WIDTH = 10
TEXT_WIDTH = 78


# --- taking it


def answer_of(text: str) -> int | None:
    """A typed answer, 1 to 5, or None for anything else."""
    text = text.strip()
    if len(text) == 1 and text.isdigit() and LOWEST <= int(text) <= HIGHEST:
        return int(text)
    return None


def answers_problem(dna: Dna, answers: Mapping[str, int]) -> str | None:
    """What keeps ``answers`` from being a take of ``dna`` (an answer, 1 to 5, to every
    statement and to nothing else), or None."""
    known = {statement.id for statement in dna.statements}
    unknown = sorted(set(answers) - known)
    if unknown:
        return f"no statement '{unknown[0]}' in {dna.path.name}"
    for statement_id, answer in answers.items():
        if isinstance(answer, bool) or not isinstance(answer, int):
            return f"'{statement_id}': {scale_expected()}, got {answer!r}"
        if not LOWEST <= answer <= HIGHEST:
            return f"'{statement_id}': {scale_expected()}, got {answer!r}"
    missing = [statement.id for statement in dna.statements if statement.id not in answers]
    if missing:
        return f"no answer for {', '.join(missing)} (every statement needs one)"
    return None


def new_check(dna: Dna, answers: Mapping[str, int], rep: str, at: datetime) -> DnaCheck:
    """The rep's take, its answers in the file's order; UserError when one is missing."""
    problem = answers_problem(dna, answers)
    if problem:
        raise UserError(problem)
    ordered = {statement.id: answers[statement.id] for statement in dna.statements}
    return DnaCheck(by=rep, at=at, answers=ordered)


def parse_answers(text: str, dna: Dna) -> dict[str, int]:
    """``--answers id=N,id=N,...`` as answers; UserError naming the argument and the pair."""
    answers: dict[str, int] = {}
    for pair in (part.strip() for part in text.split(",")):
        if not pair:
            continue
        statement_id, equals, value = (part.strip() for part in pair.partition("="))
        answer = answer_of(value)
        if not equals:
            raise UserError(f"--answers: expected id=N pairs like 'money-silence=4', got {pair!r}")
        if statement_id in answers:
            raise UserError(f"--answers: '{statement_id}' is answered twice")
        if answer is None:
            raise UserError(f"--answers: {pair!r}: {scale_expected()}")
        answers[statement_id] = answer
    problem = answers_problem(dna, answers)
    if problem:
        raise UserError(f"--answers: {problem}")
    return answers


# --- scoring


@dataclass(frozen=True)
class ConstructScore:
    """A construct's strength on one take: the mean of its statements, each as a strength,
    from 1 to 5 (None: none of its statements was answered on that take)."""

    construct: Construct
    strength: float | None
    weak: bool


@dataclass(frozen=True)
class DnaResult:
    """One take, scored."""

    check: str  # the DnaCheck's id
    at: datetime
    scores: tuple[ConstructScore, ...]
    weak_below: float
    focus_areas: int

    def weak(self) -> list[ConstructScore]:
        """The weak constructs, weakest first (the file's order between equals)."""
        weak = [score for score in self.scores if score.weak]
        return sorted(weak, key=lambda score: score.strength or 0.0)

    def work_on(self) -> list[ConstructScore]:
        """The weakest few, the ones to work on first: nobody works on six things at once."""
        return self.weak()[: self.focus_areas]

    def of(self, construct_id: str) -> ConstructScore | None:
        return next((s for s in self.scores if s.construct.id == construct_id), None)


def score(check: DnaCheck, dna: Dna) -> DnaResult:
    """Each construct's strength on this take. An answer to a statement the file no longer
    has, or out of 1 to 5 (a record from elsewhere), is left out."""
    strengths: dict[str, list[int]] = {}
    for statement in dna.statements:
        answer = check.answers.get(statement.id)
        if isinstance(answer, int) and LOWEST <= answer <= HIGHEST:
            strengths.setdefault(statement.construct, []).append(statement.strength(answer))
    scores = []
    for construct in dna.constructs:
        values = strengths.get(construct.id)
        strength = sum(values) / len(values) if values else None
        weak = strength is not None and strength < dna.weak_below
        scores.append(ConstructScore(construct, strength, weak))
    return DnaResult(check.id, check.at, tuple(scores), dna.weak_below, dna.focus_areas)


def recommendations(result: DnaResult, dna: Dna) -> tuple[list[str], list[str]]:
    """The packs and the skills the constructs to work on first name, weakest first, each
    once. ``dna`` decides what is current: a construct it no longer has recommends nothing."""
    packs: list[str] = []
    skills: list[str] = []
    current = {construct.id for construct in dna.constructs}
    for weak in result.work_on():
        if weak.construct.id not in current:
            continue
        packs.extend(p for p in weak.construct.packs if p not in packs)
        skills.extend(s for s in weak.construct.skills if s not in skills)
    return packs, skills


def dna_focus_skills(store: Store, rep: str, dna: Dna) -> list[str]:
    """The skills of the constructs to work on of the rep's latest take, weakest first: they come
    first among new drills, after the skills a manager rated (one indexed read)."""
    latest = store.latest_coaching(rep, DnaCheck)
    if latest is None:
        return []
    return recommendations(score(latest, dna), dna)[1]


# --- over time


@dataclass(frozen=True)
class Change:
    """A construct on the first take and on the latest."""

    construct: Construct
    first: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        if self.first is None or self.latest is None:
            return None
        return self.latest - self.first


@dataclass(frozen=True)
class DnaComparison:
    first: DnaResult
    latest: DnaResult
    takes: int
    changes: tuple[Change, ...]

    def of(self, construct_id: str) -> Change | None:
        return next((c for c in self.changes if c.construct.id == construct_id), None)


def compare(checks: Sequence[DnaCheck], dna: Dna) -> DnaComparison | None:
    """The first take against the latest (``checks`` oldest first, as the store gives
    them); None before a second take."""
    if len(checks) < 2:
        return None
    first, latest = score(checks[0], dna), score(checks[-1], dna)
    changes = tuple(
        Change(a.construct, a.strength, b.strength)
        for a, b in zip(first.scores, latest.scores, strict=True)
    )
    return DnaComparison(first, latest, len(checks), changes)


# --- words the CLI and the TUI say


def scale_expected() -> str:
    return f"expected {LOWEST} ({SCALE[0]}) to {HIGHEST} ({SCALE[-1]})"


def scale_line() -> str:
    """'1 strongly disagree · 2 disagree · 3 neither · 4 agree · 5 strongly agree'"""
    return " · ".join(f"{value} {word}" for value, word in enumerate(SHORT_SCALE, LOWEST))


def day_text(moment: datetime, tz: tzinfo | None = None) -> str:
    return written(moment.astimezone(tz), "%a %d %b %Y")


def bar(strength: float | None, width: int = BAR_WIDTH) -> str:
    """'█████░░░░░' for 3.0, the middle of 1 to 5; dots when nothing was answered."""
    if strength is None:
        return "·" * width
    filled = int((strength - LOWEST) / (HIGHEST - LOWEST) * width + 0.5)
    return "█" * filled + "░" * (width - filled)


def strength_text(strength: float | None) -> str:
    return "  - " if strength is None else f"{strength:.1f}"


SAME = 0.05  # a change smaller than this shows as none (scores move in halves)


def change_text(change: float | None) -> str:
    """'+1.0', '-0.5', '=' (no change), '' (not comparable)."""
    if change is None:
        return ""
    if abs(change) < SAME:
        return "="
    return f"{change:+.1f}"


WORK_ON, NEXT = "work on this", "next"


def score_line(item: ConstructScore, change: Change | None = None, *, first: bool = True) -> str:
    """'Comfort discussing money   ████░░░░░░ 2.0  -0.5  work on this': the bar, the
    strength, the change since the first take (with a comparison) and whether to work on
    it first (or next, after the weakest few)."""
    title = f"{item.construct.title:<{TITLE_WIDTH}}"
    text = f"{title} {bar(item.strength)} {strength_text(item.strength)}"
    if change is not None:
        text += f"  {change_text(change.change):>4}"
    if item.weak:
        text += f"  {WORK_ON if first else NEXT}"
    return text


def titles(ids: Iterable[str], known: Mapping[str, Any]) -> list[str]:
    """The titles of packs or skills, by id (an id the library lacks as itself)."""
    return [getattr(known.get(item), "title", item) for item in ids]


def take_headline(result: DnaResult) -> str:
    """What the latest take says, in one line."""
    weak, first = result.weak(), result.work_on()
    below = f"{result.weak_below:.1f}"
    if not weak:
        return f"Nothing below {below} this time: no area stands out to work on first."
    names = ", ".join(score.construct.title for score in first)
    if len(weak) > len(first):
        return f"{len(weak)} areas below {below}; work on the weakest {len(first)} first: {names}."
    areas = "area" if len(weak) == 1 else "areas"
    return f"{len(weak)} {areas} to work on first: {names}."


def construct_lines(item: ConstructScore, library: Library, *, focus: bool = True) -> list[str]:
    """What a weak score in a construct means on a call, what trains it and where the idea
    comes from: a paragraph each. ``focus``: its skills come first among new drills."""
    construct = item.construct
    lines = [construct.when_weak if item.weak else f"When it's weak: {construct.when_weak}"]
    if construct.packs:
        lines.append("Packs: " + ", ".join(titles(construct.packs, library.packs)))
    if construct.skills:
        skills = ", ".join(titles(construct.skills, library.skills))
        lines.append(f"First among your new drills: {skills}" if focus else f"Skills: {skills}")
    lines.append(f"Source: {construct.source}")
    return lines


def weak_lines(item: ConstructScore, library: Library, width: int = TEXT_WIDTH) -> list[str]:
    """A construct to work on, as text: its title and strength, then its paragraphs."""
    lines = [f"{item.construct.title} ({strength_text(item.strength)})"]
    for paragraph in construct_lines(item, library):
        lines += textwrap.wrap(paragraph, width, initial_indent="  ", subsequent_indent="  ")
    return lines


def result_lines(
    result: DnaResult,
    library: Library,
    comparison: DnaComparison | None = None,
    tz: tzinfo | None = None,
    width: int = TEXT_WIDTH,
) -> list[str]:
    """A take as text: a bar per construct (with the change since the first take, when
    there is one), then each weak construct with what it means and what trains it."""
    since = ""
    if comparison is not None:
        since = f" (change since your first, {day_text(comparison.first.at, tz)})"
    lines = [f"Your latest take, {day_text(result.at, tz)}{since}:", ""]
    for item in result.scores:
        change = comparison.of(item.construct.id) if comparison is not None else None
        lines.append(score_line(item, change, first=item in result.work_on()))
    lines += ["", *textwrap.wrap(take_headline(result), width)]
    for item in result.work_on():
        lines.append("")
        lines.extend(weak_lines(item, library, width))
    return lines


def comparison_line(comparison: DnaComparison, tz: tzinfo | None = None) -> str:
    """What moved between the first take and the latest, in one sentence."""
    up = [c for c in comparison.changes if (c.change or 0.0) >= SAME]
    down = [c for c in comparison.changes if (c.change or 0.0) <= -SAME]
    parts = []
    for word, moved in (("stronger", up), ("weaker", down)):
        if moved:
            named = ", ".join(f"{c.construct.title} ({change_text(c.change)})" for c in moved)
            parts.append(f"{word} on {named}")
    first = day_text(comparison.first.at, tz)
    said = "; ".join(parts) if parts else "no area moved"
    return f"Since your first take on {first} ({comparison.takes} takes): {said}."


HISTORY_COLUMNS = 6  # takes side by side in 80 columns
COLUMN = 8


def history_lines(checks: Sequence[DnaCheck], dna: Dna, tz: tzinfo | None = None) -> list[str]:
    """Every take (the first and the latest few when there are many), a column each, a
    construct a row."""
    if not checks:
        return [not_taken_line()]
    shown = list(checks)
    skipped = 0
    if len(shown) > HISTORY_COLUMNS:
        skipped = len(shown) - HISTORY_COLUMNS
        shown = [shown[0], *shown[-(HISTORY_COLUMNS - 1) :]]
    results = [score(check, dna) for check in shown]
    header = " " * TITLE_WIDTH + "".join(
        written(result.at.astimezone(tz), "%d %b").rjust(COLUMN) for result in results
    )
    lines = [header.rstrip()]
    for row, construct in enumerate(dna.constructs):
        cells = []
        for result in results:
            item = result.scores[row]
            mark = "*" if item.weak else " "
            cells.append(f"{strength_text(item.strength)}{mark}".rjust(COLUMN))
        lines.append((f"{construct.title:<{TITLE_WIDTH}}" + "".join(cells)).rstrip())
    first, latest = day_text(checks[0].at, tz), day_text(checks[-1].at, tz)
    if len(checks) == 1:
        note = [f"1 take, on {first}."]
    else:
        note = [f"{len(checks)} takes, the first on {first}, the latest on {latest}."]
    if skipped:
        note.append(f"The {skipped} between the first and the last {HISTORY_COLUMNS - 1} "
                    "are not shown.")  # fmt: skip
    note.append(f"* below {dna.weak_below:.1f}: an area to work on first.")
    return [*lines, "", *note]


def packs_off_line(packs: Sequence[str], in_queue: Iterable[str], library: Library) -> str | None:
    """The recommended packs the rep has not turned on, and where to turn them on."""
    queued = set(in_queue)
    off = [pack for pack in packs if pack in library.packs and pack not in queued]
    if not off:
        return None
    them = "it" if len(off) == 1 else "them"
    named = ", ".join(titles(off, library.packs))
    return f"Not in your queue yet: {named}. Turn {them} on in Packs (p on Today)."


def not_taken_line(how: str = "run 'drillcoach dna take'") -> str:
    return f"You haven't taken the sales DNA check yet: {how} (about five minutes)."


def sharing_line(share_vision: bool) -> str:
    """Who sees the results: they travel with the vision."""
    if share_vision:
        return "Your manager sees these: they are shared with your vision (share_vision)."
    return "Only you see these: they are shared with your vision (share_vision is off)."
