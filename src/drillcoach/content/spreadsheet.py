"""Drill packs as spreadsheets: a CSV file with one row per drill, the layout enablement
keeps in Excel or Google Sheets, turned into a pack file checked exactly as the loader
checks one, and a loaded pack written back in the same layout."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from drillcoach.content.library import check_pack
from drillcoach.content.models import FORMAT, MAX_DRILLS_PER_PACK, TURNS_RANGE, Library, Pack
from drillcoach.errors import UserError
from drillcoach.tomlcheck import MAX_FILE_BYTES, Problem, read_file, utf8_text

# the columns of a drill, in the order of a [[drill]] table; then turn_1_buyer,
# turn_1_model, turn_2_buyer, ... for a role-play's turns
COLUMNS = (
    "id", "kind", "skill", "title", "persona", "situation", "prompt", "key_points",
    "model_answer", "time_limit", "word_limit", "rubric", "tags", "replaces",
)  # fmt: skip
REQUIRED_COLUMNS = ("id", "kind", "skill", "title", "key_points")
# cells holding several entries: one per line in the cell (Alt+Enter in Excel,
# Ctrl+Enter in Google Sheets); a semicolon or comma could be part of a key point
LIST_COLUMNS = ("key_points", "tags", "replaces")
SEPARATOR = "\n"
NUMBER_COLUMNS = ("time_limit", "word_limit")
TURN_COLUMN = re.compile(r"\Aturn_([1-9][0-9]*)_(buyer|model)\Z")
DELIMITERS = (",", ";", "\t")  # some Excel locales save CSV with semicolons
HEADER_ROW = 1
_LABELLED = re.compile(r"\Adrill (?:#(\d+)|'([^']*)')(?: turn #(\d+))?\Z")


@dataclass(frozen=True)
class Sheet:
    """A drill sheet as read: its columns (normalised names, in file order, "" for a
    column without a name) and its rows that hold something, by spreadsheet row number."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def column(self, name: str) -> str:
        """How a problem names a column: its letter and name, as the spreadsheet shows it."""
        if name in self.columns:
            return f"column {column_letter(self.columns.index(name))} ({name})"
        return f"column {name} (not in the sheet; add it)"

    def turn_count(self) -> int:
        found = (TURN_COLUMN.fullmatch(name) for name in self.columns)
        return max((int(match[1]) for match in found if match), default=0)


@dataclass(frozen=True)
class ImportedPack:
    """The pack file a sheet becomes (UTF-8 TOML), and how many drills it holds."""

    data: bytes
    drills: int


def column_letter(index: int) -> str:
    """The spreadsheet's name of the column at ``index`` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_name(cell: str) -> str:
    """A column heading as drillcoach reads it: 'Key points' and 'key-points' are key_points."""
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def plain_line_breaks(text: str) -> str:
    """Line breaks in a cell as the pack keeps them (a spreadsheet may save \\r\\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- reading a sheet


def read_sheet(path: Path, problems: list[Problem]) -> Sheet | None:
    """The sheet in ``path``, or None with every reason in ``problems``: UTF-8 with or
    without a byte-order mark, any line ends, comma-separated (or by semicolons or tabs,
    found from the header row); a header row naming the columns, then a row per drill."""
    if path.is_dir():
        problems.append(Problem(path, "expected a CSV file, found a folder"))
        return None
    raw = read_file(path, problems, max_bytes=MAX_FILE_BYTES)
    if raw is None:
        return None
    if raw.startswith(b"PK\x03\x04"):  # a zip file: what .xlsx and .ods are
        problems.append(Problem(path, "is a workbook, not CSV; save the sheet as CSV UTF-8"))
        return None
    text = utf8_text(path, raw, problems, save_as="CSV UTF-8",
                     hint="in Excel: Save As, 'CSV UTF-8'")  # fmt: skip
    if text is None:
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda mark: _known_columns(first_line, mark))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        problems.append(Problem(path, f"not a CSV file drillcoach can read: {error}"))
        return None
    if not records:
        problems.append(Problem(path, "is empty; expected a header row naming the columns"))
        return None
    before = len(problems)
    columns = tuple(header_name(cell) for cell in records[0])
    _check_header(path, columns, problems)
    if len(problems) > before:
        return None  # the rows mean nothing under a header that is wrong
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], HEADER_ROW + 1):
        if not any(cell.strip() for cell in record):
            continue  # a blank row, as spreadsheets leave at the end
        cells: dict[str, str] = {}
        for index, cell in enumerate(record):
            name = columns[index] if index < len(columns) else ""
            if name:
                cells[name] = plain_line_breaks(cell)
            elif cell.strip():
                where = f"row {number}, column {column_letter(index)}"
                problems.append(Problem(path, "a value under no column name", where))
        rows.append((number, cells))
    sheet = Sheet(path, columns, tuple(rows))
    if not rows:
        problems.append(Problem(path, "no drills: expected a row per drill under the header"))
    elif len(rows) > MAX_DRILLS_PER_PACK:
        problems.append(
            Problem(path, f"{len(rows)} drills; a pack holds at most {MAX_DRILLS_PER_PACK}")
        )
    return sheet if len(problems) == before else None


