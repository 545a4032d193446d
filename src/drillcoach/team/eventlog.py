"""Events in the workspace (DESIGN.md §5): each member appends their own events to
events/<member>/<YYYY-MM>.jsonl, one JSON object a line, and reads the lines of others that
concern them. Reading trusts nothing: every line is checked (shape, author, authority,
paths, sizes, a replayed id with other content) and what is refused is said with its file
and line, while the rest goes on."""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from drillcoach.config import SETTINGS, Config
from drillcoach.errors import UserError
from drillcoach.events import (
    COACHING_TYPES,
    MAX_MOMENTS,
    MAX_NOTE,
    MAX_OBJECTIONS,
    MAX_SKILLS,
    MAX_TEXT,
    AgendaOpened,
    Agreement,
    CoachingEvent,
    Commitment,
    CommitmentUpdate,
    Debrief,
    DebriefReview,
    DnaCheck,
    Event,
    EventError,
    ManagerRating,
    ReviewRequest,
    Scheduling,
    SelfRating,
    Sharing,
    Undo,
    Vision,
    from_dict,
    to_dict,
)
from drillcoach.scheduling.cards import mark_stale
from drillcoach.scheduling.personal import parameters_problem, said_by, scheduling_of
from drillcoach.scheduling.rules import rating_from_scores
from drillcoach.steps import Progress, unheard
from drillcoach.store import Store
from drillcoach.store.db import FileMark, RatingRow
from drillcoach.store.encoding import event_id as stored_event_id
from drillcoach.store.encoding import micros
from drillcoach.team.workspace import Membership, Team, checked_path
from drillcoach.tomlcheck import ID_PATTERN

MAX_LINE = 1 << 20  # bytes in one event line
MAX_FILE = 64 << 20  # bytes in one month's file of one member
MONTH_FILE = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\.jsonl\Z")
EVENT_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9-]{0,63}\Z")
EXPORTED = "exported:{member}"  # settings key: the store's rows already written out
TAIL = 32  # bytes kept from before a file's read mark, to notice a file rewritten
# a file whose status (inode, size, times, links) did not change for this long before it
# was read is passed over unopened while its status stays the same: any write since
# changes its ctime, which nothing can set back (a file written within the last moments
# may share its time with a write still to come, so it is checked by its tail instead)
SETTLED_NS = 3_000_000_000
_EPOCH_DAY = date(1970, 1, 1)
# the events a member writes that another member may read (suspend and bury stay private,
# and so does a manager's opening of an agenda); a rep's coaching records only when shared
SHARED_TYPES = (
    SelfRating, ManagerRating, Undo, ReviewRequest, Sharing,
    *(kind for kind in COACHING_TYPES if kind is not AgendaOpened),
)  # fmt: skip
# a rep's coaching records, by the share_* setting that lets them out
COACHING_SHARES: dict[str, tuple[type[CoachingEvent], ...]] = {
    "vision": (Vision, DnaCheck),
    "agreement": (Agreement,),
    "commitments": (Commitment, CommitmentUpdate),
    "debriefs": (Debrief,),
}


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


def sharing_of(config: Config, member: str, now: datetime) -> Sharing:
    """What the config says the member shares, as the event that says it to the team."""
    return Sharing(
        by=member,
        at=now,
        answers=config.share_answers,
        vision=config.share_vision,
        agreement=config.share_agreement,
        commitments=config.share_commitments,
        debriefs=config.share_debriefs,
    )


def _choices(sharing: Sharing | None) -> tuple[bool, ...]:
    if sharing is None:
        return (False,) * (1 + len(COACHING_SHARES))
    return (sharing.answers, *(getattr(sharing, kind) for kind in COACHING_SHARES))


