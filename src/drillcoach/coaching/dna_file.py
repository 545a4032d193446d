"""The sales DNA self-assessment's file (content/dna.toml): its constructs and statements,
read strictly (every mistake a Problem naming the file, table and key) and checked against
the loaded packs and skills."""

from __future__ import annotations

import functools
import typing
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias, cast

from drillcoach.errors import UserError
from drillcoach.tomlcheck import ID_PATTERN, Problem, Table, check_format, number, read_toml

if TYPE_CHECKING:
    from drillcoach.content import Library

DNA_FILE = "dna.toml"
FORMAT = 1
LOWEST, HIGHEST = 1, 5  # the answer scale, and a construct's strength
STATEMENTS_RANGE = (12, 20)
CONSTRUCTS_RANGE = (1, 12)
TITLE_WIDTH = 26  # a construct's title, in the column beside its bar
MAX_RECOMMENDED = 6  # packs, and skills, one construct names
# what the DNA screen shows of the highlighted construct fits 80x24: four lines of what a
# weak score means, two of where the idea comes from
MAX_WHEN_WEAK = 300
MAX_SOURCE = 140

Agreeing: TypeAlias = Literal["strength", "weakness"]
AGREEING: tuple[Agreeing, ...] = typing.get_args(Agreeing)

DNA_KEYS = {"format", "dna", "construct", "statement"}
HEAD_KEYS = {"title", "intro", "weak_below", "focus_areas"}
CONSTRUCT_KEYS = {"id", "title", "source", "when_weak", "packs", "skills"}
STATEMENT_KEYS = {"id", "construct", "text", "agreeing"}


@dataclass(frozen=True)
class Construct:
    """One habit of mind the check measures, where the idea comes from, what a weak score
    looks like on a call, and the packs and skills that train it."""

    id: str
    title: str
    source: str
    when_weak: str
    packs: tuple[str, ...]
    skills: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """One first-person statement the rep agrees or disagrees with, 1 to 5."""

    id: str
    construct: str
    text: str
    agreeing: Agreeing

    def strength(self, answer: int) -> int:
        """The answer as a strength: agreeing with a weakness counts the other way."""
        return answer if self.agreeing == "strength" else LOWEST + HIGHEST - answer


@dataclass(frozen=True)
class Dna:
    """The whole self-assessment, as the file says it."""

    path: Path
    title: str
    intro: str
    weak_below: float
    focus_areas: int  # how many of the weakest constructs recommend packs and skills at once
    constructs: tuple[Construct, ...]
    statements: tuple[Statement, ...]

    def construct(self, construct_id: str) -> Construct | None:
        return next((c for c in self.constructs if c.id == construct_id), None)


