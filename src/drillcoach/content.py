"""Packs, drills, skills, rubrics and coaching signals: the models and their TOML loader.

The loader never raises on bad content: it collects one ``Problem`` per mistake (file,
table, key, what was expected) and keeps every pack that has none, so a broken pack
never hides the good ones.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

FORMAT = 1
KINDS = ("objection", "question", "pitch", "roleplay")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_FILE_BYTES = 1_000_000
MAX_DRILLS_PER_PACK = 1000
KEY_POINTS_RANGE = (1, 12)
TURNS_RANGE = (1, 20)
TIME_LIMIT_RANGE = (5, 600)
SCORE_RANGE = (1, 5)

PACK_KEYS = {"id", "title", "version", "description", "author", "rubric"}
DRILL_KEYS = {
    "id", "kind", "skill", "title", "persona", "situation", "prompt", "key_points",
    "model_answer", "time_limit", "rubric", "tags", "replaces", "turn",
}  # fmt: skip
TURN_KEYS = {"buyer", "model"}
SKILL_KEYS = {"id", "title", "description"}
RUBRIC_KEYS = {"id", "title", "description", "criterion"}
CRITERION_KEYS = {"id", "title", "description"}
SIGNAL_KEYS = {"id", "title", "description", "questions"}


# --- models


@dataclass(frozen=True)
class Skill:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    description: str = ""


@dataclass(frozen=True)
class Turn:
    buyer: str
    model: str = ""


@dataclass(frozen=True)
class Drill:
    pack_id: str
    id: str
    kind: str
    skill: str
    title: str
    key_points: tuple[str, ...]
    prompt: str = ""
    persona: str = ""
    situation: str = ""
    model_answer: str = ""
    time_limit: int | None = None
    rubric: str | None = None
    tags: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    turns: tuple[Turn, ...] = ()

    @property
    def uid(self) -> str:
        return f"{self.pack_id}/{self.id}"

    @property
    def is_roleplay(self) -> bool:
        return self.kind == "roleplay"

    def history_uids(self) -> tuple[str, ...]:
        """This drill's uid and the uids it replaces: their history is this drill's."""
        older = (old if "/" in old else f"{self.pack_id}/{old}" for old in self.replaces)
        return (self.uid, *older)


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    version: str
    description: str
    drills: tuple[Drill, ...]
    path: Path
    origin: str = "built-in"
    author: str = ""
    rubric: str | None = None


@dataclass(frozen=True)
class CoachingSignal:
    id: str
    title: str
    description: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One mistake in a content file, worded for the person who has to fix it."""

    file: Path
    message: str
    where: str = ""
    key: str | None = None

    def __str__(self) -> str:
        parts = [str(self.file)]
        if self.where:
            parts.append(self.where)
        if self.key:
            parts.append(f"key '{self.key}'")
        return ": ".join([*parts, self.message])


