"""The content lint: the built-in library is clean, and each check finds what it is for
in small packs written to disk (and only that)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.content.lint import (
    Rules,
    companies_folder,
    lint_library,
    read_rules,
    rules_path,
)
from drillcoach.tomlcheck import Problem
from helpers import DrillDoc, MakeLibrary, PackDoc, WritePack, run_cli

FIXTURE_COMPANIES = Path(__file__).parent / "fixtures" / "companies"


@pytest.fixture(scope="module")
def rules() -> Rules:
    problems: list[Problem] = []
    found = read_rules(rules_path(), problems)
    assert problems == []
    assert found is not None
    return found


def lint(
    library: Library,
    rules: Rules,
    *,
    default: int = 60,
    companies: Path = FIXTURE_COMPANIES,
    pack_id: str | None = None,
) -> list[str]:
    assert library.problems == [], [str(problem) for problem in library.problems]
    findings = lint_library(
        library, rules, default_time_limit=default, companies=companies, pack_id=pack_id
    )
    return [str(finding) for finding in findings]


def words(count: int, start: int = 0) -> str:
    """``count`` different words, none a real name, none shared with another call's."""
    return " ".join(f"w{number}" for number in range(start, start + count))


# --- the built-in library


def test_builtin_library_is_lint_clean(library: Library, rules: Rules) -> None:
    """The guard of the whole library: a writer's finding fails here with its line."""
    findings = lint(library, rules, default=Config().default_time_limit,
                    companies=companies_folder())  # fmt: skip
    assert not findings, "\n".join(findings)


def test_shipped_rules_are_the_documented_ones(rules: Rules) -> None:
    assert (rules.words_per_minute, rules.pause_seconds) == (150, 3)
    assert (rules.min_words, rules.max_drills, rules.max_watched) == (4, 5, 5)
    assert {"can i ask", "makes sense", "honest", "honestly", "i hear you", "great question",
            "totally"} <= set(rules.watched)  # fmt: skip
    assert len(rules.any_case) + len(rules.exact_case) >= 300
    assert "ZoomInfo" in rules.any_case
    assert "SAP" in rules.exact_case


def test_a_broken_rule_names_its_file_table_and_key(tmp_path: Path) -> None:
    text = rules_path().read_text(encoding="utf-8").replace("room = 0.9", "room = 2")
    path = tmp_path / "lint.toml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    assert read_rules(path, problems) is None
    assert [str(problem) for problem in problems] == [
        f"{path}: [timing]: key 'room': expected a number from 0.5 to 1.0, got 2"
    ]


# --- 1. length against the time limit and the word limit


