"""`drillcoach doctor`: kept cards are checked against their history and rebuilt on
request; a card tampered with is reported (exit 1) and mended by --rebuild."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from drillcoach.cli import main
from drillcoach.scheduling.rules import AGAIN, GOOD
from drillcoach.services import open_services
from helpers import FakeClock, write_config


def rate_three(home: Path, clock: FakeClock) -> None:
    services = open_services(home, clock=clock)
    try:
        queue = services.scheduler.queue()
        for item, rating in zip(queue.items[:3], (GOOD, AGAIN, GOOD), strict=True):
            services.scheduler.record_self(item.drill, rating)
            clock.advance(minutes=2)
    finally:
        services.close()


def test_doctor_checks_and_rebuilds(
    drillcoach_home: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(drillcoach_home)
    rate_three(drillcoach_home, clock)
    assert main(["doctor"]) == 0
    assert capsys.readouterr().out == "ok: 3 card(s) agree with the rating history\n"

    with closing(sqlite3.connect(drillcoach_home / "drillcoach.db")) as db, db:
        db.execute("UPDATE cards SET due = due + 86400000000, reviews = 7 WHERE phase = 2")
    assert main(["doctor"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 3  # two tampered cards, then the summary
    assert "kept 7 review(s)" in lines[0] and "history says 1 review(s)" in lines[0]
    assert (
        lines[-1]
        == "2 card(s) differ from their history; 'drillcoach doctor --rebuild' replays them"
    )

    assert main(["doctor", "--rebuild"]) == 0
    assert capsys.readouterr().out == (
        "rebuilt every card from its ratings\nok: 3 card(s) agree with the rating history\n"
    )


def test_doctor_says_how_far_it_is_and_quiet_says_nothing(
    drillcoach_home: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A team's history takes a while: piped, doctor says how far it is (a bar on a
    terminal); --quiet leaves only what it finds."""
    from drillcoach.cli import progress

    write_config(drillcoach_home)
    rate_three(drillcoach_home, clock)
    monkeypatch.setattr(progress, "LONG_STEP", 1)  # three cards count as long here
    assert main(["doctor", "--rebuild"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        *(f"  replaying every card from its ratings: {n} of 3" for n in (1, 2, 3)),
        *(f"  checking every card: {n} of 3" for n in (1, 2, 3)),
    ]
    assert out.splitlines() == [
        "rebuilt every card from its ratings",
        "ok: 3 card(s) agree with the rating history",
    ]
    assert main(["doctor", "--rebuild", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.endswith("ok: 3 card(s) agree with the rating history\n")
