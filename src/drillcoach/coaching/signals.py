"""The signals a rep's agenda shows, and the questions they choose from
content/coaching.toml.

Each signal has a strength from 0 to 1: a base saying how much it matters for a 1:1 (the
vision and the agreement first: without them detail feels like being watched; then
commitments not kept and willingness, then calibration and skills, then practice),
plus up to 0.1 for how strong the sign is. The strongest come first; one question is
taken from each of the five strongest, and when fewer than three signals show, more
questions from the same ones (never one twice) until there are three. Which question of
a signal is taken turns with the week (agenda.week_number): the same signal next week
asks its next question. A question whose placeholder the signal has no value for is
passed over, and of two signals about the same skill the weaker comes after all the
others. With no signal at all, "steady" asks about the bigger picture."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from drillcoach.coaching.agreement import REVIEW_AFTER_DAYS, agreed_days_ago, in_sentence
from drillcoach.coaching.willingness import shortfall, willingness_line
from drillcoach.content import Library
from drillcoach.content.models import CoachingSignal
from drillcoach.content.parse import placeholders_of
from drillcoach.dates import written
from drillcoach.text import clip, plural

if TYPE_CHECKING:
    from drillcoach.coaching.agenda import Agenda, AgendaQuestion, Raised

MOST_QUESTIONS = 5
LEAST_QUESTIONS = 3
STALLED_AFTER_DAYS = 90  # a vision not revisited for a quarter
FEW_PRACTICE_DAYS = 4  # of the last 14
CALIBRATION_GAP = 0.75  # self against manager, 1 Again to 4 Easy
CALIBRATION_AT_LEAST = 2  # ratings on each side
LOW_SCORE = 2.5  # a manager's mean rubric score (1 to 5) that is a skill gap
LOW_SCORE_AT_LEAST = 2
RISE = 0.5  # a skill's ratings up by this much: improving
SLOW_SHARE = 0.3  # of timed answers over the limit
SLOW_AT_LEAST = 10  # timed answers

BASE = {
    "no-vision": 0.9,
    "no-agreement": 0.85,
    "broken-commitment": 0.8,
    "low-willingness": 0.75,
    "outside-agreement": 0.7,
    "new-hire": 0.65,
    "overconfident": 0.6,
    "underconfident": 0.55,
    "debrief-objection": 0.55,
    "leech": 0.5,
    "skill-gap": 0.5,
    "overdue-assignment": 0.45,
    "inconsistent-practice": 0.45,
    "stalled-vision": 0.4,
    "agreement-review-due": 0.4,
    "dna-weak-area": 0.35,
    "improving": 0.3,
    "slow-answers": 0.25,
    "steady": 0.0,
}


def raise_signals(agenda: Agenda, library: Library) -> list[Raised]:
    """Every signal the agenda's data shows, strongest first."""
    from drillcoach.coaching.agenda import Raised

    found: list[Raised] = []

    def add(signal: str, sign: float, because: str, **values: str) -> None:
        strength = BASE[signal] + 0.1 * max(0.0, min(1.0, sign))
        found.append(Raised(signal, round(strength, 3), values, because))

    def skill(skill_id: str) -> str:
        known = library.skills.get(skill_id)
        return in_sentence(known.title if known else skill_id.replace("-", " "))

    _vision(agenda, add)
    _agreement(agenda, add, skill)
    _promises(agenda, add)
    _skills(agenda, add, skill)
    _practice(agenda, add, library)
    _new_hire(agenda, add)
    if agenda.dna_weak:
        title, strength = agenda.dna_weak[0]
        add("dna-weak-area", (3 - strength) / 2,
            f'sales DNA: "{title}" at {strength:.1f} of 5', area=title)  # fmt: skip
    if agenda.objections:
        top = agenda.objections[0]
        calls = f"heard on {top.calls} calls"
        add("debrief-objection", top.calls / 5, f'"{top.words}" {calls}',
            objection=_quoted(top.words), count=calls)  # fmt: skip
    if not found:
        add("steady", 0.0, "no warning sign in what you can see")
    return sorted(found, key=lambda raised: (-raised.strength, raised.signal))


