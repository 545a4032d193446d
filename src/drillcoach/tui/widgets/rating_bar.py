"""The four rating buttons, each with the interval it would give, the suggestion marked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from drillcoach.events import Rating
from drillcoach.scheduling.rules import RATING_NAMES
from drillcoach.text import format_interval


class RatingButton(Button, can_focus=False):
    """Rated with 1-4 or enter from the keyboard, so the buttons never take focus."""


class RatingBar(Horizontal):
    DEFAULT_CSS = """
    RatingBar {
        height: 3;
        width: 100%;
    }
    RatingBar RatingButton {
        width: 1fr;
        min-width: 10;
        margin: 0 1 0 0;
    }
    """

    class Chosen(Message):
        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.intervals: Mapping[Rating, timedelta] = {}
        self.suggested: int | None = None

    def compose(self) -> ComposeResult:
        for rating, name in RATING_NAMES.items():
            yield RatingButton(f"{rating} {name}", id=f"rate-{rating}", name=str(rating))

    def show(self, intervals: Mapping[Rating, timedelta], suggested: int) -> None:
        self.intervals = intervals
        self.suggested = suggested
        for rating, name in RATING_NAMES.items():
            button = self.query_one(f"#rate-{rating}", RatingButton)
            interval = intervals.get(rating)
            label = f"{rating} {name}"
            if interval is not None:
                label += f" · {format_interval(interval)}"
            button.label = label
            button.variant = "primary" if rating == suggested else "default"
            button.set_class(rating == suggested, "-suggested")

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Chosen(int(event.button.name or 0)))
