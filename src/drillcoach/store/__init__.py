"""The SQLite store: one rep's events, preferences, assignments and card cache."""

from drillcoach.store.db import BUSY_TIMEOUT_MS, CachedCard, Store
from drillcoach.store.migrations import SCHEMA_VERSION, migrate, schema_version

__all__ = ["BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "CachedCard", "Store", "migrate", "schema_version"]
