"""What content is made of: packs, drills, skills, rubrics, coaching signals, and the
loaded library that holds them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from drillcoach.tomlcheck import Problem

FORMAT = 1
KINDS = ("objection", "question", "pitch", "roleplay")
KEY_POINTS_RANGE = (1, 12)
TURNS_RANGE = (1, 20)
TIME_LIMIT_RANGE = (5, 600)
SCORE_RANGE = (1, 5)
ANCHORS_REQUIRED = (1, 5)  # a criterion with anchors says at least what the ends look like
MAX_DRILLS_PER_PACK = 1000


@dataclass(frozen=True)
class Skill:
    id: str
    title: str
    description: str = ""
    rubric: str | None = None  # what a manager scores this skill on after a joint call


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    description: str = ""
    anchors: tuple[tuple[int, str], ...] = ()  # (score, what that score looks like), by score

    def anchor(self, score: int) -> str | None:
        """What ``score`` looks like on a call, if the rubric says."""
        return next((text for at, text in self.anchors if at == score), None)


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


def replaced_uid(pack_id: str, entry: str) -> str:
    """The uid a ``replaces`` entry names: 'pack/drill' as written, a bare drill id in
    ``pack_id``, the pack of the drill that lists it."""
    return entry if "/" in entry else f"{pack_id}/{entry}"


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

    @cached_property
    def uid(self) -> str:
        return f"{self.pack_id}/{self.id}"

    @property
    def is_roleplay(self) -> bool:
        return self.kind == "roleplay"

    def history_uids(self) -> tuple[str, ...]:
        """This drill's uid and the uids it replaces: their history is this drill's."""
        return (self.uid, *(replaced_uid(self.pack_id, old) for old in self.replaces))


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
class PackDraft:
    """A pack that parsed on its own; references are checked once every file is read."""

    pack: Pack
    skills: list[Skill]
    rubrics: list[Rubric]
    ok: bool
    # (table, key, id) of every skill and rubric its drills name, the broken drills'
    # included, so validation reports an unknown skill next to a typo in the same drill
    references: list[tuple[str, str, str]]


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
    _pack_uids: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _by_skill: dict[str, list[Drill]] | None = field(default=None, repr=False, compare=False)
    _packs_uids: dict[frozenset[str], frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _rank: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def add_pack(self, pack: Pack) -> None:
        self.packs[pack.id] = pack
        self._by_uid = self._new_order = self._by_skill = self._rank = None
        self._pack_uids.clear()
        self._packs_uids.clear()

    def drills(self) -> Iterator[Drill]:
        for pack in self.packs.values():
            yield from pack.drills

    def drill(self, uid: str) -> Drill | None:
        if self._by_uid is None:
            self._by_uid = {drill.uid: drill for drill in self.drills()}
        return self._by_uid.get(uid)

    def drill_of(self, uid: str) -> Drill:
        """The drill of a uid the library holds (a KeyError for any other)."""
        found = self.drill(uid)
        if found is None:
            raise KeyError(uid)
        return found

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

    def uids_in(self, pack_ids: Iterable[str]) -> frozenset[str]:
        """The uids of the drills of these packs."""
        key = frozenset(pack_ids)
        found = self._packs_uids.get(key)
        if found is None:
            found = self._packs_uids[key] = frozenset().union(*map(self.pack_uids, key))
        return found

    def rank(self, uid: str) -> int:
        """Where a drill stands in new_order()."""
        if self._rank is None:
            self._rank = {drill.uid: index for index, drill in enumerate(self.new_order())}
        return self._rank[uid]

    def pack_uids(self, pack_id: str) -> frozenset[str]:
        """The uids of a pack's drills (empty for a pack not loaded)."""
        if pack_id not in self._pack_uids:
            pack = self.packs.get(pack_id)
            self._pack_uids[pack_id] = (
                frozenset(d.uid for d in pack.drills) if pack else frozenset()
            )
        return self._pack_uids[pack_id]

    def with_skill(self, skill: str) -> list[Drill]:
        """The drills of one skill, in the order new ones are introduced."""
        if self._by_skill is None:
            self._by_skill = {}
            for drill in self.new_order():
                self._by_skill.setdefault(drill.skill, []).append(drill)
        return self._by_skill.get(skill, [])

    def rubric_for(self, drill: Drill) -> Rubric | None:
        pack = self.packs.get(drill.pack_id)
        rubric_id = drill.rubric or (pack.rubric if pack else None)
        return self.rubrics.get(rubric_id) if rubric_id else None

    def rubric_for_skill(self, skill_id: str) -> Rubric | None:
        """The rubric a manager scores this skill on (None when it names none, or one
        that did not load)."""
        skill = self.skills.get(skill_id)
        return self.rubrics.get(skill.rubric) if skill and skill.rubric else None
