"""Coaching records leave the rep's machine only of the kinds the rep shares: a team round
trip with real git, and the checks a record read from the workspace must pass."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from fsrs.scheduler import DEFAULT_PARAMETERS

from drillcoach.events import (
    Agreement,
    CoachingArea,
    Commitment,
    Debrief,
    DebriefReview,
    DnaCheck,
    Scheduling,
    Sharing,
    Vision,
)
from drillcoach.progress.summary import rep_summary
from drillcoach.scheduling import personal
from drillcoach.team.eventlog import check
from drillcoach.team.workspace import membership
from helpers import made_fit
from teamkit import TeamKit, events_in

LATER = datetime(2026, 3, 20, 9, tzinfo=UTC)


def _write_alices_records(kit: TeamKit) -> tuple[Vision, Vision, Debrief]:
    at = kit.clock()
    first = Vision(by="alice", at=at, in_2_years="Carry a mid-market number", why="Buy a flat",
                   desire=7, willingness=6)  # fmt: skip
    second = Vision(by="alice", at=LATER, in_2_years="Carry a mid-market number",
                    in_5_years="Run a team of six", why="Buy a flat", desire=8,
                    willingness=8)  # fmt: skip
    debrief = Debrief(by="alice", at=at, account="Harbor Foods", call_date=date(2026, 3, 1),
                      call_type="discovery", outcome="advanced",
                      objections=("We already have a freight tool.",),
                      skills={"discovery": 3})  # fmt: skip
    with kit.services("alice") as alice:
        alice.store.add_many([
            first, second, debrief,
            Agreement(by="alice", at=at, areas=(CoachingArea(skill="closing", ways=("weekly",),
                                                             vision="Carry a number"),)),
            Commitment(by="alice", at=at, kind="drill-days", text="Drill 4 days a week",
                       number=4),
            DnaCheck(by="alice", at=at, answers={"money-talk": 2}),
        ])  # fmt: skip
    return first, second, debrief


def _events_in_workspace(kit: TeamKit, who: str) -> str:
    folder = kit[who].ws / "events" / who
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.jsonl")))


def test_nothing_of_a_reps_coaching_leaves_their_machine_until_they_share_it(
    team: TeamKit,
) -> None:
    kit = team
    _write_alices_records(kit)
    kit.sync("alice")
    kit.sync("maria")
    written = _events_in_workspace(kit, "alice")
    for kind in ("vision", "agreement", "commitment", "debrief", "dna"):
        assert f'"type":"{kind}"' not in written
    with kit.services("maria") as maria:
        assert maria.store.latest_coaching("alice", Vision) is None
        assert maria.store.coaching("alice", Debrief) == []
        assert maria.store.coaching("alice", Agreement) == []


def test_a_kind_shared_later_brings_its_earlier_records_and_only_that_kind(
    team: TeamKit,
) -> None:
    kit = team
    first, second, _ = _write_alices_records(kit)
    kit.sync("alice")
    kit.cli("alice", "config", "set", "share_vision", "true").ok()
    kit.sync("alice")
    kit.sync("maria")
    kit.sync("bob")
    with kit.services("maria") as maria:
        assert maria.store.coaching("alice", Vision) == [first, second]
        assert maria.store.latest_coaching("alice", Vision) == second
        assert [check.answers for check in maria.store.coaching("alice", DnaCheck)] == [
            {"money-talk": 2}
        ]
        assert maria.store.coaching("alice", Debrief) == []
        assert maria.store.coaching("alice", Commitment) == []
        shared = maria.store.sharing("alice")
        assert isinstance(shared, Sharing)
        assert (shared.vision, shared.debriefs, shared.commitments) == (True, False, False)
    with kit.services("bob") as bob:  # another rep reads no one's coaching
        assert bob.store.latest_coaching("alice", Vision) is None


def test_a_managers_review_of_a_shared_debrief_reaches_the_rep_only(team: TeamKit) -> None:
    kit = team
    *_, debrief = _write_alices_records(kit)
    kit.cli("alice", "config", "set", "share_debriefs", "true").ok()
    kit.sync("alice")
    kit.sync("maria")
    with kit.services("maria") as maria:
        assert maria.store.coaching("alice", Debrief) == [debrief]
        review = DebriefReview(
            by="maria", rep="alice", at=kit.clock(), debrief=debrief.id,
            scores={"facts": 4, "words": 2}, note="Quote the buyer.",
        )  # fmt: skip
        maria.store.add(review)
    kit.sync("maria")
    kit.sync("alice")
    kit.sync("bob")
    with kit.services("alice") as alice:
        assert alice.store.coaching("alice", DebriefReview) == [review]
    with kit.services("bob") as bob:
        assert bob.store.coaching("alice", DebriefReview) == []


def test_a_debrief_review_by_someone_who_is_not_the_reps_manager_is_refused(
    team: TeamKit, tmp_path: Path
) -> None:
    kit = team
    mine = membership(str(kit["bob"].ws), "bob")
    forged = DebriefReview(by="bob", rep="alice", at=kit.clock(), debrief="d-1",
                           scores={"facts": 5})  # fmt: skip
    assert check(mine.team, forged, "bob") == (
        "'bob' reviews a debrief of 'alice' but is not their manager"
    )
    honest = DebriefReview(by="maria", rep="alice", at=kit.clock(), debrief="d-1",
                           scores={"facts": 5})  # fmt: skip
    assert check(mine.team, honest, "maria") is None
    too_keen = Vision(by="alice", at=kit.clock(), in_2_years="x", desire=11, willingness=5)
    assert check(mine.team, too_keen, "alice") == "desire and willingness must be 1 to 10"
    bad_score = DebriefReview(by="maria", rep="alice", at=kit.clock(), debrief="d-1",
                              scores={"facts": 6})  # fmt: skip
    assert "expected a criterion id and 1 to 5" in str(check(mine.team, bad_score, "maria"))


def test_debriefs_a_rep_stops_sharing_are_no_longer_shown_to_their_manager(
    team: TeamKit,
) -> None:
    kit = team
    *_, debrief = _write_alices_records(kit)
    ident = debrief.id[:8]
    kit.cli("alice", "config", "set", "share_debriefs", "true").ok()
    kit.sync("alice")
    kit.sync("maria")
    assert ident in kit.cli("maria", "debrief", "list", "--rep", "alice").ok().out
    kit.cli("alice", "config", "set", "share_debriefs", "false").ok()
    kit.sync("alice")
    kit.sync("maria")
    with kit.services("maria") as maria:  # kept in maria's store, as every record is
        assert maria.store.coaching("alice", Debrief) == [debrief]
    assert ident not in kit.cli("maria", "debrief", "list", "--rep", "alice").ok().out
    shown = kit.cli("maria", "debrief", "show", ident, "--rep", "alice")
    assert shown.code == 2 and "no debrief of alice" in shown.err
    scores = "what-happened=4,buyer-words=5,do-differently=2,next-step=3"
    reviewed = kit.cli("maria", "debrief", "review", "alice", ident, "--score", scores)
    assert reviewed.code == 2 and "no debrief of alice" in reviewed.err


def test_a_reps_parameters_and_retention_reach_their_manager_who_schedules_as_they_do(
    team: TeamKit,
) -> None:
    kit = team
    [(drill, _)] = kit.drill("alice", 1, rating=4)  # Easy: a review card, due by retention
    kit.sync("alice")
    assert '"type":"scheduling"' not in _events_in_workspace(kit, "alice")  # the defaults
    fitted = (0.3, *DEFAULT_PARAMETERS[1:])
    with kit.services("alice") as alice:
        personal.apply(alice.store, "alice", made_fit(fitted, kit.clock()))
    kit.cli("alice", "config", "set", "desired_retention", "0.8").ok()
    kit.sync("alice")
    kit.sync("alice")  # nothing changed since: no second record
    records = [e for e in events_in(kit["alice"].ws / "events" / "alice")
               if isinstance(e, Scheduling)]  # fmt: skip
    assert [(r.parameters, r.desired_retention) for r in records] == [(fitted, 0.8)]

    kit.sync("maria")
    with kit.services("alice") as alice, kit.services("maria") as maria:
        own = alice.scheduler.cards
        theirs = maria.scheduler_for("alice").cards
        assert (theirs.memory.parameters, theirs.memory.desired_retention) == (fitted, 0.8)
        assert theirs.states_of([drill.uid])[drill.uid].due == own.state(drill).due
        assert theirs.check() == []  # the sync rebuilt them: as a replay with her choice
        summary = rep_summary(maria.store, maria.library, maria.config, "alice", "Alice",
                              maria.scheduler.days, kit.clock())  # fmt: skip
        assert summary.retention.desired == 0.8  # hers, not her manager's 0.9
    with kit.services("alice") as alice:
        personal.undo(alice.store, "alice", kit.clock())
    kit.sync("alice")
    kit.sync("maria")
    with kit.services("maria") as maria:
        assert maria.scheduler_for("alice").cards.memory.parameters is None


def test_a_scheduling_record_out_of_range_is_refused(team: TeamKit) -> None:
    kit = team
    mine = membership(str(kit["bob"].ws), "bob")
    at = kit.clock()
    assert check(mine.team, Scheduling(by="alice", at=at, desired_retention=0.85), "alice") is None
    assert check(mine.team, Scheduling(by="alice", at=at, desired_retention=1.5), "alice") == (
        "desired_retention: expected a number from 0.7 to 0.99"
    )
    three = Scheduling(by="alice", at=at, parameters=(0.1, 0.2, 0.3))
    assert "FSRS parameters within the scheduler's bounds" in str(check(mine.team, three, "alice"))
    huge = Scheduling(by="alice", at=at, parameters=(1e9, *DEFAULT_PARAMETERS[1:]))
    assert check(mine.team, huge, "alice") is not None
    assert check(mine.team, Scheduling(by="alice", at=at), "bob") == (
        "written by 'alice' in the folder of 'bob'"
    )
