"""How long CLI work is shown on a terminal (cli/progress.py picks it there): Rich's
progress bar, one step at a time, cleared when the work is done."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from drillcoach.steps import Progress


@contextmanager
def terminal_bar(stream: TextIO) -> Iterator[Progress]:
    """Rich's progress bar on ``stream``, a step at a time, cleared when done."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as Bars,
    )

    shown = Bars(
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
