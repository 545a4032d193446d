"""`drillcoach export` and `drillcoach import`: a rep's month of drilling (scripts/simulate.py,
fuzz off, a fixed clock) with a vision, an agreement, commitments, debriefs, a manager's
ratings and review, a sales DNA check, an undo, a suspend, a review request and a pack of
their own, exported and imported into a new home, reads the same there: the same Today,
the same progress summary, the same events in the store. Importing again adds nothing, a
merge adds only what is missing, and a conflict or a bad file writes nothing."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from drillcoach.coaching.debriefs import debriefs
from drillcoach.coaching.dna import new_check
from drillcoach.coaching.dna_file import load_dna
from drillcoach.events import (
    COACHING_TYPES,
    DebriefReview,
    ReviewRequest,
    Sharing,
    to_dict,
)
from drillcoach.portability import FORMAT, VERSION
from drillcoach.scheduling.rules import GOOD
from drillcoach.services import open_services
from drillcoach.store import Store, owned
from drillcoach.store.owned import owned_events, set_asides
from drillcoach.team.eventlog import parse_line
from helpers import FakeClock, one_line, run_cli
from teamkit import fixed_clock

ROOT = Path(__file__).resolve().parents[1]
Cli = Callable[..., tuple[int, str, str]]  # cli(home, *argv): exit code, stdout, stderr
REP = "sam"
NOW = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)  # the Saturday morning after the month
SIMULATED = ("--until", "2026-03-27", "--tz", "UTC", "--seed", "5", "--with-manager")
SUSPENDED = "objections-core/just-send-information"
UNDONE = "objections-core/price-too-high"
OWN_PACK = """\
format = 1

[pack]
id = "my-objections"
title = "Objections I heard this month"
version = "1"
description = "From the field: what buyers said on my calls."

[[drill]]
id = "locked-in"
kind = "objection"
skill = "objection-handling"
title = "Locked in with our carrier"
prompt = "We're locked in with our carrier until June — café talk, nothing more."
key_points = ["Acknowledge", "Ask what June means for them", "Offer a pilot lane"]
"""


def simulate(home: Path) -> None:
    spec = importlib.util.spec_from_file_location("simulate", ROOT / "scripts" / "simulate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while made
    spec.loader.exec_module(module)
    assert module.main(["--home", str(home), *SIMULATED]) == 0


def add_the_rest(home: Path) -> None:
    """What the month did not write: a DNA check, an undo, a suspend, a review request,
    a sharing choice, the manager's review of a debrief, a preference and a pack."""
    clock = FakeClock(NOW - timedelta(hours=1))
    services = open_services(home, clock=clock, tz=UTC)
    try:
        store, scheduler = services.store, services.scheduler
        store.add(new_check(load_dna(), {s.id: 4 for s in load_dna().statements}, REP, clock()))
        drill = services.library.drill(UNDONE)
        assert drill is not None
        rated = scheduler.record_self(drill, GOOD)
        clock.advance(minutes=1)
        assert scheduler.undo_last() == rated.event
        suspended = services.library.drill(SUSPENDED)
        assert suspended is not None
        scheduler.set_aside(suspended, "suspend")
        store.add(ReviewRequest(by=REP, at=clock(), drill_uid=UNDONE, answer="Ask first — é."))
        store.add(Sharing(by=REP, at=clock(), answers=False, debriefs=True))
        first = debriefs(store, REP)[0]
        store.add(DebriefReview(by="maria", rep=REP, at=clock(), debrief=first.id,
                                scores={"what-happened": 4}, note="Good detail."))  # fmt: skip
        services.prefs.set_answer_mode("spoken")
    finally:
        services.close()
    (home / "packs" / "my-objections.toml").write_text(OWN_PACK, encoding="utf-8")


