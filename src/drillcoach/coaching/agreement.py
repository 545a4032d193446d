"""The coaching agreement: the skills where the rep wants detailed feedback, how they want
it (after every role-play, weekly, on joint calls) and the line of their vision each one
serves. It is the line between being coached and being micro-managed: feedback inside it
is the detail the rep asked for; outside it, the manager asks first. Each edit (or a
review that keeps it) is a new Agreement event; it is due for a review each quarter."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from drillcoach.coaching.vision import (
    HORIZONS,
    FormError,
    day_words,
    horizon_lines,
    labelled,
    parse_form,
    versions_lines,
)
from drillcoach.content.models import Skill
from drillcoach.events import FEEDBACK_WAYS, MAX_NOTE, Agreement, CoachingArea, Vision
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.text import clip, first_name, skill_title
from drillcoach.tomlcheck import type_name

REVIEW_AFTER_DAYS = 90  # a quarter
WAY_WORDS = {"every-roleplay": "after every role-play", "weekly": "weekly",
             "joint-calls": "on joint calls"}  # fmt: skip
AREA_KEYS = ("ways", "vision")
NO_AGREEMENT = "No coaching agreement yet: press v, then a, to say where you want coaching."
AREAS_EXPECTED = "name at least one skill where you want detailed feedback"


class AreaError(FormError):
    """A mistake in one area of the agreement: ``skill`` says which."""

    def __init__(self, skill: str, key: str, expected: str) -> None:
        super().__init__(key, expected, where=f"[areas.{skill}] key {key!r}")
        self.skill = skill


# --- reading the store


def current_agreement(store: Store, rep: str) -> Agreement | None:
    return store.latest_coaching(rep, Agreement)


def agreement_history(store: Store, rep: str) -> list[Agreement]:
    """Every version, oldest first."""
    return store.coaching(rep, Agreement)


# --- checks


def vision_line(text: str, vision: Vision | None) -> str:
    """The line of the vision an area serves: '2', '3' or '5' is that line of the rep's
    vision, anything else is taken as written; ValueError when it says nothing."""
    stripped = text.strip()
    for key, years in HORIZONS:
        if stripped == str(years):
            line: str = getattr(vision, key) if vision is not None else ""
            if not line:
                raise ValueError(f"your vision has no {years}-year line yet; write the line "
                                 "it serves in your own words")  # fmt: skip
            return line
    if not stripped:
        raise ValueError("say which line of your vision it serves: 2, 3, 5 or your own words")
    if len(stripped) > MAX_NOTE:
        raise ValueError(f"expected at most {MAX_NOTE:,} characters, got {len(stripped):,}")
    return stripped


def _ways(value: object) -> tuple[Any, ...]:
    known = ", ".join(f"'{way}' ({WAY_WORDS[way]})" if WAY_WORDS[way] != way else f"'{way}'"
                      for way in FEEDBACK_WAYS)  # fmt: skip
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"say how you want feedback: one or more of {known}")
    for way in value:
        if way not in FEEDBACK_WAYS:
            raise ValueError(f"expected one or more of {known}, got {way!r}")
    return tuple(way for way in FEEDBACK_WAYS if way in value)


def ways_from_text(text: str) -> tuple[Any, ...]:
    """'weekly, joint-calls' as ways, in their usual order; ValueError naming the known."""
    return _ways([part.strip() for part in text.split(",") if part.strip()])


def make_area(
    skill: str,
    values: Mapping[str, object],
    *,
    skills: Mapping[str, Skill],
    vision: Vision | None,
) -> CoachingArea:
    """One area from its table (``ways``, ``vision``); an AreaError naming the key."""
    if skill not in skills:
        raise AreaError(skill, "skill", f"no skill '{skill}' (known: {', '.join(skills)})")
    if not isinstance(values, Mapping):
        raise AreaError(skill, "ways", f"expected a table with ways and vision, got "
                        f"{type_name(values)}")  # fmt: skip
    unknown = sorted(set(values) - set(AREA_KEYS))
    if unknown:
        raise AreaError(skill, unknown[0], "unknown; expected ways and vision")
    try:
        ways = _ways(values.get("ways"))
    except ValueError as error:
        raise AreaError(skill, "ways", str(error)) from None
    line = values.get("vision", "")
    if not isinstance(line, str):
        raise AreaError(skill, "vision", f"expected text, got {type_name(line)}")
    try:
        return CoachingArea(skill=skill, ways=ways, vision=vision_line(line, vision))
    except ValueError as error:
        raise AreaError(skill, "vision", str(error)) from None


def make_agreement(
    rep: str,
    at: datetime,
    areas: Mapping[str, Mapping[str, object]],
    note: object = "",
    *,
    skills: Mapping[str, Skill],
    vision: Vision | None,
) -> Agreement:
    """A new version of the agreement: skill -> its ways and vision line, and a note; a
    FormError naming the first key that is wrong."""
    if not isinstance(areas, Mapping):
        raise FormError("areas", f"expected a table per skill, like [areas.closing], got "
                        f"{type_name(areas)}")  # fmt: skip
    if not areas:
        raise FormError("areas", f"{AREAS_EXPECTED}, like [areas.closing]")
    made = tuple(
        make_area(skill, values, skills=skills, vision=vision) for skill, values in areas.items()
    )
    if not isinstance(note, str):
        raise FormError("note", f"expected text, got {type_name(note)}")
    if len(note.strip()) > MAX_NOTE:
        raise FormError("note", f"expected at most {MAX_NOTE:,} characters, got "
                        f"{len(note.strip()):,}")  # fmt: skip
    return Agreement(by=rep, at=at, areas=made, note=note.strip())


def same_agreement(one: Agreement | None, other: Agreement | None) -> bool:
    if one is None or other is None:
        return one is other
    return (one.areas, one.note) == (other.areas, other.note)


# --- the TOML form ($EDITOR)


def _header(skills: Mapping[str, Skill], vision: Vision | None) -> str:
    lines = [
        "# Your coaching agreement: the skills where you want detailed feedback from",
        "# your manager, how you want it, and the line of your vision each one serves.",
        "# Feedback inside it is the detail you asked for; outside it, your manager asks",
        "# you first.",
        "#",
        "# One table per skill, like:",
        "#   [areas.closing]",
        '#   ways = ["weekly", "joint-calls"]',
        '#   vision = "2"',
    ]
    known = textwrap.wrap(", ".join(skills), 74, initial_indent="skills: ",
                          subsequent_indent="  ", break_on_hyphens=False)  # fmt: skip
    lines.extend(f"# {line}" for line in known)
    lines.append('# ways: one or more of "every-roleplay" (after every role-play), "weekly",')
    lines.append('#   "joint-calls" (on joint calls)')
    lines.append('# vision: "2", "3" or "5" takes that line of your vision; or write your own.')
    lines.extend(f"#   {clip(line, 74)}" for line in horizon_lines(vision))
    lines.append("# note: anything else about how you like your feedback (optional).")
    lines.append("# Save and close to keep it as a new version. Close it unchanged, or empty")
    lines.append("# the file, to change nothing.")
    return "\n".join(lines) + "\n"


def agreement_toml(
    agreement: Agreement | None, *, skills: Mapping[str, Skill], vision: Vision | None
) -> str:
    """The form to edit: what each key takes, then the current version (or no areas)."""
    import tomli_w

    areas = {
        area.skill: {"ways": list(area.ways), "vision": area.vision}
        for area in (agreement.areas if agreement is not None else ())
    }
    note = agreement.note if agreement is not None else ""
    body = tomli_w.dumps({"note": note, "areas": areas}, multiline_strings=True)
    return _header(skills, vision) + "\n" + body


def parse_agreement_toml(
    text: str, rep: str, at: datetime, *, skills: Mapping[str, Skill], vision: Vision | None
) -> Agreement:
    """The form as saved, as a new version; a UserError naming the key (or the line)."""
    data = parse_form(text)
    unknown = sorted(set(data) - {"note", "areas"})
    if unknown:
        raise FormError(unknown[0], "unknown; expected note and [areas.SKILL] tables")
    return make_agreement(rep, at, data.get("areas", {}), data.get("note", ""),
                          skills=skills, vision=vision)  # fmt: skip


# --- what feedback on a skill is, against the agreement


def area_for(agreement: Agreement | None, skill: str) -> CoachingArea | None:
    """The agreed area of ``skill``, or None when feedback on it is outside the agreement."""
    if agreement is None:
        return None
    return next((area for area in agreement.areas if area.skill == skill), None)


def ways_words(ways: Sequence[str]) -> str:
    """'after every role-play, weekly and on joint calls'."""
    words = [WAY_WORDS.get(way, way) for way in ways]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def in_sentence(title: str) -> str:
    """A skill's title inside a sentence: 'Objection handling' -> 'objection handling'
    (an acronym like 'MEDDPICC' stays as written)."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def feedback_fit(
    agreement: Agreement | None,
    skill: str,
    rep: str = "the rep",
    *,
    skill_title: str | None = None,
    width: int = 78,
) -> str:
    """One line for a piece of feedback on ``skill``: the agreed area it serves, or that
    it is outside the agreement (or there is none) so the manager asks ``rep`` first."""
    name = in_sentence(skill_title or skill.replace("-", " "))
    if agreement is None:
        return f"No coaching agreement shared yet: ask {rep} before going into detail on {name}"
    area = area_for(agreement, skill)
    if area is None:
        return f"Outside the coaching agreement: ask {rep} before going into detail on {name}"
    line = f"Agreed: {name}, {ways_words(area.ways)}"
    room = width - len(line) - len(" - serves ''")
    if area.vision and room >= 12:
        line += f" - serves '{clip(area.vision, room)}'"
    return line


