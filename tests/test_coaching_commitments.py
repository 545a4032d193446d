"""Commitments: making one (each field checked), and how each kind is judged week by week
(kept, on track, at risk, missed) across a week boundary, the day's rollover at 04:00
local time and the end of a month; own ones ticked off or dropped; Today's line; the
command line round trip; and a manager seeing a rep's shared commitments after sync."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from drillcoach.coaching.commitments import (
    CommitmentError,
    CommitmentStatus,
    add_commitment,
    against_commitment,
    commitment_statuses,
    commitments_line,
    find_commitment,
    kept_ratio,
    make_commitment,
    update_commitment,
)
from drillcoach.content import Library
from drillcoach.errors import UserError
from drillcoach.events import Commitment, Debrief, ManagerRating, RatingContext, SelfRating
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from helpers import START, FakeClock, MakeLibrary, PackDoc, WritePack, one_line, run_cli
from teamkit import TeamKit, fixed_clock

DAYS = Days(4, UTC)  # drilling days start at 04:00
WHY = "I want to run my own team in three years"
DRILL = "objections-core/price-too-high"


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    """A moment of March 2026 (Monday 2 March is START's day), in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def commit(
    store: Store,
    library: Library,
    kind: str,
    when: datetime = START,
    *,
    days: Days = DAYS,
    text: str = "",
    number: int | None = None,
    pack: str | None = None,
    due: date | None = None,
) -> Commitment:
    made = make_commitment(store, library, "sam", days, when, kind=kind, motivation=WHY,
                           text=text, number=number, pack=pack, due=due)  # fmt: skip
    return add_commitment(store, made)


def drill_at(store: Store, *moments: datetime, uid: str = DRILL) -> None:
    store.add_many(
        SelfRating(by="sam", at=moment, drill_uid=uid, skill="objection-handling", rating=3)
        for moment in moments
    )


def debrief_at(store: Store, *moments: datetime) -> None:
    store.add_many(
        Debrief(by="sam", at=moment, account="Harbor Foods", call_date=moment.date(),
                call_type="discovery", outcome="advanced")
        for moment in moments
    )  # fmt: skip


def manager_rated(
    store: Store, moment: datetime, context: RatingContext, drill: str | None = DRILL
) -> None:
    store.add(
        ManagerRating(by="maria", rep="sam", at=moment, rubric="laer", scores={"listen": 4},
                      rating=3, skill="objection-handling", drill_uid=drill, context=context)
    )  # fmt: skip


def statuses(
    store: Store,
    library: Library,
    now: datetime,
    *,
    days: Days = DAYS,
    every: bool = False,
    new_per_day: int = 5,
) -> list[CommitmentStatus]:
    return commitment_statuses(
        store, library, "sam", days, now, every=every, new_per_day=new_per_day
    )


def only(found: Sequence[CommitmentStatus]) -> CommitmentStatus:
    assert len(found) == 1, found
    return found[0]


# --- drill N days a week


def test_drilling_days_this_week_kept_at_risk_and_missed(store: Store, library: Library) -> None:
    commit(store, library, "drill-days", number=4)
    drill_at(store, at(2))
    status = only(statuses(store, library, at(2, 11)))
    assert status.state == "on-track"
    # drilled today: today adds no more, six days are left
    assert status.progress == "1 of 4 days this week, 6 days left"
    assert status.count == (1, 4)
    # Thursday without more: three needed, four days left
    assert only(statuses(store, library, at(5))).state == "on-track"
    # Friday: three needed, three days left - every one of them
    friday = only(statuses(store, library, at(6)))
    assert (friday.state, friday.progress) == ("at-risk", "1 of 4 days this week, 3 days left")
    # Saturday: three needed, two days left - it cannot be met any more
    assert only(statuses(store, library, at(7))).state == "missed"
    drill_at(store, at(3), at(4), at(5, 20))
    kept = only(statuses(store, library, at(5, 21)))
    assert (kept.state, kept.progress) == ("kept", "4 of 4 days this week")


def test_a_drilling_day_rolls_over_at_four_in_the_morning_local_time(
    store: Store, library: Library
) -> None:
    berlin = Days(4, ZoneInfo("Europe/Berlin"))  # UTC+1 in March
    commit(store, library, "drill-days", days=berlin, number=2)
    drill_at(store, at(2, 10))
    drill_at(store, at(3, 2, 30))  # Tuesday 03:30 in Berlin: still Monday's drilling day
    status = only(statuses(store, library, at(3, 10), days=berlin))
    assert (status.state, status.count) == ("on-track", (1, 2))
    drill_at(store, at(3, 3, 30))  # 04:30 in Berlin: Tuesday
    assert only(statuses(store, library, at(3, 10), days=berlin)).state == "kept"


