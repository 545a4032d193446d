"""Command line: the parser, exit codes (0 ok, 1 failure, 2 bad input) and dispatch to
one module per subcommand group. The TUI is imported only when it runs, so ``--help``,
``--version`` and the text commands never load Textual."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from drillcoach import __version__
from drillcoach.errors import UserError


class Parser(argparse.ArgumentParser):
    """argparse that reports a mistake in one line (and exit code 2), without the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    from drillcoach.cli import config, doctor, packs, today

    parser = Parser(
        prog="drillcoach",
        description="Spaced-repetition drills and coaching for sales teams. "
        "Run without a command to open the daily session.",
    )
    parser.add_argument("--version", action="version", version=f"drillcoach {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep the database, packs, backups and config.toml in DIR "
        "(default: $DRILLCOACH_HOME, else the platform's folders)",
    )
    parser.set_defaults(handler=_run_tui)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for group in (packs, today, config, doctor):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except UserError as error:
        print(f"drillcoach: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_tui(args: argparse.Namespace) -> int:
    from drillcoach.tui.app import run

    return run(args.home)
