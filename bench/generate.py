"""Seeded benchmark data: a library of generated TOML packs, and a rep's history of
self-ratings written through the domain API (the truth) or a fast batched path.

    python bench/generate.py --size small [--path domain|fast] [--data-dir bench/.data]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import shutil
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Literal

import tomli_w

from drillcoach.coaching.commitments import add_commitment, make_commitment
from drillcoach.config import Config
from drillcoach.content import Drill, Library, load_library
from drillcoach.events import (
    LIVE_CONTEXTS,
    Assignment,
    ManagerRating,
    Rating,
    RatingContext,
    SelfRating,
)
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import (
    as_rating,
    expected_seconds,
    rating_from_scores,
    suggest_rating,
    time_limit,
)
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.scheduling.session import Session
from drillcoach.services import Services, open_services
from drillcoach.store import Store

GENERATOR_VERSION = 2  # bump when the data a seed produces changes: cached datasets go stale
DEFAULT_SEED = 20260302
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / ".data"
REP = "rep"
PACK_PREFIX = "bench-"
BATCH = 50_000  # events per Store.add_many transaction on the fast path
DAY_WINDOW = 13 * 3600  # seconds of a day the fast path's sessions spread over

HistoryPath = Literal["domain", "fast"]

KINDS: dict[str, int] = {"objection": 40, "question": 25, "pitch": 20, "roleplay": 15}
TIME_LIMITS: dict[str, tuple[int, ...]] = {
    "objection": (30, 45, 60, 90),
    "question": (30, 45, 60),
    "pitch": (60, 90, 120),
    "roleplay": (120, 180, 240, 300),
}
# Rating weights (Again, Hard, Good, Easy): a first attempt fails more often than a review.
NEW_WEIGHTS = (30, 25, 40, 5)
REVIEW_WEIGHTS = (10, 15, 60, 15)
TYPED_SHARE = 0.75  # the rest answer aloud: no typed text is stored
_VOCABULARY = (
    "budget renewal pricing contract pilot rollout team manager director quarter forecast "
    "pipeline discount value outcome risk timeline security integration procurement legal "
    "champion sponsor decision process priority problem cost revenue churn onboarding "
    "adoption training support reference customer competitor switch migrate savings "
    "margin volume approval signature meeting agenda question concern objection next step "
    "plan week month deadline scope proposal terms invoice warehouse freight dock route "
    "shipment carrier driver schedule visibility report dashboard data accuracy delay "
    "understand agree confirm explore acknowledge listen compare measure reduce improve"
)
WORDS = tuple(_VOCABULARY.split())


@dataclass(frozen=True)
class Size:
    """A benchmark size: how much content and history, and how run.py generates it."""

    name: str
    drills: int
    packs: int
    ratings: int
    days: int  # the span of the history
    path: HistoryPath  # how run.py writes the history
    runs: int  # timed runs per operation by default
    # manager ratings a week; above 0 the rep also has assignments and commitments
    manager_per_week: float = 0.0


SIZES: dict[str, Size] = {
    "small": Size("small", 100, 5, 1_500, 760, "domain", 10),
    "medium": Size("medium", 1_000, 10, 100_000, 730, "fast", 5),
    "large": Size("large", 10_000, 20, 1_000_000, 1_095, "fast", 3),
    # issue 12's Progress screen: 2,000 drills, two years of about 45 ratings a day
    "progress": Size("progress", 2_000, 10, 32_850, 730, "fast", 9, manager_per_week=2.0),
}


class FakeClock:
    """A clock moved by hand, for the scheduler (aware UTC datetimes)."""

    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# --- the library


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def _sentences(rng: random.Random, low: int, high: int) -> str:
    """``low``..``high`` words as sentences of 6 to 14 words."""
    total = rng.randint(low, high)
    parts: list[str] = []
    while total > 0:
        count = min(total, rng.randint(6, 14))
        total -= count
        text = " ".join(rng.choices(WORDS, k=count))
        parts.append(text[0].upper() + text[1:] + ".")
    return " ".join(parts)


def _drill_doc(rng: random.Random, number: int, skills: Sequence[str]) -> dict[str, object]:
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    doc: dict[str, object] = {
        "id": f"d{number:05d}-{kind}",
        "kind": kind,
        "skill": rng.choice(skills),
        "title": _words(rng, 3, 8).capitalize(),
        "persona": _words(rng, 4, 10).capitalize(),
        "situation": _sentences(rng, 10, 30),
        "key_points": [_sentences(rng, 6, 12) for _ in range(rng.randint(3, 6))],
        "time_limit": rng.choice(TIME_LIMITS[kind]),
        "tags": sorted(set(rng.choices(WORDS, k=rng.randint(0, 3)))),
    }
    if kind == "roleplay":
        doc["turn"] = [
            {"buyer": _sentences(rng, 8, 25), "model": _sentences(rng, 15, 50)}
            for _ in range(rng.randint(2, 5))
        ]
        doc["model_answer"] = _sentences(rng, 40, 90)
    else:
        doc["prompt"] = _sentences(rng, 10, 35)
        doc["model_answer"] = _sentences(rng, 40, 110)
    return doc


def write_library(
    folder: Path, drills: int, packs: int, seed: int, shared: Library | None = None
) -> list[str]:
    """Write ``drills`` drills in ``packs`` pack files into ``folder``; the pack ids.
    Skills and rubrics are the built-in shared content's."""
    shared = shared or load_library([])
    skills = sorted(shared.skills)
    rubrics = sorted(shared.rubrics)
    rng = random.Random(f"library:{seed}")
    folder.mkdir(parents=True, exist_ok=True)
    pack_ids: list[str] = []
    for index in range(packs):
        pack_id = f"{PACK_PREFIX}{index + 1:02d}"
        numbers = range(index * drills // packs, (index + 1) * drills // packs)
        document = {
            "format": 1,
            "pack": {
                "id": pack_id,
                "title": f"Benchmark pack {index + 1}: {_words(rng, 2, 4)}",
                "version": "1",
                "description": _sentences(rng, 10, 25),
                "author": "bench",
                "rubric": rng.choice(rubrics),
            },
            "drill": [_drill_doc(rng, number, skills) for number in numbers],
        }
        text = tomli_w.dumps(document, multiline_strings=True)
        (folder / f"{pack_id}.toml").write_text(text, encoding="utf-8")
        pack_ids.append(pack_id)
    return pack_ids


def library_drills(library: Library, pack_ids: Iterable[str]) -> list[Drill]:
    """The drills of these packs, in the order new ones are taken: turns across packs."""
    packs = [library.packs[pack_id].drills for pack_id in pack_ids]
    longest = max((len(drills) for drills in packs), default=0)
    return [drills[i] for i in range(longest) for drills in packs if i < len(drills)]


# --- one rating: what the rep did, and the event it becomes


@dataclass(frozen=True)
class Step:
    """One self-rating to record: which drill, when, and how the rep answered and rated."""

    drill: Drill
    at: datetime
    rating: Rating
    attempt: Attempt
    event_id: str


def draw_rating(rng: random.Random, is_new: bool) -> Rating:
    return as_rating(
        rng.choices((1, 2, 3, 4), weights=NEW_WEIGHTS if is_new else REVIEW_WEIGHTS)[0]
    )


def make_attempt(
    rng: random.Random, drill: Drill, rating: Rating, default_time_limit: int
) -> Attempt:
    """A plausible attempt behind ``rating``: key points ticked, time taken, typed text."""
    limit = time_limit(drill, default_time_limit)
    seconds = expected_seconds(drill, default_time_limit) * rng.uniform(0.3, 1.25)
    total = len(drill.key_points)
    low, high = {1: (0.0, 0.45), 2: (0.5, 0.74), 3: (0.75, 0.99), 4: (1.0, 1.0)}[rating]
    hit = min(total, round(total * rng.uniform(low, high)))
    ticked = tuple(sorted(rng.sample(range(total), hit)))
    typed = rng.random() < TYPED_SHARE
    answer: str | None = None
    replies: tuple[str, ...] = ()
    if typed and drill.is_roleplay:
        replies = tuple(_sentences(rng, 8, 30) for _ in drill.turns)
    elif typed:
        answer = _sentences(rng, 25, 90)
    return Attempt(
        duration_ms=int(seconds * 1000),
        key_points_hit=ticked,
        suggested=suggest_rating(hit, total, seconds, limit),
        mode="typed" if typed else "spoken",
        answer=answer,
        replies=replies,
    )


def self_rating(step: Step, rep: str, default_time_limit: int) -> SelfRating:
    """The event ``DrillScheduler.record_self`` stores for ``step`` at ``step.at``
    (tests/test_bench.py checks that both write the same rows)."""
    drill, attempt = step.drill, step.attempt
    return SelfRating(
        id=step.event_id,
        by=rep,
        at=step.at,
        drill_uid=drill.uid,
        skill=drill.skill,
        rating=as_rating(step.rating),
        suggested=as_rating(attempt.suggested) if attempt.suggested else None,
        duration_ms=attempt.duration_ms,
        time_limit=time_limit(drill, default_time_limit),
        key_points_hit=tuple(sorted(set(attempt.key_points_hit))),
        key_points_total=len(drill.key_points),
        mode=attempt.mode,
        answer=attempt.answer or None,
        replies=attempt.replies,
    )


# --- the fast path: a simple seeded rule instead of the scheduler


def fast_plan(
    drills: Sequence[Drill],
    ratings: int,
    start: datetime,
    days: int,
    seed: int,
    default_time_limit: int = Config.default_time_limit,
) -> Iterator[Step]:
    """``ratings`` steps over ``days`` days from ``start``, chosen without the scheduler:
    several sessions a day; due drills first (intervals grow with each success), new
    drills a few a day, and when nothing is due the rep drills ahead."""
    rng = random.Random(f"fast:{seed}")
    count = len(drills)
    new_per_day = max(5, math.ceil(2 * count / days))
    longest = max(7.0, 2.0 * days * count / ratings) * 86_400  # seconds
    interval = [0.0] * count
    due: list[tuple[float, int]] = []  # (due timestamp, drill index)
    fresh = iter(range(count))
    started = 0
    produced = 0
    moment = start
    day = 0
    while produced < ratings:
        day_start = start + timedelta(days=day)
        day += 1
        days_left = days - day + 1
        if days_left > 1 and rng.random() < 0.1:
            continue  # a day off
        target = (ratings - produced) / max(1, days_left * 0.9) * rng.uniform(0.7, 1.3)
        today = min(ratings - produced, max(1, round(target)))
        squeeze = min(1.0, DAY_WINDOW / (today * 60))  # a big day's sessions still fit in it
        sessions = rng.randint(2, 4)
        new_left = new_per_day
        for session in range(sessions):
            share = today // sessions + (1 if session < today % sessions else 0)
            opens = day_start + timedelta(hours=7 + session * 13 / sessions + rng.uniform(0, 1))
            moment = max(moment, opens)
            for _ in range(share):
                now = moment.timestamp()
                if due and due[0][0] <= now:
                    index = heapq.heappop(due)[1]
                elif started < count and new_left > 0:
                    index = next(fresh)
                    started += 1
                    new_left -= 1
                elif due:
                    index = heapq.heappop(due)[1]  # drilling ahead
                else:
                    index = next(fresh)
                    started += 1
                drill = drills[index]
                is_new = interval[index] == 0.0
                rating = draw_rating(rng, is_new)
                attempt = make_attempt(rng, drill, rating, default_time_limit)
                seconds = (attempt.duration_ms or 0) / 1000 + rng.uniform(10, 40)
                moment += timedelta(seconds=seconds * squeeze)
                event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                yield Step(drill, moment, rating, attempt, event_id)
                if rating == 1:
                    interval[index] = 600.0
                else:
                    grown = interval[index] * {2: 1.2, 3: 2.5, 4: 3.5}[rating]
                    interval[index] = min(longest, max(86_400.0, grown))
                heapq.heappush(due, (moment.timestamp() + interval[index], index))
        produced += today


def write_fast(
    store: Store,
    steps: Iterable[Step],
    rep: str,
    default_time_limit: int = Config.default_time_limit,
    batch: int = BATCH,
) -> int:
    """Store the events of ``steps`` with ``Store.add_many``, ``batch`` per transaction."""
    written = 0
    pending: list[SelfRating] = []
    for step in steps:
        pending.append(self_rating(step, rep, default_time_limit))
        if len(pending) >= batch:
            written += store.add_many(pending)
            pending.clear()
    if pending:
        written += store.add_many(pending)
    return written


# --- the domain path: the rep working through the queue


def simulate(
    scheduler: DrillScheduler, clock: FakeClock, ratings: int, seed: int, start: datetime
) -> int:
    """Work through today's queue in one to three sessions on most days from ``start``,
    rating with a seeded RNG through ``record_self``, until ``ratings`` are stored."""
    rng = random.Random(f"domain:{seed}")
    limit = scheduler.config.default_time_limit
    produced = 0
    day = 0
    while produced < ratings:
        if day > 365 * 50:
            raise RuntimeError(f"only {produced} ratings in 50 years: is any pack enabled?")
        day_start = start + timedelta(days=day)
        day += 1
        if rng.random() < 0.15:
            continue
        for number in range(rng.randint(1, 3)):
            opens = day_start + timedelta(hours=7 + 5 * number + rng.uniform(0, 3))
            clock.set(max(clock(), opens))
            session = Session.start(scheduler)
            while session.current is not None and produced < ratings:
                item = session.current
                rating = draw_rating(rng, item.state.is_new)
                attempt = make_attempt(rng, item.drill, rating, limit)
                clock.advance((attempt.duration_ms or 0) / 1000 + rng.uniform(10, 40))
                session.record(rating, attempt)
                produced += 1
    return produced


# --- what a manager adds: ratings, assignments; and the rep's commitments


MANAGER = "mgr"
MOTIVATION = "Make President's Club this year"


def write_commitments(services: Services, pack_ids: Sequence[str], at: datetime) -> int:
    """The rep's commitments, made at ``at`` through the domain API: drill five days a
    week, two role-plays a month rated by the manager, finish a pack within four months."""
    scheduler = services.scheduler
    made = [
        make_commitment(services.store, services.library, scheduler.rep, scheduler.days, at,
                        kind=kind, motivation=MOTIVATION, number=number, pack=pack, due=due)
        for kind, number, pack, due in (
            ("drill-days", 5, None, None),
            ("manager-ratings", 2, None, None),
            ("finish-pack", None, pack_ids[-1], at.date() + timedelta(days=120)),
        )
    ]  # fmt: skip
    for commitment in made:
        add_commitment(services.store, commitment)
    return len(made)


def write_manager_ratings(services: Services, per_week: float, days: int, seed: int) -> int:
    """About ``per_week`` manager ratings a week over the history: most of a role-play the
    rep drilled that day, a few hours later; one in five of the skill, after a joint call;
    rubric scores mostly 3 and 4 of 5."""
    rng = random.Random(f"manager:{seed}")
    library = services.library
    rep = services.scheduler.rep
    drilled = services.store.self_ratings(rep)
    roleplays = [event for event in drilled if (d := library.drill(event.drill_uid)) and
                 d.is_roleplay] or drilled  # fmt: skip
    found: list[ManagerRating] = []
    for _ in range(round(per_week * days / 7)):
        skill_only = rng.random() < 0.2
        mine = rng.choice(drilled if skill_only else roleplays)
        drill = library.drill(mine.drill_uid)
        rubric = library.rubric_for(drill) if drill else None
        if drill is None or rubric is None:
            continue
        scores = {criterion.id: rng.choices((1, 2, 3, 4, 5), (5, 15, 35, 30, 15))[0]
                  for criterion in rubric.criteria}  # fmt: skip
        context: RatingContext = "joint-call" if skill_only else rng.choice(LIVE_CONTEXTS)
        found.append(
            ManagerRating(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                by=MANAGER,
                rep=rep,
                at=mine.at + timedelta(hours=rng.uniform(1, 5)),
                rubric=rubric.id,
                scores=scores,
                rating=as_rating(rating_from_scores(scores)),
                skill=drill.skill,
                drill_uid=None if skill_only else drill.uid,
                context=context,
            )
        )
    found.sort(key=lambda rating: rating.at)
    return services.store.add_many(found)


def write_assignments(
    services: Services, pack_ids: Sequence[str], start: datetime, end: datetime
) -> int:
    """The manager's assignments to the rep: a pack due early on (long done), one due a
    month ago and one due next month."""
    rep = services.scheduler.rep
    dues = (start + timedelta(days=60), end - timedelta(days=30), end + timedelta(days=30))
    for number, (pack_id, due) in enumerate(zip(pack_ids, dues, strict=False)):
        services.store.save_assignment(
            Assignment(f"{pack_id}-{number}", MANAGER, pack_id, (rep,), due.date())
        )
    return min(len(pack_ids), len(dues))


# --- datasets: a DRILLCOACH_HOME with packs, config and history, cached on disk


@dataclass(frozen=True)
class Dataset:
    """A generated profile folder and what it holds."""

    size: Size
    root: Path
    path: HistoryPath
    seed: int
    now: datetime  # the moment the benchmark's clock stands at: the morning after
    drills: int
    ratings: int
    generate_seconds: float

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def database(self) -> Path:
        return self.home / "drillcoach.db"


def dataset_root(data_dir: Path, size: Size, seed: int, path: HistoryPath) -> Path:
    return data_dir / f"{size.name}-{path}-seed{seed}-v{GENERATOR_VERSION}"


def _write_config(home: Path) -> None:
    settings = {"name": "Bench Rep", "member": REP}
    (home / "config.toml").write_text(tomli_w.dumps(settings), encoding="utf-8")


def build_dataset(
    size: Size, root: Path, seed: int, path: HistoryPath, *, end: datetime | None = None
) -> Dataset:
    """Generate ``size`` into ``root/home``; the history ends before ``end`` (default:
    today 00:00 UTC) on the fast path, and starts ``size.days`` before it on both."""
    started = time.perf_counter()
    home = root / "home"
    home.mkdir(parents=True)
    _write_config(home)
    pack_ids = write_library(home / "packs", size.drills, size.packs, seed)
    end = end or datetime.combine(datetime.now(UTC).date(), clock_time(), UTC)
    start = end - timedelta(days=size.days)
    clock = FakeClock(start)
    services = open_services(home, clock=clock, tz=None)
    try:
        services.prefs.set_welcomed()
        services.prefs.set_enabled_packs(pack_ids)
        drills = library_drills(services.library, pack_ids)
        if len(drills) != size.drills:
            problems = "; ".join(str(problem) for problem in services.library.problems[:3])
            raise RuntimeError(f"generated {len(drills)} drills, not {size.drills}: {problems}")
        if size.manager_per_week:  # made before any drill is started, as finish-pack asks
            write_commitments(services, pack_ids, start + timedelta(days=7))
        if path == "domain":
            written = simulate(services.scheduler, clock, size.ratings, seed, start)
        else:
            steps = fast_plan(drills, size.ratings, start, size.days, seed,
                              services.config.default_time_limit)  # fmt: skip
            written = write_fast(services.store, steps, services.scheduler.rep,
                                 services.config.default_time_limit)  # fmt: skip
        if size.manager_per_week:
            write_manager_ratings(services, size.manager_per_week, size.days, seed)
            write_assignments(services, pack_ids, start, end)
        if path == "fast" or size.manager_per_week:
            # events went in without their cards; a rebuild counts no rating after its clock
            clock.set(max(clock(), end))
            services.scheduler.cards.rebuild()
        last = services.store.last_recorded_self_rating(services.scheduler.rep)
    finally:
        services.close()
    last_at = last.at if last else end
    now = datetime.combine(last_at.date() + timedelta(days=1), clock_time(9), UTC)
    dataset = Dataset(size, root, path, seed, now, len(drills), written,
                      time.perf_counter() - started)  # fmt: skip
    meta = {
        "version": GENERATOR_VERSION,
        "size": size.name,
        "path": path,
        "seed": seed,
        "now": now.isoformat(),
        "drills": dataset.drills,
        "ratings": written,
        "generate_seconds": dataset.generate_seconds,
    }
    (root / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return dataset


def load_dataset(root: Path) -> Dataset | None:
    """The dataset cached at ``root``, or None when there is none of this generator."""
    try:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("version") != GENERATOR_VERSION:
        return None
    return Dataset(
        size=SIZES[meta["size"]],
        root=root,
        path=meta["path"],
        seed=meta["seed"],
        now=datetime.fromisoformat(meta["now"]),
        drills=meta["drills"],
        ratings=meta["ratings"],
        generate_seconds=meta["generate_seconds"],
    )


def ensure_dataset(
    size: Size,
    data_dir: Path = DEFAULT_DATA_DIR,
    seed: int = DEFAULT_SEED,
    path: HistoryPath | None = None,
) -> tuple[Dataset, bool]:
    """The cached dataset, generated first if missing; (dataset, whether it was generated)."""
    chosen = path or size.path
    root = dataset_root(data_dir, size, seed, chosen)
    found = load_dataset(root)
    if found is not None:
        return found, False
    shutil.rmtree(root, ignore_errors=True)
    building = root.with_name(root.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    build_dataset(size, building, seed, chosen)
    building.rename(root)
    loaded = load_dataset(root)
    assert loaded is not None
    return loaded, True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--path", choices=("domain", "fast"), default=None,
                        help="how the history is written (default: the size's)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    dataset, generated = ensure_dataset(SIZES[args.size], args.data_dir, args.seed, args.path)
    state = f"generated in {dataset.generate_seconds:.1f} s" if generated else "cached"
    print(f"{dataset.size.name}: {dataset.drills} drills, {dataset.ratings} ratings ({state})")
    print(f"DRILLCOACH_HOME={dataset.home}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
