"""Parsing one content file into models: a pack with its drills, skills, rubrics and
coaching signals. Every mistake becomes a Problem; nothing here raises on bad content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from drillcoach.content.models import (
    ANCHORS_REQUIRED,
    FORMAT,
    KEY_POINTS_RANGE,
    KINDS,
    MAX_DRILLS_PER_PACK,
    NOT_APPLICABLE,
    PLACEHOLDERS,
    SCORE_RANGE,
    TIME_LIMIT_RANGE,
    TURNS_RANGE,
    WORD_LIMIT_RANGE,
    CoachingSignal,
    Criterion,
    Drill,
    Pack,
    PackDraft,
    Rubric,
    RubricExample,
    Skill,
    Turn,
    replaced_uid,
)
from drillcoach.tomlcheck import Problem, Table, check_format, parse_toml, type_name

PACK_KEYS = {
    "id", "title", "version", "description", "author", "rubric", "company", "segment", "personas",
}  # fmt: skip
MAX_SEGMENT_LENGTH = 80
MAX_PERSONAS_LENGTH = 120
DRILL_KEYS = {
    "id", "kind", "skill", "title", "persona", "situation", "prompt", "key_points",
    "model_answer", "time_limit", "word_limit", "rubric", "tags", "replaces", "turn",
}  # fmt: skip
TURN_KEYS = {"buyer", "model"}
SKILL_KEYS = {"id", "title", "description", "rubric"}
RUBRIC_KEYS = {"id", "title", "description", "criterion", "example"}
CRITERION_KEYS = {"id", "title", "description", "anchors", "live_only"}
EXAMPLE_KEYS = {"situation", "answer", "scores", "why"}
EXAMPLES_RANGE = (0, 5)
MAX_WHY_LENGTH = 300
ANCHOR_KEYS = {str(score) for score in range(SCORE_RANGE[0], SCORE_RANGE[1] + 1)}
MAX_ANCHOR_LENGTH = 300
SIGNAL_KEYS = {"id", "title", "description", "questions"}


def parse_shared(
    path: Path, raw: bytes, what: str, problems: list[Problem]
) -> list[Skill] | list[Rubric] | list[CoachingSignal]:
    """The ``[[skill]]``, ``[[rubric]]`` or ``[[signal]]`` tables of a shared content file."""
    data = parse_toml(path, raw, problems)
    if data is None or not check_format(data, path, problems, FORMAT):
        return []
    top = Table(data, path, "", {"format", what}, problems)
    tables = top.tables(what)
    if what == "skill":
        return parse_skills(tables, path, problems)
    if what == "rubric":
        return parse_rubrics(tables, path, problems)
    return parse_signals(tables, path, problems)


def parse_skills(
    raw: list[Any], path: Path, problems: list[Problem], prefix: str = ""
) -> list[Skill]:
    skills = []
    for index, item in enumerate(raw, 1):
        table = Table(item, path, f"{prefix}skill #{index}", SKILL_KEYS, problems, f"{prefix}skill")
        skill_id = table.ident("id", required=True)
        title = table.text("title", required=True, max_length=120)
        description = table.text("description", max_length=2000)
        rubric = table.ident("rubric") or None
        if table.ok:
            skills.append(Skill(skill_id, title, description, rubric))
    return skills


def parse_rubrics(
    raw: list[Any], path: Path, problems: list[Problem], prefix: str = ""
) -> list[Rubric]:
    rubrics = []
    for index, item in enumerate(raw, 1):
        table = Table(
            item, path, f"{prefix}rubric #{index}", RUBRIC_KEYS, problems, f"{prefix}rubric"
        )
        rubric_id = table.ident("id", required=True)
        title = table.text("title", required=True, max_length=120)
        description = table.text("description", max_length=2000)
        criteria: list[Criterion] = []
        seen: set[str] = set()
        broken = False  # a criterion did not parse: examples are not scored against the rest
        for number, entry in enumerate(
            table.tables("criterion", count=(1, 12), parent="rubric"), 1
        ):
            sub = Table(
                entry,
                path,
                f"{table.where} criterion #{number}",
                CRITERION_KEYS,
                problems,
                f"{table.where} criterion",
            )
            criterion_id = sub.unique_id(seen, "duplicate criterion id in this rubric")
            criterion_title = sub.text("title", required=True, max_length=120)
            criterion_description = sub.text("description", max_length=2000)
            anchors = parse_anchors(sub)
            live_only = sub.data.get("live_only", False)
            if not isinstance(live_only, bool):
                sub.fail("live_only", f"expected true or false, got {type_name(live_only)}")
            if sub.ok:
                criteria.append(
                    Criterion(
                        criterion_id, criterion_title, criterion_description, anchors, live_only
                    )
                )
            else:
                table.ok = False
                broken = True
        rubric = Rubric(rubric_id, title, tuple(criteria), description)
        examples = parse_examples(table, None if broken else rubric)
        if table.ok:
            rubrics.append(replace(rubric, examples=examples))
    return rubrics


def parse_examples(rubric_table: Table, rubric: Rubric | None) -> tuple[RubricExample, ...]:
    """A rubric's ``[[rubric.example]]`` entries: an answer scored on this rubric's
    criteria as a rating would be (every criterion, 1 to 5, "n/a" only where the
    criterion needs a live call), with one line on why."""
    examples = []
    raw = rubric_table.tables("example", count=EXAMPLES_RANGE, parent="rubric")
    for number, entry in enumerate(raw, 1):
        where = f"{rubric_table.where} example #{number}"
        sub = Table(entry, rubric_table.path, where, EXAMPLE_KEYS, rubric_table.problems)
        situation = sub.text("situation", required=True, max_length=500)
        answer = sub.text("answer", required=True, max_length=2000)
        why = sub.text("why", required=True, max_length=MAX_WHY_LENGTH)
        if "\n" in why:
            sub.fail("why", "expected one line")
        scores = parse_example_scores(sub, rubric)
        if sub.ok:
            examples.append(RubricExample(situation, answer, scores, why))
        else:
            rubric_table.ok = False
    return tuple(examples)


def parse_example_scores(
    example: Table, rubric: Rubric | None
) -> tuple[tuple[str, int | None], ...]:
    value = example.data.get("scores")
    expected = 'a table like scores = { listen = 4, explore = "n/a" }'
    if value is None:
        example.fail("scores", f"missing; expected {expected}")
        return ()
    if not isinstance(value, dict):
        example.fail("scores", f"expected {expected}, got {type_name(value)}")
        return ()
    scores: dict[str, int | None] = {}
    for key, score in value.items():
        if score == NOT_APPLICABLE:
            scores[key] = None
        elif isinstance(score, int) and not isinstance(score, bool):
            scores[key] = score
        else:
            low, high = SCORE_RANGE
            example.fail("scores", f"'{key}': expected {low} to {high} or \"n/a\", got {score!r}")
            return ()
    if rubric is None:
        return ()  # its criteria have problems of their own
    problem = rubric.score_problem(scores)
    if problem:
        example.fail("scores", problem)
        return ()
    return tuple((c.id, scores[c.id]) for c in rubric.criteria)


def parse_anchors(criterion: Table) -> tuple[tuple[int, str], ...]:
    """A criterion's ``[rubric.criterion.anchors]``: what a score looks like on a call,
    keyed by the score (bare keys 1 to 5), at least 1 and 5; sorted by score."""
    value = criterion.data.get("anchors")
    if value is None:
        return ()
    if not isinstance(value, dict):
        expected = 'expected a table of scores, like [rubric.criterion.anchors] with 5 = "..."'
        criterion.fail("anchors", f"{expected}, got {type_name(value)}")
        return ()
    where = f"{criterion.where} anchors"
    table = Table(value, criterion.path, where, ANCHOR_KEYS, criterion.problems)
    for score in ANCHORS_REQUIRED:
        if str(score) not in value:
            needed = " and ".join(map(str, ANCHORS_REQUIRED))
            table.fail(str(score), f"missing; anchors say what at least {needed} look like")
    anchors = [
        (int(key), table.text(key, required=True, max_length=MAX_ANCHOR_LENGTH))
        for key in value
        if key in ANCHOR_KEYS
    ]
    criterion.ok = criterion.ok and table.ok
    return tuple(sorted(anchors))


def parse_signals(raw: list[Any], path: Path, problems: list[Problem]) -> list[CoachingSignal]:
    signals = []
    for index, item in enumerate(raw, 1):
        table = Table(item, path, f"signal #{index}", SIGNAL_KEYS, problems, "signal")
        signal_id = table.ident("id", required=True)
        title = table.text("title", required=True, max_length=120)
        description = table.text("description", max_length=2000)
        questions = table.texts("questions", required=True, count=(1, 20))
        for number, question in enumerate(questions, 1):
            problem = placeholder_problem(question)
            if problem:
                table.fail("questions", f"question {number} ({_opening(question)}): {problem}")
        if table.ok:
            signals.append(CoachingSignal(signal_id, title, description, questions))
    return signals


def placeholder_problem(question: str) -> str | None:
    """Why a coaching question's placeholders cannot be filled, or None: each must be one
    of PLACEHOLDERS, written plainly as {skill}; a brace meant as text is doubled."""
    import string

    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    try:
        parts = list(string.Formatter().parse(question))
    except ValueError:
        return "a lone { or }; write {{ or }} for a brace, or a placeholder like {skill}"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            return f"unknown placeholder {written}; expected one of {known}"
    return None


def placeholders_of(question: str) -> set[str]:
    """The placeholders a coaching question holds (one that parsed: see above)."""
    import string

    return {name for _, name, _, _ in string.Formatter().parse(question) if name is not None}


def _opening(question: str) -> str:
    """The start of a question, to find it in the file."""
    return repr(question if len(question) <= 40 else question[:37] + "...")


def parse_pack(path: Path, origin: str, raw: bytes, problems: list[Problem]) -> PackDraft | None:
    """The pack in ``raw`` (the bytes of ``path``), problems and all."""
    data = parse_toml(path, raw, problems)
    if data is None:
        return None
    before = len(problems)
    check_format(data, path, problems, FORMAT)
    top = Table(data, path, "", {"format", "pack", "drill", "skill", "rubric"}, problems)
    if "pack" not in data:
        problems.append(Problem(path, "missing the [pack] table", key="pack"))
        return None
    head = Table(data["pack"], path, "[pack]", PACK_KEYS, problems)
    pack_id = head.ident("id", required=True)
    title = head.text("title", required=True, max_length=120)
    version = head.text("version", required=True, max_length=60)
    description = head.text("description", required=True, max_length=2000)
    author = head.text("author", max_length=120)
    pack_rubric = head.ident("rubric") or None
    # the fact sheet need not exist for the pack to load: the content lint checks it
    company = head.ident("company") or None
    segment = head.text("segment", max_length=MAX_SEGMENT_LENGTH)
    personas = head.text("personas", max_length=MAX_PERSONAS_LENGTH)
    own_skills = parse_skills(top.tables("skill"), path, problems, "pack ")
    own_rubrics = parse_rubrics(top.tables("rubric"), path, problems, "pack ")

    drills: list[Drill] = []
    references: list[tuple[str, str, str]] = [
        (f"pack skill '{skill.id}'", "rubric", skill.rubric) for skill in own_skills if skill.rubric
    ]
    seen: set[str] = set()
    raw_drills = top.tables("drill", count=(1, MAX_DRILLS_PER_PACK))
    for index, item in enumerate(raw_drills, 1):
        drill = parse_drill(item, index, pack_id, path, problems, references)
        if drill is None:
            continue
        if drill.id in seen:
            problems.append(
                Problem(path, "duplicate drill id in this pack", f"drill '{drill.id}'", "id")
            )
            continue
        seen.add(drill.id)
        drills.append(drill)
    claimed: dict[str, str] = {}  # old uid -> the drill of this pack that replaces it
    for drill in drills:
        for old in drill.replaces:
            old_pack, _, old_id = old.rpartition("/")
            if old_pack in ("", pack_id) and old_id in seen:
                problems.append(
                    Problem(
                        path,
                        f"'{old}' is still a drill of this pack; replace only removed drills",
                        f"drill '{drill.id}'",
                        "replaces",
                    )
                )
        for old_uid in drill.history_uids()[1:]:
            if claimed.setdefault(old_uid, drill.uid) != drill.uid:
                problems.append(
                    Problem(
                        path,
                        f"'{old_uid}' is already replaced by {claimed[old_uid]}",
                        f"drill '{drill.id}'",
                        "replaces",
                    )
                )
    pack = Pack(
        id=pack_id,
        title=title,
        version=version,
        description=description,
        drills=tuple(drills),
        path=path,
        origin=origin,
        author=author,
        rubric=pack_rubric,
        company=company,
        segment=segment,
        personas=personas,
    )
    return PackDraft(pack, own_skills, own_rubrics, len(problems) == before, references)


def check_replaces(table: Table, pack_id: str, drill_id: str, replaces: tuple[str, ...]) -> None:
    """Each entry of a drill's ``replaces`` names another drill, and names it once (a
    bare id and 'pack/id' of the drill's own pack are the same drill)."""
    own = replaced_uid(pack_id, drill_id)
    first: dict[str, str] = {}  # uid -> the entry that named it first
    reported: set[str] = set()
    for entry in replaces:
        uid = replaced_uid(pack_id, entry)
        if uid in reported:
            continue
        if uid == own:
            table.fail("replaces", f"'{entry}' is this drill's own id; replace only removed drills")
        elif uid not in first:
            first[uid] = entry
            continue
        elif first[uid] == entry:
            table.fail("replaces", f"'{entry}' is listed more than once; list each drill once")
        else:
            message = f"'{first[uid]}' and '{entry}' name the same drill; list each drill once"
            table.fail("replaces", message)
        reported.add(uid)


