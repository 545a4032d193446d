"""The export file (docs/export-format.md): a versioned JSON document whose events are
exactly the team workspace's event objects (team/eventlog.py writes and reads them), written
from an Export and read back into one, checked whole: any problem is one line naming the
file and what was expected."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drillcoach.config import SETTINGS
from drillcoach.errors import UserError
from drillcoach.events import (
    Event,
    parse_utc,
    utc_text,
)
from drillcoach.portability.contents import (
    MACHINE_SETTINGS,
    PACK_FILE,
    PREFERENCES,
    Export,
    PackFile,
    is_utc_text,
    whose,
)
from drillcoach.team.eventlog import EVENT_ID, encode, parse_line
from drillcoach.tomlcheck import MAX_FILE_BYTES, Problem, read_file

FORMAT = "drillcoach-export"
VERSION = 1
MAX_EXPORT_BYTES = 1 << 30  # a file larger than this is not one drillcoach wrote
KEYS = ("format", "version", "exported_at", "drillcoach", "rep", "settings", "preferences",
        "packs", "events")  # fmt: skip
_LONE_HALF = re.compile(rb"\\u[dD][89a-fA-F]")  # the escape of half a surrogate pair


def document(export: Export) -> dict[str, Any]:
    """The JSON document of docs/export-format.md; events as the workspace writes them
    (team/eventlog.py ``encode``), typed answers included: the copy is the rep's own."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utc_text(export.exported_at),
        "drillcoach": export.drillcoach,
        "rep": export.rep,
        "settings": dict(export.settings),
        "preferences": dict(export.preferences),
        "packs": [
            {"file": pack.file, "pack": pack.pack, "text": pack.text} for pack in export.packs
        ],
        "events": [json.loads(encode(event, share_answers=True)) for event in export.events],
    }


def dumps(export: Export) -> str:
    """The document as text: one event a line, so a diff or a grep reads it."""
    head = document(export)
    events = head.pop("events")
    text = json.dumps(head, ensure_ascii=False, indent=2)[:-2]  # without its closing "\n}"
    lines = ",\n".join(
        f"    {json.dumps(event, ensure_ascii=False, separators=(',', ':'))}" for event in events
    )
    return (
        f'{text},\n  "events": [\n{lines}\n  ]\n}}\n' if lines else f'{text},\n  "events": []\n}}\n'
    )


# --- reading one


def read_export(path: Path) -> Export:
    """The export ``path`` holds; one UserError line naming the file and what was expected."""
    problems: list[Problem] = []
    raw = read_file(path, problems, max_bytes=MAX_EXPORT_BYTES)
    if raw is None:
        raise UserError(str(problems[0]).replace("a TOML file", "a drillcoach export file"))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        if _LONE_HALF.search(raw):  # "\ud800" alone is JSON, but no text UTF-8 can hold
            json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise UserError(f"{path}: not JSON in UTF-8; expected a drillcoach export "
                        "(drillcoach export --out FILE)") from None  # fmt: skip
    return parse_document(data, str(path))


def parse_document(data: Any, source: str) -> Export:
    """``data`` checked whole as a version 1 export; ``source`` names it in the error."""

    def bad(where: str, expected: str) -> UserError:
        return UserError(f"{source}: {where}: expected {expected}")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f'{source}: expected a drillcoach export ("format": "{FORMAT}")')
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise bad("key 'version'", f"the whole number {VERSION}")
    if version > VERSION:
        raise bad("key 'version'", f"{VERSION}, got {version}: written by a newer drillcoach; "
                  "update drillcoach to import it")  # fmt: skip
    if version != VERSION:
        raise bad("key 'version'", f"{VERSION}, got {version}")
    missing = [key for key in KEYS if key not in data]
    if missing:
        raise UserError(
            f"{source}: missing key '{missing[0]}'; expected the keys {', '.join(KEYS)}"
        )
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise bad(f"key '{unknown[0]}'", f"only the keys {', '.join(KEYS)}")
    if not is_utc_text(data["exported_at"]):
        raise bad("key 'exported_at'", "an ISO-8601 time with its UTC offset")
    if not isinstance(data["drillcoach"], str):
        raise bad("key 'drillcoach'", "the version of drillcoach that wrote it, as text")
    rep = data["rep"]
    if not _valid(SETTINGS["member"].check, rep):
        raise bad("key 'rep'", "a member id like 'sam'")
    return Export(
        rep=rep,
        exported_at=parse_utc(data["exported_at"]),
        drillcoach=data["drillcoach"],
        settings=_settings(data["settings"], bad),
        preferences=_preferences(data["preferences"], bad),
        packs=_packs(data["packs"], bad),
        events=_events(data["events"], rep, bad),
    )


