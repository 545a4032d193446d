"""The content that ships with drillcoach: valid, big enough, and complete."""

from __future__ import annotations

from drillcoach.content import KINDS, Library, builtin_root, load_library

REQUIRED_PACKS = {"objections-core", "discovery", "cold-call-openers", "negotiation", "closing",
                  "onboarding"}  # fmt: skip


def test_builtin_library_has_no_problems(library: Library) -> None:
    assert [str(problem) for problem in library.problems] == []


def test_every_builtin_file_is_a_loaded_pack(library: Library) -> None:
    files = sorted(path.name for path in (builtin_root() / "drills").glob("*.toml"))
    assert files == sorted(pack.path.name for pack in library.packs.values())


def test_required_packs_are_present(library: Library) -> None:
    assert set(library.packs) >= REQUIRED_PACKS, REQUIRED_PACKS - set(library.packs)


def test_at_least_six_packs_and_sixty_drills(library: Library) -> None:
    assert len(library.packs) >= 6
    assert sum(1 for _ in library.drills()) >= 60


def test_all_four_kinds_are_present(library: Library) -> None:
    assert {drill.kind for drill in library.drills()} == set(KINDS)


def test_at_least_twelve_roleplays_of_three_turns_or_more(library: Library) -> None:
    roleplays = [d for d in library.drills() if d.is_roleplay and len(d.turns) >= 3]
    assert len(roleplays) >= 12, [d.uid for d in roleplays]


def test_every_drill_has_a_model(library: Library) -> None:
    missing = []
    for drill in library.drills():
        if drill.is_roleplay:
            if not all(turn.model.strip() for turn in drill.turns):
                missing.append(drill.uid)
        elif not drill.model_answer.strip():
            missing.append(drill.uid)
    assert missing == []


def test_every_drill_has_a_rubric(library: Library) -> None:
    assert [d.uid for d in library.drills() if library.rubric_for(d) is None] == []


def test_skills(library: Library) -> None:
    assert len(library.skills) >= 8
    used = {drill.skill for drill in library.drills()}
    assert used <= set(library.skills)


def test_rubrics(library: Library) -> None:
    assert len(library.rubrics) >= 3
    assert {"laer", "discovery", "roleplay"} <= set(library.rubrics)
    assert all(rubric.criteria for rubric in library.rubrics.values())


def test_coaching_signals(library: Library) -> None:
    assert library.signals
    assert all(signal.questions for signal in library.signals.values())


def test_shared_content_loads_on_its_own() -> None:
    library = load_library([])
    assert library.problems == []
    assert library.packs == {}
    assert library.skills and library.rubrics and library.signals
