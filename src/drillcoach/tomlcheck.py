"""Strict TOML reading shared by packs, shared content and config: guarded file reads,
typed access to tables, and one ``Problem`` per mistake (file, table, key, expectation)."""

from __future__ import annotations

import codecs
import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# \A and \Z, not ^ and $: '$' also matches before a final newline, even for .match()
ID_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")
ID_EXPECTED = (
    "expected an id of lowercase letters, digits and hyphens "
    "(at most 64, starting with a letter or digit)"
)
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    """One mistake in a file, worded for the person who has to fix it."""

    file: Path
    message: str
    where: str = ""
    key: str | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.detail}"

    @property
    def detail(self) -> str:
        """The problem without its file: where, which key, what."""
        parts = [self.where] if self.where else []
        if self.key:
            parts.append(f"key {self.key!r}")
        return ": ".join([*parts, self.message])


# --- value checks: each returns the value or raises ValueError saying what was expected


def whole_number(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value

    return check


def number(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number from {low} to {high}")
        if not low <= float(value) <= high:
            raise ValueError(f"expected a number from {low} to {high}")
        return float(value)

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError("expected " + " or ".join(f"'{option}'" for option in options))
        return str(value)

    return check


def ident(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise ValueError(ID_EXPECTED)
    return value


def type_name(value: Any) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false"}
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return names.get(type(value), type(value).__name__)


# --- reading a file


def read_toml(
    path: Path, problems: list[Problem], *, max_bytes: int = MAX_FILE_BYTES
) -> dict[str, Any] | None:
    """The parsed document, or None with the reason appended to ``problems``."""
    raw = read_file(path, problems, max_bytes=max_bytes)
    return None if raw is None else parse_toml(path, raw, problems)


def read_file(
    path: Path, problems: list[Problem], *, max_bytes: int = MAX_FILE_BYTES
) -> bytes | None:
    """The file's bytes, or None with the reason appended to ``problems``. Folders,
    pipes, devices and oversized files are refused before a byte is read, and no more
    than ``max_bytes`` are ever read, whatever size the file claims."""
    try:
        return _read_regular_file(path, max_bytes)
    except _Refused as refused:
        problems.append(Problem(path, str(refused)))
    except FileNotFoundError:
        problems.append(Problem(path, _missing(path)))
    except OSError as error:
        problems.append(Problem(path, f"cannot read the file ({error.strerror or error})"))
    return None


class _Refused(Exception):
    """The file is not one to read; the message says why."""


_OPEN_FLAGS = (
    getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _read_regular_file(path: Path, max_bytes: int) -> bytes:
    _check_status(os.stat(path), max_bytes)
    # O_NONBLOCK: should a pipe take the file's place after the stat, open() must not
    # wait for a writer; the fstat then refuses it
    fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    try:
        _check_status(os.fstat(fd), max_bytes)
        raw = _read_at_most(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # it grew, or it is a /proc file that says it is empty
        raise _Refused(f"file is larger than {max_bytes:,} bytes; expected at most {max_bytes:,}")
    return raw


def _check_status(status: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise _Refused("expected a TOML file, found a folder")
    if not stat.S_ISREG(status.st_mode):  # a pipe or a device: reading could hang or not end
        raise _Refused("expected a TOML file, found something else")
    if status.st_size > max_bytes:
        raise _Refused(f"file is {status.st_size:,} bytes; expected at most {max_bytes:,}")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _missing(path: Path) -> str:
    try:
        return f"links to {os.readlink(path)}, which does not exist"
    except OSError:
        return "file not found"


def utf8_text(
    path: Path,
    raw: bytes,
    problems: list[Problem],
    *,
    mark: bool = True,
    save_as: str = "UTF-8",
    hint: str = "",
) -> str | None:
    """``raw`` (the bytes of ``path``) as text, or None with the reason in ``problems``,
    saying how to save it right (``save_as``, and ``hint`` after a byte that is not
    UTF-8): UTF-16 text is told by its byte-order mark, and UTF-8's own mark is dropped,
    or refused where ``mark`` is False (TOML, where it would read as an invalid
    statement)."""
    if raw.startswith(codecs.BOM_UTF8) and not mark:  # Notepad's habit
        problems.append(
            Problem(path, f"starts with a UTF-8 byte-order mark; save it as {save_as} without one")
        )
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Problem(path, f"is UTF-16 text; save it as {save_as}"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        told = f"expected UTF-8 text; byte {error.start} is not UTF-8"
        problems.append(Problem(path, f"{told} ({hint})" if hint else told))
        return None


def parse_toml(path: Path, raw: bytes, problems: list[Problem]) -> dict[str, Any] | None:
    """``raw`` (the bytes of ``path``) as a TOML document, or None with the reason."""
    text = utf8_text(path, raw, problems, mark=False)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(path, describe_toml_error(error)))
    except RecursionError:
        problems.append(Problem(path, "invalid TOML: nested too deeply"))
    except ValueError as error:  # tomllib lets int()'s limit on digits through
        if "integer string conversion" in str(error):
            problems.append(Problem(path, "invalid TOML: a number has too many digits"))
        else:
            problems.append(Problem(path, f"invalid TOML: {error}"))
    return None


def describe_toml_error(error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if found:
        return f"line {found[2]}, column {found[3]}: invalid TOML: {found[1]}"
    found = re.search(r"^(.*) \(at end of document\)$", message)
    if found:
        return f"at the end of the file: invalid TOML: {found[1]}"
    return f"invalid TOML: {message}"


def check_format(data: dict[str, Any], path: Path, problems: list[Problem], expected: int) -> bool:
    """``format = <expected>`` at the top of the file (``true`` is not 1)."""
    value = data.get("format")
    if value is None:
        problems.append(Problem(path, f"missing; expected format = {expected}", key="format"))
        return False
    if value != expected or isinstance(value, bool):
        problems.append(Problem(path, f"expected {expected}, got {value!r}", key="format"))
        return False
    return True


# --- typed access to one table


class Table:
    """Typed access to one TOML table that reports what is missing, wrong or unknown."""

    def __init__(
        self,
        data: Any,
        path: Path,
        where: str,
        allowed: set[str],
        problems: list[Problem],
        label: str | None = None,
    ) -> None:
        self.path = path
        self.where = where
        self.problems = problems
        self.ok = True
        if not isinstance(data, dict):
            self.data: dict[str, Any] = {}
            self.fail(None, f"expected a table, got {type_name(data)}")
            return
        self.data = data
        found = data.get("id")
        if label and isinstance(found, str) and ID_PATTERN.fullmatch(found):
            self.where = f"{label} '{found}'"  # name the table by its id in every problem
        for key in sorted(data.keys() - allowed):
            self.fail(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def fail(self, key: str | None, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.path, message, self.where, key))

    def text(self, key: str, *, required: bool = False, max_length: int = 10_000) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "missing; expected text")
            return ""
        if not isinstance(value, str):
            self.fail(key, f"expected text, got {type_name(value)}")
            return ""
        if required and not value.strip():
            self.fail(key, "expected non-empty text")
        if len(value) > max_length:
            self.fail(key, f"text is {len(value):,} characters; expected at most {max_length:,}")
        return value.strip()

    def ident(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "missing; expected an id like 'price-too-high'")
            return ""
        try:
            return ident(value)
        except ValueError as error:
            self.fail(key, f"{error}, got {value!r}")
            return ""

    def unique_id(self, seen: set[str], duplicate: str) -> str:
        """The table's required ``id`` (the table is named by it when it has a label); an
        id already in ``seen`` is the problem ``duplicate``. The id joins ``seen``."""
        found = self.ident("id", required=True)
        if found:
            if found in seen:
                self.fail("id", duplicate)
            seen.add(found)
        return found

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return whole_number(low, high)(value)
        except ValueError as error:
            self.fail(key, f"{error}, got {value!r}")
            return None

    def texts(
        self, key: str, *, required: bool = False, count: tuple[int, int] = (0, 100)
    ) -> tuple[str, ...]:
        value = self.data.get(key)
        low, high = count
        if value is None:
            if required:
                self.fail(key, f"missing; expected a list of {low} to {high} texts")
            return ()
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.fail(key, f"expected a list of {low} to {high} non-empty texts")
            return ()
        if not low <= len(value) <= high:
            self.fail(key, f"expected {low} to {high} items, got {len(value)}")
        return tuple(item.strip() for item in value)

    def idents(self, key: str) -> tuple[str, ...]:
        """Ids, each either 'drill' or 'pack/drill'."""
        items = self.texts(key)
        for item in items:
            if not all(ID_PATTERN.fullmatch(part) for part in item.split("/", 1)):
                self.fail(key, f"expected ids like 'old-drill' or 'pack/old-drill', got {item!r}")
        return items

    def tables(
        self, key: str, *, count: tuple[int, int] | None = None, parent: str = ""
    ) -> list[Any]:
        """An array of tables; ``parent`` names the enclosing table, as in [[drill.turn]]."""
        header = f"[[{parent}.{key}]]" if parent else f"[[{key}]]"
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"expected an array of tables ({header}), got {type_name(value)}")
            return []
        if count is not None and not count[0] <= len(value) <= count[1]:
            self.fail(key, f"expected {count[0]} to {count[1]} {header} entries, got {len(value)}")
        return value
