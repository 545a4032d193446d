"""Written drills (an email or message the rep types, against a word limit) and the pack's
company, segment and personas: the loader, ``packs validate|show|new``, the parse cache,
the rating rules, and a written drill driven through the TUI: the rep answers it, the
manager reviews the answer."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from drillcoach.content import Library, load_library, skeleton_pack, validate_files
from drillcoach.content import cache as cache_module
from drillcoach.content.models import word_count
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import (
    EASY,
    GOOD,
    HARD,
    expected_seconds,
    suggest_rating,
    time_limit,
)
from drillcoach.team.feedback import ask_review
from drillcoach.team.workspace import membership
from drillcoach.tui.app import DrillcoachApp, make_app
from drillcoach.tui.screens.drill_detail import drill_text
from drillcoach.tui.screens.review import ReviewScreen
from drillcoach.tui.screens.written import WrittenScreen
from drillcoach.tui.widgets.checklist import Checklist
from drillcoach.tui.widgets.countdown import Countdown
from drillcoach.tui.widgets.word_count import WordCount
from helpers import (
    DrillDoc,
    FakeClock,
    MakeLibrary,
    PackDoc,
    WritePack,
    build_app,
    one_line,
    run_cli,
    stored,
    tick_all,
    type_text,
)
from teamkit import build_team

RECAP = """Subject: Missed delivery windows at your two DCs

Hi Dana,

Thanks for the time today. You said late carrier updates cost your team two hours a day.
Next step: a 30-minute look at last month's exceptions with Ravi, Thursday at ten."""


def written_doc(drill_doc: DrillDoc, drill_id: str = "recap", **fields: object) -> dict[str, Any]:
    """A valid written drill; keyword arguments override (None removes)."""
    settings: dict[str, object] = {
        "skill": "closing",
        "prompt": "Write the recap email you send within the hour.",
        "model_answer": RECAP,
        "word_limit": 150,
        "key_points": ["Subject names the buyer's problem", "One next step with a date"],
    }
    settings.update(fields)
    return drill_doc(drill_id, "written", **settings)


def problems_of(library: Library) -> list[str]:
    return [str(problem) for problem in library.problems]


# --- the format


def test_a_written_drill_loads_with_its_word_limit(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("writing", drills=[written_doc(drill_doc, time_limit=300)]))
    library = make_library()
    assert problems_of(library) == []
    drill = library.drill_of("writing/recap")
    assert (drill.kind, drill.is_written, drill.word_limit, drill.time_limit) == (
        "written", True, 150, 300,
    )  # fmt: skip
    assert drill.prompt == "Write the recap email you send within the hour."
    assert drill.model_answer == RECAP
    assert word_count(drill.model_answer) == 41


def test_other_kinds_have_no_word_limit(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("mixed", drills=[drill_doc("budget"), drill_doc("call", "roleplay")]))
    library = make_library()
    assert problems_of(library) == []
    assert [drill.word_limit for drill in library.drills()] == [None, None]


@pytest.mark.parametrize(
    ("drill", "key", "expected"),
    [
        ({"word_limit": None}, "word_limit",
         "missing; a written drill needs a word limit (10 to 1000)"),
        ({"word_limit": 9}, "word_limit", "expected a whole number from 10 to 1000, got 9"),
        ({"word_limit": 1001}, "word_limit", "expected a whole number from 10 to 1000, got 1001"),
        ({"word_limit": "150"}, "word_limit",
         "expected a whole number from 10 to 1000, got '150'"),
        ({"word_limit": True}, "word_limit", "expected a whole number from 10 to 1000, got True"),
        ({"prompt": None}, "prompt", "missing; expected text"),
        ({"turn": [{"buyer": "Hello?"}]}, "turn",
         "only a drill of kind 'roleplay' has [[drill.turn]] entries"),
    ],
)  # fmt: skip
def test_a_broken_written_drill_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    drill: dict[str, Any],
    key: str,
    expected: str,
) -> None:
    path = write_pack(pack_doc("writing", drills=[written_doc(drill_doc, **drill)]))
    code, out, err = run_cli(capsys, "packs", "validate", str(path))
    assert code == 2
    assert one_line(out) == f"{path}: drill 'recap': key '{key}': {expected}"
    assert err == "1 problem(s) in 1 file(s); 0 pack(s) with 0 drills are fine\n"


