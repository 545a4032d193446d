"""The rep's vision and coaching agreement: their checks (one line naming the field), the
TOML forms, the words Today, ``rate`` and the rating form say (inside or outside the
agreement, the quarterly review), and the ``vision`` and ``agreement`` commands with a real
script as $EDITOR (including a mistake fixed on the re-open) and with answers on stdin."""

from __future__ import annotations

import io
import shutil
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drillcoach.coaching.agreement import (
    NO_AGREEMENT,
    AreaError,
    agreement_history_lines,
    agreement_toml,
    area_for,
    feedback_fit,
    make_agreement,
    parse_agreement_toml,
    rating_fit,
    review_due,
)
from drillcoach.coaching.vision import (
    HEADLINE_WIDTH,
    NO_VISION,
    FormError,
    history_lines,
    make_vision,
    parse_vision_toml,
    same_vision,
    vision_headline,
    vision_history,
    vision_lines,
    vision_question_due,
    vision_toml,
)
from drillcoach.content import Library
from drillcoach.errors import UserError
from drillcoach.events import MAX_NOTE, Agreement, CoachingArea, Vision
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from helpers import START, FakeClock, OpenStore, one_line, run_cli
from teamkit import TeamKit, build_team, fixed_clock

DAYS = Days(4, UTC)
GOAL = "Run the mid-market team"
WHOLE = {
    "in_2_years": GOAL,
    "in_3_years": "",
    "in_5_years": "VP of sales for EMEA",
    "why": "My kids, and proving to myself I can lead",
    "desire": 8,
    "willingness": 7,
    "done_lately": "Two role-plays a week with Maria",
    "give_up": "Friday golf",
    "in_the_way": "I avoid cold calls when the quarter is busy",
}


def vision(at: datetime = START, /, **changes: object) -> Vision:
    return make_vision("sam", at, {**WHOLE, **changes})


# --- the vision: checks


