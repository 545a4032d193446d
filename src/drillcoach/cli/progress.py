"""How long CLI work says how far it is, on stderr: a Rich progress bar on a terminal
(cleared when done); when stderr is a file or a pipe, plain lines for the long counted
steps (LONG_STEP items or more: at every tenth and at the end) and, with --verbose, each
other step once; nothing with --quiet. The bar lives in tui/bar.py, with the rest of what
draws on a terminal, and brings in Rich only when it is shown."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from drillcoach.steps import Progress, unheard

LINES_PER_STEP = 10  # plain lines for one counted step, at most (and its last)
LONG_STEP = 100  # items from which a counted step says how far it is in plain lines


class PlainLines:
    """A counted step at every tenth of its total and at its end; each other step once,
    when ``verbose``."""

    def __init__(self, out: TextIO, verbose: bool) -> None:
        self.out = out
        self.verbose = verbose
        self.said: tuple[str, int | None] | None = None

    def __call__(self, step: str, done: int | None = None, total: int | None = None) -> None:
        if done is None or total is None:
            if self.verbose and (self.said is None or self.said[0] != step):
                print(f"  {step}...", file=self.out, flush=True)
            self.said = (step, None)
            return
        if total < LONG_STEP:
            return  # over before anyone reads it
        every = max(1, total // LINES_PER_STEP)
        if (done % every == 0 or done == total) and self.said != (step, done):
            print(f"  {step}: {done} of {total}", file=self.out, flush=True)
            self.said = (step, done)


@contextmanager
def reporting(
    *, quiet: bool = False, verbose: bool = False, out: TextIO | None = None
) -> Iterator[Progress]:
    """The progress of the work done inside, as the place it is shown suits."""
    stream = out or sys.stderr
    if quiet:
        yield unheard
    elif not stream.isatty():
        yield PlainLines(stream, verbose)
    else:
        from drillcoach.tui.bar import terminal_bar  # Rich, only when a terminal shows it

        with terminal_bar(stream) as bar:
            yield bar
