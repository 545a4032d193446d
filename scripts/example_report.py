"""Write the README's example of ``drillcoach report --format html``: docs/report-example.html,
the report of a month of drilling with a manager's ratings (scripts/simulate.py) read on a
fixed clock, and docs/report-html.png, its first screen in headless Chromium.

    python scripts/example_report.py [OUTPUT_FOLDER]     (default: docs/)

The page changes only when the report does: tests/test_report_html.py checks it is
current. The picture needs Playwright (pip install playwright) and a Chromium, Debian's
by default (apt-get install chromium; CHROMIUM names another).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from drillcoach.progress.model import RepSummary
from drillcoach.progress.render import render
from drillcoach.progress.summary import rep_summary
from drillcoach.services import open_services

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# the morning after the month the README's Progress screenshot shows (scripts/screenshots.py)
MOMENT = datetime(2026, 2, 27, 7, 0, tzinfo=UTC)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# a browser that stays off the network: the page needs none
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOT_WIDTH = 1000  # the picture: this wide, down to the end of the skills table
SHOT_END = "#skills"


def _simulation() -> ModuleType:
    """scripts/simulate.py, which is a script, not a module of the package."""
    spec = importlib.util.spec_from_file_location(
        "simulate", Path(__file__).with_name("simulate.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def example_summary() -> RepSummary:
    """Sam's summary the morning after a simulated month with their manager's ratings."""
    with tempfile.TemporaryDirectory() as home:
        until = (MOMENT - timedelta(days=1)).date()
        _simulation().simulate(Path(home), until=until, zone=UTC, with_manager=True)
        services = open_services(home, clock=lambda: MOMENT, tz=UTC)
        try:
            scheduler = services.scheduler
            return rep_summary(
                services.store, services.library, services.config, scheduler.rep,
                services.config.name, scheduler.days, MOMENT,
            )  # fmt: skip
        finally:
            services.close()


def example_html() -> str:
    """docs/report-example.html as it should be."""
    return render(example_summary(), "html")


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium, kept off the network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshot(page: Path, picture: Path) -> None:
    """The top of ``page`` as Chromium shows it, down to the end of SHOT_END, as a PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            tab = browser.new_page(viewport={"width": SHOT_WIDTH, "height": 2000})
            tab.goto(page.resolve().as_uri())
            end = tab.locator(SHOT_END).bounding_box()
            assert end is not None, SHOT_END
            bottom = round(end["y"] + end["height"] + 24)
            tab.screenshot(path=picture, clip={"x": 0, "y": 0, "width": SHOT_WIDTH,
                                               "height": bottom})  # fmt: skip
        finally:
            browser.close()


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "report-example.html"
    page.write_text(example_html(), encoding="utf-8")
    print(f"wrote {page}")
    picture = folder / "report-html.png"
    screenshot(page, picture)
    print(f"wrote {picture}")


if __name__ == "__main__":
    main()