def test_a_whole_vision_keeps_what_was_written_stripped() -> None:
    made = vision(why="  My kids  ")
    assert (made.by, made.at, made.in_2_years, made.why) == ("sam", START, GOAL, "My kids")
    assert (made.desire, made.willingness) == (8, 7)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"in_2_years": "", "in_5_years": " "},
         ["keys 'in_2_years', 'in_3_years', 'in_5_years'", "at least one"]),
        ({"desire": 0}, ["key 'desire'", "from 1 to 10", "got 0"]),
        ({"desire": 11}, ["key 'desire'", "got 11"]),
        ({"willingness": "8"}, ["key 'willingness'", "whole number", "got '8'"]),
        ({"willingness": True}, ["key 'willingness'", "got True"]),
        ({"why": 3}, ["key 'why'", "expected text, got a number"]),
        ({"give_up": "x" * (MAX_NOTE + 1)}, ["key 'give_up'", "at most 2,000 characters"]),
        ({"in_2_yrs": "typo"}, ["key 'in_2_yrs'", "unknown", "in_2_years"]),
    ],
)  # fmt: skip
def test_a_wrong_field_is_one_line_naming_it(
    changes: dict[str, object], fragments: list[str]
) -> None:
    with pytest.raises(FormError) as raised:
        vision(**changes)
    message = str(raised.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_desire_and_willingness_must_be_given() -> None:
    values = {key: value for key, value in WHOLE.items() if key != "desire"}
    with pytest.raises(FormError, match="key 'desire': missing; expected a whole number"):
        make_vision("sam", START, values)


# --- the vision: the TOML form


def test_the_form_round_trips_and_explains_itself() -> None:
    made = vision(why="My kids\nand my own pride")
    form = vision_toml(made)
    assert form.startswith("# Your vision: where you want to be in 2, 3 and 5 years")
    assert "desire = 8" in form
    back = parse_vision_toml(form, "sam", START + timedelta(days=1))
    assert same_vision(back, made) and back.at == START + timedelta(days=1)
    assert back.why == "My kids\nand my own pride"


def test_a_blank_form_must_be_filled_in() -> None:
    form = vision_toml(None)
    assert "desire = 0" in form and 'in_2_years = ""' in form
    with pytest.raises(UserError, match="in_2_years"):
        parse_vision_toml(form, "sam", START)
    filled = form.replace('in_2_years = ""', f'in_2_years = "{GOAL}"')
    with pytest.raises(UserError, match="key 'desire': expected a whole number from 1 to 10"):
        parse_vision_toml(filled, "sam", START)


def test_broken_toml_says_where() -> None:
    with pytest.raises(UserError, match=r"line 2, column \d+: invalid TOML"):
        parse_vision_toml('in_2_years = "x"\ndesire = = 3\n', "sam", START)


# --- the vision: words


def test_the_headline_invites_then_quotes_the_nearest_horizon() -> None:
    assert vision_headline(None) == NO_VISION
    assert len(NO_VISION) <= HEADLINE_WIDTH
    assert vision_headline(vision()) == f"Your vision: in 2 years, {GOAL} · desire 8/10"
    far = vision(in_2_years="", in_5_years="Open our Berlin office", desire=9)
    assert vision_headline(far) == "Your vision: in 5 years, Open our Berlin office · desire 9/10"
    long = vision_headline(vision(in_2_years="Run the team " * 20))
    assert len(long) <= HEADLINE_WIDTH and long.endswith("... · desire 8/10"), long


def test_the_plain_text_says_every_answer_and_which_are_missing() -> None:
    lines = vision_lines(vision(in_the_way=""))
    assert lines[0] == f"In 2 years          {GOAL}"
    assert "Desire              8/10 to develop" in lines
    assert "Could stop me       (not answered)" in lines
    assert all(len(line) <= 78 for line in vision_lines(vision(why="because " * 40)))


def test_history_lists_each_version_with_its_date_and_changes(open_store: OpenStore) -> None:
    store = open_store()
    first = vision()
    second = vision(START + timedelta(days=30), desire=9, in_3_years="Team lead")
    third = vision(START + timedelta(days=45), desire=9, in_3_years="Team lead", give_up="")
    for made in (first, second, third):
        store.add(made)
    versions = vision_history(store, "sam")
    assert versions == [first, second, third]
    assert store.latest_coaching("sam", Vision) == third
    assert history_lines(versions, DAYS) == [
        "Version 3 · 16 Apr 2026",
        "  Would give up: taken out",
        "Version 2 · 1 Apr 2026",
        "  In 3 years: Team lead",
        "  Desire: 8 -> 9",
        "Version 1 · 2 Mar 2026",
        f"  The first: in 2 years, {GOAL}",
        "  Desire 8/10, willingness 7/10",
    ]


def test_the_vision_is_asked_for_from_the_welcome_until_one_exists() -> None:
    assert not vision_question_due(None, None, START)  # no welcome in this profile: never
    assert vision_question_due(None, START, START)
    assert not vision_question_due(None, START + timedelta(days=7), START + timedelta(days=6))
    assert vision_question_due(None, START + timedelta(days=7), START + timedelta(days=7))
    assert not vision_question_due(vision(), START, START + timedelta(days=30))


# --- the coaching agreement


def agreement(library: Library, at: datetime = START, /, **areas: dict[str, object]) -> Agreement:
    chosen = areas or {"closing": {"ways": ["weekly"], "vision": "2"}}
    return make_agreement("sam", at, chosen, skills=library.skills, vision=vision())


def test_an_area_takes_its_vision_line_by_horizon_or_in_words(library: Library) -> None:
    made = agreement(
        library,
        closing={"ways": ["joint-calls", "weekly"], "vision": "2"},
        prospecting={"ways": ["every-roleplay"], "vision": "Book my own pipeline"},
    )
    assert made.areas == (
        CoachingArea("closing", ("weekly", "joint-calls"), GOAL),
        CoachingArea("prospecting", ("every-roleplay",), "Book my own pipeline"),
    )


@pytest.mark.parametrize(
    ("areas", "fragments"),
    [
        ({"closng": {"ways": ["weekly"], "vision": "2"}},
         ["[areas.closng] key 'skill'", "no skill 'closng'", "closing"]),
        ({"closing": {"ways": [], "vision": "2"}},
         ["[areas.closing] key 'ways'", "say how you want feedback", "'weekly'"]),
        ({"closing": {"ways": ["monthly"], "vision": "2"}},
         ["[areas.closing] key 'ways'", "got 'monthly'"]),
        ({"closing": {"ways": ["weekly"], "vision": "3"}},
         ["[areas.closing] key 'vision'", "no 3-year line"]),
        ({"closing": {"ways": ["weekly"], "vision": " "}},
         ["[areas.closing] key 'vision'", "2, 3, 5 or your own words"]),
        ({"closing": {"ways": ["weekly"], "vision": "2", "how": "x"}},
         ["[areas.closing] key 'how'", "unknown"]),
    ],
)  # fmt: skip
def test_a_wrong_area_is_one_line_naming_the_skill_and_key(
    library: Library, areas: dict[str, dict[str, object]], fragments: list[str]
) -> None:
    with pytest.raises(AreaError) as raised:
        agreement(library, **areas)
    message = str(raised.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_an_agreement_names_at_least_one_skill(library: Library) -> None:
    with pytest.raises(FormError, match="key 'areas': name at least one skill"):
        make_agreement("sam", START, {}, skills=library.skills, vision=None)


def test_the_agreement_form_round_trips_and_lists_the_choices(library: Library) -> None:
    made = agreement(library, closing={"ways": ["weekly"], "vision": "2"})
    form = agreement_toml(made, skills=library.skills, vision=vision())
    assert "[areas.closing]" in form and f'vision = "{GOAL}"' in form
    assert "#   2: Run the mid-market team" in form  # the lines of the vision to pick from
    assert "objection-handling" in form  # the skills
    back = parse_agreement_toml(form, "sam", START, skills=library.skills, vision=vision())
    assert (back.areas, back.note) == (made.areas, made.note)
    blank = agreement_toml(None, skills=library.skills, vision=None)
    with pytest.raises(FormError, match="name at least one skill"):
        parse_agreement_toml(blank, "sam", START, skills=library.skills, vision=None)
    with pytest.raises(FormError, match="key 'area': unknown"):
        parse_agreement_toml('[area.closing]\nways = ["weekly"]\n', "sam", START,
                             skills=library.skills, vision=None)  # fmt: skip


def test_feedback_inside_and_outside_the_agreement(library: Library) -> None:
    made = agreement(library, closing={"ways": ["weekly", "joint-calls"], "vision": "2"})
    assert area_for(made, "closing") == made.areas[0]
    assert area_for(made, "prospecting") is None
    assert area_for(None, "closing") is None
    assert feedback_fit(made, "closing", "Sam") == (
        f"Agreed: closing, weekly and on joint calls - serves '{GOAL}'"
    )
    assert feedback_fit(made, "prospecting", "Sam") == (
        "Outside the coaching agreement: ask Sam before going into detail on prospecting"
    )
    assert feedback_fit(made, "objection-handling", "Sam", skill_title="Objection handling") == (
        "Outside the coaching agreement: ask Sam before going into detail on objection handling"
    )
    assert feedback_fit(None, "closing", "Sam") == (
        "No coaching agreement shared yet: ask Sam before going into detail on closing"
    )
    long = agreement(library, closing={"ways": ["every-roleplay"], "vision": "big " * 40})
    line = feedback_fit(long, "closing", "Sam")
    assert len(line) <= 78 and line.endswith("...'"), line


def test_the_agreement_is_due_for_review_each_quarter(library: Library) -> None:
    made = agreement(library)
    today = DAYS.day_of(START)
    assert review_due(None, today) == NO_AGREEMENT
    assert review_due(made, today + timedelta(days=89), DAYS) is None
    assert review_due(made, today + timedelta(days=90), DAYS) == (
        "Coaching agreement from 2 Mar 2026: still right? Review it - v, then a."
    )


def test_agreement_history_says_what_changed(library: Library) -> None:
    first = agreement(library)
    second = agreement(
        library,
        START + timedelta(days=10),
        closing={"ways": ["weekly", "every-roleplay"], "vision": "2"},
        discovery={"ways": ["joint-calls"], "vision": "5"},
    )
    reviewed = agreement(
        library,
        START + timedelta(days=100),
        closing={"ways": ["weekly", "every-roleplay"], "vision": "2"},
        discovery={"ways": ["joint-calls"], "vision": "5"},
    )
    lines = agreement_history_lines([first, second, reviewed], library.skills, DAYS)
    assert lines == [
        "Version 3 · 10 Jun 2026",
        "  Reviewed: kept as it was",
        "Version 2 · 12 Mar 2026",
        "  Closing: now after every role-play and weekly (was weekly)",
        "  Added Discovery: on joint calls, serves 'VP of sales for EMEA'",
        "Version 1 · 2 Mar 2026",
        "  The first: Closing",
    ]


# --- the command line


@pytest.fixture
def on_clock(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The CLI on the test's clock, in UTC, with no editor set."""
    fixed_clock(clock, monkeypatch)
    for name in ("VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    return clock


EDITOR_SCRIPT = """\
import pathlib, sys

form = pathlib.Path(sys.argv[1])
log = pathlib.Path(sys.argv[0]).with_suffix(".log")
text = form.read_text(encoding="utf-8")
with log.open("a", encoding="utf-8") as opened:
    opened.write(text + "\\n=====\\n")
for old, new in {replacements!r}:
    if old in text:
        text = text.replace(old, new, 1)
        break
form.write_text(text, encoding="utf-8")
"""


def editor(tmp_path: Path, *replacements: tuple[str, str]) -> tuple[str, Path]:
    """A real editor: a script that makes the first of ``replacements`` that applies to
    the file it is given, and logs every file it was given. Its command, and the log."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT.format(replacements=list(replacements)), encoding="utf-8")
    return f'"{sys.executable}" "{script}"', script.with_suffix(".log")


def opened_forms(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split("\n=====\n")[:-1]


def stdin(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{a}\n" for a in answers)))


def stored_vision(home: Path) -> list[Vision]:
    with Store(home / "drillcoach.db") as store:
        return vision_history(store, "sam")


@pytest.fixture
def profile(drillcoach_home: Path) -> Path:
    (drillcoach_home / "config.toml").write_text('member = "sam"\nname = "Sam Patel"\n')
    return drillcoach_home


def test_vision_show_without_one_says_how_to_write_it(
    capsys: pytest.CaptureFixture[str], profile: Path, on_clock: FakeClock
) -> None:
    code, out, err = run_cli(capsys, "vision")
    assert (code, err) == (0, "")
    assert out == "No vision yet. Write where you want to be in 2, 3 and 5 years:\n" \
                  "  drillcoach vision edit\n"  # fmt: skip


BLANK_TOP = (
    'in_2_years = ""\nin_3_years = ""\nin_5_years = ""\nwhy = ""\ndesire = 0\nwillingness = 0'
)
FILLED_TOP = BLANK_TOP.replace('in_2_years = ""', f'in_2_years = "{GOAL}"').replace(
    "desire = 0\nwillingness = 0", "desire = 11\nwillingness = 6"
)


def test_vision_edit_reopens_with_the_problem_on_top_until_fixed(
    capsys: pytest.CaptureFixture[str],
    profile: Path,
    on_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert BLANK_TOP in vision_toml(None)
    command, log = editor(
        tmp_path,
        ("desire = 11", "desire = 8"),  # the re-open: the rep fixes the number
        (BLANK_TOP, FILLED_TOP),  # the first open: a goal, and a desire of 11
    )
    monkeypatch.setenv("EDITOR", command)
    code, out, err = run_cli(capsys, "vision", "edit")
    assert (code, err) == (0, ""), err
    first, second = opened_forms(log)
    assert first == vision_toml(None)
    assert second.startswith(
        "# Not saved: key 'desire': expected a whole number from 1 to 10, got 11\n"
        "# Fix it and save again; close it unchanged or empty it to give up.\n"
        "# Your vision:"
    )
    assert [(v.in_2_years, v.desire, v.willingness) for v in stored_vision(profile)] == [
        (GOAL, 8, 6)
    ]
    assert out.splitlines() == [
        "Saved version 1 of your vision.",
        f"Your vision: in 2 years, {GOAL} · desire 8/10",
        "Only you see it. To share it with your manager: drillcoach config set share_vision true",
    ]


def test_giving_up_after_a_mistake_keeps_what_was_written(
    capsys: pytest.CaptureFixture[str],
    profile: Path,
    on_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    command, log = editor(tmp_path, (BLANK_TOP, FILLED_TOP))  # then closes it unchanged
    monkeypatch.setenv("EDITOR", command)
    code, out, err = run_cli(capsys, "vision", "edit")
    assert (code, out) == (2, "")
    line = one_line(err, "not saved: key 'desire': expected a whole number from 1 to 10, got 11")
    kept = Path(line.split("what you wrote is kept in ")[1])
    assert GOAL in kept.read_text(encoding="utf-8") and len(opened_forms(log)) == 2
    shutil.rmtree(kept.parent)
    assert stored_vision(profile) == []


def test_vision_edit_unchanged_or_emptied_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    profile: Path,
    on_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Store(profile / "drillcoach.db") as store:
        store.add(vision())
    monkeypatch.setenv("VISUAL", "true")  # closes the file as it was
    monkeypatch.setenv("EDITOR", "never-run")  # $VISUAL comes first
    code, out, _ = run_cli(capsys, "vision", "edit")
    assert (code, out) == (
        0, "No change: the file was closed unchanged; your vision stays as it was.\n"
    )  # fmt: skip
    monkeypatch.setenv("VISUAL", "truncate -s 0")
    code, out, _ = run_cli(capsys, "vision", "edit")
    assert (code, out) == (0, "No change: the file was emptied; your vision stays as it was.\n")
    monkeypatch.setenv("VISUAL", "false")
    code, out, err = run_cli(capsys, "vision", "edit")
    assert code == 2 and "the editor 'false' exited with code 1; nothing saved" in err
    assert len(stored_vision(profile)) == 1


def test_vision_edit_without_an_editor_asks_each_question(
    capsys: pytest.CaptureFixture[str],
    profile: Path,
    on_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # no horizon at first (asked again), a desire of 12 (asked again), then all fine
    stdin(monkeypatch, "", "", "", GOAL, "My kids", "12", "8", "7",
          "Two role-plays a week", "Friday golf", "")  # fmt: skip
    code, out, err = run_cli(capsys, "vision", "edit")
    assert (code, err) == (0, ""), err
    assert "  write where you want to be in 2, 3 or 5 years (at least one of them)" in out
    assert "  expected a whole number from 1 to 10, got 12" in out
    (first,) = stored_vision(profile)
    assert (first.in_2_years, first.why, first.desire, first.willingness) == (GOAL, "My kids", 8, 7)
    assert first.in_the_way == "" and first.at == START

    # again: enter keeps each answer, '-' clears one, a new number replaces one
    on_clock.advance(days=3)
    stdin(monkeypatch, "", "", "", "-", "9", "", "", "", "Busy quarters")
    code, out, _ = run_cli(capsys, "vision", "edit")
    assert code == 0 and "Saved version 2 of your vision." in out
    assert f"[{GOAL}]" in out and "[8]" in out
    second = stored_vision(profile)[-1]
    assert (second.in_2_years, second.why, second.desire, second.in_the_way) == (
        GOAL, "", 9, "Busy quarters"
    )  # fmt: skip

    code, out, _ = run_cli(capsys, "vision", "history")
    assert out.splitlines()[:4] == [
        "Version 2 · 5 Mar 2026",
        "  Why it matters: taken out",
        "  Desire: 8 -> 9",
        "  Could stop me: Busy quarters",
    ]
    code, out, _ = run_cli(capsys, "vision", "show")
    assert out.startswith(
        "Your vision. Version 2, written 5 Mar 2026 (the first on 2 Mar 2026)\n\n"
        f"In 2 years          {GOAL}\n"
    )


def test_answers_that_run_out_save_nothing(
    capsys: pytest.CaptureFixture[str],
    profile: Path,
    on_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdin(monkeypatch, GOAL, "", "")
    code, _, err = run_cli(capsys, "vision", "edit")
    assert code == 2
    assert err == "drillcoach: the input ended before every question was answered; nothing saved\n"
    assert stored_vision(profile) == []


def test_agreement_edit_show_keep_and_history(
    capsys: pytest.CaptureFixture[str],
    profile: Path,
    on_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    with Store(profile / "drillcoach.db") as store:
        store.add(vision())
    code, out, _ = run_cli(capsys, "agreement")
    assert "No coaching agreement yet" in out

    # asked on the terminal: an unknown skill and a missing way are asked again
    answers = ["closing, prospectin", "closing, prospecting", "weekly", "2", "",
               "joint-calls,every-roleplay", "Book my own pipeline",
               "Not in front of clients"]  # fmt: skip
    stdin(monkeypatch, *answers)
    code, out, err = run_cli(capsys, "agreement", "edit")
    assert (code, err) == (0, ""), err
    assert "  no skill 'prospectin'" in out
    assert "  say how you want feedback" in out
    with Store(profile / "drillcoach.db") as store:
        made = store.latest_coaching("sam", Agreement)
    assert made is not None
    assert made.areas == (
        CoachingArea("closing", ("weekly",), GOAL),
        CoachingArea("prospecting", ("every-roleplay", "joint-calls"), "Book my own pipeline"),
    )
    assert made.note == "Not in front of clients"

    # in an editor: prospecting becomes discovery, misspelt first, fixed on the re-open
    command, log = editor(
        tmp_path,
        ("\n[areas.discovry]", "\n[areas.discovery]"),  # not the problem line's mention
        ("[areas.prospecting]", "[areas.discovry]"),
    )
    monkeypatch.setenv("EDITOR", command)
    on_clock.advance(days=1)
    code, out, err = run_cli(capsys, "agreement", "edit")
    assert (code, err) == (0, ""), err
    assert opened_forms(log)[1].startswith(
        "# Not saved: [areas.discovry] key 'skill': no skill 'discovry' (known: discovery,"
    )
    assert out.splitlines()[0] == "Saved version 2 of your coaching agreement."

    on_clock.advance(days=95)
    code, out, _ = run_cli(capsys, "agreement", "show")
    assert out.splitlines()[:5] == [
        "Your coaching agreement. Version 2, agreed 3 Mar 2026",
        "",
        "Closing             weekly",
        f"                    serves '{GOAL}'",
        "Discovery           after every role-play and on joint calls",
    ]
    assert "Agreed 95 days ago: time for the quarterly review." in out
    code, out, _ = run_cli(capsys, "agreement", "keep")
    assert out == "Reviewed: your coaching agreement stays as it is, dated today.\n"
    code, out, _ = run_cli(capsys, "agreement", "show")
    assert "quarterly review" not in out
    code, out, _ = run_cli(capsys, "agreement", "history")
    assert out.splitlines() == [
        "Version 3 · 6 Jun 2026",
        "  Reviewed: kept as it was",
        "Version 2 · 3 Mar 2026",
        "  Added Discovery: after every role-play and on joint calls, serves 'Book my...'",
        "  Dropped Prospecting",
        "Version 1 · 2 Mar 2026",
        "  The first: Closing, Prospecting",
    ]


def test_keep_without_an_agreement_is_refused(
    capsys: pytest.CaptureFixture[str], profile: Path, on_clock: FakeClock
) -> None:
    code, _, err = run_cli(capsys, "agreement", "keep")
    assert code == 2
    assert err == ("drillcoach: keep: no coaching agreement yet; write one with "
                   "'drillcoach agreement edit'\n")  # fmt: skip


# --- the manager's side: rate says which agreed area a rating serves


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> Iterator[TeamKit]:
    yield build_team(tmp_path, monkeypatch, clock)


def share_agreement(team: TeamKit, who: str, *areas: CoachingArea) -> None:
    team.cli(who, "config", "set", "share_agreement", "true").ok()
    with team.services(who) as services:
        services.store.add(Agreement(by=who, at=team.clock(), areas=areas))
    team.sync(who)


def test_rate_says_whether_the_rating_is_inside_the_shared_agreement(team: TeamKit) -> None:
    share_agreement(team, "alice", CoachingArea("closing", ("weekly",), "Run my own patch"))
    with team.services("bob") as bob:  # bob's agreement is not shared: maria never sees it
        bob.store.add(Agreement(by="bob", at=team.clock(),
                                areas=(CoachingArea("discovery", ("weekly",)),)))  # fmt: skip
    team.sync("bob")
    team.sync("maria")
    with team.services("maria") as maria:
        skills = maria.library.skills
        line, inside = rating_fit(maria.store, "alice", "Alice Ng", "closing", skills)
        assert (line, inside) == ("Agreed: closing, weekly - serves 'Run my own patch'", True)
        line, inside = rating_fit(maria.store, "alice", "Alice Ng", "discovery", skills)
        assert (line, inside) == (
            "Outside the coaching agreement: ask Alice before going into detail on discovery",
            False,
        )
        line, _ = rating_fit(maria.store, "bob", "Bob Stone", "discovery", skills)
        assert line == (
            "No coaching agreement shared yet: ask Bob before going into detail on discovery"
        )
    run = team.cli("maria", "rate", "alice", "--skill", "discovery", "--context", "joint-call",
                   "--score", _all_threes(team, "discovery")).ok()  # fmt: skip
    assert run.out.splitlines()[-1] == (
        "Outside the coaching agreement: ask Alice before going into detail on discovery"
    )
    run = team.cli("maria", "rate", "alice", "--skill", "closing", "--context", "joint-call",
                   "--score", _all_threes(team, "closing")).ok()  # fmt: skip
    assert run.out.splitlines()[-1] == "Agreed: closing, weekly - serves 'Run my own patch'"


def _all_threes(team: TeamKit, skill: str) -> str:
    with team.services("maria") as maria:
        rubric = maria.library.rubric_for_skill(skill)
        assert rubric is not None
        return ",".join(f"{criterion.id}=3" for criterion in rubric.criteria)


def test_the_forms_header_wraps_skill_ids_whole(library: Library) -> None:
    form = agreement_toml(None, skills=library.skills, vision=None)
    header = [line for line in form.splitlines() if line.startswith("#")]
    assert all(len(line) <= 79 for line in header)
    assert "active-listening" in textwrap.dedent("\n".join(header))