@pytest.mark.parametrize("kind", ["objection", "question", "pitch", "roleplay"])
def test_a_word_limit_on_another_kind_is_refused(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    kind: str,
) -> None:
    path = write_pack(pack_doc("spoken", drills=[drill_doc("budget", kind, word_limit=150)]))
    code, out, _ = run_cli(capsys, "packs", "validate", str(path))
    assert code == 2
    assert one_line(out) == (
        f"{path}: drill 'budget': key 'word_limit': "
        f"only a drill of kind 'written' has a word limit, not '{kind}'"
    )


def test_an_unknown_kind_with_a_word_limit_is_reported_once(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    path = write_pack(pack_doc("typo", drills=[drill_doc("budget", "writen", word_limit=150)]))
    assert problems_of(make_library()) == [
        f"{path}: drill 'budget': key 'kind': expected one of objection, question, pitch, "
        "roleplay, written, got 'writen'"
    ]


def test_a_written_drill_survives_the_parse_cache(
    tmp_path: Path, packs_dir: Path, write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(
        pack_doc("writing", drills=[written_doc(drill_doc)], company="northwind",
                 segment="Mid-market logistics", personas="CFO, logistics manager")
    )  # fmt: skip
    location = tmp_path / "library.marshal"
    first = load_library([(packs_dir, "mine")], cache=location)
    again = load_library([(packs_dir, "mine")], cache=location)
    assert again == first
    assert again.drill_of("writing/recap").word_limit == 150
    assert again.packs["writing"].company == "northwind"
    assert again.packs["writing"].personas == "CFO, logistics manager"


def test_a_cache_from_before_written_drills_is_parsed_again(
    tmp_path: Path, packs_dir: Path, write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("writing", drills=[written_doc(drill_doc)]))
    location = tmp_path / "library.marshal"
    load_library([(packs_dir, "mine")], cache=location)
    header, entries = marshal.loads(location.read_bytes())
    assert header[0] == cache_module.CACHE_FORMAT
    older = (cache_module.CACHE_FORMAT - 1, *header[1:])
    location.write_bytes(marshal.dumps((older, entries)))
    parses = cache_module.ParseCache(location)
    draft = parses.pack(packs_dir / "writing.toml", "mine", [])
    assert parses.parsed == 1
    assert draft is not None and draft.pack.drills[0].word_limit == 150


# --- the pack's company, segment and personas


def test_company_segment_and_personas_load_and_show(
    capsys: pytest.CaptureFixture[str],
    drillcoach_home: Path,
    write_pack: WritePack,
    pack_doc: PackDoc,
) -> None:
    doc = pack_doc(
        "smb-close", company="brightdesk", segment="SMB owner-operators",
        personas="Owner, office manager",
    )  # fmt: skip
    write_pack(doc, folder=drillcoach_home / "packs")
    code, out, err = run_cli(capsys, "packs", "show", "smb-close")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1:4] == [
        "company: brightdesk", "segment: SMB owner-operators", "personas: Owner, office manager",
    ]  # fmt: skip


def test_a_pack_without_them_shows_none(
    capsys: pytest.CaptureFixture[str],
    drillcoach_home: Path,
    write_pack: WritePack,
    pack_doc: PackDoc,
) -> None:
    write_pack(pack_doc("plain"), folder=drillcoach_home / "packs")
    code, out, _ = run_cli(capsys, "packs", "show", "plain")
    assert code == 0
    assert not any(line.startswith(("company:", "segment:", "personas:")) for line in out.split())
    pack = validate_files([drillcoach_home / "packs"]).packs["plain"]
    assert (pack.company, pack.segment, pack.personas) == (None, "", "")


@pytest.mark.parametrize(
    ("fields", "key", "expected"),
    [
        ({"company": "North Wind"}, "company", "expected an id of lowercase letters"),
        ({"company": 7}, "company", "expected an id of lowercase letters"),
        ({"segment": "x" * 81}, "segment", "text is 81 characters; expected at most 80"),
        ({"segment": ["SMB"]}, "segment", "expected text, got a list"),
        ({"personas": "y" * 121}, "personas", "text is 121 characters; expected at most 120"),
    ],
)
def test_bad_company_segment_or_personas_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    fields: dict[str, Any],
    key: str,
    expected: str,
) -> None:
    path = write_pack(pack_doc("bad-head", **fields))
    code, out, _ = run_cli(capsys, "packs", "validate", str(path))
    assert code == 2
    one_line(out, f"{path}: [pack]: key '{key}': {expected}")


