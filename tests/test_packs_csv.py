"""``packs import FILE.csv`` and ``packs export PACK --format csv``: a spreadsheet with a
row per drill becomes a pack checked as the loader checks one, bad rows are told by row
and column with nothing written, and a pack goes to a sheet and back without a loss."""

from __future__ import annotations

import codecs
import csv
import io
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from drillcoach.config import load_config, resolve_paths
from drillcoach.content import Drill, Library, builtin_root
from drillcoach.content.spreadsheet import COLUMNS, column_letter
from drillcoach.services import load_packs, open_services
from helpers import one_line
from helpers import run_cli as run

TEMPLATE = builtin_root() / "content" / "pack-template.csv"
HEADER = [*COLUMNS, "turn_1_buyer", "turn_1_model", "turn_2_buyer", "turn_2_model"]


def loaded() -> Library:
    """Every pack the profile in DRILLCOACH_HOME loads, read afresh."""
    paths = resolve_paths(None)
    return load_packs(paths, load_config(paths))


def same_drill(drill: Drill) -> Drill:
    """A drill with its pack left out, to compare drills of two packs field by field."""
    return replace(drill, pack_id="")


def sheet(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    """A CSV file written as a spreadsheet saves one: a header row, then a row per drill."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([row.get(name, "") for name in header] for row in rows)
    return path


def objection(**cells: str) -> dict[str, str]:
    row = {
        "id": "price-too-high",
        "kind": "objection",
        "skill": "objection-handling",
        "title": "Your price is too high",
        "prompt": "You're thirty percent above what we budgeted.",
        "key_points": "Acknowledges the concern\nAsks what the budget is based on",
        "model_answer": "Thanks for saying so. What is the budget figure based on?",
        "time_limit": "45",
    }
    row.update(cells)
    return row


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# --- round trips


def test_the_template_imports_and_exports_to_the_same_bytes(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "packs", "import", str(TEMPLATE), "--id", "template", "--title", "Template"
    )
    assert (code, err) == (0, "")
    written = drillcoach_home / "packs" / "template.toml"
    assert out.startswith(f"wrote {written}: 4 drills from ")
    pack = loaded().packs["template"]
    assert [drill.kind for drill in pack.drills] == ["objection", "question", "roleplay", "written"]
    assert len(pack.drills[2].turns) == 3
    assert pack.drills[3].word_limit == 150
    back = tmp_path / "back.csv"
    code, _, err = run(capsys, "packs", "export", "template", "--format", "csv", "--out", str(back))
    assert (code, err) == (0, "")
    assert back.read_bytes() == TEMPLATE.read_bytes()


def test_the_template_rows_pass_the_content_lint(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["packs", "import", str(TEMPLATE), "--id", "template", "--title", "Template"]
    assert run(capsys, *argv)[0] == 0
    code, out, err = run(capsys, "packs", "lint", "--pack", "template")
    assert (code, err) == (0, ""), out
    assert "no findings" in out


@pytest.mark.parametrize(
    ("kind", "pack_id"),
    [
        ("objection", "objections-core"),
        ("question", "discovery"),
        ("pitch", "value-pitch"),
        ("roleplay", "negotiation"),
        ("written", "security-legal-ai"),
    ],
)
def test_a_built_in_pack_goes_to_csv_and_back_without_a_loss(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, pack_id: str
) -> None:
    original = loaded().packs[pack_id]
    assert kind in {drill.kind for drill in original.drills}
    first = tmp_path / "first.csv"
    code, _, err = run(capsys, "packs", "export", pack_id, "--out", str(first))
    assert (code, err) == (0, "")
    assert first.read_bytes().startswith(codecs.BOM_UTF8)  # so Excel reads it as UTF-8

    argv = ["packs", "import", str(first), "--id", "copy", "--title", original.title]
    code, _, err = run(capsys, *argv, "--rubric", original.rubric or "laer")
    assert (code, err) == (0, "")
    copy = loaded().packs["copy"]  # pack -> CSV -> pack: every field of every drill
    assert [same_drill(drill) for drill in copy.drills] == [
        same_drill(drill) for drill in original.drills
    ]

    second = tmp_path / "second.csv"  # CSV -> pack -> CSV: the same file
    code, _, err = run(capsys, "packs", "export", "copy", "--out", str(second))
    assert (code, err) == (0, "")
    assert second.read_bytes() == first.read_bytes()


def test_cells_with_quotes_commas_line_breaks_and_accents_survive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answer = 'Je comprends, "trop cher" par rapport à quoi ?\n\nAsk: what\'s the budget, €?'
    rows = [
        objection(
            title='"Trop cher", says the CFO',
            persona="Zoë Fernández, CFO, Ørsted-Müller GmbH",
            situation="Line one, with a comma\nLine two; 20% off — “asked twice”",
            key_points='Says "thank you", first\nAsks: "compared with what?"\nNo discount 🙅',
            model_answer=answer,
            tags="price, budget\nnégociation",
        ),
        {
            "id": "gatekeeper",
            "kind": "roleplay",
            "skill": "prospecting",
            "title": "Gatekeeper",
            "key_points": "Name and company first",
            "turn_1_buyer": "Alex's office, \"who's calling\"?",
            "turn_1_model": "Hi, it's Sam, Northwind.\nIs Alex around?",
            "turn_2_buyer": "Regarding?",
        },
    ]
    path = sheet(tmp_path / "tricky.csv", rows)
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "tricky", "--title", "T")
    assert (code, err) == (0, "")
    first, second = loaded().packs["tricky"].drills
    assert first.title == '"Trop cher", says the CFO'
    assert first.persona == "Zoë Fernández, CFO, Ørsted-Müller GmbH"
    assert first.situation == "Line one, with a comma\nLine two; 20% off — “asked twice”"
    assert first.key_points == ('Says "thank you", first', 'Asks: "compared with what?"',
                                "No discount 🙅")  # fmt: skip
    assert first.model_answer == answer
    assert first.tags == ("price, budget", "négociation")
    assert [(turn.buyer, turn.model) for turn in second.turns] == [
        ("Alex's office, \"who's calling\"?", "Hi, it's Sam, Northwind.\nIs Alex around?"),
        ("Regarding?", ""),
    ]
    code, out, err = run(capsys, "packs", "export", "tricky", "--format", "csv")
    assert (code, err) == (0, "")
    assert not out.startswith("\ufeff")  # printed for a pipe: no byte-order mark
    written = rows_of(path.read_text(encoding="utf-8"))
    assert rows_of(out) == written


def test_a_sheet_saved_with_a_byte_order_mark_and_crlf_line_ends(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As Excel's 'CSV UTF-8' saves it on Windows: a BOM, \\r\\n after each row, a line
    break inside a cell; headings as an author types them."""
    text = (
        "ID,Kind,Skill,Title,Prompt,Key points,Model answer,Time limit,Situation\r\n"
        'no-budget,objection,objection-handling,No budget,"We\'re out of budget, sorry.",'
        '"Acknowledges it\r\nAsks how unplanned spend is approved","Fair enough.\r\nHow does '
        'unplanned spend get approved?",60,"Saved on an old Mac:\rits line break"\r\n'
        ",,,,,,,,\r\n"  # the empty row a spreadsheet leaves at the end
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "excel", "--title", "Excel")
    assert (code, err) == (0, "")
    (drill,) = loaded().packs["excel"].drills
    assert drill.id == "no-budget"
    assert drill.prompt == "We're out of budget, sorry."
    assert drill.key_points == ("Acknowledges it", "Asks how unplanned spend is approved")
    assert drill.model_answer == "Fair enough.\nHow does unplanned spend get approved?"
    assert drill.time_limit == 60
    assert drill.situation == "Saved on an old Mac:\nits line break"


def test_a_sheet_saved_with_semicolons(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Excel in a German or French locale separates cells with semicolons (LibreOffice
    quotes every heading too)."""
    path = tmp_path / "semicolons.csv"
    path.write_text(
        '"id";"kind";"skill";"title";"prompt";"key_points"\n'
        "too-expensive;objection;objection-handling;Zu teuer;"
        "Zu teuer, ehrlich gesagt.;Fragt nach\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "de", "--title", "DE")
    assert (code, err) == (0, "")
    assert loaded().packs["de"].drills[0].prompt == "Zu teuer, ehrlich gesagt."


# --- bad input: every bad row, by row and column, and nothing written


def test_bad_rows_are_told_by_row_and_column_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    rows = [
        objection(model_answer="Two lines\nin one cell, so rows are not file lines"),
        objection(id="no-budget", skill="objection-handlin"),
        objection(id="stall", time_limit="sixty"),
        {"id": "chat", "kind": "roleplay", "skill": "prospecting", "title": "Chat",
         "prompt": "A prompt", "key_points": "Asks", "turn_2_buyer": "Hello?"},
        objection(id="recap", kind="written"),
        objection(),
        objection(id="Bad Id", key_points=""),
    ]  # fmt: skip
    path = sheet(tmp_path / "bad.csv", rows)
    code, out, err = run(capsys, "packs", "import", str(path), "--id", "bad", "--title", "Bad")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    letter = {name: column_letter(HEADER.index(name)) for name in HEADER}
    expected = [
        (3, "skill", "unknown skill 'objection-handlin'"),
        (4, "time_limit", "expected a whole number from 5 to 600, got 'sixty'"),
        (5, "prompt", "a roleplay has no prompt"),
        (5, "turn_1_buyer", "empty; expected text"),
        (6, "word_limit", "empty; a written drill needs a word limit"),
        (7, "id", "duplicate drill id 'price-too-high' (row 2 has it too)"),
        (8, "id", "expected an id of lowercase letters"),
        (8, "key_points", "empty; expected 1 to 12 entries (one per line in the cell)"),
    ]
    assert len(lines) == len(expected), err
    for line, (row, column, words) in zip(lines, expected, strict=True):
        assert line.startswith(
            f"drillcoach: {path}: row {row}, column {letter[column]} ({column}): "
        )
        assert words in line
    assert not (drillcoach_home / "packs").exists()


def test_a_bad_header_names_the_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    header = ["id", "kind", "skil", "title", "key_points", "prompt"]
    path = sheet(tmp_path / "header.csv", [objection()], header)
    code, out, err = run(capsys, "packs", "import", str(path), "--id", "h", "--title", "H")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"drillcoach: {path}: row 1, column C: unknown column 'skil' (columns: "
        f"{', '.join(COLUMNS)}, turn_1_buyer, turn_1_model, ...)",
        f"drillcoach: {path}: row 1: missing the column 'skill'",
    ]


def test_a_file_that_is_not_utf8_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "id,kind,skill,title,key_points\nx,objection,closing,Café,A\n".encode("cp1252")
    )
    code, out, err = run(capsys, "packs", "import", str(path), "--id", "l", "--title", "L")
    assert (code, out) == (2, "")
    one_line(err, str(path), "expected UTF-8 text", "CSV UTF-8")


def test_a_workbook_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "drills.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(60))  # how every .xlsx starts: a zip file
    code, out, err = run(capsys, "packs", "import", str(path), "--id", "x", "--title", "X")
    assert (code, out) == (2, "")
    one_line(err, str(path), "is a workbook, not CSV; save the sheet as CSV UTF-8")


def test_unnamed_empty_columns_are_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Spreadsheets save the empty columns right of the table as a row of commas."""
    path = sheet(tmp_path / "wide.csv", [objection()], [*HEADER, "", ""])
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "wide", "--title", "W")
    assert (code, err) == (0, "")
    path = sheet(tmp_path / "stray.csv", [{**objection(), "": "stray"}], [*HEADER, ""])
    code, out, err = run(capsys, "packs", "import", str(path), "--id", "wide2", "--title", "W")
    assert (code, out) == (2, "")
    last = column_letter(len(HEADER))
    one_line(err, f"{path}: row 2, column {last}: a value under no column name")


def test_a_pack_id_already_loaded_is_refused(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path
) -> None:
    argv = ["packs", "import", str(TEMPLATE), "--title", "Mine"]
    code, out, err = run(capsys, *argv, "--id", "objections-core")
    assert (code, out) == (2, "")
    one_line(err, "pack id 'objections-core': already loaded from", "choose another id")
    assert run(capsys, *argv, "--id", "mine")[0] == 0
    before = (drillcoach_home / "packs" / "mine.toml").read_bytes()
    code, out, err = run(capsys, *argv, "--id", "mine")
    assert (code, out) == (2, "")
    one_line(err, "pack id 'mine': already loaded from")
    assert (drillcoach_home / "packs" / "mine.toml").read_bytes() == before


def test_an_edited_sheet_replaces_its_pack_and_each_drill_keeps_its_history(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    """The manager keeps the team's objections in a sheet: edited and imported again with
    --replace, the pack is rewritten; a drill that kept its id keeps its ratings."""
    discount = objection(id="discount", title="Can you do better on price?")
    path = sheet(tmp_path / "team.csv", [objection(), discount])
    argv = ["packs", "import", str(path), "--id", "team", "--title", "Team objections"]
    assert run(capsys, *argv)[0] == 0
    services = open_services()
    try:
        services.scheduler.record_self(services.library.drill_of("team/price-too-high"), 3)
    finally:
        services.close()
    edited = objection(model_answer="Fair. What is the budget based on, and who set it?")
    added = objection(id="timing", title="Not this quarter")
    sheet(path, [edited, added])  # 'discount' dropped, 'timing' added
    code, out, err = run(capsys, *argv, "--replace")
    assert (code, err) == (0, "")
    target = drillcoach_home / "packs" / "team.toml"
    assert f"rewrote {target}: 2 drills from {path} (2 before)" in out
    drills = {drill.id: drill for drill in loaded().packs["team"].drills}
    assert list(drills) == ["price-too-high", "timing"]
    assert drills["price-too-high"].model_answer == edited["model_answer"]
    services = open_services()
    try:
        price = services.library.drill_of("team/price-too-high")
        assert services.scheduler.cards.state(price).reviews == 1  # its rating still counts
    finally:
        services.close()


def test_replace_rewrites_only_a_pack_of_your_own_and_a_bad_sheet_changes_nothing(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    argv = ["packs", "import", str(TEMPLATE), "--title", "T", "--replace"]
    code, out, err = run(capsys, *argv, "--id", "objections-core")
    assert (code, out) == (2, "")
    one_line(err, "--replace: pack 'objections-core' comes from", "only your own packs")
    code, out, err = run(capsys, *argv, "--id", "nothing-yet")
    assert (code, out) == (2, "")
    one_line(err, "--replace: no pack 'nothing-yet' is loaded; leave --replace out to add it")
    assert run(capsys, "packs", "import", str(TEMPLATE), "--id", "mine", "--title", "T")[0] == 0
    before = (drillcoach_home / "packs" / "mine.toml").read_bytes()
    bad = sheet(tmp_path / "bad.csv", [objection(kind="haiku")])
    code, out, err = run(capsys, "packs", "import", str(bad), "--id", "mine", "--title", "T",
                         "--replace")  # fmt: skip
    assert (code, out) == (2, "")
    one_line(err, f"{bad}: row 2")
    assert (drillcoach_home / "packs" / "mine.toml").read_bytes() == before


def test_an_unknown_rubric_option_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["packs", "import", str(TEMPLATE), "--id", "r", "--title", "R", "--rubric", "nope"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    one_line(err, "--rubric: no rubric 'nope' (known: ")


def test_export_refuses_a_key_point_a_cell_cannot_hold(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    """One key point per line: a key point with a line break in it would come back as two."""
    (drillcoach_home / "packs").mkdir()
    (drillcoach_home / "packs" / "odd.toml").write_text(
        textwrap.dedent(
            """\
            format = 1
            [pack]
            id = "odd"
            title = "Odd"
            version = "1"
            description = "A key point on two lines."
            [[drill]]
            id = "two-lines"
            kind = "objection"
            skill = "closing"
            title = "Two lines"
            prompt = "Well?"
            key_points = ["First half\\nsecond half"]
            """
        ),
        encoding="utf-8",
    )
    out_file = tmp_path / "odd.csv"
    code, out, err = run(capsys, "packs", "export", "odd", "--out", str(out_file))
    assert (code, out) == (2, "")
    one_line(err, "drill 'two-lines': key_points entry", "holds a line break")
    assert not out_file.exists()


def test_export_of_an_unknown_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "packs", "export", "nope", "--format", "csv")
    assert (code, out) == (2, "")
    one_line(err, "no pack 'nope' (loaded packs: ")


def test_import_and_export_do_not_import_textual(drillcoach_home: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from drillcoach.cli import main
        assert main(["packs", "import", {str(TEMPLATE)!r}, "--id", "t", "--title", "T"]) == 0
        assert main(["packs", "export", "t", "--out", {str(tmp_path / "t.csv")!r}]) == 0
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
        assert not loaded, loaded
        print("clean")
        """
    )
    env = {**os.environ, "DRILLCOACH_HOME": str(drillcoach_home)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("clean")
