"""The SQLite store: events, preferences, assignments and card state of a profile."""

from drillcoach.store.cards import CardRow, CardTable
from drillcoach.store.db import BUSY_TIMEOUT_MS, Store
from drillcoach.store.migrations import SCHEMA_VERSION, migrate, schema_version

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SCHEMA_VERSION",
    "CardRow",
    "CardTable",
    "Store",
    "migrate",
    "schema_version",
]
