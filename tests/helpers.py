"""Test helpers: a clock moved by hand, and driving the TUI like a rep (an app on that
clock, typing, and reading what the store holds afterwards)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot

from drillcoach.events import AnyRating
from drillcoach.tui.app import DrillcoachApp, make_app

# Monday 2 March 2026, 10:00 UTC: mid-morning of a drilling day (the day starts at 04:00).
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

KEY_NAMES = {
    " ": "space",
    ",": "comma",
    ".": "full_stop",
    "?": "question_mark",
    "'": "apostrophe",
    "-": "minus",
    "!": "exclamation_mark",
}


class FakeClock:
    """A clock the test moves by hand; always returns aware UTC datetimes."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now = self.now + timedelta(**kwargs)
        return self.now

    def set(self, moment: datetime) -> datetime:
        assert moment.tzinfo is not None
        self.now = moment.astimezone(UTC)
        return self.now


async def tick_all(pilot: Pilot[object], points: int) -> None:
    """Tick every key point of the revealed drill, top to bottom."""
    for _ in range(points):
        await pilot.press("space", "down")


def write_config(home: Path, **extra: object) -> None:
    settings = {"name": '"Sam Patel"', "member": '"sam"', "fuzz": "false"}
    settings.update({key: str(value) for key, value in extra.items()})
    (home / "config.toml").write_text(
        "".join(f"{key} = {value}\n" for key, value in settings.items()), encoding="utf-8"
    )


def build_app(home: Path, clock: FakeClock, *, welcomed: bool = True) -> DrillcoachApp:
    """The real app over DRILLCOACH_HOME, fuzz off, clock fixed, days in UTC."""
    if not (home / "config.toml").exists():
        write_config(home)
    app = make_app(home, clock=clock, tz=UTC)
    if welcomed:
        app.services.prefs.set_welcomed()
    return app


async def type_text(pilot: Pilot[object], text: str) -> None:
    await pilot.press(*[KEY_NAMES.get(char, char) for char in text])


def stored(app: DrillcoachApp) -> list[AnyRating]:
    """The rep's live ratings, oldest first, straight from SQLite."""
    return app.services.store.ratings(app.services.scheduler.rep)
