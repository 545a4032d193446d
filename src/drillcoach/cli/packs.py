"""``drillcoach packs list|show|validate|lint|new|import|export``: the packs drillcoach
loads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillcoach.cli.lint import add_lint
from drillcoach.cli.shared import (
    add_json_option,
    loaded_pack,
    open_services,
    print_json,
    print_table,
    warn_skipped,
)
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from drillcoach.config import Config, Paths
    from drillcoach.content import Library, Pack
    from drillcoach.content.spreadsheet import Sheet
    from drillcoach.scheduling.cardstate import CardState
    from drillcoach.tomlcheck import Problem


def register(commands: Any) -> None:
    packs = commands.add_parser("packs", help="list, check, show and create drill packs")
    actions = packs.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every loaded pack, and whether it is in your queue")
    add_json_option(listing, "the packs")
    listing.set_defaults(handler=_list)
    validate = actions.add_parser(
        "validate",
        help="check pack files and list every problem (exit 2 if any); "
        "'packs lint' checks what the drills say",
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="pack files or folders (default: every pack drillcoach loads)",
    )  # fmt: skip
    validate.set_defaults(handler=_validate)
    add_lint(actions)
    show = actions.add_parser(
        "show", help="a pack's details and its drills, or a rubric with its anchors and examples"
    )
    shown = show.add_mutually_exclusive_group(required=True)
    shown.add_argument("pack", metavar="PACK", nargs="?", help="pack id")
    shown.add_argument(
        "--rubric", metavar="ID",
        help="show this rubric instead: criteria with anchors, then scored examples",
    )  # fmt: skip
    add_json_option(show, "the pack and its drills")
    show.set_defaults(handler=_show)
    new = actions.add_parser("new", help="write a valid skeleton pack to start from")
    new.add_argument("pack", metavar="ID", help="id of the new pack, like 'renewals'")
    new.add_argument("--title", help="pack title (default: from the id)")
    new.add_argument("--skill", default="objection-handling", help="skill of its drills")
    new.add_argument(
        "--out", type=Path, metavar="FILE",
        help="where to write it (default: your packs folder, ID.toml)",
    )  # fmt: skip
    new.add_argument(
        "--team", action="store_true",
        help="write it into the team workspace's drills/ (managers), shared at the next sync",
    )  # fmt: skip
    new.set_defaults(handler=_new)
    sheet = actions.add_parser(
        "import",
        help="make a pack in your packs folder from a spreadsheet saved as CSV, or from an "
        "Anki deck exported as text",
    )
    sheet.add_argument(
        "file", type=Path, metavar="FILE",
        help="FILE.csv: a row per drill; FILE.txt: Anki's 'Notes in Plain Text' export",
    )  # fmt: skip
    sheet.add_argument(
        "--skill", metavar="SKILL",
        help="the skill an Anki deck's question drills train (Anki notes name none)",
    )  # fmt: skip
    sheet.add_argument("--id", required=True, dest="pack", metavar="ID", help="the new pack's id")
    sheet.add_argument("--title", required=True, help="the new pack's title")
    sheet.add_argument("--description", default="", help="what the pack trains, for whom")
    sheet.add_argument("--rubric", metavar="ID", help="rubric of the drills that name none")
    where = sheet.add_mutually_exclusive_group()
    where.add_argument(
        "--out", type=Path, metavar="FILE",
        help="where to write it (default: your packs folder, ID.toml)",
    )  # fmt: skip
    where.add_argument(
        "--replace", action="store_true",
        help="rewrite your own pack ID from the edited sheet: drills keep their history by "
        "id; those no longer in the sheet leave the queue (their ratings are kept)",
    )  # fmt: skip
    sheet.set_defaults(handler=_import)
    export = actions.add_parser("export", help="write a pack's drills as a spreadsheet (CSV)")
    export.add_argument("pack", metavar="PACK", help="pack id")
    export.add_argument("--format", choices=("csv",), default="csv", help="csv (the default)")
    export.add_argument(
        "--out", type=Path, metavar="FILE",
        help="write it to this file, with the byte-order mark Excel needs (default: print it)",
    )  # fmt: skip
    export.set_defaults(handler=_export)


def _list(args: argparse.Namespace) -> int:
    services = open_services(args)
    try:
        library = services.library
        in_queue = set(services.scheduler.queue_pack_ids())
        if args.json:
            print_json([
                {"pack": pack.id, "title": pack.title, "version": pack.version,
                 "drills": len(pack.drills), "from": pack.origin, "path": pack.path,
                 "in_queue": pack.id in in_queue}
                for pack in library.packs.values()
            ])  # fmt: skip
            warn_skipped(library)
            return 0
        rows = [
            (pack.id, pack.title, pack.version, str(len(pack.drills)), pack.origin,
             "yes" if pack.id in in_queue else "no")
            for pack in library.packs.values()
        ]  # fmt: skip
        print_table(("PACK", "TITLE", "VERSION", "DRILLS", "FROM", "IN QUEUE"), rows)
        warn_skipped(library)
        return 0
    finally:
        services.close()


def _show(args: argparse.Namespace) -> int:
    if args.rubric is not None:  # the library alone: no store to open
        from drillcoach.cli.shared import json_only
        from drillcoach.config import load_config, resolve_paths

        json_only(args, "packs show PACK")
        from drillcoach.services import load_packs

        paths = resolve_paths(args.home)
        _show_rubric(load_packs(paths, load_config(paths)), args.rubric)
        return 0
    services = open_services(args)
    try:
        pack = loaded_pack(services.library, args.pack)
        scheduler = services.scheduler
        states = scheduler.states(pack.drills)
        if args.json:
            print_json(_pack_json(pack, states, services.library))
            return 0
        print(f"{pack.title}  ({pack.id}, version {pack.version})")
        if pack.author:
            print(f"by {pack.author}")
        for label, value in (
            ("company", pack.company), ("segment", pack.segment), ("personas", pack.personas)
        ):  # fmt: skip
            if value:
                print(f"{label}: {value}")
        print(f"from {pack.path}")
        import textwrap

        print(textwrap.fill(pack.description, width=78))
        print()
        rows = []
        for drill in pack.drills:
            state = states[drill.uid]
            status = "new" if state.is_new else f"due {scheduler.days.local(state.due):%Y-%m-%d}"
            skill = services.library.skills.get(drill.skill)
            rows.append(
                (drill.id, drill.kind, skill.title if skill else drill.skill, drill.title, status)
            )
        print_table(("DRILL", "KIND", "SKILL", "TITLE", "STATUS"), rows)
        return 0
    finally:
        services.close()


def _pack_json(pack: Pack, states: Mapping[str, CardState], library: Library) -> dict[str, Any]:
    """``packs show --json``: what the text shows, each drill with its card's state (new,
    or when it is due, in UTC)."""
    drills = []
    for drill in pack.drills:
        state = states[drill.uid]
        skill = library.skills.get(drill.skill)
        drills.append({
            "drill": drill.id, "uid": drill.uid, "kind": drill.kind, "skill": drill.skill,
            "skill_title": skill.title if skill else drill.skill, "title": drill.title,
            "new": state.is_new, "due": None if state.is_new else state.due,
        })  # fmt: skip
    return {
        "pack": pack.id, "title": pack.title, "version": pack.version, "author": pack.author,
        "company": pack.company, "segment": pack.segment, "personas": pack.personas,
        "path": pack.path, "description": pack.description, "drills": drills,
    }  # fmt: skip


def _show_rubric(library: Library, rubric_id: str) -> None:
    """A rubric as a manager calibrates on it: each criterion with its anchors, then the
    example answers with their scores, their mean and why."""
    import textwrap

    from drillcoach.content.models import NOT_APPLICABLE
    from drillcoach.scheduling.rules import (
        RATING_NAMES,
        check_scores,
        rating_from_scores,
        scores_mean,
    )

    rubric = library.rubrics.get(rubric_id)
    if rubric is None:
        known = ", ".join(sorted(library.rubrics)) or "none"
        raise UserError(f"--rubric: no rubric '{rubric_id}' (known: {known})")

    def block(text: str, indent: str, first: str | None = None) -> None:
        for line in text.splitlines() or [""]:
            wrapped = textwrap.fill(
                line, width=78, initial_indent=indent if first is None else first,
                subsequent_indent=indent, break_on_hyphens=False,
            )  # fmt: skip
            print(wrapped or indent.rstrip())
            first = None

    print(f"{rubric.title}  ({rubric.id})")
    if rubric.description:
        block(rubric.description, "")
    print()
    print("Criteria, each scored 1 to 5 (a 2 or a 4 sits between the anchors either side):")
    for number, criterion in enumerate(rubric.criteria, 1):
        print()
        live = "  [live call: may be n/a]" if criterion.live_only else ""
        print(f"{number}. {criterion.title} ({criterion.id}){live}")
        if criterion.description:
            block(criterion.description, "   ")
        for score, text in criterion.anchors:
            print(textwrap.fill(text, width=78, initial_indent=f"   {score}  ",
                                subsequent_indent="      "))  # fmt: skip
    if not rubric.examples:
        return
    print()
    print("Examples, scored:")
    for number, example in enumerate(rubric.examples, 1):
        print()
        block(example.situation, "   ", first=f"{number}. ")
        block(example.answer, "   | ")
        numbers = check_scores(rubric, dict(example.scores))  # validated when parsed
        mean, rating = scores_mean(numbers), RATING_NAMES[rating_from_scores(numbers)]
        scored = ", ".join(
            f"{key}={NOT_APPLICABLE if value is None else value}" for key, value in example.scores
        )
        block(f"Scores: {scored} (mean {mean:.1f}: {rating})", "   ")
        block(f"Why: {example.why}", "   ")


def _validate(args: argparse.Namespace) -> int:
    """Given files are checked beside every pack drillcoach loads (a loaded file in its
    place), so a clash with a loaded pack shows before the file is put to use."""
    from drillcoach.config import load_config, resolve_paths
    from drillcoach.content import validate_files
    from drillcoach.services import load_packs, pack_sources

    if args.paths:
        missing = [path for path in args.paths if not path.exists()]
        if missing:
            raise UserError(f"{missing[0]}: no such file or folder")
    paths = resolve_paths(args.home)
    config = load_config(paths)
    if args.paths:
        library = validate_files(args.paths, against=pack_sources(paths, config))
    else:
        library = load_packs(paths, config)
    for problem in library.problems:
        print(problem)
    drills = sum(len(pack.drills) for pack in library.packs.values())
    code = 0
    if library.problems:
        files = len({problem.file for problem in library.problems})
        print(
            f"{len(library.problems)} problem(s) in {files} file(s); "
            f"{len(library.packs)} pack(s) with {drills} drills are fine",
            file=sys.stderr,
        )
        code = 2
    else:
        print(f"ok: {len(library.packs)} pack(s), {drills} drills, no problems")
    for drill in library.drills():
        for old in drill.history_uids()[1:]:
            print(f"{drill.uid} takes the history of {old}")
    return code


def _new(args: argparse.Namespace) -> int:
    """The skeleton is checked beside the loaded packs before a byte is written."""
    from drillcoach.config import load_config, resolve_paths
    from drillcoach.content import skeleton_pack
    from drillcoach.content.library import check_pack
    from drillcoach.fileio import make_folder, write_atomic

    paths = resolve_paths(args.home)
    config = load_config(paths)
    library = _library_without(args.pack, paths, config)
    target: Path = args.out or paths.packs_dir / f"{args.pack}.toml"
    if args.team:
        from drillcoach.team.workspace import checked_path, membership

        if args.out:
            raise UserError("--team and --out: give one or the other")
        mine = membership(config.workspace, config.member)
        mine.require_manager("packs new --team")
        target = checked_path(mine.root, f"drills/{args.pack}.toml")
    if target.exists():
        raise UserError(f"{target}: already exists; choose another id or --out")
    title = args.title or args.pack.replace("-", " ").capitalize()
    data = skeleton_pack(args.pack, title, args.skill).encode("utf-8")
    problems = check_pack(library, target, data)
    if problems:
        raise UserError(str(problems[0]))
    make_folder(target.parent)
    write_atomic(target, data)
    print(f"wrote {target}")
    print(f"edit it, then check it with: drillcoach packs validate {target}")
    if args.team:
        print("'drillcoach sync' shares it with the team")
    return 0


def _library_without(pack_id: str, paths: Paths, config: Config, also: str = "") -> Library:
    """The loaded packs, none of them ``pack_id`` (a well-formed id), for a new pack;
    ``also``: what else the rep can do about an id that is taken."""
    from drillcoach.services import load_packs
    from drillcoach.tomlcheck import ID_PATTERN

    if not ID_PATTERN.fullmatch(pack_id):
        raise UserError(
            f"pack id '{pack_id}': expected lowercase letters, digits and hyphens, like 'renewals'"
        )
    library = load_packs(paths, config)
    taken = library.packs.get(pack_id)
    if taken is not None:
        other = f" (or {also})" if also else ""
        raise UserError(
            f"pack id '{pack_id}': already loaded from {taken.path}; choose another id{other}"
        )
    return library


def _import(args: argparse.Namespace) -> int:
    """Every bad row is a line on stderr, and then nothing is written."""
    from drillcoach.config import load_config, resolve_paths
    from drillcoach.content.spreadsheet import import_sheet, read_sheet
    from drillcoach.fileio import make_folder, write_atomic

    paths = resolve_paths(args.home)
    config = load_config(paths)
    replaced: Pack | None = None
    if args.replace:
        library, replaced = _library_replacing(args.pack, paths, config)
        target: Path = replaced.path
    else:
        library = _library_without(args.pack, paths, config, also="--replace, for your own")
        target = args.out or paths.packs_dir / f"{args.pack}.toml"
        if target.exists():
            raise UserError(f"{target}: already exists; choose another id or --out")
    if args.rubric is not None and args.rubric not in library.rubrics:
        known = ", ".join(sorted(library.rubrics))
        raise UserError(f"--rubric: no rubric '{args.rubric}' (known: {known})")
    problems: list[Problem] = []
    sheet = _anki_notes(args, library, problems) if _from_anki(args.file) else read_sheet(
        args.file, problems
    )  # fmt: skip
    imported = None if sheet is None else import_sheet(
        sheet, library, target, args.pack, args.title, problems,
        description=args.description, rubric=args.rubric,
    )  # fmt: skip
    if imported is None:
        for problem in problems:
            print(f"drillcoach: {problem}", file=sys.stderr)
        return 2
    make_folder(target.parent)
    write_atomic(target, imported.data)
    if replaced is None:
        print(f"wrote {target}: {imported.drills} drills from {args.file}")
    else:
        print(f"rewrote {target}: {imported.drills} drills from {args.file} "
              f"({len(replaced.drills)} before)")  # fmt: skip
    print(f"see them with: drillcoach packs show {args.pack}")
    return 0


def _library_replacing(pack_id: str, paths: Paths, config: Config) -> tuple[Library, Pack]:
    """The loaded packs without ``pack_id``, and that pack: one of the rep's own, which
    ``packs import --replace`` rewrites (the others are not theirs to rewrite)."""
    from drillcoach.services import load_packs

    pack = load_packs(paths, config).packs.get(pack_id)
    if pack is None:
        raise UserError(f"--replace: no pack '{pack_id}' is loaded; leave --replace out to add it")
    if pack.origin != "mine":
        raise UserError(
            f"--replace: pack '{pack_id}' comes from {pack.path}, not your packs folder "
            f"({paths.packs_dir}); only your own packs can be rewritten"
        )
    return load_packs(paths, config, leave_out=pack.path), pack


def _from_anki(path: Path) -> bool:
    from drillcoach.content.anki import looks_like_anki

    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError:
        return False  # read_sheet says why
    return looks_like_anki(path, head)


def _anki_notes(
    args: argparse.Namespace, library: Library, problems: list[Problem]
) -> Sheet | None:
    from drillcoach.content.anki import read_notes

    known = ", ".join(sorted(library.skills))
    if args.skill is None:
        raise UserError(f"--skill: an Anki deck's notes need the skill they train ({known})")
    if args.skill not in library.skills:
        raise UserError(f"--skill: no skill '{args.skill}' (known: {known})")
    return read_notes(args.file, args.skill, problems)


def _export(args: argparse.Namespace) -> int:
    from drillcoach.config import load_config, resolve_paths
    from drillcoach.content.spreadsheet import pack_sheet, sheet_text
    from drillcoach.fileio import make_folder, write_atomic
    from drillcoach.services import load_packs

    out: Path | None = args.out
    if out is not None and out.is_dir():
        raise UserError(f"--out {out}: is a folder; expected a file name, like {args.pack}.csv")
    paths = resolve_paths(args.home)
    pack = loaded_pack(load_packs(paths, load_config(paths)), args.pack)
    text = sheet_text(*pack_sheet(pack))
    if out is None:
        sys.stdout.write(text)
        return 0
    make_folder(out.parent)
    write_atomic(out, text.encode("utf-8-sig"))
    print(f"wrote {out}: {len(pack.drills)} drills")
    return 0