def test_last_week_is_judged_when_the_week_turns(store: Store, library: Library) -> None:
    commit(store, library, "drill-days", number=3)
    drill_at(store, at(2), at(4))
    monday = only(statuses(store, library, at(9)))
    assert monday.last_week == "missed"
    assert [(p.start, p.end, p.outcome, p.done, p.target) for p in monday.history] == [
        (date(2026, 3, 2), date(2026, 3, 8), "missed", 2, 3)
    ]
    assert monday.state == "on-track"
    assert monday.progress == "0 of 3 days this week, 7 days left"
    # Monday 9 March 03:30: still Sunday 8 March, the last day of the first week
    drill_at(store, at(9, 3, 30))
    assert only(statuses(store, library, at(9, 10))).last_week == "kept"
    # a week later, the week before last no longer shows as last week
    assert only(statuses(store, library, at(16))).last_week == "missed"  # the 9-15 March week
    assert kept_ratio(statuses(store, library, at(16), every=True)) == (1, 2)


def test_the_week_a_commitment_is_made_in_counts_only_if_it_was_on_track_then(
    store: Store, library: Library
) -> None:
    friday = at(6)
    commit(store, library, "drill-days", friday, number=4)  # four days, three left
    status = only(statuses(store, library, friday))
    assert status.state == "starting"
    assert status.progress == "0 of 4 days this week, 3 days left; counts from Mon 09 Mar"
    drill_at(store, at(6), at(7))
    monday = only(statuses(store, library, at(9)))
    assert (monday.history, monday.last_week) == ((), None)  # not held against the rep
    # a run-up that is kept counts as kept
    commit(store, library, "drill-days", at(7), number=2)
    drill_at(store, at(8))
    newest = statuses(store, library, at(9))[0]
    assert newest.last_week == "kept"


def test_a_weekly_commitment_with_a_date_runs_to_the_end_of_that_week(
    store: Store, library: Library
) -> None:
    commit(store, library, "drill-days", number=1, due=date(2026, 3, 11))
    drill_at(store, at(3), at(10))
    running = only(statuses(store, library, at(12)))
    assert running.state == "kept"
    ended = only(statuses(store, library, at(16)))  # the week after: still shown
    assert ended.ended == date(2026, 3, 15)
    assert ended.progress == "ran until Sun 15 Mar: kept 2 of 2 weeks"
    assert (ended.state, ended.last_week) == ("kept", "kept")
    assert statuses(store, library, at(23)) == []  # then it is history
    assert len(statuses(store, library, at(23), every=True)) == 1


# --- debrief N important calls a week


def test_debriefs_against_the_working_days_left(store: Store, library: Library) -> None:
    commit(store, library, "debrief-calls", number=2)
    monday = only(statuses(store, library, at(2)))
    assert (monday.state, monday.progress) == (
        "on-track", "0 of 2 debriefs this week, 5 workdays left"
    )  # fmt: skip
    # Thursday with none: two needed, Thursday and Friday left
    assert only(statuses(store, library, at(5))).state == "at-risk"
    debrief_at(store, at(5, 9))
    assert only(statuses(store, library, at(5))).state == "on-track"
    # the weekend: no working day left, one still needed
    saturday = only(statuses(store, library, at(7)))
    assert (saturday.state, saturday.progress) == (
        "at-risk", "1 of 2 debriefs this week, none left"
    )  # fmt: skip
    monday_after = only(statuses(store, library, at(9)))
    assert monday_after.last_week == "missed"
    debrief_at(store, at(9, 12), at(10, 12))
    assert only(statuses(store, library, at(10, 13))).state == "kept"
    found = statuses(store, library, at(16), every=True)
    assert against_commitment(found, "debrief-calls", date(2026, 3, 2)) == (3, 4)


# --- N role-plays rated by my manager a month