def check_word_limit(table: Table, kind: object) -> int | None:
    """A written drill's ``word_limit``: required there, refused on every other kind."""
    low, high = WORD_LIMIT_RANGE
    if kind == "written" and "word_limit" not in table.data:
        table.fail("word_limit", f"missing; a written drill needs a word limit ({low} to {high})")
        return None
    if kind != "written" and "word_limit" in table.data:
        if kind in KINDS:  # an unknown kind is reported once, on 'kind'
            message = f"only a drill of kind 'written' has a word limit, not {kind!r}"
            table.fail("word_limit", message)
        return None
    return table.integer("word_limit", low, high)


def parse_drill(
    item: Any,
    index: int,
    pack_id: str,
    path: Path,
    problems: list[Problem],
    references: list[tuple[str, str, str]],
) -> Drill | None:
    table = Table(item, path, f"drill #{index}", DRILL_KEYS, problems, "drill")
    drill_id = table.ident("id", required=True)
    kind = table.data.get("kind")
    if kind is None:
        table.fail("kind", f"missing; expected one of {', '.join(KINDS)}")
    elif kind not in KINDS:
        table.fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    skill = table.ident("skill", required=True)
    title = table.text("title", required=True, max_length=120)
    persona = table.text("persona", max_length=500)
    situation = table.text("situation", max_length=2000)
    key_points = table.texts("key_points", required=True, count=KEY_POINTS_RANGE)
    model_answer = table.text("model_answer", max_length=8000)
    time_limit = table.integer("time_limit", *TIME_LIMIT_RANGE)
    word_limit = check_word_limit(table, kind)
    rubric = table.ident("rubric") or None
    references.extend((table.where, key, value) for key, value in (("skill", skill),
                      ("rubric", rubric)) if value)  # fmt: skip
    tags = table.texts("tags", count=(0, 20))
    replaces = table.idents("replaces")
    check_replaces(table, pack_id, drill_id, replaces)
    turns: list[Turn] = []
    prompt = ""
    if kind == "roleplay":
        if "prompt" in table.data:
            table.fail("prompt", "a roleplay has no prompt; its buyer lines go in [[drill.turn]]")
        for number, entry in enumerate(table.tables("turn", count=TURNS_RANGE, parent="drill"), 1):
            sub = Table(entry, path, f"{table.where} turn #{number}", TURN_KEYS, problems)
            buyer = sub.text("buyer", required=True, max_length=2000)
            model = sub.text("model", max_length=4000)
            if sub.ok:
                turns.append(Turn(buyer, model))
            else:
                table.ok = False
    else:
        prompt = table.text("prompt", required=kind is not None, max_length=2000)
        if "turn" in table.data:
            table.fail("turn", "only a drill of kind 'roleplay' has [[drill.turn]] entries")
    if not table.ok:
        return None
    return Drill(
        pack_id=pack_id,
        id=drill_id,
        kind=str(kind),
        skill=skill,
        title=title,
        key_points=key_points,
        prompt=prompt,
        persona=persona,
        situation=situation,
        model_answer=model_answer,
        time_limit=time_limit,
        rubric=rubric,
        tags=tags,
        replaces=replaces,
        turns=tuple(turns),
        word_limit=word_limit,
    )
