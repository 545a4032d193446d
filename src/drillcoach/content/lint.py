"""The content lint: what a pack can get wrong that still loads. Spoken model answers
that do not fit their time limit (written ones their word limit), phrases and verbal tics
repeated across drills, real company names, and facts that contradict the company's fact
sheet. Its rules are data, in ``content/lint.toml``."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from drillcoach.content.companies import Company, company_path, read_company
from drillcoach.content.library import builtin_root, pack_files
from drillcoach.content.models import Drill, Library, Pack, word_count
from drillcoach.scheduling.rules import time_limit
from drillcoach.tomlcheck import Problem, Table, check_format, number, read_toml, whole_number

RULES_FORMAT = 1
PAUSE = re.compile(r"\.\.\.|…")  # a spoken pause in a model answer
PHRASE_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # a word, "don't" and "I'm" included
CURLY_APOSTROPHE = "\u2019"
NAME_TOKEN = re.compile(r"\w+|&")
SENTENCE_END = ".!?:\n"
OPENING_MARKS = " \t\"'(*-\u201c\u2018\u2022\u2013\u2014"  # quotes, bullets, dashes
T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    """One thing to fix: where (a drill's uid, a pack id or a file) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Rules:
    """What the lint holds drills to (``content/lint.toml``)."""

    words_per_minute: int = 150
    pause_seconds: int = 3
    room: float = 0.9  # the share of a time limit a spoken model answer may fill
    min_words: int = 4  # the shortest phrase that counts as repeated
    max_drills: int = 5  # drills whose model answers may share a phrase
    max_watched: int = 5  # drills whose model answers may say a watched tic
    watched: tuple[str, ...] = ()
    common_words: frozenset[str] = frozenset()
    any_case: tuple[str, ...] = ()
    exact_case: tuple[str, ...] = ()


def rules_path() -> Path:
    return builtin_root() / "content" / "lint.toml"


def companies_folder() -> Path:
    return builtin_root() / "content" / "companies"


def read_rules(path: Path, problems: list[Problem]) -> Rules | None:
    """The lint's rules, or None with each problem (file, table, key) in ``problems``."""
    data = read_toml(path, problems)
    if data is None:
        return None
    before = len(problems)
    check_format(data, path, problems, RULES_FORMAT)
    top = Table(data, path, "", {"format", "timing", "repetition", "names"}, problems)
    keys = {"words_per_minute", "pause_seconds", "room"}
    timing = Table(top.data.get("timing", {}), path, "[timing]", keys, problems)
    keys = {"min_words", "max_drills", "max_watched", "watched", "common_words"}
    repetition = Table(top.data.get("repetition", {}), path, "[repetition]", keys, problems)
    names = Table(top.data.get("names", {}), path, "[names]", {"any_case", "exact_case"}, problems)
    rules = Rules(
        words_per_minute=_required(timing, "words_per_minute", whole_number(60, 400), 150),
        pause_seconds=_required(timing, "pause_seconds", whole_number(0, 30), 3),
        room=_required(timing, "room", number(0.5, 1.0), 0.9),
        min_words=_required(repetition, "min_words", whole_number(2, 12), 4),
        max_drills=_required(repetition, "max_drills", whole_number(1, 1000), 5),
        max_watched=_required(repetition, "max_watched", whole_number(1, 1000), 5),
        watched=repetition.texts("watched", count=(0, 200)),
        common_words=frozenset(map(str.lower, repetition.texts("common_words", count=(0, 1000)))),
        any_case=names.texts("any_case", count=(0, 5000)),
        exact_case=names.texts("exact_case", count=(0, 5000)),
    )
    return rules if len(problems) == before else None


def _required(table: Table, key: str, check: Callable[[Any], T], default: T) -> T:
    """``key`` of ``table`` checked by ``check`` (a tomlcheck value check), else ``default``
    with the problem reported."""
    value = table.data.get(key)
    if value is None:
        table.fail(key, "missing")
        return default
    try:
        return check(value)
    except ValueError as error:
        table.fail(key, f"{error}, got {value!r}")
        return default


# --- the lint


def lint_library(
    library: Library,
    rules: Rules,
    *,
    default_time_limit: int,
    companies: Path,
    pack_id: str | None = None,
) -> list[Finding]:
    """Every finding in the packs of ``library`` (or only in ``pack_id``), drill by drill
    in the library's order. Phrases are counted across every pack of ``library``; fact
    sheets are read from ``companies`` (all of them when no pack is named)."""
    packs = [pack for pack in library.packs.values() if pack_id in (None, pack.id)]
    names = NameIndex(rules.any_case, rules.exact_case)
    wanted = {pack.company for pack in packs if pack.company}
    findings: list[Finding] = []
    sheets = read_sheets(companies, wanted, names, findings, every=pack_id is None)
    repeated = repetitions(list(library.drills()), rules)
    for pack in packs:
        company = sheets.get(pack.company) if pack.company else None
        for message in pack_findings(pack, sheets, companies, names):
            findings.append(Finding(pack.id, message))
        for drill in pack.drills:
            found = drill_findings(drill, rules, default_time_limit, names, company)
            found.extend(repeated.get(drill.uid, ()))
            findings.extend(Finding(drill.uid, message) for message in found)
    return findings


def drill_findings(
    drill: Drill, rules: Rules, default_time_limit: int, names: NameIndex, company: Company | None
) -> list[str]:
    """What one drill gets wrong on its own: its length, names and facts."""
    found = list(timing(drill, rules, default_time_limit))
    texts = drill_texts(drill)
    found.extend(
        f"{label} names a real company, '{name}'"
        for label, text in texts
        for name in names.find(text)
    )
    if company is not None:
        found.extend(fact_findings(company, texts))
    return found


def read_sheets(
    folder: Path, wanted: set[str], names: NameIndex, findings: list[Finding], *, every: bool
) -> dict[str, Company | None]:
    """The fact sheets of ``wanted`` companies (``every`` sheet of the folder too) by
    company id, None for one that does not load; their problems and the real company
    names they hold go to ``findings``. A company without a sheet is left out."""
    problems: list[Problem] = []
    if every:
        wanted = wanted | {path.stem for path in pack_files(folder, problems)}
    findings.extend(Finding(str(problem.file), problem.message) for problem in problems)
    problems.clear()
    sheets: dict[str, Company | None] = {}
    for company_id in sorted(wanted):
        path = company_path(folder, company_id)
        if not path.exists():
            continue
        sheet = sheets[company_id] = read_company(path, problems)
        findings.extend(Finding(str(problem.file), problem.detail) for problem in problems)
        problems.clear()
        for where, key, text in sheet.texts() if sheet else ():
            findings.extend(
                Finding(str(path), f"{where}: key '{key}': names a real company, '{name}'")
                for name in names.find(text)
            )
    return sheets


def pack_findings(
    pack: Pack, sheets: dict[str, Company | None], companies: Path, names: NameIndex
) -> Iterator[str]:
    """What is wrong with the pack as a whole: its own texts, and its company's sheet."""
    for label, text in pack_texts(pack):
        for name in names.find(text):
            yield f"{label} names a real company, '{name}'"
    if not pack.company:
        return
    if pack.company not in sheets:
        path = company_path(companies, pack.company)
        yield f"[pack] company '{pack.company}' has no fact sheet (expected {path})"
        return
    company = sheets[pack.company]
    if company is None:
        yield f"[pack] company '{pack.company}': its facts are not checked until its sheet loads"
        return
    yield from fact_findings(company, pack_texts(pack))


def pack_texts(pack: Pack) -> list[tuple[str, str]]:
    return [
        (f"[pack] {key}", text)
        for key, text in (("title", pack.title), ("description", pack.description),
                          ("segment", pack.segment), ("personas", pack.personas))
        if text
    ]  # fmt: skip


def drill_texts(drill: Drill) -> list[tuple[str, str]]:
    """(label, text) of every text of a drill a rep reads."""
    texts = [
        ("title", drill.title),
        ("persona", drill.persona),
        ("situation", drill.situation),
        ("prompt", drill.prompt),
        ("model_answer", drill.model_answer),
    ]
    texts.extend((f"key point {at}", point) for at, point in enumerate(drill.key_points, 1))
    for at, turn in enumerate(drill.turns, 1):
        texts.append((f"turn {at} buyer", turn.buyer))
        texts.append((f"turn {at} model", turn.model))
    return [(label, text) for label, text in texts if text]


# --- 1. length against the time or word limit


def spoken_seconds(text: str, rules: Rules) -> tuple[int, int, float]:
    """(words, pauses, seconds) of saying ``text`` at the rules' pace."""
    pauses = len(PAUSE.findall(text))
    words = sum(1 for word in PAUSE.sub(" ", text).split() if any(c.isalnum() for c in word))
    return words, pauses, words * 60 / rules.words_per_minute + pauses * rules.pause_seconds


def timing(drill: Drill, rules: Rules, default_time_limit: int) -> Iterator[str]:
    """A written model answer within its word limit; a spoken one (a role-play's model
    turns together, as the role-play's one timer runs over all of them) said within the
    share of the drill's time limit the rules leave it."""
    if drill.is_written:
        words = word_count(drill.model_answer)
        if drill.word_limit and words > drill.word_limit:
            yield f"model answer is {words} words; its word limit is {drill.word_limit}"
        return
    limit = time_limit(drill, default_time_limit)
    text = "\n".join(model_texts(drill))
    if limit is None or not text:
        return
    words, pauses, seconds = spoken_seconds(text, rules)
    allowed = limit * rules.room
    if seconds <= allowed:
        return
    what = "model turns take" if drill.is_roleplay else "model answer takes"
    cut = math.ceil((seconds - allowed) * rules.words_per_minute / 60)
    pause_text = f", {pauses} pause{'s' if pauses != 1 else ''}" if pauses else ""
    yield (
        f"{what} about {seconds:.0f} s to say ({words} words{pause_text}); the {limit} s "
        f"time limit leaves {allowed:.0f} s: cut about {cut} word{'s' if cut != 1 else ''}"
        + (" or some pauses" if pauses else "")
    )


# --- 2. phrases repeated across drills


@dataclass(frozen=True)
class Words:
    """The words of one model text, lowercased, and which of them are names (capitalized
    inside a sentence): a phrase with a name in it ("Sam Patel from Northwind") is the
    world of the drills, not a habit of speech."""

    words: tuple[str, ...]
    names: frozenset[int]

    def phrases(self, size: int) -> Iterator[tuple[int, tuple[str, ...]]]:
        for start in range(len(self.words) - size + 1):
            yield start, self.words[start : start + size]

    @cached_property
    def spaced(self) -> str:
        return f" {' '.join(self.words)} "

    def says(self, phrase: tuple[str, ...]) -> bool:
        return f" {' '.join(phrase)} " in self.spaced


def phrase_words(text: str) -> Words:
    text = text.replace(CURLY_APOSTROPHE, "'")
    words: list[str] = []
    names: set[int] = set()
    for match in PHRASE_WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        pronoun = lower == "i" or lower.startswith("i'")
        if word[0].isupper() and not pronoun and not _opens_sentence(text, match.start()):
            names.add(len(words))
        words.append(lower)
    return Words(tuple(words), frozenset(names))


def model_texts(drill: Drill) -> list[str]:
    """What a rep learns to say from a drill: its model answer, or a role-play's model
    turns (each apart: no phrase spans two)."""
    texts = [turn.model for turn in drill.turns] if drill.is_roleplay else [drill.model_answer]
    return [text for text in texts if text]


def repetitions(drills: Sequence[Drill], rules: Rules) -> dict[str, list[str]]:
    """uid -> a finding for each watched tic or long phrase its model texts share with
    more drills than the rules allow."""
    texts = {drill.uid: [phrase_words(text) for text in model_texts(drill)] for drill in drills}
    order = {drill.uid: index for index, drill in enumerate(drills)}
    roleplays = {drill.uid for drill in drills if drill.is_roleplay}
    found: dict[str, list[str]] = {}

    def report(phrase: str, uids: Iterable[str], note: str, allowed: int) -> None:
        ordered = sorted(uids, key=order.__getitem__)
        for uid in ordered:
            others = [other for other in ordered if other != uid]
            found.setdefault(uid, []).append(
                f"model {'turns say' if uid in roleplays else 'answer says'} "
                f'"{phrase}"{note}, as do {len(others)} other drills (at most {allowed} '
                f"may): {', '.join(others)}"
            )

    for tic in rules.watched:
        wanted = phrase_words(tic).words
        saying = [uid for uid, parts in texts.items() if any(part.says(wanted) for part in parts)]
        if wanted and len(saying) > rules.max_watched:
            report(tic, saying, " (a watched tic)", rules.max_watched)
    for phrase, uids in repeated_phrases(texts, rules):
        report(phrase, uids, "", rules.max_drills)
    return found


def repeated_phrases(
    texts: dict[str, list[Words]], rules: Rules
) -> list[tuple[str, frozenset[str]]]:
    """Phrases of at least ``min_words`` words in the model texts of more than
    ``max_drills`` drills (not those of common words only, nor those with a name):
    overlapping ones the same drills share are joined into the longest phrase they make."""
    size = rules.min_words
    held: dict[str, set[tuple[str, ...]]] = {}
    counts: Counter[tuple[str, ...]] = Counter()
    for uid, parts in texts.items():
        held[uid] = {
            phrase
            for part in parts
            for start, phrase in part.phrases(size)
            if not rules.common_words.issuperset(phrase)
            and not any(start <= at < start + size for at in part.names)
        }
        counts.update(held[uid])
    frequent = {phrase for phrase, count in counts.items() if count > rules.max_drills}
    holders: dict[tuple[str, ...], set[str]] = {phrase: set() for phrase in frequent}
    for uid, own in held.items():
        for phrase in own & frequent:
            holders[phrase].add(uid)
    groups: dict[frozenset[str], set[tuple[str, ...]]] = {}
    for phrase, holding in holders.items():
        groups.setdefault(frozenset(holding), set()).add(phrase)
    joined: list[tuple[str, frozenset[str]]] = []
    for uids, members in groups.items():
        # each member is in every drill of the group: one drill's words show how they join
        seen: set[str] = set()
        for part in texts[min(uids)]:
            words = part.words
            start = 0
            while start <= len(words) - size:
                if words[start : start + size] not in members:
                    start += 1
                    continue
                end = start
                while words[end + 1 : end + 1 + size] in members:
                    end += 1
                text = " ".join(words[start : end + size])
                if text not in seen:
                    seen.add(text)
                    joined.append((text, uids))
                start = end + 1
    joined.sort(key=lambda item: (-len(item[1]), item[0]))
    return joined


# --- 3. real company names


class NameIndex:
    """Real company names, found as whole words: any-case names in any case, the others
    capitalized as written and not as the first word of a sentence."""

    def __init__(self, any_case: Iterable[str], exact_case: Iterable[str]) -> None:
        self.folded: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.exact: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in any_case:
            tokens = tuple(token.casefold() for token in NAME_TOKEN.findall(name))
            if tokens:
                self.folded.setdefault(tokens[0], []).append((tokens, name))
        for name in exact_case:
            tokens = tuple(NAME_TOKEN.findall(name))
            if tokens:
                self.exact.setdefault(tokens[0], []).append((tokens, name))

    def find(self, text: str) -> list[str]:
        """The names ``text`` holds, each once, in the order they first appear."""
        matches = list(NAME_TOKEN.finditer(text))
        tokens = [match.group() for match in matches]
        folded = [token.casefold() for token in tokens]
        found: dict[str, None] = {}
        for index, match in enumerate(matches):
            for wanted, name in self.folded.get(folded[index], ()):
                if tuple(folded[index : index + len(wanted)]) == wanted:
                    found[name] = None
            for wanted, name in self.exact.get(tokens[index], ()):
                if tuple(tokens[index : index + len(wanted)]) == wanted and not _opens_sentence(
                    text, match.start()
                ):
                    found[name] = None
        return list(found)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(OPENING_MARKS)
    return not before or before[-1] in SENTENCE_END


# --- 4. facts of the company's fact sheet


def fact_findings(company: Company, texts: Iterable[tuple[str, str]]) -> Iterator[str]:
    """Each statement of a fact in ``texts`` that the fact sheet does not allow."""
    for label, text in texts:
        for fact in company.facts:
            for match in fact.pattern.finditer(text):
                value = match.group(1)
                if value is None or fact.allows(value):
                    continue
                allowed = " or ".join(f"'{item}'" for item in fact.allowed)
                yield (
                    f"{label} says \"{match.group(0)}\", against fact '{fact.id}' of "
                    f"{company.path.name} ({fact.title}): expected {allowed}"
                )
