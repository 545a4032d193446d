"""What the subcommands share: opening the profile's services, tables, warnings, and
``--json`` for scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeVar

from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.content import Library, Pack
    from drillcoach.services import Services

V = TypeVar("V")


def open_services(args: argparse.Namespace) -> Services:
    from drillcoach.services import open_services

    return open_services(args.home)


def loaded_pack(library: Library, pack_id: str) -> Pack:
    """The pack the command names, or one line listing the loaded ones."""
    pack = library.packs.get(pack_id)
    if pack is None:
        known = ", ".join(library.packs) or "none"
        raise UserError(f"no pack '{pack_id}' (loaded packs: {known})")
    return pack


def due_option(text: str, today: date) -> date:
    """``--due DATE``: a date like 2026-12-15, today or later."""
    try:
        due = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--due {text!r}: expected a date like 2026-12-15") from None
    if due < today:
        raise UserError(f"--due {text}: that date has passed; expected today or later")
    return due


def say_sharing(shared: bool, setting: str) -> None:
    """Who sees a coaching record (a vision, an agreement) and, when only the rep does,
    the command that shares it."""
    from drillcoach.coaching.vision import sharing_words
    from drillcoach.text import share_command

    line = sharing_words(shared)
    print(f"{line}." if shared else f"{line}. To share it with your manager: "
          f"{share_command(setting)}")  # fmt: skip


def warn_skipped(library: Library) -> None:
    """One line on stderr when pack files were skipped for their problems."""
    from drillcoach.text import skipped_line

    files = sorted({problem.file for problem in library.problems})
    if files:
        print(f"warning: {skipped_line(files)}", file=sys.stderr)


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        print(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )


# --- --json, on every listing command


def add_json_option(parser: argparse.ArgumentParser, what: str = "the list") -> None:
    parser.add_argument(
        "--json", action="store_true", help=f"print {what} as JSON, for scripts (nothing else)"
    )


def json_only(args: argparse.Namespace, listing: str) -> None:
    """``--json`` given to an action that lists nothing: one line naming the one that does."""
    if getattr(args, "json", False):
        raise UserError(f"--json: only for '{listing}' (this action prints no listing)")


def print_json(value: object) -> None:
    """``value`` as JSON on stdout, alone, for scripts: UTF-8 (never escaped to ASCII),
    indented by 2, keys sorted so the order is stable, a date as 2026-03-02, a moment in
    UTC with its offset as the event log writes it, a dataclass as an object of its
    fields; then a newline."""
    import json

    text = json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False, indent=2,
                      sort_keys=True) + "\n"  # fmt: skip
    out = sys.stdout
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
    buffer = getattr(out, "buffer", None)
    if encoding != "utf8" and buffer is not None:  # a terminal in another encoding
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)


def versions_json(versions: Sequence[V], changed: Callable[[V, V], list[str]]) -> list[Any]:
    """A record kept in versions (a vision, a coaching agreement) for a script, the latest
    first as its history says it: each version's number, fields, and what ``changed``
    from the one before (nothing for the first)."""
    return [
        {"version": number, **jsonable(version),
         "changes": changed(versions[number - 2], version) if number > 1 else []}
        for number, version in reversed(list(enumerate(versions, 1)))
    ]  # fmt: skip


def jsonable(value: Any) -> Any:
    """``value`` in the types JSON has (see print_json)."""
    from dataclasses import fields, is_dataclass  # not at import: --help stays quick
    from enum import Enum

    if isinstance(value, datetime):  # before date: a datetime is a date
        from drillcoach.events import utc_text

        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Enum):
        return jsonable(value.value)
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: jsonable(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value
