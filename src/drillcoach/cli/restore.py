"""``drillcoach restore [BACKUP]``: list the backups, or put one in place of the database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option, json_only, print_json, print_table
from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.config import Paths
    from drillcoach.store.backup import BackupInfo


def register(commands: Any) -> None:
    restore = commands.add_parser(
        "restore", help="list the database backups, or restore one (the current one is kept)"
    )
    restore.add_argument(
        "backup", nargs="?", metavar="BACKUP",
        help="a backup's name from the list, or the path of a .db file",
    )  # fmt: skip
    add_json_option(restore, "the list of backups")
    restore.set_defaults(handler=_restore)


def _restore(args: argparse.Namespace) -> int:
    from drillcoach.config import resolve_paths

    paths = resolve_paths(args.home)
    if args.backup is None:
        return _list(paths, as_json=args.json)
    json_only(args, "restore")
    from datetime import datetime

    from drillcoach.store.backup import restore

    done = restore(_chosen(paths, args.backup), paths.database, datetime.now().astimezone())
    info = done.backup
    print(f"restored {info.path.name} ({info.ratings} rating(s), made {_made(info)})")
    print(f"into {paths.database}")
    if done.kept_aside:
        print(f"the database it replaced is kept as {done.kept_aside[0]}")
        for extra in done.kept_aside[1:]:
            print(f"  with {extra.name}")
    else:
        print("there was no database to keep aside")
    return 0


def _chosen(paths: Paths, given: str) -> Path:
    """A name from the backups folder, or an explicit path to a .db file that exists (or
    a database that a restore kept aside)."""
    if "/" not in given and "\\" not in given:
        path = paths.backups_dir / given
        if not path.is_file():
            raise UserError(
                f"no backup named '{given}' in {paths.backups_dir} (see 'drillcoach restore')"
            )
        return path
    path = Path(given).expanduser()
    kept_aside = path.name.startswith(f"{paths.database.name}.before-restore-")
    if path.suffix != ".db" and not kept_aside:
        raise UserError(f"{path}: not a backup (expected a .db file)")
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    return path


def _list(paths: Paths, *, as_json: bool = False) -> int:
    from drillcoach.store.backup import backups, describe

    found = [describe(path) for path in backups(paths.backups_dir)]
    if as_json:  # newest first, as listed
        print_json([
            {"backup": info.path.name, "path": info.path, "made": info.made, "size": info.size,
             "schema": info.schema, "ratings": info.ratings, "ok": info.ok,
             "problems": info.problems}
            for info in found
        ])  # fmt: skip
        return 0
    if not found:
        print(f"no backups yet in {paths.backups_dir}")
        print("drillcoach makes one a day, when it starts, once there are ratings")
        return 0
    rows = [
        (info.path.name, _made(info), _size(info.size),
         "?" if info.ratings is None else str(info.ratings),
         "ok" if info.ok else f"damaged: {info.problems[0]}")
        for info in found
    ]  # fmt: skip
    print_table(("BACKUP", "MADE", "SIZE", "RATINGS", "CHECK"), rows)
    print()
    print(f"in {paths.backups_dir}; restore one with: drillcoach restore BACKUP")
    return 0


def _made(info: BackupInfo) -> str:
    return f"{info.made:%Y-%m-%d %H:%M}"


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
