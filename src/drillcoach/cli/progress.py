"""How long CLI work says how far it is, on stderr: a Rich progress bar on a terminal
(cleared when done); when stderr is a file or a pipe, plain lines for the long counted
steps (LONG_STEP items or more: at every tenth and at the end) and, with --verbose, each
other step once; nothing with --quiet. Rich is imported only for the bar."""

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
        with _bar(stream) as bar:
            yield bar


@contextmanager
def _bar(stream: TextIO) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    shown = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream),
        transient=True,
    )
    tasks: dict[str, TaskID] = {}
    current: list[TaskID] = []

    def say(step: str, done: int | None = None, total: int | None = None) -> None:
        task = tasks.get(step)
        if task is None:
            for earlier in current:  # one step at a time: the one before is over
                shown.update(earlier, visible=False)
            task = tasks[step] = shown.add_task(step, total=total)
            current[:] = [task]
        shown.update(task, completed=done or 0, total=total)

    with shown:
        yield say
