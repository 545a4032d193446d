"""Content: the models of packs, drills, skills, rubrics and coaching signals, and their
TOML loader."""

from drillcoach.content.library import builtin_root, load_library, pack_files, validate_files
from drillcoach.content.models import (
    FORMAT,
    KINDS,
    SCORE_RANGE,
    CoachingSignal,
    Criterion,
    Drill,
    Library,
    Pack,
    Rubric,
    RubricExample,
    Scores,
    Skill,
    Turn,
)
from drillcoach.content.skeleton import skeleton_pack
from drillcoach.tomlcheck import Problem

__all__ = [
    "FORMAT",
    "KINDS",
    "SCORE_RANGE",
    "CoachingSignal",
    "Criterion",
    "Drill",
    "Library",
    "Pack",
    "Problem",
    "Rubric",
    "RubricExample",
    "Scores",
    "Skill",
    "Turn",
    "builtin_root",
    "load_library",
    "pack_files",
    "skeleton_pack",
    "validate_files",
]