@pytest.fixture(scope="module")
def sam_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sam's home, written once for the module: no test changes what it holds (today and
    report only bring its cards up to date)."""
    home = tmp_path_factory.mktemp("sam") / "home"
    home.mkdir()
    (home / "config.toml").write_text("fuzz = false\nnew_per_day = 7\n", encoding="utf-8")
    simulate(home)
    add_the_rest(home)
    return home


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The CLI in-process on the fixed clock: ``cli(home, *argv)`` -> (code, out, err)."""
    fixed_clock(FakeClock(NOW), monkeypatch)

    def run(home: Path, *argv: str) -> tuple[int, str, str]:
        return run_cli(capsys, "--home", str(home), *argv)

    return run


@pytest.fixture
def exported(sam_home: Path, tmp_path: Path, cli: Cli) -> Path:
    out = tmp_path / "sam-export.json"
    code, said, err = cli(sam_home, "export", "--out", str(out))
    assert (code, err) == (0, ""), err
    assert said.startswith(f"wrote {out}: ") and " events of sam, 1 pack, " in said
    return out


def stored(home: Path) -> dict[str, list[dict[str, Any]]]:
    """What the home's store holds of Sam, kind by kind, as the store reads it back."""

    def values(events: list[Any]) -> list[dict[str, Any]]:
        return [to_dict(event) for event in events]

    with Store(home / "drillcoach.db") as store:
        found = {
            "ratings": values(store.ratings(REP, include_undone=True)),
            "live ratings": values(store.ratings(REP)),
            "undos": values(store.undos(REP)),
            "set-asides": values(set_asides(store, REP)),
            "latest set-asides": values(list(store.drill_actions(REP).values())),
            "requests": values(store.requests([REP])),
            "all": sorted(values(owned_events(store, REP)), key=lambda event: event["id"]),
        }
        for kind in COACHING_TYPES:
            found[kind.TYPE] = values(store.coaching(REP, kind))
        return found


def summaries(home: Path, cli: Cli) -> tuple[str, str]:
    """`drillcoach today` and the progress summary as JSON."""
    code, today, err = cli(home, "today")
    assert (code, err) == (0, ""), err
    code, report, err = cli(home, "report", "--format", "json")
    assert (code, err) == (0, ""), err
    return today, report


def test_a_new_home_reads_the_same_after_export_and_import(
    sam_home: Path, exported: Path, tmp_path: Path, cli: Cli
) -> None:
    before = stored(sam_home)
    assert len(before["ratings"]) > 100 and before["undos"] and before["set-asides"]
    assert all(before[kind] for kind in ("vision", "agreement", "commitment", "debrief", "dna",
                                         "debrief-review", "requests"))  # fmt: skip
    new_home = tmp_path / "new-home"
    code, said, err = cli(new_home, "import", str(exported))
    assert (code, err) == (0, ""), err
    events = len(before["all"])
    assert said == (f"imported {events} events of sam, 1 pack, 3 preferences and 4 settings\n")
    assert stored(new_home) == before
    assert summaries(new_home, cli) == summaries(sam_home, cli)
    today, _ = summaries(new_home, cli)
    assert "Objections I heard this month" in today  # the rep's own pack, drilled there too
    assert (new_home / "packs" / "my-objections.toml").read_text(encoding="utf-8") == OWN_PACK
    config = (new_home / "config.toml").read_text(encoding="utf-8")
    for line in ('member = "sam"', 'name = "Sam Patel"', "fuzz = false", "new_per_day = 7"):
        assert line in config
    # and the new home exports what the first did
    again = tmp_path / "again.json"
    assert cli(new_home, "export", "--out", str(again))[0] == 0
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(
        exported.read_text(encoding="utf-8")
    )


