"""The parsed library, kept between runs: each content file's parse and its problems,
keyed by the file's size, modification time and hash, so only a changed or new file is
parsed again. Stored with ``marshal`` (plain values, never code), in the profile's folder."""

from __future__ import annotations

import marshal
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from drillcoach import __version__
from drillcoach.content.models import (
    CoachingSignal,
    Criterion,
    Drill,
    Pack,
    PackDraft,
    Rubric,
    RubricExample,
    Skill,
    Turn,
)
from drillcoach.errors import MachineError, UserError
from drillcoach.tomlcheck import MAX_FILE_BYTES, Problem, read_file

CACHE_FORMAT = 6  # bump when parsing rules change: older parses are read again
MAX_CACHE_BYTES = 200_000_000

# --- plain values and back (marshal knows tuples, lists, str, int, bool, None)


def _problem(problem: Problem) -> tuple[Any, ...]:
    return (str(problem.file), problem.message, problem.where, problem.key)


def _unproblem(value: Sequence[Any]) -> Problem:
    return Problem(Path(value[0]), value[1], value[2], value[3])


def _skill(skill: Skill) -> tuple[Any, ...]:
    return (skill.id, skill.title, skill.description, skill.rubric)


def _rubric(rubric: Rubric) -> tuple[Any, ...]:
    criteria = tuple(
        (c.id, c.title, c.description, c.anchors, c.live_only) for c in rubric.criteria
    )
    examples = tuple((e.situation, e.answer, e.scores, e.why) for e in rubric.examples)
    return (rubric.id, rubric.title, criteria, rubric.description, examples)


def _unrubric(value: Sequence[Any]) -> Rubric:
    criteria = tuple(Criterion(*criterion) for criterion in value[2])
    examples = tuple(RubricExample(*example) for example in value[4])
    return Rubric(value[0], value[1], criteria, value[3], examples)


def _signal(signal: CoachingSignal) -> tuple[Any, ...]:
    return (signal.id, signal.title, signal.description, signal.questions)


def _drill(drill: Drill) -> tuple[Any, ...]:
    return (
        drill.pack_id, drill.id, drill.kind, drill.skill, drill.title, drill.key_points,
        drill.prompt, drill.persona, drill.situation, drill.model_answer, drill.time_limit,
        drill.rubric, drill.tags, drill.replaces,
        tuple((turn.buyer, turn.model) for turn in drill.turns), drill.word_limit,
    )  # fmt: skip


_DRILL_FIELDS = tuple(field.name for field in fields(Drill))
_TURNS = _DRILL_FIELDS.index("turns")


def _undrill(value: Sequence[Any]) -> Drill:
    """The drill ``_drill`` kept, made as unpickling makes an object: its fields set in
    its ``__dict__``, its uid too, without the frozen ``__init__`` (which sets each field
    through ``object.__setattr__``): each drill in about half the time (1.9 to 0.8 us);
    the values were checked when the file was parsed."""
    values = list(value)
    values[_TURNS] = tuple(Turn(buyer, model) for buyer, model in value[_TURNS])
    drill: Drill = object.__new__(Drill)
    drill.__dict__.update(zip(_DRILL_FIELDS, values, strict=True))
    drill.__dict__["uid"] = f"{value[0]}/{value[1]}"  # the cached property, ready
    return drill


def _draft(draft: PackDraft | None) -> tuple[Any, ...] | None:
    if draft is None:
        return None
    pack = draft.pack
    return (
        (pack.id, pack.title, pack.version, pack.description,
         tuple(_drill(drill) for drill in pack.drills), str(pack.path), pack.origin,
         pack.author, pack.rubric, pack.company, pack.segment, pack.personas),
        [_skill(skill) for skill in draft.skills],
        [_rubric(rubric) for rubric in draft.rubrics],
        draft.ok,
        [tuple(reference) for reference in draft.references],
    )  # fmt: skip


def _undraft(value: Sequence[Any] | None) -> PackDraft | None:
    if value is None:
        return None
    head, skills, rubrics, ok, references = value
    pack = Pack(
        head[0], head[1], head[2], head[3], tuple(_undrill(d) for d in head[4]), Path(head[5]),
        head[6], head[7], head[8], head[9], head[10], head[11],
    )  # fmt: skip
    return PackDraft(
        pack,
        [Skill(*skill) for skill in skills],
        [_unrubric(rubric) for rubric in rubrics],
        ok,
        [(where, key, ident) for where, key, ident in references],
    )