def export(store: Store, membership: Membership, *, config: Config, now: datetime) -> int:
    """Append my events not yet written to my month files; how many lines were written.
    Coaching records go only of the kinds I share. Safe to interrupt: a line half-written
    is cut off, and lines already in a file (written before an interruption lost the
    store's mark) are not written twice."""
    me = membership.me.id
    share_answers = config.share_answers
    wanted = sharing_of(config, me, now)
    if _choices(store.sharing(me)) != _choices(wanted):
        store.add(wanted)
    scheduling = scheduling_of(store, config, me, now)
    if scheduling.choice != said_by(store, me):
        store.add(scheduling)  # changed since last said, or no longer the defaults
    # a manager's debrief reviews and a rep's scheduling, always
    kinds: list[type[CoachingEvent]] = [DebriefReview, Scheduling]
    for kind, types_ in COACHING_SHARES.items():
        if getattr(wanted, kind):
            kinds.extend(types_)
    key = EXPORTED.format(member=me)
    before = store.get_setting(key, {})
    events, marks = store.events_by(me, dict(before), kinds)
    by_file: dict[str, list[Event]] = {}
    for event in events:
        by_file.setdefault(month_of(event), []).append(event)
    written = 0
    for name, batch in sorted(by_file.items()):
        path = checked_path(membership.root, f"events/{me}/{name}")
        written += _append(path, [(e.id, encode(e, share_answers=share_answers)) for e in batch])
    if marks != before:
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
    # rep -> drill -> the earliest ``at`` (micros) of the ratings added, 0 where an undo
    # took one back: whether a kept card may step through them (scheduling/cards.py)
    earliest: dict[str, dict[str, int]] = field(default_factory=dict)
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
    if isinstance(event, ManagerRating | DebriefReview):
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
        return (
            _texts(event.answer or "", *event.replies)
            or _ident(event.skill, "skill")
            or _numbers(event.duration_ms, event.time_limit, event.key_points_total)
        )
    if isinstance(event, ReviewRequest):
        return _texts(event.answer) or _numbers(event.key_points_total)
    if isinstance(event, Undo):
        return None if EVENT_ID.fullmatch(event.of) else "takes back an id drillcoach never writes"
    if isinstance(event, ManagerRating):
        return _manager_rating(team, event)
    if isinstance(event, COACHING_TYPES):
        return _coaching(team, event)
    return None


def _coaching(team: Team, event: CoachingEvent) -> str | None:
    """Why a coaching record must be refused: sizes, ranges and ids (DebriefReview: the
    authority of its author too)."""
    if isinstance(event, DebriefReview):
        if not team.is_above(event.by, event.rep):
            return f"'{event.by}' reviews a debrief of '{event.rep}' but is not their manager"
        return (
            _scores(event.scores)
            or _ident(event.rubric, "rubric")
            or (None if EVENT_ID.fullmatch(event.debrief) else "reviews an unknown debrief id")
            or _notes(event.note)
        )
    if isinstance(event, Vision):
        if not (1 <= event.desire <= 10 and 1 <= event.willingness <= 10):
            return "desire and willingness must be 1 to 10"
        return _notes(event.in_2_years, event.in_3_years, event.in_5_years, event.why,
                      event.done_lately, event.give_up, event.in_the_way)  # fmt: skip
    if isinstance(event, Agreement):
        if len(event.areas) > 20:
            return "more than 20 coaching areas"
        return next(
            (found for area in event.areas
             if (found := _ident(area.skill, "skill") or _notes(area.vision))),
            None,
        ) or _notes(event.note)  # fmt: skip
    if isinstance(event, Commitment):
        return (
            _notes(event.text, event.motivation)
            or _numbers(event.number)
            or (_ident(event.pack, "pack") if event.pack is not None else None)
        )
    if isinstance(event, CommitmentUpdate):
        return None if EVENT_ID.fullmatch(event.of) else "updates an unknown commitment id"
    if isinstance(event, Debrief):
        if (
            len(event.objections) > MAX_OBJECTIONS
            or len(event.moments) > MAX_MOMENTS
            or len(event.skills) > MAX_SKILLS
        ):
            return "more objections, moments or skills than a debrief holds"
        return (
            _notes(event.account, event.went_well, event.to_improve, event.next_step,
                   event.recording, *event.objections,
                   *(text for moment in event.moments for text in (moment.at, moment.note)))
            or _scores(event.skills, ident="skill")
        )  # fmt: skip
    if isinstance(event, DnaCheck):
        return _scores(event.answers, ident="statement")
    if isinstance(event, Scheduling):
        try:
            SETTINGS["desired_retention"].check(event.desired_retention)
        except ValueError as error:
            return f"desired_retention: {error}"
        return None if event.parameters is None else parameters_problem(event.parameters)
    return None


def _notes(*texts: str) -> str | None:
    if any(len(text) > MAX_NOTE for text in texts):
        return f"text longer than {MAX_NOTE:,} characters"
    return None