def test_the_file_is_versioned_and_its_events_are_workspace_lines(exported: Path) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["rep"]) == (FORMAT, VERSION, REP)
    assert data["exported_at"] == "2026-03-28T09:00:00.000000+00:00"
    assert data["settings"] == {"name": "Sam Patel", "fuzz": False, "new_per_day": 7}
    assert data["preferences"]["answer_mode"] == "spoken"
    assert data["packs"] == [
        {"file": "my-objections.toml", "pack": "my-objections", "text": OWN_PACK}
    ]
    kinds = {event["type"] for event in data["events"]}
    assert {"review", "rating", "undo", "set-aside", "review-request", "sharing", "vision",
            "agreement", "commitment", "debrief", "debrief-review", "dna"} <= kinds  # fmt: skip
    for event in data["events"]:  # each reads back as the workspace reads a line
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        parsed = parse_line(line)
        assert not isinstance(parsed, str), parsed
        assert to_dict(parsed) == event
    assert [event["at"] for event in data["events"]] == sorted(e["at"] for e in data["events"])


def test_importing_twice_adds_nothing(
    sam_home: Path, exported: Path, tmp_path: Path, cli: Cli
) -> None:
    new_home = tmp_path / "new-home"
    assert cli(new_home, "import", str(exported))[0] == 0
    first = stored(new_home)
    config = (new_home / "config.toml").read_bytes()
    code, said, err = cli(new_home, "import", str(exported))
    assert (code, err) == (0, "")
    events = len(first["all"])
    assert said == (f"imported 0 events ({events} already here) of sam, 0 packs "
                    "(1 already here), 0 preferences and 0 settings\n")  # fmt: skip
    assert stored(new_home) == first
    assert (new_home / "config.toml").read_bytes() == config


def part_of(exported: Path, target: Path, keep: slice) -> list[dict[str, Any]]:
    """A copy of the export holding only the events ``keep`` picks; the events left out."""
    data = json.loads(exported.read_text(encoding="utf-8"))
    events = data["events"]
    data["events"] = events[keep]
    target.write_text(json.dumps(data), encoding="utf-8")
    return [event for event in events if event not in data["events"]]


