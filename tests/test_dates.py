"""Dates in the order of the rep's locale (drillcoach/dates.py): the month first where
LC_ALL, LC_TIME or LANG names the United States (and the territories that write dates
its way), the day first everywhere else; English words either way."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from drillcoach.dates import month_first, written
from helpers import run_cli, write_config

MARCH_5 = datetime(2026, 3, 5, 14, 5)


def locale_is(monkeypatch: pytest.MonkeyPatch, **names: str) -> None:
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in names.items():
        monkeypatch.setenv(name, value)
    month_first.cache_clear()


@pytest.mark.parametrize(
    ("pattern", "day_first", "month_first_"),
    [
        ("%A %d %B", "Thursday 05 March", "Thursday, March 5"),
        ("%d %b", "05 Mar", "Mar 5"),
        ("%a %d %b %H:%M", "Thu 05 Mar 14:05", "Thu, Mar 5 14:05"),
        ("%d %b %Y", "05 Mar 2026", "Mar 5, 2026"),
        ("%a %d %b %Y", "Thu 05 Mar 2026", "Thu, Mar 5, 2026"),
        ("%~d %b", "5 Mar", "Mar 5"),
        ("%a %~d %b %Y", "Thu 5 Mar 2026", "Thu, Mar 5, 2026"),
    ],
)
def test_each_pattern_in_either_order(
    monkeypatch: pytest.MonkeyPatch, pattern: str, day_first: str, month_first_: str
) -> None:
    locale_is(monkeypatch, LANG="en_GB.UTF-8")
    assert written(MARCH_5, pattern) == day_first
    locale_is(monkeypatch, LANG="en_US.UTF-8")
    assert written(MARCH_5, pattern) == month_first_
    assert written(MARCH_5.date(), pattern.replace(" %H:%M", "")) == month_first_.replace(
        " 14:05", ""
    )


@pytest.mark.parametrize(
    ("names", "first"),
    [
        ({"LANG": "en_US.UTF-8"}, True),
        ({"LANG": "es_US"}, True),
        ({"LANG": "en_PH.UTF-8"}, True),
        ({"LANG": "en_GB.UTF-8"}, False),
        ({"LANG": "de_DE.UTF-8"}, False),
        ({"LANG": "C.UTF-8"}, False),
        ({"LANG": "POSIX"}, False),
        ({}, False),
        ({"LANG": "en_GB.UTF-8", "LC_TIME": "en_US.UTF-8"}, True),  # LC_TIME over LANG
        ({"LC_TIME": "en_US.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, False),  # LC_ALL over both
    ],
)
def test_the_locale_is_read_as_posix_ranks_its_variables(
    monkeypatch: pytest.MonkeyPatch, names: dict[str, str], first: bool
) -> None:
    locale_is(monkeypatch, **names)
    assert month_first() is first


def test_today_says_the_date_in_the_locales_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, drillcoach_home: Path
) -> None:
    write_config(drillcoach_home)
    locale_is(monkeypatch, LANG="en_US.UTF-8")
    code, out, _ = run_cli(capsys, "today")
    assert code == 0
    now = datetime.now()
    assert out.splitlines()[0] == f"Today for Sam Patel, {now:%A}, {now:%B} {now.day}"
    locale_is(monkeypatch, LANG="en_GB.UTF-8")
    code, out, _ = run_cli(capsys, "today")
    assert out.splitlines()[0] == f"Today for Sam Patel, {now:%A %d %B}"
