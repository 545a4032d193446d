"""The domain never imports Textual (or Rich): every module of the package but
``drillcoach.tui`` loads without them, and importing opens no file."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import drillcoach

UI_PACKAGE = "drillcoach.tui"
ENTRY_POINTS = {"drillcoach.__main__"}  # runs the CLI when imported


def domain_modules() -> list[str]:
    """Every module of the package, found by walking it, except the TUI's."""
    found = [
        module.name
        for module in pkgutil.walk_packages(drillcoach.__path__, "drillcoach.")
        if not (module.name == UI_PACKAGE or module.name.startswith(UI_PACKAGE + "."))
        and module.name not in ENTRY_POINTS
    ]
    return ["drillcoach", *sorted(found)]


def test_the_walk_finds_the_domain() -> None:
    modules = domain_modules()
    for expected in (
        "drillcoach.events",
        "drillcoach.tomlcheck",
        "drillcoach.scheduling.cards",
        "drillcoach.store.db",
        "drillcoach.progress.habit",
        "drillcoach.cli.today",
    ):
        assert expected in modules
    assert not any(name.startswith(UI_PACKAGE) for name in modules)


def test_domain_modules_do_not_import_textual_or_rich(drillcoach_home: Path) -> None:
    script = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {domain_modules()!r}:
            importlib.import_module(name)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
        print("loaded:", ",".join(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "loaded: \n"


def test_importing_the_domain_opens_nothing(drillcoach_home: Path) -> None:
    script = textwrap.dedent(
        f"""
        import importlib
        for name in {domain_modules()!r}:
            importlib.import_module(name)
        """
    )
    env_home = drillcoach_home / "untouched"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"DRILLCOACH_HOME": str(env_home), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert not env_home.exists()