def test_a_merge_adds_only_what_the_home_lacks(
    sam_home: Path, exported: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(owned, "_CHUNK", 7)  # the stored ids looked up in many chunks
    new_home = tmp_path / "new-home"
    half = tmp_path / "half.json"
    missing = part_of(exported, half, slice(0, None, 2))  # every other event
    assert cli(new_home, "import", str(half))[0] == 0
    code, said, err = cli(new_home, "import", str(exported))
    assert (code, err) == (0, ""), err
    total = len(stored(sam_home)["all"])
    assert said.startswith(f"imported {len(missing)} events ({total - len(missing)} already "
                           "here) of sam, 0 packs (1 already here)")  # fmt: skip
    assert stored(new_home) == stored(sam_home)
    assert summaries(new_home, cli) == summaries(sam_home, cli)


def test_a_merge_into_a_home_with_its_own_history_keeps_it(
    sam_home: Path, exported: Path, tmp_path: Path, cli: Cli
) -> None:
    """Sam drilled on a second machine before bringing the history over: both count."""
    home = tmp_path / "laptop"
    home.mkdir()
    (home / "config.toml").write_text('member = "sam"\nnew_per_day = 3\n', encoding="utf-8")
    services = open_services(home, clock=FakeClock(NOW - timedelta(minutes=30)), tz=UTC)
    try:
        drill = services.library.drill(UNDONE)
        assert drill is not None
        services.scheduler.queue()  # the cards are kept from here on
        laptop = services.scheduler.record_self(drill, GOOD).event
        services.prefs.set_answer_mode("typed")  # the export says spoken
    finally:
        services.close()
    code, said, err = cli(home, "import", str(exported))
    assert (code, err) == (0, ""), err
    assert "kept this home's settings: new_per_day" in said
    after = stored(home)
    with Store(home / "drillcoach.db") as store:
        assert store.get_setting("answer_mode") == "typed"
        assert store.get_setting("welcomed") is True  # what the home did not have
    assert to_dict(laptop) in after["ratings"]
    assert len(after["ratings"]) == len(stored(sam_home)["ratings"]) + 1
    code, out, _ = cli(home, "doctor")  # the kept cards agree with the merged history
    assert code == 0, out


def snapshot(home: Path) -> dict[str, Any]:
    """Every file of a home but the backups drillcoach makes when it opens one."""
    with Store(home / "drillcoach.db") as store:
        events = sorted(to_dict(event)["id"] for event in owned_events(store, REP))
        settings = store.query("SELECT key, value FROM settings ORDER BY key")
        kept = [(row["key"], row["value"]) for row in settings]
    files = {
        str(path.relative_to(home)): path.read_bytes()
        for path in sorted(home.rglob("*"))
        if path.is_file()
        and "backups" not in path.parts
        and "cache" not in path.parts
        and not path.name.startswith("drillcoach.db")
    }
    return {"events": events, "settings": kept, "files": files}


def test_an_event_id_stored_with_other_content_stops_the_import(
    sam_home: Path, exported: Path, tmp_path: Path, cli: Cli
) -> None:
    home = tmp_path / "home"
    half = tmp_path / "half.json"
    part_of(exported, half, slice(0, 40))
    assert cli(home, "import", str(half))[0] == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    changed = next(event for event in data["events"][:40] if event["type"] == "review")
    changed["rating"] = 1 if changed["rating"] != 1 else 4
    data["preferences"]["answer_mode"] = "typed"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    (home / "packs" / "my-objections.toml").unlink()
    before = snapshot(home)
    code, out, err = cli(home, "import", str(tampered))
    assert (code, out) == (2, "")
    one_line(err, str(tampered), changed["id"], "nothing imported")
    assert snapshot(home) == before


def test_a_pack_of_the_home_with_other_content_stops_the_import(
    exported: Path, tmp_path: Path, cli: Cli
) -> None:
    home = tmp_path / "home"
    (home / "packs").mkdir(parents=True)
    mine = home / "packs" / "objections.toml"  # another file name, the same pack id
    mine.write_text(OWN_PACK.replace("this month", "last month"), encoding="utf-8")
    assert cli(home, "packs", "list")[0] == 0  # the home opened once
    before = snapshot(home)
    code, out, err = cli(home, "import", str(exported))
    assert (code, out) == (2, "")
    one_line(err, str(exported), "pack 'my-objections'", str(mine), "nothing imported")
    assert snapshot(home) == before


def test_an_undo_of_a_rating_the_file_lacks_writes_nothing(
    exported: Path, tmp_path: Path, cli: Cli
) -> None:
    """Found while storing, inside the one transaction: it is rolled back whole."""
    data = document(exported)
    data["events"] = [event for event in data["events"] if event["type"] in ("vision", "undo")]
    undo = data["events"][-1]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(data), encoding="utf-8")
    home = tmp_path / "home"
    code, out, err = cli(home, "import", str(partial))
    assert (code, out) == (2, "")
    one_line(err, str(partial), f"event {undo['id']}", "unknown self-rating", "nothing imported")
    assert snapshot(home) == {"events": [], "settings": [], "files": {}}


