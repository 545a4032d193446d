"""The sales DNA self-assessment (coaching/dna.py, content/dna.toml): the built-in file,
scoring with statements worded both ways, what weak areas recommend, their skills in the
queue, takes compared over time, a broken file in one line, and ``drillcoach dna``."""

from __future__ import annotations

import io
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from drillcoach.coaching.dna import (
    Dna,
    DnaError,
    builtin_dna_path,
    compare,
    comparison_line,
    current_dna,
    dna_focus_skills,
    history_lines,
    load_dna,
    new_check,
    parse_answers,
    recommendations,
    result_lines,
    score,
)
from drillcoach.content import Library
from drillcoach.errors import UserError
from drillcoach.events import DnaCheck
from drillcoach.store import Store
from helpers import START, FakeClock, MakeScheduler, one_line, run_cli, write_config


@pytest.fixture
def dna(library: Library) -> Dna:
    return load_dna(library=library)


def answers_for(dna: Dna, strengths: dict[str, int], default: int = 4) -> dict[str, int]:
    """Answers that give each construct the strength asked (``default`` for the others):
    a statement where agreeing is a weakness is answered the other way round."""
    answers = {}
    for statement in dna.statements:
        wanted = strengths.get(statement.construct, default)
        answers[statement.id] = wanted if statement.agreeing == "strength" else 6 - wanted
    return answers


def take(store: Store, dna: Dna, strengths: dict[str, int], clock: FakeClock) -> DnaCheck:
    check = new_check(dna, answers_for(dna, strengths), "sam", clock())
    store.add(check)
    return check


# --- the built-in file


def test_the_builtin_check_validates_against_the_builtin_library(
    dna: Dna, library: Library
) -> None:
    assert 12 <= len(dna.statements) <= 20
    assert dna.path == builtin_dna_path()
    assert len({s.id for s in dna.statements}) == len(dna.statements)
    for construct in dna.constructs:
        asked = [s for s in dna.statements if s.construct == construct.id]
        assert construct.source.strip(), construct.id
        assert construct.when_weak.strip(), construct.id
        assert construct.packs or construct.skills, construct.id
        assert set(construct.packs) <= set(library.packs), construct.id
        assert set(construct.skills) <= set(library.skills), construct.id
        # worded both ways, so agreeing with everything scores the middle, not the top
        assert {s.agreeing for s in asked} == {"strength", "weakness"}, construct.id
    for statement in dna.statements:
        assert " I " in f" {statement.text}" or "I'" in statement.text, statement.text


def test_agreeing_with_everything_is_the_middle_of_every_construct(dna: Dna) -> None:
    result = score(new_check(dna, {s.id: 5 for s in dna.statements}, "sam", START), dna)
    assert {item.strength for item in result.scores} == {3.0}
    assert result.weak() == []


# --- scoring


def test_a_statement_where_agreeing_is_a_weakness_counts_the_other_way(dna: Dna) -> None:
    money = [s for s in dna.statements if s.construct == "money-talk"]
    strength = next(s for s in money if s.agreeing == "strength")
    weakness = next(s for s in money if s.agreeing == "weakness")
    answers = {s.id: 3 for s in dna.statements}
    answers[strength.id] = 2  # disagrees: "I can say our price and wait in silence"
    answers[weakness.id] = 5  # strongly agrees: "I feel uneasy asking about budget"
    result = score(new_check(dna, answers, "sam", START), dna)
    money_score = result.of("money-talk")
    assert money_score is not None
    assert money_score.strength == pytest.approx((2 + 1) / 2)
    assert money_score.weak
    assert [item.construct.id for item in result.weak()] == ["money-talk"]
    approval = result.of("need-for-approval")
    assert approval is not None and approval.strength == 3.0 and not approval.weak


def test_a_take_needs_an_answer_from_1_to_5_to_every_statement(dna: Dna) -> None:
    answers = {s.id: 3 for s in dna.statements}
    first = dna.statements[0].id
    with pytest.raises(UserError, match=f"no answer for {first} "):
        new_check(dna, {k: v for k, v in answers.items() if k != first}, "sam", START)
    with pytest.raises(UserError, match=f"'{first}': expected 1 .* to 5 .*, got 6"):
        new_check(dna, {**answers, first: 6}, "sam", START)
    with pytest.raises(UserError, match="no statement 'made-up'"):
        new_check(dna, {**answers, "made-up": 3}, "sam", START)


