"""Files drillcoach reads and writes: hostile files refused in one line, atomic writes that
leave nothing half-written, and homes that cannot be used."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from drillcoach.config import load_config, resolve_paths, set_value
from drillcoach.errors import MachineError, UserError
from drillcoach.fileio import write_atomic
from drillcoach.tomlcheck import Problem, ident, read_file
from helpers import one_line
from helpers import run_cli as run

VALID_PACK = textwrap.dedent(
    """\
    format = 1

    [pack]
    id = "good-pack"
    title = "Good pack"
    version = "1"
    description = "A pack that loads."

    [[drill]]
    id = "price-too-high"
    kind = "objection"
    skill = "objection-handling"
    title = "Price too high"
    prompt = "The buyer says the price is too high."
    key_points = ["Acknowledge", "Ask a question", "Confirm"]
    model_answer = "A model answer."
    """
)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of the test's own (tmp_path also holds DRILLCOACH_HOME)."""
    made = tmp_path / "folder"
    made.mkdir()
    return made


# --- class 3: every file read is checked first (config.toml and pack files alike)

MakeBad = Callable[[Path, int], None]  # (path, size cap of that kind of file)


def _fifo(path: Path, cap: int) -> None:
    os.mkfifo(path)


def _link_to_dev_zero(path: Path, cap: int) -> None:
    path.symlink_to("/dev/zero")


def _folder(path: Path, cap: int) -> None:
    path.mkdir()


def _over_the_cap(path: Path, cap: int) -> None:
    path.write_bytes(b"#" * (cap + 1) + b"\n")


def _nested_too_deeply(path: Path, cap: int) -> None:
    # as deep as the file's cap allows, so the parser (not the size check) is what refuses it
    path.write_bytes(b"a = " + b"[" * min(100_000, cap - 10) + b"\n")


def _byte_order_mark(path: Path, cap: int) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + b'theme = "light"\n')


def _utf16(path: Path, cap: int) -> None:
    path.write_bytes('theme = "light"\n'.encode("utf-16"))


def _huge_integer(path: Path, cap: int) -> None:
    path.write_bytes(b"a = " + b"1" * 5000 + b"\n")  # past Python's int-from-text limit


BAD_FILES: dict[str, tuple[MakeBad, str]] = {
    "fifo": (_fifo, "expected a TOML file, found something else"),
    "link-to-dev-zero": (_link_to_dev_zero, "expected a TOML file, found something else"),
    "folder": (_folder, "expected a TOML file, found a folder"),
    "over-the-cap": (_over_the_cap, "bytes; expected at most"),
    "nested-too-deeply": (_nested_too_deeply, "invalid TOML: nested too deeply"),
    "byte-order-mark": (
        _byte_order_mark,
        "starts with a UTF-8 byte-order mark; save it as UTF-8 without one",
    ),
    "utf-16": (_utf16, "is UTF-16 text; save it as UTF-8"),
    "huge-integer": (_huge_integer, "invalid TOML: a number has too many digits"),
}
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
BAD = [
    pytest.param(name, marks=[needs_fifo] if name == "fifo" else [needs_dev_zero])
    if name in {"fifo", "link-to-dev-zero"}
    else name
    for name in BAD_FILES
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", BAD)
def test_bad_config_file_is_one_line(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, kind: str
) -> None:
    make, expected = BAD_FILES[kind]
    config_file = drillcoach_home / "config.toml"
    make(config_file, 64_000)
    before = os.lstat(config_file)
    for argv in (["config"], ["config", "set", "theme", "light"], ["today"]):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, out, err)
        one_line(err, f"drillcoach: {config_file}: ", expected)
    after = os.lstat(config_file)  # refused, not rewritten
    assert (after.st_mode, after.st_size, after.st_mtime_ns) == (
        before.st_mode,
        before.st_size,
        before.st_mtime_ns,
    )


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", BAD)
def test_bad_pack_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    make, expected = BAD_FILES[kind]
    folder = tmp_path / "packs"
    folder.mkdir()
    bad = folder / "bad.toml"
    make(bad, 1_000_000)
    (folder / "good.toml").write_text(VALID_PACK, encoding="utf-8")
    if kind != "folder":  # a folder given by name is a folder of packs, not a pack
        code, out, err = run(capsys, "packs", "validate", str(bad))
        assert code == 2, (out, err)
        one_line(out, f"{bad}: ", expected)
        one_line(err, "1 problem(s) in 1 file(s)")
    # beside it, the good pack still loads
    code, out, err = run(capsys, "packs", "validate", str(folder))
    assert code == 2
    one_line(out, f"{bad}: ", expected)
    one_line(err, "1 pack(s) with 1 drills are fine")


