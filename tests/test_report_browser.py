"""The HTML report in a real browser: headless Chromium (Playwright) opens the page of a
simulated month (scripts/example_report.py, the README's example) and a team's and a
director's page from a file:// URL, and the figures show, every chart has a size, nothing
is wider than the window at 1024 pixels or than an A4 page in print, and the screenshot
and the PDF are made."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_report_html import director_of, example_script
from test_team_summary import full_team

from drillcoach.progress.director_report import render_director
from drillcoach.progress.model import SkillMastery, TeamSkill
from drillcoach.progress.render import render
from drillcoach.progress.report_text import retention_words
from drillcoach.progress.team_report import render_team, row_sentences
from drillcoach.text import plural

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
SCRIPT = example_script()
if not Path(SCRIPT.CHROMIUM).exists() and shutil.which(SCRIPT.CHROMIUM) is None:
    pytest.skip(
        f"no Chromium at {SCRIPT.CHROMIUM} (apt-get install chromium, or set CHROMIUM)",
        allow_module_level=True,
    )

WINDOW = {"width": 1024, "height": 768}
A4_TEXT = 703  # an A4 page less 12 mm margins either side, in CSS pixels


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        opened = SCRIPT.launch(playwright)
        try:
            yield opened
        finally:
            opened.close()


def open_page(browser: Browser, html: str, folder: Path) -> Page:
    path = folder / "report.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": WINDOW["width"], "height": WINDOW["height"]})
    page.goto(path.resolve().as_uri())
    return page


def widest(page: Page) -> int:
    """How wide the page is drawn: wider than the window means a sideways scroll."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def assert_fits(page: Page) -> None:
    """Every chart has a size and stays inside the window; nothing scrolls sideways, in
    the window or on an A4 page in print."""
    for chart in page.query_selector_all("svg"):
        box = chart.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= WINDOW["width"], box
    assert widest(page) <= WINDOW["width"]
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_TEXT, "height": 1000})
    assert widest(page) <= A4_TEXT
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": WINDOW["width"], "height": WINDOW["height"]})


def test_the_report_of_a_simulated_month_in_chromium(browser: Browser, tmp_path: Path) -> None:
    summary = SCRIPT.example_summary()
    page = open_page(browser, render(summary, "html"), tmp_path)
    try:
        assert page.title() == "Progress of Sam Patel (sam) · 27 Feb 2026"
        shown = page.inner_text("body")
        streak = plural(summary.habit.current_streak, "day")
        assert f"Streak\n{streak}" in shown
        assert retention_words(summary) in shown
        for skill in summary.skills[:3]:
            assert skill.title in shown
        assert f"About {plural(summary.ahead.minutes_per_day, 'minute')} a day" in shown
        assert len(page.query_selector_all("svg")) >= 4 + len(summary.skills)
        assert_fits(page)
        picture = tmp_path / "report.png"
        page.screenshot(path=str(picture), full_page=True)
        assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert picture.stat().st_size > 10_000
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and 2 <= _pages(pdf) <= 6
    finally:
        page.close()


def _pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote: its page objects."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_a_team_and_a_directors_report_in_chromium(browser: Browser, tmp_path: Path) -> None:
    team = full_team()
    skills = tuple(TeamSkill(f"s{n}", f"Skill number {n}") for n in range(16))
    many = replace(team, skills=skills, reps=tuple(
        replace(row, mastery=tuple(SkillMastery(s.skill, n % 3, 2, n % 3 / 2)
                                   for n, s in enumerate(skills)))
        for row in team.reps
    ))  # fmt: skip
    for html, heading in (
        (render_team(team, "html"), "Team West sales: the reps of Maria Lopez (2)"),
        (render_team(many, "html"), "Team West sales: the reps of Maria Lopez (2)"),
        (render_director(director_of(many), "html"),
         "Team West sales: everyone below Dana Diaz (4)"),
    ):  # fmt: skip
        page = open_page(browser, html, tmp_path)
        try:
            shown = page.inner_text("body")
            assert heading in shown
            for row in team.reps:
                assert row.name in shown
                assert row_sentences(row)[-1] in shown  # the vision
            assert_fits(page)
        finally:
            page.close()