Shared = list[Skill | Rubric | CoachingSignal]


def _shared(found: Shared) -> list[tuple[str, Any]]:
    encoded: list[tuple[str, Any]] = []
    for item in found:
        if isinstance(item, Skill):
            encoded.append(("skill", _skill(item)))
        elif isinstance(item, Rubric):
            encoded.append(("rubric", _rubric(item)))
        else:
            encoded.append(("signal", _signal(item)))
    return encoded


def _unshared(value: Sequence[tuple[str, Any]]) -> Shared:
    decode: dict[str, Callable[[Any], Skill | Rubric | CoachingSignal]] = {
        "skill": lambda v: Skill(*v),
        "rubric": _unrubric,
        "signal": lambda v: CoachingSignal(*v),
    }
    return [decode[kind](item) for kind, item in value]


# --- the cache


class ParseCache:
    """Parses content files, or takes a file's parse from the cache when it is unchanged.
    With no ``location``, nothing is kept (``drillcoach packs validate`` reads afresh)."""

    def __init__(self, location: Path | None = None) -> None:
        self.location = location
        self.entries: dict[str, tuple[Any, ...]] = self._load()
        self.kept: dict[str, tuple[Any, ...]] = {}
        self.parsed = 0  # files parsed this time (the rest came from the cache)

    def _header(self) -> tuple[Any, ...]:
        return (CACHE_FORMAT, __version__, sys.version_info[:2])

    def _load(self) -> dict[str, tuple[Any, ...]]:
        if self.location is None:
            return {}
        try:
            if not self.location.is_file() or self.location.stat().st_size > MAX_CACHE_BYTES:
                return {}
            header, entries = marshal.loads(self.location.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}  # unreadable or from another version: parse afresh
        return entries if header == self._header() and isinstance(entries, dict) else {}

    def _read(
        self,
        path: Path,
        kind: str,
        problems: list[Problem],
        parse: Callable[[bytes, list[Problem]], Any],
        encode: Callable[[Any], Any],
        decode: Callable[[Any], Any],
    ) -> tuple[bool, Any]:
        raw = read_file(path, problems, max_bytes=MAX_FILE_BYTES)
        if raw is None:
            return False, None
        try:
            status = path.stat()
            key = (kind, status.st_size, status.st_mtime_ns, zlib.crc32(raw))
        except OSError:
            key = (kind, len(raw), 0, zlib.crc32(raw))
        entry = self.entries.get(str(path))
        if entry is not None and entry[0] == key:
            problems.extend(_unproblem(problem) for problem in entry[2])
            self.kept[str(path)] = entry
            return True, decode(entry[1])
        found: list[Problem] = []
        result = parse(raw, found)
        problems.extend(found)
        self.parsed += 1
        self.kept[str(path)] = (key, encode(result), [_problem(problem) for problem in found])
        return True, result

    def pack(self, path: Path, origin: str, problems: list[Problem]) -> PackDraft | None:
        from drillcoach.content.parse import parse_pack

        draft: PackDraft | None
        _, draft = self._read(
            path,
            f"pack:{origin}",
            problems,
            lambda raw, found: parse_pack(path, origin, raw, found),
            _draft,
            _undraft,
        )
        return draft

    def shared(self, path: Path, what: str, problems: list[Problem]) -> Shared:
        from drillcoach.content.parse import parse_shared

        def parse(raw: bytes, found: list[Problem]) -> Shared:
            return list(parse_shared(path, raw, what, found))

        found: Shared | None
        _, found = self._read(path, f"shared:{what}", problems, parse, _shared, _unshared)
        return found or []

    def save(self) -> None:
        """Keep what this load used (files that are gone drop out), if anything changed."""
        if self.location is None or (self.kept == self.entries):
            return
        from drillcoach.fileio import write_atomic

        try:
            self.location.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.location, marshal.dumps((self._header(), self.kept)))
        except (OSError, UserError, MachineError):
            pass  # a cache that cannot be written only costs time next start
