"""An Anki deck brought over (content/anki.py): ``drillcoach packs import deck.txt --skill``
reads Anki's "Notes in Plain Text" export, a note a line, and writes a pack of question
drills: the front the question, the back the model answer, each line of it a key point."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillcoach.config import load_config, resolve_paths
from drillcoach.content import Library
from drillcoach.services import load_packs
from helpers import one_line
from helpers import run_cli as run

# as Anki 2.1.66 writes it: headers, HTML fields, a tags column, quotes where a field holds
# the separator, a quote or a line break
DECK = (
    "#separator:tab\n"
    "#html:true\n"
    "#tags column:3\n"
    "What does ARR stand for?\tAnnual recurring revenue<br>Leaves out one-off fees\tfinance\n"
    '"The three ""whys"" of a deal?"\t"<div>Why anything?</div><div>Why us?</div>'
    '<div>Why now?</div>"\tqualification\n'
    "Who signs above 50k?\tThe CFO&nbsp;&amp; the&nbsp;COO [sound:cfo.mp3]\t\n"
    "Who signs above 50k?\tProcurement, in a renewal\t\n"
    "Qu'est-ce qu'un <b>champion</b>?\tQuelqu'un qui vend pour vous en interne\t\n"
)


def loaded() -> Library:
    paths = resolve_paths(None)
    return load_packs(paths, load_config(paths))


def deck(tmp_path: Path, text: str = DECK, name: str = "sales.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_anki_export_becomes_a_pack_of_question_drills(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "packs", "import", str(deck(tmp_path)), "--id", "anki-sales",
                         "--title", "From Anki", "--skill", "qualification")  # fmt: skip
    assert (code, err) == (0, "")
    assert "5 drills" in out
    drills = {drill.id: drill for drill in loaded().packs["anki-sales"].drills}
    assert list(drills) == [
        "what-does-arr-stand-for", "the-three-whys-of-a-deal", "who-signs-above-50k",
        "who-signs-above-50k-2", "qu-est-ce-qu-un-champion",
    ]  # fmt: skip
    arr = drills["what-does-arr-stand-for"]
    assert (arr.kind, arr.skill, arr.title) == ("question", "qualification", arr.prompt)
    assert arr.prompt == "What does ARR stand for?"
    assert arr.model_answer == "Annual recurring revenue\nLeaves out one-off fees"
    assert arr.key_points == ("Annual recurring revenue", "Leaves out one-off fees")
    whys = drills["the-three-whys-of-a-deal"]
    assert whys.prompt == 'The three "whys" of a deal?'
    assert whys.key_points == ("Why anything?", "Why us?", "Why now?")
    signs = drills["who-signs-above-50k"]
    assert signs.model_answer == "The CFO & the COO"  # entities read, the sound left out
    assert drills["qu-est-ce-qu-un-champion"].prompt == "Qu'est-ce qu'un champion?"


def test_a_deck_without_headers_is_read_as_tab_separated_html(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Older Anki versions write no header lines: tabs, HTML."""
    path = deck(tmp_path, "Name the budget holder\tThe person who can move money<br>today\n")
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "old", "--title", "Old",
                       "--skill", "qualification")  # fmt: skip
    assert (code, err) == (0, "")
    (drill,) = loaded().packs["old"].drills
    assert drill.key_points == ("The person who can move money", "today")


def test_a_cloze_note_asks_for_what_it_hides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A cloze note's text is its question with each deletion blanked (its hint shown when
    it has one), the whole text its model answer, each hidden answer a key point."""
    text = (
        "#separator:tab\n#html:true\n#notetype column:1\n"
        "Cloze\tA champion has {{c1::power}} and {{c2::influence::who listens}}, "
        "and sells for you when {{c1::power}} is not in the room.\t<i>MEDDICC</i>\n"
        "Cloze\tThe economic buyer can {{c1::say yes alone}}\t\n"
    )
    code, _, err = run(capsys, "packs", "import", str(deck(tmp_path, text)), "--id", "cloze",
                       "--title", "Cloze", "--skill", "qualification")  # fmt: skip
    assert (code, err) == (0, "")
    champion, buyer = loaded().packs["cloze"].drills
    assert champion.prompt == (
        "A champion has [...] and [who listens], and sells for you when [...] is not in the room."
    )
    assert champion.model_answer == (
        "A champion has power and influence, and sells for you when power is not in the "
        "room.\nMEDDICC"
    )
    assert champion.key_points == ("power", "influence")
    assert "{{" not in champion.title
    assert buyer.prompt == "The economic buyer can [...]"
    assert (buyer.model_answer, buyer.key_points) == (
        "The economic buyer can say yes alone",
        ("say yes alone",),
    )


def test_a_note_without_a_back_is_told_by_its_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = deck(tmp_path, "#separator:tab\n#html:false\nA front\tA back\nLonely front\t\n")
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "bad", "--title", "Bad",
                       "--skill", "qualification")  # fmt: skip
    assert code == 2
    one_line(err, str(path), "line 4", "a note with an empty back")
    assert "bad" not in loaded().packs
    assert not (resolve_paths(None).packs_dir / "bad.toml").exists()


@pytest.mark.parametrize(
    ("skill", "fragment"),
    [(None, "--skill: an Anki deck's notes need the skill they train (active-listening, "),
     ("haggling", "--skill: no skill 'haggling' (known: active-listening, ")],
)  # fmt: skip
def test_the_skill_is_asked_for_and_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, skill: str | None, fragment: str
) -> None:
    argv = ["packs", "import", str(deck(tmp_path)), "--id", "s", "--title", "S"]
    code, _, err = run(capsys, *argv, *(["--skill", skill] if skill else []))
    assert code == 2
    one_line(err, fragment)
    assert "s" not in loaded().packs


def test_a_deck_that_is_not_utf8_is_told_how_to_export_it_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Qu'est-ce qu'un décideur?\tCelui qui signe\n".encode("latin-1"))
    code, _, err = run(capsys, "packs", "import", str(path), "--id", "latin", "--title", "L",
                       "--skill", "qualification")  # fmt: skip
    assert code == 2
    one_line(err, str(path), "byte 17 is not UTF-8", "export the deck again")
    assert "latin" not in loaded().packs
