"""The 1:1 agenda in words: its sections, each a heading and items, as the CLI prints them
(plain text, or Markdown to paste into a 1:1 doc) and the TUI's agenda screen shows
them. One function per part, so the two say the same."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from drillcoach.coaching.agenda import Agenda, AgendaQuestion
from drillcoach.coaching.agreement import area_for, feedback_fit, ways_words
from drillcoach.coaching.commitments import STATE_WORDS
from drillcoach.coaching.debrief_text import debrief_title
from drillcoach.coaching.signals import CALIBRATION_GAP, RISE
from drillcoach.coaching.vision import HORIZONS, day_words
from drillcoach.coaching.willingness import willingness_line
from drillcoach.content import Library
from drillcoach.text import (
    CONTEXT_WORDS,
    assigned_line,
    clip,
    plural,
    rated_title,
    score_text,
    skill_title,
)

Format = Literal["text", "md"]
FORMATS: tuple[Format, ...] = ("text", "md")
WIDTH = 78
QUOTE_WIDTH = 140  # a rep's own words quoted in an item


@dataclass(frozen=True)
class Item:
    text: str
    note: str = ""  # under it, quieter: why a question was chosen


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]
    numbered: bool = False


def agenda_title(agenda: Agenda) -> str:
    """'1:1 agenda: Alice Ng · week of 2 Mar 2026', or the rep's own 'Your 1:1, to prepare'."""
    monday = agenda.today.toordinal() - agenda.today.weekday()
    week = day_words(agenda.today.fromordinal(monday))
    if agenda.seen.own:
        return f"Your 1:1, to prepare · week of {week}"
    return f"1:1 agenda: {agenda.name} · week of {week}"


def agenda_sections(agenda: Agenda, library: Library) -> list[Section]:
    """Every section, in the order a 1:1 takes them: the person first, the numbers after,
    the questions last."""
    return [
        Section("Vision", tuple(_vision(agenda))),
        Section("Coaching agreement", tuple(_agreement(agenda, library))),
        Section("Commitments", tuple(_commitments(agenda))),
        Section("Feedback, last 30 days", tuple(_feedback(agenda, library))),
        Section(
            "Calibration: self vs manager (1 Again to 4 Easy, 90 days)",
            tuple(_calibration(agenda, library)),
        ),
        Section("Practice", tuple(_practice(agenda, library))),
        Section("Leeches", tuple(_leeches(agenda, library))),
        Section("Overdue assignments", tuple(_overdue(agenda))),
        Section("Recent debriefs", tuple(_debriefs(agenda))),
        Section("Willingness to sell, seen in behaviour", (Item(_willingness(agenda)),)),
        Section(
            "Questions for your manager to ask you" if agenda.seen.own else "Questions to ask",
            tuple(_questions(agenda.questions)),
            numbered=True,
        ),
    ]


def _questions(questions: Sequence[AgendaQuestion]) -> list[Item]:
    """Each question, with why it was chosen said once for a run chosen for one reason."""
    items = []
    for number, question in enumerate(questions):
        said = number and why(questions[number - 1]) == why(question)
        items.append(Item(question.text, "" if said else why(question)))
    return items


def why(question: AgendaQuestion) -> str:
    """The signal that chose a question, and its evidence: 'Self-ratings run above the
    manager's: self 3.6 vs manager 2.4 on objection handling'."""
    return f"{question.title}: {question.because}" if question.because else question.title


def _not_shared(agenda: Agenda, what: str) -> Item:
    return Item(f"{agenda.first_name} does not share {what} with you.")


