"""The floor under `drillcoach today`'s wall time: a process that imports only the
standard library modules the command cannot do without (its arguments, the profile's
paths, its config.toml, dates in the rep's time zone, the SQLite store and the JSON of its
settings), reads config.toml and asks the store's due index one question, the first of
the many `today` asks. No drillcoach module is imported. bench/run.py times it as a
process beside `drillcoach today`, against the same `python -c pass`."""

import argparse
import json
import os
import sqlite3
import tomllib
import zoneinfo
from datetime import UTC, datetime
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("command", choices=["today"])
parser.parse_args()
home = Path(os.environ["DRILLCOACH_HOME"])
config = home / "config.toml"
settings = tomllib.loads(config.read_text(encoding="utf-8")) if config.exists() else {}
zone = zoneinfo.ZoneInfo("UTC")
now = datetime.now(UTC).astimezone(zone)
db = sqlite3.connect(f"{(home / 'drillcoach.db').as_uri()}?mode=ro", uri=True)
due = db.execute(
    "SELECT drill, phase FROM cards WHERE rep = (SELECT rep FROM cards LIMIT 1) AND due < ? "
    "ORDER BY due",
    (int(now.timestamp() * 1_000_000),),
).fetchall()
print(json.dumps({"name": settings.get("name"), "due": len(due)}))
