"""Command line: the parser, exit codes (0 ok, 1 failure, 2 bad input) and dispatch to
one module per subcommand group. The TUI is imported only when it runs, so ``--help``,
``--version`` and the text commands never load Textual."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from drillcoach import __version__
from drillcoach.errors import MachineError, UserError


class Parser(argparse.ArgumentParser):
    """argparse that reports a mistake in one line (and exit code 2), without the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# modules of this package, one per command
GROUPS = (
    "packs", "today", "config", "doctor", "restore", "team", "assign", "rate", "inbox", "sync",
    "vision", "agreement", "commitments", "debrief", "dna", "coach", "report", "retention",
    "optimize", "status", "completion", "export", "serve",
)  # fmt: skip
OTHER_GROUP = {"import": "export"}  # commands registered by a group of another name


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only their command's group is built (the others
    cost time on every run), except where the full list is shown (help, mistakes)."""
    import importlib

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
    wanted: tuple[str, ...] = GROUPS
    command = _command(argv or ())
    command = OTHER_GROUP.get(command or "", command)
    if command in GROUPS and not {"-h", "--help"} & set(argv or ()):
        wanted = (command,)
    for group in wanted:
        importlib.import_module(f"drillcoach.cli.{group}").register(commands)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The first word that is neither an option nor the value of ``--home``."""
    words = iter(argv)
    for word in words:
        if word == "--home":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except UserError as error:
        print(f"drillcoach: {error}", file=sys.stderr)
        return 2
    except MachineError as error:
        print(f"drillcoach: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `drillcoach today | head`: the reader has all it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run_tui(args: argparse.Namespace) -> int:
    from drillcoach.tui.app import run

    return run(args.home)
