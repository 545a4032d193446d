"""The command line: exit codes (0 ok, 2 bad input with one line on stderr) and output."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

from drillcoach import __version__
from drillcoach.content import Library, validate_files
from drillcoach.services import open_services
from drillcoach.store.cards import CardTable
from helpers import DrillDoc, PackDoc, WritePack
from helpers import run_cli as run


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def run_process(*argv: str, home: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DRILLCOACH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env=env, timeout=60, **kwargs
    )


# --- help, version, bad arguments


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert (code, out, err) == (0, f"drillcoach {__version__}\n", "")


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: drillcoach")
    for command in ("packs", "today", "config", "--home"):
        assert command in out


def test_packs_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "packs", "--help")
    assert code == 0
    for action in ("list", "validate", "show", "new"):
        assert action in out


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["fly"], ["drillcoach: error:", "invalid choice: 'fly'", "--help"]),
        (["packs"], ["drillcoach packs: error:", "required: ACTION"]),
        (["packs", "show"], ["drillcoach packs show: error:", "PACK --rubric is required"]),
        (["packs", "dance"], ["invalid choice: 'dance'"]),
        (["config", "set", "new_per_day"], ["required: VALUE"]),
        (["--colour"], ["unrecognized arguments: --colour"]),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragments: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err, *fragments)


# --- packs validate


def test_validate_builtin_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "packs", "validate")
    assert code == 0, out + err
    assert out.startswith("ok: ")
    assert "no problems" in out
    assert err == ""


def test_validate_reports_every_problem_with_file_names(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    good = write_pack(pack_doc("good"))
    typo = write_pack(
        pack_doc("typo", drills=[drill_doc("a", titel="x"), drill_doc("b", kind="x")])
    )
    syntax = write_pack('format = 1\n[pack]\nid = "syntax\n', name="syntax.toml")
    code, out, err = run(capsys, "packs", "validate", str(good), str(typo), str(syntax))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 3, out
    assert f"{typo}: drill 'a': key 'titel': unknown key" in lines[0]
    assert lines[1].startswith(f"{typo}: drill 'b': key 'kind': expected one of")
    assert lines[2].startswith(f"{syntax}: line 3, column ")
    assert err == "3 problem(s) in 2 file(s); 1 pack(s) with 1 drills are fine\n"


def test_validate_a_folder(
    capsys: pytest.CaptureFixture[str], packs_dir: Path, write_pack: WritePack, pack_doc: PackDoc
) -> None:
    write_pack(pack_doc("one"))
    write_pack(pack_doc("two"))
    code, out, _ = run(capsys, "packs", "validate", str(packs_dir))
    assert (code, out) == (0, "ok: 2 pack(s), 2 drills, no problems\n")


def test_validate_a_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    code, out, err = run(capsys, "packs", "validate", str(missing))
    assert (code, out) == (2, "")
    assert err == f"drillcoach: {missing}: no such file or folder\n"


def test_validate_sees_my_broken_packs(
    capsys: pytest.CaptureFixture[str],
    drillcoach_home: Path,
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    mine = write_pack(
        pack_doc("mine", drills=[drill_doc("x", skill="juggling")]),
        folder=drillcoach_home / "packs",
    )
    code, out, _ = run(capsys, "packs", "validate")
    assert code == 2
    assert out.startswith(f"{mine}: drill 'x': key 'skill': unknown skill 'juggling'")


# --- packs list / show / new


def test_packs_list(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    code, out, err = run(capsys, "packs", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["PACK", "TITLE", "VERSION", "DRILLS", "FROM", "IN", "QUEUE"]
    assert len(lines) == 1 + len(library.packs)
    for pack, line in zip(library.packs.values(), lines[1:], strict=True):
        assert line.startswith(pack.id + " ")
        assert pack.title in line
        assert f" {len(pack.drills)} " in line
        assert line.endswith("no" if pack.id == "onboarding" else "yes")
    assert err == ""


def test_packs_list_warns_about_broken_packs(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, write_pack: WritePack
) -> None:
    write_pack("format = 1\n[pack\n", name="broken.toml", folder=drillcoach_home / "packs")
    code, out, err = run(capsys, "packs", "list")
    assert code == 0
    assert "objections-core" in out
    assert err.startswith("warning: 1 pack file(s) skipped with problems: ")
    assert "broken.toml" in err and err.count("\n") == 1


def test_packs_show(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    pack = library.packs["objections-core"]
    code, out, err = run(capsys, "packs", "show", "objections-core")
    assert code == 0, err
    assert out.splitlines()[0] == f"{pack.title}  (objections-core, version {pack.version})"
    for drill in pack.drills:
        assert any(
            line.startswith(drill.id + " ") and drill.title in line and line.endswith("new")
            for line in out.splitlines()
        ), drill.id


def test_packs_show_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "packs", "show", "nope")
    assert (code, out) == (2, "")
    assert_one_line_error(err, "drillcoach: no pack 'nope' (loaded packs: ", "objections-core")


def test_packs_new(capsys: pytest.CaptureFixture[str], drillcoach_home: Path) -> None:
    code, out, err = run(capsys, "packs", "new", "renewals")
    target = drillcoach_home / "packs" / "renewals.toml"
    assert code == 0, err
    assert out.splitlines()[0] == f"wrote {target}"
    assert validate_files([target]).problems == []
    document = tomllib.loads(target.read_text(encoding="utf-8"))
    assert document["pack"]["id"] == "renewals"
    assert document["pack"]["title"] == "Renewals"
    code, out, _ = run(capsys, "packs", "validate", str(target))
    assert (code, out) == (0, "ok: 1 pack(s), 3 drills, no problems\n")
    code, out, _ = run(capsys, "packs", "show", "renewals")
    assert code == 0 and "first-objection" in out and "first-roleplay" in out
    assert "first-written" in out


def test_packs_new_refuses_to_overwrite(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    assert run(capsys, "packs", "new", "renewals")[0] == 0
    target = drillcoach_home / "packs" / "renewals.toml"
    target.write_text("# my edits\n", encoding="utf-8")
    code, out, err = run(capsys, "packs", "new", "renewals")
    assert (code, out) == (2, "")
    assert_one_line_error(err, str(target), "already exists")
    assert target.read_text(encoding="utf-8") == "# my edits\n"


@pytest.mark.parametrize("bad", ["Renewals", "re_newals", "new pack", "../escape"])
def test_packs_new_refuses_a_bad_id(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, bad: str
) -> None:
    code, out, err = run(capsys, "packs", "new", bad)
    assert (code, out) == (2, "")
    assert_one_line_error(err, f"pack id '{bad}'", "lowercase letters")
    assert not (drillcoach_home / "packs").exists()


def test_packs_new_with_an_unknown_skill(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "x.toml"
    code, _, err = run(capsys, "packs", "new", "x", "--skill", "juggling", "--out", str(target))
    assert code == 2
    assert_one_line_error(err, "unknown skill 'juggling'")
    assert not target.exists()


# --- today


def test_today_on_a_fresh_home(capsys: pytest.CaptureFixture[str], drillcoach_home: Path) -> None:
    services = open_services()
    try:
        queue = services.scheduler.queue()
        packs = services.library.packs
    finally:
        services.close()
    assert (queue.due_count, queue.new_count) == (0, 5)
    code, out, err = run(capsys, "today")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Today for ")
    assert lines[2] == (
        "  No vision yet: press v to write where you want to be in 2, 3 and 5 years."
    )
    assert lines[3] == f"  Today: 0 due · 5 new · about {queue.minutes} minutes"
    listed = [line for line in lines if line.lstrip()[:3] in {"1. ", "2. ", "3. ", "4. ", "5. "}]
    assert len(listed) == 5
    for number, (item, line) in enumerate(zip(queue.items, listed, strict=True), 1):
        assert line == (
            f"  {number:>2}. new   {item.drill.kind:<10} {item.drill.title}  "
            f"[{packs[item.drill.pack_id].title}]"
        )
    assert lines[-1] == "Start the session with: drillcoach"
    assert err == ""
    assert (drillcoach_home / "drillcoach.db").is_file()


def test_today_after_a_rating_shows_the_streak(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    services = open_services()
    try:
        first = services.scheduler.queue().items[0].drill
        services.scheduler.record_self(first, 3)
    finally:
        services.close()
    code, out, _ = run(capsys, "today")
    assert code == 0
    assert "  Streak 1 day (done today) · 1 of 7 days this week" in out.splitlines()
    assert "  Today: 0 due · 4 new" in out
    assert first.title not in out


def test_today_with_nothing_left(capsys: pytest.CaptureFixture[str], drillcoach_home: Path) -> None:
    assert run(capsys, "config", "set", "new_per_day", "0")[0] == 0
    code, out, _ = run(capsys, "today")
    assert code == 0
    assert "  Nothing due today." in out.splitlines()
    assert "  Tomorrow: 0 drill(s) to review, plus up to 0 new." in out.splitlines()


def test_home_option_beats_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, drillcoach_home: Path
) -> None:
    other = tmp_path / "other-profile"
    code, _, _ = run(capsys, "--home", str(other), "today")
    assert code == 0
    assert (other / "drillcoach.db").is_file()
    assert not (drillcoach_home / "drillcoach.db").exists()


def test_broken_config_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    (drillcoach_home / "config.toml").write_text("new_per_day = 'many'\n", encoding="utf-8")
    code, out, err = run(capsys, "today")
    assert (code, out) == (2, "")
    assert_one_line_error(err, str(drillcoach_home / "config.toml"), "'new_per_day'")


def test_newer_database_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(drillcoach_home / "drillcoach.db")) as db:
        db.execute("PRAGMA user_version = 99")
    code, _, err = run(capsys, "today")
    assert code == 2
    assert_one_line_error(err, "written by a newer drillcoach")


# --- config


def test_config_shows_paths_under_drillcoach_home(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    code, out, _ = run(capsys, "config")
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == [
        f"config file:  {drillcoach_home / 'config.toml'}",
        f"database:     {drillcoach_home / 'drillcoach.db'}",
        f"my packs:     {drillcoach_home / 'packs'}",
        f"backups:      {drillcoach_home / 'backups'}",
    ]
    assert any(line.startswith("new_per_day") and "= 5 " in line for line in lines)


def test_config_set_then_show(capsys: pytest.CaptureFixture[str], drillcoach_home: Path) -> None:
    code, out, _ = run(capsys, "config", "set", "new_per_day", "8")
    assert code == 0
    assert out == f"new_per_day = 8  (in {drillcoach_home / 'config.toml'})\n"
    code, out, _ = run(capsys, "config")
    [line] = [line for line in out.splitlines() if line.startswith("new_per_day")]
    assert line.split("#")[0].split() == ["new_per_day", "=", "8"]


def test_config_set_desired_retention_moves_the_due_dates_as_it_is_written(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    services = open_services()
    try:
        drill = services.scheduler.queue().items[0].drill
        services.scheduler.record_self(drill, 4)  # Easy: a review card, due by the retention
        rep = services.scheduler.rep
        before = CardTable(services.store).get(rep, [drill.uid])[drill.uid].due
    finally:
        services.close()
    assert run(capsys, "config", "set", "desired_retention", "0.75")[0] == 0
    written = CardTable.writes
    services = open_services()
    try:
        after = CardTable(services.store).get(rep, [drill.uid])[drill.uid].due
        services.scheduler.queue()
        assert CardTable.writes == written  # the queue had nothing left to move
        assert services.scheduler.cards.check() == []  # as a replay of the history puts it
    finally:
        services.close()
    assert after > before  # a lower retention: the drill comes back later


def test_config_set_fuzz_on_a_new_profile_writes_only_the_config(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    assert run(capsys, "config", "set", "fuzz", "false")[0] == 0
    assert sorted(p.name for p in drillcoach_home.iterdir()) == ["config.toml"]  # no cards


def test_config_set_bad_value(capsys: pytest.CaptureFixture[str], drillcoach_home: Path) -> None:
    code, out, err = run(capsys, "config", "set", "new_per_day", "lots")
    assert (code, out) == (2, "")
    assert err == ("drillcoach: setting 'new_per_day': expected a whole number from 0 to 500\n")
    assert not (drillcoach_home / "config.toml").exists()


def test_config_set_unknown_key(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "config", "set", "nope", "1")
    assert (code, out) == (2, "")
    assert_one_line_error(err, "drillcoach: unknown setting 'nope' (known: ")


# --- real processes


def test_python_m_drillcoach_help_and_version(drillcoach_home: Path) -> None:
    result = run_process("-m", "drillcoach", "--version", home=drillcoach_home)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"drillcoach {__version__}\n",
        "",
    )
    result = run_process("-X", "importtime", "-m", "drillcoach", "--help", home=drillcoach_home)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: drillcoach")
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "drillcoach.cli" in imported
    assert not [name for name in imported if name.split(".")[0] in {"textual", "rich"}]
    # the parser offers the events' words from drillcoach.vocabulary: building every event
    # dataclass (drillcoach.events, and dataclasses with inspect) took --version from 40 to
    # 65 ms and would slow every quick command (status --short, completion)
    assert not {"drillcoach.events", "dataclasses"} & set(imported)


def test_help_version_and_text_commands_do_not_import_textual(drillcoach_home: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from drillcoach.cli import main
        for argv in (["--version"], ["--help"]):
            try:
                main(argv)
            except SystemExit as exit_:
                assert exit_.code == 0, (argv, exit_.code)
        assert main(["today"]) == 0
        assert main(["packs", "list"]) == 0
        assert main(["config"]) == 0
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
        assert not loaded, loaded
        print("clean")
        """
    )
    result = run_process("-c", script, home=drillcoach_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("clean")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["fly"], "invalid choice: 'fly'"),
        (["packs", "show", "nope"], "no pack 'nope'"),
        (["config", "set", "new_per_day", "lots"], "setting 'new_per_day'"),
    ],
)
def test_exit_code_2_from_a_real_process(
    drillcoach_home: Path, argv: list[str], fragment: str
) -> None:
    result = run_process("-m", "drillcoach", *argv, home=drillcoach_home)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_one_line_error(result.stderr, fragment)


def test_installed_console_script(drillcoach_home: Path) -> None:
    script = Path(sys.executable).with_name("drillcoach")
    if not script.exists():
        pytest.skip("the drillcoach console script is not installed next to this python")
    env = {**os.environ, "DRILLCOACH_HOME": str(drillcoach_home)}
    result = subprocess.run(
        [str(script), "packs", "validate"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")