def test_role_plays_rated_this_month(store: Store, library: Library) -> None:
    commit(store, library, "manager-ratings", number=2)
    first = only(statuses(store, library, at(2)))
    # March 2026: the weeks of 2, 9, 16, 23 and 30 March are left
    assert (first.state, first.progress) == (
        "on-track", "0 of 2 role-plays rated this month, 5 weeks left"
    )  # fmt: skip
    manager_rated(store, at(4), "answer")  # an answer sent for review: not a role-play
    manager_rated(store, at(4), "joint-call", drill=None)  # a skill on a call: not one either
    manager_rated(store, at(5), "roleplay")
    assert only(statuses(store, library, at(16))).count == (1, 2)
    assert only(statuses(store, library, at(23))).state == "on-track"  # 1 needed, 2 weeks
    assert only(statuses(store, library, at(30))).state == "at-risk"  # 1 needed, 1 week
    april = only(statuses(store, library, at(1, month=4)))
    assert (april.last_week, april.history[-1].outcome) == (None, "missed")  # ended this week
    assert only(statuses(store, library, at(6, month=4))).last_week == "missed"
    manager_rated(store, at(6, 12, month=4), "roleplay", drill=None)  # a skill, in a role-play
    manager_rated(store, at(7, 12, month=4), "call-review")
    assert only(statuses(store, library, at(7, 13, month=4))).state == "kept"


# --- finish pack P by DATE


@pytest.fixture
def three_drills(write_pack: WritePack, pack_doc: PackDoc, make_library: MakeLibrary) -> Library:
    drills = [
        {"id": name, "kind": "objection", "skill": "objection-handling", "title": name,
         "prompt": f"The buyer says {name}.", "key_points": ["Acknowledge"]}
        for name in ("price", "timing", "incumbent")
    ]  # fmt: skip
    write_pack(pack_doc("field-test", drills=drills))
    return make_library()


def test_finishing_a_pack_by_its_date(store: Store, three_drills: Library) -> None:
    library = three_drills
    commit(store, library, "finish-pack", pack="field-test", due=date(2026, 3, 6))
    status = only(statuses(store, library, at(2), new_per_day=1))
    assert (status.state, status.progress) == ("on-track", "0 of 3 drills started, 5 days left")
    assert status.commitment.text == "Finish Pack field-test by 06 Mar"
    drill_at(store, at(3), uid="field-test/price")
    # Thursday: two drills left at one new drill a day, Thursday and Friday left
    assert only(statuses(store, library, at(5), new_per_day=1)).state == "at-risk"
    assert only(statuses(store, library, at(5), new_per_day=5)).state == "on-track"
    drill_at(store, at(5, 12), uid="field-test/timing")
    missed = only(statuses(store, library, at(7), new_per_day=1))
    assert (missed.state, missed.progress) == ("missed", "2 of 3 drills started by Fri 06 Mar")
    assert missed.ended == date(2026, 3, 6)
    # starting the last drill after the date does not make it kept
    drill_at(store, at(8), uid="field-test/incumbent")
    assert only(statuses(store, library, at(9), new_per_day=1)).last_week == "missed"
    assert statuses(store, library, at(16), new_per_day=1) == []


def test_a_pack_finished_in_time_is_kept(store: Store, three_drills: Library) -> None:
    library = three_drills
    drill_at(store, at(1, 12), uid="field-test/price")  # before the commitment: it counts
    commit(store, library, "finish-pack", pack="field-test", due=date(2026, 3, 20))
    drill_at(store, at(3), uid="field-test/timing")
    drill_at(store, at(4), uid="field-test/incumbent")
    kept = only(statuses(store, library, at(5)))
    assert (kept.state, kept.progress, kept.ended) == (
        "kept", "all 3 drills started by Wed 04 Mar", date(2026, 3, 4)
    )  # fmt: skip
    assert only(statuses(store, library, at(9))).last_week == "kept"
    with pytest.raises(CommitmentError, match="pack: every drill of 'field-test' is started"):
        commit(store, library, "finish-pack", pack="field-test", due=date(2026, 3, 30))


def test_what_cannot_be_seen_here_is_unknown_not_missed(
    store: Store, library: Library, three_drills: Library
) -> None:
    """A manager without the rep's personal pack, or without their debriefs, cannot
    check those commitments: they say so instead of calling them missed."""
    commit(store, three_drills, "finish-pack", pack="field-test", due=date(2026, 3, 6))
    commit(store, library, "debrief-calls", number=2)
    found = commitment_statuses(store, library, "sam", DAYS, at(9), hidden=["debrief-calls"])
    assert [(s.state, s.progress, s.history) for s in found] == [
        ("unknown", "its debriefs are not shared, so it cannot be checked", ()),
        ("unknown", "pack field-test is not loaded here, so it cannot be checked", ()),
    ]
    assert commitments_line(found) == "Commitments: 2 unknown"


