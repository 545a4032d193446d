"""Rubric anchors and skill rubrics: what a 1, a 3 and a 5 look like for each criterion,
checked strictly and kept by the parse cache, and the rubric a manager scores a skill on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from drillcoach.content import Library, Rubric, Skill, load_library
from drillcoach.content import cache as cache_module
from drillcoach.content.cache import ParseCache
from drillcoach.tomlcheck import Problem
from helpers import MakeLibrary, PackDoc, WritePack

Doc = dict[str, Any]

RUBRIC_TOML = """\
format = 1

[[rubric]]
id = "renewal-call"
title = "Renewal call"

[[rubric.criterion]]
id = "recap"
title = "Recaps value"
description = "Says back what the customer got this year."
[rubric.criterion.anchors]
5 = "Names two results in the customer's own numbers before the price comes up."
1 = "Opens with the new price."
3 = "Lists what was delivered, in Northwind's words."

[[rubric.criterion]]
id = "ask"
title = "Asks to renew"
"""

ANCHORS: Doc = {"1": "Opens with the new price.", "5": "Names two results in their numbers."}


def rubric_doc(anchors: object) -> Doc:
    criterion: Doc = {"id": "recap", "title": "Recaps value", "anchors": anchors}
    return {"id": "renewal-call", "title": "Renewal call", "criterion": [criterion]}


def write_content(folder: Path, name: str, what: str, *tables: Doc) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(tomli_w.dumps({"format": 1, what: list(tables)}), encoding="utf-8")
    return path


def strings(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


# --- parsing


def test_anchors_are_parsed_and_sorted_by_score(tmp_path: Path) -> None:
    (tmp_path / "rubrics.toml").write_text(RUBRIC_TOML, encoding="utf-8")
    library = load_library([], shared_content=tmp_path)
    assert library.problems == []
    recap, ask = library.rubrics["renewal-call"].criteria
    assert recap.anchors == (
        (1, "Opens with the new price."),
        (3, "Lists what was delivered, in Northwind's words."),
        (5, "Names two results in the customer's own numbers before the price comes up."),
    )
    assert recap.anchor(1) == "Opens with the new price."
    assert recap.anchor(2) is None
    assert ask.anchors == () and ask.anchor(5) is None


def test_anchors_hold_at_least_one_and_five(tmp_path: Path) -> None:
    write_content(tmp_path, "rubrics.toml", "rubric", rubric_doc(ANCHORS))
    library = load_library([], shared_content=tmp_path)
    assert library.problems == []
    assert [score for score, _ in library.rubrics["renewal-call"].criteria[0].anchors] == [1, 5]


WHERE = "rubric 'renewal-call' criterion 'recap'"
MISSING = "missing; anchors say what at least 1 and 5 look like"
UNKNOWN = "unknown key (allowed: 1, 2, 3, 4, 5)"


@pytest.mark.parametrize(
    ("anchors", "problem"),
    [
        ({**ANCHORS, "great": "Excellent."}, f"{WHERE} anchors: key 'great': {UNKNOWN}"),
        ({**ANCHORS, "0": "Not on the call."}, f"{WHERE} anchors: key '0': {UNKNOWN}"),
        ({**ANCHORS, "6": "Beyond perfect."}, f"{WHERE} anchors: key '6': {UNKNOWN}"),
        ({**ANCHORS, "03": "Padded."}, f"{WHERE} anchors: key '03': {UNKNOWN}"),
        ({"3": "Lists it.", "5": "Two results."}, f"{WHERE} anchors: key '1': {MISSING}"),
        ({"1": "Price first.", "3": "Lists it."}, f"{WHERE} anchors: key '5': {MISSING}"),
        ({**ANCHORS, "3": ""}, f"{WHERE} anchors: key '3': expected non-empty text"),
        ({**ANCHORS, "1": " \n"}, f"{WHERE} anchors: key '1': expected non-empty text"),
        ({**ANCHORS, "5": 5}, f"{WHERE} anchors: key '5': expected text, got a number"),
        ({**ANCHORS, "3": "x" * 301},
         f"{WHERE} anchors: key '3': text is 301 characters; expected at most 300"),
        ("1 = cuts in", f"{WHERE}: key 'anchors': expected a table of scores, like "
                        "[rubric.criterion.anchors] with 5 = \"...\", got text"),
        (["Cuts in.", "Reuses their words."], f"{WHERE}: key 'anchors': expected a table of "
         "scores, like [rubric.criterion.anchors] with 5 = \"...\", got a list"),
    ],
)  # fmt: skip
def test_each_anchor_mistake_is_one_problem(tmp_path: Path, anchors: object, problem: str) -> None:
    path = write_content(tmp_path, "rubrics.toml", "rubric", rubric_doc(anchors))
    library = load_library([], shared_content=tmp_path)
    assert strings(library.problems) == [f"{path}: {problem}"]
    assert library.rubrics == {}  # a rubric with a broken criterion is not scored on


def test_an_anchor_mistake_in_a_pack_rubric_names_the_pack_file(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc
) -> None:
    doc = pack_doc("renewals")
    doc["rubric"] = [rubric_doc({"1": "Price first."})]
    path = write_pack(doc)
    library = make_library()
    assert strings(library.problems) == [f"{path}: pack {WHERE} anchors: key '5': {MISSING}"]
    assert "renewals" not in library.packs


def test_a_half_score_is_not_a_score(tmp_path: Path) -> None:
    """2.5 = "..." is a dotted key in TOML: a table '2' holding '5', not a score."""
    text = RUBRIC_TOML.replace('3 = "Lists', '2.5 = "Lists')
    (tmp_path / "rubrics.toml").write_text(text, encoding="utf-8")
    library = load_library([], shared_content=tmp_path)
    assert strings(library.problems) == [
        f"{tmp_path / 'rubrics.toml'}: {WHERE} anchors: key '2': expected text, got a table"
    ]


# --- the parse cache


def test_anchors_and_skill_rubrics_survive_the_parse_cache(tmp_path: Path) -> None:
    (tmp_path / "rubrics.toml").write_text(RUBRIC_TOML, encoding="utf-8")
    skill: Doc = {"id": "renewals", "title": "Renewals", "rubric": "renewal-call"}
    write_content(tmp_path, "skills.toml", "skill", skill)
    location = tmp_path / "cache" / "library.marshal"

    def read(cache: ParseCache) -> tuple[list[Any], list[Any]]:
        rubrics = cache.shared(tmp_path / "rubrics.toml", "rubric", [])
        return rubrics, cache.shared(tmp_path / "skills.toml", "skill", [])

    fresh = ParseCache(location)
    parsed = read(fresh)
    fresh.save()
    cached = ParseCache(location)
    kept = read(cached)
    assert (fresh.parsed, cached.parsed) == (2, 0)
    assert kept == parsed
    rubric = kept[0][0]
    assert isinstance(rubric, Rubric)
    assert [score for score, _ in rubric.criteria[0].anchors] == [1, 3, 5]
    assert rubric.criteria[0].anchor(1) == "Opens with the new price."
    assert kept[1] == [Skill("renewals", "Renewals", "", "renewal-call")]


def test_a_pack_rubric_keeps_its_anchors_through_the_cache(
    tmp_path: Path, packs_dir: Path, write_pack: WritePack, pack_doc: PackDoc
) -> None:
    doc = pack_doc("renewals")
    doc["rubric"] = [rubric_doc({"5": "Two results.", "1": "Price first.", "3": "Lists it."})]
    doc["skill"] = [{"id": "renewal-talk", "title": "Renewal talk", "rubric": "renewal-call"}]
    write_pack(doc)
    location = tmp_path / "library.marshal"
    first = load_library([(packs_dir, "mine")], cache=location)
    again = load_library([(packs_dir, "mine")], cache=location)
    assert first.problems == again.problems == []
    assert again.rubrics["renewal-call"] == first.rubrics["renewal-call"]
    assert again.rubrics["renewal-call"].criteria[0].anchors == (
        (1, "Price first."), (3, "Lists it."), (5, "Two results."),
    )  # fmt: skip
    assert again.skills["renewal-talk"].rubric == "renewal-call"
    assert again.rubric_for_skill("renewal-talk") == again.rubrics["renewal-call"]


def test_a_cache_from_before_anchors_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rubrics.toml").write_text(RUBRIC_TOML, encoding="utf-8")
    location = tmp_path / "library.marshal"
    with monkeypatch.context() as older:
        older.setattr(cache_module, "CACHE_FORMAT", cache_module.CACHE_FORMAT - 1)
        old = ParseCache(location)
        old.shared(tmp_path / "rubrics.toml", "rubric", [])
        old.save()
    current = ParseCache(location)
    found = current.shared(tmp_path / "rubrics.toml", "rubric", [])
    assert current.parsed == 1
    assert len(found) == 1


# --- skill rubrics


def test_a_skill_naming_an_unknown_rubric_is_a_problem(tmp_path: Path) -> None:
    skill: Doc = {"id": "renewals", "title": "Renewals", "rubric": "renewal-cal"}
    path = write_content(tmp_path, "skills.toml", "skill", skill)
    write_content(tmp_path, "rubrics.toml", "rubric", rubric_doc(ANCHORS))
    library = load_library([], shared_content=tmp_path)
    assert strings(library.problems) == [
        f"{path}: skill 'renewals': key 'rubric': "
        "unknown rubric 'renewal-cal' (known: renewal-call)"
    ]
    # the skill still loads, so drills that practise it do too; it is scored on no rubric
    assert library.skills["renewals"].rubric == "renewal-cal"
    assert library.rubric_for_skill("renewals") is None


def test_a_skill_rubric_must_be_an_id(tmp_path: Path) -> None:
    skill: Doc = {"id": "renewals", "title": "Renewals", "rubric": "Renewal call"}
    path = write_content(tmp_path, "skills.toml", "skill", skill)
    library = load_library([], shared_content=tmp_path)
    assert len(library.problems) == 1
    assert str(library.problems[0]).startswith(f"{path}: skill 'renewals': key 'rubric': ")
    assert library.skills == {}


def test_a_pack_skill_naming_an_unknown_rubric_is_a_problem_of_its_pack(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc
) -> None:
    doc = pack_doc("renewals")
    doc["skill"] = [{"id": "renewal-talk", "title": "Renewal talk", "rubric": "renewal-cal"}]
    path = write_pack(doc)
    library = make_library()
    assert len(library.problems) == 1
    assert str(library.problems[0]).startswith(
        f"{path}: pack skill 'renewal-talk': key 'rubric': unknown rubric 'renewal-cal' (known: "
    )
    assert "renewals" not in library.packs


def test_a_skill_without_a_rubric_is_scored_on_none(tmp_path: Path) -> None:
    write_content(tmp_path, "skills.toml", "skill", {"id": "renewals", "title": "Renewals"})
    library = load_library([], shared_content=tmp_path)
    assert library.problems == []
    assert library.skills["renewals"].rubric is None
    assert library.rubric_for_skill("renewals") is None
    assert library.rubric_for_skill("no-such-skill") is None


# --- the built-in content

# Words that grade without describing: an anchor says what the manager saw and heard.
JUDGEMENTS = re.compile(
    r"\b(good|great|excellent|poor|weak|strong|effective(ly)?|appropriate(ly)?|adequate(ly)?"
    r"|badly|nice|solid)\b",
    re.IGNORECASE,
)


def test_every_builtin_criterion_has_anchors_one_three_and_five(library: Library) -> None:
    criteria = [(rubric.id, c) for rubric in library.rubrics.values() for c in rubric.criteria]
    assert len(criteria) >= 37
    for rubric_id, criterion in criteria:
        where = f"{rubric_id}/{criterion.id}"
        assert {1, 3, 5} <= {score for score, _ in criterion.anchors}, where
        assert criterion.description and "5 =" not in criterion.description, where
        assert len(criterion.description) <= 120, where
        for score, text in criterion.anchors:
            assert not JUDGEMENTS.search(text), f"{where} {score}: {text}"


def test_every_rubric_and_criterion_stored_ratings_name_is_still_there(library: Library) -> None:
    """A stored rating names its rubric and criteria by id: criteria are added (a split
    keeps the old id for one half), never renamed, and keep their order. The rubric
    'prospecting' became 'cold-call' with the same criteria (nothing looks a stored
    rating's rubric up)."""
    stored = {
        "laer": ["listen", "acknowledge", "explore", "respond", "confirm"],
        "discovery": ["open-questions", "depth", "impact", "decision-process", "summarise"],
        "roleplay": ["opening", "discovery", "value", "objections", "control", "next-step"],
        "joint-call": ["preparation", "agenda", "questioning", "value-linkage",
                       "objection-handling", "next-step"],
        "pitch": ["relevance", "clarity", "proof", "brevity", "ask"],
        "negotiation": ["explores-interests", "defends-value", "trades", "options", "composure"],
        "closing": ["direct-ask", "buyer-process", "dated-steps", "risk-surfaced", "buyer-driven"],
        "cold-call": ["opener", "relevance", "conversation", "brush-off", "meeting-ask"],
        "qualification": ["problem", "money", "decision", "timing", "verdict"],
        "active-listening": ["lets-finish", "builds-on", "unsaid", "playback", "talk-share"],
        "business-acumen": ["business-model", "priorities", "business-case", "money-terms",
                            "outcome-first"],
        "multithreading": ["buying-group", "economic-buyer", "champion", "coverage"],
    }  # fmt: skip
    for rubric_id, criteria in stored.items():
        now = [c.id for c in library.rubrics[rubric_id].criteria]
        assert [c for c in now if c in criteria] == criteria, rubric_id


def test_every_builtin_skill_names_a_rubric_that_exists(library: Library) -> None:
    assert len(library.skills) == 13
    for skill in library.skills.values():
        assert skill.rubric in library.rubrics, skill.id
        assert library.rubric_for_skill(skill.id) is library.rubrics[skill.rubric]
    for rubric in library.rubrics.values():
        assert 1 <= len(rubric.criteria) <= 12, rubric.id
