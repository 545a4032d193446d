"""Company fact sheets (``content/companies/<id>.toml``): the fictional seller behind a
pack, its buyers and competitors, and the facts its drills must agree with, each a
pattern the content lint checks in every text of the company's packs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillcoach.tomlcheck import Problem, Table, check_format, read_toml

COMPANY_FORMAT = 1
TOP_KEYS = {"format", "company", "fact", "buyer", "competitor"}
COMPANY_KEYS = {"id", "name", "product", "segment", "description"}
FACT_KEYS = {"id", "title", "pattern", "allowed"}
BUYER_KEYS = {"name", "about", "people"}
COMPETITOR_KEYS = {"name", "about"}
MAX_PATTERN_LENGTH = 500


@dataclass(frozen=True)
class Fact:
    """A fact the drills state: every match of ``pattern`` has one of ``allowed`` (in any
    case) as its group 1."""

    id: str
    title: str
    pattern: re.Pattern[str]
    allowed: tuple[str, ...]

    def allows(self, value: str) -> bool:
        return value.casefold() in {item.casefold() for item in self.allowed}


@dataclass(frozen=True)
class Buyer:
    name: str
    about: str = ""
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competitor:
    name: str
    about: str = ""


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    product: str
    description: str
    path: Path
    segment: str = ""
    facts: tuple[Fact, ...] = ()
    buyers: tuple[Buyer, ...] = ()
    competitors: tuple[Competitor, ...] = ()

    def texts(self) -> Iterator[tuple[str, str, str]]:
        """(table, key, text) of every text a reader of the sheet sees."""
        yield "[company]", "name", self.name
        yield "[company]", "product", self.product
        yield "[company]", "segment", self.segment
        yield "[company]", "description", self.description
        for fact in self.facts:
            yield f"fact '{fact.id}'", "title", fact.title
        for buyer in self.buyers:
            where = f"buyer '{buyer.name}'"
            yield where, "name", buyer.name
            yield where, "about", buyer.about
            for person in buyer.people:
                yield where, "people", person
        for competitor in self.competitors:
            where = f"competitor '{competitor.name}'"
            yield where, "name", competitor.name
            yield where, "about", competitor.about


def company_path(folder: Path, company_id: str) -> Path:
    """Where the fact sheet of ``company_id`` lives in a companies folder."""
    return folder / f"{company_id}.toml"


def read_company(path: Path, problems: list[Problem]) -> Company | None:
    """The fact sheet at ``path``, or None when it has any problem (each in ``problems``,
    naming the file, the table and the key)."""
    data = read_toml(path, problems)
    return None if data is None else parse_company(data, path, problems)


def parse_company(data: dict[str, Any], path: Path, problems: list[Problem]) -> Company | None:
    before = len(problems)
    check_format(data, path, problems, COMPANY_FORMAT)
    top = Table(data, path, "", TOP_KEYS, problems)
    if "company" not in data:
        problems.append(Problem(path, "missing the [company] table", key="company"))
        return None
    head = Table(data["company"], path, "[company]", COMPANY_KEYS, problems)
    company_id = head.ident("id", required=True)
    if company_id and company_id != path.stem:
        head.fail("id", f"expected '{path.stem}', the name of the file, got '{company_id}'")
    name = head.text("name", required=True, max_length=80)
    product = head.text("product", required=True, max_length=200)
    if "\n" in product:
        head.fail("product", "expected one line")
    segment = head.text("segment", max_length=120)
    description = head.text("description", required=True, max_length=8000)
    facts = _facts(top.tables("fact"), path, problems)
    buyers = []
    for index, item in enumerate(top.tables("buyer"), 1):
        table, buyer = _named(item, path, "buyer", index, BUYER_KEYS, problems)
        about = table.text("about", max_length=2000)
        people = table.texts("people", count=(0, 30))
        buyers.append(Buyer(buyer, about, people))
    competitors = []
    for index, item in enumerate(top.tables("competitor"), 1):
        table, competitor = _named(item, path, "competitor", index, COMPETITOR_KEYS, problems)
        competitors.append(Competitor(competitor, table.text("about", max_length=2000)))
    if len(problems) != before:
        return None
    return Company(
        id=company_id,
        name=name,
        product=product,
        description=description,
        path=path,
        segment=segment,
        facts=tuple(facts),
        buyers=tuple(buyers),
        competitors=tuple(competitors),
    )


def _named(
    item: Any, path: Path, what: str, index: int, keys: set[str], problems: list[Problem]
) -> tuple[Table, str]:
    """A [[buyer]] or [[competitor]] table and its name, which names it in every problem."""
    table = Table(item, path, f"{what} #{index}", keys, problems)
    name = table.text("name", required=True, max_length=120)
    if name:
        table.where = f"{what} '{name}'"
    return table, name


def _facts(raw: list[Any], path: Path, problems: list[Problem]) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, 1):
        table = Table(item, path, f"fact #{index}", FACT_KEYS, problems, "fact")
        fact_id = table.unique_id(seen, "duplicate fact id in this file")
        title = table.text("title", required=True, max_length=200)
        pattern = _pattern(table)
        allowed = table.texts("allowed", required=True, count=(1, 50))
        if table.ok and pattern is not None:
            facts.append(Fact(fact_id, title, pattern, allowed))
    return facts


def _pattern(table: Table) -> re.Pattern[str] | None:
    """The fact's ``pattern``: a Python regular expression with a group around the value."""
    source = table.text("pattern", required=True, max_length=MAX_PATTERN_LENGTH)
    if not source:
        return None
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as error:
        table.fail("pattern", f"expected a Python regular expression: {error}")
        return None
    if compiled.groups < 1:
        table.fail("pattern", "expected a group, like '(\\w+)-week rollout', around the value")
        return None
    if compiled.search(""):
        table.fail("pattern", "matches empty text; expected a pattern that needs some words")
        return None
    return compiled
