"""The command line builds only the parser it needs, without mistaking an option's value
for the command, and a reader that stops early (``| head``) is no error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from drillcoach.cli import main


def test_a_home_named_like_a_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "packs"
    assert main(["--home", str(home), "today"]) == 0
    assert capsys.readouterr().out.startswith("Today for ")
    assert main([f"--home={home}", "today"]) == 0
    assert (home / "drillcoach.db").is_file()


def test_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["today", "--help"])
    out = capsys.readouterr().out
    assert "usage: drillcoach today" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("packs", "today", "config", "doctor"):
        assert command in out


def test_output_cut_short_by_the_reader(drillcoach_home: Path) -> None:
    env = {**os.environ, "DRILLCOACH_HOME": str(drillcoach_home)}
    # the reader is gone before drillcoach writes a byte (it takes longer to start)
    pipeline = f"{sys.executable} -m drillcoach today | true"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.returncode == 0
