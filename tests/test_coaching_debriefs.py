"""Debriefs after important calls: the form checked field by field, an objection heard
turned into a drill of the rep's field pack (a real pack that validates and comes first
among tomorrow's new drills), the closest-drill offer, a drill brought forward to today,
the joint-call view beside the rep's self-ratings, and the manager's review."""

from __future__ import annotations

import io
import sqlite3
import tomllib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from drillcoach.coaching.closest import FORWARD_AT, closest_drills, offer_for
from drillcoach.coaching.debrief_text import debrief_lines
from drillcoach.coaching.debriefs import (
    DebriefError,
    DebriefForm,
    add_debrief,
    check_debrief,
    debriefs,
    find_debrief,
    share_hint_once,
)
from drillcoach.coaching.fieldpack import bring_forward, drill_from_objection, field_pack_path
from drillcoach.coaching.jointcall import joint_call_lines, joint_call_view
from drillcoach.content import Library
from drillcoach.errors import UserError
from drillcoach.events import Debrief, DebriefReview, DrillAction, ManagerRating
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import rating_from_scores
from drillcoach.services import Services, open_services
from drillcoach.store import Store
from drillcoach.store.migrations import migrate
from helpers import (
    START,
    DrillDoc,
    FakeClock,
    MakeLibrary,
    MakeScheduler,
    PackDoc,
    WritePack,
    one_line,
    run_cli,
    write_config,
)
from teamkit import TeamKit, fixed_clock

PRICE = "Honestly, your price is just too high for us."
DRIVERS = "The drivers will never use another app on their phones."
CALL_DAY = date(2026, 3, 2)  # the day START falls on


def _form(**fields: object) -> DebriefForm:
    values: dict[str, object] = {
        "account": "Harbor Foods",
        "call_date": "today",
        "call_type": "discovery",
        "outcome": "advanced",
        "objections": (PRICE, DRIVERS),
        "skills": ("discovery=4", "closing=2"),
        "moments": ("31:05 silence after price", "12:40 she names IT"),
    }
    values.update(fields)
    return DebriefForm(**values)  # type: ignore[arg-type]


@pytest.fixture
def services(drillcoach_home: Path, clock: FakeClock) -> Iterator[Services]:
    write_config(drillcoach_home)
    opened = open_services(drillcoach_home, clock=clock, tz=UTC)
    yield opened
    opened.close()


def _debrief(services: Services, **fields: object) -> Debrief:
    return add_debrief(
        services.store,
        services.library,
        "sam",
        _form(**fields),
        at=services.clock(),
        today=CALL_DAY,
    )


# --- the form


def test_a_debrief_keeps_what_the_rep_wrote(services: Services) -> None:
    saved = _debrief(services, recording="https://calls.example.com/r/81", went_well="  ok ")
    assert saved.account == "Harbor Foods" and saved.call_date == CALL_DAY
    assert saved.objections == (PRICE, DRIVERS)
    assert saved.skills == {"discovery": 4, "closing": 2}
    assert [m.at for m in saved.moments] == ["12:40", "31:05"]  # in the film's order
    assert saved.went_well == "ok"
    assert services.store.coaching("sam", Debrief) == [saved]


BAD_FIELDS = [
    ({"account": "  "}, "account", "missing"),
    ({"call_date": "last tuesday"}, "date", "expected a date like"),
    ({"call_date": "2026-03-03"}, "date", "after today"),
    ({"call_type": "coffee"}, "type", "expected one of cold-call"),
    ({"outcome": "meh"}, "outcome", "expected one of won"),
    ({"skills": ("discovery=6",)}, "skill", "expected 1 to 5"),
    ({"skills": ("juggling=3",)}, "skill", "no skill 'juggling'"),
    ({"skills": ("discovery",)}, "skill", "expected SKILL=N"),
    ({"skills": ("discovery=3", "discovery=4")}, "skill", "rated twice"),
    ({"moments": ("price pushback",)}, "moment", "like '12:40 price pushback'"),
    ({"moments": ("12:75 pushback",)}, "moment", "is not a time"),
    ({"recording": "gong call 12"}, "recording", "expected a link"),
    ({"objections": ("x" * 2001,)}, "objection", "at most 2,000"),
    ({"objections": tuple(f"objection {n}" for n in range(21))}, "objection", "at most 20"),
]