def rating_fit(
    store: Store, rep: str, rep_name: str, skill: str, skills: Mapping[str, Skill]
) -> tuple[str, bool]:
    """A manager's rating of ``skill`` against the agreement the rep shares with them now:
    the line to show, and whether it is inside the agreement."""
    from drillcoach.coaching.view import seen_agreement, shared_view

    agreement = seen_agreement(store, rep, shared_view(store, rep))
    line = feedback_fit(
        agreement, skill, first_name(rep_name), skill_title=skill_title(skills, skill)
    )
    return line, area_for(agreement, skill) is not None


def agreed_days_ago(agreement: Agreement, today: date, days: Days) -> int:
    """Drilling days since the agreement was made or last reviewed (``today`` is a
    drilling day of ``days``): from REVIEW_AFTER_DAYS on, it is due for a review."""
    return (today - days.day_of(agreement.at)).days


def review_due(agreement: Agreement | None, today: date, days: Days | None = None) -> str | None:
    """Today's reminder: none yet (an invitation), or one agreed a quarter ago or more
    (review it); None while it is fresh. ``days`` gives the agreement's drilling day (by
    default its UTC date: a day's difference in 90 does not matter)."""
    if agreement is None:
        return NO_AGREEMENT
    if days is None:
        age, on = (today - agreement.at.date()).days, agreement.at.date()
    else:
        age, on = agreed_days_ago(agreement, today, days), days.date_of(agreement.at)
    if age < REVIEW_AFTER_DAYS:
        return None
    return f"Coaching agreement from {day_words(on)}: still right? Review it - v, then a."