def _valid(check: Callable[[Any], Any], value: Any) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


Bad = Callable[[str, str], UserError]


def _settings(data: Any, bad: Bad) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise bad("key 'settings'", "an object of setting -> value")
    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS or key == "member" or key in MACHINE_SETTINGS:
            known = ", ".join(k for k in SETTINGS if k != "member" and k not in MACHINE_SETTINGS)
            raise bad(f"settings.{key}", f"one of the settings {known}")
        try:
            settings[key] = SETTINGS[key].check(value)
        except ValueError as error:
            raise bad(f"settings.{key}", str(error).removeprefix("expected ")) from None
    return settings


def _preferences(data: Any, bad: Bad) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise bad("key 'preferences'", "an object of preference -> value")
    for name, value in data.items():
        preference = PREFERENCES.get(name)
        if preference is None:
            raise bad(f"preferences.{name}", f"one of {', '.join(PREFERENCES)}")
        if not preference.check(value):
            raise bad(f"preferences.{name}", preference.expected)
    return dict(data)


def _packs(data: Any, bad: Bad) -> tuple[PackFile, ...]:
    if not isinstance(data, list):
        raise bad("key 'packs'", "a list of pack files")
    packs: list[PackFile] = []
    names: set[str] = set()
    for number, item in enumerate(data):
        where = f"packs[{number}]"
        if not isinstance(item, dict) or set(item) != {"file", "pack", "text"}:
            raise bad(where, 'an object with the keys "file", "pack" and "text"')
        name, text, pack = item["file"], item["text"], item["pack"]
        if not isinstance(name, str) or not PACK_FILE.fullmatch(name) or name in names:
            raise bad(f"{where}.file", "a file name like my-pack.toml, once")
        if not isinstance(text, str) or len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise bad(f"{where}.text", f"the pack file's text, at most {MAX_FILE_BYTES:,} bytes")
        if pack is not None and not isinstance(pack, str):
            raise bad(f"{where}.pack", "the pack's id, or null")
        names.add(name)
        packs.append(PackFile(name, text, pack))
    return tuple(packs)


def _events(data: Any, rep: str, bad: Bad) -> tuple[Event, ...]:
    if not isinstance(data, list):
        raise bad("key 'events'", "a list of events")
    events: list[Event] = []
    seen: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(data):
        where = f"events[{number}]"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            where += f" (id {item['id']})"
        parsed = parse_line(json.dumps(item, ensure_ascii=False).encode("utf-8"))
        if isinstance(parsed, str):
            raise bad(where, f"a drillcoach event ({parsed})")
        if not EVENT_ID.fullmatch(parsed.id):
            raise bad(where, "an id of letters, digits and '-' (64 at most)")
        if whose(parsed) != rep:
            raise bad(where, f"an event of rep '{rep}', got one of '{whose(parsed)}'")
        if parsed.id in seen:
            if seen[parsed.id] != item:
                raise bad(where, "each event id once (this one is given twice, differently)")
            continue
        seen[parsed.id] = item
        events.append(parsed)
    return tuple(events)