@pytest.mark.parametrize(("fields", "field", "words"), BAD_FIELDS)
def test_a_field_that_is_not_right_is_one_line_naming_it(
    library: Library, fields: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(DebriefError) as raised:
        check_debrief(_form(**fields), library, "sam", START, CALL_DAY)
    assert raised.value.field == field
    one_line(str(raised.value), f"{field}: ", words)


def test_dates_and_times_read_as_a_rep_types_them(library: Library) -> None:
    debrief = check_debrief(
        _form(call_date="yesterday", moments=("1:02:03 - the CFO joins", "0:45")),
        library,
        "sam",
        START,
        CALL_DAY,
    )
    assert debrief.call_date == date(2026, 3, 1)
    assert [(m.at, m.note) for m in debrief.moments] == [("0:45", ""), ("1:02:03", "the CFO joins")]


def test_debriefs_list_the_latest_call_first_and_a_short_id_finds_one(
    services: Services, clock: FakeClock
) -> None:
    older = _debrief(services, call_date="2026-02-20", account="Older")
    clock.advance(minutes=5)
    newer = _debrief(services)
    assert debriefs(services.store, "sam") == [newer, older]
    assert find_debrief(services.store, "sam", older.id[:6]) == older
    with pytest.raises(UserError, match="at least its first 4"):
        find_debrief(services.store, "sam", "ab")
    with pytest.raises(UserError, match="no debrief of sam"):
        find_debrief(services.store, "sam", "zzzzzz")


# --- objections into drills


def test_an_obvious_match_ranks_first_and_is_offered_forward(library: Library) -> None:
    ranked = closest_drills(library, PRICE)
    assert ranked[0][0].uid == "objections-core/price-too-high"
    assert ranked[0][1] >= FORWARD_AT > ranked[1][1]
    assert len(ranked) == 3
    assert offer_for(library, "Call me back next quarter, the timing isn't right").match
    timing = offer_for(library, "Call me back next quarter, the timing isn't right")
    assert timing.closest[0][0].uid == "objections-core/call-next-quarter"


def test_a_loose_paraphrase_is_offered_to_copy_from_but_not_forward(library: Library) -> None:
    offer = offer_for(library, "I need to run this by my boss first")
    assert offer.closest[0][0].uid == "objections-core/talk-to-my-boss"
    assert offer.match is None
    unrelated = offer_for(library, DRIVERS)
    assert unrelated.match is None
    assert all(score < 0.5 for _, score in unrelated.closest)
    assert closest_drills(library, "the of and") == []  # no content words: nothing close


def _drill_new_today(services: Services) -> None:
    """Use up today's new drills, so only tomorrow can bring a new one."""
    for item in services.scheduler.queue().items:
        services.scheduler.record_self(item.drill, 3, Attempt(duration_ms=20_000))


def test_an_objection_becomes_a_field_drill_that_validates_and_comes_tomorrow(
    services: Services,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    debrief = _debrief(services)
    _drill_new_today(services)
    assert services.scheduler.queue().new_count == 0
    written = drill_from_objection(
        services,
        DRIVERS,
        key_points=[
            "Ask which app they use today",
            "Ask what a driver would need to see to switch",
        ],
        answer="Fair. Which app are they on now, and what would they need to see?",
        debrief=debrief,
    )
    assert written.new_pack and written.path == field_pack_path(services.paths.packs_dir, "sam")
    drill = written.drill
    assert drill.uid == "field-sam/the-drivers-will-never-use-1"
    assert drill.prompt == DRIVERS and drill.kind == "objection"
    assert "Harbor Foods" in drill.situation and drill.rubric == "laer"
    fixed_clock(clock, monkeypatch)
    code, out, err = run_cli(capsys, "packs", "validate", str(written.path))
    assert (code, err) == (0, ""), out
    assert "ok: 1 pack(s), 1 drills, no problems" in out
    assert run_cli(capsys, "packs", "validate")[0] == 0  # beside every pack drillcoach loads

    clock.advance(days=1)
    tomorrow = services.scheduler.queue()
    new = [item for item in tomorrow.items if item.reason == "new"]
    assert new[0].drill.uid == drill.uid  # the rep's own reality comes first
    again = open_services(services.paths.database.parent, clock=clock, tz=UTC)
    try:
        assert again.library.drill(drill.uid) is not None  # a real pack, loaded from disk
    finally:
        again.close()


def test_field_drills_come_first_among_few_new_drills_too(
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    make_library: MakeLibrary,
    make_scheduler: MakeScheduler,
) -> None:
    # a small library sorts every new drill (scheduling/queue.py FEW); a large one takes
    # them in order (the test above): both put the rep's field pack first
    write_pack(pack_doc("a-pack", [drill_doc(f"d{n}") for n in range(3)]))
    write_pack(pack_doc("field-sam", [drill_doc("heard-1")]))
    write_pack(pack_doc("field-bob", [drill_doc("heard-1")]))
    queue = make_scheduler(library=make_library()).queue()
    assert [item.drill.uid for item in queue.items][:2] == ["field-sam/heard-1", "a-pack/d0"]


def test_a_second_drill_is_added_to_the_same_pack_with_its_own_id(services: Services) -> None:
    first = drill_from_objection(services, PRICE, key_points=["Ask what they compare to"])
    copied = services.library.drill_of("objections-core/price-too-high")
    second = drill_from_objection(services, PRICE, copy_from=copied)
    assert not second.new_pack
    assert first.drill.id == "honestly-your-price-is-just-1"
    assert second.drill.id == "honestly-your-price-is-just-2"
    assert second.drill.key_points == copied.key_points
    assert second.drill.model_answer == copied.model_answer
    document = tomllib.loads(second.path.read_text(encoding="utf-8"))
    assert [d["id"] for d in document["drill"]] == [first.drill.id, second.drill.id]
    assert document["pack"]["id"] == "field-sam"


def test_the_field_pack_is_turned_on_with_its_first_drill_and_then_left_to_the_rep(
    services: Services,
) -> None:
    written = drill_from_objection(services, DRIVERS, key_points=["Ask why"])
    assert "field-sam" in services.scheduler.queue_pack_ids()
    services.prefs.set_pack_enabled("field-sam", False)
    drill_from_objection(services, PRICE, key_points=["Ask what they compare to"])
    assert "field-sam" not in services.scheduler.queue_pack_ids()  # the rep turned it off
    assert services.library.drill(written.drill.uid) is not None


def test_a_drill_needs_key_points_and_a_broken_field_pack_is_left_alone(
    services: Services,
) -> None:
    with pytest.raises(UserError, match="--key-point: write at least one"):
        drill_from_objection(services, DRIVERS)
    path = field_pack_path(services.paths.packs_dir, "sam")
    path.write_text("format = 1\n[pack\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"field-sam\.toml"):
        drill_from_objection(services, DRIVERS, key_points=["Ask why"])
    assert path.read_text(encoding="utf-8") == "format = 1\n[pack\n"


# --- bringing a drill forward


def test_a_drill_brought_forward_is_first_today_until_it_is_rated(
    services: Services, clock: FakeClock
) -> None:
    services.prefs.set_enabled_packs(["closing"])  # the drill's own pack is off
    drill = services.library.drill_of("objections-core/price-too-high")
    services.scheduler.bury(drill)
    action = bring_forward(services, drill)
    assert isinstance(action, DrillAction) and action.action == "forward"
    first = services.scheduler.queue().items[0]
    assert (first.drill.uid, first.reason, first.forward) == (drill.uid, "due", True)
    assert services.scheduler.queue().due_count == 1
    services.scheduler.record_self(drill, 3, Attempt(duration_ms=20_000))
    assert drill.uid not in [item.drill.uid for item in services.scheduler.queue().items]


def test_a_drill_brought_forward_yesterday_and_not_drilled_waits_for_its_own_day(
    services: Services, clock: FakeClock
) -> None:
    services.prefs.set_enabled_packs(["closing"])
    drill = services.library.drill_of("objections-core/price-too-high")
    bring_forward(services, drill)
    clock.advance(days=1)
    assert drill.uid not in [item.drill.uid for item in services.scheduler.queue().items]


def test_a_database_from_before_coaching_stores_a_drill_brought_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        migrate(db, target=6)
    with Store(path, backups=tmp_path / "backups") as store:
        forward = DrillAction(by="sam", at=START, drill_uid="closing/x", action="forward")
        assert store.add(forward)
        assert store.drill_actions("sam")["closing/x"] == forward


# --- the joint call


def _joint_call(
    skill: str, at: datetime, scores: dict[str, int], by: str = "maria"
) -> ManagerRating:
    return ManagerRating(
        by=by,
        rep="sam",
        at=at,
        rubric="r",
        scores=scores,
        rating=rating_from_scores(scores),
        skill=skill,
        context="joint-call",
    )


def test_the_managers_joint_call_ratings_show_beside_the_reps_with_the_gap(
    services: Services,
) -> None:
    new_york = ZoneInfo("America/New_York")
    days = Days(4, new_york)
    debrief = _debrief(services, call_date="2026-03-01")  # discovery 4, closing 2
    evening = datetime(2026, 3, 1, 21, tzinfo=new_york)  # 2 March in UTC, 1 March for sam
    services.store.add_many(
        [
            _joint_call("discovery", evening - timedelta(hours=3), {"a": 4, "b": 4}),
            _joint_call("discovery", evening, {"a": 2, "b": 3}),  # the later rating counts
            _joint_call("call-control", evening, {"a": 3, "b": 4}),
            _joint_call("closing", evening + timedelta(days=1), {"a": 5}),  # another day
            replace(_joint_call("closing", evening, {"a": 1}), context="roleplay"),  # not a call
        ]
    )
    view = joint_call_view(services.store, debrief, days)
    assert [(g.skill, g.self_rating, g.manager, g.gap) for g in view] == [
        ("discovery", 4, 2.5, 1.5),
        ("closing", 2, None, None),
        ("call-control", None, 3.5, None),
    ]
    lines = joint_call_lines(view, services.library, {"maria": "Maria Lopez"})
    assert lines[0] == "On the joint call, you and Maria Lopez (1 to 5):"
    assert "you 4  Maria Lopez 2.5  you rated it 1.5 higher" in lines[1]
    assert "did not rate it on the call" in lines[2]
    assert "Maria Lopez rated it; you did not" in lines[3]
    assert joint_call_view(services.store, debrief, Days(4, UTC))[0].manager == 4.0


def test_a_debrief_with_no_joint_call_shows_no_gaps(services: Services) -> None:
    debrief = _debrief(services)
    assert joint_call_view(services.store, debrief, services.scheduler.days) == []
    text = "\n".join(debrief_lines(debrief, services.library))
    assert "joint call" not in text and "Watch the film: no recording linked" in text


# --- the command line


def test_debrief_asks_each_part_and_asks_again_after_a_mistake(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    drillcoach_home: Path,
) -> None:
    write_config(drillcoach_home)
    fixed_clock(clock, monkeypatch)
    answers = [
        "Harbor Foods",
        "last week",
        "2026-03-01",
        "discovery",
        "advanced",
        "Named the costs",
        "Ask who else signs",
        PRICE,
        DRIVERS,
        "",
        "discovery=9",
        "discovery=4",
        "",
        "Demo on the 9th",
        "",
        "12:40 price pushback",
        "",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    code, out, err = run_cli(capsys, "debrief")
    assert code == 0, err
    assert "date: expected a date like" in err and "'discovery' is rated 9" in err
    assert "Debrief saved: Harbor Foods, discovery call on Sun 1 Mar 2026" in out
    assert "drillcoach debrief forward objections-core/price-too-high" in out
    opened = open_services(drillcoach_home, clock=clock, tz=UTC)
    try:
        [saved] = debriefs(opened.store, "sam")
    finally:
        opened.close()
    assert saved.skills == {"discovery": 4} and saved.next_step == "Demo on the 9th"


def test_debrief_stopped_half_way_saves_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    drillcoach_home: Path,
) -> None:
    write_config(drillcoach_home)
    monkeypatch.setattr("sys.stdin", io.StringIO("Harbor Foods\n"))
    code, _, err = run_cli(capsys, "debrief")
    assert code == 2
    assert "nothing was saved" in err.splitlines()[-1]


CLI_MISTAKES = [
    (
        ["new", "--account", "A", "--type", "demo", "--outcome", "won", "--moment", "soon"],
        ["--moment:", "like '12:40 price pushback'"],
    ),
    (["new", "--account", "A", "--type", "visit", "--outcome", "won"], ["--type:", "'visit'"]),
    (
        ["new", "--account", "A", "--type", "demo", "--outcome", "won", "--skill", "closing=0"],
        ["--skill:", "1 to 5"],
    ),
    (["show", "abcd"], ["no debrief of sam", "'abcd'"]),
    (["forward", "nope/x"], ["DRILL_UID: no drill 'nope/x'"]),
    (["review", "alice", "abcd", "--score", "what-happened=3"], ["not in a team workspace"]),
]


@pytest.mark.parametrize(("argv", "words"), CLI_MISTAKES)
def test_a_debrief_command_mistake_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, argv: list[str], words: list[str]
) -> None:
    write_config(drillcoach_home)
    code, out, err = run_cli(capsys, "debrief", *argv)
    assert (code, out) == (2, "")
    one_line(err, *words)


def test_debrief_drill_without_key_points_shows_the_closest_and_says_how(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    drillcoach_home: Path,
) -> None:
    write_config(drillcoach_home)
    fixed_clock(clock, monkeypatch)
    code, out, _ = run_cli(
        capsys,
        "debrief",
        "new",
        "--account",
        "Harbor Foods",
        "--type",
        "demo",
        "--outcome",
        "stalled",
        "--objection",
        PRICE,
    )
    assert code == 0
    ident = out.split("id ")[1][:8]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run_cli(capsys, "debrief", "drill", ident, "1")
    assert code == 2
    assert "1. Your price is too high (objections-core/price-too-high, matches)" in out
    one_line(err, "--key-point", "--copy DRILL_UID", "debrief forward")
    code, out, err = run_cli(capsys, "debrief", "drill", ident, "2", "--key-point", "x")
    one_line(err, "N: that debrief's objections are 1 to 1")
    code, out, err = run_cli(
        capsys, "debrief", "drill", ident, "1", "--copy", "objections-core/price-too-high"
    )
    assert code == 0, err
    assert "New drill in your new field pack" in out
    assert "(field-sam/honestly-your-price-is-just-1)" in out


class Terminal(io.StringIO):
    """Typed answers, read as from a terminal (the command asks only at one)."""

    def isatty(self) -> bool:
        return True


def test_debrief_drill_at_a_terminal_asks_which_drill_to_start_from(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    drillcoach_home: Path,
) -> None:
    write_config(drillcoach_home)
    fixed_clock(clock, monkeypatch)
    made = run_cli(
        capsys,
        "debrief",
        "new",
        "--account",
        "Harbor Foods",
        "--type",
        "demo",
        "--outcome",
        "stalled",
        "--objection",
        PRICE,
        "--objection",
        DRIVERS,
    )
    ident = made[1].split("id ")[1][:8]
    monkeypatch.setattr("sys.stdin", Terminal("f\n"))
    code, out, err = run_cli(capsys, "debrief", "drill", ident, "1")
    assert (code, err) == (0, "")
    assert '"Your price is too high" is first in today\'s queue' in out
    monkeypatch.setattr(
        "sys.stdin", Terminal("w\nAsk which app\nAsk what failed\n\nWhat failed?\n")
    )
    code, out, err = run_cli(capsys, "debrief", "drill", ident, "2")
    assert (code, err) == (0, "")
    assert "New drill in your new field pack" in out
    opened = open_services(drillcoach_home, clock=clock, tz=UTC)
    try:
        assert opened.scheduler.queue().items[0].drill.uid == "objections-core/price-too-high"
        drill = opened.library.drill_of("field-sam/the-drivers-will-never-use-1")
        assert drill.key_points == ("Ask which app", "Ask what failed")
        assert drill.model_answer == "What failed?"
    finally:
        opened.close()


def test_a_rep_in_a_team_is_told_once_how_to_share_debriefs(
    services: Services, drillcoach_home: Path
) -> None:
    assert share_hint_once(services.store, services.config) is None  # not in a team
    in_team = replace(services.config, workspace=str(drillcoach_home))
    hint = share_hint_once(services.store, in_team)
    assert hint is not None and "drillcoach config set share_debriefs true" in hint
    assert share_hint_once(services.store, in_team) is None
    fresh = replace(in_team, share_debriefs=True)
    assert share_hint_once(services.store, fresh) is None


# --- the manager's review, through the workspace


def test_a_manager_scores_a_shared_debrief_and_the_rep_reads_it(team: TeamKit) -> None:
    kit = team
    kit.cli("alice", "config", "set", "share_debriefs", "true").ok()
    made = kit.cli(
        "alice",
        "debrief",
        "new",
        "--account",
        "Harbor Foods",
        "--date",
        "today",
        "--type",
        "discovery",
        "--outcome",
        "advanced",
        "--objection",
        PRICE,
        "--skill",
        "discovery=4",
    ).ok()
    ident = made.out.split("id ")[1][:8]
    kit.cli(
        "maria",
        "rate",
        "alice",
        "--skill",
        "discovery",
        "--context",
        "joint-call",
        "--score",
        "open-questions=2,depth=3,impact=2,decision-process=3,summarise=3",
    ).ok()
    kit.sync("alice")
    kit.sync("maria")
    listed = kit.cli("maria", "debrief", "list", "--rep", "alice").ok()
    assert ident in listed.out and "Harbor Foods" in listed.out
    scores = "what-happened=4,buyer-words=5,do-differently=2,next-step=3"
    refused = kit.cli("bob", "debrief", "review", "alice", ident, "--score", scores)
    assert refused.code == 2
    one_line(refused.err, "debrief review: only a manager can")
    missing = kit.cli("maria", "debrief", "review", "alice", ident, "--score", "what-happened=4")
    one_line(missing.err, "--score", "missing a score for 'buyer-words'")
    saved = kit.cli(
        "maria",
        "debrief",
        "review",
        "alice",
        ident,
        "--score",
        scores,
        "--note",
        "Great quotes. Next time, say what you'd change at 12:40.",
    ).ok()
    assert "Review saved: Alice Ng's debrief of Harbor Foods scored 3.5 of 5" in saved.out
    kit.sync("maria")
    kit.sync("alice")
    with kit.services("alice") as alice:
        [review] = alice.store.coaching("alice", DebriefReview)
        assert (review.by, review.scores["buyer-words"]) == ("maria", 5)
    shown = kit.cli("alice", "debrief", "show", ident).ok().out
    assert "Maria Lopez scored this debrief 3.5 of 5" in shown
    assert "Maria Lopez: Great quotes." in shown
    assert "On the joint call, you and Maria Lopez (1 to 5):" in shown
    assert "you rated it" in shown
    assert "reviewed" in kit.cli("alice", "debrief", "list").ok().out
