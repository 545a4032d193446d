"""Writing files so a reader finds the old content or the new, never half of either, and
the plain words for why the machine refused a file or folder."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from drillcoach.errors import MachineError, StoreProblem, UserError

NAME_MAX = 255  # bytes in one name, on the file systems drillcoach meets

_REASONS: dict[str, str] = {
    "ENOSPC": "no space left on the disk",
    "EDQUOT": "the disk quota is used up",
    "EFBIG": "the file is too large",
    "EACCES": "permission denied",
    "EPERM": "permission denied",
    "EROFS": "the disk is read-only",
    "ENOENT": "no such file or folder",
    "EISDIR": "it is a folder",
    "EEXIST": "something of that name is in the way",
    "ELOOP": "too many symbolic links in a row",
    "EIO": "the disk reported an input/output error",
    "EMFILE": "too many files open",
    "EBUSY": "it is in use",
    "ETXTBSY": "it is in use",
    "EXDEV": "it is on another disk",
}
REASONS: dict[int, str] = {
    getattr(errno, name): words for name, words in _REASONS.items() if hasattr(errno, name)
}


def reason(error: OSError, path: Path) -> str:
    """Why ``error`` happened to ``path``, in plain words for the end of a line."""
    if error.errno == errno.ENAMETOOLONG:
        long_part = any(len(os.fsencode(part)) > NAME_MAX for part in path.parts)
        return "the name is too long" if long_part else "the path is too long"
    if error.errno == errno.ENOTDIR:
        for parent in path.parents:
            with contextlib.suppress(OSError):
                if parent.exists() and not parent.is_dir():
                    return f"{parent} is a file, not a folder"
        return "part of the path is a file, not a folder"
    if error.errno in REASONS:
        return REASONS[error.errno]
    words = error.strerror or str(error)
    return words[:1].lower() + words[1:]


def make_folder(path: Path) -> None:
    """``path`` and any missing parents, or a UserError saying in one line why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{path}: cannot create the folder ({reason(error, path)})") from None


MACHINE: dict[int, StoreProblem] = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EIO: "io",
}  # the machine's refusals (exit 1); any other is about the path the rep chose (exit 2)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) in one step: a crash or a
    full disk leaves the old file whole and no temporary file behind. A symlink stays a
    link and its target gets the new content. A refusal is one line: a MachineError for
    a full disk or an I/O error, a UserError for the path (permissions, names, folders)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _replace(_final_target(path), payload)
    except OSError as error:
        message = f"{path}: cannot write ({reason(error, path)})"
        if error.errno in MACHINE:
            raise MachineError(message, MACHINE[error.errno]) from None
        raise UserError(message) from None


def _final_target(path: Path) -> Path:
    if not path.is_symlink():
        return path
    # the file the link ends at, so the rename happens in its folder and the link survives
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath gave up: the links go round in a circle
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    return target


def _replace(target: Path, payload: bytes) -> None:
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    # beside the target, so os.replace is a rename within one file system; a short name,
    # so a target whose name just fits does not fail for its temporary file's
    fd, temporary = _create_temporary(target.parent, target.name)
    try:
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # a replaced file keeps who may read it
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    sync_folder(target.parent)


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = folder / f".{name[:32]}.{os.urandom(4).hex()}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))


def sync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (POSIX only: a folder is not a file
    that Windows opens)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in {errno.EINVAL, errno.ENOTSUP}:  # cannot sync a folder here
            raise
    finally:
        os.close(fd)