# --- my own, ticked off


def test_own_commitments_done_dropped_and_due(store: Store, library: Library) -> None:
    ride = commit(store, library, "own", text="Book a ride-along with Maria", due=at(4).date())
    call = commit(store, library, "own", text="  Call my mentor  ")
    assert call.text == "Call my mentor"
    found = {s.commitment.id: s for s in statuses(store, library, at(2))}
    assert (found[ride.id].state, found[ride.id].progress) == ("on-track", "due Wed 04 Mar")
    assert (found[call.id].state, found[call.id].progress) == (
        "on-track", "no date: tick it off when it's done"
    )  # fmt: skip
    assert only([s for s in statuses(store, library, at(3)) if s.commitment == ride]).state == (
        "at-risk"
    )  # due tomorrow
    update_commitment(store, find_commitment(store, "sam", call.id[:6]), "done", at(3))
    update_commitment(store, ride, "dropped", at(3))
    shown = statuses(store, library, at(3, 12))
    assert [(s.commitment.id, s.state) for s in shown] == [(call.id, "done")]
    everything = {s.commitment.id: s.state for s in statuses(store, library, at(3), every=True)}
    assert everything == {call.id: "done", ride.id: "dropped"}
    with pytest.raises(UserError, match="already done on 2026-03-03"):
        update_commitment(store, call, "dropped", at(4))


def test_an_own_commitment_past_its_date_is_missed(store: Store, library: Library) -> None:
    commit(store, library, "own", text="Send Maria my pipeline review", due=at(4).date())
    late = only(statuses(store, library, at(5)))
    assert (late.state, late.progress) == ("missed", "was due Wed 04 Mar")
    update_commitment(store, late.commitment, "done", at(6))
    done = only(statuses(store, library, at(9)))
    assert (done.state, done.last_week) == ("done", "missed")  # done, but late


def test_drillcoach_ticks_off_its_own_kinds_itself(store: Store, library: Library) -> None:
    made = commit(store, library, "drill-days", number=3)
    with pytest.raises(UserError, match="sees for itself whether 'drill 3 days a week' is kept"):
        update_commitment(store, made, "done", at(3))


# --- making one: each field checked


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "gym"}, "kind: expected one of drill-days, finish-pack"),
        ({"kind": "drill-days"}, "number: drill-days needs how many days a week you will drill"),
        ({"kind": "drill-days", "number": 8}, "number: drill-days needs how many days a week "
                                              "you will drill, 1 to 7, got 8"),
        ({"kind": "debrief-calls", "number": 0}, "number: debrief-calls needs how many calls"),
        ({"kind": "own", "text": "x", "number": 2}, "number: only for drill-days, debrief-calls"),
        ({"kind": "finish-pack", "due": date(2026, 3, 9)}, "pack: finish-pack needs the pack"),
        ({"kind": "finish-pack", "pack": "nope", "due": date(2026, 3, 9)},
         "pack: no pack 'nope' is loaded (loaded packs: closing,"),
        ({"kind": "finish-pack", "pack": "objections-core"}, "due: finish-pack needs the date"),
        ({"kind": "drill-days", "number": 2, "pack": "closing"}, "pack: only for finish-pack"),
        ({"kind": "own", "text": "x", "due": date(2026, 3, 1)},
         "due: 2026-03-01 has passed; expected today or later"),
        ({"kind": "own"}, "text: say what you commit to, in your words"),
        ({"kind": "own", "text": "x" * 2001}, "text: at most 2000 characters, got 2001"),
        ({"kind": "own", "text": "x", "motivation": "  "}, "motivation: say why it matters"),
    ],
)  # fmt: skip
def test_each_field_is_checked(
    store: Store, library: Library, fields: dict[str, object], message: str
) -> None:
    fields = {"motivation": WHY, **fields}
    with pytest.raises(CommitmentError) as raised:
        make_commitment(store, library, "sam", DAYS, START, **fields)  # type: ignore[arg-type]
    assert str(raised.value).startswith(message), str(raised.value)
    assert store.coaching("sam", Commitment) == []


def test_a_commitment_is_found_by_the_start_of_its_id(store: Store, library: Library) -> None:
    made = commit(store, library, "own", text="Shadow Priya on a demo")
    assert find_commitment(store, "sam", made.id[:4].upper()) == made
    with pytest.raises(UserError, match="no commitment of yours has it"):
        find_commitment(store, "sam", "zz")


# --- Today's line