# --- words


def area_lines(area: CoachingArea, skills: Mapping[str, Skill], *, width: int = 78) -> list[str]:
    """'Closing         after every role-play and weekly' and what it serves under it."""
    lines = labelled(skill_title(skills, area.skill), ways_words(area.ways), width)
    if area.vision:
        lines.extend(labelled("", f"serves '{area.vision}'", width))
    return lines


def agreement_lines(
    agreement: Agreement, skills: Mapping[str, Skill], *, width: int = 78
) -> list[str]:
    """The agreement in plain text: each area, then the note."""
    lines: list[str] = []
    for area in agreement.areas:
        lines.extend(area_lines(area, skills, width=width))
    if agreement.note:
        lines.extend(labelled("Note", agreement.note, width))
    return lines


def agreement_changes(
    before: Agreement, after: Agreement, skills: Mapping[str, Skill], *, width: int = 78
) -> list[str]:
    """What one version changed from the one before, a line each."""
    old = {area.skill: area for area in before.areas}
    new = {area.skill: area for area in after.areas}
    lines: list[str] = []
    for skill, area in new.items():
        title = skill_title(skills, skill)
        was = old.get(skill)
        if was is None:
            lines.append(_serves(f"Added {title}: {ways_words(area.ways)}, serves ", area, width))
            continue
        if was.ways != area.ways:
            lines.append(f"{title}: now {ways_words(area.ways)} (was {ways_words(was.ways)})")
        if was.vision != area.vision:
            lines.append(_serves(f"{title}: now serves ", area, width))
    lines.extend(f"Dropped {skill_title(skills, skill)}" for skill in old if skill not in new)
    if before.note != after.note:
        lines.append("Note rewritten" if after.note else "Note taken out")
    return lines


def _serves(head: str, area: CoachingArea, width: int) -> str:
    """``head`` and the area's vision line, quoted and cut to fit ``width``."""
    return f"{head}'{clip(area.vision, max(width - len(head) - 2, 12))}'"


def agreement_history_lines(
    versions: Sequence[Agreement], skills: Mapping[str, Skill], days: Days, *, width: int = 78
) -> list[str]:
    """Every version, newest first, with its date and what it changed."""
    if not versions:
        return ["No coaching agreement yet."]

    def first(agreement: Agreement) -> list[str]:
        titles = ", ".join(skill_title(skills, area.skill) for area in agreement.areas)
        return [clip(f"The first: {titles}", width - 2)]

    return versions_lines(
        versions,
        days,
        first=first,
        changed=lambda before, after: agreement_changes(before, after, skills, width=width - 2),
        unchanged="Reviewed: kept as it was",
    )