def _scores(scores: Mapping[str, int], ident: str = "criterion") -> str | None:
    if len(scores) > 40:
        return f"more than 40 {ident} scores"
    for name, score in scores.items():
        if not ID_PATTERN.fullmatch(name) or isinstance(score, bool) or not 1 <= score <= 5:
            return f"score {name[:64]!r} = {score!r}: expected a {ident} id and 1 to 5"
    return None


def _manager_rating(team: Team, event: ManagerRating) -> str | None:
    if event.rep not in team.members:
        return f"rates '{event.rep}', who is not a member in team.toml"
    if not team.is_above(event.by, event.rep):
        return f"'{event.by}' rates '{event.rep}' but is not their manager in team.toml"
    found = _ident(event.skill, "skill") or _ident(event.rubric, "rubric")
    if found:
        return found
    # a criterion scored n/a is left out of the scores, so at least one is there
    if not event.scores or len(event.scores) > 20:
        return "expected 1 to 20 rubric scores (a criterion scored n/a is left out)"
    found = _scores(event.scores)
    if found:
        return found
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


def _numbers(*numbers: int | None) -> str | None:
    """Whole numbers a database keeps (SQLite's integers have 64 bits)."""
    if any(number is not None and not -(2**63) <= number < 2**63 for number in numbers):
        return "a number out of range"
    return None


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
    if "id" not in data:  # from_dict would make up a new id at every reading
        return "missing key 'id'"
    try:
        return from_dict(data)
    except (EventError, ValueError, TypeError, OverflowError) as error:
        return str(error)[:200] or "not an event"


# A self-rating exactly as ``encode`` writes it, answer (without escapes) or none, no
# replies: most lines of a workspace. A line this matches holds, beyond doubt, the event
# the groups say, and passes every check but the folder's (compared after the match) and
# the date's (checked after); any other line takes the general way (parse_line, check).
_ID = rb"[a-z0-9][a-z0-9-]{0,63}"
_NUMBER = rb"(0|[1-9][0-9]{0,14})"  # 0 to 10**15 - 1: what check() allows, and less
_POINT = rb"(?:[0-9]|[1-5][0-9]|6[0-3])"
_REVIEW_LINE = re.compile(
    rb'\{"v":1,"id":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",'
    rb'"type":"review","by":"(' + _ID + rb')",'
    rb'"at":"([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])'
    rb'\.([0-9]{6})\+00:00","drill_uid":"(' + _ID + rb"/" + _ID + rb')",'
    rb'"skill":"(' + _ID + rb')","rating":([1-4])'
    rb'(?:,"suggested":([1-4]))?'
    rb'(?:,"duration_ms":' + _NUMBER + rb")?"
    rb'(?:,"time_limit":' + _NUMBER + rb")?"
    rb'(?:,"key_points_hit":\[(' + _POINT + rb"(?:," + _POINT + rb")*)?\])?"
    rb'(?:,"key_points_total":' + _NUMBER + rb")?"
    rb'(?:,"mode":"(typed|spoken)")?'
    rb'(?:,"answer":"([^"\\\x00-\x1f]*)")?'
    rb"\}"
)
_EARLIEST = micros(datetime(2000, 1, 1, tzinfo=UTC))
_LATEST = micros(datetime(2200, 1, 1, tzinfo=UTC))
_DAY = 86_400_000_000
_NEVER = 2**63  # later than any time stored
IMPORT_COMMIT_EVERY = 1_000_000  # lines: whole files are committed with their marks past this


def import_events(
    store: Store,
    membership: Membership,
    *,
    progress: Progress = unheard,
) -> Imported:
    """Read the new lines of every file that concerns me, keep what passes, refuse the
    rest. A file's new lines and its read mark are stored in one transaction (several
    files share one, committed every IMPORT_COMMIT_EVERY lines or so), so an interruption
    loses nothing and repeats nothing."""
    result = Imported()
    marks = store.file_marks()
    events = _events_folder(membership.root)
    importer = _Importer(store, membership, result)
    lstat = os.lstat
    with store.importing(), importer:
        for folder in folders_to_read(membership):
            for relative, path, problem in _files(events, folder):
                if problem:
                    result.refused.append(Refusal(relative, 0, problem))
                    continue
                assert path is not None
                mark = marks.get(relative)
                if mark is not None and mark[3] is not None:
                    try:
                        if _status(lstat(path)) == mark[3]:
                            continue  # not changed since it was read (SETTLED_NS)
                    except OSError:
                        pass  # read_file says why
                importer.read_file(folder, relative, path, mark)
                progress("reading the team's events", result.files)
    if result.files:
        progress(f"read {result.files} file(s)")
    return result