@dataclass
class Library:
    """Everything loaded: packs that passed validation, shared content, and problems."""

    packs: dict[str, Pack] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    signals: dict[str, CoachingSignal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def drills(self) -> Iterator[Drill]:
        for pack in self.packs.values():
            yield from pack.drills

    def drill(self, uid: str) -> Drill | None:
        pack_id, _, drill_id = uid.partition("/")
        pack = self.packs.get(pack_id)
        if pack is None:
            return None
        return next((d for d in pack.drills if d.id == drill_id), None)

    def rubric_for(self, drill: Drill) -> Rubric | None:
        pack = self.packs.get(drill.pack_id)
        rubric_id = drill.rubric or (pack.rubric if pack else None)
        return self.rubrics.get(rubric_id) if rubric_id else None


# --- reading


def builtin_root() -> Path:
    """Folder holding the built-in ``drills/`` and ``content/``.

    An installed wheel carries them in ``drillcoach/_builtin``; a source checkout (and an
    editable install) has them at the top of the repository.
    """
    packaged = Path(__file__).parent / "_builtin"
    if (packaged / "drills").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        if path.is_dir():
            problems.append(Problem(path, "expected a TOML file, found a folder"))
            return None
        if path.exists() and not path.is_file():  # a pipe or a device: reading could hang
            problems.append(Problem(path, "expected a TOML file, found something else"))
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(path, f"file is {size:,} bytes; expected at most {MAX_FILE_BYTES:,}")
            )
            return None
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path, "file not found"))
        return None
    except OSError as error:
        problems.append(Problem(path, f"cannot read the file ({error.strerror or error})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(path, f"expected UTF-8 text; byte {error.start} is not UTF-8"))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(path, _describe_toml_error(error)))
    except RecursionError:
        problems.append(Problem(path, "invalid TOML: nested too deeply"))
    return None


def _describe_toml_error(error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if found:
        return f"line {found[2]}, column {found[3]}: invalid TOML: {found[1]}"
    found = re.search(r"^(.*) \(at end of document\)$", message)
    if found:
        return f"at the end of the file: invalid TOML: {found[1]}"
    return f"invalid TOML: {message}"


class _Table:
    """Typed access to one TOML table that reports what is missing, wrong or unknown."""

    def __init__(
        self,
        data: Any,
        path: Path,
        where: str,
        allowed: set[str],
        problems: list[Problem],
        label: str | None = None,
    ) -> None:
        self.path = path
        self.where = where
        self.problems = problems
        self.ok = True
        if not isinstance(data, dict):
            self.data: dict[str, Any] = {}
            self.fail(None, f"expected a table, got {_type_name(data)}")
            return
        self.data = data
        ident = data.get("id")
        if label and isinstance(ident, str) and ID_PATTERN.match(ident):
            self.where = f"{label} '{ident}'"  # name the table by its id in every problem
        for key in sorted(data.keys() - allowed):
            self.fail(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def fail(self, key: str | None, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.path, message, self.where, key))

    def text(self, key: str, *, required: bool = False, max_length: int = 10_000) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "missing; expected text")
            return ""
        if not isinstance(value, str):
            self.fail(key, f"expected text, got {_type_name(value)}")
            return ""
        if required and not value.strip():
            self.fail(key, "expected non-empty text")
        if len(value) > max_length:
            self.fail(key, f"text is {len(value):,} characters; expected at most {max_length:,}")
        return value.strip()

    def ident(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "missing; expected an id like 'price-too-high'")
            return ""
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(
                key,
                f"expected an id of lowercase letters, digits and hyphens "
                f"(at most 64, starting with a letter or digit), got {value!r}",
            )
            return ""
        return value

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number from {low} to {high}, got {value!r}")
            return None
        if not low <= value <= high:
            self.fail(key, f"expected a whole number from {low} to {high}, got {value}")
            return None
        return value

    def texts(
        self, key: str, *, required: bool = False, count: tuple[int, int] = (0, 100)
    ) -> tuple[str, ...]:
        value = self.data.get(key)
        low, high = count
        if value is None:
            if required:
                self.fail(key, f"missing; expected a list of {low} to {high} texts")
            return ()
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.fail(key, f"expected a list of {low} to {high} non-empty texts")
            return ()
        if not low <= len(value) <= high:
            self.fail(key, f"expected {low} to {high} items, got {len(value)}")
        return tuple(item.strip() for item in value)

    def idents(self, key: str) -> tuple[str, ...]:
        items = self.texts(key)
        for item in items:
            if not all(ID_PATTERN.match(part) for part in item.split("/", 1)):
                self.fail(key, f"expected ids like 'old-drill' or 'pack/old-drill', got {item!r}")
        return items

    def tables(
        self, key: str, *, count: tuple[int, int] | None = None, parent: str = ""
    ) -> list[Any]:
        """An array of tables; ``parent`` names the enclosing table, as in [[drill.turn]]."""
        header = f"[[{parent}.{key}]]" if parent else f"[[{key}]]"
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"expected an array of tables ({header}), got {_type_name(value)}")
            return []
        if count is not None and not count[0] <= len(value) <= count[1]:
            self.fail(key, f"expected {count[0]} to {count[1]} {header} entries, got {len(value)}")
        return value


def _type_name(value: Any) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false"}
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return names.get(type(value), type(value).__name__)


def _check_format(data: dict[str, Any], path: Path, problems: list[Problem]) -> bool:
    value = data.get("format")
    if value is None:
        problems.append(Problem(path, f"missing; expected format = {FORMAT}", key="format"))
        return False
    if value != FORMAT or isinstance(value, bool):
        problems.append(Problem(path, f"expected {FORMAT}, got {value!r}", key="format"))
        return False
    return True


def _parse_skills(
    raw: list[Any], path: Path, problems: list[Problem], prefix: str = ""
) -> list[Skill]:
    skills = []
    for index, item in enumerate(raw, 1):
        table = _Table(
            item, path, f"{prefix}skill #{index}", SKILL_KEYS, problems, f"{prefix}skill"
        )
        skill_id = table.ident("id", required=True)
        if skill_id:
            table.where = f"{prefix}skill '{skill_id}'"
        title = table.text("title", required=True, max_length=120)
        description = table.text("description", max_length=2000)
        if table.ok:
            skills.append(Skill(skill_id, title, description))
    return skills


def _parse_rubrics(
    raw: list[Any], path: Path, problems: list[Problem], prefix: str = ""
) -> list[Rubric]:
    rubrics = []
    for index, item in enumerate(raw, 1):
        table = _Table(
            item, path, f"{prefix}rubric #{index}", RUBRIC_KEYS, problems, f"{prefix}rubric"
        )
        rubric_id = table.ident("id", required=True)
        if rubric_id:
            table.where = f"{prefix}rubric '{rubric_id}'"
        title = table.text("title", required=True, max_length=120)
        description = table.text("description", max_length=2000)
        criteria: list[Criterion] = []
        seen: set[str] = set()
        for number, entry in enumerate(
            table.tables("criterion", count=(1, 12), parent="rubric"), 1
        ):
            sub = _Table(
                entry,
                path,
                f"{table.where} criterion #{number}",
                CRITERION_KEYS,
                problems,
                f"{table.where} criterion",
            )
            criterion_id = sub.ident("id", required=True)
            if criterion_id:
                sub.where = f"{table.where} criterion '{criterion_id}'"
                if criterion_id in seen:
                    sub.fail("id", "duplicate criterion id in this rubric")
                seen.add(criterion_id)
            criterion_title = sub.text("title", required=True, max_length=120)
            criterion_description = sub.text("description", max_length=2000)
            if sub.ok:
                criteria.append(Criterion(criterion_id, criterion_title, criterion_description))
            else:
                table.ok = False
        if table.ok:
            rubrics.append(Rubric(rubric_id, title, tuple(criteria), description))
    return rubrics


def _parse_signals(raw: list[Any], path: Path, problems: list[Problem]) -> list[CoachingSignal]:
    signals = []
    for index, item in enumerate(raw, 1):
        table = _Table(item, path, f"signal #{index}", SIGNAL_KEYS, problems, "signal")
        signal_id = table.ident("id", required=True)
        if signal_id:
            table.where = f"signal '{signal_id}'"
        title = table.text("title", required=True, max_length=120)
        description = table.text("description", max_length=2000)
        questions = table.texts("questions", required=True, count=(1, 20))
        if table.ok:
            signals.append(CoachingSignal(signal_id, title, description, questions))
    return signals


def _register(
    found: Sequence[Skill | Rubric | CoachingSignal],
    into: dict[str, Any],
    path: Path,
    what: str,
    problems: list[Problem],
) -> None:
    for item in found:
        if item.id in into:
            problems.append(
                Problem(path, f"duplicate {what} id (already defined)", f"{what} '{item.id}'", "id")
            )
        else:
            into[item.id] = item


def load_shared_content(library: Library, folder: Path) -> None:
    """Read content/skills.toml, rubrics.toml and coaching.toml into ``library``."""
    files: list[tuple[str, str, Callable[..., Sequence[Any]], dict[str, Any]]] = [
        ("skills.toml", "skill", _parse_skills, library.skills),
        ("rubrics.toml", "rubric", _parse_rubrics, library.rubrics),
        ("coaching.toml", "signal", _parse_signals, library.signals),
    ]
    for name, what, parse, into in files:
        path = folder / name
        if not path.exists():
            continue
        data = _read_toml(path, library.problems)
        if data is None or not _check_format(data, path, library.problems):
            continue
        top = _Table(data, path, "", {"format", what}, library.problems)
        found = parse(top.tables(what), path, library.problems)
        _register(found, into, path, what, library.problems)


@dataclass
class _PackDraft:
    """A pack that parsed on its own; references are checked once every file is read."""

    pack: Pack
    skills: list[Skill]
    rubrics: list[Rubric]
    ok: bool
    # (table, key, id) of every skill and rubric its drills name, the broken drills'
    # included, so validation reports an unknown skill next to a typo in the same drill
    references: list[tuple[str, str, str]]


def _parse_pack(path: Path, origin: str, problems: list[Problem]) -> _PackDraft | None:
    data = _read_toml(path, problems)
    if data is None:
        return None
    before = len(problems)
    _check_format(data, path, problems)
    top = _Table(data, path, "", {"format", "pack", "drill", "skill", "rubric"}, problems)
    if "pack" not in data:
        problems.append(Problem(path, "missing the [pack] table", key="pack"))
        return None
    head = _Table(data["pack"], path, "[pack]", PACK_KEYS, problems)
    pack_id = head.ident("id", required=True)
    title = head.text("title", required=True, max_length=120)
    version = head.text("version", required=True, max_length=60)
    description = head.text("description", required=True, max_length=2000)
    author = head.text("author", max_length=120)
    pack_rubric = head.ident("rubric") or None
    own_skills = _parse_skills(top.tables("skill"), path, problems, "pack ")
    own_rubrics = _parse_rubrics(top.tables("rubric"), path, problems, "pack ")

    drills: list[Drill] = []
    references: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    raw_drills = top.tables("drill", count=(1, MAX_DRILLS_PER_PACK))
    for index, item in enumerate(raw_drills, 1):
        drill = _parse_drill(item, index, pack_id, path, problems, references)
        if drill is None:
            continue
        if drill.id in seen:
            problems.append(
                Problem(path, "duplicate drill id in this pack", f"drill '{drill.id}'", "id")
            )
            continue
        seen.add(drill.id)
        drills.append(drill)
    claimed: dict[str, str] = {}  # old uid -> the drill of this pack that replaces it
    for drill in drills:
        for old in drill.replaces:
            old_pack, _, old_id = old.rpartition("/")
            if old_pack in ("", pack_id) and old_id in seen:
                problems.append(
                    Problem(
                        path,
                        f"'{old}' is still a drill of this pack; replace only removed drills",
                        f"drill '{drill.id}'",
                        "replaces",
                    )
                )
        for old_uid in drill.history_uids()[1:]:
            if claimed.setdefault(old_uid, drill.uid) != drill.uid:
                problems.append(
                    Problem(
                        path,
                        f"'{old_uid}' is already replaced by {claimed[old_uid]}",
                        f"drill '{drill.id}'",
                        "replaces",
                    )
                )
    pack = Pack(
        id=pack_id,
        title=title,
        version=version,
        description=description,
        drills=tuple(drills),
        path=path,
        origin=origin,
        author=author,
        rubric=pack_rubric,
    )
    return _PackDraft(pack, own_skills, own_rubrics, len(problems) == before, references)


def _parse_drill(
    item: Any,
    index: int,
    pack_id: str,
    path: Path,
    problems: list[Problem],
    references: list[tuple[str, str, str]],
) -> Drill | None:
    table = _Table(item, path, f"drill #{index}", DRILL_KEYS, problems, "drill")
    drill_id = table.ident("id", required=True)
    if drill_id:
        table.where = f"drill '{drill_id}'"
    kind = table.data.get("kind")
    if kind is None:
        table.fail("kind", f"missing; expected one of {', '.join(KINDS)}")
    elif kind not in KINDS:
        table.fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    skill = table.ident("skill", required=True)
    title = table.text("title", required=True, max_length=120)
    persona = table.text("persona", max_length=500)
    situation = table.text("situation", max_length=2000)
    key_points = table.texts("key_points", required=True, count=KEY_POINTS_RANGE)
    model_answer = table.text("model_answer", max_length=8000)
    time_limit = table.integer("time_limit", *TIME_LIMIT_RANGE)
    rubric = table.ident("rubric") or None
    references.extend((table.where, key, value) for key, value in (("skill", skill),
                      ("rubric", rubric)) if value)  # fmt: skip
    tags = table.texts("tags", count=(0, 20))
    replaces = table.idents("replaces")
    turns: list[Turn] = []
    prompt = ""
    if kind == "roleplay":
        if "prompt" in table.data:
            table.fail("prompt", "a roleplay has no prompt; its buyer lines go in [[drill.turn]]")
        for number, entry in enumerate(table.tables("turn", count=TURNS_RANGE, parent="drill"), 1):
            sub = _Table(entry, path, f"{table.where} turn #{number}", TURN_KEYS, problems)
            buyer = sub.text("buyer", required=True, max_length=2000)
            model = sub.text("model", max_length=4000)
            if sub.ok:
                turns.append(Turn(buyer, model))
            else:
                table.ok = False
    else:
        prompt = table.text("prompt", required=kind is not None, max_length=2000)
        if "turn" in table.data:
            table.fail("turn", "only a drill of kind 'roleplay' has [[drill.turn]] entries")
    if not table.ok:
        return None
    return Drill(
        pack_id=pack_id,
        id=drill_id,
        kind=str(kind),
        skill=skill,
        title=title,
        key_points=key_points,
        prompt=prompt,
        persona=persona,
        situation=situation,
        model_answer=model_answer,
        time_limit=time_limit,
        rubric=rubric,
        tags=tags,
        replaces=replaces,
        turns=tuple(turns),
    )


def pack_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of a pack folder, in a stable order."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml")
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return []


