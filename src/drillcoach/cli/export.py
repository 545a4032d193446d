"""``drillcoach export [--out FILE]`` and ``drillcoach import FILE``: everything a rep owns
as one versioned JSON file (docs/export-format.md), and that file brought into a home:
restored into an empty one, or merged into another without duplicates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from drillcoach.errors import UserError


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="write everything you own (history, coaching records, your packs, settings) "
        "to one JSON file",
        description="Your whole history (self-ratings, your manager's ratings of you, undos, "
        "suspends and burials), your vision, agreement, commitments, debriefs and sales DNA "
        "checks, your own packs and your settings, as one JSON file that 'drillcoach import' "
        "reads on another machine or into another home. The format is described in "
        "docs/export-format.md. Typed answers are in it: keep it as private as the home.",
    )
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="write it to this file (default: print it)"
    )
    export.set_defaults(handler=_export)
    restore = commands.add_parser(
        "import",
        help="bring a 'drillcoach export' file into this home (nothing is stored twice)",
        description="Restore an export into an empty home, or merge it into this one: events "
        "already here are skipped, the rest added; your pack files are added where this home "
        "has none of that name or pack id; settings this home has are kept. An event id or "
        "a pack that this home holds with other content stops the import, and then nothing "
        "is written.",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the file 'export' wrote")
    restore.set_defaults(handler=_import)


def _export(args: argparse.Namespace) -> int:
    from drillcoach.cli.shared import open_services
    from drillcoach.portability import dumps, gather
    from drillcoach.text import plural

    out: Path | None = args.out
    if out is not None and out.is_dir():
        raise UserError(f"--out {out}: is a folder; expected a file name, like export.json")
    services = open_services(args)
    try:
        export = gather(services.store, services.paths, services.config, services.clock())
    finally:
        services.close()
    for skipped in export.skipped:
        print(f"warning: pack file left out: {skipped}", file=sys.stderr)
    text = dumps(export)
    if out is None:
        sys.stdout.write(text)
        return 0
    from drillcoach.fileio import make_folder, write_atomic

    make_folder(out.parent)
    write_atomic(out, text)
    packs = len(export.packs)
    print(f"wrote {out}: {plural(len(export.events), 'event')} of {export.rep}, "
          f"{plural(packs, 'pack')}, {plural(len(export.preferences), 'preference')} and "
          f"{plural(len(export.settings), 'setting')}")  # fmt: skip
    return 0


def _import(args: argparse.Namespace) -> int:
    from drillcoach.portability import import_export, read_export
    from drillcoach.text import plural

    export = read_export(args.file)  # the whole file checked before the home is opened
    from drillcoach.cli.shared import open_services

    services = open_services(args)
    try:
        done = import_export(services.store, services.paths, export, str(args.file))
    finally:
        services.close()
    known = f" ({done.known} already here)" if done.known else ""
    packs = plural(len(done.packs_written), "pack")
    if done.packs_known:
        packs += f" ({done.packs_known} already here)"
    print(
        f"imported {plural(done.added, 'event')}{known} of {export.rep}, {packs}, "
        f"{plural(done.preferences, 'preference')} and {plural(len(done.settings), 'setting')}"
    )
    if done.kept:
        print(f"kept this home's settings: {', '.join(done.kept)} ('drillcoach config' shows them)")
    return 0