def test_a_spoken_answer_must_fit_its_time_limit_with_its_pauses(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    # 100 words are 40 s at 150 a minute: inside 90% of 45 s; one pause more is not
    fits = drill_doc("fits", model_answer=words(100), time_limit=45)
    paused = drill_doc("paused", model_answer=f"{words(50)} ... {words(50, 50)}", time_limit=45)
    write_pack(pack_doc("talk", drills=[fits, paused]))
    assert lint(make_library(), rules) == [
        "talk/paused: model answer takes about 43 s to say (100 words, 1 pause); the 45 s "
        "time limit leaves 40 s: cut about 7 words or some pauses"
    ]


def test_a_drill_without_a_time_limit_is_held_to_the_default(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    write_pack(pack_doc("talk", drills=[drill_doc("plain", model_answer=words(80))]))
    assert lint(make_library(), rules, default=60) == []
    assert lint(make_library(), rules, default=30) == [
        "talk/plain: model answer takes about 32 s to say (80 words); the 30 s time limit "
        "leaves 27 s: cut about 13 words"
    ]


def test_a_roleplays_model_turns_together_fit_its_time_limit(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    # each turn alone (12 s) fits 30 s; the three together (36 s) do not
    turns = [{"buyer": f"Buyer line {n}.", "model": words(30, 30 * n)} for n in range(3)]
    short = drill_doc("short", "roleplay", turn=turns, time_limit=30, model_answer=None)
    long = drill_doc("long", "roleplay", turn=turns, time_limit=45, model_answer=None)
    write_pack(pack_doc("calls", drills=[short, long]))
    assert lint(make_library(), rules) == [
        "calls/short: model turns take about 36 s to say (90 words); the 30 s time limit "
        "leaves 27 s: cut about 23 words"
    ]


def test_a_written_answer_must_fit_its_word_limit_and_has_no_spoken_time(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    at_limit = drill_doc("at-limit", "written", word_limit=50, model_answer=words(50))
    over = drill_doc("over", "written", word_limit=50, model_answer=words(51))
    write_pack(pack_doc("emails", drills=[at_limit, over]))
    # 50 words would take 20 s to say: a written drill is never held to a spoken time
    assert lint(make_library(), rules, default=5) == [
        "emails/over: model answer is 51 words; its word limit is 50"
    ]


# --- 2. repeated phrases and watched tics


def phrase_drills(
    drill_doc: DrillDoc, phrase: str, count: int, prefix: str
) -> list[dict[str, Any]]:
    """``count`` drills whose model answers say ``phrase`` between words of their own."""
    answers = [f"{words(3, 10 * n)}. {phrase}, {words(2, 500 + n)}." for n in range(count)]
    return [drill_doc(f"{prefix}{n}", model_answer=answer) for n, answer in enumerate(answers)]


def test_a_phrase_in_more_than_five_drills_is_reported_at_each_whole(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    phrase = "We keep the receipts in one shared folder"
    drills = phrase_drills(drill_doc, phrase, 5, "a")
    turns = [{"buyer": "And then?", "model": f"Well. {phrase} for you."}, {"buyer": "OK."}]
    drills.append(drill_doc("rp", "roleplay", turn=turns))
    write_pack(pack_doc("repeats", drills=drills))
    findings = lint(make_library(), rules)
    uids = [f"repeats/a{n}" for n in range(5)] + ["repeats/rp"]
    assert [line.split(":")[0] for line in findings] == uids
    others = ", ".join(uid for uid in uids if uid != "repeats/a0")
    assert findings[0] == (
        'repeats/a0: model answer says "we keep the receipts in one shared folder", as do '
        f"5 other drills (at most 5 may): {others}"
    )
    assert findings[-1].startswith('repeats/rp: model turns say "we keep the receipts in one')


def test_five_drills_may_share_a_phrase(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    drills = phrase_drills(drill_doc, "We keep the receipts in one shared folder", 5, "a")
    write_pack(pack_doc("repeats", drills=drills))
    assert lint(make_library(), rules) == []


def test_common_words_and_names_do_not_make_a_repeated_phrase(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    common = phrase_drills(drill_doc, "And if you do it then", 7, "c")
    named = phrase_drills(drill_doc, "I spoke with Dana Whitfield at Quillmore Labs", 7, "n")
    write_pack(pack_doc("ordinary", drills=[*common, *named]))
    assert lint(make_library(), rules) == []


def test_a_watched_tic_in_more_than_five_model_answers(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    saying = [drill_doc(f"t{n}", model_answer=f"Totally. {words(3, 10 * n)}.") for n in range(6)]
    write_pack(pack_doc("tics", drills=saying))
    findings = lint(make_library(), rules)
    assert len(findings) == 6
    assert findings[0].startswith(
        'tics/t0: model answer says "totally" (a watched tic), as do 5 other drills '
        "(at most 5 may): tics/t1, "
    )


def test_a_watched_tic_counts_only_in_model_answers(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    saying = [drill_doc(f"t{n}", model_answer=f"Totally. {words(3, 10 * n)}.") for n in range(5)]
    prompt = drill_doc("buyer", prompt="Totally, we are fine.", model_answer=words(3, 90))
    write_pack(pack_doc("tics", drills=[*saying, prompt]))
    assert lint(make_library(), rules) == []


def test_one_pack_is_linted_against_the_phrases_of_every_pack(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    phrase = "We keep the receipts in one shared folder"
    write_pack(pack_doc("first", drills=phrase_drills(drill_doc, phrase, 3, "a")))
    write_pack(pack_doc("second", drills=phrase_drills(drill_doc, phrase, 3, "b")))
    findings = lint(make_library(), rules, pack_id="second")
    assert [line.split(":")[0] for line in findings] == ["second/b0", "second/b1", "second/b2"]
    assert "first/a0, first/a1, first/a2, second/b1, second/b2" in findings[0]


# --- 3. real company names


def test_real_company_names_in_every_text_of_a_drill(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    drill = drill_doc(
        "names",
        persona="Ops lead at Salesforce",
        situation="Target the CFO first. Our target is the slack in the schedule.",
        prompt="Oracleton Foods asked for a Slackware demo.",
        key_points=["Mentions the salesforce export", "Asks about cost"],
        model_answer="We run it next to your Oracle ledger.",
    )
    turns = [{"buyer": "We run Zoom calls and the AT&T line.", "model": "Understood."}]
    played = drill_doc("played", "roleplay", turn=turns)
    write_pack(pack_doc("named", drills=[drill, played], description="Built for a Walmart DC."))
    assert lint(make_library(), rules) == [
        "named: [pack] description names a real company, 'Walmart'",
        "named/names: persona names a real company, 'Salesforce'",
        "named/names: model_answer names a real company, 'Oracle'",
        "named/names: key point 1 names a real company, 'Salesforce'",
        "named/played: turn 1 buyer names a real company, 'Zoom'",
        "named/played: turn 1 buyer names a real company, 'AT&T'",
    ]


def test_real_company_names_in_a_fact_sheet(
    tmp_path: Path, make_library: MakeLibrary, rules: Rules
) -> None:
    sheet = (FIXTURE_COMPANIES / "larkspur.toml").read_text(encoding="utf-8")
    folder = tmp_path / "companies"
    folder.mkdir()
    path = folder / "larkspur.toml"
    path.write_text(sheet.replace("Spreadsheet add-on", "An Excel add-on from Deloitte"), "utf-8")
    assert lint(make_library(), rules, companies=folder) == [
        f"{path}: competitor 'Shiftwell': key 'about': names a real company, 'Excel'",
        f"{path}: competitor 'Shiftwell': key 'about': names a real company, 'Deloitte'",
    ]


# --- 4. facts against the company's fact sheet


def test_facts_a_drill_states_must_agree_with_the_fact_sheet(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    agrees = drill_doc(
        "agrees",
        persona="Martin Hale, CFO, Fernhill Clinics",
        model_answer="A six-week rollout, and a 6 week implementation for the second site.",
    )
    disagrees = drill_doc(
        "disagrees", persona="Marta Hale, CFO", model_answer="It is an eight-week rollout."
    )
    write_pack(
        pack_doc("clinics", drills=[agrees, disagrees], company="larkspur",
                 description="Sell Larkspur's Eight week rollout.")
    )  # fmt: skip
    facts = "larkspur.toml (A rollout takes six weeks): expected 'six' or '6'"
    assert lint(make_library(), rules) == [
        'clinics: [pack] description says "Eight week rollout", against fact '
        f"'rollout-weeks' of {facts}",
        "clinics/disagrees: persona says \"Marta Hale\", against fact 'cfo-name' of "
        "larkspur.toml (Martin Hale is the CFO of Fernhill Clinics): expected 'Martin'",
        'clinics/disagrees: model_answer says "eight-week rollout", against fact '
        f"'rollout-weeks' of {facts}",
    ]


def test_a_pack_whose_company_has_no_fact_sheet(
    write_pack: WritePack, pack_doc: PackDoc, make_library: MakeLibrary, rules: Rules
) -> None:
    write_pack(pack_doc("orphan", company="nobody"))
    assert lint(make_library(), rules) == [
        f"orphan: [pack] company 'nobody' has no fact sheet "
        f"(expected {FIXTURE_COMPANIES / 'nobody.toml'})"
    ]


def test_a_fact_sheet_that_does_not_load_names_its_file_and_key(
    tmp_path: Path, write_pack: WritePack, pack_doc: PackDoc, make_library: MakeLibrary,
    rules: Rules,
) -> None:  # fmt: skip
    folder = tmp_path / "companies"
    folder.mkdir()
    sheet = folder / "broken.toml"
    sheet.write_text(
        'format = 1\n[company]\nid = "broken"\nname = "Broken"\nproduct = "A thing"\n'
        'description = "About it."\n[[fact]]\nid = "weeks"\ntitle = "Weeks"\n'
        "pattern = '(\\w+ week'\nallowed = [\"six\"]\n"
        '[[fact]]\nid = "plain"\ntitle = "No group"\npattern = "week"\nallowed = ["six"]\n',
        encoding="utf-8",
    )
    write_pack(pack_doc("uses-broken", company="broken"))
    assert lint(make_library(), rules, companies=folder) == [
        f"{sheet}: fact 'weeks': key 'pattern': expected a Python regular expression: "
        "missing ), unterminated subpattern at position 0",
        f"{sheet}: fact 'plain': key 'pattern': expected a group, like '(\\w+)-week rollout', "
        "around the value",
        "uses-broken: [pack] company 'broken': its facts are not checked until its sheet loads",
    ]


def test_the_fixture_fact_sheet_loads_whole(
    write_pack: WritePack, pack_doc: PackDoc, make_library: MakeLibrary, rules: Rules
) -> None:
    write_pack(pack_doc("clinics", company="larkspur"))
    assert lint(make_library(), rules) == []


# --- the command


def test_lint_command_reports_my_packs_and_exits_1(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, write_pack: WritePack,
    pack_doc: PackDoc, drill_doc: DrillDoc,
) -> None:  # fmt: skip
    drill = drill_doc("crm", persona="RevOps lead, HubSpot shop", model_answer="Fair enough.")
    write_pack(pack_doc("mine", drills=[drill]), folder=drillcoach_home / "packs")
    code, out, err = run_cli(capsys, "packs", "lint", "--pack", "mine")
    assert (code, out) == (1, "mine/crm: persona names a real company, 'HubSpot'\n")
    assert err == (
        "1 finding(s) in 1 drill(s), pack(s) or file(s); 1 pack(s) with 1 drills linted\n"
    )
    code, out, _ = run_cli(capsys, "packs", "lint")
    assert "mine/crm: persona names a real company, 'HubSpot'\n" in out


def test_lint_command_on_a_clean_pack(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, write_pack: WritePack,
    pack_doc: PackDoc,
) -> None:  # fmt: skip
    write_pack(pack_doc("mine"), folder=drillcoach_home / "packs")
    code, out, err = run_cli(capsys, "packs", "lint", "--pack", "mine")
    assert (code, out, err) == (0, "ok: 1 pack(s), 1 drills, no findings\n", "")


def test_lint_command_refuses_an_unknown_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "packs", "lint", "--pack", "nope")
    assert (code, out) == (2, "")
    assert err.startswith("drillcoach: no pack 'nope' (loaded packs: ")
    assert len(err.splitlines()) == 1
