"""An Anki deck brought over: the text file Anki exports ("Notes in Plain Text", .txt),
a note per line with its front and back, becomes a sheet of question drills that
spreadsheet.py turns into a pack, checked as any pack is. The front is the question,
the back the model answer, and each line of the back a key point to tick."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

from drillcoach.content.models import KEY_POINTS_RANGE, MAX_DRILLS_PER_PACK
from drillcoach.content.spreadsheet import Sheet
from drillcoach.tomlcheck import MAX_FILE_BYTES, Problem, read_file, utf8_text

# Anki's "#separator:" names, and the character each means
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
              "colon": ":"}  # fmt: skip
# header lines that say a column holds something other than a field of the note
NOT_FIELDS = ("guid", "notetype", "deck", "tags")
COLUMNS = ("id", "kind", "skill", "title", "prompt", "key_points", "model_answer")
TITLE_LENGTH = 70  # characters of the front a drill's title keeps
ID_LENGTH = 40
_BREAKS = re.compile(r"<br\s*/?>|</(?:div|p|li)>|<(?:li)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SOUND = re.compile(r"\[sound:[^\]]*\]")
# a cloze deletion: {{c1::answer}} or {{c1::answer::hint}}
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def looks_like_anki(path: Path, head: bytes) -> bool:
    """Whether a file given to ``packs import`` is Anki's export: its header lines, or a
    .txt name (a spreadsheet is saved as .csv)."""
    return head.startswith(b"#separator:") or path.suffix.lower() == ".txt"


def plain(field: str, as_html: bool) -> str:
    """A field as text: line breaks where Anki's HTML breaks lines, tags and sounds left
    out, entities read; lines trimmed, blank ones dropped."""
    if as_html:
        field = _TAGS.sub("", _BREAKS.sub("\n", field))
        field = html.unescape(field).replace("\xa0", " ")
    field = _SOUND.sub("", field)
    lines = (" ".join(line.split()) for line in field.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def read_notes(path: Path, skill: str, problems: list[Problem]) -> Sheet | None:
    """The notes of an Anki text export as a sheet of question drills of ``skill`` (a
    row per note, numbered by its line in the file), or None with every reason in
    ``problems``."""
    raw = read_file(path, problems, max_bytes=MAX_FILE_BYTES)
    if raw is None:
        return None
    text = utf8_text(path, raw, problems, hint="Anki exports UTF-8: export the deck again")
    if text is None:
        return None
    separator, as_html, taken, body, first = "\t", True, set[int](), [], 1
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            body, first = lines[number - 1 :], number
            break
        key, _, value = line[1:].strip().partition(":")
        if key == "separator":
            separator = SEPARATORS.get(value.strip().lower(), value.strip()[:1] or "\t")
        elif key == "html":
            as_html = value.strip().lower() == "true"
        elif key.removesuffix(" column") in NOT_FIELDS and value.strip().isdigit():
            taken.add(int(value) - 1)
    else:
        body = []
    rows: list[tuple[int, dict[str, str]]] = []
    used: set[str] = set()
    before = len(problems)
    records = csv.reader(io.StringIO("".join(body), newline=""), delimiter=separator)
    for record in records:
        number = first + records.line_num - 1  # the note's last line; most notes have one
        fields = [plain(cell, as_html) for index, cell in enumerate(record) if index not in taken]
        if not any(fields):
            continue
        front, back = [*fields, "", ""][:2]
        cloze = cloze_note(front, back)
        if cloze is not None:
            front, back, points = cloze
        elif not front or not back:
            side = "front" if not front else "back"
            problems.append(Problem(path, f"a note with an empty {side}", f"line {number}"))
            continue
        else:
            points = back.split("\n")
        if len(points) > KEY_POINTS_RANGE[1]:  # a long back: its first lines, then the rest
            points = [
                *points[: KEY_POINTS_RANGE[1] - 1],
                " ".join(points[KEY_POINTS_RANGE[1] - 1 :]),
            ]
        cells = {
            "id": _unique_id(front, used),
            "kind": "question",
            "skill": skill,
            "title": _title(front),
            "prompt": front,
            "key_points": "\n".join(points),
            "model_answer": back,
        }
        rows.append((number, cells))
    if len(problems) > before:
        return None
    if not rows:
        problems.append(Problem(path, "no notes: expected a line per note, front and back"))
        return None
    if len(rows) > MAX_DRILLS_PER_PACK:
        problems.append(
            Problem(path, f"{len(rows)} notes; a pack holds at most {MAX_DRILLS_PER_PACK}")
        )
        return None
    return Sheet(path, COLUMNS, tuple(rows))


def cloze_note(text: str, extra: str) -> tuple[str, str, list[str]] | None:
    """A cloze note (its text holds ``{{c1::answer}}`` or ``{{c1::answer::hint}}``) as a
    question, its model answer and key points: the question is the text with each
    deletion blanked ("[...]", or "[hint]"), the model answer the whole text (and the
    note's extra field under it), each deleted answer a key point. None for a note with
    no deletion."""
    answers = [answer.strip() for answer, _ in _CLOZE.findall(text)]
    if not answers:
        return None
    question = _CLOZE.sub(lambda found: f"[{(found.group(2) or '...').strip()}]", text)
    whole = _CLOZE.sub(lambda found: found.group(1), text)
    points = list(dict.fromkeys(answer for answer in answers if answer))
    return question, "\n".join(part for part in (whole, extra) if part), points


def _title(front: str) -> str:
    first = front.split("\n", 1)[0]
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def _unique_id(front: str, used: set[str]) -> str:
    """A drill id from the front's words (ASCII letters and digits, hyphens), unique in
    the pack: a second note of the same start gets -2, and so on."""
    words = re.findall(r"[a-z0-9]+", front.lower().encode("ascii", "ignore").decode())
    base = "-".join(words)[:ID_LENGTH].strip("-") or "note"
    found, count = base, 1
    while found in used:
        count += 1
        found = f"{base}-{count}"
    used.add(found)
    return found