def test_another_reps_home_is_refused(exported: Path, tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "bob"
    home.mkdir()
    (home / "config.toml").write_text('member = "bob"\n', encoding="utf-8")
    code, out, err = cli(home, "import", str(exported))
    assert (code, out) == (2, "")
    one_line(err, str(exported), "rep 'sam'", "'bob'")


def document(exported: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(exported.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (lambda data: "{not json", ("not JSON", "expected a drillcoach export")),
        (lambda data: {**data, "settings": {"name": "Sam \ud800"}}, ("not JSON in UTF-8",)),
        (lambda data: [], ('expected a drillcoach export ("format": "drillcoach-export")',)),
        (lambda data: {**data, "format": "anki"}, ('"format": "drillcoach-export"',)),
        (lambda data: {**data, "version": 2}, ("key 'version'", "newer drillcoach")),
        (lambda data: {**data, "version": "1"}, ("key 'version'", "whole number 1")),
        (lambda data: {**data, "extra": 1}, ("key 'extra'", "only the keys")),
        (lambda data: {k: v for k, v in data.items() if k != "events"},
         ("missing key 'events'", "expected the keys format, version")),
        (lambda data: {**data, "events": [{**data["events"][0], "at": "yesterday"}]},
         ("events[0]", "key 'at'", "ISO-8601")),
        (lambda data: {**data, "events": [{**data["events"][0], "type": "nap"}]},
         ("events[0]", "key 'type'")),
        (lambda data: {**data, "events": [{k: v for k, v in data["events"][0].items()
                                           if k != "id"}]}, ("events[0]", "missing key 'id'")),
        (lambda data: {**data, "events": [{**data["events"][0], "by": "bob"}]},
         ("events[0]", "an event of rep 'sam'")),
        (lambda data: {**data, "events": [data["events"][0], {**data["events"][0], "at":
                                          "2026-01-01T00:00:00+00:00"}]},
         ("events[1]", "each event id once")),
        (lambda data: {**data, "settings": {"new_per_day": -1}},
         ("settings.new_per_day", "whole number from 0")),
        (lambda data: {**data, "settings": {"workspace": "/srv/team"}}, ("settings.workspace",)),
        (lambda data: {**data, "preferences": {"welcomed": "yes"}},
         ("preferences.welcomed", "true or false")),
        (lambda data: {**data, "packs": [{"file": "../evil.toml", "pack": None, "text": ""}]},
         ("packs[0].file", "a file name")),
    ],
)  # fmt: skip
def test_a_bad_file_is_one_line_and_writes_nothing(
    exported: Path, tmp_path: Path, cli: Cli, change: Any, fragments: tuple[str, ...]
) -> None:
    bad = tmp_path / "bad.json"
    changed = change(document(exported))
    bad.write_text(changed if isinstance(changed, str) else json.dumps(changed), encoding="utf-8")
    home = tmp_path / "empty-home"
    code, out, err = cli(home, "import", str(bad))
    assert (code, out) == (2, "")
    one_line(err, str(bad), *fragments)
    assert not home.exists()  # the file is checked whole before the home is opened


def test_a_missing_file_or_a_folder_is_one_line(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli(tmp_path / "home", "import", str(tmp_path / "nope.json"))
    assert code == 2
    one_line(err, "nope.json", "file not found")
    code, _, err = cli(tmp_path / "home", "import", str(tmp_path))
    assert code == 2
    one_line(err, str(tmp_path), "found a folder")


def test_a_pack_file_that_is_not_text_is_left_out_with_a_warning(tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "home"
    (home / "packs").mkdir(parents=True)
    (home / "packs" / "latin1.toml").write_bytes(OWN_PACK.encode("latin-1", "replace"))
    (home / "packs" / "mine.toml").write_text(OWN_PACK, encoding="utf-8")
    code, out, err = cli(home, "export")
    assert code == 0
    one_line(err, "warning: pack file left out:", "latin1.toml", "not UTF-8 text")
    assert [pack["file"] for pack in json.loads(out)["packs"]] == ["mine.toml"]


def test_export_prints_the_file_without_out(sam_home: Path, exported: Path, cli: Cli) -> None:
    code, out, err = cli(sam_home, "export")
    assert (code, err) == (0, "")
    assert json.loads(out) == document(exported)


def test_the_commands_do_not_load_textual(exported: Path, tmp_path: Path) -> None:
    script = (
        "import sys\nfrom drillcoach.cli import main\n"
        f"assert main(['--home', {str(tmp_path / 'h')!r}, 'import', {str(exported)!r}]) == 0\n"
        f"assert main(['--home', {str(tmp_path / 'h')!r}, 'export']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "DRILLCOACH_HOME": str(tmp_path / "unused")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