def _vision(agenda: Agenda) -> list[Item]:
    if not agenda.seen.vision:
        return [_not_shared(agenda, "their vision")]
    vision = agenda.vision
    if vision is None:
        return [Item("No vision written yet.")]
    items = [
        Item(f'In {years} years: "{clip(getattr(vision, key), QUOTE_WIDTH)}"')
        for key, years in HORIZONS
        if getattr(vision, key)
    ]
    if vision.why:
        items.append(Item(f'Why it matters: "{clip(vision.why, QUOTE_WIDTH)}"'))
    written = day_words(agenda.days.date_of(vision.at))
    items.append(Item(f"Desire {vision.desire}/10 · willingness {vision.willingness}/10 · "
                      f"written {written}"))  # fmt: skip
    if agenda.dna_weak:
        areas = ", ".join(f"{title} ({strength:.1f} of 5)" for title, strength in agenda.dna_weak)
        items.append(Item(f"Sales DNA, to work on first: {areas}"))
    return items


def _agreement(agenda: Agenda, library: Library) -> list[Item]:
    if not agenda.seen.agreement:
        return [_not_shared(agenda, "their coaching agreement")]
    agreement = agenda.agreement
    if agreement is None:
        return [Item("No coaching agreement yet: agree where detailed feedback is wanted.")]
    items = []
    for area in agreement.areas:
        text = f"{skill_title(library.skills, area.skill)}: {ways_words(area.ways)}"
        if area.vision:
            text += f' - serves "{clip(area.vision, QUOTE_WIDTH)}"'
        items.append(Item(text))
    if agreement.note:
        items.append(Item(f'Note: "{clip(agreement.note, QUOTE_WIDTH)}"'))
    items.append(Item(f"Agreed {day_words(agenda.days.date_of(agreement.at))}"))
    return items


def _commitments(agenda: Agenda) -> list[Item]:
    if not agenda.seen.commitments:
        return [_not_shared(agenda, "their commitments")]
    if not agenda.commitments:
        return [Item("No commitments running.")]
    items = []
    for status in agenda.commitments:
        text = f"{status.commitment.text}: {STATE_WORDS[status.state]}"
        if status.progress:
            text += f" ({status.progress})"
        if status.last_week:
            text += f" · last week {status.last_week}"
        items.append(Item(text))
    return items


def _feedback(agenda: Agenda, library: Library) -> list[Item]:
    """Each recent manager rating, with the agreed area it serves or a flag to ask first."""
    if not agenda.feedback:
        return [Item("No ratings from a manager in the last 30 days.")]
    items = []
    for rating in reversed(agenda.feedback):  # newest first
        who = agenda.names.get(rating.by, rating.by)
        day = day_words(agenda.days.date_of(rating.at))
        text = (f"{day}, {who} on {rated_title(rating, library)} "
                f"({CONTEXT_WORDS[rating.context]}): {score_text(rating)}")  # fmt: skip
        if not agenda.seen.agreement:
            items.append(Item(text))
            continue
        title = skill_title(library.skills, rating.skill)
        fit = feedback_fit(agenda.agreement, rating.skill, agenda.first_name,
                           skill_title=title, width=10_000)  # fmt: skip
        if agenda.seen.own and area_for(agenda.agreement, rating.skill) is None:
            # the rep's own view: the manager's advice to ask first is not for them
            fit = "Outside your coaching agreement" if agenda.agreement else ""
        items.append(Item(text, fit))
    return items


def _calibration(agenda: Agenda, library: Library) -> list[Item]:
    if not agenda.calibration:
        return [Item("Nothing to compare yet: no drill or skill rated by both.")]
    items = []
    for item in agenda.calibration:
        if item.gap >= CALIBRATION_GAP:
            verdict = "rates above the manager"
        elif item.gap <= -CALIBRATION_GAP:
            verdict = "rates below the manager"
        else:
            verdict = "in step"
        items.append(Item(
            f"{skill_title(library.skills, item.skill)}: self {item.self_mean:.1f} vs manager "
            f"{item.manager_mean:.1f} ({plural(item.self_count, 'self-rating')}, "
            f"{plural(item.manager_count, 'manager rating')}) - {verdict}"
        ))  # fmt: skip
    return items