def test_todays_line_counts_them_and_names_the_one_at_risk(store: Store, library: Library) -> None:
    assert commitments_line(statuses(store, library, START)) is None
    commit(store, library, "drill-days", number=4)
    commit(store, library, "own", text="Call my mentor")
    drill_at(store, at(2), at(3))
    commit(store, library, "debrief-calls", at(3), number=1)
    debrief_at(store, at(3, 11))
    line = commitments_line(statuses(store, library, at(7)))  # two needed, two days left
    assert line == "Commitments: 1 kept · 1 on track · 1 at risk: drill 4 days a week (2 of 4)"
    commit(store, library, "own", at(7), text="A very long own commitment " * 5, due=at(8).date())
    line = commitments_line(statuses(store, library, at(7)))
    assert line is not None and len(line) == 76, line
    assert line.startswith("Commitments: 1 kept · 1 on track · 2 at risk: A very long ow")
    assert line.endswith("… (due tomorrow)")


# --- the command line


def test_the_command_line_round_trip(
    capsys: pytest.CaptureFixture[str], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed_clock(clock, monkeypatch)
    code, out, err = run_cli(capsys, "commitments")
    assert (code, err) == (0, "")
    assert out.startswith("No commitments yet.")
    code, out, err = run_cli(
        capsys, "commitments", "add", "--kind", "drill-days", "--number", "4", "--why", WHY
    )
    assert (code, err) == (0, "")
    assert "on track  Drill 4 days a week" in out
    assert "0 of 4 days this week, 7 days left" in out
    assert "drillcoach config set share_commitments true" in out
    code, out, _ = run_cli(capsys, "commitments", "add", "--kind", "own", "--due", "2026-03-06",
                           "--why", WHY, "Book", "a", "ride-along")  # fmt: skip
    assert code == 0
    own_id = out.split("(id ")[1][:8]
    code, out, _ = run_cli(capsys, "commitments")
    assert code == 0
    assert f"{own_id}  on track  Book a ride-along" in out
    assert "due Fri 06 Mar" in out and f"why: {WHY}" in out
    code, out, _ = run_cli(capsys, "commitments", "done", own_id[:5])
    assert (code, out) == (0, f"Done: Book a ride-along (id {own_id})\n")
    code, out, _ = run_cli(capsys, "commitments")
    assert f"{own_id}  done      Book a ride-along" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("add", "--kind", "drill-days", "--why", WHY), "--number: drill-days needs how many"),
        (("add", "--kind", "own", "--why", WHY), "TEXT: say what you commit to"),
        (("add", "--kind", "own", "--due", "friday", "--why", WHY, "x"),
         "--due: expected a date like 2026-03-31, got 'friday'"),
        (("add", "--kind", "own", "--why", "", "x"), "--why: say why it matters to you"),
        (("add", "--kind", "finish-pack", "--pack", "nope", "--due", "2026-04-01", "--why", WHY),
         "--pack: no pack 'nope' is loaded"),
        (("add", "--kind", "gym", "--why", WHY), "argument --kind: invalid choice: 'gym'"),
        (("done", "abc"), "ID 'abc': no commitment of yours has it"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    fragment: str,
) -> None:
    fixed_clock(clock, monkeypatch)
    code, out, err = run_cli(capsys, "commitments", *argv)
    assert (code, out) == (2, "")
    one_line(err, fragment)


# --- the manager's side


def test_a_manager_sees_a_reps_shared_commitments_after_sync(team: TeamKit) -> None:
    kit = team
    kit.cli("alice", "commitments", "add", "--kind", "drill-days", "--number", "3", "--why",
            WHY).ok()  # fmt: skip
    kit.drill("alice", 1)
    kit.sync("alice").ok()
    kit.sync("maria").ok()
    with kit.services("maria") as maria:
        assert statuses_of(maria.store, maria.library, "alice") == []  # not shared
    kit.cli("alice", "config", "set", "share_commitments", "true").ok()
    kit.sync("alice").ok()
    kit.sync("maria").ok()
    with kit.services("maria") as maria:
        seen = only(statuses_of(maria.store, maria.library, "alice"))
    assert (seen.commitment.text, seen.progress) == (
        "Drill 3 days a week", "1 of 3 days this week, 6 days left"
    )  # fmt: skip


def statuses_of(store: Store, library: Library, rep: str) -> list[CommitmentStatus]:
    return commitment_statuses(store, library, rep, DAYS, START + timedelta(hours=1))
