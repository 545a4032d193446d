"""Many reps' row facts read in processes of their own (team_facts.TeamReader.facts_of):
each one ``python -m drillcoach.progress.apart``, given its work pickled on stdin (the
store's path, the library, settings, day boundaries, the moment, the reps), answering
with their facts pickled on stdout. A plain child process rather than multiprocessing's
spawn, which would run the caller's main script again in every child."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillcoach.config import Config
    from drillcoach.content import Library
    from drillcoach.progress.team_facts import RowFacts
    from drillcoach.scheduling.days import Days
    from drillcoach.team.workspace import Member

Work = tuple[Path, "Library", "Config", "Days", datetime, Sequence["Member"]]


def read_apart(works: Sequence[Work]) -> dict[str, RowFacts]:
    """The facts of every work's reps, each work in a process of its own, all at once."""
    package = str(Path(__file__).resolve().parents[2])  # the folder drillcoach is in
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [package, *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
    children = [
        subprocess.Popen([sys.executable, "-m", "drillcoach.progress.apart"], env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in works
    ]  # fmt: skip
    for child, work in zip(children, works, strict=True):
        assert child.stdin is not None
        child.stdin.write(pickle.dumps(work))  # read at once: the child starts with it
        child.stdin.flush()
    found: dict[str, RowFacts] = {}
    for child in children:  # all run meanwhile: each is read to its end in turn
        answer, errors = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"reading reps apart failed: {errors.decode(errors='replace')}")
        found.update(pickle.loads(answer))
    return found


def main() -> None:
    from drillcoach.progress.team_facts import TeamReader
    from drillcoach.store import Store

    path, library, config, days, now, members = pickle.load(sys.stdin.buffer)
    store = Store(path, readonly=True)
    try:
        reader = TeamReader(store, library, config, days, now)
        found = {member.id: reader.facts(member) for member in members}
    finally:
        store.close()
    sys.stdout.buffer.write(pickle.dumps(found))


if __name__ == "__main__":
    main()
