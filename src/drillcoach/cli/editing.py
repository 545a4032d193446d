"""Editing a coaching record from the command line, the way git edits a commit message:
the form goes to a temporary file opened in $VISUAL or $EDITOR; on save it is checked, and
when it is wrong it opens again with the reason on top. Without an editor the questions
are asked one by one on the terminal, each with the current answer as its default."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from drillcoach.errors import UserError
from drillcoach.fileio import write_atomic
from drillcoach.text import clip
from drillcoach.tomlcheck import Problem, read_file

T = TypeVar("T")
MAX_FORM_BYTES = 200_000
PROBLEM_MARK = "# Not saved: "
PROBLEM_HELP = "# Fix it and save again; close it unchanged or empty it to give up.\n"
CLEAR = "-"  # typed at a question: empty that answer
PROMPT_HELP = f"Enter keeps the answer in [brackets]; '{CLEAR}' clears it."


@dataclass(frozen=True)
class Edited(Generic[T]):
    """What an edit came to: the new value, or None and why nothing changed."""

    value: T | None
    why_not: str = ""


def editor_command() -> str | None:
    """The rep's editor: $VISUAL, then $EDITOR (None: ask on the terminal instead)."""
    for name in ("VISUAL", "EDITOR"):
        command = os.environ.get(name, "").strip()
        if command:
            return command
    return None


def edit_or_ask(
    form: str, parse: Callable[[str], T], asked: Callable[[], T], *, name: str, what: str
) -> T | None:
    """A new version of a coaching record: written in the rep's editor (None when it
    changed nothing, said on the terminal), or, without one, answered question by
    question (``asked``)."""
    editor = editor_command()
    if editor is None:
        return asked()
    edited = edit_in_editor(form, parse, editor=editor, name=name)
    if edited.value is None:
        print(f"No change: {edited.why_not}; your {what} stays as it was.")
    return edited.value


def edit_in_editor(form: str, parse: Callable[[str], T], *, editor: str, name: str) -> Edited[T]:
    """Open ``form`` in ``editor`` until what is saved parses; an unchanged or emptied
    file changes nothing. Giving up after a mistake keeps what was written, and says
    where, so no typing is lost."""
    folder = Path(tempfile.mkdtemp(prefix="drillcoach-"))
    path = folder / f"{name}.toml"
    text = form
    problem: UserError | None = None  # what was wrong with the last save
    keep = False
    try:
        while True:
            write_atomic(path, text)
            _run(editor, path)
            saved = _read(path)
            if not _without_comments(saved).strip():
                return Edited(None, "the file was emptied")
            if saved == text:
                if problem is None:
                    return Edited(None, "the file was closed unchanged")
                keep = True
                raise UserError(f"not saved: {problem}; what you wrote is kept in {path}")
            try:
                return Edited(parse(saved))
            except UserError as error:
                problem = error
                text = f"{PROBLEM_MARK}{error}\n{PROBLEM_HELP}{_without_problem(saved)}"
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _run(editor: str, path: Path) -> None:
    """The editor as a shell command with the file as its argument (as git runs it), so
    an editor like 'code --wait' works."""
    shell = shutil.which("sh")
    if shell is not None:
        argv = [shell, "-c", f'{editor} "$@"', editor, str(path)]
    else:  # no POSIX shell (Windows): the words of the command as they are
        argv = [*shlex.split(editor), str(path)]
    try:
        done = subprocess.run(argv, check=False)
    except OSError as error:
        raise UserError(f"cannot run the editor {editor!r}: {error.strerror or error}") from None
    if done.returncode != 0:
        raise UserError(f"the editor {editor!r} exited with code {done.returncode}; "
                        "nothing saved")  # fmt: skip


def _read(path: Path) -> str:
    problems: list[Problem] = []
    raw = read_file(path, problems, max_bytes=MAX_FORM_BYTES)
    if raw is None:
        if not path.exists():
            return ""  # the editor deleted it: as good as emptied
        raise UserError(str(problems[0]))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: expected UTF-8 text; byte {error.start} is not UTF-8") from None


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _without_problem(text: str) -> str:
    """The file without the problem lines an earlier save put on top."""
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith(PROBLEM_MARK) or lines[0] == PROBLEM_HELP):
        lines.pop(0)
    return "".join(lines)


# --- asking on the terminal


def ask(question: str, default: str, check: Callable[[str], T]) -> T:
    """One question on the terminal: enter keeps ``default``, '-' clears it; asked again,
    with the reason, until ``check`` takes the answer (ValueError says why not)."""
    shown = f" [{clip(default, 40)}]" if default else ""
    while True:
        try:
            answer = input(f"{question}{shown} ").strip()
        except EOFError:
            print()
            raise UserError("the input ended before every question was answered; "
                            "nothing saved") from None  # fmt: skip
        text = default if not answer else "" if answer == CLEAR else answer
        try:
            return check(text)
        except ValueError as error:
            print(f"  {error}")
