"""The composition root: paths -> config -> library -> store -> prefs -> scheduler, built
once and shared by the CLI and the TUI. It holds the one live copy of the config."""

from __future__ import annotations

import os
from datetime import tzinfo
from pathlib import Path

from drillcoach.config import (
    CARD_SETTINGS,
    Config,
    Paths,
    load_config,
    resolve_paths,
    set_value,
)
from drillcoach.content import Library, builtin_root, load_library
from drillcoach.fileio import make_folder
from drillcoach.prefs import Prefs
from drillcoach.scheduling.days import Clock, system_clock
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store


def pack_sources(paths: Paths, config: Config) -> list[tuple[Path, str]]:
    """Where packs load from, in order: built-in, mine, the team workspace, extra folders."""
    sources = [(builtin_root() / "drills", "built-in"), (paths.packs_dir, "mine")]
    if config.workspace:
        sources.append((Path(config.workspace).expanduser() / "drills", "workspace"))
    sources.extend((Path(folder).expanduser(), "folder") for folder in config.pack_paths)
    return sources


def load_packs(paths: Paths, config: Config, *, leave_out: Path | None = None) -> Library:
    """Every pack the profile loads (but the file ``leave_out``, a pack about to be
    rewritten), its parses kept in the profile's cache."""
    return load_library(pack_sources(paths, config), cache=paths.library_cache, leave_out=leave_out)


class Services:
    """What one profile's CLI command or TUI session works with."""

    def __init__(
        self,
        paths: Paths,
        config: Config,
        library: Library,
        store: Store,
        *,
        clock: Clock = system_clock,
        tz: tzinfo | None = None,
    ) -> None:
        self.paths = paths
        self.library = library
        self.store = store
        self.prefs = Prefs(store, library)
        self.clock = clock
        self.tz = tz
        self.config = config
        self.scheduler = self._scheduler()

    def _scheduler(self) -> DrillScheduler:
        return DrillScheduler(
            self.store, self.library, self.config, prefs=self.prefs, clock=self.clock, tz=self.tz
        )

    def scheduler_for(self, rep: str) -> DrillScheduler:
        """Scheduling for any rep whose events this store holds (a manager's reps)."""
        if rep == self.scheduler.rep:
            return self.scheduler
        return DrillScheduler(
            self.store, self.library, self.config, rep=rep, clock=self.clock, tz=self.tz
        )

    def reschedule(self) -> DrillScheduler:
        """Schedule with what the store holds now (parameters a fit applied or an undo
        restored: they are read when a scheduler is made)."""
        self.scheduler = self._scheduler()
        return self.scheduler

    def reload_library(self) -> Library:
        """Load the packs again (a pack file was written: the rep's field pack) and
        schedule over them from now on."""
        self.library = load_packs(self.paths, self.config)
        self.prefs = Prefs(self.store, self.library)
        self.scheduler = self._scheduler()
        return self.library

    def set_setting(self, key: str, text: str, *, cards_now: bool = True) -> Config:
        """Change one setting in config.toml and everywhere it is used from now on; the
        cards follow a scheduling setting at once, as Anki moves its cards when its deck
        options are saved, so the next queue is not the one that waits for them
        (``cards_now=False``: the caller moves them, a screen in a worker)."""
        self.config = set_value(self.paths, key, text)
        self.scheduler = self._scheduler()
        if cards_now and key in CARD_SETTINGS:
            self.scheduler.cards.ready()
        return self.config

    def close(self) -> None:
        self.store.close()


def open_services(
    home: str | os.PathLike[str] | None = None,
    *,
    clock: Clock = system_clock,
    tz: tzinfo | None = None,
) -> Services:
    paths = resolve_paths(home)
    config = load_config(paths)
    for folder in (paths.database.parent, paths.packs_dir):
        make_folder(folder)
    library = load_packs(paths, config)
    store = Store(paths.database, backups=paths.backups_dir)
    try:
        services = Services(paths, config, library, store, clock=clock, tz=tz)
    except BaseException:
        store.close()  # e.g. a damaged page found on the first read: one line, file closed
        raise
    from drillcoach.store.backup import backup_on_start

    # after the first reads, so a database that cannot be read says so once, not twice
    backup_on_start(store, paths.backups_dir, config.backups_kept, clock().astimezone(tz))
    return services