def _known_columns(line: str, delimiter: str) -> int:
    """How many columns drillcoach knows the header ``line`` has, cut at ``delimiter``."""
    cells = next(csv.reader([line], delimiter=delimiter), [])
    names = [header_name(cell) for cell in cells]
    return sum(1 for name in names if name in COLUMNS or TURN_COLUMN.fullmatch(name))


def _check_header(path: Path, columns: tuple[str, ...], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(columns):
        where = f"row {HEADER_ROW}, column {column_letter(index)}"
        turn = TURN_COLUMN.fullmatch(name)
        if name and name in seen:
            problems.append(Problem(path, f"'{name}' is already a column", where))
        elif turn and int(turn[1]) > TURNS_RANGE[1]:
            message = f"'{name}': a role-play has at most {TURNS_RANGE[1]} turns"
            problems.append(Problem(path, message, where))
        elif name and name not in COLUMNS and not turn:
            expected = ", ".join(COLUMNS)
            message = (
                f"unknown column '{name}' (columns: {expected}, turn_1_buyer, turn_1_model, ...)"
            )
            problems.append(Problem(path, message, where))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(Problem(path, f"missing the column '{name}'", f"row {HEADER_ROW}"))


# --- a sheet becomes a pack


def drill_table(cells: dict[str, str], turns: int) -> dict[str, Any]:
    """A row as a [[drill]] table, as the loader reads one: an empty cell is a key left
    out, numbers that read as whole numbers are numbers (any other text is left for the
    loader to refuse), a list cell holds one entry per line. Turns run up to the last
    filled one, so a gap is a turn the loader finds empty."""
    table: dict[str, Any] = {}
    for name in COLUMNS:
        value = cells.get(name, "").strip()
        if not value:
            continue
        if name in LIST_COLUMNS:
            table[name] = [item.strip() for item in value.split(SEPARATOR) if item.strip()]
        elif name in NUMBER_COLUMNS and value.isascii() and value.isdigit() and len(value) < 10:
            table[name] = int(value)
        else:
            table[name] = value
    entries = []
    for number in range(1, turns + 1):
        entry = {
            key: text
            for key in ("buyer", "model")
            if (text := cells.get(f"turn_{number}_{key}", "").strip())
        }
        entries.append(entry)
    while entries and not entries[-1]:
        entries.pop()
    if entries:
        table["turn"] = entries
    return table


def pack_document(
    sheet: Sheet,
    pack_id: str,
    title: str,
    *,
    description: str = "",
    rubric: str | None = None,
) -> dict[str, Any]:
    """The pack a sheet becomes: ``pack_id`` and ``title`` (and, given, the default
    rubric of its drills), version 1, and a drill per row, in row order."""
    head: dict[str, Any] = {
        "id": pack_id,
        "title": title,
        "version": "1",
        "description": description or f"{title}: drills imported from {sheet.path.name}.",
    }
    if rubric:
        head["rubric"] = rubric
    turns = sheet.turn_count()
    drills = [drill_table(cells, turns) for _, cells in sheet.rows]
    return {"format": FORMAT, "pack": head, "drill": drills}


def import_sheet(
    sheet: Sheet,
    library: Library,
    target: Path,
    pack_id: str,
    title: str,
    problems: list[Problem],
    *,
    description: str = "",
    rubric: str | None = None,
) -> ImportedPack | None:
    """The pack file ``sheet`` becomes at ``target``, checked beside ``library``'s packs
    as the loader checks a pack file; None when it has problems, each added to
    ``problems`` with the row and column it comes from. Nothing is written."""
    import tomli_w

    found: list[Problem] = []
    sheet = _first_of_each_id(sheet, found)
    document = pack_document(sheet, pack_id, title, description=description, rubric=rubric)
    data = tomli_w.dumps(document, multiline_strings=True).encode("utf-8")
    found.extend(sheet_problem(sheet, problem) for problem in check_pack(library, target, data))
    if len(data) > MAX_FILE_BYTES:
        found.append(
            Problem(
                sheet.path,
                f"the pack would be {len(data):,} bytes; a pack file holds at "
                f"most {MAX_FILE_BYTES:,} (split the sheet in two)",
            )
        )
    problems.extend(sorted(found, key=_row_of))
    if found:
        return None
    return ImportedPack(data, len(document["drill"]))


def _row_of(problem: Problem) -> int:
    """The row a problem is in, 0 for the file or an option, to list problems in row order."""
    found = re.match(r"row (\d+)", problem.where)
    return int(found[1]) if found else 0


def _first_of_each_id(sheet: Sheet, problems: list[Problem]) -> Sheet:
    """The sheet without the rows that repeat an earlier row's drill id, each such row a
    problem: then every drill the loader names by its id is one row."""
    first: dict[str, int] = {}
    kept = []
    for number, cells in sheet.rows:
        drill_id = cells.get("id", "").strip()
        if drill_id in first:
            message = f"duplicate drill id '{drill_id}' (row {first[drill_id]} has it too)"
            problems.append(Problem(sheet.path, message, f"row {number}, {sheet.column('id')}"))
            continue
        if drill_id:
            first[drill_id] = number
        kept.append((number, cells))
    return replace(sheet, rows=tuple(kept))


def sheet_problem(sheet: Sheet, problem: Problem) -> Problem:
    """A problem of the pack file a sheet became, told by the sheet's row and column
    (a pack's own field by the option that set it)."""
    if problem.where == "[pack]":
        return Problem(sheet.path, problem.message, f"--{problem.key}")
    labelled = _LABELLED.fullmatch(problem.where)
    if labelled is None or problem.key is None:
        return Problem(sheet.path, problem.detail)
    index, drill_id, turn = labelled.groups()
    if index is not None:
        row: int | None = sheet.rows[int(index) - 1][0]
    else:  # ids are unique by now (_first_of_each_id)
        row = next((n for n, cells in sheet.rows if cells.get("id", "").strip() == drill_id), None)
    if row is None:
        return Problem(sheet.path, problem.detail)
    column = _column_of(sheet, row, problem.key, turn)
    where = f"row {row}, {sheet.column(column)}"
    return Problem(sheet.path, _sheet_words(problem.message, column), where)


def _column_of(sheet: Sheet, row: int, key: str, turn: str | None) -> str:
    if turn is not None:
        return f"turn_{turn}_{key}"
    if key != "turn":
        return key
    cells = dict(sheet.rows).get(row, {})
    filled = [
        name
        for name in sheet.columns
        if TURN_COLUMN.fullmatch(name) and cells.get(name, "").strip()
    ]
    return filled[0] if filled else "turn_1_buyer"


def _sheet_words(message: str, column: str) -> str:
    """A loader message in the sheet's words: an empty cell, not a missing key; turns,
    not [[drill.turn]] tables; one entry per line in a list cell."""
    if message.startswith("missing;"):
        message = "empty;" + message.removeprefix("missing;")
    message = message.replace("[[drill.turn]] entries", "turns")
    message = message.replace("[[drill.turn]]", "the turn_1_buyer, turn_2_buyer, ... columns")
    message = re.sub(r"a list of (\d+) to (\d+) (non-empty )?texts", r"\1 to \2 entries", message)
    if column in LIST_COLUMNS:
        message += " (one per line in the cell)"
    return message


# --- a pack becomes a sheet


def pack_sheet(pack: Pack) -> tuple[list[str], list[list[str]]]:
    """A pack's drills as a sheet's header and rows, in the layout ``read_sheet`` reads:
    every drill column, then as many turn columns as its longest role-play needs. A
    UserError says which entry a cell could not hold (a line break inside one)."""
    turns = max((len(drill.turns) for drill in pack.drills), default=0)
    header = [*COLUMNS]
    for number in range(1, turns + 1):
        header += [f"turn_{number}_buyer", f"turn_{number}_model"]
    rows = []
    for drill in pack.drills:
        values: dict[str, str | int | tuple[str, ...] | None] = {
            "id": drill.id, "kind": drill.kind, "skill": drill.skill, "title": drill.title,
            "persona": drill.persona, "situation": drill.situation, "prompt": drill.prompt,
            "key_points": drill.key_points, "model_answer": drill.model_answer,
            "time_limit": drill.time_limit, "word_limit": drill.word_limit,
            "rubric": drill.rubric, "tags": drill.tags, "replaces": drill.replaces,
        }  # fmt: skip
        row = []
        for name in COLUMNS:
            value = values[name]
            if isinstance(value, tuple):
                for item in value:
                    if SEPARATOR in item:
                        raise UserError(
                            f"pack '{pack.id}', drill '{drill.id}': {name} entry "
                            f"{item[:40]!r} holds a line break; a cell keeps one entry per line"
                        )
                row.append(SEPARATOR.join(value))
            else:
                row.append("" if value is None else str(value))
        for turn in drill.turns:
            row += [turn.buyer, turn.model]
        row += [""] * (len(header) - len(row))
        rows.append(row)
    return header, rows


def sheet_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A sheet as CSV text: comma-separated, quoted where a cell needs it, \\r\\n after
    each row as spreadsheets save it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
