"""Builds what the CLI and the TUI share: paths, config, library, store and scheduler."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from drillcoach.config import Config, Paths, load_config, resolve_paths
from drillcoach.content import Library, builtin_root, load_library
from drillcoach.scheduler import Clock, DrillScheduler, system_clock
from drillcoach.store import Store


def pack_sources(paths: Paths, config: Config) -> list[tuple[Path, str]]:
    """Where packs load from, in order: built-in, mine, the team workspace, extra folders."""
    sources = [(builtin_root() / "drills", "built-in"), (paths.packs_dir, "mine")]
    if config.workspace:
        sources.append((Path(config.workspace).expanduser() / "drills", "workspace"))
    sources.extend((Path(folder).expanduser(), "folder") for folder in config.pack_paths)
    return sources


def load_packs(paths: Paths, config: Config) -> Library:
    return load_library(pack_sources(paths, config))


@dataclass
class Services:
    paths: Paths
    config: Config
    library: Library
    store: Store
    scheduler: DrillScheduler

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
    library = load_packs(paths, config)
    paths.packs_dir.mkdir(parents=True, exist_ok=True)
    store = Store(paths.database, backups=paths.backups_dir)
    scheduler = DrillScheduler(store, library, config, clock=clock, tz=tz)
    return Services(paths, config, library, store, scheduler)
