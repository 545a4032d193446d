"""What content is made of: packs, drills, skills, rubrics, coaching signals, and the
loaded library that holds them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from drillcoach.tomlcheck import Problem

FORMAT = 1
KINDS = ("objection", "question", "pitch", "roleplay", "written")
KEY_POINTS_RANGE = (1, 12)
TURNS_RANGE = (1, 20)
TIME_LIMIT_RANGE = (5, 600)
WORD_LIMIT_RANGE = (10, 1000)  # a written drill's answer, in words
SCORE_RANGE = (1, 5)
NOT_APPLICABLE = "n/a"  # the score of a criterion that needs a live call, not heard
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
    # needs a live call or its recording (interruptions, silences, talk share, pace, tone):
    # a manager may score it n/a, and n/a stays out of the rating's mean
    live_only: bool = False

    def anchor(self, score: int) -> str | None:
        """What ``score`` looks like on a call, if the rubric says."""
        return next((text for at, text in self.anchors if at == score), None)


Scores = Mapping[str, int | None]  # criterion id -> 1 to 5, or None for n/a


@dataclass(frozen=True)
class RubricExample:
    """A short answer scored on its rubric, so managers and reps calibrate on the same
    thing: what was asked, what was said, the score per criterion and one line on why."""

    situation: str
    answer: str
    scores: tuple[tuple[str, int | None], ...]  # in criterion order; None is n/a
    why: str


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    description: str = ""
    examples: tuple[RubricExample, ...] = ()

    def score_problem(self, scores: Scores) -> str | None:
        """Why ``scores`` is not a rating on this rubric, None when it is: a score from 1
        to 5 for every criterion, n/a (None) only on one that needs a live call, and at
        least one criterion not n/a."""
        low, high = SCORE_RANGE
        known = {criterion.id: criterion for criterion in self.criteria}
        unknown = sorted(set(scores) - set(known))
        if unknown:
            return f"no criterion '{unknown[0]}' (criteria: {', '.join(sorted(known))})"
        for criterion in self.criteria:
            if criterion.id not in scores:
                either = f"{low} to {high}"
                if criterion.live_only:
                    either += ", or n/a: it needs a live call"
                return f"missing a score for '{criterion.id}' ({either})"
        for key, value in scores.items():
            if value is None:
                if not known[key].live_only:
                    return (
                        f"'{key}' cannot be n/a, only a criterion that needs a live call "
                        f"can; score it {low} to {high}"
                    )
            elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                return f"score for '{key}' must be {low} to {high}, got {value}"
        if all(value is None for value in scores.values()):
            return f"every criterion is n/a; score at least one from {low} to {high}"
        return None


@dataclass(frozen=True)
class Turn:
    buyer: str
    model: str = ""


def word_count(text: str) -> int:
    """Words in a written answer, as a word processor counts them: runs of non-space."""
    return len(text.split())


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
    word_limit: int | None = None  # a written drill's limit on its answer (and model answer)

    @cached_property
    def uid(self) -> str:
        return f"{self.pack_id}/{self.id}"

    @property
    def is_roleplay(self) -> bool:
        return self.kind == "roleplay"

    @property
    def is_written(self) -> bool:
        """An email or message the rep types: never answered aloud."""
        return self.kind == "written"

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
    company: str | None = None  # the fact sheet content/companies/<id>.toml of its seller
    segment: str = ""  # who the buyers are
    personas: str = ""  # the main buyer personas

    @property
    def seller(self) -> str:
        """Whose product the pack sells, for a label: its company's name, or any product."""
        return self.company.replace("-", " ").title() if self.company else "any product"


# what a coaching question may name of the rep's situation, filled from the signal's
# evidence by the 1:1 agenda (coaching/signals.py); written {skill} in coaching.toml
PLACEHOLDERS = (
    "name", "vision", "skill", "gap", "drill", "pack", "commitment", "objection", "area",
    "days", "count",
)  # fmt: skip


@dataclass(frozen=True)
class CoachingSignal:
    """Questions for a 1:1, for when the rep's data shows this signal; a question may hold
    placeholders (PLACEHOLDERS) that the agenda fills with the rep's own situation."""

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
