"""A chain of renames keeps all the history: x renamed y (y replaces x), later y renamed
z (z lists only y): z's card and its last answer carry x's ratings too."""

from __future__ import annotations

from datetime import timedelta

from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import GOOD
from helpers import DrillDoc, FakeClock, MakeLibrary, MakeScheduler, PackDoc, WritePack


def test_a_rename_of_a_rename_keeps_the_first_history(
    make_scheduler: MakeScheduler,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    clock: FakeClock,
) -> None:
    write_pack(pack_doc("renewals", drills=[drill_doc("x"), drill_doc("other")]))
    first = make_library()
    make_scheduler(library=first).record_self(first.drill_of("renewals/x"), GOOD)

    clock.advance(days=3)
    write_pack(pack_doc("renewals", drills=[drill_doc("y", replaces=["x"]), drill_doc("other")]))
    second = make_library()
    sched = make_scheduler(library=second)
    assert sched.state(second.drill_of("renewals/y")).reviews == 1
    sched.record_self(second.drill_of("renewals/y"), GOOD, Attempt(answer="As y"))

    clock.advance(days=9)
    write_pack(pack_doc("renewals", drills=[drill_doc("z", replaces=["y"]), drill_doc("other")]))
    third = make_library()
    sched = make_scheduler(library=third)
    renamed = third.drill_of("renewals/z")
    assert sched.state(renamed).reviews == 2  # x's rating and y's
    history = sched.cards.history_uids(renamed.uid)
    assert history[0] == "renewals/z" and sorted(history[1:]) == ["renewals/x", "renewals/y"]
    previous = sched.previous_answer(renamed)
    assert previous is not None and previous.answer == "As y"
    assert sched.cards.check() == []
    clock.advance(days=30)
    assert "renewals/z" in [item.drill.uid for item in sched.queue().items]
    assert sched.state(renamed).first_review == clock.now - timedelta(days=42)
