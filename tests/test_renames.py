"""Renames and collisions: a drill's ``replaces`` is sound, ``packs validate`` checks files
beside the loaded packs and says which history goes where, ``packs new`` refuses a taken
id, and a pack folder that cannot be read is a problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w

import drillcoach.fileio
from drillcoach.content import Library, load_library, validate_files
from helpers import DrillDoc, MakeLibrary, PackDoc, WritePack
from helpers import run_cli as run


def messages(library: Library) -> list[str]:
    return [str(problem) for problem in library.problems]


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def mine(drillcoach_home: Path) -> Path:
    """The profile's own packs folder, which drillcoach loads."""
    return drillcoach_home / "packs"


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, bytes | str]]:
    """Every pack file written through the atomic-write helper (which also writes the
    parse cache); each write happens as asked."""
    calls: list[tuple[Path, bytes | str]] = []

    def write_atomic(path: Path, data: bytes | str) -> None:
        if path.suffix == ".toml":
            calls.append((path, data))
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    monkeypatch.setattr(drillcoach.fileio, "write_atomic", write_atomic)
    return calls


# --- 1. replaces names other drills, each once


TWICE = "is listed more than once; list each drill once"
ITSELF = "is this drill's own id; replace only removed drills"


@pytest.mark.parametrize(
    ("replaces", "expected"),
    [
        (["old", "old"], f"'old' {TWICE}"),
        (["old", "old", "old"], f"'old' {TWICE}"),
        (
            ["old", "renames/old"],
            "'old' and 'renames/old' name the same drill; list each drill once",
        ),
        (["legacy/x", "other", "legacy/x"], f"'legacy/x' {TWICE}"),
        (["new"], f"'new' {ITSELF}"),
        (["renames/new"], f"'renames/new' {ITSELF}"),
    ],
)
def test_replaces_lists_other_drills_each_once(
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    replaces: list[str],
    expected: str,
) -> None:
    good = write_pack(pack_doc("good"))
    path = write_pack(pack_doc("renames", drills=[drill_doc("new", replaces=replaces)]))
    library = make_library()
    assert messages(library) == [f"{path}: drill 'new': key 'replaces': {expected}"]
    assert [pack.path for pack in library.packs.values()] == [good]


