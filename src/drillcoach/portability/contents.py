"""What a rep owns in a home, gathered for ``drillcoach export``: their history as event
values, their own pack files, and the preferences and settings that are theirs (not those
of one machine, nor what can be rebuilt)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from drillcoach import __version__
from drillcoach.coaching.debriefs import SHARE_TOLD
from drillcoach.config import SETTINGS, Config, Paths, written_keys
from drillcoach.events import (
    ANSWER_MODES,
    EVENT_TYPES,
    DrillAction,
    Event,
    ManagerRating,
    ReviewRequest,
    SelfRating,
    Sharing,
    Undo,
    parse_utc,
)
from drillcoach.prefs import ANSWER_MODE, DISABLED_PACKS, VISION_ASK_AFTER, WELCOMED
from drillcoach.scheduling.cards import RENAMES
from drillcoach.scheduling.personal import PARAMETERS_KEY
from drillcoach.store import Store
from drillcoach.store.coaching import rep_of
from drillcoach.store.owned import owned_events
from drillcoach.team.feedback import NOTES_SHOWN
from drillcoach.tomlcheck import Problem, read_file

# settings of one machine, not of the rep: folders that need not exist elsewhere
MACHINE_SETTINGS = ("workspace", "pack_paths")
PACK_FILE = re.compile(r"\A[^/\\\x00-\x1f.][^/\\\x00-\x1f]{0,200}\.toml\Z")


def _list_of_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def is_utc_text(value: Any) -> bool:
    try:
        parse_utc(value)
    except (TypeError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Preference:
    """A value the store keeps for the rep (prefs.py and the modules that own it)."""

    key: str  # the store's settings key; {rep} stands for the rep's member id
    check: Callable[[Any], bool]
    expected: str


# the rep's preferences, by their name in the file; left out on purpose: what is derived
# (cards, the workspace's read and write marks) and what names rows of one database
# (which manager ratings Today has shown)
PREFERENCES: dict[str, Preference] = {
    "disabled_packs": Preference(DISABLED_PACKS, _list_of_texts, "a list of pack ids"),
    "answer_mode": Preference(
        ANSWER_MODE, lambda value: value in ANSWER_MODES, f"one of {', '.join(ANSWER_MODES)}"
    ),
    "welcomed": Preference(WELCOMED, lambda value: isinstance(value, bool), "true or false"),
    "vision_ask_after": Preference(VISION_ASK_AFTER, is_utc_text, "an ISO-8601 time"),
    "debrief_share_told": Preference(
        SHARE_TOLD, lambda value: isinstance(value, bool), "true or false"
    ),
    "notes_shown": Preference(
        NOTES_SHOWN,
        lambda value: isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
        "an object of assignment id -> date",
    ),
    "renames": Preference(
        RENAMES,
        lambda value: isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
        "an object of old drill uid -> new drill uid",
    ),
    "fsrs_parameters": Preference(
        PARAMETERS_KEY,
        lambda value: isinstance(value, list) and all(isinstance(v, dict) for v in value),
        "a list of objects (each fit applied or undone)",
    ),
}


@dataclass(frozen=True)
class PackFile:
    """One of the rep's own pack files, as text."""

    file: str  # its name in the packs folder
    text: str
    pack: str | None  # the id its [pack] table gives, when it can be read


@dataclass(frozen=True)
class Export:
    """What one export holds."""

    rep: str
    exported_at: datetime
    drillcoach: str
    settings: Mapping[str, Any]
    preferences: Mapping[str, Any]
    packs: tuple[PackFile, ...]
    events: tuple[Event, ...]
    skipped: tuple[str, ...] = ()  # pack files left out, and why (not read when imported)


_ORDER = {kind: number for number, kind in enumerate(EVENT_TYPES.values())}


def gather(store: Store, paths: Paths, config: Config, now: datetime) -> Export:
    """Everything ``config.member`` owns in this home."""
    rep = config.member
    events = sorted(owned_events(store, rep), key=lambda event: (event.at, _ORDER[type(event)]))
    written = written_keys(paths)
    settings = {
        key: getattr(config, key)
        for key in SETTINGS
        if key != "member" and key not in MACHINE_SETTINGS and (key == "name" or key in written)
    }
    preferences: dict[str, Any] = {}
    for name, preference in PREFERENCES.items():
        value = store.get_setting(preference.key.format(rep=rep))
        if value is not None:
            preferences[name] = value
    packs, skipped = pack_files(paths.packs_dir)
    return Export(rep, now, __version__, settings, preferences, packs, tuple(events), skipped)


def pack_files(folder: Path) -> tuple[tuple[PackFile, ...], tuple[str, ...]]:
    """The pack files of a rep's packs folder, and those that cannot be carried (and why):
    a file that cannot be read as UTF-8 text, or whose name is not a plain one."""
    packs: list[PackFile] = []
    skipped: list[str] = []
    names = sorted(path.name for path in folder.glob("*.toml")) if folder.is_dir() else []
    for name in names:
        text = _pack_text(folder / name)
        if isinstance(text, Problem):
            skipped.append(f"{folder / name}: {text.message}")
        elif not PACK_FILE.fullmatch(name):
            skipped.append(f"{folder / name}: a hidden file or an unusual name; not exported")
        else:
            packs.append(PackFile(name, text, _pack_id(text)))
    return tuple(packs), tuple(skipped)


def _pack_text(path: Path) -> str | Problem:
    problems: list[Problem] = []
    raw = read_file(path, problems)
    if raw is None:
        return problems[0]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Problem(path, "not UTF-8 text")


def _pack_id(text: str) -> str | None:
    try:
        pack = tomllib.loads(text).get("pack")
    except tomllib.TOMLDecodeError:
        return None
    found = pack.get("id") if isinstance(pack, dict) else None
    return found if isinstance(found, str) else None


def whose(event: Event) -> str:
    """The rep whose history an event is part of."""
    if isinstance(event, SelfRating | ManagerRating):
        return event.rep
    if isinstance(event, DrillAction | Undo | ReviewRequest | Sharing):
        return event.by
    return rep_of(event)
