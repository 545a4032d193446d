"""Loading the library: shared content, then every pack file from the folders drillcoach
reads, with references checked across files. A broken pack is reported and skipped; the
good ones load."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from drillcoach.content.cache import ParseCache
from drillcoach.content.models import CoachingSignal, Library, PackDraft, Rubric, Skill
from drillcoach.content.parse import parse_pack
from drillcoach.tomlcheck import Problem


def builtin_root() -> Path:
    """Folder holding the built-in ``drills/`` and ``content/``.

    An installed wheel carries them in ``drillcoach/_builtin``; a source checkout (and an
    editable install) has them at the top of the repository.
    """
    packaged = Path(__file__).parent.parent / "_builtin"
    if (packaged / "drills").is_dir():
        return packaged
    return _checkout_of(__file__)


@functools.cache
def _checkout_of(module: str) -> Path:
    """The top of the source checkout holding ``module``, resolved once a process: the
    queue asks for the built-in folder at every build (the sales DNA file), and resolving
    a path is a system call per folder in it."""
    return Path(module).resolve().parents[3]


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


def load_shared_content(library: Library, folder: Path, cache: ParseCache) -> None:
    """Read content/skills.toml, rubrics.toml and coaching.toml into ``library``."""
    files: list[tuple[str, str, dict[str, Any]]] = [
        ("skills.toml", "skill", library.skills),
        ("rubrics.toml", "rubric", library.rubrics),
        ("coaching.toml", "signal", library.signals),
    ]
    for name, what, into in files:
        path = folder / name
        if path.exists():
            found = cache.shared(path, what, library.problems)
            _register(found, into, path, what, library.problems)
    for skill in library.skills.values():  # packs' own skills are checked with their pack
        if skill.rubric and skill.rubric not in library.rubrics:
            message = _unknown("rubric", skill.rubric, library.rubrics)
            where = f"skill '{skill.id}'"
            library.problems.append(Problem(folder / "skills.toml", message, where, "rubric"))


def pack_files(folder: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The ``*.toml`` files of a pack folder, in a stable order. A folder that does not
    exist (yet) has none; one that cannot be listed is a problem in ``problems`` (without
    that list, its OSError is raised)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml")
    except FileNotFoundError:
        return []
    except OSError as error:
        if problems is None:
            raise
        problems.append(Problem(folder, f"cannot read the folder ({error.strerror or error})"))
        return []


def add_packs(library: Library, files: Iterable[tuple[Path, str]], cache: ParseCache) -> None:
    """Parse pack files, check their references against ``library`` and keep the good ones."""
    drafts = [
        draft
        for path, origin in files
        if (draft := cache.pack(path, origin, library.problems)) is not None
    ]
    add_drafts(library, drafts)


def add_drafts(library: Library, drafts: Sequence[PackDraft]) -> None:
    """Check parsed packs against ``library`` and each other, in order, and keep the good
    ones: ids, references, and that what a drill replaces is neither still a drill nor
    already replaced by another."""
    for draft in drafts:
        before = len(library.problems)
        _register(draft.skills, library.skills, draft.pack.path, "skill", library.problems)
        _register(draft.rubrics, library.rubrics, draft.pack.path, "rubric", library.problems)
        draft.ok = draft.ok and len(library.problems) == before
    # (most drills replace nothing: only those that do are asked for the uids they replace)
    claimed: dict[str, str] = {
        old: drill.uid for pack in library.packs.values() for drill in pack.drills
        if drill.replaces for old in drill.history_uids()[1:]
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
        for drill in (drill for drill in pack.drills if drill.replaces):
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
            library.add_pack(pack)
            for drill in pack.drills:
                if drill.replaces:
                    claimed.update({old: drill.uid for old in drill.history_uids()[1:]})


def _unknown(what: str, value: str, known: dict[str, Any]) -> str:
    names = ", ".join(sorted(known)) or "none defined"
    return f"unknown {what} '{value}' (known: {names})"


def load_library(
    pack_sources: Sequence[tuple[Path, str]],
    shared_content: Path | None = None,
    *,
    cache: Path | None = None,
    leave_out: Path | None = None,
) -> Library:
    """Load shared content and every pack in ``pack_sources`` (folder, origin) in order;
    with ``cache``, files unchanged since the last load are not parsed again. A file
    ``leave_out`` names is not loaded (a pack about to be rewritten, checked without
    its old self)."""
    parses = ParseCache(cache)
    library = Library()
    load_shared_content(library, shared_content or builtin_root() / "content", parses)
    files: list[tuple[Path, str]] = []
    skipped = _resolved(leave_out) if leave_out is not None else None
    for folder, origin in pack_sources:
        files.extend((path, origin) for path in pack_files(folder, library.problems)
                     if skipped is None or _resolved(path) != skipped)  # fmt: skip
    add_packs(library, files, parses)
    parses.save()
    return library


def validate_files(
    paths: Sequence[Path],
    shared_content: Path | None = None,
    *,
    against: Sequence[tuple[Path, str]] = (),
) -> Library:
    """Check the given pack files and folders together against the built-in shared content
    and, with ``against`` (folder, origin, as ``load_library`` takes them), with every pack
    file loaded from there: a given file that is one of those is checked in its place, the
    others after them, so a pack id or a ``replaces`` entry that collides with a loaded
    pack is reported. The result holds only the given files' packs and problems (and the
    shared content's). Every file is read afresh and nothing is written."""
    parses = ParseCache()
    library = Library()
    load_shared_content(library, shared_content or builtin_root() / "content", parses)
    given: dict[Path, Path] = {}  # resolved -> as given, each file once
    for path in paths:
        if path.is_dir():
            before = len(library.problems)
            found = pack_files(path, library.problems)
            if not found and len(library.problems) == before:
                library.problems.append(Problem(path, "no *.toml pack files in this folder"))
        else:
            found = [path]
        for item in found:
            given.setdefault(_resolved(item), item)
    files: list[tuple[Path, str]] = []
    others: set[Path] = set()
    ignored: list[Problem] = []  # the loaded folders' own problems are not the question
    for folder, origin in against:
        for path in pack_files(folder, ignored):
            mine = given.pop(_resolved(path), None)
            files.append((mine or path, origin))
            if mine is None:
                others.add(path)
    files.extend((path, "folder") for path in given.values())
    add_packs(library, files, parses)
    if not others:
        return library
    checked = Library(
        skills=library.skills,
        rubrics=library.rubrics,
        signals=library.signals,
        problems=[problem for problem in library.problems if problem.file not in others],
    )
    for pack in library.packs.values():
        if pack.path not in others:
            checked.add_pack(pack)
    return checked


def check_pack(library: Library, path: Path, raw: bytes, origin: str = "mine") -> list[Problem]:
    """The problems a pack file holding ``raw`` would have at ``path``, loaded after
    ``library``'s packs; nothing is read or written and ``library`` is left as it was."""
    trial = Library(
        packs=dict(library.packs),
        skills=dict(library.skills),
        rubrics=dict(library.rubrics),
        signals=library.signals,
    )
    draft = parse_pack(path, origin, raw, trial.problems)
    add_drafts(trial, [draft] if draft is not None else [])
    return trial.problems


def _resolved(path: Path) -> Path:
    """The file a path names, so one file given two ways is one file."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the path is all there is
        return path.absolute()