def _status(status: os.stat_result) -> str:
    """What a file's status says of its content: any write changes it."""
    return (f"{status.st_dev}:{status.st_ino}:{status.st_mode}:{status.st_nlink}:"
            f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}")  # fmt: skip


def _events_folder(root: Path) -> tuple[str, bool]:
    """(the workspace's events folder, whether it lies inside the workspace), looked up
    once: each member's folder in it must then be a folder, never a link."""
    events = os.path.join(root, "events")
    real_root = os.path.realpath(root)
    return events, os.path.commonpath([real_root, os.path.realpath(events)]) == real_root


def _files(events: tuple[str, bool], folder: str) -> Iterator[tuple[str, str | None, str | None]]:
    """(relative path, path, why refused) of each month file in a member's folder."""
    relative = f"events/{folder}"
    path = os.path.join(events[0], folder)
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
    if not events[1]:
        yield relative, None, "leads outside the workspace"
        return
    match = MONTH_FILE.fullmatch
    for name in sorted(os.listdir(path)):
        if match(name):
            yield f"{relative}/{name}", f"{path}/{name}", None
        elif name != ".gitkeep":
            yield f"{relative}/{name}", None, "unexpected file name; expected YYYY-MM.jsonl"


class _Importer:
    """Files read into the store: their ratings in one statement a file, the other
    events one by one in their order, and each file's read mark in the same transaction
    as its lines; a transaction is committed once past IMPORT_COMMIT_EVERY lines."""

    def __init__(self, store: Store, membership: Membership, result: Imported) -> None:
        self.store = store
        self.membership = membership
        self.team = membership.team
        self.result = result
        self.names: dict[bytes, tuple[int, str]] = {}  # name as in a line -> (number, text)
        self.days: dict[bytes, int | None] = {}  # YYYY-MM-DD -> its midnight in micros
        self._transaction: contextlib.ExitStack | None = None
        self._pending = 0

    def __enter__(self) -> _Importer:
        self._begin()
        return self

    def __exit__(self, *error: object) -> None:
        assert self._transaction is not None
        if error[0] is None:
            mark_stale(self.store, self.result.earliest)
        self._transaction.__exit__(*error)  # type: ignore[arg-type]
        self._transaction = None

    def _begin(self) -> None:
        stack = contextlib.ExitStack()
        # what is imported can be read again from the files (DESIGN.md §5), so a commit
        # need not reach the disk before the next begins: a power cut takes back the last
        # transactions whole, marks with their lines, and the next sync reads them again
        stack.enter_context(self.store.transaction(durable=False))
        self._transaction = stack

    def _commit_if_due(self, lines: int) -> None:
        self._pending += lines
        if self._pending >= IMPORT_COMMIT_EVERY:
            assert self._transaction is not None
            mark_stale(self.store, self.result.earliest)  # with the events, never apart
            self._transaction.close()  # commits
            self._pending = 0
            self._begin()

    def _name(self, raw: bytes) -> tuple[int, str]:
        found = self.names.get(raw)
        if found is None:
            text = raw.decode("ascii")
            found = self.names[raw] = (self.store.name_id(text), text)
        return found

    def _day(self, raw: bytes) -> int | None:
        """Midnight UTC of a YYYY-MM-DD in microseconds; None when it is no date."""
        if raw not in self.days:
            try:
                day = date.fromisoformat(raw.decode("ascii"))
            except ValueError:
                self.days[raw] = None
            else:
                self.days[raw] = (day - _EPOCH_DAY).days * _DAY
        return self.days[raw]

    def read_file(self, folder: str, relative: str, path: str, mark: FileMark | None) -> None:
        result = self.result
        settled = time.time_ns() - SETTLED_NS
        try:
            data, start, lines_before, status = _new_bytes(path, mark)
        except _FileRefused as error:
            result.refused.append(Refusal(relative, 0, str(error)))
            return
        seen = _status(status) if max(status.st_mtime_ns, status.st_ctime_ns) < settled else None
        end = data.rfind(b"\n") + 1  # a line still being written waits for the next sync
        if end == 0 and mark is not None and start == mark[0]:
            if seen != mark[3]:  # nothing new: passed over unopened while it stays so
                self.store.set_file_mark(relative, *mark[:3], seen)
            return
        membership = self.membership
        keep_reviews = membership.is_manager and self.team.is_above(membership.me.id, folder)
        by_folder = folder.encode("ascii")
        rep_id = self._name(by_folder)[0]
        rows: list[RatingRow] = []  # ratings not stored yet, all narrow or all not
        narrow = True  # rows of self-ratings matched by _REVIEW_LINE (_IMPORT_REVIEW's)
        lines: list[int] = []  # the line number of each row
        reps: list[str] = []  # and whose cards it moves
        drills: list[str | None] = []
        news: dict[int, Event] = {}  # row index -> an event that concerns me directly
        refused: list[Refusal] = []
        number = lines_before
        review_line = _REVIEW_LINE.fullmatch
        hashed = hashlib.blake2b
        from_bytes = int.from_bytes
        unhexlify = binascii.unhexlify
        name = self._name
        days = self.days
        for line in _lines(data[:end]):
            number += 1
            match = review_line(line)
            if match is not None:
                (event, by, day, hour, minute, second, micro, drill, skill, rating, suggested,
                 duration, limit, hits, total, mode, answer) = match.groups()  # fmt: skip
                midnight = days[day] if day in days else self._day(day)
                if by == by_folder and midnight is not None:
                    at = (midnight + ((int(hour) * 60 + int(minute)) * 60 + int(second))
                          * 1_000_000 + int(micro))  # fmt: skip
                    text = None if answer is None else _answer(answer)
                    if _EARLIEST <= at <= _LATEST and (answer is None or text is not None):
                        if not keep_reviews:
                            continue  # checked, and none of my business
                        drill_id, drill_uid = name(drill)
                        bits = 0
                        if hits:
                            for point in hits.split(b","):
                                bits |= 1 << int(point)
                        if not narrow:
                            self._store_ratings(relative, rows, lines, reps, drills, news,
                                                refused, narrow)  # fmt: skip
                            rows, lines, reps, drills, news, narrow = [], [], [], [], {}, True
                        rows.append((
                            unhexlify(event.replace(b"-", b"")), rep_id, drill_id,
                            name(skill)[0], at, int(rating),
                            None if suggested is None else int(suggested),
                            None if duration is None else int(duration),
                            None if limit is None else int(limit), bits or None,
                            None if total is None else int(total), int(mode == b"spoken"), text,
                            from_bytes(hashed(line, digest_size=8).digest(), "big", signed=True),
                        ))  # fmt: skip
                        lines.append(number)
                        reps.append(folder)
                        drills.append(drill_uid)
                        continue
            # every other line: parsed in full and checked one by one
            if len(line) > MAX_LINE:
                refused.append(Refusal(relative, number, "line longer than 1 MiB"))
                continue
            if not line.strip():
                continue
            parsed = parse_line(line)
            if isinstance(parsed, str):
                refused.append(Refusal(relative, number, parsed))
                continue
            if not isinstance(parsed, SHARED_TYPES):
                continue  # suspend and bury are a rep's own business
            problem = check(self.team, parsed, folder)
            if problem:
                refused.append(Refusal(relative, number, problem))
                continue
            if not concerns(membership, parsed):
                continue
            if isinstance(parsed, SelfRating | ManagerRating):
                if narrow:
                    self._store_ratings(relative, rows, lines, reps, drills, news, refused,
                                        narrow)  # fmt: skip
                    rows, lines, reps, drills, news, narrow = [], [], [], [], {}, False
                if isinstance(parsed, ManagerRating) and parsed.rep == membership.me.id:
                    news[len(rows)] = parsed
                rows.append(self.store.rating_row(parsed, digest(line)))
                lines.append(number)
                reps.append(parsed.rep)
                drills.append(parsed.drill_uid)
                continue
            # undos, review requests, sharing choices: in order, after the ratings before
            self._store_ratings(relative, rows, lines, reps, drills, news, refused, narrow)
            rows, lines, reps, drills, news = [], [], [], [], {}
            self._store_one(relative, number, parsed, line, refused)
        self._store_ratings(relative, rows, lines, reps, drills, news, refused, narrow)
        size = start + end
        tail = (data[:end] if end >= TAIL else (_tail(path, size)))[-TAIL:]
        self.store.set_file_mark(relative, size, number, tail, seen)
        result.refused.extend(sorted(refused, key=lambda refusal: refusal.line))  # line order
        result.files += 1
        self._commit_if_due(number - lines_before)

    def _store_ratings(
        self,
        relative: str,
        rows: list[RatingRow],
        lines: list[int],
        reps: list[str],
        drills: list[str | None],
        news: dict[int, Event],
        refused: list[Refusal],
        narrow: bool,
    ) -> None:
        if not rows:
            return
        result = self.result
        outcomes = self.store.import_ratings(rows, reviews=narrow)
        at = 4 if narrow else 6  # the column of a row's time: _IMPORT_REVIEW's, rating_row's
        if outcomes is None:  # every one new
            result.added += len(rows)
            _note(result, reps, drills, [row[at] for row in rows])
            result.news.extend(news.values())
            return
        for index, outcome in enumerate(outcomes):
            if outcome == "conflict":
                event_id = stored_event_id(rows[index][0])
                refused.append(Refusal(relative, lines[index], f"event id {event_id} is "
                                       "already used by another event"))  # fmt: skip
            elif outcome == "known":
                result.known += 1
            else:
                result.added += 1
                _note(result, reps[index : index + 1], drills[index : index + 1], [rows[index][at]])
                if index in news:
                    result.news.append(news[index])

    def _store_one(
        self, relative: str, number: int, event: Event, line: bytes, refused: list[Refusal]
    ) -> None:
        result = self.result
        try:
            outcome = self.store.import_event(event, digest(line))
        except ValueError as error:  # an undo of a rating never seen
            refused.append(Refusal(relative, number, str(error)))
            return
        except sqlite3.IntegrityError:  # a second undo of one rating
            refused.append(Refusal(relative, number, "takes back a rating already taken back"))
            return
        if outcome == "conflict":
            refused.append(Refusal(relative, number, f"event id {event.id} is already "
                                                     "used by another event"))  # fmt: skip
        elif outcome == "known":
            result.known += 1
        else:
            result.added += 1
            _touch(result, self.membership, event, self.store)


