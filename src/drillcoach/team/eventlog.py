"""Events in the workspace (DESIGN.md §5): each member appends their own events to
events/<member>/<YYYY-MM>.jsonl, one JSON object a line, and reads the lines of others that
concern them. Reading trusts nothing: every line is checked (shape, author, authority,
paths, sizes, a replayed id with other content) and what is refused is said with its file
and line, while the rest goes on."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from drillcoach.errors import UserError
from drillcoach.events import (
    Event,
    EventError,
    ManagerRating,
    ReviewRequest,
    SelfRating,
    Sharing,
    Undo,
    from_dict,
    to_dict,
)
from drillcoach.scheduling.rules import rating_from_scores
from drillcoach.store import Store
from drillcoach.team.workspace import Membership, Team, checked_path
from drillcoach.tomlcheck import ID_PATTERN

MAX_LINE = 1 << 20  # bytes in one event line
MAX_FILE = 64 << 20  # bytes in one month's file of one member
MAX_TEXT = 20_000  # characters of a typed answer or a reply
MAX_NOTE = 2_000
MONTH_FILE = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\.jsonl\Z")
EVENT_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9-]{0,63}\Z")
EXPORTED = "exported:{member}"  # settings key: the store's rows already written out
TAIL = 32  # bytes kept from before a file's read mark, to notice a file rewritten
# the events a member writes that another member may read (suspend and bury stay private)
SHARED_TYPES = (SelfRating, ManagerRating, Undo, ReviewRequest, Sharing)


@dataclass(frozen=True)
class Refusal:
    """A line (or, at line 0, a whole file or folder) not taken, and why."""

    file: str  # relative to the workspace
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: line {self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


# --- writing my events


def encode(event: Event, *, share_answers: bool) -> bytes:
    """One line of the month file. A self-rating's typed answer and replies stay on the
    rep's machine unless the rep shares answers (a review request carries its own)."""
    if isinstance(event, SelfRating) and not share_answers:
        event = replace(event, answer=None, replies=())
    text = json.dumps(to_dict(event), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def month_of(event: Event) -> str:
    return f"{event.at.astimezone(UTC):%Y-%m}.jsonl"


def export(store: Store, membership: Membership, *, share_answers: bool, now: datetime) -> int:
    """Append my events not yet written to my month files; how many lines were written.
    Safe to interrupt: a line half-written is cut off, and lines already in a file (written
    before an interruption lost the store's mark) are not written twice."""
    me = membership.me.id
    shared = store.sharing(me)
    if (shared.answers if shared else False) != share_answers:
        store.add(Sharing(by=me, at=now, answers=share_answers))
    key = EXPORTED.format(member=me)
    events, marks = store.events_by(me, dict(store.get_setting(key, {})))
    by_file: dict[str, list[Event]] = {}
    for event in events:
        by_file.setdefault(month_of(event), []).append(event)
    written = 0
    for name, batch in sorted(by_file.items()):
        path = checked_path(membership.root, f"events/{me}/{name}")
        written += _append(path, [(e.id, encode(e, share_answers=share_answers)) for e in batch])
    if marks != store.get_setting(key, {}):
        store.set_setting(key, marks)
    return written


def _append(path: Path, lines: Sequence[tuple[str, bytes]]) -> int:
    from drillcoach.fileio import make_folder

    make_folder(path.parent)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        raise UserError(f"{path}: cannot write it ({error.strerror or error})") from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_nlink > 1:
            raise UserError(f"{path}: expected a file of drillcoach's own; not written")
        present = _repair(fd, status.st_size)
        fresh = [line for event_id, line in lines if event_id not in present]
        if fresh:
            os.lseek(fd, 0, os.SEEK_END)
            _write_all(fd, b"".join(fresh), path)
            os.fsync(fd)
        return len(fresh)
    finally:
        os.close(fd)


def _repair(fd: int, size: int) -> set[str]:
    """The ids of the events already in the file; a last line cut short by an
    interruption is removed first."""
    data = os.pread(fd, size, 0) if size else b""
    end = data.rfind(b"\n") + 1
    if end != len(data):
        os.ftruncate(fd, end)
        data = data[:end]
    present = set()
    for line in data.splitlines():
        try:
            found = json.loads(line).get("id")
        except (ValueError, AttributeError):
            continue
        if isinstance(found, str):
            present.add(found)
    return present


def _write_all(fd: int, data: bytes, path: Path) -> None:
    from drillcoach.errors import MachineError
    from drillcoach.fileio import reason

    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise MachineError(f"{path}: not written: {reason(error, path)}") from None


# --- reading everyone else's


@dataclass
class Imported:
    """What one import did."""

    added: int = 0
    known: int = 0
    refused: list[Refusal] = field(default_factory=list)
    touched: dict[str, set[str]] = field(default_factory=dict)  # rep -> drills rated
    files: int = 0  # files with new lines read
    news: list[Event] = field(default_factory=list)  # events added that concern me directly


def folders_to_read(membership: Membership) -> list[str]:
    """Whose events concern me: a manager's, everyone below them and their own managers
    (who may rate their reps); a rep's, their managers only."""
    team, me = membership.team, membership.me.id
    above = team.chain(me)
    if membership.is_manager:
        return [m.id for m in team.below(me)] + above
    return above


def concerns(membership: Membership, event: Event) -> bool:
    """Whether I keep ``event``, which passed every check: a manager keeps their reps'
    events and any rating of them or of their reps; a rep keeps ratings of themselves."""
    team, me = membership.team, membership.me.id
    if isinstance(event, ManagerRating):
        return event.rep == me or team.is_above(me, event.rep)
    if not membership.is_manager:
        return False
    return team.is_above(me, event.by)


def check(team: Team, event: Event, folder: str) -> str | None:
    """Why ``event``, read from ``folder``, must be refused; None when it may be kept."""
    if event.by != folder:
        return f"written by '{event.by}' in the folder of '{folder}'"
    if not EVENT_ID.fullmatch(event.id):
        return f"event id {event.id[:80]!r} is not an id drillcoach writes"
    if not datetime(2000, 1, 1, tzinfo=UTC) <= event.at <= datetime(2200, 1, 1, tzinfo=UTC):
        return f"time {event.at.isoformat()} is out of range"
    if isinstance(event, SelfRating | ManagerRating | ReviewRequest) and not _drill_id(
        event.drill_uid
    ):
        return f"drill {str(event.drill_uid)[:80]!r} is not a drill id like 'pack/drill'"
    if isinstance(event, SelfRating):
        return _texts(event.answer or "", *event.replies) or _ident(event.skill, "skill")
    if isinstance(event, ReviewRequest):
        return _texts(event.answer)
    if isinstance(event, Undo):
        return None if EVENT_ID.fullmatch(event.of) else "takes back an id drillcoach never writes"
    if isinstance(event, ManagerRating):
        return _manager_rating(team, event)
    return None


def _manager_rating(team: Team, event: ManagerRating) -> str | None:
    if event.rep not in team.members:
        return f"rates '{event.rep}', who is not a member in team.toml"
    if not team.is_above(event.by, event.rep):
        return f"'{event.by}' rates '{event.rep}' but is not their manager in team.toml"
    found = _ident(event.skill, "skill") or _ident(event.rubric, "rubric")
    if found:
        return found
    if not event.scores or len(event.scores) > 20:
        return "expected 1 to 20 rubric scores"
    for criterion, score in event.scores.items():
        if not ID_PATTERN.fullmatch(criterion) or not 1 <= score <= 5:
            return f"score {criterion[:64]!r} = {score!r}: expected a criterion id and 1 to 5"
    if rating_from_scores(event.scores) != event.rating:
        return "its rating does not match its scores"
    if len(event.note) > MAX_NOTE:
        return f"note longer than {MAX_NOTE:,} characters"
    if event.request is not None and not EVENT_ID.fullmatch(event.request):
        return "answers a request id drillcoach never writes"
    return None


def _drill_id(uid: str | None) -> bool:
    if uid is None:
        return True
    pack, _, drill = uid.partition("/")
    return bool(ID_PATTERN.fullmatch(pack) and ID_PATTERN.fullmatch(drill))


def _ident(value: str, what: str) -> str | None:
    return None if ID_PATTERN.fullmatch(value) else f"{what} {value[:80]!r} is not an id"


def _texts(*texts: str) -> str | None:
    if len(texts) > 51 or any(len(text) > MAX_TEXT for text in texts):
        return f"text longer than {MAX_TEXT:,} characters"
    return None


def digest(line: bytes) -> int:
    """64 bits that change when a line's content does (kept as a signed SQLite integer)."""
    return int.from_bytes(hashlib.blake2b(line, digest_size=8).digest(), "big", signed=True)


def parse_line(line: bytes) -> Event | str:
    """The event a line holds, or why it holds none."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return "not a JSON object"
    if not isinstance(data, dict):
        return "not a JSON object"
    try:
        return from_dict(data)
    except (EventError, ValueError, TypeError, OverflowError) as error:
        return str(error)[:200] or "not an event"


def import_events(
    store: Store,
    membership: Membership,
    *,
    progress: Callable[[str], None] = lambda _: None,
) -> Imported:
    """Read the new lines of every file that concerns me, keep what passes, refuse the
    rest. Each file's new lines and its read mark are stored in one transaction, so an
    interruption loses nothing and repeats nothing."""
    result = Imported()
    marks = store.file_marks()
    root = membership.root
    for folder in folders_to_read(membership):
        for relative, path, problem in _files(root, folder):
            if problem:
                result.refused.append(Refusal(relative, 0, problem))
                continue
            assert path is not None
            _import_file(store, membership, folder, relative, path, marks.get(relative), result)
    if result.files:
        progress(f"read {result.files} file(s)")
    return result


def _files(root: Path, folder: str) -> Iterator[tuple[str, Path | None, str | None]]:
    """(relative path, path, why refused) of each month file in a member's folder."""
    relative = f"events/{folder}"
    path = root / "events" / folder
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        yield relative, None, f"cannot read the folder ({error.strerror or error})"
        return
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISDIR(status.st_mode):
        yield relative, None, "expected a folder of the workspace, found a link or a file"
        return
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        yield relative, None, "leads outside the workspace"
        return
    for name in sorted(os.listdir(path)):
        inner = f"{relative}/{name}"
        if not MONTH_FILE.fullmatch(name):
            if name != ".gitkeep":
                yield inner, None, "unexpected file name; expected YYYY-MM.jsonl"
            continue
        yield inner, path / name, None


def _import_file(
    store: Store,
    membership: Membership,
    folder: str,
    relative: str,
    path: Path,
    mark: tuple[int, int, bytes] | None,
    result: Imported,
) -> None:
    try:
        data, start, lines_before = _new_bytes(path, mark)
    except _FileRefused as error:
        result.refused.append(Refusal(relative, 0, str(error)))
        return
    end = data.rfind(b"\n") + 1  # a line still being written waits for the next sync
    if end == 0 and mark is not None and start == mark[0]:
        return
    body = data[:end]
    team = membership.team
    refused: list[Refusal] = []
    with store.transaction():
        number = lines_before
        for line in _lines(body):
            number += 1
            if len(line) > MAX_LINE:
                refused.append(Refusal(relative, number, "line longer than 1 MiB"))
                continue
            if not line.strip():
                continue
            event = parse_line(line)
            if isinstance(event, str):
                refused.append(Refusal(relative, number, event))
                continue
            if not isinstance(event, SHARED_TYPES):
                continue  # suspend and bury are a rep's own business
            problem = check(team, event, folder)
            if problem:
                refused.append(Refusal(relative, number, problem))
                continue
            if not concerns(membership, event):
                continue
            try:
                outcome = store.import_event(event, digest(line))
            except ValueError as error:  # an undo of a rating never seen
                refused.append(Refusal(relative, number, str(error)))
                continue
            except sqlite3.IntegrityError:  # a second undo of one rating
                refused.append(Refusal(relative, number, "takes back a rating already taken back"))
                continue
            if outcome == "conflict":
                refused.append(Refusal(relative, number, f"event id {event.id} is already "
                                                         "used by another event"))  # fmt: skip
            elif outcome == "known":
                result.known += 1
            else:
                result.added += 1
                _touch(result, membership, event, store)
        size = start + end
        tail = (data[:end] if end >= TAIL else (_tail(path, size)))[-TAIL:]
        store.set_file_mark(relative, size, number, tail)
    result.refused.extend(refused)
    result.files += 1


def _touch(result: Imported, membership: Membership, event: Event, store: Store) -> None:
    """Note the cards ``event`` moves, and whether it is news for me."""
    if isinstance(event, SelfRating | ManagerRating) and event.drill_uid is not None:
        result.touched.setdefault(event.rep, set()).add(event.drill_uid)
    elif isinstance(event, Undo):
        drill = store.drill_of_rating(event.of)
        if drill is not None:
            result.touched.setdefault(event.by, set()).add(drill)
    if (isinstance(event, ManagerRating) and event.rep == membership.me.id) or isinstance(
        event, ReviewRequest
    ):
        result.news.append(event)


def _lines(body: bytes) -> Iterable[bytes]:
    return body.split(b"\n")[:-1] if body else ()


class _FileRefused(Exception):
    pass


def _new_bytes(path: Path, mark: tuple[int, int, bytes] | None) -> tuple[bytes, int, int]:
    """(the bytes after the read mark, where they start, lines before them). A file that
    shrank or whose bytes before the mark changed is read again from its start."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise _FileRefused(f"cannot read it ({error.strerror or error}); "
                           "expected a file of the workspace, not a link") from None  # fmt: skip
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise _FileRefused("expected a file, found something else")
        if status.st_nlink > 1:
            raise _FileRefused("is a hard link; expected a file of the workspace's own")
        if status.st_size > MAX_FILE:
            raise _FileRefused(f"is {status.st_size:,} bytes; expected at most {MAX_FILE:,}")
        start, lines = 0, 0
        if mark is not None:
            size, counted, tail = mark
            if status.st_size >= size and os.pread(fd, len(tail), size - len(tail)) == tail:
                start, lines = size, counted
        data = os.pread(fd, status.st_size - start, start) if status.st_size > start else b""
        return data, start, lines
    finally:
        os.close(fd)


def _tail(path: Path, size: int) -> bytes:
    with open(path, "rb") as file:
        file.seek(max(0, size - TAIL))
        return file.read(min(size, TAIL))


def refusal_lines(refusals: Sequence[Refusal]) -> list[str]:
    return [str(refusal) for refusal in refusals]