def test_an_answer_the_file_no_longer_asks_is_left_out(dna: Dna) -> None:
    answers = answers_for(dna, {"rejection": 1})
    del answers[next(s.id for s in dna.statements if s.construct == "rejection")]
    old = DnaCheck(by="sam", at=START, answers={**answers, "retired-statement": 5})
    rejection = score(old, dna).of("rejection")
    assert rejection is not None and rejection.strength == 1.0


# --- recommendations


def test_weak_areas_recommend_their_packs_and_skills_weakest_first(dna: Dna) -> None:
    result = score(new_check(dna, answers_for(dna, {"buy-cycle": 2, "money-talk": 1}), "sam",
                             START), dna)  # fmt: skip
    assert [item.construct.id for item in result.weak()] == ["money-talk", "buy-cycle"]
    packs, skills = recommendations(result, dna)
    assert packs == ["negotiation", "smb-owner-operator", "closing", "qualify-or-walk"]
    assert skills == ["negotiation", "qualification", "closing"]  # each once


def test_only_the_weakest_few_recommend_at_once(dna: Dna, library: Library) -> None:
    weak = {"rejection": 1, "recovery": 1, "emotions": 2, "budget-beliefs": 2, "buy-cycle": 2}
    result = score(new_check(dna, answers_for(dna, weak), "sam", START), dna)
    assert len(result.weak()) == 5
    assert dna.focus_areas == 3
    # between equals, the file's order
    assert [i.construct.id for i in result.work_on()] == ["rejection", "recovery", "buy-cycle"]
    packs, skills = recommendations(result, dna)
    assert "value-pitch" not in packs and "value-articulation" not in skills
    text = "\n".join(result_lines(result, library))
    assert "5 areas below 3.0; work on the weakest 3 first: Handling rejection" in text
    assert "Packs: Cold-call openers and prospecting, Core objections" in text
    assert "Staying in the moment      ███░░░░░░░ 2.0  next" in text
    assert "How you buy                ███░░░░░░░ 2.0  work on this" in text


# --- the queue


def test_the_skills_of_weak_areas_come_first_among_new_drills(
    make_scheduler: MakeScheduler, store: Store, dna: Dna, clock: FakeClock
) -> None:
    sched = make_scheduler()
    before = [item.drill.skill for item in sched.queue().items if item.reason == "new"]
    assert before[0] != "negotiation"
    take(store, dna, {"money-talk": 1}, clock)
    assert dna_focus_skills(store, "sam", dna) == ["negotiation", "qualification"]
    assert sched.focus_skills() == ["negotiation", "qualification"]
    new = [item for item in sched.queue().items if item.reason == "new"]
    assert new[0].drill.skill == "negotiation" and new[0].focus
    # a later take without weak areas takes them out again
    clock.advance(days=30)
    take(store, dna, {}, clock)
    assert sched.focus_skills() == []


def test_a_managers_skill_ratings_come_before_the_dna_skills(
    make_scheduler: MakeScheduler, store: Store, dna: Dna, clock: FakeClock, library: Library
) -> None:
    sched = make_scheduler()
    take(store, dna, {"money-talk": 1}, clock)
    joint = library.rubrics["joint-call"]
    sched.record_manager(by="alex", rubric=joint, scores={c.id: 2 for c in joint.criteria},
                         skill="qualification", context="joint-call")  # fmt: skip
    assert sched.focus_skills() == ["qualification", "negotiation"]


def test_another_reps_take_is_not_my_focus(
    make_scheduler: MakeScheduler, store: Store, dna: Dna, clock: FakeClock
) -> None:
    store.add(new_check(dna, answers_for(dna, {"money-talk": 1}), "alice", clock()))
    assert make_scheduler().focus_skills() == []


# --- over time


