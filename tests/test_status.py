"""``drillcoach status [--short]``: today's queue in one line, the same number as Today's,
kept between runs only while nothing it depends on has changed, without Textual."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from platformdirs.macos import MacOS

from drillcoach.cli.status import KEPT_NAME, likely_data_dir, read_kept, short_text
from drillcoach.config import resolve_paths
from drillcoach.scheduling.rules import AGAIN
from drillcoach.services import open_services
from drillcoach.text import headline
from helpers import run_cli as run


def domain_answer(home: Path) -> tuple[str, str]:
    """What Today says, from the domain: (the short form, the headline)."""
    services = open_services(home)
    try:
        queue = services.scheduler.queue()
    finally:
        services.close()
    return short_text(queue.due_count, queue.new_count), headline(queue)


def status(capsys: pytest.CaptureFixture[str], *options: str) -> str:
    code, out, err = run(capsys, "status", *options)
    assert code == 0 and err == "", err
    return out


def test_short_words() -> None:
    assert short_text(3, 4) == "3 due · 4 new"
    assert short_text(3, 0) == "3 due"
    assert short_text(0, 4) == "4 new"
    assert short_text(0, 0) == ""


def test_status_says_what_today_says(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    first = status(capsys, "--short")  # worked out, then kept
    short, line = domain_answer(drillcoach_home)
    assert short.endswith("new") and first == short + "\n"
    assert (drillcoach_home / "cache" / KEPT_NAME).exists()
    assert status(capsys, "--short") == first  # the kept answer
    assert status(capsys) == line + "\n"


def test_a_rating_changes_the_answer(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    before = status(capsys, "--short")
    services = open_services(drillcoach_home)
    try:  # 'Again' on two new drills: in learning, due again today
        for item in services.scheduler.queue().items[:2]:
            services.scheduler.record_self(item.drill, AGAIN)
    finally:
        services.close()
    after = status(capsys, "--short")
    assert after != before
    assert after == domain_answer(drillcoach_home)[0] + "\n"
    assert after.startswith("2 due")


def test_settings_change_the_answer_and_an_empty_queue_prints_nothing(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    status(capsys, "--short")
    assert run(capsys, "config", "set", "new_per_day", "2")[0] == 0
    assert status(capsys, "--short") == "2 new\n"
    assert run(capsys, "config", "set", "new_per_day", "0")[0] == 0
    assert status(capsys, "--short") == ""
    assert status(capsys) == domain_answer(drillcoach_home)[1] + "\n"


def test_a_new_pack_file_is_worked_out_again(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    status(capsys, "--short")
    assert read_kept(str(drillcoach_home)) is not None
    assert run(capsys, "packs", "new", "my-pack", "--title", "Mine", "--skill",
               "objection-handling")[0] == 0  # fmt: skip
    assert read_kept(str(drillcoach_home)) is None
    assert status(capsys, "--short") == domain_answer(drillcoach_home)[0] + "\n"
    assert read_kept(str(drillcoach_home)) is not None


def test_a_kept_answer_of_another_folder_is_not_used(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    status(capsys, "--short")
    assert read_kept(str(drillcoach_home)) is not None
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "cache").mkdir(parents=True)
    (elsewhere / "cache" / KEPT_NAME).write_bytes((drillcoach_home / "cache" /
                                                   KEPT_NAME).read_bytes())  # fmt: skip
    assert read_kept(str(elsewhere)) is None


def test_a_kept_answer_of_another_day_is_not_used(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    status(capsys, "--short")
    kept = drillcoach_home / "cache" / KEPT_NAME
    record = list(marshal.loads(kept.read_bytes()))
    assert read_kept(str(drillcoach_home)) is not None
    since, until = record[4], record[5]
    for day in (-1, 1):  # yesterday's, and tomorrow's (the clock set back)
        record[4], record[5] = since + day * 86400, until + day * 86400
        kept.write_bytes(marshal.dumps(tuple(record)))
        assert read_kept(str(drillcoach_home)) is None


def test_the_guessed_folder_is_the_real_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert likely_data_dir(str(tmp_path)) == str(tmp_path)
    monkeypatch.delenv("DRILLCOACH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if sys.platform == "linux":
        assert likely_data_dir(None) == str(resolve_paths().data_dir)
    # as platformdirs lays them out elsewhere (its macOS rules run anywhere; Windows's
    # need Windows: the local AppData folder, then the author's and the app's names)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert likely_data_dir(None) == MacOS("drillcoach").user_data_dir  # XDG_DATA_HOME's
    monkeypatch.delenv("XDG_DATA_HOME")
    assert likely_data_dir(None) == MacOS("drillcoach").user_data_dir  # Application Support
    assert "Application Support" in str(likely_data_dir(None))
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert likely_data_dir(None) == os.path.join(tmp_path / "Local", "drillcoach", "drillcoach")
    monkeypatch.delenv("LOCALAPPDATA")
    assert likely_data_dir(None) is None  # no guess: status works it out


def test_status_never_imports_textual(drillcoach_home: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from drillcoach.cli import main
        main(["status", "--short"])  # worked out
        main(["status", "--short"])  # kept
        print("loaded:", sorted(m for m in sys.modules if m.split(".")[0] == "textual"))
        """
    )
    env = {**os.environ, "DRILLCOACH_HOME": str(drillcoach_home)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: []"