def _promises(agenda: Agenda, add: _Add) -> None:
    """A commitment missed (now, or last week), and willingness lower than the words."""
    for status in agenda.commitments:
        if status.state == "missed" or status.last_week == "missed":
            when = "missed" if status.state == "missed" else "missed last week"
            text = status.commitment.text
            add("broken-commitment", 1.0 if status.state == "missed" else 0.5,
                f'"{text}": {when}', commitment=text)  # fmt: skip
            break
    words = shortfall(agenda.willingness)
    if words:
        add("low-willingness", 1.0, willingness_line(agenda.willingness), gap=words)


def _skills(agenda: Agenda, add: _Add, skill: _Skill) -> None:
    """Calibration off either way, a skill the manager scores low, one clearly rising."""
    for item in agenda.calibration:  # the widest gap first
        if min(item.self_count, item.manager_count) < CALIBRATION_AT_LEAST:
            continue
        if abs(item.gap) >= CALIBRATION_GAP:
            gap = f"self {item.self_mean:.1f} vs manager {item.manager_mean:.1f}"
            signal = "overconfident" if item.gap > 0 else "underconfident"
            add(signal, abs(item.gap) / 2, f"{gap} on {skill(item.skill)}",
                skill=skill(item.skill), gap=gap)  # fmt: skip
    low = next((s for s in agenda.scores if s.count >= LOW_SCORE_AT_LEAST), None)
    if low is not None and low.mean <= LOW_SCORE:
        gap = f"{low.mean:.1f} of 5 over {plural(low.count, 'rating')}"
        add("skill-gap", (LOW_SCORE - low.mean) / 1.5,
            f"manager scores on {skill(low.skill)}: {gap}", skill=skill(low.skill),
            gap=gap)  # fmt: skip
    rising = next((t for t in agenda.trends if t.recent - t.before >= RISE), None)
    if rising is not None:
        gap = f"from {rising.before:.1f} to {rising.recent:.1f}"
        add("improving", rising.recent - rising.before,
            f"{skill(rising.skill)} ratings {gap} this month", skill=skill(rising.skill),
            gap=gap)  # fmt: skip


def _practice(agenda: Agenda, add: _Add, library: Library) -> None:
    """Leeches, packs past their date, few drilling days, answers over time."""
    from drillcoach.coaching.agenda import PRACTICE_DAYS

    if agenda.leeches:
        worst = max(agenda.leeches, key=lambda leech: leech.lapses)
        lapsed = f"lapsed {worst.lapses} times"
        pack = library.packs.get(worst.drill.pack_id)
        add("leech", (worst.lapses - 8) / 8, f'"{worst.drill.title}" {lapsed}',
            drill=worst.drill.title, count=lapsed,
            pack=pack.title if pack else worst.drill.pack_id)  # fmt: skip
    if agenda.overdue:
        late = min(agenda.overdue, key=lambda a: a.assignment.due)
        late_by = (agenda.today - late.assignment.due).days
        due = written(late.assignment.due, "%d %b")
        add("overdue-assignment", late_by / 14,
            f'"{late.title}" due {due}, {late.started} of {late.total} started',
            pack=late.title, days=plural(late_by, "day"))  # fmt: skip
    # over a whole fortnight of drilling (a rep who began last week is not held to it),
    # or none at all but for a new hire who has not begun (new-hire asks about that)
    first = agenda.first_drilled
    began = first is None or first <= agenda.today - timedelta(days=PRACTICE_DAYS - 1)
    starting = first is None and agenda.new_hire is not None
    if agenda.practised < FEW_PRACTICE_DAYS and began and not starting:
        days = plural(agenda.practised, "day")
        add("inconsistent-practice", (FEW_PRACTICE_DAYS - agenda.practised) / FEW_PRACTICE_DAYS,
            f"drilled {days} out of the last 14", days=days)  # fmt: skip
    over, timed = agenda.over_time
    if timed >= SLOW_AT_LEAST and over / timed >= SLOW_SHARE:
        count = f"{over} of your last {timed} timed answers"
        add("slow-answers", over / timed, f"{over} of {timed} timed answers over the limit",
            count=count)  # fmt: skip


def _vision(agenda: Agenda, add: _Add) -> None:
    if not agenda.seen.vision:
        return  # not shared: whether there is one is the rep's business
    vision = agenda.vision
    if vision is None:
        add("no-vision", 1.0, "")
        return
    from drillcoach.coaching.agenda import vision_phrase

    age = (agenda.today - agenda.days.day_of(vision.at)).days
    if age >= STALLED_AFTER_DAYS:
        add("stalled-vision", (age - STALLED_AFTER_DAYS) / 90,
            f"vision last written {plural(age, 'day')} ago", days=plural(age, "day"),
            vision=vision_phrase(vision))  # fmt: skip


