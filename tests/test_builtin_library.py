"""The content that ships with drillcoach: valid, big enough, and complete."""

from __future__ import annotations

from drillcoach.content import KINDS, Drill, Library, builtin_root, load_library

REQUIRED_PACKS = {"objections-core", "discovery", "cold-call-openers", "negotiation", "closing",
                  "onboarding"}  # fmt: skip


def test_builtin_library_has_no_problems(library: Library) -> None:
    assert [str(problem) for problem in library.problems] == []


def test_every_builtin_file_is_a_loaded_pack(library: Library) -> None:
    files = sorted(path.name for path in (builtin_root() / "drills").glob("*.toml"))
    assert files == sorted(pack.path.name for pack in library.packs.values())


def test_required_packs_are_present(library: Library) -> None:
    assert set(library.packs) >= REQUIRED_PACKS, REQUIRED_PACKS - set(library.packs)


def test_at_least_fourteen_packs_and_220_drills(library: Library) -> None:
    assert len(library.packs) >= 14
    assert sum(1 for _ in library.drills()) >= 220


def test_every_kind_is_present(library: Library) -> None:
    assert {drill.kind for drill in library.drills()} == set(KINDS)


def test_at_least_45_roleplays_of_three_turns_or_more(library: Library) -> None:
    roleplays = [d for d in library.drills() if d.is_roleplay and len(d.turns) >= 3]
    assert len(roleplays) >= 45, [d.uid for d in roleplays]


def test_at_least_fifteen_written_drills(library: Library) -> None:
    written = [d for d in library.drills() if d.kind == "written"]
    assert len(written) >= 15 and all(d.word_limit for d in written)


def test_every_pack_says_who_it_is_for(library: Library) -> None:
    assert [p.id for p in library.packs.values() if not (p.segment and p.personas)] == []


def test_four_sellers_and_product_neutral_packs(library: Library) -> None:
    """One fictional world per product, each with its fact sheet; and packs for anyone."""
    sellers = {pack.company for pack in library.packs.values()}
    assert None in sellers and len(sellers - {None}) >= 4
    sheets = {path.stem for path in (builtin_root() / "content" / "companies").glob("*.toml")}
    assert sellers - {None} <= sheets


def test_every_drill_has_a_model(library: Library) -> None:
    missing = []
    for drill in library.drills():
        if drill.is_roleplay:
            if not all(turn.model.strip() for turn in drill.turns):
                missing.append(drill.uid)
        elif not drill.model_answer.strip():
            missing.append(drill.uid)
    assert missing == []


def test_every_situation_shows_whole_at_80_columns(library: Library) -> None:
    """The drill screen gives the persona and the situation 8 lines of 78 columns."""
    import textwrap

    def lines(drill: Drill) -> int:
        texts = [text for text in (drill.persona, drill.situation) if text]
        return sum(len(textwrap.wrap(text, 78)) for text in texts)

    assert [d.uid for d in library.drills() if lines(d) > 8] == []


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
