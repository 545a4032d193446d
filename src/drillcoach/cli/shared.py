"""What the subcommands share: opening the profile's services, tables, warnings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from drillcoach.errors import UserError

if TYPE_CHECKING:
    from drillcoach.content import Library, Pack
    from drillcoach.services import Services


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