def _agreement(agenda: Agenda, add: _Add, skill: _Skill) -> None:
    if not agenda.seen.agreement:
        return
    agreement = agenda.agreement
    if agreement is None:
        add("no-agreement", 1.0, "")
        return
    if agenda.outside:
        counts: dict[str, int] = {}
        for rating in agenda.outside:
            counts[rating.skill] = counts.get(rating.skill, 0) + 1
        most = max(counts, key=lambda key: (counts[key], key))
        ratings = f"{plural(counts[most], 'rating')} in 30 days"
        add("outside-agreement", len(agenda.outside) / 4,
            f"{ratings} of {skill(most)}, not an agreed area", skill=skill(most),
            count=ratings)  # fmt: skip
    age = agreed_days_ago(agreement, agenda.today, agenda.days)
    if age >= REVIEW_AFTER_DAYS:
        add("agreement-review-due", (age - REVIEW_AFTER_DAYS) / REVIEW_AFTER_DAYS,
            f"agreed {plural(age, 'day')} ago", days=plural(age, "day"))  # fmt: skip


def _new_hire(agenda: Agenda, add: _Add) -> None:
    hire = agenda.new_hire
    if hire is None:
        return
    due = f'"{hire.pack.title}" due {written(hire.pack.assignment.due, "%d %b")}'
    if hire.first_drilled is None:
        add("new-hire", 1.0, f"{due}, not started yet", pack=hire.pack.title)
        return
    days = (agenda.today - hire.first_drilled).days
    since = plural(days, "day")
    add("new-hire", 1 - days / 60, f"{since} since the first drill; {due}",
        pack=hire.pack.title, days=since)  # fmt: skip


def _quoted(words: str, width: int = 60) -> str:
    return clip(words, width).rstrip(".!?")


# --- choosing the questions


def choose_questions(
    raised: list[Raised],
    signals: Mapping[str, CoachingSignal],
    week: int,
    common: Mapping[str, str],
) -> list[AgendaQuestion]:
    """Three to five questions from the strongest signals, one per signal first, turned
    by ``week``; each filled with the signal's values and ``common`` ones."""
    from drillcoach.coaching.agenda import AgendaQuestion

    options: list[tuple[Raised, CoachingSignal, list[str]]] = []
    for item in raised:
        signal = signals.get(item.signal)
        if signal is None:
            continue
        values = {**common, **item.values}
        fillable = [
            question.format_map(values)
            for question in signal.questions
            if placeholders_of(question) <= values.keys()
        ]
        if fillable:
            options.append((item, signal, fillable))
    # two signals about one skill (rates high, scores low) make one conversation: the
    # weaker waits behind every other signal
    skills_seen: set[str] = set()
    first: list[tuple[Raised, CoachingSignal, list[str]]] = []
    later: list[tuple[Raised, CoachingSignal, list[str]]] = []
    for option in options:
        skill = option[0].values.get("skill")
        (later if skill in skills_seen else first).append(option)
        if skill:
            skills_seen.add(skill)
    options = (first + later)[:MOST_QUESTIONS]
    chosen: list[tuple[int, int, AgendaQuestion]] = []  # (rank of its signal, turn, question)

    def take(rank: int, turn: int) -> None:
        item, signal, fillable = options[rank]
        text = fillable[(week + turn) % len(fillable)]
        chosen.append((rank, turn, AgendaQuestion(item.signal, signal.title, text, item.because)))

    for rank in range(len(options)):
        take(rank, 0)
    turn = 1
    while len(chosen) < LEAST_QUESTIONS and any(turn < len(f) for _, _, f in options):
        for rank, (_, _, fillable) in enumerate(options):
            if turn < len(fillable) and len(chosen) < LEAST_QUESTIONS:
                take(rank, turn)
        turn += 1
    return [question for _, _, question in sorted(chosen, key=lambda entry: entry[:2])]


if TYPE_CHECKING:
    from collections.abc import Callable

    _Add = Callable[..., None]
    _Skill = Callable[[str], str]