def test_takes_are_compared_first_against_latest(dna: Dna, clock: FakeClock) -> None:
    first = new_check(dna, answers_for(dna, {"money-talk": 1, "rejection": 4}), "sam", clock())
    clock.advance(days=40)
    middle = new_check(dna, answers_for(dna, {"money-talk": 2}), "sam", clock())
    clock.advance(days=40)
    latest = new_check(dna, answers_for(dna, {"money-talk": 4, "rejection": 3}), "sam", clock())
    assert compare([first], dna) is None
    comparison = compare([first, middle, latest], dna)
    assert comparison is not None and comparison.takes == 3
    money, rejection = comparison.of("money-talk"), comparison.of("rejection")
    assert money is not None and (money.first, money.latest, money.change) == (1.0, 4.0, 3.0)
    assert rejection is not None and rejection.change == -1.0
    line = comparison_line(comparison)
    assert line == (
        "Since your first take on Mon 02 Mar 2026 (3 takes): stronger on Comfort discussing "
        "money (+3.0); weaker on Handling rejection (-1.0)."
    )


def test_history_shows_every_take_side_by_side(dna: Dna, clock: FakeClock) -> None:
    checks = []
    for week in range(8):
        checks.append(new_check(dna, answers_for(dna, {"money-talk": 1 + week % 5}), "sam",
                                clock()))  # fmt: skip
        clock.advance(days=7)
    lines = history_lines(checks, dna)
    assert lines[0].split() == ["02", "Mar", "23", "Mar", "30", "Mar", "06", "Apr", "13",
                                "Apr", "20", "Apr"]  # fmt: skip
    assert lines[2].split()[-6:] == ["1.0*", "4.0", "5.0", "1.0*", "2.0*", "3.0"]
    assert "The 2 between the first and the last 5 are not shown." in lines
    assert all(len(line) <= 80 for line in lines)


# --- a broken file


def write_dna(tmp_path: Path, change: Any) -> Path:
    data = tomllib.loads(builtin_dna_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "dna.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (lambda d: d["statement"][2].update(agreeing="yes"),
         ["statement 'buy-research'", "key 'agreeing'", "expected 'strength' or 'weakness'"]),
        (lambda d: d["construct"][0].update(packs=["no-such-pack"]),
         ["construct 'need-for-approval'", "key 'packs'", "unknown pack 'no-such-pack'"]),
        (lambda d: d["construct"][1].update(skills=["juggling"]),
         ["construct 'money-talk'", "key 'skills'", "unknown skill 'juggling'"]),
        (lambda d: d["statement"][0].update(construct="optimism"),
         ["statement 'approval-softens'", "key 'construct'", "unknown construct 'optimism'"]),
        (lambda d: d["construct"][3].update(colour="red"),
         ["construct 'rejection'", "key 'colour'", "unknown key"]),
        (lambda d: d["dna"].update(weak_below=7),
         ["[dna]", "key 'weak_below'", "expected a number from 1 to 5, got 7"]),
        (lambda d: d.update(format=2), ["key 'format'", "expected 1, got 2"]),
        (lambda d: d.update(statement=d["statement"][:11]),
         ["key 'statement'", "expected 12 to 20 [[statement]] entries, got 11"]),
    ],
)  # fmt: skip
def test_a_broken_file_is_one_line_naming_the_table_and_the_key(
    tmp_path: Path, library: Library, change: Any, fragments: list[str]
) -> None:
    path = write_dna(tmp_path, change)
    with pytest.raises(DnaError) as raised:
        load_dna(path, library)
    one_line(str(raised.value), str(path), *fragments)


def test_a_construct_nobody_asks_about_is_a_problem(tmp_path: Path, library: Library) -> None:
    path = write_dna(tmp_path, lambda d: d.update(
        statement=[s for s in d["statement"] if s["construct"] != "emotions"]))  # fmt: skip
    with pytest.raises(DnaError, match="construct 'emotions': key 'id': no \\[\\[statement\\]\\]"):
        load_dna(path, library)


def test_the_queue_reads_the_file_again_only_when_it_changed(tmp_path: Path) -> None:
    path = write_dna(tmp_path, lambda d: None)
    first = current_dna(path)
    assert first is not None and current_dna(path) is first
    broken = write_dna(tmp_path, lambda d: d["dna"].update(weak_below="low"))
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(broken, ns=(stamp, stamp))
    assert current_dna(path) is None  # a broken file recommends nothing, the queue goes on
    assert current_dna(tmp_path / "missing.toml") is None


# --- drillcoach dna


