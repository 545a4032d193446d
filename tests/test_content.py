"""The pack loader: every mistake is reported with file, table, key and what was expected;
good packs load next to bad ones; loading never touches the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

import pytest

from drillcoach.config import Config, resolve_paths
from drillcoach.content import Library, load_library, validate_files
from drillcoach.services import load_packs
from helpers import DrillDoc, MakeLibrary, OpenStore, PackDoc, WritePack


def messages(library: Library) -> list[str]:
    return [str(problem) for problem in library.problems]


def single_problem(library: Library) -> str:
    found = messages(library)
    assert len(found) == 1, found
    return found[0]


class Check(Protocol):
    def __call__(
        self, content: dict[str, Any] | str | bytes, name: str | None = None
    ) -> tuple[Path, Library]: ...


@pytest.fixture
def check(write_pack: WritePack, make_library: MakeLibrary) -> Check:
    """Write one pack document, load its folder; return (path, library)."""

    def run(content: dict[str, Any] | str | bytes, name: str | None = None) -> tuple[Path, Library]:
        path = write_pack(content, name=name)
        return path, make_library()

    return run


# --- a good pack


def test_valid_pack_loads_every_field(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    doc = pack_doc(
        "renewals",
        author="Enablement",
        rubric="laer",
        drills=[
            drill_doc(
                "budget-cut",
                persona="CFO",
                situation="Renewal call",
                time_limit=45,
                tags=["pricing", "renewal"],
                replaces=["old-budget"],
            ),
            drill_doc("gatekeeper", kind="roleplay", skill="prospecting", rubric="roleplay"),
        ],
    )
    path, library = check(doc)
    assert library.problems == []
    pack = library.packs["renewals"]
    assert (pack.title, pack.version, pack.author, pack.rubric) == (
        "Pack renewals",
        "1",
        "Enablement",
        "laer",
    )
    assert pack.path == path
    first, second = pack.drills
    assert first.uid == "renewals/budget-cut"
    assert first.time_limit == 45
    assert first.tags == ("pricing", "renewal")
    assert first.history_uids() == ("renewals/budget-cut", "renewals/old-budget")
    assert first.key_points == ("Acknowledge", "Ask a question", "Confirm")
    assert second.is_roleplay and second.prompt == ""
    assert [turn.buyer for turn in second.turns] == ["Who is calling?", "What is it about?"]
    first_rubric, second_rubric = library.rubric_for(first), library.rubric_for(second)
    assert first_rubric is not None and second_rubric is not None
    assert first_rubric.id == "laer"
    assert second_rubric.id == "roleplay"
    assert library.drill("renewals/gatekeeper") is second
    assert library.drill("renewals/nope") is None
    assert library.drill("nope/gatekeeper") is None


# --- the file itself


def test_toml_syntax_error_gives_line_and_column(check: Check) -> None:
    text = 'format = 1\n\n[pack]\nid = "broken"\ntitle = "Unclosed\n'
    path, library = check(text, name="broken.toml")
    problem = single_problem(library)
    assert problem.startswith(f"{path}: line 5, column ")
    assert "invalid TOML" in problem
    assert library.packs == {}


def test_missing_format(check: Check, pack_doc: PackDoc) -> None:
    doc = pack_doc("no-format")
    del doc["format"]
    path, library = check(doc)
    assert single_problem(library) == f"{path}: key 'format': missing; expected format = 1"
    assert "no-format" not in library.packs


def test_wrong_format(check: Check, pack_doc: PackDoc) -> None:
    doc = pack_doc("future")
    doc["format"] = 2
    path, library = check(doc)
    assert single_problem(library) == f"{path}: key 'format': expected 1, got 2"
    assert library.packs == {}


def test_missing_pack_table(check: Check, pack_doc: PackDoc) -> None:
    doc = pack_doc()
    del doc["pack"]
    path, library = check(doc, name="headless.toml")
    assert single_problem(library) == f"{path}: key 'pack': missing the [pack] table"


def test_non_utf8_file(check: Check) -> None:
    path, library = check(b'format = 1\n[pack]\nid = "caf\xe9"\n', name="latin1.toml")
    problem = single_problem(library)
    assert problem.startswith(f"{path}: expected UTF-8 text")
    assert problem.endswith("byte 27 is not UTF-8")


def test_folder_named_like_a_pack_file(packs_dir: Path, make_library: MakeLibrary) -> None:
    (packs_dir / "x.toml").mkdir()
    library = make_library()
    assert (
        single_problem(library) == f"{packs_dir / 'x.toml'}: expected a TOML file, found a folder"
    )


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_unreadable_file(check: Check, pack_doc: PackDoc) -> None:
    path, _ = check(pack_doc("secret"))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user can read a mode-000 file")
        library = load_library([(path.parent, "folder")])
        assert single_problem(library).startswith(f"{path}: cannot read the file (")
        assert library.packs == {}
    finally:
        path.chmod(0o644)


def test_file_over_one_megabyte(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    doc = pack_doc("huge", drills=[drill_doc(model_answer="x" * 1_000_001)])
    path, library = check(doc)
    size = path.stat().st_size
    assert single_problem(library) == f"{path}: file is {size:,} bytes; expected at most 1,000,000"
    assert library.packs == {}


@pytest.mark.parametrize(
    "hostile",
    [
        "format = 1\nx = " + "[" * 200_000 + "]" * 200_000 + "\n",
        "format = 1\nx = " + "{a = " * 100_000 + "1" + "}" * 100_000 + "\n",
    ],
    ids=["nested-arrays", "nested-inline-tables"],
)
def test_deeply_nested_toml_is_a_problem_not_a_crash(check: Check, hostile: str) -> None:
    path, library = check(hostile, name="hostile.toml")
    problem = single_problem(library)
    assert problem.startswith(f"{path}: ")
    assert "nested too deeply" in problem or "invalid TOML" in problem
    assert library.packs == {}


def test_hostile_shapes_are_reported_not_raised(check: Check) -> None:
    text = 'format = 1\npack = "just text"\ndrill = [1, 2]\nskill = 3\n'
    path, library = check(text, name="shapes.toml")
    found = messages(library)
    assert f"{path}: [pack]: expected a table, got text" in found
    assert f"{path}: drill #1: expected a table, got a number" in found
    assert f"{path}: drill #2: expected a table, got a number" in found
    assert f"{path}: key 'skill': expected an array of tables ([[skill]]), got a number" in found
    assert library.packs == {}


def test_drill_as_a_table_instead_of_an_array(check: Check, pack_doc: PackDoc) -> None:
    doc = pack_doc("single")
    doc["drill"] = doc["drill"][0]
    path, library = check(doc)
    assert single_problem(library) == (
        f"{path}: key 'drill': expected an array of tables ([[drill]]), got a table"
    )


def test_pack_without_drills(check: Check, pack_doc: PackDoc) -> None:
    path, library = check(pack_doc("empty", drills=[]))
    assert (
        single_problem(library)
        == f"{path}: key 'drill': expected 1 to 1000 [[drill]] entries, got 0"
    )


# --- unknown keys


def test_unknown_top_level_key(check: Check, pack_doc: PackDoc) -> None:
    doc = pack_doc("typo-top")
    doc["drills"] = []
    path, library = check(doc)
    problem = single_problem(library)
    assert problem.startswith(f"{path}: key 'drills': unknown key (allowed: drill, format, pack,")


def test_unknown_key_in_pack_table(check: Check, pack_doc: PackDoc) -> None:
    path, library = check(pack_doc("typo", titel="Oops"))
    assert single_problem(library) == (
        f"{path}: [pack]: key 'titel': unknown key "
        "(allowed: author, company, description, id, personas, rubric, segment, title, version)"
    )
    assert library.packs == {}


def test_unknown_key_in_drill(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("typo", drills=[drill_doc("budget", keypoints=["x"])]))
    problem = single_problem(library)
    assert problem.startswith(f"{path}: drill 'budget': key 'keypoints': unknown key (allowed: ")
    assert "key_points" in problem


def test_unknown_key_in_turn(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    drill = drill_doc("call", kind="roleplay")
    drill["turn"][1]["reply"] = "Oops"
    path, library = check(pack_doc("typo", drills=[drill]))
    assert single_problem(library) == (
        f"{path}: drill 'call' turn #2: key 'reply': unknown key (allowed: buyer, model)"
    )


# --- types and values


def test_title_as_a_number(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("types", drills=[drill_doc("budget", title=42)]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'title': expected text, got a number"
    )


def test_pack_title_missing(check: Check, pack_doc: PackDoc) -> None:
    path, library = check(pack_doc("untitled", title=None))
    assert single_problem(library) == f"{path}: [pack]: key 'title': missing; expected text"


def test_key_points_not_a_list(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("types", drills=[drill_doc("budget", key_points="Ask")]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'key_points': expected a list of 1 to 12 non-empty texts"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [(4, "4"), (601, "601"), (True, "True"), ("45", "'45'"), (45.5, "45.5")],
)
def test_time_limit_out_of_range_or_wrong_type(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc, value: int | float | str, shown: str
) -> None:
    path, library = check(pack_doc("types", drills=[drill_doc("budget", time_limit=value)]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'time_limit': expected a whole number from 5 to 600, "
        f"got {shown}"
    )


@pytest.mark.parametrize("count", [0, 13])
def test_key_points_count(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc, count: int) -> None:
    points = [f"Point {n}" for n in range(count)]
    path, library = check(pack_doc("counts", drills=[drill_doc("budget", key_points=points)]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'key_points': expected 1 to 12 items, got {count}"
    )


def test_twelve_key_points_are_fine(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    points = [f"Point {n}" for n in range(12)]
    _, library = check(pack_doc("counts", drills=[drill_doc("budget", key_points=points)]))
    assert library.problems == []
    assert len(library.packs["counts"].drills[0].key_points) == 12


@pytest.mark.parametrize("bad_id", ["Price", "price_too_high", "-price", "", "a" * 65, "pr ice"])
def test_bad_drill_id(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc, bad_id: str) -> None:
    path, library = check(pack_doc("ids", drills=[drill_doc(bad_id)]))
    assert single_problem(library) == (
        f"{path}: drill #1: key 'id': expected an id of lowercase letters, digits and hyphens "
        f"(at most 64, starting with a letter or digit), got {bad_id!r}"
    )


def test_bad_pack_id(check: Check, pack_doc: PackDoc) -> None:
    path, library = check(pack_doc("Objections"), name="objections.toml")
    problem = single_problem(library)
    assert problem.startswith(f"{path}: [pack]: key 'id': expected an id of lowercase letters")
    assert problem.endswith("got 'Objections'")


def test_id_of_64_characters_is_fine(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    _, library = check(pack_doc("ids", drills=[drill_doc("a" * 64)]))
    assert library.problems == []


def test_duplicate_drill_id_in_a_pack(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    doc = pack_doc("dupes", drills=[drill_doc("budget"), drill_doc("other"), drill_doc("budget")])
    path, library = check(doc)
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'id': duplicate drill id in this pack"
    )
    assert "dupes" not in library.packs


def test_duplicate_pack_id_across_files_first_wins(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    first = write_pack(pack_doc("renewals", drills=[drill_doc("first")]), name="a-renewals.toml")
    second = write_pack(pack_doc("renewals", drills=[drill_doc("second")]), name="b-renewals.toml")
    library = make_library()
    assert single_problem(library) == (
        f"{second}: [pack]: key 'id': duplicate pack id (already loaded from {first})"
    )
    assert [d.id for d in library.packs["renewals"].drills] == ["first"]


def test_unknown_skill(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("skills", drills=[drill_doc("budget", skill="juggling")]))
    problem = single_problem(library)
    assert problem.startswith(
        f"{path}: drill 'budget': key 'skill': unknown skill 'juggling' (known: "
    )
    assert "objection-handling" in problem
    assert library.packs == {}


def test_a_broken_drill_still_has_its_references_checked(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    drill = drill_doc("budget", kind="riddle", skill="juggling", rubric="nope")
    path, library = check(pack_doc("skills", drills=[drill]))
    found = messages(library)
    assert len(found) == 3, found
    assert found[0].startswith(f"{path}: drill 'budget': key 'kind': expected one of ")
    assert found[1].startswith(f"{path}: drill 'budget': key 'skill': unknown skill 'juggling'")
    assert found[2].startswith(f"{path}: drill 'budget': key 'rubric': unknown rubric 'nope'")


def test_unknown_pack_rubric(check: Check, pack_doc: PackDoc) -> None:
    path, library = check(pack_doc("rubrics", rubric="star"))
    problem = single_problem(library)
    assert problem.startswith(f"{path}: [pack]: key 'rubric': unknown rubric 'star' (known: ")
    assert "laer" in problem


def test_unknown_drill_rubric(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("rubrics", drills=[drill_doc("budget", rubric="star")]))
    problem = single_problem(library)
    assert problem.startswith(
        f"{path}: drill 'budget': key 'rubric': unknown rubric 'star' (known: "
    )


# --- kinds, prompts and turns


def test_invalid_kind(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("kinds", drills=[drill_doc("budget", kind="riddle")]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'kind': expected one of objection, question, pitch, "
        "roleplay, written, got 'riddle'"
    )


def test_missing_kind(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    drill = drill_doc("budget")
    del drill["kind"]
    path, library = check(pack_doc("kinds", drills=[drill]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'kind': missing; expected one of objection, question, "
        "pitch, roleplay, written"
    )


def test_roleplay_with_a_prompt(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    drill = drill_doc("call", kind="roleplay", prompt="Hello?")
    path, library = check(pack_doc("roleplays", drills=[drill]))
    assert single_problem(library) == (
        f"{path}: drill 'call': key 'prompt': a roleplay has no prompt; "
        "its buyer lines go in [[drill.turn]]"
    )


@pytest.mark.parametrize("count", [0, 21])
def test_roleplay_turn_count(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc, count: int
) -> None:
    turns = [{"buyer": f"Line {n}"} for n in range(count)]
    drill = drill_doc("call", kind="roleplay", turn=turns or None)
    path, library = check(pack_doc("roleplays", drills=[drill]))
    problem = single_problem(library)
    assert problem == (
        f"{path}: drill 'call': key 'turn': expected 1 to 20 [[drill.turn]] entries, got {count}"
    )


def test_roleplay_turn_without_buyer_line(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    drill = drill_doc("call", kind="roleplay")
    drill["turn"][0] = {"model": "Hi"}
    path, library = check(pack_doc("roleplays", drills=[drill]))
    assert single_problem(library) == (
        f"{path}: drill 'call' turn #1: key 'buyer': missing; expected text"
    )


def test_twenty_turns_are_fine(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    turns = [{"buyer": f"Line {n}"} for n in range(20)]
    _, library = check(
        pack_doc("roleplays", drills=[drill_doc("call", kind="roleplay", turn=turns)])
    )
    assert library.problems == []
    assert len(library.packs["roleplays"].drills[0].turns) == 20


def test_objection_with_turns(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    drill = drill_doc("budget", turn=[{"buyer": "Hi"}])
    path, library = check(pack_doc("kinds", drills=[drill]))
    assert single_problem(library) == (
        f"{path}: drill 'budget': key 'turn': only a drill of kind 'roleplay' has "
        "[[drill.turn]] entries"
    )


@pytest.mark.parametrize("kind", ["objection", "question", "pitch"])
def test_non_roleplay_without_prompt(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc, kind: str
) -> None:
    path, library = check(pack_doc("kinds", drills=[drill_doc("budget", kind=kind, prompt=None)]))
    assert (
        single_problem(library) == f"{path}: drill 'budget': key 'prompt': missing; expected text"
    )


def test_every_problem_of_a_drill_is_reported(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    drill = drill_doc("budget", title=1, key_points=[], time_limit=0, colour="red")
    path, library = check(pack_doc("many", drills=[drill]))
    keys = sorted((problem.key for problem in library.problems), key=str)
    assert keys == ["colour", "key_points", "time_limit", "title"]
    assert all(problem.file == path for problem in library.problems)
    assert all(problem.where == "drill 'budget'" for problem in library.problems)


# --- several files


def test_good_pack_next_to_bad_pack(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("good", drills=[drill_doc("one"), drill_doc("two")]))
    bad = write_pack(pack_doc("bad", drills=[drill_doc("one", skill="juggling")]))
    library = make_library()
    assert list(library.packs) == ["good"]
    assert [d.id for d in library.packs["good"].drills] == ["one", "two"]
    assert [problem.file for problem in library.problems] == [bad]


def test_pack_defined_skill_and_rubric(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    doc = pack_doc(
        "renewals",
        rubric="renewal-call",
        drills=[
            drill_doc("budget", skill="renewal-math"),
            drill_doc("value", rubric="renewal-call"),
        ],
    )
    doc["skill"] = [{"id": "renewal-math", "title": "Renewal maths"}]
    doc["rubric"] = [
        {
            "id": "renewal-call",
            "title": "Renewal call",
            "criterion": [{"id": "recap", "title": "Recaps value delivered"}],
        }
    ]
    _, library = check(doc)
    assert library.problems == []
    assert library.skills["renewal-math"].title == "Renewal maths"
    rubric = library.rubric_for(library.packs["renewals"].drills[0])
    assert rubric is not None and rubric.id == "renewal-call"
    assert [c.id for c in rubric.criteria] == ["recap"]


def test_pack_skill_clashing_with_shared_skill(check: Check, pack_doc: PackDoc) -> None:
    doc = pack_doc("clash")
    doc["skill"] = [{"id": "discovery", "title": "My discovery"}]
    path, library = check(doc)
    assert single_problem(library) == (
        f"{path}: skill 'discovery': key 'id': duplicate skill id (already defined)"
    )
    assert library.skills["discovery"].title == "Discovery"
    assert library.packs == {}


def test_replaces_a_drill_still_in_the_pack(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    doc = pack_doc("renames", drills=[drill_doc("old"), drill_doc("new", replaces=["old"])])
    path, library = check(doc)
    assert single_problem(library) == (
        f"{path}: drill 'new': key 'replaces': 'old' is still a drill of this pack; "
        "replace only removed drills"
    )
    assert library.packs == {}


def test_replaces_a_drill_still_in_another_pack(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("alpha", drills=[drill_doc("old")]))
    beta = write_pack(pack_doc("beta", drills=[drill_doc("new", replaces=["alpha/old"])]))
    library = make_library()
    problem = single_problem(library)
    assert problem.startswith(f"{beta}: drill 'new': key 'replaces': 'alpha/old' is still a drill")
    assert list(library.packs) == ["alpha"]


def test_two_drills_of_a_pack_claiming_the_same_old_id(
    check: Check, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    doc = pack_doc(
        "renames",
        drills=[drill_doc("new-a", replaces=["old"]), drill_doc("new-b", replaces=["old"])],
    )
    path, library = check(doc)
    assert single_problem(library) == (
        f"{path}: drill 'new-b': key 'replaces': 'renames/old' is already replaced by renames/new-a"
    )
    assert library.packs == {}


def test_two_packs_claiming_the_same_old_id(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("alpha", drills=[drill_doc("new", replaces=["legacy/old"])]))
    beta = write_pack(pack_doc("beta", drills=[drill_doc("new", replaces=["legacy/old"])]))
    library = make_library()
    assert single_problem(library) == (
        f"{beta}: drill 'new': key 'replaces': 'legacy/old' is already replaced by alpha/new"
    )
    assert list(library.packs) == ["alpha"]


def test_bad_replaces_id(check: Check, pack_doc: PackDoc, drill_doc: DrillDoc) -> None:
    path, library = check(pack_doc("renames", drills=[drill_doc("new", replaces=["Old Drill"])]))
    assert single_problem(library) == (
        f"{path}: drill 'new': key 'replaces': expected ids like 'old-drill' or "
        "'pack/old-drill', got 'Old Drill'"
    )


# --- validate_files


def test_validate_files_reports_every_file(
    write_pack: WritePack, pack_doc: PackDoc, drill_doc: DrillDoc, tmp_path: Path
) -> None:
    good = write_pack(pack_doc("good"))
    bad = write_pack(pack_doc("bad", drills=[drill_doc("x", kind="riddle")]))
    syntax = write_pack("format = 1\n[pack\n", name="syntax.toml")
    library = validate_files([good, bad, syntax])
    assert list(library.packs) == ["good"]
    assert {problem.file for problem in library.problems} == {bad, syntax}


def test_validate_files_on_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    library = validate_files([empty])
    assert single_problem(library) == f"{empty}: no *.toml pack files in this folder"


def test_validate_files_on_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    assert single_problem(validate_files([missing])) == f"{missing}: file not found"


def test_non_toml_files_are_ignored(
    packs_dir: Path, make_library: MakeLibrary, write_pack: WritePack, pack_doc: PackDoc
) -> None:
    write_pack(pack_doc("real"))
    (packs_dir / "README.md").write_text("# not a pack\n", encoding="utf-8")
    (packs_dir / "notes.txt").write_text("nope = [", encoding="utf-8")
    library = make_library()
    assert library.problems == []
    assert list(library.packs) == ["real"]


# --- loading content never writes to the store


def test_loading_content_never_touches_the_store(
    drillcoach_home: Path,
    write_pack: WritePack,
    pack_doc: PackDoc,
    packs_dir: Path,
    open_store: OpenStore,
    drill_doc: DrillDoc,
) -> None:
    paths = resolve_paths()
    good = write_pack(pack_doc("good"))
    write_pack(pack_doc("bad", drills=[drill_doc("x", skill="nope")]))
    validate_files([good, packs_dir])
    load_library([(packs_dir, "folder")])
    load_packs(paths, Config())
    # the only thing written is the parse cache, never a database
    assert sorted(p.name for p in drillcoach_home.iterdir()) == ["cache"]
    assert [p.name for p in (drillcoach_home / "cache").iterdir()] == ["library.marshal"]

    open_store().close()
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in drillcoach_home.rglob("*")
              if p.is_file()}  # fmt: skip
    validate_files([good, packs_dir])
    load_packs(paths, Config())
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in drillcoach_home.rglob("*")
             if p.is_file()}  # fmt: skip
    assert after == before


def test_path_through_a_file_cannot_be_read(tmp_path: Path) -> None:
    # The OSError branch, reachable even as root: a "folder" that is really a file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    path = blocker / "pack.toml"
    problem = single_problem(validate_files([path]))
    assert problem == f"{path}: cannot read the file (Not a directory)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_named_like_a_pack_file_does_not_hang(
    packs_dir: Path, make_library: MakeLibrary
) -> None:
    pipe = packs_dir / "pipe.toml"
    os.mkfifo(pipe)
    library = make_library()  # reading a FIFO would block forever
    assert single_problem(library) == f"{pipe}: expected a TOML file, found something else"


def test_device_file_is_refused_not_read(tmp_path: Path) -> None:
    device = Path("/dev/zero")
    if not device.exists():
        pytest.skip("no /dev/zero here")
    library = validate_files([device])  # reading it would never end
    assert single_problem(library) == f"{device}: expected a TOML file, found something else"