@pytest.mark.timeout(20)
@needs_fifo
def test_pack_file_in_my_packs_folder_that_is_a_fifo(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    packs = drillcoach_home / "packs"
    packs.mkdir()
    os.mkfifo(packs / "pipe.toml")
    code, _, err = run(capsys, "packs", "list")
    assert code == 0
    one_line(err, "warning: 1 pack file(s) skipped", str(packs / "pipe.toml"))


def test_a_file_larger_than_it_says_is_read_only_up_to_the_cap() -> None:
    # /proc files say they hold 0 bytes; the read itself stops past the cap
    maps = Path("/proc/self/maps")
    if not maps.exists():
        pytest.skip("needs /proc")
    problems: list[Problem] = []
    assert read_file(maps, problems, max_bytes=100) is None
    assert [str(problem) for problem in problems] == [
        f"{maps}: file is larger than 100 bytes; expected at most 100"
    ]


def test_a_dangling_link_is_named_as_such(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.symlink_to(drillcoach_home / "gone.toml")
    with pytest.raises(UserError) as caught:
        load_config(resolve_paths())
    assert str(caught.value) == (
        f"{config_file}: links to {drillcoach_home / 'gone.toml'}, which does not exist"
    )


# --- class 5: one atomic write


def test_write_atomic_writes_text_and_bytes(folder: Path) -> None:
    target = folder / "config.toml"
    write_atomic(target, 'theme = "light"\n')
    assert target.read_text(encoding="utf-8") == 'theme = "light"\n'
    write_atomic(target, b"fuzz = false\n")
    assert target.read_bytes() == b"fuzz = false\n"
    assert leftovers(folder) == ["config.toml"]


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(folder: Path) -> None:
    target = folder / "config.toml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.stat().st_mode & 0o777 == 0o640


def test_config_set_writes_through_a_symlinked_config(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "drillcoach.toml"
    real.write_text('name = "Sam Patel"\n', encoding="utf-8")
    link = drillcoach_home / "config.toml"
    link.symlink_to(real)
    code, _, err = run(capsys, "config", "set", "theme", "light")
    assert code == 0, err
    assert link.is_symlink()
    assert link.readlink() == real
    assert tomllib.loads(real.read_text(encoding="utf-8")) == {
        "name": "Sam Patel",
        "theme": "light",
    }
    assert leftovers(dotfiles) == ["drillcoach.toml"]
    assert leftovers(drillcoach_home) == ["config.toml"]


def test_write_atomic_under_a_file_says_so(folder: Path) -> None:
    blocker = folder / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "config.toml"
    with pytest.raises(UserError) as caught:
        write_atomic(target, "theme = 'light'\n")
    assert str(caught.value) == f"{target}: cannot write ({blocker} is a file, not a folder)"
    assert leftovers(folder) == ["not-a-folder"]
    assert blocker.read_text(encoding="utf-8") == "x"


def test_write_atomic_with_a_name_too_long(folder: Path) -> None:
    target = folder / ("c" * 300 + ".toml")
    with pytest.raises(UserError) as caught:
        write_atomic(target, "theme = 'light'\n")
    assert str(caught.value) == f"{target}: cannot write (the name is too long)"
    assert leftovers(folder) == []


def test_write_atomic_with_a_long_name_that_fits(folder: Path) -> None:
    # the temporary file's name must not be longer than the target's
    target = folder / ("c" * 250 + ".toml")
    write_atomic(target, "ok\n")
    assert leftovers(folder) == [target.name]


def test_write_atomic_into_proc(tmp_path: Path) -> None:
    target = Path("/proc/self/drillcoach-config.toml")
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc")
    with pytest.raises(UserError) as caught:
        write_atomic(target, "x\n")
    one_line(str(caught.value), f"{target}: cannot write (")
    assert not target.exists()


def test_disk_full_while_writing_leaves_the_old_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "config.toml"
    target.write_text("old\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the disk fills as the data reaches it
    with pytest.raises(MachineError) as caught:  # the machine's refusal: exit 1
        write_atomic(target, "new\n")
    assert str(caught.value) == f"{target}: cannot write (no space left on the disk)"
    assert caught.value.kind == "full"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(folder) == ["config.toml"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_file_size_limit_while_writing_leaves_the_old_file(folder: Path) -> None:
    # a real short write from the kernel: past RLIMIT_FSIZE, write() fails with EFBIG
    target = folder / "config.toml"
    target.write_text("old\n", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        from pathlib import Path
        from drillcoach.errors import MachineError
        from drillcoach.fileio import write_atomic
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))
        try:
            write_atomic(Path({str(target)!r}), b"x" * 100_000)
        except MachineError as error:
            print(error)
            sys.exit(1)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == f"{target}: cannot write (the file is too large)\n"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(folder) == ["config.toml"]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes whatever a folder's mode"
)
def test_write_atomic_into_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        target = folder / "config.toml"
        with pytest.raises(UserError) as caught:
            write_atomic(target, "x\n")
        assert str(caught.value) == f"{target}: cannot write (permission denied)"
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o700)


def test_set_value_leaves_no_temporary_file(drillcoach_home: Path) -> None:
    set_value(resolve_paths(), "theme", "light")
    assert leftovers(drillcoach_home) == ["config.toml"]


# --- class 6: a home that cannot be used


def test_empty_home_argument_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--home", "", "config"], ["--home", "", "today"], ["--home=", "packs", "list"]):
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        assert err == "drillcoach: --home: expected a folder, got an empty path\n"


def test_home_that_cannot_be_created(capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc")
    home = Path("/proc/self/drillcoach-home")  # even root cannot make a folder here
    for argv in (["today"], ["packs", "list"], ["doctor"]):
        code, _, err = run(capsys, "--home", str(home), *argv)
        assert code == 2, (argv, err)
        one_line(err, f"drillcoach: {home}: cannot create the folder (")
    code, _, err = run(capsys, "--home", str(home), "config", "set", "theme", "light")
    assert code == 2
    one_line(err, f"drillcoach: {home}: cannot create the folder (")
    assert not home.exists()


def test_home_that_cannot_be_written(capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc")
    home = "/proc/self"  # a folder that exists and that no one can write into
    for argv in (["today"], ["config", "set", "theme", "light"]):
        code, _, err = run(capsys, "--home", home, *argv)
        assert code == 2, (argv, err)
        one_line(err, f"drillcoach: {home}/")


@pytest.mark.parametrize("length", ["component", "whole-path"])
def test_home_path_too_long(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, length: str
) -> None:
    if length == "component":
        home, reason = tmp_path / ("h" * 300), "the name is too long"
    else:  # 5,000 characters, each part of which fits
        home, reason = tmp_path.joinpath(*["h" * 200] * 25), "the path is too long"
    for argv in (["config"], ["today"], ["config", "set", "theme", "light"]):
        code, _, err = run(capsys, "--home", str(home), *argv)
        assert code == 2, argv
        assert err == f"drillcoach: {home}: cannot use this folder ({reason})\n"


def test_home_inside_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    home = blocker / "home"
    for argv in (["config"], ["today"], ["config", "set", "theme", "light"]):
        code, _, err = run(capsys, "--home", str(home), *argv)
        assert code == 2, argv
        assert (
            err
            == f"drillcoach: {home}: cannot use this folder ({blocker} is a file, not a folder)\n"
        )
    assert blocker.read_text(encoding="utf-8") == "x"


def test_home_of_an_unknown_user(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--home", "~no-such-user-drillcoach/x", "config")
    assert code == 2
    assert err == (
        "drillcoach: ~no-such-user-drillcoach/x: cannot find the home folder of "
        "'~no-such-user-drillcoach'\n"
    )


def test_workspace_that_cannot_be_a_path_is_refused(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_text('workspace = "team\\u0000folder"\n', encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_config(resolve_paths())
    assert str(caught.value) == (
        f"{config_file}: setting 'workspace': expected a folder path without NUL characters"
    )


# --- class 4: ids are matched whole (the property tests cover the rest)


@pytest.mark.parametrize("value", ["renewals\n", "renewals ", "Renewals", "a/b", ""])
def test_ident_refuses_an_id_with_anything_around_it(value: str) -> None:
    with pytest.raises(ValueError):
        ident(value)


def test_member_with_a_trailing_newline_is_refused(drillcoach_home: Path) -> None:
    (drillcoach_home / "config.toml").write_text('member = "sam\\n"\n', encoding="utf-8")
    with pytest.raises(UserError, match="setting 'member': expected an id"):
        load_config(resolve_paths())