def test_a_drill_listing_itself_among_others_is_one_problem(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    doc = pack_doc("renames", drills=[drill_doc("new", replaces=["older", "new", "new"])])
    path = write_pack(doc)
    assert messages(make_library()) == [
        f"{path}: drill 'new': key 'replaces': 'new' is this drill's own id; "
        "replace only removed drills"
    ]


# --- 2. packs validate says which history goes where


def test_validate_lists_each_rename_after_the_ok_line(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    path = write_pack(
        pack_doc(
            "renewals",
            drills=[
                drill_doc("new-name", replaces=["old-name", "legacy/first-name"]),
                drill_doc("kept"),
            ],
        )
    )
    code, out, err = run(capsys, "packs", "validate", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "ok: 1 pack(s), 2 drills, no problems",
        "renewals/new-name takes the history of renewals/old-name",
        "renewals/new-name takes the history of legacy/first-name",
    ]


def test_validate_lists_renames_after_the_problems(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    good = write_pack(pack_doc("renewals", drills=[drill_doc("new-name", replaces=["old-name"])]))
    bad = write_pack(pack_doc("bad", drills=[drill_doc("x", replaces=["gone", "gone"])]))
    code, out, err = run(capsys, "packs", "validate", str(good), str(bad))
    assert code == 2
    assert out.splitlines() == [
        f"{bad}: drill 'x': key 'replaces': 'gone' is listed more than once; list each drill once",
        "renewals/new-name takes the history of renewals/old-name",
    ]
    assert err == "1 problem(s) in 1 file(s); 1 pack(s) with 1 drills are fine\n"


def test_validate_without_paths_lists_the_renames_of_every_loaded_pack(
    capsys: pytest.CaptureFixture[str],
    library: Library,
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    mine: Path,
) -> None:
    doc = pack_doc("renewals", drills=[drill_doc("new-name", replaces=["old-name"])])
    write_pack(doc, folder=mine)
    code, out, err = run(capsys, "packs", "validate")
    drills = sum(len(pack.drills) for pack in library.packs.values()) + 1
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"ok: {len(library.packs) + 1} pack(s), {drills} drills, no problems",
        "renewals/new-name takes the history of renewals/old-name",
    ]


# --- 3. packs validate PATH checks the files beside every loaded pack


def test_validate_a_file_whose_pack_id_is_a_built_in_pack(
    capsys: pytest.CaptureFixture[str],
    library: Library,
    write_pack: WritePack,
    pack_doc: PackDoc,
) -> None:
    path = write_pack(pack_doc("objections-core"))
    code, out, err = run(capsys, "packs", "validate", str(path))
    builtin = library.packs["objections-core"].path
    assert code == 2
    assert out.splitlines() == [
        f"{path}: [pack]: key 'id': duplicate pack id (already loaded from {builtin})"
    ]
    assert err == "1 problem(s) in 1 file(s); 0 pack(s) with 0 drills are fine\n"
    assert validate_files([path]).problems == []  # on its own it is fine


def test_validate_a_file_whose_pack_id_is_one_of_my_packs(
    capsys: pytest.CaptureFixture[str], write_pack: WritePack, pack_doc: PackDoc, mine: Path
) -> None:
    loaded = write_pack(pack_doc("renewals"), folder=mine)
    path = write_pack(pack_doc("renewals"))
    code, out, _ = run(capsys, "packs", "validate", str(path))
    assert code == 2
    assert out.splitlines() == [
        f"{path}: [pack]: key 'id': duplicate pack id (already loaded from {loaded})"
    ]


def test_validate_a_file_that_replaces_a_drill_still_loaded(
    capsys: pytest.CaptureFixture[str],
    library: Library,
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    kept = library.packs["objections-core"].drills[0].uid
    path = write_pack(pack_doc("renewals", drills=[drill_doc("new", replaces=[kept])]))
    code, out, _ = run(capsys, "packs", "validate", str(path))
    assert code == 2
    assert out.splitlines() == [
        f"{path}: drill 'new': key 'replaces': '{kept}' is still a drill of pack "
        "'objections-core'; replace only removed drills"
    ]


def test_validate_a_file_that_replaces_what_a_loaded_pack_replaces(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    mine: Path,
) -> None:
    write_pack(pack_doc("alpha", drills=[drill_doc("new", replaces=["legacy/old"])]), folder=mine)
    path = write_pack(pack_doc("beta", drills=[drill_doc("newer", replaces=["legacy/old"])]))
    code, out, _ = run(capsys, "packs", "validate", str(path))
    assert code == 2
    assert out.splitlines() == [
        f"{path}: drill 'newer': key 'replaces': 'legacy/old' is already replaced by alpha/new"
    ]


def test_a_loaded_file_does_not_collide_with_itself(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    mine: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    doc = pack_doc(
        "renewals",
        drills=[drill_doc("new", replaces=["old"])],
        rubric="own-rubric",
    )
    doc["skill"] = [{"id": "own-skill", "title": "Own skill"}]
    doc["rubric"] = [
        {"id": "own-rubric", "title": "Own rubric", "criterion": [{"id": "c", "title": "C"}]}
    ]
    path = write_pack(doc, folder=mine)
    link = tmp_path / "link.toml"
    link.symlink_to(path)
    monkeypatch.chdir(mine)
    ok = [
        "ok: 1 pack(s), 1 drills, no problems",
        "renewals/new takes the history of renewals/old",
    ]
    for given in ([str(path)], ["renewals.toml"], [str(link)], [str(path), str(mine)]):
        code, out, err = run(capsys, "packs", "validate", *given)
        assert (code, out.splitlines(), err) == (0, ok, ""), given


def test_validate_reports_only_the_given_files(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    mine: Path,
) -> None:
    broken = write_pack(pack_doc("broken", drills=[drill_doc("x", skill="juggling")]), folder=mine)
    path = write_pack(pack_doc("renewals"))
    code, out, _ = run(capsys, "packs", "validate", str(path))
    assert (code, out) == (0, "ok: 1 pack(s), 1 drills, no problems\n")
    code, out, _ = run(capsys, "packs", "validate", str(broken))
    assert code == 2
    assert out.startswith(f"{broken}: drill 'x': key 'skill': unknown skill 'juggling'")


def test_validate_a_loaded_file_in_its_place(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    mine: Path,
    drillcoach_home: Path,
    tmp_path: Path,
) -> None:
    # mine loads before the pack_paths folder: mine wins, the later one is refused
    extra = tmp_path / "extra"
    first = write_pack(pack_doc("renewals"), folder=mine)
    second = write_pack(pack_doc("renewals"), folder=extra)
    config = {"pack_paths": [str(extra)]}
    (drillcoach_home / "config.toml").write_text(tomli_w.dumps(config), encoding="utf-8")
    code, out, _ = run(capsys, "packs", "validate")
    duplicate = f"{second}: [pack]: key 'id': duplicate pack id (already loaded from {first})"
    assert code == 2
    assert out.splitlines()[0] == duplicate
    assert run(capsys, "packs", "validate", str(first))[:2] == (
        0,
        "ok: 1 pack(s), 1 drills, no problems\n",
    )
    code, out, _ = run(capsys, "packs", "validate", str(second))
    assert (code, out.splitlines()) == (2, [duplicate])


def test_validate_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    drillcoach_home: Path,
) -> None:
    path = write_pack(pack_doc("objections-core"))
    run(capsys, "packs", "validate")  # leaves the parse cache behind
    before = files_under(drillcoach_home)
    assert run(capsys, "packs", "validate", str(path))[0] == 2
    assert files_under(drillcoach_home) == before


# --- 4. packs new refuses a taken id


def test_packs_new_refuses_the_id_of_a_built_in_pack(
    capsys: pytest.CaptureFixture[str],
    library: Library,
    mine: Path,
    tmp_path: Path,
    written: list[tuple[Path, bytes | str]],
) -> None:
    builtin = library.packs["objections-core"].path
    expected = (
        f"drillcoach: pack id 'objections-core': already loaded from {builtin}; choose another id\n"
    )
    out_file = tmp_path / "elsewhere" / "x.toml"
    for extra in ([], ["--out", str(out_file)]):
        code, out, err = run(capsys, "packs", "new", "objections-core", *extra)
        assert (code, out, err) == (2, "", expected)
    assert written == []
    assert not mine.exists()
    assert not out_file.parent.exists()


def test_packs_new_refuses_the_id_of_one_of_my_packs(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    mine: Path,
    written: list[tuple[Path, bytes | str]],
) -> None:
    loaded = write_pack(pack_doc("renewals"), name="team-renewals.toml", folder=mine)
    before = files_under(mine)
    code, out, err = run(capsys, "packs", "new", "renewals")
    assert (code, out) == (2, "")
    assert err == (
        f"drillcoach: pack id 'renewals': already loaded from {loaded}; choose another id\n"
    )
    assert written == []
    assert files_under(mine) == before


def test_packs_new_refuses_an_id_with_a_trailing_newline(
    capsys: pytest.CaptureFixture[str], mine: Path, written: list[tuple[Path, bytes | str]]
) -> None:
    code, out, err = run(capsys, "packs", "new", "renewals\n")
    assert (code, out) == (2, "")
    assert err.startswith("drillcoach: pack id 'renewals\n': expected lowercase letters")
    assert written == []
    assert not mine.exists()


def test_packs_new_writes_through_the_atomic_helper(
    capsys: pytest.CaptureFixture[str], mine: Path, written: list[tuple[Path, bytes | str]]
) -> None:
    code, out, _ = run(capsys, "packs", "new", "renewals")
    target = mine / "renewals.toml"
    assert code == 0
    assert out.splitlines()[0] == f"wrote {target}"
    assert [path for path, _ in written] == [target]
    assert validate_files([target]).problems == []


def test_packs_new_knows_the_skills_of_loaded_packs(
    capsys: pytest.CaptureFixture[str],
    write_pack: WritePack,
    pack_doc: PackDoc,
    mine: Path,
    written: list[tuple[Path, bytes | str]],
) -> None:
    doc = pack_doc("renewals")
    doc["skill"] = [{"id": "renewal-talk", "title": "Renewal talk"}]
    write_pack(doc, folder=mine)
    code, _, err = run(capsys, "packs", "new", "renewals-two", "--skill", "renewal-talk")
    assert (code, err) == (0, "")
    assert [path for path, _ in written] == [mine / "renewals-two.toml"]


def test_packs_new_with_an_unknown_skill_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, written: list[tuple[Path, bytes | str]]
) -> None:
    target = tmp_path / "new" / "x.toml"
    code, out, err = run(capsys, "packs", "new", "x", "--skill", "juggling", "--out", str(target))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"drillcoach: {target}: drill 'first-objection': key 'skill': unknown skill 'juggling'"
    )
    assert err.count("\n") == 1
    assert written == []
    assert not target.parent.exists()


def test_packs_new_out_through_a_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run(capsys, "packs", "new", "x", "--out", str(blocker / "x.toml"))
    assert (code, out) == (2, "")
    in_the_way = "cannot create the folder (something of that name is in the way)"
    assert err == f"drillcoach: {blocker}: {in_the_way}\n"
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# --- 5. a pack folder that cannot be read is a problem; one not there yet is not


def test_a_file_where_a_pack_folder_should_be(
    write_pack: WritePack, pack_doc: PackDoc, tmp_path: Path
) -> None:
    good = write_pack(pack_doc("good"))
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    sources = [(good.parent, "folder"), (blocker, "folder"), (blocker / "drills", "folder")]
    library = load_library(sources)
    assert messages(library) == [
        f"{blocker}: cannot read the folder (Not a directory)",
        f"{blocker / 'drills'}: cannot read the folder (Not a directory)",
    ]
    assert list(library.packs) == ["good"]


def test_a_pack_folder_not_there_yet_is_silent(tmp_path: Path) -> None:
    library = load_library([(tmp_path / "not-yet", "mine")])
    assert (library.problems, library.packs) == ([], {})


def test_validate_reports_my_packs_folder_when_it_is_a_file(
    capsys: pytest.CaptureFixture[str], library: Library, mine: Path
) -> None:
    mine.write_text("oops", encoding="utf-8")
    code, out, err = run(capsys, "packs", "validate")
    drills = sum(len(pack.drills) for pack in library.packs.values())
    assert code == 2
    assert out == f"{mine}: cannot read the folder (Not a directory)\n"
    fine = f"{len(library.packs)} pack(s) with {drills} drills are fine"
    assert err == f"1 problem(s) in 1 file(s); {fine}\n"


# --- 6. chains of renames: x -> y, then y -> z


def test_a_chain_of_renames_loads(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("renewals", drills=[drill_doc("y", replaces=["x"])]))
    first = make_library()
    assert first.problems == []
    assert first.drill_of("renewals/y").history_uids() == ("renewals/y", "renewals/x")

    write_pack(pack_doc("renewals", drills=[drill_doc("z", replaces=["y"])]))
    later = make_library()
    assert later.problems == []
    z = later.drill_of("renewals/z")
    assert z.history_uids() == ("renewals/z", "renewals/y")  # x is the store's to follow
    assert later.drill("renewals/y") is None


def test_a_chain_across_packs_loads(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("old-pack", drills=[drill_doc("kept")]))
    write_pack(pack_doc("new-pack", drills=[drill_doc("z", replaces=["old-pack/y"])]))
    library = make_library()
    assert library.problems == []
    assert library.drill_of("new-pack/z").history_uids() == ("new-pack/z", "old-pack/y")
