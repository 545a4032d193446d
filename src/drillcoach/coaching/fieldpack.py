"""The rep's field pack: objections heard on their own calls, in the buyer's words, made
into drills of ``field-<member>``, a real pack file in the rep's packs folder (checked as
``packs validate`` checks it before a byte is written); or, when an objection is a drill
the rep has already (closest.py), that drill brought forward to today."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillcoach.coaching.debrief_text import CALL_TYPE_WORDS
from drillcoach.content import FORMAT, Drill, Library
from drillcoach.content.library import check_pack
from drillcoach.content.models import KEY_POINTS_RANGE, MAX_DRILLS_PER_PACK
from drillcoach.errors import UserError
from drillcoach.events import Debrief, DrillAction
from drillcoach.fileio import make_folder, write_atomic
from drillcoach.scheduling.queue import field_pack_id
from drillcoach.tomlcheck import Problem, parse_toml, read_file

if TYPE_CHECKING:
    from drillcoach.services import Services

MAX_PROMPT = 2000  # content/parse.py: a drill's prompt
MAX_ANSWER = 8000  # and its model answer
MAX_KEY_POINT = 300
TITLE_WORDS = 60  # characters of the buyer's words a field drill's title keeps
_WORD = re.compile(r"[a-z0-9]+")


# --- the field pack


@dataclass(frozen=True)
class FieldDrill:
    """A drill written into the rep's field pack, where, and whether the pack is new."""

    drill: Drill
    path: Path
    new_pack: bool


def field_pack_path(packs_dir: Path, member: str) -> Path:
    return packs_dir / f"{field_pack_id(member)}.toml"


def drill_id_for(words: str, taken: set[str]) -> str:
    """An id from the buyer's words: up to five of them, then a number that makes it
    unique in the pack ('too-expensive-for-us-1')."""
    slug = "-".join(_WORD.findall(words.lower().replace("\u2019", "").replace("'", ""))[:5])
    slug = slug[:50].strip("-") or "objection"
    number = 1
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def short_title(words: str) -> str:
    """The buyer's words as a drill title: whole if short, else cut at a word."""
    text = " ".join(words.split())
    if len(text) <= TITLE_WORDS:
        return text
    cut = text[:TITLE_WORDS].rsplit(" ", 1)[0]
    return f"{cut.rstrip(',.;:!?')}..."


def _pack_table(member: str, name: str, now: datetime) -> dict[str, Any]:
    who = name or member
    return {
        "id": field_pack_id(member),
        "title": f"{who}'s field objections"[:120],
        "version": now.date().isoformat(),
        "description": (
            f"Objections {who} heard on real calls, in the buyer's own words, turned into "
            "drills from call debriefs."
        ),
        "author": who[:120],
    }


def _drill_table(
    library: Library,
    drill_id: str,
    objection: str,
    debrief: Debrief | None,
    key_points: Sequence[str],
    answer: str,
    copy_from: Drill | None,
    skill: str | None,
) -> dict[str, Any]:
    skill = skill or (copy_from.skill if copy_from else "objection-handling")
    if skill not in library.skills:
        raise UserError(f"--skill: no skill '{skill}' (known: {', '.join(library.skills)})")
    table: dict[str, Any] = {
        "id": drill_id,
        "kind": "objection",
        "skill": skill,
        "title": short_title(objection),
    }  # in the order of the built-in packs, so the file reads like one
    if debrief is not None:
        table["persona"] = f"The buyer at {debrief.account}"[:500]
        call = f"a {CALL_TYPE_WORDS[debrief.call_type]}"
        when = debrief.call_date.isoformat()
        table["situation"] = f"Heard on {call} with {debrief.account} on {when}."[:2000]
    table["prompt"] = objection
    table["key_points"] = list(key_points)
    if answer:
        table["model_answer"] = answer
    if copy_from is not None and copy_from.time_limit:
        table["time_limit"] = copy_from.time_limit
    rubric = library.skills[skill].rubric
    if rubric and rubric in library.rubrics:
        table["rubric"] = rubric  # so a manager can rate the rep on it
    table["tags"] = ["field"]
    return table


def _checked_key_points(key_points: Sequence[str], copy_from: Drill | None) -> list[str]:
    points = [" ".join(point.split()) for point in key_points if point.strip()]
    if not points and copy_from is not None:
        points = list(copy_from.key_points)
    low, high = KEY_POINTS_RANGE
    if not points:
        raise UserError("--key-point: write at least one key point (what a good answer "
                        "does), or copy them from a drill with --copy")  # fmt: skip
    if len(points) > high:
        raise UserError(f"--key-point: {len(points)} key points; a drill has {low} to {high}")
    long = next((point for point in points if len(point) > MAX_KEY_POINT), None)
    if long is not None:
        raise UserError(f"--key-point: {len(long)} characters; keep each to {MAX_KEY_POINT}")
    return points