def add_packs(library: Library, files: Iterable[tuple[Path, str]]) -> None:
    """Parse pack files, check their references against ``library`` and keep the good ones."""
    drafts = [
        draft
        for path, origin in files
        if (draft := _parse_pack(path, origin, library.problems)) is not None
    ]
    for draft in drafts:
        before = len(library.problems)
        _register(draft.skills, library.skills, draft.pack.path, "skill", library.problems)
        _register(draft.rubrics, library.rubrics, draft.pack.path, "rubric", library.problems)
        draft.ok = draft.ok and len(library.problems) == before
    claimed: dict[str, str] = {
        old: drill.uid for pack in library.packs.values() for drill in pack.drills
        for old in drill.history_uids()[1:]
    }  # fmt: skip
    present: dict[str, str] = {
        drill.uid: pack.id
        for pack in [*library.packs.values(), *(d.pack for d in drafts if d.ok)]
        for drill in pack.drills
    }  # a drill that still exists in another pack cannot be replaced
    for draft in drafts:
        pack = draft.pack
        problems = library.problems
        before = len(problems)
        if pack.id in library.packs:
            other = library.packs[pack.id].path
            problems.append(
                Problem(
                    pack.path, f"duplicate pack id (already loaded from {other})", "[pack]", "id"
                )
            )
        if pack.rubric and pack.rubric not in library.rubrics:
            problems.append(
                Problem(
                    pack.path, _unknown("rubric", pack.rubric, library.rubrics), "[pack]", "rubric"
                )
            )
        for where, key, value in draft.references:
            known: dict[str, Any] = library.skills if key == "skill" else library.rubrics
            if value not in known:
                problems.append(Problem(pack.path, _unknown(key, value, known), where, key))
        for drill in pack.drills:
            where = f"drill '{drill.id}'"
            for old in drill.history_uids()[1:]:
                if old in present and present[old] != pack.id:
                    message = (
                        f"'{old}' is still a drill of pack '{present[old]}'; "
                        "replace only removed drills"
                    )
                    problems.append(Problem(pack.path, message, where, "replaces"))
                elif old in claimed and claimed[old] != drill.uid:
                    message = f"'{old}' is already replaced by {claimed[old]}"
                    problems.append(Problem(pack.path, message, where, "replaces"))
        if draft.ok and len(problems) == before:
            library.packs[pack.id] = pack
            for drill in pack.drills:
                claimed.update({old: drill.uid for old in drill.history_uids()[1:]})