def _practice(agenda: Agenda, library: Library) -> list[Item]:
    items = [Item(f"Drilled {plural(agenda.practised, 'day')} out of the last 14")]
    over, timed = agenda.over_time
    if timed:
        items.append(Item(f"{over} of {plural(timed, 'timed answer')} over the time limit "
                          "(30 days)"))  # fmt: skip
    for trend in agenda.trends:
        if abs(trend.recent - trend.before) >= RISE:
            way = "up" if trend.recent > trend.before else "down"
            items.append(Item(
                f"{skill_title(library.skills, trend.skill)} ratings {way}: "
                f"{trend.before:.1f} before, {trend.recent:.1f} this month"
            ))  # fmt: skip
    for scores in agenda.scores:
        items.append(Item(
            f"Manager scores on {skill_title(library.skills, scores.skill)}: "
            f"{scores.mean:.1f} of 5 over {plural(scores.count, 'rating')} (90 days)"
        ))  # fmt: skip
    return items


def _leeches(agenda: Agenda, library: Library) -> list[Item]:
    if not agenda.leeches:
        return [Item("None: no drill has lapsed 8 times.")]
    items = []
    for leech in agenda.leeches:
        pack = library.packs.get(leech.drill.pack_id)
        where = f" ({pack.title})" if pack else ""
        items.append(Item(f'"{leech.drill.title}"{where}: lapsed {leech.lapses} times'))
    return items


def _overdue(agenda: Agenda) -> list[Item]:
    if not agenda.overdue:
        return [Item("None.")]
    return [Item(assigned_line(a, agenda.names, note=False)) for a in agenda.overdue]


def _debriefs(agenda: Agenda) -> list[Item]:
    if not agenda.seen.debriefs:
        return [_not_shared(agenda, "their debriefs")]
    if not agenda.debriefs:
        return [Item("No debriefs in the last 30 days.")]
    items = []
    for debrief in agenda.debriefs:
        heard = "; ".join(f'"{clip(words, 80)}"' for words in debrief.objections)
        items.append(Item(debrief_title(debrief), f"heard: {heard}" if heard else ""))
    for objection in agenda.objections:
        items.append(Item(f'Heard on {objection.calls} calls: "{clip(objection.words, 80)}"'))
    return items


def _willingness(agenda: Agenda) -> str:
    line = willingness_line(agenda.willingness)
    return line[0].upper() + line[1:]


# --- rendering


def render(agenda: Agenda, library: Library, form: Format = "text") -> str:
    """The whole agenda: plain text for the terminal, or Markdown for a 1:1 doc."""
    sections = agenda_sections(agenda, library)
    if form == "md":
        return "\n".join(markdown_lines(agenda_title(agenda), sections)) + "\n"
    return "\n".join(text_lines(agenda_title(agenda), sections)) + "\n"


def text_lines(title: str, sections: Sequence[Section], width: int = WIDTH) -> list[str]:
    lines = [title]
    for section in sections:
        lines.extend(["", section.heading])
        for number, item in enumerate(section.items, 1):
            lead = f"  {number}. " if section.numbered else "  "
            lines.extend(textwrap.wrap(item.text, width, initial_indent=lead,
                                       subsequent_indent=" " * len(lead)))  # fmt: skip
            if item.note:
                pad = " " * (len(lead) + 2)
                lines.extend(textwrap.wrap(item.note, width, initial_indent=pad,
                                           subsequent_indent=pad))  # fmt: skip
    return lines


def markdown_lines(title: str, sections: Sequence[Section]) -> list[str]:
    lines = [f"# {_md(title)}"]
    for section in sections:
        lines.extend(["", f"## {_md(section.heading)}", ""])
        for number, item in enumerate(section.items, 1):
            lead = f"{number}. " if section.numbered else "- "
            lines.append(f"{lead}{_md(item.text)}")
            if item.note:
                lines.append(f"{' ' * len(lead)}*{_md(item.note)}*")
    return lines


def _md(text: str) -> str:
    """Text as Markdown shows it as written: the characters it would read as markup are
    escaped."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, f"\\{char}")
    return text