def _answer(raw: bytes) -> str | None:
    """A typed answer as matched (no escapes in it): its text, or None when it is not
    UTF-8 or too long (the general way then says so)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if len(text) <= MAX_TEXT else None


def _note(
    result: Imported, reps: Sequence[str], drills: Sequence[str | None], ats: Sequence[int]
) -> None:
    """Note the cards ratings added move (rep, drill), with the earliest time of each."""
    touched, earliest = result.touched, result.earliest
    last_rep = None
    rated: set[str] = set()
    times: dict[str, int] = {}
    for rep, drill, at in zip(reps, drills, ats, strict=True):
        if drill is None:
            continue
        if rep != last_rep:  # the rows of one file are mostly one rep's
            rated, times = touched.setdefault(rep, set()), earliest.setdefault(rep, {})
            last_rep = rep
        rated.add(drill)
        if at < times.get(drill, _NEVER):
            times[drill] = at


def _touch(result: Imported, membership: Membership, event: Event, store: Store) -> None:
    """Note the cards ``event`` moves, and whether it is news for me."""
    if isinstance(event, SelfRating | ManagerRating) and event.drill_uid is not None:
        _note(result, [event.rep], [event.drill_uid], [micros(event.at)])
    elif isinstance(event, Undo):
        drill = store.drill_of_rating(event.of)
        if drill is not None:
            _note(result, [event.by], [drill], [0])  # its card replays
    elif isinstance(event, Scheduling):
        result.touched.setdefault(event.by, set())  # the rep's cards follow their choice
    if (isinstance(event, ManagerRating) and event.rep == membership.me.id) or isinstance(
        event, ReviewRequest
    ):
        result.news.append(event)


def _lines(body: bytes) -> Iterable[bytes]:
    return body.split(b"\n")[:-1] if body else ()


class _FileRefused(Exception):
    pass


def _new_bytes(path: str, mark: FileMark | None) -> tuple[bytes, int, int, os.stat_result]:
    """(the bytes after the read mark, where they start, lines before them, the file's
    status). A file that shrank or whose bytes before the mark changed is read again from
    its start."""
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
            size, counted, tail, _ = mark
            if status.st_size >= size and os.pread(fd, len(tail), size - len(tail)) == tail:
                start, lines = size, counted
        data = os.pread(fd, status.st_size - start, start) if status.st_size > start else b""
        return data, start, lines, status
    finally:
        os.close(fd)


def _tail(path: str, size: int) -> bytes:
    with open(path, "rb") as file:
        file.seek(max(0, size - TAIL))
        return file.read(min(size, TAIL))