class DnaError(UserError):
    """dna.toml has problems: the first, in one line, and how many more there are."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        more = len(problems) - 1
        tail = f" (and {more} more)" if more else ""
        super().__init__(f"{problems[0]}{tail}")
        self.problems = tuple(problems)


def builtin_dna_path() -> Path:
    from drillcoach.content import builtin_root

    return builtin_root() / "content" / DNA_FILE


def load_dna(path: Path | None = None, library: Library | None = None) -> Dna:
    """The self-assessment in ``path`` (default: the built-in one), checked against the
    packs and skills of ``library`` when given; DnaError naming the first problem."""
    problems: list[Problem] = []
    dna = read_dna(path or builtin_dna_path(), problems, library)
    if dna is None or problems:
        raise DnaError(problems)
    return dna


def current_dna(path: Path | None = None) -> Dna | None:
    """The self-assessment as last read, read again only when the file changed (the queue
    asks on every build); None when it is missing or has problems (``load_dna`` says
    which)."""
    path = path or builtin_dna_path()
    try:
        status = path.stat()
    except OSError:
        return None
    return _read_once(path, status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=8)
def _read_once(path: Path, mtime_ns: int, size: int) -> Dna | None:
    problems: list[Problem] = []
    dna = read_dna(path, problems)
    return None if problems else dna


def read_dna(path: Path, problems: list[Problem], library: Library | None = None) -> Dna | None:
    """The self-assessment in ``path``, every mistake appended to ``problems`` (file,
    table, key); with ``library``, packs and skills must be ones it holds."""
    before = len(problems)
    data = read_toml(path, problems)
    if data is None or not check_format(data, path, problems, FORMAT):
        return None
    top = Table(data, path, "", DNA_KEYS, problems)
    if "dna" not in data:
        message = "missing the [dna] table (title, intro, weak_below, focus_areas)"
        problems.append(Problem(path, message, key="dna"))
        return None
    head = Table(data["dna"], path, "[dna]", HEAD_KEYS, problems)
    title = head.text("title", required=True, max_length=40)
    intro = head.text("intro", required=True, max_length=600)
    weak_below = _weak_below(head)
    focus_areas = head.integer("focus_areas", 1, CONSTRUCTS_RANGE[1])
    if focus_areas is None and "focus_areas" not in head.data:
        head.fail(
            "focus_areas", f"missing; expected a whole number from 1 to {CONSTRUCTS_RANGE[1]}"
        )
    constructs = _constructs(top, path, problems)
    statements = _statements(top, path, problems, {c.id for c in constructs})
    asked = {statement.construct for statement in statements}
    for construct in constructs:
        if construct.id not in asked:
            where = f"construct '{construct.id}'"
            problems.append(Problem(path, "no [[statement]] asks about it; expected one or more",
                                    where, "id"))  # fmt: skip
    dna = Dna(path, title, intro, weak_below, focus_areas or 1, tuple(constructs),
              tuple(statements))  # fmt: skip
    if library is not None:
        check_references(dna, library, problems)
    return dna if len(problems) == before else None


def _weak_below(head: Table) -> float:
    value = head.data.get("weak_below")
    if value is None:
        head.fail("weak_below", f"missing; expected a number from {LOWEST} to {HIGHEST}, like 3.0")
        return float(LOWEST)
    try:
        return number(LOWEST, HIGHEST)(value)
    except ValueError as error:
        head.fail("weak_below", f"{error}, got {value!r}")
        return float(LOWEST)


def _constructs(top: Table, path: Path, problems: list[Problem]) -> list[Construct]:
    constructs = []
    seen: set[str] = set()
    raw = top.tables("construct", count=CONSTRUCTS_RANGE)
    for index, item in enumerate(raw, 1):
        table = Table(item, path, f"construct #{index}", CONSTRUCT_KEYS, problems, "construct")
        construct_id = table.unique_id(seen, "duplicate construct id")
        title = table.text("title", required=True, max_length=TITLE_WIDTH)
        source = table.text("source", required=True, max_length=MAX_SOURCE)
        when_weak = table.text("when_weak", required=True, max_length=MAX_WHEN_WEAK)
        packs = _ids(table, "packs", "pack")
        skills = _ids(table, "skills", "skill")
        if table.ok and not packs and not skills:
            table.fail("packs", "a construct recommends at least one pack or one skill")
        if table.ok:
            constructs.append(Construct(construct_id, title, source, when_weak, packs, skills))
    return constructs


def _ids(table: Table, key: str, what: str) -> tuple[str, ...]:
    """A list of ids (it may be empty), each once."""
    value = table.data.get(key)
    expected = f'a list of {what} ids like ["negotiation"] (it may be empty)'
    if value is None:
        table.fail(key, f"missing; expected {expected}")
        return ()
    if not isinstance(value, list) or not all(
        isinstance(item, str) and ID_PATTERN.fullmatch(item) for item in value
    ):
        table.fail(key, f"expected {expected}, got {value!r}")
        return ()
    if len(value) > MAX_RECOMMENDED:
        table.fail(key, f"expected at most {MAX_RECOMMENDED} {what}s, got {len(value)}")
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        table.fail(key, f"'{repeated[0]}' is listed more than once; list each {what} once")
    return tuple(value)


def _statements(
    top: Table, path: Path, problems: list[Problem], constructs: Collection[str]
) -> list[Statement]:
    statements = []
    seen: set[str] = set()
    raw = top.tables("statement", count=STATEMENTS_RANGE)
    for index, item in enumerate(raw, 1):
        table = Table(item, path, f"statement #{index}", STATEMENT_KEYS, problems, "statement")
        statement_id = table.unique_id(seen, "duplicate statement id")
        construct = table.ident("construct", required=True)
        if construct and construct not in constructs:
            known = ", ".join(sorted(constructs)) or "none defined"
            table.fail("construct", f"unknown construct '{construct}' (known: {known})")
        text = table.text("text", required=True, max_length=160)
        agreeing = table.data.get("agreeing")
        if agreeing not in AGREEING:
            got = "missing" if agreeing is None else f"got {agreeing!r}"
            table.fail("agreeing", f"{got}; expected 'strength' or 'weakness'")
        if table.ok:
            statements.append(Statement(statement_id, construct, text, cast(Agreeing, agreeing)))
    return statements


def check_references(dna: Dna, library: Library, problems: list[Problem]) -> None:
    """Every pack a construct names is loaded, and every skill is in the skill map."""
    for construct in dna.constructs:
        where = f"construct '{construct.id}'"
        for key, ids, known in (("packs", construct.packs, library.packs),
                                ("skills", construct.skills, library.skills)):  # fmt: skip
            for unknown in (item for item in ids if item not in known):
                names = ", ".join(sorted(known)) or "none loaded"
                what = key[:-1]
                problems.append(
                    Problem(dna.path, f"unknown {what} '{unknown}' (known: {names})", where, key)
                )