def _read_pack(path: Path) -> dict[str, Any]:
    """The field pack file as written so far (to add to it and write it whole)."""
    problems: list[Problem] = []
    raw = read_file(path, problems)
    data = parse_toml(path, raw, problems) if raw is not None else None
    if (
        data is None
        or not isinstance(data.get("drill"), list)
        or not isinstance(data.get("pack"), dict)
    ):
        reason = str(problems[0]) if problems else f"{path}: no [pack] table or no [[drill]]"
        raise UserError(f"{reason} (fix it, or move it away, then try again)")
    return data


def write_field_drill(
    library: Library,
    packs_dir: Path,
    member: str,
    name: str,
    objection: str,
    *,
    now: datetime,
    key_points: Sequence[str] = (),
    answer: str = "",
    copy_from: Drill | None = None,
    skill: str | None = None,
    debrief: Debrief | None = None,
) -> FieldDrill:
    """Add one drill to the rep's field pack file (made on the first drill): re-read,
    add, checked beside every loaded pack as ``packs validate`` would, written whole
    through the atomic-write helper. Key points and the answer are the rep's, or those
    of ``copy_from`` where the rep gave none. A UserError says why nothing was written."""
    objection = " ".join(objection.split())
    if not objection:
        raise UserError("objection: empty; write what the buyer said")
    if len(objection) > MAX_PROMPT:
        raise UserError(f"objection: {len(objection):,} characters; at most {MAX_PROMPT:,}")
    points = _checked_key_points(key_points, copy_from)
    answer = answer.strip() or (copy_from.model_answer if copy_from else "")
    if len(answer) > MAX_ANSWER:
        raise UserError(f"--answer: {len(answer):,} characters; at most {MAX_ANSWER:,}")
    path = field_pack_path(packs_dir, member)
    pack_id = field_pack_id(member)
    new_pack = not path.exists()
    if new_pack:
        document: dict[str, Any] = {"format": FORMAT, "pack": _pack_table(member, name, now),
                                    "drill": []}  # fmt: skip
    else:
        document = _read_pack(path)
        document["pack"]["version"] = now.date().isoformat()
    drills: list[dict[str, Any]] = document["drill"]
    if len(drills) >= MAX_DRILLS_PER_PACK:
        raise UserError(f"{path}: holds {len(drills)} drills, the most a pack can")
    taken = {str(table.get("id")) for table in drills if isinstance(table, dict)}
    drill_id = drill_id_for(objection, taken)
    drills.append(_drill_table(library, drill_id, objection, debrief, points, answer,
                               copy_from, skill))  # fmt: skip
    import tomli_w

    data = tomli_w.dumps(document, multiline_strings=True).encode("utf-8")
    others = Library(
        packs={key: pack for key, pack in library.packs.items() if key != pack_id},
        skills=library.skills,
        rubrics=library.rubrics,
        signals=library.signals,
    )
    problems = check_pack(others, path, data)
    if problems:
        raise UserError(f"{problems[0]} (nothing was written)")
    make_folder(path.parent)
    write_atomic(path, data)
    added = drills[-1]
    drill = Drill(pack_id, drill_id, "objection", added["skill"], added["title"], tuple(points),
                  prompt=objection, model_answer=answer)  # fmt: skip
    return FieldDrill(drill, path, new_pack)


def drill_from_objection(
    services: Services,
    objection: str,
    *,
    key_points: Sequence[str] = (),
    answer: str = "",
    copy_from: Drill | None = None,
    skill: str | None = None,
    debrief: Debrief | None = None,
) -> FieldDrill:
    """Write the drill into my field pack, load the library again so it is in the queue
    (the field pack turned on when its first drill is written), and return the drill as
    loaded: it comes first among my new drills (scheduling/queue.py)."""
    config = services.config
    written = write_field_drill(
        services.library, services.paths.packs_dir, config.member, config.name, objection,
        now=services.clock(), key_points=key_points, answer=answer, copy_from=copy_from,
        skill=skill, debrief=debrief,
    )  # fmt: skip
    library = services.reload_library()
    loaded = library.drill(written.drill.uid)
    if loaded is None:  # written, yet not loaded: the loader says why
        problem = next((p for p in library.problems if p.file == written.path), None)
        raise UserError(f"{problem or written.path}: written but not loaded "
                        "(run 'drillcoach packs validate')")  # fmt: skip
    if written.new_pack and loaded.pack_id in services.prefs.disabled_packs():
        services.prefs.set_pack_enabled(loaded.pack_id, True)
    return FieldDrill(loaded, written.path, written.new_pack)


def bring_forward(services: Services, drill: Drill) -> DrillAction:
    """Put a drill first in today's queue until it is rated (committed before this
    returns)."""
    return services.scheduler.forward(drill)


def forward_line(drill: Drill) -> str:
    return f'"{drill.title}" is first in today\'s queue until you drill it.'


def drill_written_line(field: FieldDrill) -> str:
    where = "your new field pack" if field.new_pack else "your field pack"
    return (f'New drill in {where}: "{field.drill.title}" ({field.drill.uid}). It comes '
            "first among your new drills.")  # fmt: skip
