"""What the subcommands share: opening the profile's services, tables, warnings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillcoach.content import Library
    from drillcoach.services import Services


def open_services(args: argparse.Namespace) -> Services:
    from drillcoach.services import open_services

    return open_services(args.home)


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
