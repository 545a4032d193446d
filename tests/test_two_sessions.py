"""Two drillcoach sessions on one home (two terminals): undo in one takes back only its
own last rating, checked and written in one transaction, and never raises."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drillcoach.scheduling.rules import GOOD, HARD
from drillcoach.scheduling.session import Session
from drillcoach.services import Services, open_services
from helpers import FakeClock, write_config


@pytest.fixture
def terminals(drillcoach_home: Path, clock: FakeClock) -> Iterator[tuple[Services, Services]]:
    write_config(drillcoach_home)
    first = open_services(drillcoach_home, clock=clock)
    second = open_services(drillcoach_home, clock=clock)  # its own connection to the file
    yield first, second
    first.close()
    second.close()


def test_undo_takes_back_this_sessions_rating_only(
    terminals: tuple[Services, Services], clock: FakeClock
) -> None:
    left, right = terminals
    session_left = Session.start(left.scheduler)
    session_right = Session.start(right.scheduler)
    mine = session_left.record(GOOD)
    clock.advance(minutes=1)
    theirs = session_right.record(HARD)  # the newest rating in the store
    item = session_left.undo()
    assert item is not None and item.drill.uid == mine.event.drill_uid
    live = [rating.id for rating in left.store.ratings("sam")]
    assert live == [theirs.event.id]
    assert right.store.ratings("sam") == left.store.ratings("sam")
    assert left.scheduler.cards.check() == []


def test_a_rating_already_taken_back_elsewhere_is_not_taken_back_twice(
    terminals: tuple[Services, Services],
) -> None:
    left, right = terminals
    session = Session.start(left.scheduler)
    mine = session.record(GOOD)
    assert right.scheduler.recorder.undo(mine.event) is True  # e.g. `u` in the other terminal
    assert session.undo() is not None  # no error: the drill simply comes back first
    assert left.store.undos("sam") == right.store.undos("sam")
    assert len(left.store.undos("sam")) == 1
