"""Bringing an export into a home: restored into an empty one, or merged into another
without duplicates. Everything is checked against the home first (an event id or a pack
file the home holds with other content stops it); then the events, preferences, pack files
and settings are written in one transaction, all or nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillcoach.config import Config, Paths, load_config, written_keys
from drillcoach.errors import UserError
from drillcoach.events import (
    Event,
    ManagerRating,
    SelfRating,
    Undo,
)
from drillcoach.fileio import make_folder, write_atomic
from drillcoach.portability.contents import PREFERENCES, Export, PackFile, pack_files
from drillcoach.scheduling.cards import mark_stale
from drillcoach.store import Store
from drillcoach.store.encoding import micros
from drillcoach.store.owned import owned_events, stored_ids
from drillcoach.team.eventlog import digest, encode


@dataclass
class Imported:
    """What an import did (or, with nothing new, found)."""

    added: int = 0  # events
    known: int = 0  # events stored already
    packs_written: list[str] = field(default_factory=list)
    packs_known: int = 0
    preferences: int = 0
    settings: list[str] = field(default_factory=list)  # written to config.toml
    kept: list[str] = field(default_factory=list)  # settings this home had otherwise


@dataclass
class _Plan:
    events: list[Event] = field(default_factory=list)
    packs: list[PackFile] = field(default_factory=list)
    preferences: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)  # config.toml, whole, when changed


def import_export(store: Store, paths: Paths, export: Export, source: str) -> Imported:
    """Bring ``export`` into the home: what is new of it, after checking all of it against
    what the home holds; a conflict is one UserError line and nothing is written."""
    result = Imported()
    plan = _plan(store, paths, export, source, result)
    created: list[Path] = []
    try:
        with store.transaction():
            earliest = _insert(store, plan.events, export.rep, source)
            for name, value in plan.preferences.items():
                store.set_setting(PREFERENCES[name].key.format(rep=export.rep), value)
            mark_stale(store, {export.rep: earliest})
            if plan.packs:
                make_folder(paths.packs_dir)
            for pack in plan.packs:
                target = paths.packs_dir / pack.file
                write_atomic(target, pack.text)
                created.append(target)
            if plan.settings:
                import tomli_w

                make_folder(paths.config_file.parent)
                write_atomic(paths.config_file, tomli_w.dumps(plan.settings))
    except BaseException:
        for path in created:  # new files only: a pack file of the home is never replaced
            path.unlink(missing_ok=True)
        raise
    result.added = len(plan.events)
    result.packs_written = [pack.file for pack in plan.packs]
    result.preferences = len(plan.preferences)
    return result


def _plan(store: Store, paths: Paths, export: Export, source: str, result: Imported) -> _Plan:
    plan = _Plan()
    rep = export.rep
    config = load_config(paths)
    written = written_keys(paths)
    if config.member != rep and ("member" in written or store.holds_events()):
        raise UserError(f"{source}: the history of rep '{rep}', and this home's rep is "
                        f"'{config.member}'; import it into a new home (--home DIR)")  # fmt: skip
    # events: a repeat is skipped; an id stored with other content stops everything
    home = {event.id: event for event in owned_events(store, rep)}
    taken = stored_ids(store, [event.id for event in export.events])
    for event in export.events:
        if event.id not in taken:
            plan.events.append(event)
        elif event.id in home and _same(home[event.id], event):
            result.known += 1
        else:
            raise UserError(f"{source}: event {event.id}: this home holds another event under "
                            "that id; nothing imported")  # fmt: skip
    _plan_packs(paths.packs_dir, export.packs, source, plan, result)
    for name, value in export.preferences.items():
        if store.get_setting(PREFERENCES[name].key.format(rep=rep)) is None:
            plan.preferences[name] = value
    _plan_settings(config, written, export, plan, result)
    return plan


def _same(stored: Event, given: Event) -> bool:
    return encode(stored, share_answers=True) == encode(given, share_answers=True)


def _plan_packs(
    folder: Path, packs: Sequence[PackFile], source: str, plan: _Plan, result: Imported
) -> None:
    present, _ = pack_files(folder)
    by_file = {pack.file: pack for pack in present}
    by_id = {pack.pack: pack for pack in present if pack.pack is not None}
    for pack in packs:
        there = by_file.get(pack.file) or (by_id.get(pack.pack) if pack.pack else None)
        if there is None and (folder / pack.file).exists():  # a file export would skip
            there = PackFile(pack.file, "", None)
        if there is None:
            plan.packs.append(pack)
        elif there.text == pack.text:
            result.packs_known += 1
        else:
            raise UserError(f"{source}: pack '{pack.pack or pack.file}': {folder / there.file} "
                            "holds another version; move it aside to import, nothing "
                            "imported")  # fmt: skip


def _plan_settings(
    config: Config, written: set[str], export: Export, plan: _Plan, result: Imported
) -> None:
    """A setting this home's config.toml sets is kept; the others come from the export,
    and the rep's member id always (the history is theirs)."""
    current = {key: getattr(config, key) for key in written}
    wanted = {"member": export.rep, **export.settings}
    added = {key: value for key, value in wanted.items() if key not in written}
    result.kept = sorted(key for key, value in wanted.items()
                         if key in written and current[key] != value)  # fmt: skip
    if added:
        plan.settings = {**current, **added}
        result.settings = sorted(added)


def _insert(store: Store, events: Sequence[Event], rep: str, source: str) -> dict[str, int]:
    """Store the events inside the caller's transaction; per drill whose card they move,
    the earliest time they move it from (0: a rating taken back)."""
    earliest: dict[str, int] = {}
    for event in events:
        # another member's event keeps the digest of its workspace line, as a sync
        # would have stored it, so the next sync finds it known rather than in conflict
        line = encode(event, share_answers=True)[:-1] if event.by != rep else None
        try:
            store.insert(event, digest(line) if line is not None else None)
        except (ValueError, sqlite3.IntegrityError) as error:
            reason = str(error)
            if "undos.rating" in reason:  # UNIQUE: one undo a rating
                reason = "takes back a rating already taken back"
            raise UserError(f"{source}: event {event.id}: {reason}; nothing imported") from None
        if isinstance(event, SelfRating | ManagerRating) and event.drill_uid is not None:
            at = micros(event.at)
            earliest[event.drill_uid] = min(earliest.get(event.drill_uid, at), at)
        elif isinstance(event, Undo):
            drill = store.drill_of_rating(event.of)
            if drill is not None:
                earliest[drill] = 0
    return earliest
