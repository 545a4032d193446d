"""``drillcoach report --format html``: one self-contained page a rep's, a team's or a
director's summary. Parsed back with html.parser, the page holds the JSON's numbers (as
the text rounds them), escapes every text from data, needs nothing from the network, and
docs/report-example.html is what scripts/example_report.py makes today."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
from test_report import empty_summary, full_summary
from test_team_summary import full_team

from drillcoach.progress.director import DirectorSummary, manager_row
from drillcoach.progress.director_report import NO_MANAGERS, render_director
from drillcoach.progress.model import SUMMARY_VERSION, TeamSummary
from drillcoach.progress.render import SCHEMA, render
from drillcoach.progress.report_text import calibration_words, retention_words
from drillcoach.progress.team_report import NO_REPS, render_team, row_sentences
from drillcoach.text import plural
from helpers import one_line, run_cli
from teamkit import TeamKit

ROOT = Path(__file__).resolve().parents[1]
EVIL = "<script>alert('x')</script>"


# --- the page, parsed back


@dataclass
class Node:
    """An element of the page: its tag, attributes and children (text as strings)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def words(self) -> str:
        """The texts below, each element's apart, in single spaces."""
        return " ".join(" ".join(self.strings()).split())

    def strings(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child.strings()

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        """Elements below of ``tag`` with the class ``cls`` and attributes ``attrs``
        (``data_rep`` for ``data-rep``)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.attrs.get("class", "").split())
            and all(node.attrs.get(name) == value for name, value in wanted.items())
        ]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.all(tag, cls, **attrs)
        assert found, (tag, cls, attrs)
        return found[0]


VOID = {"meta", "link", "br", "hr", "img", "input", "col", "source", "wbr"}


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert tag in [node.tag for node in self.open], f"</{tag}> closes nothing open"
        while self.open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(page: str) -> Node:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert tree.open == [tree.root], [node.tag for node in tree.open]  # every element closed
    return tree.root


def share(value: float | None) -> str:
    """A share of the JSON as the page writes it."""
    return "-" if value is None else f"{round(value * 100)}%"


def director_of(team: TeamSummary) -> DirectorSummary:
    """A director over ``team``'s manager and a second manager with the same reps."""
    other = replace(team, manager="mike", manager_name="Mike Chen")
    teams = (team, other)
    return DirectorSummary(
        name=team.name, director="dana", director_name="Dana Diaz", as_of=team.as_of,
        reps=sum(len(one.reps) for one in teams), skills=team.skills,
        managers=tuple(manager_row(one, team.skills) for one in teams), teams=teams,
    )  # fmt: skip


# --- a rep's page


def test_the_page_holds_the_numbers_of_the_json() -> None:
    summary = full_summary()
    page = parse(render(summary, "html"))
    data = json.loads(render(summary, "json"))

    def tile(ident: str) -> str:
        return page.one(id=ident).one(cls="value").text()

    habit = data["habit"]
    assert tile("streak") == f"{habit['current_streak']} days" == "5 days"
    assert tile("longest") == f"{habit['longest_streak']} days"
    assert tile("retention-figure") == share(data["retention"]["true_retention"]) == "87%"
    assert page.one(id="retention").one("p").text() == retention_words(summary)
    kept = habit["commitments_kept"]
    assert tile("commitments") == f"{kept['kept']} of {kept['judged']}"
    assert tile("minutes") == f"{data['ahead']['minutes_per_day']} minutes"
    skills = page.one(id="skills")
    for skill in data["skills"]:
        row = skills.one("tr", data_skill=skill["skill"])
        started, total = row.one(cls="started").text().split("/")
        mastered = int(row.one(cls="mastered").text())
        assert (int(started), int(total), mastered) == (
            skill["started"], skill["total"], skill["mastered"],
        )  # fmt: skip
        assert share(skill["recall"]) in row.words()
    # the charts' figures: each week's days, drills and minutes; the drills due each day
    habit_section = page.one(id="consistency")
    figures = [node.text() for node in habit_section.all("text", cls="value")]
    weeks = data["volume"]
    assert figures == [str(week[part]) for part in ("days", "drills", "minutes") for week in weeks]
    ahead = [node.text() for node in page.one(id="ahead").all("text", cls="value")]
    assert ahead == [str(day["drills"]) for day in data["ahead"]["due"]]
    # the calendar: a square a day, saying its drills
    squares = [rect.one("title").text() for rect in habit_section.all("rect") if rect.all("title")]
    assert sorted(squares) == sorted(
        f"{day.day} {day:%b %Y}: {plural(drills, 'drill')}"
        for day, drills in (
            (date.fromisoformat(item["day"]), item["drills"]) for item in habit["calendar"]
        )
    )
    for pack in data["packs"]:
        row = page.one("tr", data_pack=pack["pack"])
        assert f"{pack['started']}/{pack['total']}" in row.words()
        classes = row.attrs["class"].split()
        assert ("overdue" in classes, "ready" in classes) == (pack["overdue"], pack["ready"])
    honesty = {row.attrs["data-skill"]: row for row in page.one(id="honesty").all("tr")[1:]}
    assert {skill: int(row.one(cls="above").text()) for skill, row in honesty.items()} == {
        item["skill"]: item["above"] for item in data["honesty"] if item["above"]
    }
    cards = page.one(id="calibration").all(cls="card")
    assert [card.attrs["data-skill"] for card in cards] == [c["skill"] for c in data["calibration"]]
    for card, item in zip(cards, summary.calibration, strict=True):
        assert calibration_words(item) in card.words()
        assert len(card.all("svg")) == (1 if item.points else 0)
    for leech in data["ahead"]["leeches"]:
        assert leech in page.one(id="ahead").words()


def test_the_title_says_whose_report_and_the_day_and_meta_tags_the_version() -> None:
    for page, title in (
        (render(full_summary(), "html"), "Progress of Sam Patel (sam) · 2 Mar 2026"),
        (render_team(full_team(), "html"),
         "Team West sales: the reps of Maria Lopez (2) · 2 Mar 2026"),
        (render_director(director_of(full_team()), "html"),
         "Team West sales: everyone below Dana Diaz (4) · 2 Mar 2026"),
    ):  # fmt: skip
        tree = parse(page)
        assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")
        assert tree.one("title").text() == title
        assert tree.one("h1").text() == title.rsplit(" · ", 1)[0]
        metas = {meta.attrs.get("name"): meta.attrs.get("content") for meta in tree.all("meta")}
        assert metas["drillcoach-schema"] == SCHEMA
        assert metas["drillcoach-version"] == str(SUMMARY_VERSION)


def test_since_is_said_and_keeps_the_days_from_it() -> None:
    summary = full_summary()
    since = date(2026, 2, 18)
    page = parse(render(summary, "html", since))
    assert "Weeks and calendar from 18 Feb 2026" in page.one("header").words()
    squares = [rect for rect in page.one(id="consistency").all("rect") if rect.all("title")]
    assert len(squares) == len([day for day, _ in summary.habit.calendar if day >= since])


def test_an_empty_summary_says_so() -> None:
    page = parse(render(empty_summary(), "html"))
    assert page.one(id="skills").words() == "Skills None yet."
    assert page.one(id="packs").words() == "Packs None yet."
    assert page.one(id="honesty").words().endswith("None yet.")
    assert page.one(id="calibration").words().endswith("No manager ratings to compare yet.")
    assert page.one(id="ahead").words().endswith("a coaching topic): none")
    assert page.one(id="retention-figure").one(cls="value").text() == "-"
    assert page.one(id="commitments").words() == "Commitments kept - none judged yet"
    team = replace(full_team(), reps=())
    assert NO_REPS in parse(render_team(team, "html")).words()
    director = replace(director_of(full_team()), managers=(), teams=())
    assert NO_MANAGERS in parse(render_director(director, "html")).words()


# --- a team's and a director's page


def test_the_team_page_holds_each_reps_figures_of_the_json() -> None:
    summary = full_team()
    page = parse(render_team(summary, "html"))
    data = json.loads(render_team(summary, "json"))["team"]
    for rep, row in zip(data["reps"], summary.reps, strict=True):
        figures = page.one("tr", cls="figures", data_rep=rep["rep"])
        assert figures.one(cls="streak").text() == str(rep["streak"])
        assert figures.one(cls="days").text() == str(rep["days_drilled"])
        assert figures.one(cls="retention").text() == share(rep["retention"])
        assert figures.one(cls="leeches").text() == str(rep["leeches"])
        words = page.one("tr", cls="words", data_rep=rep["rep"]).words()
        for sentence in row_sentences(row)[3:]:  # the weakest skill, packs, vision
            assert sentence in words
        grid = page.one("tr", data_row=rep["rep"])
        assert [cell.text() for cell in grid.all("td", cls="cell")] == [
            share(cell["share"]) for cell in rep["mastery"]
        ]
    sam = page.one("tr", cls="figures", data_rep="sam")
    assert sam.one("span", cls="up").text() == "↑"  # days drilled: 9 against 4
    assert sam.one("span", cls="down").text() == "↓"  # the mean rating: 2.8 against 3.1
    assert "9 ↑ (4 before)" in sam.words() and "2.8 ↓ (3.1 before)" in sam.words()
    titles = [th.text() for th in page.one("table", cls="grid").all("th", cls="skill")]
    assert titles == [skill["title"] for skill in data["skills"]]


def test_the_director_page_has_the_managers_then_each_team() -> None:
    summary = director_of(full_team())
    page = parse(render_director(summary, "html"))
    data = json.loads(render_director(summary, "json"))["director"]
    for manager in data["managers"]:
        row = page.one("tr", cls="figures", data_manager=manager["manager"])
        assert row.one(cls="reps").text() == str(manager["reps"])
        assert row.one(cls="streak").text() == f"{manager['streak']:.1f}"
        assert row.one(cls="retention").text() == share(manager["retention"])
        assert row.one(cls="leeches").text() == str(manager["leeches"])
    teams = page.all("section", cls="team")
    assert [team.attrs["data-manager"] for team in teams] == ["maria", "mike"]
    for team in teams:
        assert [row.attrs["data-rep"] for row in team.all("tr", cls="figures")] == ["sam", "new"]


# --- safe to open


def test_text_from_data_is_escaped() -> None:
    rep = full_summary()
    skill, *skills = rep.skills
    pack, *packs = rep.packs
    rep = replace(
        rep, name=EVIL, rep='sam" onclick="x',
        skills=(replace(skill, title="<img src=x>"), *skills),
        packs=(replace(pack, title="</td><script>", pack="<q>"), *packs),
        ahead=replace(rep.ahead, leeches=("<b>bold</b>",)),
    )  # fmt: skip
    team = full_team()
    sam, new = team.reps
    sam = replace(sam, name=EVIL, rep="<x>", vision="</td></tr><script>")
    team = replace(team, name="<i>West</i>", manager_name=EVIL, reps=(sam, new))
    pages = [
        render(rep, "html"),
        render_team(team, "html"),
        render_director(director_of(team), "html"),
    ]
    for page in pages:
        lowered = page.casefold()
        for tag in ("<script", "<img", "<b>", "<i>", "<x>", "<q>"):
            assert tag not in lowered, tag
        assert "&lt;script&gt;" in page
        assert "onclick=" not in page.replace("onclick=&quot;", "")
    tree = parse(pages[0])
    assert tree.one("h1").text() == f'Progress of {EVIL} (sam" onclick="x)'
    assert tree.one("title").text().startswith(f"Progress of {EVIL}")
    assert tree.one("tr", data_pack="<q>").all("td")[0].text() == "</td><script>"
    team_page = parse(pages[1])
    assert team_page.one("tr", cls="figures", data_rep="<x>").one(cls="who").words() == (
        f"{EVIL} (<x>)"
    )
    assert "Vision: </td></tr><script>" in team_page.one("tr", cls="words", data_rep="<x>").words()


def every_page() -> list[str]:
    team = full_team()
    return [
        render(full_summary(), "html"),
        render(empty_summary(), "html"),
        render_team(team, "html"),
        render_team(replace(team, reps=()), "html"),
        render_director(director_of(team), "html"),
    ]


def test_every_page_is_self_contained() -> None:
    for page in every_page():
        tree = parse(page)
        elements = list(tree.walk())
        fetching = {"script", "link", "img", "image", "iframe", "object", "embed", "use", "a"}
        assert not [node.tag for node in elements if node.tag in fetching]
        for node in elements:
            assert not {"src", "href", "xlink:href", "srcset"} & set(node.attrs), node
            assert not any("//" in value for value in node.attrs.values()), node
        style = "".join(node.text() for node in tree.all("style"))
        assert "url(" not in style and "@import" not in style
        assert "@media print" in style and "@page" in style
        assert "://" not in page


# --- the command


def test_report_format_html_with_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "reports" / "report.html"
    code, out, err = run_cli(capsys, "report", "--format", "html", "--out", str(target))
    assert (code, out, err) == (0, f"wrote {target}\n", "")
    page = parse(target.read_text(encoding="utf-8"))
    data = json.loads(run_cli(capsys, "report", "--format", "json")[1])
    assert page.one(id="streak").one(cls="value").text() == "0 days"
    assert data["habit"]["current_streak"] == 0
    code, out, err = run_cli(capsys, "report", "--format", "html", "--out", str(tmp_path))
    assert (code, out) == (2, "")
    one_line(err, f"--out {tmp_path}: is a folder", "like report.html")


def test_report_team_format_html_from_the_one_computation(team: TeamKit) -> None:
    team.drill("alice", 3)
    team.sync("alice")
    team.sync("maria")
    target = team.root / "team.html"
    team.cli("maria", "report", "--team", "--format", "html", "--out", str(target)).ok()
    page = parse(target.read_text(encoding="utf-8"))
    data = json.loads(team.cli("maria", "report", "--team", "--format", "json").ok().out)
    alice = next(row for row in data["team"]["reps"] if row["rep"] == "alice")
    row = page.one("tr", cls="figures", data_rep="alice")
    assert row.one(cls="streak").text() == str(alice["streak"]) == "1"
    assert row.one(cls="days").text() == str(alice["days_drilled"])
    team.sync("dana")
    director = parse(team.cli("dana", "report", "--team", "--format", "html").ok().out)
    assert director.one("tr", cls="figures", data_manager="maria").one(cls="reps").text() == "2"
    assert director.one("section", cls="team").one("tr", cls="figures", data_rep="alice")


# --- the README's example


def example_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "example_report", ROOT / "scripts" / "example_report.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_readme_example_is_current() -> None:
    script = example_script()
    fresh: str = script.example_html()
    committed = (ROOT / "docs" / "report-example.html").read_text(encoding="utf-8")
    assert fresh == committed, "docs/report-example.html is stale: run scripts/example_report.py"
    page = parse(fresh)
    assert page.one("h1").text() == "Progress of Sam Patel (sam)"
    assert page.one(id="calibration").all(cls="card")  # the month has a manager's ratings
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/report-example.html" in readme and "docs/report-html.png" in readme
    assert "drillcoach report --format html --out report.html" in readme
    assert (ROOT / "docs" / "report-html.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