def test_a_company_without_a_fact_sheet_still_loads(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc
) -> None:
    write_pack(pack_doc("fictional", company="no-such-company"))
    library = make_library()
    assert problems_of(library) == []
    assert library.packs["fictional"].company == "no-such-company"


# --- the skeleton


def test_the_skeleton_holds_a_written_drill_that_validates(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    code, _, err = run_cli(capsys, "packs", "new", "follow-ups", "--skill", "closing")
    assert code == 0, err
    target = drillcoach_home / "packs" / "follow-ups.toml"
    code, out, _ = run_cli(capsys, "packs", "validate", str(target))
    assert (code, out) == (0, "ok: 1 pack(s), 3 drills, no problems\n")
    library = validate_files([target])
    written = [drill for drill in library.drills() if drill.is_written]
    assert [drill.id for drill in written] == ["first-written"]
    assert written[0].word_limit is not None
    assert word_count(written[0].model_answer) <= written[0].word_limit
    assert "word_limit = 150" in skeleton_pack("x", "X", "closing")


# --- the rating rules


def test_a_written_drill_without_a_time_limit_has_none(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    timed = written_doc(drill_doc, "timed", time_limit=300)
    write_pack(pack_doc("writing", drills=[written_doc(drill_doc), timed, drill_doc("budget")]))
    library = make_library()
    untimed, timed_drill, spoken = library.packs["writing"].drills
    assert [time_limit(drill, 60) for drill in (untimed, timed_drill, spoken)] == [None, 300, 60]
    # 150 words at 25 words a minute for the session's estimate
    assert [expected_seconds(drill, 60) for drill in (untimed, timed_drill, spoken)] == [
        360, 300, 60,
    ]  # fmt: skip


def test_an_answer_over_the_word_limit_is_suggested_one_step_lower() -> None:
    assert suggest_rating(4, 4, 30, None) == EASY
    assert suggest_rating(4, 4, 30, None, words_over=True) == GOOD
    assert suggest_rating(3, 4, 30, None, words_over=True) == HARD
    # over both limits is still one step lower
    assert suggest_rating(4, 4, 400, 300, words_over=True) == GOOD


# --- the TUI


@pytest.fixture
def written_app(
    drillcoach_home: Path,
    clock: FakeClock,
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> Iterator[DrillcoachApp]:
    """A rep who answers aloud, with only a pack of one written drill (10 words at most,
    no time limit) in the queue."""
    drill = written_doc(
        drill_doc, word_limit=10, model_answer="Dana, two hours a day back. Thursday at ten?"
    )
    write_pack(pack_doc("writing", drills=[drill]), folder=drillcoach_home / "packs")
    app = build_app(drillcoach_home, clock)
    app.services.prefs.set_enabled_packs(["writing"])
    app.services.prefs.set_answer_mode("spoken")
    yield app
    app.services.close()


def words_shown(app: DrillcoachApp) -> str:
    return str(app.screen.query_one("#words", WordCount).render())


async def test_a_written_drill_is_typed_counted_revealed_and_rated(
    written_app: DrillcoachApp, clock: FakeClock
) -> None:
    app = written_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WrittenScreen)
        # typed whatever the rep's answer mode: the box has focus, t does not switch
        assert screen.mode == "typed" and not screen.has_class("-spoken")
        assert isinstance(screen.focused, TextArea)
        assert words_shown(app) == "0 / 10 words"
        assert str(screen.query_one(Countdown).render()) == "0:00"  # no time limit

        await type_text(pilot, "Dana, two hours back")
        await pilot.pause()
        assert words_shown(app) == "4 / 10 words"
        assert not screen.query_one(WordCount).has_class("-over")
        await type_text(pilot, " a day. Thursday at ten works?")
        await pilot.press("enter")
        await type_text(pilot, "Sam")
        await pilot.pause()
        assert words_shown(app) == "11 / 10 words"
        assert screen.query_one(WordCount).has_class("-over")

        clock.advance(seconds=95)
        await pilot.press("escape", "t")  # out of the box, t does nothing here
        assert screen.mode == "typed" and isinstance(app.screen, WrittenScreen)
        await pilot.press("space")  # reveal
        await pilot.pause()
        assert screen.revealed
        assert str(screen.query_one(Countdown).render()) == "1:35"
        assert screen.query_one("#model").border_title == "Model answer · 9 / 10 words"
        assert screen.query_one("#mine").border_title == "Your answer · 11 / 10 words"
        checklist = screen.query_one(Checklist)
        await tick_all(pilot, len(screen.drill.key_points))
        assert checklist.ticked == (0, 1)
        await pilot.press("enter")  # the suggested rating: all hit, over the word limit
        await pilot.pause()
    (rating,) = stored(app)
    assert rating.drill_uid == "writing/recap"
    assert (rating.rating, rating.suggested) == (GOOD, GOOD)
    assert rating.mode == "typed"
    assert rating.answer == "Dana, two hours back a day. Thursday at ten works?\nSam"
    assert rating.time_limit is None and rating.duration_ms == 95_000
    assert rating.key_points_hit == (0, 1)
    assert app.services.prefs.answer_mode() == "spoken"  # the rep's own mode is untouched


def test_the_drill_detail_shows_the_word_limit(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("writing", drills=[written_doc(drill_doc, time_limit=300)]))
    library = make_library()
    text = drill_text(library, library.drill_of("writing/recap"))
    assert "written · Closing" in text
    assert "Prompt: Write the recap email you send within the hour." in text
    assert "Word limit: 150 words (typed only)\nTime limit: 300 seconds" in text


async def test_the_manager_reviews_a_written_answer_against_its_word_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    team = build_team(tmp_path, monkeypatch, clock)
    team.cli("maria", "packs", "new", "follow-ups", "--team", "--skill", "closing").ok()
    team.sync("maria")
    team.sync("alice")
    answer = "Subject: Your two DCs\n\nHi Dana, recap attached. Thursday at ten?"
    with team.services("alice") as alice:
        drill = alice.library.drill_of("follow-ups/first-written")
        rated = alice.scheduler.record_self(drill, 3, Attempt(60_000, (0,), answer=answer))
        mine = membership(alice.config.workspace, "alice")
        ask_review(alice.store, mine, drill, answer, at=clock(), rating=rated.event)
    team.sync("alice")
    team.sync("maria")
    assert "Alice Ng's answer (typed, self-rated Good, 11 / 150 words):" in (
        team.cli("maria", "inbox").ok().out
    )
    app = make_app(team["maria"].home, clock=clock, tz=UTC)
    app.services.prefs.set_welcomed()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("m")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("i", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            theirs, model = app.screen.query_one("#theirs"), app.screen.query_one("#model")
            assert theirs.border_subtitle == "11 / 150 words"
            words = word_count(drill.model_answer)
            assert model.border_subtitle == f"{words} / 150 words"
    finally:
        app.services.close()
