"""What content is made of: packs, drills, skills, rubrics, coaching signals, and the
loaded library that holds them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from drillcoach.tomlcheck import Problem

FORMAT = 1
KINDS = ("objection", "question", "pitch", "roleplay")
KEY_POINTS_RANGE = (1, 12)
TURNS_RANGE = (1, 20)
TIME_LIMIT_RANGE = (5, 600)
SCORE_RANGE = (1, 5)
MAX_DRILLS_PER_PACK = 1000


@dataclass(frozen=True)
class Skill:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    description: str = ""


@dataclass(frozen=True)
class Turn:
    buyer: str
    model: str = ""


@dataclass(frozen=True)
class Drill:
    pack_id: str
    id: str
    kind: str
    skill: str
    title: str
    key_points: tuple[str, ...]
    prompt: str = ""
    persona: str = ""
    situation: str = ""
    model_answer: str = ""
    time_limit: int | None = None
    rubric: str | None = None
    tags: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    turns: tuple[Turn, ...] = ()

    @property
    def uid(self) -> str:
        return f"{self.pack_id}/{self.id}"

    @property
    def is_roleplay(self) -> bool:
        return self.kind == "roleplay"

    def history_uids(self) -> tuple[str, ...]:
        """This drill's uid and the uids it replaces: their history is this drill's."""
        older = (old if "/" in old else f"{self.pack_id}/{old}" for old in self.replaces)
        return (self.uid, *older)


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    version: str
    description: str
    drills: tuple[Drill, ...]
    path: Path
    origin: str = "built-in"
    author: str = ""
    rubric: str | None = None


@dataclass(frozen=True)
class CoachingSignal:
    id: str
    title: str
    description: str
    questions: tuple[str, ...]


@dataclass
class Library:
    """Everything loaded: packs that passed validation, shared content, and problems."""

    packs: dict[str, Pack] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    signals: dict[str, CoachingSignal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _by_uid: dict[str, Drill] | None = field(default=None, repr=False, compare=False)
    _new_order: list[Drill] | None = field(default=None, repr=False, compare=False)

    def add_pack(self, pack: Pack) -> None:
        self.packs[pack.id] = pack
        self._by_uid = self._new_order = None

    def drills(self) -> Iterator[Drill]:
        for pack in self.packs.values():
            yield from pack.drills

    def drill(self, uid: str) -> Drill | None:
        if self._by_uid is None:
            self._by_uid = {drill.uid: drill for drill in self.drills()}
        return self._by_uid.get(uid)

    def new_order(self) -> list[Drill]:
        """Every drill in the order new ones are introduced: the packs take turns, so a
        day mixes kinds and skills (first drill of each pack, then the second, ...)."""
        if self._new_order is None:
            ranked = [
                (position, order, drill)
                for order, pack in enumerate(self.packs.values())
                for position, drill in enumerate(pack.drills)
            ]
            ranked.sort(key=lambda item: item[:2])
            self._new_order = [drill for _, _, drill in ranked]
        return self._new_order

    def rubric_for(self, drill: Drill) -> Rubric | None:
        pack = self.packs.get(drill.pack_id)
        rubric_id = drill.rubric or (pack.rubric if pack else None)
        return self.rubrics.get(rubric_id) if rubric_id else None
