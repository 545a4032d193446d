"""``drillcoach status [--short]``: today's queue in one line, for a shell prompt, a tmux
status line or a cron reminder, fast.

The number is the domain's own: today's queue as ``drillcoach today`` and the Today screen
count it (``DrillScheduler.queue``). Working it out means loading the library and the
scheduler (about 0.1 s), too slow for a prompt drawn after every command, so the answer
is kept in the profile's cache folder (``cache/status.marshal``) with what it was worked
out from: the time the drilling day ends, and the size and modification time of every
file the queue depends on (the database and its write-ahead log, config.toml, every pack
file and pack folder, the built-in shared content). While none of them has changed and
the day has not ended, the kept answer is printed without importing more than the
standard library; otherwise it is worked out again and kept. A second implementation of
the queue's count (cards due, set aside, brought forward, renamed, assigned, the daily
limits) would drift from the first; a kept answer cannot.

``--short`` prints "3 due · 4 new" (parts that are zero left out) and nothing at all when
today's queue is empty, so a prompt shows something only when there is practice to do.
Without it: the Today headline, e.g. "Today: 3 due · 4 new · about 12 minutes"."""

from __future__ import annotations

import argparse
import marshal
import os
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from drillcoach.config import Paths

KEPT_FORMAT = 1
KEPT_NAME = "status.marshal"


def register(commands: Any) -> None:
    status = commands.add_parser(
        "status",
        help="today's queue in one line, fast (for a prompt, tmux or cron)",
        description="Today's queue in one line. --short prints e.g. '3 due · 4 new', or "
        "nothing when today's queue is empty.",
    )
    status.add_argument(
        "--short", action="store_true", help="a few characters for a prompt or tmux status line"
    )
    status.set_defaults(handler=_status)


def _status(args: argparse.Namespace) -> int:
    guess = likely_data_dir(args.home)
    kept = read_kept(guess) if guess else None
    if kept is None:
        kept = work_out(args.home)
    short, headline = kept
    if args.short:
        if short:
            print(short)
    else:
        print(headline)
    return 0


# --- the kept answer


def short_text(due: int, new: int) -> str:
    """'3 due · 4 new', '3 due', '4 new', or '' when nothing is left today."""
    parts = [f"{due} due"] if due else []
    if new:
        parts.append(f"{new} new")
    return " · ".join(parts)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def fingerprint(files: Iterable[str]) -> list[tuple[str, tuple[int, int] | None]]:
    return [(name, _stat(name)) for name in files]


def likely_data_dir(home: str | None) -> str | None:
    """Where the profile's data folder most likely is, found without importing more
    (``config.resolve_paths`` imports platformdirs, slow for a prompt): --home, else
    $DRILLCOACH_HOME, else the folder platformdirs gives on this system (Windows's
    local AppData; elsewhere $XDG_DATA_HOME when set, else macOS's Application Support
    or ~/.local/share). Only a guess: the kept answer names the folder it was worked out
    for, and is used only when that is this one."""
    chosen = home if home is not None else os.environ.get("DRILLCOACH_HOME") or None
    if chosen is not None:
        return os.path.expanduser(chosen) if chosen else None
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        return os.path.join(local, "drillcoach", "drillcoach") if local else None
    base = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser(
        "~/Library/Application Support" if sys.platform == "darwin" else "~/.local/share"
    )
    return os.path.join(base, "drillcoach")


def _kept_file(data_dir: str) -> str:
    return os.path.join(data_dir, "cache", KEPT_NAME)


def read_kept(data_dir: str) -> tuple[str, str] | None:
    """The kept (short, headline) in ``data_dir``, if it is this profile's answer for
    today and nothing it depends on has changed; else None."""
    try:
        with open(_kept_file(data_dir), "rb") as kept:
            data = marshal.load(kept)
        form, version, folder, tz, since, until, watched, short, headline = data
    except (OSError, EOFError, ValueError, TypeError):
        return None
    from drillcoach import __version__

    if (form, version, tz) != (KEPT_FORMAT, __version__, os.environ.get("TZ")):
        return None
    if os.path.normpath(folder) != os.path.normpath(data_dir):
        return None
    if not since <= time.time() < until:  # another day (or the clock set back)
        return None
    if any(_stat(name) != stat for name, stat in watched):
        return None
    return short, headline


def watched_files(paths: Paths, sources: Iterable[tuple[Path, str]], content: Path) -> list[str]:
    """Every file and folder today's queue depends on (a folder: files come and go)."""
    import contextlib
    from pathlib import Path

    files = [str(paths.database), f"{paths.database}-wal", str(paths.config_file)]
    for folder in (*(folder for folder, _ in sources), content):
        files.append(str(folder))
        # a folder that does not exist (yet): its own entry notices when it does
        with contextlib.suppress(OSError):
            files.extend(str(path) for path in sorted(Path(folder).iterdir()))
    return files


def work_out(home: str | None) -> tuple[str, str]:
    """Today's queue from the domain, kept only when none of the files it depends on
    changed while it was worked out: worked out again when this run wrote (cards brought
    up to date, the day's backup) or another drillcoach did (a rating at that moment)."""
    from drillcoach import __version__, text
    from drillcoach.config import load_config, resolve_paths
    from drillcoach.content import builtin_root
    from drillcoach.errors import MachineError, UserError
    from drillcoach.fileio import make_folder, write_atomic
    from drillcoach.services import open_services, pack_sources

    paths = resolve_paths(home)
    content = builtin_root() / "content"
    watched = watched_files(paths, pack_sources(paths, load_config(paths)), content)
    for _ in range(3):
        before = fingerprint(watched)
        services = open_services(home)
        try:
            queue = services.scheduler.queue()
            days, now = services.scheduler.days, services.clock()
            since = days.start_of(days.day_of(now)).timestamp()
            until = days.next_start(now).timestamp()
            watched = watched_files(paths, pack_sources(paths, services.config), content)
        finally:
            services.close()
        after = fingerprint(watched)
        answer = short_text(queue.due_count, queue.new_count), text.headline(queue)
        if before == after:
            folder = str(paths.data_dir)
            tz = os.environ.get("TZ")
            record = (KEPT_FORMAT, __version__, folder, tz, since, until, after, *answer)
            kept_file = paths.data_dir / "cache" / KEPT_NAME
            try:
                make_folder(kept_file.parent)
                write_atomic(kept_file, marshal.dumps(record))
            except (OSError, MachineError, UserError):
                pass  # a read-only profile: worked out every time
            break
    return answer