def script_answers(dna: Dna, strengths: dict[str, int]) -> str:
    return ",".join(f"{k}={v}" for k, v in answers_for(dna, strengths).items())


def test_cli_take_with_answers_stores_a_check_and_shows_it(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, dna: Dna, open_store: Any
) -> None:
    write_config(drillcoach_home)
    code, out, _ = run_cli(capsys, "dna")
    assert (code, out) == (0, "You haven't taken the sales DNA check yet: run 'drillcoach dna "
                               "take' (about five minutes).\n")  # fmt: skip
    code, out, err = run_cli(capsys, "dna", "take", "--answers",
                             script_answers(dna, {"money-talk": 1}))  # fmt: skip
    assert (code, err) == (0, "")
    assert "Comfort discussing money   ░░░░░░░░░░ 1.0  work on this" in out
    assert "Packs: Negotiation, Owner-operators: the one-call close" in out
    assert out.rstrip().endswith(
        "Only you see these: they are shared with your vision (share_vision is off)."
    )
    [check] = open_store().coaching("sam", DnaCheck)
    assert score(check, dna).weak()[0].construct.id == "money-talk"
    code, out, _ = run_cli(capsys, "dna", "take", "--answers", script_answers(dna, {}))
    code, out, _ = run_cli(capsys, "dna")
    assert "Doesn't need to be liked   ████████░░ 4.0     =" in out
    assert "Comfort discussing money   ████████░░ 4.0  +3.0" in out
    assert "stronger on Comfort discussing money (+3.0)." in " ".join(out.split())
    code, out, _ = run_cli(capsys, "dna", "history")
    assert code == 0 and "2 takes, the first on" in out


def test_cli_take_asks_again_until_the_answer_is_1_to_5(
    capsys: pytest.CaptureFixture[str],
    drillcoach_home: Path,
    dna: Dna,
    open_store: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(drillcoach_home, share_vision="true")
    replies = ["x", "7", "", "2"] + ["4"] * (len(dna.statements) - 1)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(replies) + "\n"))
    code, out, _ = run_cli(capsys, "dna", "take")
    assert code == 0
    assert out.count("Type one digit: expected 1 (strongly disagree) to 5 (strongly agree).") == 3
    assert "Your manager sees these: they are shared with your vision (share_vision)." in out
    [check] = open_store().coaching("sam", DnaCheck)
    assert check.answers[dna.statements[0].id] == 2


def test_cli_take_stores_nothing_when_the_input_ends(
    capsys: pytest.CaptureFixture[str],
    drillcoach_home: Path,
    open_store: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(drillcoach_home)
    monkeypatch.setattr("sys.stdin", io.StringIO("3\n4\n"))
    code, _, err = run_cli(capsys, "dna", "take")
    assert code == 2
    one_line(err, "the input ended at statement 3 of 16; nothing was stored")
    assert open_store().coaching("sam", DnaCheck) == []


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ("money-silence", "--answers: expected id=N pairs like 'money-silence=4'"),
        ("money-silence=9", "--answers: 'money-silence=9': expected 1 (strongly disagree)"),
        ("money-silence=3,money-silence=4", "--answers: 'money-silence' is answered twice"),
        ("luck=3", "--answers: no statement 'luck' in dna.toml"),
        ("money-silence=3", "--answers: no answer for approval-softens, buy-research"),
    ],
)
def test_cli_bad_answers_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, answers: str, fragment: str
) -> None:
    write_config(drillcoach_home)
    code, _, err = run_cli(capsys, "dna", "take", "--answers", answers)
    assert code == 2
    one_line(err, fragment)


def test_parse_answers_reads_what_a_script_gives(dna: Dna) -> None:
    text = " , ".join(f"{s.id} = 3" for s in dna.statements)
    assert parse_answers(text, dna) == {s.id: 3 for s in dna.statements}


def test_the_day_of_a_take_is_in_the_reps_time_zone(dna: Dna, library: Library) -> None:
    from zoneinfo import ZoneInfo

    late = START.replace(hour=23, minute=30)  # Monday 23:30 UTC is Tuesday in Auckland
    check = new_check(dna, answers_for(dna, {}), "sam", late)
    lines = result_lines(score(check, dna), library, tz=ZoneInfo("Pacific/Auckland"))
    assert lines[0] == "Your latest take, Tue 03 Mar 2026:"
