"""The domain never imports Textual (or Rich): the CLI and scripts stay light."""

from __future__ import annotations

import subprocess
import sys
import textwrap

DOMAIN_MODULES = (
    "drillcoach",
    "drillcoach.errors",
    "drillcoach.config",
    "drillcoach.content",
    "drillcoach.store",
    "drillcoach.scheduler",
    "drillcoach.progress",
    "drillcoach.services",
    "drillcoach.cli",
)


def test_domain_modules_do_not_import_textual_or_rich(drillcoach_home):
    script = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {DOMAIN_MODULES!r}:
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


def test_importing_the_domain_opens_nothing(drillcoach_home):
    script = textwrap.dedent(
        f"""
        import importlib
        for name in {DOMAIN_MODULES!r}:
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
