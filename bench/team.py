"""A team workspace for the team-sync benchmark (issue 9, "Speed"): team.toml with a
director, managers and reps; every rep's self-ratings in events/<rep>/<YYYY-MM>.jsonl
written exactly as ``drillcoach sync`` exports them (the v1 envelope, answers not shared);
the managers' ratings of their reps in their own folders; each manager's assignments.
All of it is committed to a bare git repository, cached under the bench data folder by
its parameters, so a rerun clones it instead of generating it again.

    python bench/team.py [--size full|smoke] [--data-dir bench/.data] [--seed N]

The self-rating lines are written from a template rather than through ``encode``: 5.5 M
lines in well under a minute. tests/test_bench.py checks that every line of a small
workspace is byte for byte what ``eventlog.encode`` writes for the event it holds.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

if __name__ == "__main__":  # run as a script: the repository root instead of bench/
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from drillcoach.content import Library, builtin_root, load_library
from drillcoach.events import LIVE_CONTEXTS, Assignment, ManagerRating, RatingContext
from drillcoach.scheduling.rules import as_rating, rating_from_scores, suggest_rating
from drillcoach.team.assignments import write_mine
from drillcoach.team.eventlog import encode
from drillcoach.team.workspace import Member, Membership, Team, make_workspace, write_team

TEAM_VERSION = 1  # bump when what a seed produces changes: cached workspaces go stale
DEFAULT_SEED = 20260302
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / ".data"
START = date(2024, 1, 1)  # the first day of every generated history
DIRECTOR = "director"
REVIEW_WEIGHTS = (10, 15, 60, 15)  # Again, Hard, Good, Easy (as bench/generate.py)
SPOKEN_SHARE = 0.25
DEFAULT_TIME_LIMIT = 90
# the bench's own git (generating, and the reps' clone standing for 499 machines): never a
# background gc or maintenance, which would take a core from the sync being measured
GIT_IDENTITY = ("-c", "user.name=drillcoach bench", "-c", "user.email=bench@drillcoach.invalid",
                "-c", "gc.auto=0", "-c", "maintenance.auto=false")  # fmt: skip
NOTES = ("", "", "", "Good discovery, slow down on price.", "Ask one more question first.")


@dataclass(frozen=True)
class TeamSize:
    """How big a team and how long a history; and how many timed runs per measure."""

    name: str
    reps: int
    managers: int  # below the director, each with reps.../managers reps
    days: int  # days of history, every one a drilling day
    per_day: int  # mean self-ratings per rep per day (per_day - 5 to per_day + 5)
    ratings_per_week: float  # manager ratings per rep per week
    runs: int

    @property
    def key(self) -> str:
        return (
            f"team-{self.name}-r{self.reps}-m{self.managers}-d{self.days}-p{self.per_day}"
            f"-w{self.ratings_per_week:g}"
        )


TEAM_SIZES: dict[str, TeamSize] = {
    "full": TeamSize("full", 500, 25, 730, 15, 1.0, 3),
    "medium": TeamSize("medium", 50, 5, 120, 15, 1.0, 3),
    "smoke": TeamSize("smoke", 6, 2, 20, 6, 3.0, 1),
}


# --- who is on the team


def rep_id(number: int) -> str:
    return f"rep-{number:04d}"


def manager_id(number: int) -> str:
    return f"mgr-{number:02d}"


def members(size: TeamSize) -> list[Member]:
    """The director, then the managers, then the reps (rep n reports to manager n mod m)."""
    found = [Member(DIRECTOR, "Dana Director", "manager")]
    found += [
        Member(manager_id(m), f"Manager {m:02d}", "manager", DIRECTOR)
        for m in range(1, size.managers + 1)
    ]
    found += [
        Member(rep_id(r), f"Rep {r:04d}", "rep", manager_id((r - 1) % size.managers + 1))
        for r in range(1, size.reps + 1)
    ]
    return found


def library() -> Library:
    """The built-in packs: every rep drills them."""
    return load_library([(builtin_root() / "drills", "built-in")])


@dataclass(frozen=True)
class DrillInfo:
    uid: str
    skill: str
    points: int
    limit: int
    rubric: str
    criteria: tuple[str, ...]


def drill_infos(found: Library) -> list[DrillInfo]:
    infos = []
    for drill in sorted(found.drills(), key=lambda d: d.uid):
        rubric = found.rubric_for(drill)
        if rubric is None:
            continue
        criteria = tuple(criterion.id for criterion in rubric.criteria)
        infos.append(DrillInfo(drill.uid, drill.skill, len(drill.key_points),
                               drill.time_limit or DEFAULT_TIME_LIMIT, rubric.id,
                               criteria))  # fmt: skip
    return infos


# --- one rep's day, as the lines export writes


def _uuid4(rng: random.Random) -> str:
    value = rng.getrandbits(128)
    value = (value & ~(0xC000 << 48)) | (0x8000 << 48)
    value = (value & ~(0xF000 << 64)) | (4 << 76)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_CUMULATIVE = list(itertools.accumulate(REVIEW_WEIGHTS))
_SHARE = {1: (0.0, 0.45), 2: (0.5, 0.74), 3: (0.75, 0.99), 4: (1.0, 1.0)}


def day_lines(
    rep: str, day: date, rng: random.Random, drills: Sequence[DrillInfo], per_day: int
) -> list[str]:
    """One day of a rep's self-ratings, in time order: the lines export writes for them
    (a self-rating without its typed answer; fields at their default left out)."""
    count = max(1, rng.randint(per_day - 5, per_day + 5))
    seconds = 7 * 3600 + rng.randint(0, 4 * 3600)  # the day's first session opens
    prefix = day.isoformat()
    total = _CUMULATIVE[-1]
    lines = []
    for _ in range(count):
        drill = drills[rng.randrange(len(drills))]
        rating = bisect.bisect_right(_CUMULATIVE, rng.random() * total) + 1
        low, high = _SHARE[rating]
        hit = min(drill.points, round(drill.points * rng.uniform(low, high)))
        taken = drill.limit * rng.uniform(0.3, 1.25)
        suggested = suggest_rating(hit, drill.points, taken, drill.limit)
        duration = int(taken * 1000)
        seconds += int(taken) + rng.randint(10, 40)
        if rng.random() < 0.1:
            seconds += rng.randint(1800, 4 * 3600)  # a later session
        seconds = min(seconds, 86_399)
        micro = rng.randrange(1_000_000)
        at = (f"{prefix}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
              f".{micro:06d}+00:00")  # fmt: skip
        hits = ",".join(map(str, sorted(rng.sample(range(drill.points), hit))))
        line = (
            f'{{"v":1,"id":"{_uuid4(rng)}","type":"review","by":"{rep}","at":"{at}",'
            f'"drill_uid":"{drill.uid}","skill":"{drill.skill}","rating":{rating},'
            f'"suggested":{suggested},"duration_ms":{duration},"time_limit":{drill.limit},'
        )
        if hits:
            line += f'"key_points_hit":[{hits}],'
        line += f'"key_points_total":{drill.points}'
        if rng.random() < SPOKEN_SHARE:
            line += ',"mode":"spoken"'
        lines.append(line + "}\n")
    lines.sort(key=lambda text: text[text.index('"at":"') :])  # same-second ties: any order
    return lines


def manager_ratings(
    team: dict[str, Member],
    reps: Sequence[str],
    day: date,
    rng: random.Random,
    drills: Sequence[DrillInfo],
    per_week: float,
) -> list[ManagerRating]:
    """The manager ratings of ``day``: about ``per_week`` a week per rep, by the rep's
    manager (one in ten by the director); one in five rates the skill after a joint call."""
    found = []
    for rep in reps:
        if rng.random() >= per_week / 7:
            continue
        drill = drills[rng.randrange(len(drills))]
        by = DIRECTOR if rng.random() < 0.1 else (team[rep].manager or DIRECTOR)
        scores = {criterion: rng.randint(1, 5) for criterion in drill.criteria}
        skill_only = rng.random() < 0.2
        context: RatingContext = "joint-call" if skill_only else rng.choice(LIVE_CONTEXTS)
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
            hours=16, seconds=rng.randint(0, 4 * 3600), microseconds=rng.randrange(1_000_000)
        )
        found.append(
            ManagerRating(
                id=_uuid4(rng),
                by=by,
                rep=rep,
                at=at,
                rubric=drill.rubric,
                scores=scores,
                rating=as_rating(rating_from_scores(scores)),
                skill=drill.skill,
                drill_uid=None if skill_only else drill.uid,
                context=context,
                note=rng.choice(NOTES),
            )
        )
    return found


# --- the workspace


@dataclass(frozen=True)
class TeamData:
    """A cached workspace: its bare repository and what it holds."""

    size: TeamSize
    root: Path
    seed: int
    days: int  # days of history; the next day is START + days
    self_ratings: int
    manager_ratings: int
    lines_bytes: int
    generate_seconds: float

    @property
    def remote(self) -> Path:
        return self.root / "remote.git"

    @property
    def next_day(self) -> date:
        return START + timedelta(days=self.days)


class Writer:
    """Appends lines to month files, keeping a few open (a rep's months come in order)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bytes = 0

    def append(self, member: str, lines: Sequence[str], month: str) -> None:
        if not lines:
            return
        folder = self.root / "events" / member
        folder.mkdir(parents=True, exist_ok=True)
        data = "".join(lines).encode("utf-8")
        with open(folder / f"{month}.jsonl", "ab") as file:
            file.write(data)
        self.bytes += len(data)


def write_day(
    writer: Writer,
    team: dict[str, Member],
    reps: Sequence[str],
    day: date,
    seed: int,
    drills: Sequence[DrillInfo],
    size: TeamSize,
) -> tuple[int, int]:
    """Append one day of every rep's self-ratings and the managers' ratings of that day;
    (self-ratings, manager ratings) written. Each rep's day has its own seeded RNG, so a
    day is the same whether written with the history or on its own."""
    selves = 0
    for rep in reps:
        lines = _rep_day(rep, day, seed, drills, size)
        writer.append(rep, lines, f"{day:%Y-%m}")
        selves += len(lines)
    return selves, _write_ratings(writer, team, reps, day, seed, drills, size)


def _rep_day(rep: str, day: date, seed: int, drills: Sequence[DrillInfo], size: TeamSize
             ) -> list[str]:  # fmt: skip
    return day_lines(rep, day, random.Random(f"{seed}:{rep}:{day}"), drills, size.per_day)


def _write_ratings(
    writer: Writer,
    team: dict[str, Member],
    reps: Sequence[str],
    day: date,
    seed: int,
    drills: Sequence[DrillInfo],
    size: TeamSize,
) -> int:
    rated = manager_ratings(team, reps, day, random.Random(f"{seed}:managers:{day}"), drills,
                            size.ratings_per_week)  # fmt: skip
    by_manager: dict[str, list[ManagerRating]] = {}
    for rating in sorted(rated, key=lambda r: r.at):
        by_manager.setdefault(rating.by, []).append(rating)
    for manager, ratings in by_manager.items():
        lines = [encode(rating, share_answers=False).decode("utf-8") for rating in ratings]
        writer.append(manager, lines, f"{day:%Y-%m}")
    return len(rated)


def write_assignments(team: Team, packs: Sequence[str], seed: int) -> None:
    rng = random.Random(f"{seed}:assignments")
    for member in team.members.values():
        if member.role != "manager":
            continue
        mine = Membership(team, member)
        reps = [m.id for m in mine.my_reps()]
        found = [
            Assignment(f"{packs[0]}-q1", member.id, packs[0], ("*",),
                       START + timedelta(days=rng.randint(20, 80)), "Every rep, this quarter"),
        ]  # fmt: skip
        if reps:
            some = tuple(sorted(rng.sample(reps, min(3, len(reps)))))
            found.append(Assignment(f"{packs[1]}-catch-up", member.id, packs[1], some,
                                    START + timedelta(days=rng.randint(100, 400))))  # fmt: skip
        write_mine(mine, found)


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *GIT_IDENTITY, *args], capture_output=True,
                          text=True, check=False, stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {folder}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def build_team(size: TeamSize, root: Path, seed: int) -> TeamData:
    """Generate the workspace in ``root/work``, commit it and make ``root/remote.git``."""
    started = time.perf_counter()
    work = root / "work"
    everyone = members(size)
    team = make_workspace(work, "Bench sales", everyone[0])
    team = Team(team.root, team.name, {member.id: member for member in everyone})
    write_team(team)
    found = library()
    drills = drill_infos(found)
    write_assignments(team, sorted(found.packs), seed)
    reps = [m.id for m in everyone if m.role == "rep"]
    writer = Writer(work)
    selves = rated = 0
    days = [START + timedelta(days=offset) for offset in range(size.days)]
    for rep in reps:  # rep by rep, a month file at a time: as write_day writes them
        for month, in_month in itertools.groupby(days, key=lambda day: f"{day:%Y-%m}"):
            lines = [line for day in in_month for line in _rep_day(rep, day, seed, drills, size)]
            writer.append(rep, lines, month)
            selves += len(lines)
    for day in days:
        rated += _write_ratings(writer, team.members, reps, day, seed, drills, size)
    git(work, "init", "--quiet", "--initial-branch=main")
    git(work, "-c", "core.looseCompression=1", "add", "--all")
    git(work, "commit", "--quiet", "--message=bench: the team's history")
    subprocess.run(["git", "clone", "--quiet", "--bare", str(work), str(root / "remote.git")],
                   check=True, stdin=subprocess.DEVNULL)  # fmt: skip
    # one pack, as a hosted remote serves it: loose objects would set off `git gc --auto`
    # in every clone, in the middle of a timed sync (no deltas: quick, and files differ)
    git(root / "remote.git", "repack", "-a", "-d", "-q", "--window=0")
    shutil.rmtree(work)
    data = TeamData(size, root, seed, size.days, selves, rated, writer.bytes,
                    time.perf_counter() - started)  # fmt: skip
    meta = {
        "version": TEAM_VERSION, "size": size.name, "key": size.key, "seed": seed,
        "days": size.days, "self_ratings": selves, "manager_ratings": rated,
        "lines_bytes": writer.bytes, "generate_seconds": data.generate_seconds,
    }  # fmt: skip
    (root / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return data


def team_root(data_dir: Path, size: TeamSize, seed: int) -> Path:
    return data_dir / f"{size.key}-seed{seed}-v{TEAM_VERSION}"


def load_team(root: Path, size: TeamSize) -> TeamData | None:
    try:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("version") != TEAM_VERSION or meta.get("key") != size.key:
        return None
    if not (root / "remote.git").is_dir():
        return None
    return TeamData(size, root, meta["seed"], meta["days"], meta["self_ratings"],
                    meta["manager_ratings"], meta["lines_bytes"],
                    meta["generate_seconds"])  # fmt: skip


def ensure_team(
    size: TeamSize, data_dir: Path = DEFAULT_DATA_DIR, seed: int = DEFAULT_SEED
) -> tuple[TeamData, bool]:
    """The cached workspace, generated first if missing; (it, whether it was generated)."""
    root = team_root(data_dir, size, seed)
    found = load_team(root, size)
    if found is not None:
        return found, False
    shutil.rmtree(root, ignore_errors=True)
    building = root.with_name(root.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    build_team(size, building, seed)
    building.rename(root)
    loaded = load_team(root, size)
    assert loaded is not None
    return loaded, True


def clone(data: TeamData, remote: Path, into: Path) -> Path:
    """A working clone of ``remote`` (a scratch copy of the cached one) at ``into``."""
    subprocess.run(["git", "clone", "--quiet", str(remote), str(into)], check=True,
                   stdin=subprocess.DEVNULL)  # fmt: skip
    return into


def scratch_remote(data: TeamData, into: Path) -> Path:
    """A bare copy of the cached remote that runs may push to (objects hard-linked)."""
    subprocess.run(["git", "clone", "--quiet", "--bare", "--local", str(data.remote), str(into)],
                   check=True, stdin=subprocess.DEVNULL)  # fmt: skip
    return into


def event_files(workspace: Path) -> Iterator[Path]:
    """Every month file of every member, in the order import reads them."""
    events = workspace / "events"
    for folder in sorted(events.iterdir()):
        if folder.is_dir():
            yield from sorted(p for p in folder.iterdir() if p.name.endswith(".jsonl"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", choices=list(TEAM_SIZES), default="smoke")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    data, generated = ensure_team(TEAM_SIZES[args.size], args.data_dir, args.seed)
    state = f"generated in {data.generate_seconds:.1f} s" if generated else "cached"
    print(f"{data.size.name}: {data.self_ratings:,} self-ratings, {data.manager_ratings:,} "
          f"manager ratings, {data.lines_bytes / 2**20:,.0f} MiB of lines ({state})")  # fmt: skip
    print(f"remote: {data.remote}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    sys.exit(main())