def _unknown(what: str, value: str, known: dict[str, Any]) -> str:
    names = ", ".join(sorted(known)) or "none defined"
    return f"unknown {what} '{value}' (known: {names})"


def load_library(
    pack_sources: Sequence[tuple[Path, str]],
    shared_content: Path | None = None,
) -> Library:
    """Load shared content and every pack in ``pack_sources`` (folder, origin) in order."""
    library = Library()
    load_shared_content(library, shared_content or builtin_root() / "content")
    files: list[tuple[Path, str]] = []
    for folder, origin in pack_sources:
        files.extend((path, origin) for path in pack_files(folder))
    add_packs(library, files)
    return library


def validate_files(paths: Sequence[Path], shared_content: Path | None = None) -> Library:
    """Check the given pack files and folders together against the built-in shared content."""
    library = Library()
    load_shared_content(library, shared_content or builtin_root() / "content")
    files: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            found = pack_files(path)
            if not found:
                library.problems.append(Problem(path, "no *.toml pack files in this folder"))
            files.extend((item, "folder") for item in found)
        else:
            files.append((path, "folder"))
    add_packs(library, files)
    return library


def skeleton_pack(pack_id: str, title: str, skill: str) -> str:
    """A small valid pack an author can start from, written with tomli-w."""
    document = {
        "format": FORMAT,
        "pack": {
            "id": pack_id,
            "title": title,
            "version": "1",
            "description": f"{title}: describe who this pack is for and what it trains.",
            "rubric": "laer",
        },
        "drill": [
            {
                "id": "first-objection",
                "kind": "objection",
                "skill": skill,
                "title": "Write the objection as a short title",
                "persona": "Who says it: role, company size, what they care about",
                "situation": "Where in the deal this comes up",
                "prompt": "The buyer's exact words, as you hear them on calls.",
                "key_points": [
                    "Acknowledges the concern before answering",
                    "Asks one question to understand what is behind it",
                    "Confirms the answer landed before moving on",
                ],
                "model_answer": "What a top rep would actually say, in two to five sentences.",
                "time_limit": 45,
                "tags": ["example"],
            },
            {
                "id": "first-roleplay",
                "kind": "roleplay",
                "skill": skill,
                "title": "A short conversation to practise",
                "persona": "Who the rep is talking to",
                "key_points": ["States the reason for the call in one sentence"],
                "time_limit": 180,
                "turn": [
                    {"buyer": "The buyer's opening line.", "model": "A model reply."},
                    {"buyer": "The buyer's next line.", "model": "A model reply."},
                ],
            },
        ],
    }
    return tomli_w.dumps(document, multiline_strings=True)
